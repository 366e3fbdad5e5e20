"""The rows of a trial that imports write (and curators may add): arms, interventions, sites,
contacts, publications, outcomes, identifiers, people, links, and what a source page adds (a
participant timeline, related trials, notes)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ..vocabularies import (
    AgencyClass,
    ArmGroupType,
    ContactRole,
    InterventionType,
    OfficialRole,
    OutcomeKind,
    RecruitmentStatus,
    ReferenceType,
    SecondaryIdType,
    Status,
)
from .managers import SiteQuerySet
from .trial import Trial, doi_validator, nct_id_validator


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
            # "Near": the bounding box around a place, before the exact distance. With the trial
            # and the site's status beside the key (PostgreSQL; SQLite keeps the key only), a
            # "near" search reads the sites in reach from the index alone, never the table.
            models.Index(
                fields=["latitude", "longitude"],
                include=["trial", "status"],
                name="site_location_idx",
            ),
        ]

    def __str__(self):
        place = ", ".join(part for part in (self.city, self.state, self.country) if part)
        return f"{self.facility} ({place})" if self.facility else place

    @property
    def latest_confirmation(self):
        """What the site last told our staff (confirmations come latest first), or None. Reads
        the prefetched confirmations where the trial page prefetched them."""
        return next(iter(self.confirmations.all()), None)


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
    # Checked when a curator types one (admin/forms.py PublicationForm), not here: a registry
    # record may carry a reference number that is not a PubMed ID, kept as given, and a curator
    # must still be able to save the trial around it.
    pmid = models.CharField("PubMed ID", max_length=20, blank=True)
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

    @property
    def pubmed_url(self):
        """PubMed's page for the paper; none for an ID that is not a PubMed number (a record may
        carry one as given, and a link made of it would lead nowhere)."""
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid.isdigit() else ""


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
