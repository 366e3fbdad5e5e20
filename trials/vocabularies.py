"""The registry's vocabularies, named and valued as in the ClinicalTrials.gov API v2 schema (2.0.5).

Labels are the words a patient reads. The registry adds values over time: a value not listed here is
still stored as given (CharField choices are not enforced by the database) and the importer reports
it as a warning, so nothing a record says is lost.
"""

from django.db import models


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
