"""The trial, shaped on the ClinicalTrials.gov API v2 study record.

Registry fields keep the registry's names (snake_case) and vocabularies (trials/vocabularies.py), so
a record imports without loss; `source_record` keeps the record as it came, for audit. Fields under
"Curation" are written by curators and never by the registry.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from .. import status
from ..parsing import ValueProblem, minimum_above_maximum, parse_age, say_age
from ..vocabularies import (
    OPEN_STATUSES,
    AgencyClass,
    Allocation,
    DatePrecision,
    DateType,
    EnrollmentType,
    InterventionModel,
    IpdSharing,
    Masking,
    ObservationalModel,
    OrgStudyIdType,
    Phase,
    PrimaryPurpose,
    ResponsiblePartyType,
    SamplingMethod,
    Sex,
    Status,
    StudyType,
    TimePerspective,
)
from .attributes import AttributeState
from .choices import PublicationState, SourceFormat
from .managers import TrialQuerySet

NCT_ID_PATTERN = r"^NCT\d{8}$"
nct_id_validator = RegexValidator(
    NCT_ID_PATTERN, "An NCT ID is NCT followed by 8 digits, e.g. NCT02013167."
)
pmid_validator = RegexValidator(r"^\d+$", "A PubMed ID is digits only, e.g. 29186539.")
doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    'A DOI starts with "10." and has a slash, e.g. 10.1056/NEJMoa1609783 '
    '(leave out "doi:" and "https://doi.org/").',
)


# What curators write for patients, in plain words; imports never change these once written (a
# hand-transcribed record's `portal` section fills them while they are empty).
PATIENT_TEXT_FIELDS = (
    "plain_title",
    "plain_summary",
    "plain_eligibility",
    "participation_involves",
    "status_note",
    "source_description",
    "public_note",
)
CURATED_TEXT_FIELDS = (*PATIENT_TEXT_FIELDS, "curation_note")
# Those curators also write in Spanish and Chinese (trials/translation.py): a column per language.
TRANSLATED_FIELDS = (
    "plain_title",
    "plain_summary",
    "plain_eligibility",
    "participation_involves",
    "public_note",
)

# The columns rebuilt from the trial and its rows (trials/search/columns.py), never typed: the
# searchable text, grouped by weight, and what a result card shows of the sites and interventions.
SEARCH_COLUMNS = ("search_primary", "search_secondary", "search_tertiary", "search_other")
DERIVED_COLUMNS = (*SEARCH_COLUMNS, "site_count", "site_countries", "intervention_types")


class Trial(models.Model):
    # Identification
    nct_id = models.CharField(
        "NCT ID",
        max_length=11,
        unique=True,
        validators=[nct_id_validator],
        help_text="The ClinicalTrials.gov identifier: NCT followed by 8 digits.",
    )
    nct_id_aliases = models.JSONField(
        "Other NCT IDs", default=list, blank=True, help_text="Older NCT IDs merged into this one."
    )
    brief_title = models.TextField(blank=True)
    official_title = models.TextField(blank=True)
    acronym = models.CharField(max_length=100, blank=True)
    org_study_id = models.CharField("Organization's study ID", max_length=200, blank=True)
    org_study_id_type = models.CharField(max_length=20, choices=OrgStudyIdType.choices, blank=True)
    org_study_id_link = models.URLField(max_length=500, blank=True)
    organization_name = models.CharField(
        max_length=300, blank=True, help_text="The organization that registered the trial."
    )
    organization_class = models.CharField(max_length=20, choices=AgencyClass.choices, blank=True)

    # Status
    overall_status = models.CharField(
        max_length=30,
        choices=Status.choices,
        blank=True,
        help_text="The trial's recruitment status. Each site has its own status too.",
    )
    last_known_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    why_stopped = models.TextField(blank=True)
    status_verified_date = models.DateField(null=True, blank=True)
    status_verified_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True
    )
    start_date = models.DateField(null=True, blank=True)
    start_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    start_date_type = models.CharField(max_length=20, choices=DateType.choices, blank=True)
    primary_completion_date = models.DateField(null=True, blank=True)
    primary_completion_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True
    )
    primary_completion_date_type = models.CharField(
        max_length=20, choices=DateType.choices, blank=True
    )
    completion_date = models.DateField(null=True, blank=True)
    completion_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True
    )
    completion_date_type = models.CharField(max_length=20, choices=DateType.choices, blank=True)
    study_first_submit_date = models.DateField(null=True, blank=True)
    study_first_post_date = models.DateField("First posted", null=True, blank=True)
    study_first_post_date_type = models.CharField(
        max_length=20, choices=DateType.choices, blank=True
    )
    results_first_submit_date = models.DateField(null=True, blank=True)
    results_first_post_date = models.DateField("Results first posted", null=True, blank=True)
    results_first_post_date_type = models.CharField(
        max_length=20, choices=DateType.choices, blank=True
    )
    last_update_submit_date = models.DateField(null=True, blank=True)
    last_update_post_date = models.DateField("Last update posted", null=True, blank=True)
    last_update_post_date_type = models.CharField(
        max_length=20, choices=DateType.choices, blank=True
    )

    # Sponsors and responsibility
    lead_sponsor_name = models.CharField(max_length=300, blank=True)
    lead_sponsor_class = models.CharField(
        max_length=20,
        choices=AgencyClass.choices,
        blank=True,
        help_text="Industry, NIH, other government, other...",
    )
    responsible_party_type = models.CharField(
        max_length=30, choices=ResponsiblePartyType.choices, blank=True
    )
    responsible_party_investigator_name = models.CharField(max_length=300, blank=True)
    responsible_party_investigator_title = models.CharField(max_length=300, blank=True)
    responsible_party_investigator_affiliation = models.CharField(max_length=300, blank=True)
    responsible_party_old_name_title = models.CharField(max_length=300, blank=True)
    responsible_party_old_organization = models.CharField(max_length=300, blank=True)

    # Oversight (unknown when empty)
    oversight_has_dmc = models.BooleanField(
        "Has a data monitoring committee", null=True, blank=True
    )
    is_fda_regulated_drug = models.BooleanField(
        "Studies a U.S. FDA-regulated drug", null=True, blank=True
    )
    is_fda_regulated_device = models.BooleanField(
        "Studies a U.S. FDA-regulated device", null=True, blank=True
    )
    is_unapproved_device = models.BooleanField(null=True, blank=True)
    is_ppsd = models.BooleanField(
        "Pediatric postmarket surveillance of a device", null=True, blank=True
    )
    is_us_export = models.BooleanField(
        "Product manufactured in and exported from the U.S.", null=True, blank=True
    )

    # Description
    brief_summary = models.TextField(blank=True)
    detailed_description = models.TextField(blank=True)

    # Conditions
    conditions = models.JSONField(default=list, blank=True, help_text="A list of conditions.")
    keywords = models.JSONField(default=list, blank=True, help_text="A list of keywords.")

    # Design
    study_type = models.CharField(max_length=20, choices=StudyType.choices, blank=True)
    phases = models.JSONField(
        default=list,
        blank=True,
        help_text='A list of registry phases, e.g. ["PHASE2", "PHASE3"]: a trial can be in two.',
    )
    allocation = models.CharField(max_length=20, choices=Allocation.choices, blank=True)
    intervention_model = models.CharField(
        max_length=20, choices=InterventionModel.choices, blank=True
    )
    intervention_model_description = models.TextField(blank=True)
    primary_purpose = models.CharField(max_length=30, choices=PrimaryPurpose.choices, blank=True)
    observational_model = models.CharField(
        max_length=30, choices=ObservationalModel.choices, blank=True
    )
    time_perspective = models.CharField(max_length=20, choices=TimePerspective.choices, blank=True)
    masking = models.CharField(max_length=20, choices=Masking.choices, blank=True)
    masking_description = models.TextField(blank=True)
    who_masked = models.JSONField(default=list, blank=True)
    enrollment_count = models.PositiveIntegerField(null=True, blank=True)
    enrollment_type = models.CharField(
        max_length=20,
        choices=EnrollmentType.choices,
        blank=True,
        help_text="Actual (people enrolled) or estimated (people the trial plans to enrol).",
    )
    patient_registry = models.BooleanField(null=True, blank=True)
    target_duration = models.CharField(max_length=50, blank=True)

    # Eligibility
    eligibility_criteria = models.TextField(blank=True)
    healthy_volunteers = models.BooleanField("Accepts healthy volunteers", null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    gender_based = models.BooleanField(null=True, blank=True)
    gender_description = models.TextField(blank=True)
    minimum_age = models.CharField(
        max_length=50,
        blank=True,
        help_text='As the registry gives it, e.g. "1 Month". Empty: no lower limit.',
    )
    minimum_age_years = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="The minimum age in years, for searches. Empty: no lower limit.",
    )
    maximum_age = models.CharField(
        max_length=50,
        blank=True,
        help_text='As the registry gives it, e.g. "18 Years". Empty: no upper limit.',
    )
    maximum_age_years_exclusive = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=(
            "The age in years at which a person becomes too old, for searches: the registry counts "
            'a maximum as a completed age, so "18 Years" admits anyone under 19. '
            "Empty: no upper limit."
        ),
    )
    std_ages = models.JSONField(
        "Age groups",
        default=list,
        blank=True,
        help_text='Registry age groups: "CHILD", "ADULT", "OLDER_ADULT".',
    )
    study_population = models.TextField(blank=True)
    sampling_method = models.CharField(max_length=30, choices=SamplingMethod.choices, blank=True)

    # Data sharing
    ipd_sharing = models.CharField(
        "Shares individual participant data", max_length=20, choices=IpdSharing.choices, blank=True
    )
    ipd_sharing_description = models.TextField(blank=True)
    ipd_sharing_info_types = models.JSONField(default=list, blank=True)
    ipd_sharing_time_frame = models.TextField(blank=True)
    ipd_sharing_access_criteria = models.TextField(blank=True)
    ipd_sharing_url = models.URLField(max_length=500, blank=True)

    # Derived by the registry (MeSH terms)
    condition_meshes = models.JSONField(default=list, blank=True)
    condition_ancestors = models.JSONField(default=list, blank=True)
    intervention_meshes = models.JSONField(default=list, blank=True)
    intervention_ancestors = models.JSONField(default=list, blank=True)

    has_expanded_access = models.BooleanField(
        "Expanded access available",
        null=True,
        blank=True,
        help_text="Whether the drug can be had outside the trial (expanded access).",
    )
    has_results = models.BooleanField(
        "Results posted", null=True, blank=True, help_text="Whether the registry holds results."
    )

    # Where the record came from
    source_format = models.CharField(max_length=20, choices=SourceFormat.choices, blank=True)
    source_name = models.CharField(
        max_length=500,
        blank=True,
        help_text="The file or address the record was last imported from.",
    )
    source_record = models.TextField(
        blank=True, help_text="The registry record exactly as last imported, kept for audit."
    )
    source_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of the imported values: an unchanged record is not rewritten.",
    )
    source_text_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of the record's text as imported, and of the code that read it: "
        "the same record again is skipped before it is read.",
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    import_warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="What the last import could not place or did not recognise.",
    )
    import_changes = models.JSONField(
        "What the latest import changed",
        default=list,
        blank=True,
        help_text=(
            "Field by field, what the latest import that changed this trial found different "
            "from the import before it, including registry changes a curator's correction kept out."
        ),
    )

    # Search: rebuilt from the fields above by trials.search.columns.refresh_search_fields
    search_primary = models.TextField(blank=True, editable=False)
    search_secondary = models.TextField(blank=True, editable=False)
    search_tertiary = models.TextField(blank=True, editable=False)
    search_other = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # filled on PostgreSQL only
    site_count = models.PositiveIntegerField(default=0, editable=False)
    site_countries = models.JSONField(default=list, blank=True, editable=False)
    # The types of its interventions, kept on the trial like its countries: the list pages filter
    # and count them without joining the interventions.
    intervention_types = models.JSONField(default=list, blank=True, editable=False)

    # Curation: written by curators, never overwritten by an import
    publication_state = models.CharField(
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        help_text="Only published trials appear on the public site.",
    )
    plain_title = models.CharField(
        "Plain-language title",
        max_length=300,
        blank=True,
        default="",  # and so each language's column (trials/translation.py): never NULL
        help_text="A short title in everyday words.",
    )
    plain_summary = models.TextField(
        "Plain-language summary",
        blank=True,
        default="",
        help_text="What the trial is about, for patients and families.",
    )
    plain_eligibility = models.TextField(
        "Who can join, in plain words",
        blank=True,
        default="",
        help_text="The key eligibility points in everyday words.",
    )
    participation_involves = models.TextField(
        "What taking part involves",
        blank=True,
        default="",
        help_text="Visits, treatment, tests and time, in plain words.",
    )
    status_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "What a source says of recruitment when it gives no registry status, "
            'e.g. "Not currently recruiting".'
        ),
    )
    source_description = models.TextField(
        "Source",
        blank=True,
        help_text="Where this record's facts come from, shown on the trial page.",
    )
    curation_note = models.TextField(
        blank=True,
        help_text="For curators only, never shown on the public site: why values differ from a "
        "source, what a source did not say.",
    )
    public_note = models.CharField(
        "Public note",
        max_length=400,
        blank=True,
        default="",
        help_text='A short note for families, shown on the trial page under "Notes from our '
        'curators". Plain words; nothing internal.',
    )
    last_checked = models.DateField("Last checked by a curator", null=True, blank=True)

    # Curated attributes (trials/models/attributes.py): what decides whether the trial fits a
    # patient. Lists of vocabulary values, like site_countries; an empty list means "not stated".
    # The import suggests them (state "suggested"); a curator confirms them (admin).
    diagnoses = models.JSONField(
        default=list, blank=True, help_text="The diseases the trial takes. Empty: not stated."
    )
    disease_settings = models.JSONField(
        default=list,
        blank=True,
        help_text="Where the disease stands for those it takes. Empty: not stated.",
    )
    ph_statuses = models.JSONField(
        "Ph statuses",
        default=list,
        blank=True,
        help_text="The Philadelphia chromosome statuses the trial takes. Empty: not stated.",
    )
    populations = models.JSONField(
        default=list,
        blank=True,
        help_text="The age groups the age limits overlap; correct them where the record says "
        "more. Empty: not stated.",
    )
    blinatumomab_roles = models.JSONField(
        "Blinatumomab's roles",
        default=list,
        blank=True,
        help_text="How blinatumomab is used in the trial. Empty: not stated.",
    )
    blinatumomab_routes = models.JSONField(
        "Blinatumomab's routes",
        default=list,
        blank=True,
        help_text="How blinatumomab is given. Empty: not stated.",
    )
    attributes_state = models.CharField(
        "State of the attributes",
        max_length=20,
        choices=AttributeState.choices,
        blank=True,
        help_text="Suggested by the import until a curator confirms them; empty: never suggested.",
    )
    attributes_confirmed_by = models.CharField(
        "Attributes confirmed by",
        max_length=150,
        blank=True,
        help_text="The curator who confirmed the attributes (username).",
    )
    attributes_confirmed_on = models.DateField("Attributes confirmed on", null=True, blank=True)
    attributes_evidence = models.JSONField(
        "Evidence for the attributes",
        default=dict,
        blank=True,
        help_text="Attribute name -> the record's own words the value rests on.",
    )
    is_synthetic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made up for tests or benchmarks (generate_trials): never a real trial.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Moves on with every save: a curator's form opened before the latest save is "
        "refused rather than overwriting it (admin/locking.py).",
    )

    objects = TrialQuerySet.as_manager()
    # Every change by a curator or an import. Left out: what is rebuilt from the other fields (the
    # search columns, the import's fingerprint and diff) and the stored record (the import's copy).
    history = HistoricalRecords(
        excluded_fields=[
            *DERIVED_COLUMNS,
            "search_vector",
            "source_record",
            "source_digest",
            "source_text_digest",
            "import_changes",
        ]
    )

    class Meta:
        ordering = ["nct_id"]
        permissions = [("publish_trial", "Can publish and withdraw trials")]
        indexes = [
            # The public lists and their facet counts read these columns of every published
            # trial that matches: kept beside the key, they are read from the index alone
            # (PostgreSQL's index-only scan) instead of from the wide rows. SQLite keeps the key.
            models.Index(
                fields=["publication_state", "overall_status"],
                include=[
                    "id",
                    "is_synthetic",
                    "study_type",
                    "lead_sponsor_class",
                    "phases",
                    "std_ages",
                    "sex",
                    "healthy_volunteers",
                    "has_results",
                    "minimum_age_years",
                    "maximum_age_years_exclusive",
                    "site_countries",
                    "intervention_types",
                    "start_date",
                    "last_update_post_date",
                    # The curated attributes' filters and facets (trials/listing/filters.py).
                    "diagnoses",
                    "disease_settings",
                    "ph_statuses",
                    "populations",
                    "blinatumomab_roles",
                    "blinatumomab_routes",
                ],
                name="trial_public_columns_idx",
            ),
            # PostgreSQL also has one index per sort of the list, in the sort's own order, so a
            # page (even page 200) is read off an index rather than sorted from every match:
            # migration 0010 (SQLite cannot index NULLS LAST, and needs no such help).
            # Age filter: "eligible at this age".
            models.Index(
                fields=["minimum_age_years", "maximum_age_years_exclusive"], name="trial_age_idx"
            ),
        ]
        constraints = [
            # Made-up trials must never reach the public site.
            models.CheckConstraint(
                condition=~Q(is_synthetic=True, publication_state="PUBLISHED"),
                name="synthetic_trials_are_never_published",
            ),
        ]

    def __str__(self):
        return f"{self.nct_id}: {self.brief_title}" if self.brief_title else self.nct_id

    def save(self, *args, **kwargs):
        # Optimistic locking: every write of a trial (a curator's form, an import, publishing,
        # a check, a revert) goes through here, so each one moves the version on. From the stored
        # version, not this copy's: a revert saves an old copy, and a number must never repeat.
        if self.pk is not None:
            stored = Trial.objects.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = max(self.version, stored or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], "version"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trials:detail", args=[self.nct_id])

    def clean(self):
        """What a curator's edit must not break; each message names the field to fix."""
        errors = {}
        if self.is_synthetic and self.publication_state == PublicationState.PUBLISHED:
            errors["publication_state"] = (
                "This trial is made up (synthetic): it can never be published."
            )
        for earlier, later in DATE_ORDER:
            first, then = getattr(self, earlier), getattr(self, later)
            if first and then and first > then and later not in errors:
                name_first = self._meta.get_field(earlier).verbose_name
                name_then = self._meta.get_field(later).verbose_name
                errors[later] = (
                    f"The {name_then} ({then.isoformat()}) is before "
                    f"the {name_first} ({first.isoformat()})."
                )
        errors.update(self.age_errors())
        if errors:
            raise ValidationError(errors)

    def age_errors(self):
        errors = {}
        for name in ("minimum_age", "maximum_age"):
            try:
                parse_age(getattr(self, name))
            except ValueProblem:
                errors[name] = (
                    'Write an age as a number and a unit, e.g. "18 Years" or "6 Months"; '
                    "leave it empty for no limit."
                )
        if not errors and minimum_above_maximum(self.minimum_age, self.maximum_age):
            errors["minimum_age"] = (
                f"The minimum age ({self.minimum_age}) is above "
                f"the maximum age ({self.maximum_age})."
            )
        return errors

    @property
    def title(self):
        # The English plain title, whatever the page's language: a translation is shown only once
        # reviewed, where the page asks for it (trials/translations.py).
        return self.plain_title_en or self.brief_title or self.official_title or self.nct_id

    @property
    def registry_url(self):
        return f"https://clinicaltrials.gov/study/{self.nct_id}"

    @property
    def phase_labels(self):
        return [str(Phase(p).label) if p in Phase.values else p for p in self.phases]

    @property
    def age_range(self):
        """The registry's age limits in words: "1 month to 18 years", "18 years and over"."""
        low, high = say_age(self.minimum_age), say_age(self.maximum_age)
        if low and high:
            return _("%(low)s to %(high)s") % {"low": low, "high": high}
        if low:
            return _("%(low)s and over") % {"low": low}
        if high:
            return _("up to %(high)s") % {"high": high}
        return _("any age")

    # What families read of the status and dates: trials/status.py says each once; these pass
    # it the trial and today's date.

    @property
    def status_words(self):
        return status.status_words(self.overall_status, self.status_note)

    @property
    def status_badge(self):
        """The status in a few plain words: "Recruiting", "Stopped early", and "Recruiting as of
        July 2020" when an old record says it."""
        return status.dated_badge(status.Dates.of(self), timezone.localdate(), self.status_note)

    @property
    def status_as_of(self):
        """ "as of July 2020" when the status is an old record's word for the present, or ""."""
        return status.as_of(status.Dates.of(self), timezone.localdate())

    @property
    def status_look(self):
        """The standing the badge and headline are drawn in: an old record's "open" is not
        drawn as open (status_as_of)."""
        return status.Standing.UNCERTAIN if self.status_as_of else self.status_words.standing

    @property
    def status_headline(self):
        return status.headline(
            self.overall_status,
            status_note=self.status_note,
            why_stopped=self.why_stopped,
            as_of=self.status_as_of,
        )

    @property
    def status_headline_html(self):
        """The headline for the page: the registry's reason for stopping marked as English."""
        return status.headline(
            self.overall_status,
            status_note=self.status_note,
            why_stopped=self.why_stopped,
            as_of=self.status_as_of,
            as_html=True,
        )

    @property
    def contact_note(self):
        return status.CONTACT_NOTES.get(self.status_words.standing, "")

    @property
    def staleness(self):
        return status.staleness(status.Dates.of(self), timezone.localdate())

    def date_words(self, name):
        return status.date_words(
            name,
            getattr(self, name),
            getattr(self, f"{name}_precision"),
            getattr(self, f"{name}_type"),
            timezone.localdate(),
        )

    @property
    def is_open(self):
        return self.overall_status in OPEN_STATUSES


# Dates that must come in this order (the earlier first); a curator's edit is checked against it.
DATE_ORDER = [
    ("start_date", "primary_completion_date"),
    ("start_date", "completion_date"),
    ("primary_completion_date", "completion_date"),
]
