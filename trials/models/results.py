"""A trial's posted results, as the registry gives them, and the curators' lay summary of them.

The registry rows follow the API v2 `resultsSection` (its module and field names in each model's
docstring); a legacy XML record's `<clinical_results>` is turned into that shape first
(registry/legacy_results.py), so both formats land in the same rows. Values are kept as the
registry gives them, as text ("12.5", "NA", "<0.001"): nothing is parsed or rounded here, and
whoever draws a chart parses the numbers it needs. `position` keeps the record's order.

An import writes the results whole: a newer record replaces them all at once (registry/results.py),
so these rows carry no registry keys and no history. Curators do not edit them; they write the
`ResultsSummary`.

Read a trial's results with `load_results(trial)` (below): everything prefetched, in a fixed
number of queries however many outcomes, groups or events the trial has.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..vocabularies import (
    AgreementRestrictionType,
    AnalysisDispersionType,
    ConfidenceIntervalNumSides,
    EventAssessment,
    EventSeriousness,
    FlowStepKind,
    MeasureDispersionType,
    MeasureParam,
    NonInferiorityType,
    OutcomeMeasureType,
    ReportingStatus,
    SummaryLanguage,
)
from .trial import Trial

CODE = 60  # the length of a vocabulary value or a group id ("FG000", "OG001", "B3", "E2")


def code_field(choices=None, **options):
    return models.CharField(
        max_length=CODE, choices=choices.choices if choices else None, blank=True, **options
    )


class ResultGroup(models.Model):
    """What every group of the results has: its place in the record, its registry ID ("FG000",
    "P1") and its title and description. Each module keeps its own groups."""

    position = models.PositiveIntegerField()
    group_id = code_field()
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or self.group_id


class TrialResults(models.Model):
    """The results section of a trial's record: one per trial with posted results.

    Holds the modules' own values: participantFlowModule (recruitment and pre-assignment details),
    baselineCharacteristicsModule (population, and `baseline_denoms`: the numbers analysed per
    group), adverseEventsModule (time frame, description, frequency threshold) and moreInfoModule
    (limitations and caveats, certain agreements, point of contact). In legacy XML these are
    <participant_flow>, <baseline>, <reported_events>, <certain_agreements>, <point_of_contact>
    and <limitations_and_caveats> under <clinical_results>.
    """

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="results")
    digest = models.CharField(
        max_length=64, editable=False, help_text="A fingerprint of the results as imported."
    )

    flow_recruitment_details = models.TextField(blank=True)
    flow_pre_assignment_details = models.TextField(blank=True)
    flow_type_units_analyzed = models.TextField(blank=True)

    baseline_population_description = models.TextField(blank=True)
    baseline_type_units_analyzed = models.TextField(blank=True)
    baseline_denoms = models.JSONField(
        default=list,
        blank=True,
        help_text='Numbers analysed per group: [{"units": ..., "counts": [{"group_id": ..., '
        '"value": ...}]}], as the registry gives them.',
    )

    events_frequency_threshold = models.TextField(blank=True)
    events_time_frame = models.TextField(blank=True)
    events_description = models.TextField(blank=True)
    events_all_cause_mortality_comment = models.TextField(blank=True)

    limitations_and_caveats = models.TextField(blank=True)
    pi_sponsor_employee = models.BooleanField(null=True, blank=True)
    restrictive_agreement = models.BooleanField(null=True, blank=True)
    restriction_type = code_field(AgreementRestrictionType)
    agreement_other_details = models.TextField(blank=True)
    # Legacy XML states the agreements in sentences, where API v2 has the booleans above: kept.
    pi_employee_statement = models.TextField(blank=True)
    restrictive_agreement_statement = models.TextField(blank=True)

    contact_title = models.TextField(blank=True)
    contact_organization = models.TextField(blank=True)
    contact_email = models.TextField(blank=True)
    contact_phone = models.TextField(blank=True)
    contact_phone_ext = models.TextField(blank=True)

    class Meta:
        ordering = ["trial_id"]
        verbose_name = _("results")
        verbose_name_plural = _("results")

    def __str__(self):
        return _("Results of %(nct_id)s") % {"nct_id": self.trial.nct_id}


class FlowGroup(ResultGroup):
    """A group of the participant flow (participantFlowModule.groups; legacy
    <participant_flow><group_list><group group_id="P1">)."""

    results = models.ForeignKey(TrialResults, on_delete=models.CASCADE, related_name="flow_groups")

    class Meta:
        ordering = ["results_id", "position"]


class FlowPeriod(models.Model):
    """A period of the participant flow ("Overall Study"), with its milestones and the reasons
    people left (participantFlowModule.periods; legacy <period_list><period>)."""

    results = models.ForeignKey(TrialResults, on_delete=models.CASCADE, related_name="flow_periods")
    position = models.PositiveIntegerField()
    title = models.TextField(blank=True)

    class Meta:
        ordering = ["results_id", "position"]

    def __str__(self):
        return self.title


class FlowStep(models.Model):
    """A milestone of a period ("STARTED", "COMPLETED") or a reason people left it ("Adverse
    Event"): FlowPeriod.milestones and .dropWithdraws, told apart by `kind` (legacy <milestone>
    and <drop_withdraw_reason>, whose <title> is the `type` here)."""

    period = models.ForeignKey(FlowPeriod, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(help_text="The order within its kind.")
    kind = code_field(FlowStepKind)
    type = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["period_id", "kind", "position"]

    def __str__(self):
        return self.type


class FlowCount(models.Model):
    """How many people of one group reached a milestone or left for a reason (FlowStats:
    achievements or reasons; legacy <participants group_id="P1" count="134">comment</...>)."""

    step = models.ForeignKey(FlowStep, on_delete=models.CASCADE, related_name="counts")
    position = models.PositiveIntegerField()
    group_id = code_field()
    num_subjects = models.TextField(blank=True)
    num_units = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["step_id", "position"]

    def __str__(self):
        return f"{self.group_id}: {self.num_subjects}"


class BaselineGroup(ResultGroup):
    """A group of the baseline characteristics (baselineCharacteristicsModule.groups; legacy
    <baseline><group_list><group group_id="B1">), often with a last "Total" group."""

    results = models.ForeignKey(
        TrialResults, on_delete=models.CASCADE, related_name="baseline_groups"
    )

    class Meta:
        ordering = ["results_id", "position"]


class BaselineMeasure(models.Model):
    """A baseline characteristic (age, sex...): baselineCharacteristicsModule.measures; legacy
    <baseline><measure_list><measure>. Its numbers are in `classes`."""

    results = models.ForeignKey(
        TrialResults, on_delete=models.CASCADE, related_name="baseline_measures"
    )
    position = models.PositiveIntegerField()
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    population_description = models.TextField(blank=True)
    param_type = code_field(MeasureParam)
    dispersion_type = code_field(MeasureDispersionType)
    unit_of_measure = models.TextField(blank=True)
    calculate_pct = models.BooleanField(null=True, blank=True)
    denom_units_selected = models.TextField(blank=True)
    denoms = models.JSONField(
        default=list, blank=True, help_text="As TrialResults.baseline_denoms."
    )

    class Meta:
        ordering = ["results_id", "position"]

    def __str__(self):
        return self.title


class OutcomeMeasure(models.Model):
    """An outcome measure with its results: outcomeMeasuresModule.outcomeMeasures; legacy
    <outcome_list><outcome>, whose <measure> (units, param, dispersion, analysed counts, classes)
    is folded in as API v2 does. Its numbers are in `classes`, its statistics in `analyses`."""

    results = models.ForeignKey(TrialResults, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField()
    type = code_field(OutcomeMeasureType)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    population_description = models.TextField(blank=True)
    reporting_status = code_field(ReportingStatus)
    anticipated_posting_date = models.TextField(
        blank=True, help_text="As the registry gives it (a year and month, or a day)."
    )
    param_type = code_field(MeasureParam)
    dispersion_type = code_field(MeasureDispersionType)
    unit_of_measure = models.TextField(blank=True)
    calculate_pct = models.BooleanField(null=True, blank=True)
    time_frame = models.TextField(blank=True)
    type_units_analyzed = models.TextField(blank=True)
    denom_units_selected = models.TextField(blank=True)
    denoms = models.JSONField(
        default=list, blank=True, help_text="As TrialResults.baseline_denoms."
    )
    # Legacy XML words the outcome and its <measure> separately; kept where they differ.
    measure_title = models.TextField(blank=True)
    measure_description = models.TextField(blank=True)
    measure_population_description = models.TextField(blank=True)

    class Meta:
        ordering = ["results_id", "position"]

    def __str__(self):
        return self.title


class OutcomeGroup(ResultGroup):
    """A group of one outcome measure (OutcomeMeasure.groups; legacy <group group_id="O1">)."""

    outcome = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="groups")

    class Meta:
        ordering = ["outcome_id", "position"]


class MeasureClass(models.Model):
    """A class of a baseline or outcome measure (MeasureClass; legacy <class>), often untitled:
    one of `baseline_measure` and `outcome` is set."""

    baseline_measure = models.ForeignKey(
        BaselineMeasure, on_delete=models.CASCADE, null=True, blank=True, related_name="classes"
    )
    outcome = models.ForeignKey(
        OutcomeMeasure, on_delete=models.CASCADE, null=True, blank=True, related_name="classes"
    )
    position = models.PositiveIntegerField()
    title = models.TextField(blank=True)
    denoms = models.JSONField(
        default=list, blank=True, help_text="As TrialResults.baseline_denoms."
    )

    class Meta:
        ordering = ["baseline_measure_id", "outcome_id", "position"]
        constraints = [
            # A class belongs to exactly one measure: the import writes them, this keeps them sane.
            models.CheckConstraint(
                name="measure_class_has_one_measure",
                condition=models.Q(baseline_measure__isnull=True, outcome__isnull=False)
                | models.Q(baseline_measure__isnull=False, outcome__isnull=True),
            )
        ]
        verbose_name_plural = "measure classes"

    def __str__(self):
        return self.title


class MeasureCategory(models.Model):
    """A category of a class (MeasureCategory; legacy <category>), often untitled: "Female",
    "Male", or one row of numbers."""

    measure_class = models.ForeignKey(
        MeasureClass, on_delete=models.CASCADE, related_name="categories"
    )
    position = models.PositiveIntegerField()
    title = models.TextField(blank=True)

    class Meta:
        ordering = ["measure_class_id", "position"]
        verbose_name_plural = "measure categories"

    def __str__(self):
        return self.title


class Measurement(models.Model):
    """One group's number in a category (Measurement; legacy <measurement group_id= value=
    spread= lower_limit= upper_limit=>comment</measurement>), as text: "12.5", "NA"."""

    category = models.ForeignKey(
        MeasureCategory, on_delete=models.CASCADE, related_name="measurements"
    )
    position = models.PositiveIntegerField()
    group_id = code_field()
    value = models.TextField(blank=True)
    spread = models.TextField(blank=True)
    lower_limit = models.TextField(blank=True)
    upper_limit = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["category_id", "position"]

    def __str__(self):
        return f"{self.group_id}: {self.value}"


class OutcomeAnalysis(models.Model):
    """A statistical analysis of an outcome (MeasureAnalysis; legacy <analysis>): which groups it
    compares, the method, the p-value, the estimate and its confidence interval, as given."""

    outcome = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="analyses")
    position = models.PositiveIntegerField()
    group_ids = models.JSONField(default=list, blank=True)
    group_description = models.TextField(blank=True)
    param_type = models.TextField(blank=True, help_text='The estimate: "Hazard Ratio (HR)"...')
    param_value = models.TextField(blank=True)
    dispersion_type = code_field(AnalysisDispersionType)
    dispersion_value = models.TextField(blank=True)
    statistical_method = models.TextField(blank=True)
    statistical_comment = models.TextField(blank=True)
    p_value = models.TextField(blank=True)
    p_value_comment = models.TextField(blank=True)
    ci_num_sides = code_field(ConfidenceIntervalNumSides)
    ci_pct_value = models.TextField(blank=True)
    ci_lower_limit = models.TextField(blank=True)
    ci_upper_limit = models.TextField(blank=True)
    ci_lower_limit_comment = models.TextField(blank=True)
    ci_upper_limit_comment = models.TextField(blank=True)
    estimate_comment = models.TextField(blank=True)
    tested_non_inferiority = models.BooleanField(null=True, blank=True)
    non_inferiority_type = code_field(NonInferiorityType)
    non_inferiority_comment = models.TextField(blank=True)
    other_analysis_description = models.TextField(blank=True)

    class Meta:
        ordering = ["outcome_id", "position"]
        verbose_name_plural = "outcome analyses"

    def __str__(self):
        return self.statistical_method or self.param_type


class EventGroup(ResultGroup):
    """A group of the adverse events (adverseEventsModule.eventGroups; legacy <reported_events>
    <group_list><group group_id="E1">), with how many people died, had a serious or another
    adverse event, of how many at risk. Legacy XML gives the serious and other totals as a
    "Total" category of events; they are kept here, as API v2 keeps them."""

    results = models.ForeignKey(TrialResults, on_delete=models.CASCADE, related_name="event_groups")
    deaths_num_affected = models.PositiveIntegerField(null=True, blank=True)
    deaths_num_at_risk = models.PositiveIntegerField(null=True, blank=True)
    serious_num_affected = models.PositiveIntegerField(null=True, blank=True)
    serious_num_at_risk = models.PositiveIntegerField(null=True, blank=True)
    other_num_affected = models.PositiveIntegerField(null=True, blank=True)
    other_num_at_risk = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["results_id", "position"]


class AdverseEvent(models.Model):
    """A serious or other adverse event (adverseEventsModule.seriousEvents / otherEvents; legacy
    <serious_events> / <other_events>, an <event> under its organ system's <category>), with its
    per-group numbers in `stats`."""

    results = models.ForeignKey(
        TrialResults, on_delete=models.CASCADE, related_name="adverse_events"
    )
    seriousness = code_field(EventSeriousness)
    position = models.PositiveIntegerField(help_text="The order within its list.")
    term = models.TextField(blank=True)
    organ_system = models.TextField(blank=True)
    source_vocabulary = models.TextField(blank=True)
    assessment_type = code_field(EventAssessment)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["results_id", "seriousness", "position"]

    def __str__(self):
        return self.term


class EventStats(models.Model):
    """One group's numbers for an adverse event (EventStats; legacy <counts group_id=
    subjects_affected= subjects_at_risk= events=>)."""

    event = models.ForeignKey(AdverseEvent, on_delete=models.CASCADE, related_name="stats")
    position = models.PositiveIntegerField()
    group_id = code_field()
    num_events = models.PositiveIntegerField(null=True, blank=True)
    num_affected = models.PositiveIntegerField(null=True, blank=True)
    num_at_risk = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["event_id", "position"]
        verbose_name_plural = "event stats"

    def __str__(self):
        return f"{self.group_id}: {self.num_affected} of {self.num_at_risk}"


class ResultsSummary(models.Model):
    """A lay summary of a trial's results, in one language, written and reviewed by our curators
    (not from the registry): the plain words shown first on the page of what a trial found."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="results_summaries")
    language = models.CharField(
        _("language"), max_length=10, choices=SummaryLanguage.choices, default=SummaryLanguage.EN
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "What the trial found, in plain words a family can read, never claiming more than "
            "the registry's results say."
        ),
    )
    reviewed_by = models.CharField(
        _("reviewed by"),
        max_length=300,
        blank=True,
        help_text=_('Who reviewed it: a name and role ("Dr Ana Ruiz, haematologist").'),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    history = HistoricalRecords()  # curated words: who wrote what, and when, as for trials

    class Meta:
        ordering = ["trial", "language"]
        constraints = [
            # One summary per trial and language: the page shows the one in the reader's language.
            models.UniqueConstraint(
                fields=["trial", "language"], name="one_results_summary_per_language"
            )
        ]
        verbose_name = _("lay summary of results")
        verbose_name_plural = _("lay summaries of results")

    def __str__(self):
        return f"{self.trial.nct_id} ({self.get_language_display()})"


RESULTS_PREFETCH = [
    "flow_groups",
    "flow_periods__steps__counts",
    "baseline_groups",
    "baseline_measures__classes__categories__measurements",
    "outcomes__groups",
    "outcomes__classes__categories__measurements",
    "outcomes__analyses",
    "event_groups",
    "adverse_events__stats",
]


def load_results(trial):
    """A trial's TrialResults with every row prefetched in order, or None when it has none.

    Each prefetch is one query, so a trial's whole results take the same number of queries
    (tests/registry/test_results_import.py pins it) however large they are."""
    return (
        TrialResults.objects.filter(trial=trial)
        .select_related("trial")
        .prefetch_related(*RESULTS_PREFETCH)
        .first()
    )
