"""The registry's vocabularies, named and valued as in the ClinicalTrials.gov API v2 schema (2.0.5).

Labels are the words a patient reads. The registry adds values over time: a value not listed here is
still stored as given (CharField choices are not enforced by the database) and the importer reports
it as a warning, so nothing a record says is lost.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECRUITING = "RECRUITING", _("Recruiting")
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", _("Not yet recruiting")
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", _("Enrolling by invitation")
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", _("Active, not recruiting")
    SUSPENDED = "SUSPENDED", _("Suspended")
    TERMINATED = "TERMINATED", _("Terminated")
    COMPLETED = "COMPLETED", _("Completed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")
    AVAILABLE = "AVAILABLE", _("Available")
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", _("No longer available")
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", _("Temporarily not available")
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", _("Approved for marketing")
    WITHHELD = "WITHHELD", _("Withheld")
    UNKNOWN = "UNKNOWN", _("Unknown status")


# The statuses under which a patient may still be able to join: an expanded-access programme
# that is "Available" can be asked for, so it counts as open (trials/status.py says so in words;
# tests/test_status.py checks that the two agree).
OPEN_STATUSES = (
    Status.RECRUITING,
    Status.NOT_YET_RECRUITING,
    Status.ENROLLING_BY_INVITATION,
    Status.AVAILABLE,
)


class RecruitmentStatus(models.TextChoices):
    """A site's own status (Location.status): a subset of Status."""

    RECRUITING = "RECRUITING", _("Recruiting")
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", _("Not yet recruiting")
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", _("Enrolling by invitation")
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", _("Active, not recruiting")
    SUSPENDED = "SUSPENDED", _("Suspended")
    TERMINATED = "TERMINATED", _("Terminated")
    COMPLETED = "COMPLETED", _("Completed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")
    AVAILABLE = "AVAILABLE", _("Available")


class StudyType(models.TextChoices):
    INTERVENTIONAL = "INTERVENTIONAL", _("Interventional (clinical trial)")
    OBSERVATIONAL = "OBSERVATIONAL", _("Observational")
    EXPANDED_ACCESS = "EXPANDED_ACCESS", _("Expanded access")


class Phase(models.TextChoices):
    EARLY_PHASE1 = "EARLY_PHASE1", _("Early phase 1")
    PHASE1 = "PHASE1", _("Phase 1")
    PHASE2 = "PHASE2", _("Phase 2")
    PHASE3 = "PHASE3", _("Phase 3")
    PHASE4 = "PHASE4", _("Phase 4")
    NA = "NA", _("Not applicable")


class Sex(models.TextChoices):
    ALL = "ALL", _("All sexes")
    FEMALE = "FEMALE", _("Female")
    MALE = "MALE", _("Male")


class StandardAge(models.TextChoices):
    CHILD = "CHILD", _("Child (under 18)")
    ADULT = "ADULT", _("Adult (18 to 64)")
    OLDER_ADULT = "OLDER_ADULT", _("Older adult (65 and over)")


class DateType(models.TextChoices):
    ACTUAL = "ACTUAL", _("Actual")
    ESTIMATED = "ESTIMATED", _("Estimated")


class DatePrecision(models.TextChoices):
    """How much of a registry date is known: 2010, 2010-11 or 2010-11-05."""

    YEAR = "YEAR", _("Year")
    MONTH = "MONTH", _("Month")
    DAY = "DAY", _("Day")


class AgencyClass(models.TextChoices):
    INDUSTRY = "INDUSTRY", _("Industry")
    NIH = "NIH", _("U.S. National Institutes of Health")
    FED = "FED", _("U.S. federal government")
    OTHER_GOV = "OTHER_GOV", _("Other government")
    INDIV = "INDIV", _("Individual")
    NETWORK = "NETWORK", _("Network")
    AMBIG = "AMBIG", _("Ambiguous")
    OTHER = "OTHER", _("Other")
    UNKNOWN = "UNKNOWN", _("Unknown")


class ResponsiblePartyType(models.TextChoices):
    SPONSOR = "SPONSOR", _("Sponsor")
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", _("Principal investigator")
    SPONSOR_INVESTIGATOR = "SPONSOR_INVESTIGATOR", _("Sponsor-investigator")


