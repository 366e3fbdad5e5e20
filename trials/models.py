"""Trials and what belongs to them, shaped on the ClinicalTrials.gov API v2 study record.

Registry fields keep the registry's names (snake_case) and vocabularies (trials/vocabularies.py), so
a record imports without loss; `source_record` keeps the record as it came, for audit. Fields under
"Curation" are written by curators and never by the registry.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import ASin, Cos, Floor, Least, Power, Radians, Sin, Sqrt
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import lookups  # noqa: F401  (registers the has_item lookup used by the querysets)
from .vocabularies import (
    OPEN_STATUSES,
    AgencyClass,
    Allocation,
    ArmGroupType,
    ContactRole,
    DatePrecision,
    DateType,
    EnrollmentType,
    InterventionModel,
    InterventionType,
    IpdSharing,
    Masking,
    ObservationalModel,
    OfficialRole,
    OrgStudyIdType,
    OutcomeKind,
    PrimaryPurpose,
    RecruitmentStatus,
    ReferenceType,
    ResponsiblePartyType,
    SamplingMethod,
    SecondaryIdType,
    Sex,
    Status,
    StudyType,
    TimePerspective,
)

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


class PublicationState(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    PUBLISHED = "PUBLISHED", "Published"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


class SourceFormat(models.TextChoices):
    API_V2_JSON = "API_V2_JSON", "ClinicalTrials.gov API v2 JSON"
    LEGACY_XML = "LEGACY_XML", "Legacy ClinicalTrials.gov XML"


# 0 for a trial a patient may still join, 1 for the rest: the first key of the default sort. An
# index on PostgreSQL holds the same expression, so that the sort is read from it (migration 0010).
OPEN_FIRST = models.Case(
    models.When(overall_status__in=OPEN_STATUSES, then=models.Value(0)),
    default=models.Value(1),
)

EARTH_RADIUS_KM = 6371.0088
DISTANCE_BAND_KM = 25


def distance_km(latitude, longitude, sites=""):
    """An expression for a site's great-circle distance in km from a point (haversine), the same
    on SQLite and PostgreSQL. `sites`: the path to the sites ("sites__" from a trial)."""
    lat1, lon1 = Radians(models.Value(latitude)), Radians(models.Value(longitude))
    lat2, lon2 = Radians(F(f"{sites}latitude")), Radians(F(f"{sites}longitude"))
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lon2 - lon1) / 2), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(Least(a, models.Value(1.0))))


def sites_within(latitude, longitude, km):
    """Sites within `km` of a point: a bounding box first (indexed), then the true distance."""
    from .geo import bounding_box

    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
    return (
        Site.objects.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        .annotate(distance=distance_km(latitude, longitude))
        .filter(distance__lte=km)
    )


# What a result card shows of a trial (TrialQuerySet.for_cards). A field left out here and read by
# the card costs a query per card: tests/test_search.py counts the queries of a results page.
CARD_FIELDS = [
    "nct_id",
    "brief_title",
    "official_title",
    "plain_title",
    "acronym",
    "overall_status",
    "status_note",
    "phases",
    "minimum_age",
    "maximum_age",
    "sex",
    "conditions",
    "lead_sponsor_name",
    "site_count",
    "site_countries",
    "last_update_post_date",
    "last_update_post_date_type",
    "publication_state",
    "is_synthetic",
]
# The excerpt of a text search: PostgreSQL makes it in the query, elsewhere search.excerpt does.
EXCERPT_FIELDS = ["plain_summary", "brief_summary"]


class TrialQuerySet(models.QuerySet):
    def published(self):
        if settings.PORTAL_SHOW_SYNTHETIC:
            # A benchmark process (bench/settings.py): its database holds only synthetic trials,
            # which are never published, so they stand in for published ones. The same kind of
            # condition on the same column keeps the benchmark's query plans the public site's.
            return self.filter(publication_state=PublicationState.DRAFT, is_synthetic=True)
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def for_cards(self):
        """Only the columns a result card shows (templates/includes/trial_card.html): a list
        then reads and sorts narrow rows, not whole records with their long texts."""
        if connections[self.db].vendor == "postgresql":
            return self.only(*CARD_FIELDS)
        return self.only(*CARD_FIELDS, *EXCERPT_FIELDS)

    def open_to_enrolment(self):
        return self.filter(overall_status__in=OPEN_STATUSES)

    def in_phase(self, phase):
        """Trials whose phases include this one: a PHASE2/PHASE3 trial is in both."""
        return self.filter(phases__has_item=phase)

    def for_age_group(self, std_age):
        return self.filter(std_ages__has_item=std_age)

    def eligible_at_age(self, years):
        """Trials whose age limits admit someone this many years old; a missing bound is open."""
        return self.filter(
            Q(minimum_age_years__isnull=True) | Q(minimum_age_years__lte=years),
            Q(maximum_age_years_exclusive__isnull=True) | Q(maximum_age_years_exclusive__gt=years),
        )

    def within(self, latitude, longitude, km):
        """Trials with a site within `km` of a point: the sites in reach are found once (by the
        coordinates index), not looked up trial by trial."""
        return self.filter(pk__in=sites_within(latitude, longitude, km).values("trial_id"))

    def nearest_first(self, latitude, longitude, km):
        """Nearest first, in bands of DISTANCE_BAND_KM; within a band, trials with a site in
        reach that is recruiting, then trials open to enrolment, then the latest updated. Bands,
        because most site coordinates are city centres: a few km apart says little, while a site
        that is recruiting says a lot.

        The sites in reach are joined once and grouped by trial (not looked up again for each
        trial: at 500,000 trials, 17,000 trials near Boston took 3 lookups each)."""
        from .geo import bounding_box

        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
        site_km = distance_km(latitude, longitude, sites="sites__")
        site_is_open = models.Case(
            models.When(sites__status__in=OPEN_STATUSES, then=models.Value(1)),
            default=models.Value(0),
        )
        in_reach = self.filter(  # one filter() call: one join, which the aggregates read
            LessThanOrEqual(site_km, km),
            sites__latitude__range=(min_lat, max_lat),
            sites__longitude__range=(min_lon, max_lon),
        )
        return in_reach.annotate(
            nearest_km=Min(site_km),
            open_site_nearby=Max(site_is_open),
            band=Floor(F("nearest_km") / DISTANCE_BAND_KM),
            closed_rank=OPEN_FIRST,
        ).order_by(
            "band",
            F("open_site_nearby").desc(),
            "nearest_km",
            "closed_rank",
            F("last_update_post_date").desc(nulls_last=True),
            "nct_id",
        )

    def open_first(self):
        """Trials a patient may still join first, then the most recently updated."""
        return self.annotate(closed_rank=OPEN_FIRST).order_by(
            "closed_rank", F("last_update_post_date").desc(nulls_last=True), "nct_id"
        )

    def site_country_counts(self):
        """[(country, how many of these trials have a site there)], from each trial's list of
        site countries (a few per trial) rather than from the sites (millions at registry scale)."""
        connection = connections[self.db]  # the replica, when public reads go to one
        matched = self.order_by().values("site_countries")
        sql, params = matched.query.get_compiler(connection=connection).as_sql()
        if connection.vendor == "postgresql":
            each = "jsonb_array_elements_text(matched.site_countries) AS country(value)"
        else:
            each = "json_each(matched.site_countries) AS country"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT country.value, COUNT(*) FROM ({sql}) AS matched, {each} "
                "WHERE country.value <> '' GROUP BY country.value",
                params,
            )
            return cursor.fetchall()

    # What the curators' data quality page lists (trials/admin.py). Each reads as a problem to fix.

    def real(self):
        """Trials that are not made up (generate_trials makes synthetic ones)."""
        return self.filter(is_synthetic=False)

    def not_checked_since(self, day):
        """Never checked by a curator, or last checked before `day`."""
        return self.filter(Q(last_checked__isnull=True) | Q(last_checked__lt=day))

    def open_without_contact(self):
        """Open to enrolment, yet a patient finds nobody to ask: no central or site contact."""
        return self.open_to_enrolment().exclude(
            Exists(Contact.objects.filter(trial=OuterRef("pk")))
        )

    def with_unlocated_sites(self):
        return self.filter(Exists(Site.objects.unlocated().filter(trial=OuterRef("pk"))))

    def closed_with_open_sites(self):
        """Closed by the registry's overall status while a site still says it is recruiting."""
        return (
            self.exclude(overall_status="")
            .exclude(overall_status__in=OPEN_STATUSES)
            .filter(Exists(Site.objects.filter(trial=OuterRef("pk"), status__in=OPEN_STATUSES)))
        )

    def with_import_warnings(self):
        """The last import kept values it did not recognise, or could not place something."""
        return self.exclude(import_warnings=[])

    def awaiting_review(self):
        """Drafts: imported or added, not yet published by a curator."""
        return self.real().filter(publication_state=PublicationState.DRAFT)

    def with_problem_flags(self, *, checked_since):
        """Each trial annotated with one flag per problem, for the admin's list and filter."""
        open_sites = Site.objects.filter(trial=OuterRef("pk"), status__in=OPEN_STATUSES)
        closed = ~Q(overall_status="") & ~Q(overall_status__in=OPEN_STATUSES)
        flags = {
            "needs_check": Q(last_checked__isnull=True) | Q(last_checked__lt=checked_since),
            "no_contact": Q(overall_status__in=OPEN_STATUSES)
            & ~Q(Exists(Contact.objects.filter(trial=OuterRef("pk")))),
            "unlocated_sites": Q(Exists(Site.objects.unlocated().filter(trial=OuterRef("pk")))),
            "closed_open_sites": closed & Q(Exists(open_sites)),
            "has_warnings": ~Q(import_warnings=[]),
        }
        return self.annotate(
            **{
                name: models.ExpressionWrapper(condition, output_field=models.BooleanField())
                for name, condition in flags.items()
            }
        )


