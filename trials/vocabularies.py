"""The registry's vocabularies, named and valued as in the ClinicalTrials.gov API v2 schema (2.0.5).

Labels are the words a patient reads. The registry adds values over time: a value not listed here is
still stored as given (CharField choices are not enforced by the database) and the importer reports
it as a warning, so nothing a record says is lost.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECRUITING = "RECRUITING", "Recruiting"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    COMPLETED = "COMPLETED", "Completed"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    AVAILABLE = "AVAILABLE", "Available"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", "No longer available"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", "Approved for marketing"
    WITHHELD = "WITHHELD", "Withheld"
    UNKNOWN = "UNKNOWN", "Unknown status"


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

    RECRUITING = "RECRUITING", "Recruiting"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    COMPLETED = "COMPLETED", "Completed"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    AVAILABLE = "AVAILABLE", "Available"


class StudyType(models.TextChoices):
    INTERVENTIONAL = "INTERVENTIONAL", "Interventional (clinical trial)"
    OBSERVATIONAL = "OBSERVATIONAL", "Observational"
    EXPANDED_ACCESS = "EXPANDED_ACCESS", "Expanded access"


class Phase(models.TextChoices):
    EARLY_PHASE1 = "EARLY_PHASE1", "Early phase 1"
    PHASE1 = "PHASE1", "Phase 1"
    PHASE2 = "PHASE2", "Phase 2"
    PHASE3 = "PHASE3", "Phase 3"
    PHASE4 = "PHASE4", "Phase 4"
    NA = "NA", "Not applicable"


class Sex(models.TextChoices):
    ALL = "ALL", "All sexes"
    FEMALE = "FEMALE", "Female"
    MALE = "MALE", "Male"


class StandardAge(models.TextChoices):
    CHILD = "CHILD", "Child (under 18)"
    ADULT = "ADULT", "Adult (18 to 64)"
    OLDER_ADULT = "OLDER_ADULT", "Older adult (65 and over)"


class DateType(models.TextChoices):
    ACTUAL = "ACTUAL", "Actual"
    ESTIMATED = "ESTIMATED", "Estimated"


class DatePrecision(models.TextChoices):
    """How much of a registry date is known: 2010, 2010-11 or 2010-11-05."""

    YEAR = "YEAR", "Year"
    MONTH = "MONTH", "Month"
    DAY = "DAY", "Day"


class AgencyClass(models.TextChoices):
    INDUSTRY = "INDUSTRY", "Industry"
    NIH = "NIH", "U.S. National Institutes of Health"
    FED = "FED", "U.S. federal government"
    OTHER_GOV = "OTHER_GOV", "Other government"
    INDIV = "INDIV", "Individual"
    NETWORK = "NETWORK", "Network"
    AMBIG = "AMBIG", "Ambiguous"
    OTHER = "OTHER", "Other"
    UNKNOWN = "UNKNOWN", "Unknown"


class ResponsiblePartyType(models.TextChoices):
    SPONSOR = "SPONSOR", "Sponsor"
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", "Principal investigator"
    SPONSOR_INVESTIGATOR = "SPONSOR_INVESTIGATOR", "Sponsor-investigator"


class Allocation(models.TextChoices):
    RANDOMIZED = "RANDOMIZED", "Randomized"
    NON_RANDOMIZED = "NON_RANDOMIZED", "Non-randomized"
    NA = "NA", "Not applicable"


class InterventionModel(models.TextChoices):
    SINGLE_GROUP = "SINGLE_GROUP", "Single group"
    PARALLEL = "PARALLEL", "Parallel groups"
    CROSSOVER = "CROSSOVER", "Crossover"
    FACTORIAL = "FACTORIAL", "Factorial"
    SEQUENTIAL = "SEQUENTIAL", "Sequential"


class PrimaryPurpose(models.TextChoices):
    TREATMENT = "TREATMENT", "Treatment"
    PREVENTION = "PREVENTION", "Prevention"
    DIAGNOSTIC = "DIAGNOSTIC", "Diagnosis"
    ECT = "ECT", "Educational, counselling or training"
    SUPPORTIVE_CARE = "SUPPORTIVE_CARE", "Supportive care"
    SCREENING = "SCREENING", "Screening"
    HEALTH_SERVICES_RESEARCH = "HEALTH_SERVICES_RESEARCH", "Health services research"
    BASIC_SCIENCE = "BASIC_SCIENCE", "Basic science"
    DEVICE_FEASIBILITY = "DEVICE_FEASIBILITY", "Device feasibility"
    OTHER = "OTHER", "Other"


class ObservationalModel(models.TextChoices):
    COHORT = "COHORT", "Cohort"
    CASE_CONTROL = "CASE_CONTROL", "Case-control"
    CASE_ONLY = "CASE_ONLY", "Case-only"
    CASE_CROSSOVER = "CASE_CROSSOVER", "Case-crossover"
    ECOLOGIC_OR_COMMUNITY = "ECOLOGIC_OR_COMMUNITY", "Ecologic or community"
    FAMILY_BASED = "FAMILY_BASED", "Family-based"
    DEFINED_POPULATION = "DEFINED_POPULATION", "Defined population"
    NATURAL_HISTORY = "NATURAL_HISTORY", "Natural history"
    OTHER = "OTHER", "Other"


class TimePerspective(models.TextChoices):
    RETROSPECTIVE = "RETROSPECTIVE", "Retrospective"
    PROSPECTIVE = "PROSPECTIVE", "Prospective"
    CROSS_SECTIONAL = "CROSS_SECTIONAL", "Cross-sectional"
    OTHER = "OTHER", "Other"


class Masking(models.TextChoices):
    NONE = "NONE", "None (open label)"
    SINGLE = "SINGLE", "Single"
    DOUBLE = "DOUBLE", "Double"
    TRIPLE = "TRIPLE", "Triple"
    QUADRUPLE = "QUADRUPLE", "Quadruple"


class WhoMasked(models.TextChoices):
    PARTICIPANT = "PARTICIPANT", "Participant"
    CARE_PROVIDER = "CARE_PROVIDER", "Care provider"
    INVESTIGATOR = "INVESTIGATOR", "Investigator"
    OUTCOMES_ASSESSOR = "OUTCOMES_ASSESSOR", "Outcomes assessor"


class EnrollmentType(models.TextChoices):
    ACTUAL = "ACTUAL", "Actual"
    ESTIMATED = "ESTIMATED", "Estimated"


class SamplingMethod(models.TextChoices):
    PROBABILITY_SAMPLE = "PROBABILITY_SAMPLE", "Probability sample"
    NON_PROBABILITY_SAMPLE = "NON_PROBABILITY_SAMPLE", "Non-probability sample"


class ArmGroupType(models.TextChoices):
    EXPERIMENTAL = "EXPERIMENTAL", "Experimental"
    ACTIVE_COMPARATOR = "ACTIVE_COMPARATOR", "Active comparator"
    PLACEBO_COMPARATOR = "PLACEBO_COMPARATOR", "Placebo comparator"
    SHAM_COMPARATOR = "SHAM_COMPARATOR", "Sham comparator"
    NO_INTERVENTION = "NO_INTERVENTION", "No intervention"
    OTHER = "OTHER", "Other"


class InterventionType(models.TextChoices):
    BEHAVIORAL = "BEHAVIORAL", "Behavioral"
    BIOLOGICAL = "BIOLOGICAL", "Biological"
    COMBINATION_PRODUCT = "COMBINATION_PRODUCT", "Combination product"
    DEVICE = "DEVICE", "Device"
    DIAGNOSTIC_TEST = "DIAGNOSTIC_TEST", "Diagnostic test"
    DIETARY_SUPPLEMENT = "DIETARY_SUPPLEMENT", "Dietary supplement"
    DRUG = "DRUG", "Drug"
    GENETIC = "GENETIC", "Genetic"
    PROCEDURE = "PROCEDURE", "Procedure"
    RADIATION = "RADIATION", "Radiation"
    OTHER = "OTHER", "Other"


class ContactRole(models.TextChoices):
    CONTACT = "CONTACT", "Contact"
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", "Principal investigator"
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR", "Sub-investigator"
    STUDY_CHAIR = "STUDY_CHAIR", "Study chair"
    STUDY_DIRECTOR = "STUDY_DIRECTOR", "Study director"


class OfficialRole(models.TextChoices):
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR", "Principal investigator"
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR", "Sub-investigator"
    STUDY_CHAIR = "STUDY_CHAIR", "Study chair"
    STUDY_DIRECTOR = "STUDY_DIRECTOR", "Study director"


class OrgStudyIdType(models.TextChoices):
    NIH = "NIH", "U.S. NIH grant"
    FDA = "FDA", "U.S. FDA"
    VA = "VA", "U.S. Department of Veterans Affairs"
    CDC = "CDC", "U.S. CDC"
    AHRQ = "AHRQ", "U.S. AHRQ"
    SAMHSA = "SAMHSA", "U.S. SAMHSA"


class SecondaryIdType(models.TextChoices):
    NIH = "NIH", "U.S. NIH grant"
    FDA = "FDA", "U.S. FDA"
    VA = "VA", "U.S. Department of Veterans Affairs"
    CDC = "CDC", "U.S. CDC"
    AHRQ = "AHRQ", "U.S. AHRQ"
    SAMHSA = "SAMHSA", "U.S. SAMHSA"
    OTHER_GRANT = "OTHER_GRANT", "Other grant or funding number"
    EUDRACT_NUMBER = "EUDRACT_NUMBER", "EudraCT number"
    CTIS = "CTIS", "EU CT number (CTIS)"
    REGISTRY = "REGISTRY", "Other registry"
    OTHER = "OTHER", "Other identifier"


class OutcomeKind(models.TextChoices):
    """Which list of the outcomes module an outcome came from."""

    PRIMARY = "PRIMARY", "Primary"
    SECONDARY = "SECONDARY", "Secondary"
    OTHER = "OTHER", "Other pre-specified"


class ReferenceType(models.TextChoices):
    BACKGROUND = "BACKGROUND", "Background"
    RESULT = "RESULT", "Results"
    DERIVED = "DERIVED", "Derived from this trial"


class IpdSharing(models.TextChoices):
    YES = "YES", "Yes"
    NO = "NO", "No"
    UNDECIDED = "UNDECIDED", "Undecided"


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
    CONFIDENCE_80 = "CONFIDENCE_80", _("80% confidence interval")
    CONFIDENCE_90 = "CONFIDENCE_90", _("90% confidence interval")
    CONFIDENCE_95 = "CONFIDENCE_95", _("95% confidence interval")
    CONFIDENCE_975 = "CONFIDENCE_975", _("97.5% confidence interval")
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