class Allocation(models.TextChoices):
    RANDOMIZED = "RANDOMIZED", _("Randomized")
    NON_RANDOMIZED = "NON_RANDOMIZED", _("Non-randomized")
    NA = "NA", _("Not applicable")


class InterventionModel(models.TextChoices):
    SINGLE_GROUP = "SINGLE_GROUP", _("Single group")
    PARALLEL = "PARALLEL", _("Parallel groups")
    CROSSOVER = "CROSSOVER", _("Crossover")
    FACTORIAL = "FACTORIAL", _("Factorial")
    SEQUENTIAL = "SEQUENTIAL", _("Sequential")


class PrimaryPurpose(models.TextChoices):
    TREATMENT = "TREATMENT", _("Treatment")
    PREVENTION = "PREVENTION", _("Prevention")
    DIAGNOSTIC = "DIAGNOSTIC", _("Diagnosis")
    ECT = "ECT", _("Educational, counselling or training")
    SUPPORTIVE_CARE = "SUPPORTIVE_CARE", _("Supportive care")
    SCREENING = "SCREENING", _("Screening")
    HEALTH_SERVICES_RESEARCH = "HEALTH_SERVICES_RESEARCH", _("Health services research")
    BASIC_SCIENCE = "BASIC_SCIENCE", _("Basic science")
    DEVICE_FEASIBILITY = "DEVICE_FEASIBILITY", _("Device feasibility")
    OTHER = "OTHER", _("Other")


class ObservationalModel(models.TextChoices):
    COHORT = "COHORT", _("Cohort")
    CASE_CONTROL = "CASE_CONTROL", _("Case-control")
    CASE_ONLY = "CASE_ONLY", _("Case-only")
    CASE_CROSSOVER = "CASE_CROSSOVER", _("Case-crossover")
    ECOLOGIC_OR_COMMUNITY = "ECOLOGIC_OR_COMMUNITY", _("Ecologic or community")
    FAMILY_BASED = "FAMILY_BASED", _("Family-based")
    DEFINED_POPULATION = "DEFINED_POPULATION", _("Defined population")
    NATURAL_HISTORY = "NATURAL_HISTORY", _("Natural history")
    OTHER = "OTHER", _("Other")


class TimePerspective(models.TextChoices):
    RETROSPECTIVE = "RETROSPECTIVE", _("Retrospective")
    PROSPECTIVE = "PROSPECTIVE", _("Prospective")
    CROSS_SECTIONAL = "CROSS_SECTIONAL", _("Cross-sectional")
    OTHER = "OTHER", _("Other")


class Masking(models.TextChoices):
    NONE = "NONE", _("None (open label)")
    SINGLE = "SINGLE", _("Single")
    DOUBLE = "DOUBLE", _("Double")
    TRIPLE = "TRIPLE", _("Triple")
    QUADRUPLE = "QUADRUPLE", _("Quadruple")


class WhoMasked(models.TextChoices):
    PARTICIPANT = "PARTICIPANT", _("Participant")
    CARE_PROVIDER = "CARE_PROVIDER", _("Care provider")
    INVESTIGATOR = "INVESTIGATOR", _("Investigator")
    OUTCOMES_ASSESSOR = "OUTCOMES_ASSESSOR", _("Outcomes assessor")


class EnrollmentType(models.TextChoices):
    ACTUAL = "ACTUAL", _("Actual")
    ESTIMATED = "ESTIMATED", _("Estimated")


class SamplingMethod(models.TextChoices):
    PROBABILITY_SAMPLE = "PROBABILITY_SAMPLE", _("Probability sample")
    NON_PROBABILITY_SAMPLE = "NON_PROBABILITY_SAMPLE", _("Non-probability sample")


class ArmGroupType(models.TextChoices):
    EXPERIMENTAL = "EXPERIMENTAL", _("Experimental")
    ACTIVE_COMPARATOR = "ACTIVE_COMPARATOR", _("Active comparator")
    PLACEBO_COMPARATOR = "PLACEBO_COMPARATOR", _("Placebo comparator")
    SHAM_COMPARATOR = "SHAM_COMPARATOR", _("Sham comparator")
    NO_INTERVENTION = "NO_INTERVENTION", _("No intervention")
    OTHER = "OTHER", _("Other")