def date_fields(label, *, precision=True, type_=True):
    """A registry date as three columns: the date for queries, how much of it is known, and
    whether it is actual or estimated. A year-month date is stored as its first day with
    precision MONTH and is never shown with a day."""
    fields = {"date": models.DateField(f"{label}", null=True, blank=True)}
    if precision:
        fields["precision"] = models.CharField(
            f"{label}: precision",
            max_length=5,
            choices=DatePrecision.choices,
            blank=True,
            help_text="How much of the date the registry gives (year, month or day).",
        )
    if type_:
        fields["type"] = models.CharField(
            f"{label}: actual or estimated", max_length=20, choices=DateType.choices, blank=True
        )
    return fields


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

    # Search: rebuilt from the fields above by trials.search.refresh_search_fields
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
        help_text="A short title in everyday words.",
    )
    plain_summary = models.TextField(
        "Plain-language summary",
        blank=True,
        help_text="What the trial is about, for patients and families.",
    )
    plain_eligibility = models.TextField(
        "Who can join, in plain words",
        blank=True,
        help_text="The key eligibility points in everyday words.",
    )
    participation_involves = models.TextField(
        "What taking part involves",
        blank=True,
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
        blank=True, help_text="Why values differ from a source, what a source did not say."
    )
    last_checked = models.DateField("Last checked by a curator", null=True, blank=True)
    is_synthetic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made up for tests or benchmarks (generate_trials): never a real trial.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrialQuerySet.as_manager()
    # Every change by a curator or an import. Left out: what is rebuilt from the other fields (the
    # search columns, the import's fingerprint and diff) and the stored record (the import's copy).
    history = HistoricalRecords(
        excluded_fields=[
            "search_primary",
            "search_secondary",
            "search_tertiary",
            "search_other",
            "search_vector",
            "site_count",
            "site_countries",
            "intervention_types",
            "source_record",
            "source_digest",
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
        from .parsing import ValueProblem, parse_age

        ages = {}
        errors = {}
        for name in ("minimum_age", "maximum_age"):
            try:
                ages[name] = parse_age(getattr(self, name))
            except ValueProblem:
                errors[name] = (
                    'Write an age as a number and a unit, e.g. "18 Years" or "6 Months"; '
                    "leave it empty for no limit."
                )
        low, high = ages.get("minimum_age"), ages.get("maximum_age")
        if low and high and low[0] > high[0]:
            errors["minimum_age"] = (
                f"The minimum age ({self.minimum_age}) is above "
                f"the maximum age ({self.maximum_age})."
            )
        return errors

    @property
    def title(self):
        return self.plain_title or self.brief_title or self.official_title or self.nct_id

    @property
    def registry_url(self):
        return f"https://clinicaltrials.gov/study/{self.nct_id}"

    @property
    def phase_labels(self):
        from .vocabularies import Phase

        return [Phase(p).label if p in Phase.values else p for p in self.phases]

    @property
    def age_range(self):
        """The registry's age limits in words: "1 month to 18 years", "18 years and over"."""
        low, high = self.minimum_age.lower(), self.maximum_age.lower()
        if low and high:
            return f"{low} to {high}"
        if low:
            return f"{low} and over"
        if high:
            return f"up to {high}"
        return "any age"

    @property
    def status_badge(self):
        """The status in plain words: "Recruiting", "Not yet recruiting", "Closed: completed"."""
        if not self.overall_status:
            return self.status_note or "Status not stated"
        label = self.get_overall_status_display()
        return label if self.is_open else f"Closed: {label[0].lower()}{label[1:]}"

    @property
    def is_open(self):
        return self.overall_status in OPEN_STATUSES


# Dates that must come in this order (the earlier first); a curator's edit is checked against it.
DATE_ORDER = [
    ("start_date", "primary_completion_date"),
    ("start_date", "completion_date"),
    ("primary_completion_date", "completion_date"),
]


class RegistryRow(models.Model):
    """A row of a trial that imports write: an arm, a site, a contact...

    `registry_key` names the registry entry the row came from (a site by facility and place, an
    arm by label...), so a re-import updates the row in place, and a curator's correction to it
    (trials.Correction) survives. Rows a curator adds have no key, and imports leave them alone.
    """

    registry_key = models.TextField(
        blank=True,
        editable=False,
        help_text="Which registry entry this row came from; empty for rows a curator added.",
    )

    class Meta:
        abstract = True

    @property
    def from_registry(self):
        return bool(self.registry_key)


class Collaborator(RegistryRow):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="collaborators")
    name = models.CharField(max_length=300)
    agency_class = models.CharField("Class", max_length=20, choices=AgencyClass.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.name


class Official(RegistryRow):
    """An overall official: the investigators who lead the trial."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(max_length=300, blank=True)
    affiliation = models.CharField(max_length=500, blank=True)
    role = models.CharField(max_length=30, choices=OfficialRole.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.name


class SecondaryId(RegistryRow):
    """Another identifier of the trial: a EudraCT number, a grant, another registry's ID."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="secondary_ids")
    identifier = models.CharField(max_length=300)
    type = models.CharField(max_length=30, choices=SecondaryIdType.choices, blank=True)
    domain = models.CharField(max_length=300, blank=True, help_text="Who issued the identifier.")
    link = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]
        verbose_name = "secondary identifier"

    def __str__(self):
        return self.identifier


class Outcome(RegistryRow):
    """An outcome measure the trial planned: what it will measure, and when."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=10, choices=OutcomeKind.choices)
    measure = models.TextField()
    description = models.TextField(blank=True)
    time_frame = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.measure


class Intervention(RegistryRow):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="interventions")
    type = models.CharField(max_length=30, choices=InterventionType.choices, blank=True)
    name = models.CharField(max_length=500)
    description = models.TextField(
        blank=True, help_text="Dose and schedule as the registry gives them."
    )
    other_names = models.JSONField(
        default=list,
        blank=True,
        help_text='Brand and code names, e.g. ["Blincyto", "AMG 103", "MT103"].',
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]
        indexes = [
            # Related trials on the trial page: other trials with the same treatment.
            models.Index(fields=["name"], name="intervention_name_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()}: {self.name}" if self.type else self.name


class Arm(RegistryRow):
    """An arm (group) of the trial, linked to the interventions its participants receive."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="arms")
    label = models.CharField(max_length=500)
    type = models.CharField(max_length=30, choices=ArmGroupType.choices, blank=True)
    description = models.TextField(blank=True)
    interventions = models.ManyToManyField(Intervention, related_name="arms", blank=True)
    stated_intervention_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many interventions a source says this arm has, where it names fewer.",
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[interventions])

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.label


LATITUDE_RANGE = "A latitude is between -90 (South Pole) and 90 (North Pole)."
LONGITUDE_RANGE = "A longitude is between -180 and 180."


class SiteQuerySet(models.QuerySet):
    def unlocated(self):
        """Sites without coordinates: "near me" searches cannot find them."""
        return self.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))


class Site(RegistryRow):
    """A place where the trial runs. Its recruitment status is its own, not the trial's."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="sites")
    facility = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=30,
        choices=RecruitmentStatus.choices,
        blank=True,
        help_text="This site's own recruitment status; empty when the record gives none.",
    )
    city = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=200, blank=True)
    zip = models.CharField("Postal code", max_length=30, blank=True)
    country = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, LATITUDE_RANGE),
            MaxValueValidator(90, LATITUDE_RANGE),
        ],
        help_text="Degrees north (negative: south), e.g. 48.8566 for Paris.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, LONGITUDE_RANGE),
            MaxValueValidator(180, LONGITUDE_RANGE),
        ],
        help_text="Degrees east (negative: west), e.g. 2.3522 for Paris.",
    )
    coordinates_approximate = models.BooleanField(
        default=False,
        help_text="The coordinates are the city's, looked up by the portal, not the registry's.",
    )
    order = models.PositiveIntegerField(default=0)

    objects = SiteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]
        indexes = [
            # Country and city filters on the search page.
            models.Index(fields=["country", "city"], name="site_country_city_idx"),
            # "Near": the bounding box around a place, before the exact distance.
            models.Index(fields=["latitude", "longitude"], name="site_coordinates_idx"),
        ]

    def __str__(self):
        place = ", ".join(part for part in (self.city, self.state, self.country) if part)
        return f"{self.facility} ({place})" if self.facility else place


class Contact(RegistryRow):
    """A person to contact: for the whole trial (central) or for one site."""

    class Kind(models.TextChoices):
        CENTRAL = "CENTRAL", "Central contact"
        SITE = "SITE", "Site contact"

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="contacts")
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        related_name="contacts",
        null=True,
        blank=True,
        help_text=(
            "Empty for central contacts, and for site contacts whose source "
            "does not say which site."
        ),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=300, blank=True)
    role = models.CharField(
        max_length=30, blank=True, help_text="The registry's role, or the source's word for it."
    )
    phone = models.CharField(max_length=100, blank=True)
    phone_ext = models.CharField("Phone extension", max_length=30, blank=True)
    email = models.EmailField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "kind", "order"]

    def __str__(self):
        return self.name or self.email or self.phone

    @property
    def role_label(self):
        return ContactRole(self.role).label if self.role in ContactRole.values else self.role


class Publication(RegistryRow):
    """A paper about or behind the trial: the registry's references, and papers a source cites."""

    class Origin(models.TextChoices):
        REGISTRY = "REGISTRY", "Registry reference"
        CURATED = "CURATED", "Cited by a source page or a curator"

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="publications")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.REGISTRY)
    reference_type = models.CharField(max_length=20, choices=ReferenceType.choices, blank=True)
    citation = models.TextField()
    pmid = models.CharField("PubMed ID", max_length=20, blank=True, validators=[pmid_validator])
    doi = models.CharField(
        "DOI",
        max_length=300,
        blank=True,
        validators=[doi_validator],
        help_text="As found in the citation, e.g. 10.1056/NEJMoa1609783.",
    )
    url = models.URLField(max_length=500, blank=True)
    summary = models.TextField(blank=True, help_text="What the paper found, in plain words.")
    retractions = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "origin", "order"]

    def __str__(self):
        return self.citation[:80]