class InterventionType(models.TextChoices):
    BEHAVIORAL = "BEHAVIORAL", _("Behavioral")
    BIOLOGICAL = "BIOLOGICAL", _("Biological")
    COMBINATION_PRODUCT = "COMBINATION_PRODUCT", _("Combination product")
    DEVICE = "DEVICE", _("Device")
    DIAGNOSTIC_TEST = "DIAGNOSTIC_TEST", _("Diagnostic test")
    DIETARY_SUPPLEMENT = "DIETARY_SUPPLEMENT", _("Dietary supplement")
    DRUG = "DRUG", _("Drug")
    GENETIC = "GENETIC", _("Genetic")
    PROCEDURE = "PROCEDURE", _("Procedure")
    RADIATION = "RADIATION", _("Radiation")
    OTHER = "OTHER", _("Other")


class ContactRole(models.TextChoices):
    CONTACT = "CONTACT", _("Contact")
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", _("Principal investigator")
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR", _("Sub-investigator")
    STUDY_CHAIR = "STUDY_CHAIR", _("Study chair")
    STUDY_DIRECTOR = "STUDY_DIRECTOR", _("Study director")


class OfficialRole(models.TextChoices):
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", _("Principal investigator")
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR", _("Sub-investigator")
    STUDY_CHAIR = "STUDY_CHAIR", _("Study chair")
    STUDY_DIRECTOR = "STUDY_DIRECTOR", _("Study director")


class OrgStudyIdType(models.TextChoices):
    NIH = "NIH", _("U.S. NIH grant")
    FDA = "FDA", _("U.S. FDA")
    VA = "VA", _("U.S. Department of Veterans Affairs")
    CDC = "CDC", _("U.S. CDC")
    AHRQ = "AHRQ", _("U.S. AHRQ")
    SAMHSA = "SAMHSA", _("U.S. SAMHSA")


class SecondaryIdType(models.TextChoices):
    NIH = "NIH", _("U.S. NIH grant")
    FDA = "FDA", _("U.S. FDA")
    VA = "VA", _("U.S. Department of Veterans Affairs")
    CDC = "CDC", _("U.S. CDC")
    AHRQ = "AHRQ", _("U.S. AHRQ")
    SAMHSA = "SAMHSA", _("U.S. SAMHSA")
    OTHER_GRANT = "OTHER_GRANT", _("Other grant or funding number")
    EUDRACT_NUMBER = "EUDRACT_NUMBER", _("EudraCT number")
    CTIS = "CTIS", _("EU CT number (CTIS)")
    REGISTRY = "REGISTRY", _("Other registry")
    OTHER = "OTHER", _("Other identifier")


class OutcomeKind(models.TextChoices):
    """Which list of the outcomes module an outcome came from."""

    PRIMARY = "PRIMARY", _("Primary")
    SECONDARY = "SECONDARY", _("Secondary")
    OTHER = "OTHER", _("Other pre-specified")


class ReferenceType(models.TextChoices):
    BACKGROUND = "BACKGROUND", _("Background")
    RESULT = "RESULT", _("Results")
    DERIVED = "DERIVED", _("Derived from this trial")


class IpdSharing(models.TextChoices):
    YES = "YES", _("Yes")
    NO = "NO", _("No")
    UNDECIDED = "UNDECIDED", _("Undecided")


# The results section's vocabularies (API v2 resultsSection). Their labels are read on the page of
# what a trial found, so they are translatable.


class OutcomeMeasureType(models.TextChoices):
    PRIMARY = "PRIMARY", _("Primary")
    SECONDARY = "SECONDARY", _("Secondary")
    OTHER_PRE_SPECIFIED = "OTHER_PRE_SPECIFIED", _("Other pre-specified")
    POST_HOC = "POST_HOC", _("Post hoc")


class ReportingStatus(models.TextChoices):
    NOT_POSTED = "NOT_POSTED", _("Not posted")
    POSTED = "POSTED", _("Posted")


class MeasureParam(models.TextChoices):
    GEOMETRIC_MEAN = "GEOMETRIC_MEAN", _("Geometric mean")
    GEOMETRIC_LEAST_SQUARES_MEAN = "GEOMETRIC_LEAST_SQUARES_MEAN", _("Geometric least squares mean")
    LEAST_SQUARES_MEAN = "LEAST_SQUARES_MEAN", _("Least squares mean")
    LOG_MEAN = "LOG_MEAN", _("Log mean")
    MEAN = "MEAN", _("Mean")
    MEDIAN = "MEDIAN", _("Median")
    NUMBER = "NUMBER", _("Number")
    COUNT_OF_PARTICIPANTS = "COUNT_OF_PARTICIPANTS", _("Count of participants")
    COUNT_OF_UNITS = "COUNT_OF_UNITS", _("Count of units")