class Link(RegistryRow):
    """A web page the registry record points to ("see also")."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.label or self.url


class TimelineStep(RegistryRow):
    """One stage of a participant's path through the trial, as a patient-facing source tells it."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="timeline")
    stage = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    duration = models.CharField(max_length=100, blank=True)
    visits = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]
        verbose_name = "participant timeline step"

    def __str__(self):
        return self.stage


class RelatedTrial(RegistryRow):
    """Another trial a source names as related, which may or may not be in this portal."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="related_trials")
    nct_id = models.CharField("NCT ID", max_length=11, validators=[nct_id_validator])
    title = models.TextField(blank=True)
    overall_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    phases = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "order"]

    def __str__(self):
        return self.nct_id


class TrialNote(RegistryRow):
    """A short, sourced piece of plain-language information about a trial."""

    class Kind(models.TextChoices):
        HIGHLIGHT = "HIGHLIGHT", "Highlight"
        QUESTION = "QUESTION", "Question and answer"
        SPONSOR = "SPONSOR", "About the sponsor"

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    heading = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "kind", "order"]

    def __str__(self):
        return self.heading


class SearchTerm(models.Model):
    """A word from trial titles, conditions and interventions: what a misspelled search is
    corrected against (PostgreSQL trigram similarity, indexed in migration 0002)."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class GlossaryTerm(models.Model):
    """A word patients meet on trial pages, explained in plain language where it first appears."""

    term = models.CharField(max_length=100, unique=True, help_text='As shown, e.g. "Phase".')
    also_matches = models.JSONField(
        default=list,
        blank=True,
        help_text='Other forms that get the same explanation, e.g. ["phases", "Phase 2"].',
    )
    definition = models.TextField(help_text="One or two plain sentences; no medical advice.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class DrugApproval(models.Model):
    """Where a drug is approved, and under which brand name: shown on the pages of its trials."""

    drug = models.CharField(
        max_length=200, help_text='The drug\'s generic name, e.g. "Blinatumomab".'
    )
    jurisdiction = models.CharField(
        max_length=200, help_text='e.g. "European Union", "United States".'
    )
    brand_name = models.CharField(max_length=200, blank=True)
    indications = models.TextField(blank=True, help_text="What it is approved for, where known.")
    source = models.TextField(blank=True, help_text="Where this fact comes from.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["drug", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "jurisdiction"], name="one_approval_per_jurisdiction"
            ),
        ]

    def __str__(self):
        return f"{self.drug} in {self.jurisdiction}"


class Correction(models.Model):
    """A curator's correction of a registry value, which imports keep.

    The corrected value itself lives where it is shown (on the trial or on the row); this records
    that it is a correction, and what the registry says instead. An import leaves a corrected value
    alone, stores the registry's new value here and flags it when it changed, so curators can check
    whether the correction still holds. `field` is empty when a curator removed a registry row
    (a site that does not exist, a duplicated contact): imports then do not bring it back.
    Deleting a correction gives the field, or the row, back to the registry.
    """

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="corrections")
    part = models.CharField(
        "Part of the trial",
        max_length=30,
        help_text='"trial" for the trial\'s own fields, else the kind of row: "site", "contact"...',
    )
    registry_key = models.TextField(
        blank=True, help_text="Which row, as the registry names it; empty for the trial itself."
    )
    row_label = models.CharField(
        "Row", max_length=300, blank=True, help_text="The corrected row as curators know it."
    )
    field = models.CharField(
        max_length=60, blank=True, help_text="The corrected field; empty: the row was removed."
    )
    registry_value = models.JSONField(
        null=True, blank=True, help_text="What the registry says, as of the latest import."
    )
    registry_changed = models.BooleanField(
        "Registry changed since",
        default=False,
        help_text="The registry changed its value since the correction: does it still hold?",
    )
    in_registry = models.BooleanField(
        "Still in the registry",
        default=True,
        help_text="False when the latest import no longer has this row at all.",
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["trial", "part", "registry_key", "field"]
        constraints = [
            # One correction per field of a row: the importer looks them up by these four.
            models.UniqueConstraint(
                fields=["trial", "part", "registry_key", "field"], name="one_correction_per_field"
            ),
        ]

    def __str__(self):
        what = f"{self.part} {self.row_label}".strip() if self.registry_key else "trial"
        return f"{self.trial.nct_id}: {what}: {self.field or 'removed'}"

    @property
    def removes_row(self):
        return not self.field