class MeasureDispersionType(models.TextChoices):
    NA = "NA", _("Not applicable")
    STANDARD_DEVIATION = "STANDARD_DEVIATION", _("Standard deviation")
    STANDARD_ERROR = "STANDARD_ERROR", _("Standard error")
    INTER_QUARTILE_RANGE = "INTER_QUARTILE_RANGE", _("Inter-quartile range")
    FULL_RANGE = "FULL_RANGE", _("Full range")
    # xgettext:no-python-format
    CONFIDENCE_80 = "CONFIDENCE_80", _("80% confidence interval")
    # xgettext:no-python-format
    CONFIDENCE_90 = "CONFIDENCE_90", _("90% confidence interval")
    # xgettext:no-python-format
    CONFIDENCE_95 = "CONFIDENCE_95", _("95% confidence interval")
    # xgettext:no-python-format
    CONFIDENCE_975 = "CONFIDENCE_975", _("97.5% confidence interval")
    # xgettext:no-python-format
    CONFIDENCE_99 = "CONFIDENCE_99", _("99% confidence interval")
    CONFIDENCE_OTHER = "CONFIDENCE_OTHER", _("Other confidence interval")
    GEOMETRIC_COEFFICIENT = "GEOMETRIC_COEFFICIENT", _("Geometric coefficient of variation")


class AnalysisDispersionType(models.TextChoices):
    STANDARD_DEVIATION = "STANDARD_DEVIATION", _("Standard deviation")
    STANDARD_ERROR_OF_MEAN = "STANDARD_ERROR_OF_MEAN", _("Standard error of the mean")


class ConfidenceIntervalNumSides(models.TextChoices):
    ONE_SIDED = "ONE_SIDED", _("One-sided")
    TWO_SIDED = "TWO_SIDED", _("Two-sided")


class NonInferiorityType(models.TextChoices):
    SUPERIORITY = "SUPERIORITY", _("Superiority")
    NON_INFERIORITY = "NON_INFERIORITY", _("Non-inferiority")
    EQUIVALENCE = "EQUIVALENCE", _("Equivalence")
    OTHER = "OTHER", _("Other")
    NON_INFERIORITY_OR_EQUIVALENCE = (
        "NON_INFERIORITY_OR_EQUIVALENCE",
        _("Non-inferiority or equivalence"),
    )
    SUPERIORITY_OR_OTHER = "SUPERIORITY_OR_OTHER", _("Superiority or other")
    NON_INFERIORITY_OR_EQUIVALENCE_LEGACY = (
        "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY",
        _("Non-inferiority or equivalence (legacy)"),
    )
    SUPERIORITY_OR_OTHER_LEGACY = "SUPERIORITY_OR_OTHER_LEGACY", _("Superiority or other (legacy)")


class EventAssessment(models.TextChoices):
    NON_SYSTEMATIC_ASSESSMENT = "NON_SYSTEMATIC_ASSESSMENT", _("Non-systematic assessment")
    SYSTEMATIC_ASSESSMENT = "SYSTEMATIC_ASSESSMENT", _("Systematic assessment")


class AgreementRestrictionType(models.TextChoices):
    LTE60 = "LTE60", _("Embargo of 60 days or less")
    GT60 = "GT60", _("Embargo of more than 60 days")
    OTHER = "OTHER", _("Other restriction")


class EventSeriousness(models.TextChoices):
    """Which list of the adverse events module an event came from (seriousEvents, otherEvents)."""

    SERIOUS = "SERIOUS", _("Serious")
    OTHER = "OTHER", _("Other (not serious)")


class FlowStepKind(models.TextChoices):
    """Which list of a participant-flow period a step came from (milestones, dropWithdraws)."""

    MILESTONE = "MILESTONE", _("Milestone")
    DROP_WITHDRAW = "DROP_WITHDRAW", _("Reason for leaving")


class SummaryLanguage(models.TextChoices):
    """The languages a lay summary of results is written in: the portal's languages."""

    EN = "en", _("English")
    ES = "es", _("Spanish")
    ZH_HANS = "zh-hans", _("Simplified Chinese")
