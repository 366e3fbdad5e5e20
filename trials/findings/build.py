"""A trial's posted results as the plain objects its page shows: the primary outcomes (each with
its chart, sentence and analyses in words), the most frequent serious adverse events, how many
took part and why people left, the results' publications, and the curated lay summary.

It reads the results models as loaded once for the page (no query per outcome or group)."""

from dataclasses import dataclass, field

from ..models.results import load_results
from ..vocabularies import EventSeriousness, FlowStepKind, OutcomeMeasureType, SummaryLanguage
from . import charts, sentences
from .values import Value, percent, whole

TOP_SERIOUS_EVENTS = 8


@dataclass
class Measurement:
    """One group's value in one category of an outcome, with its spread."""

    group: str
    shade: int
    value: Value
    low: Value | None = None  # the whisker's ends, where the registry gives them
    high: Value | None = None
    spread_words: str = ""  # in a sentence: "95% confidence interval 5.6 to 9.6"
    spread_cell: str = ""  # in the table, under its heading: "5.6 to 9.6"
    comment: str = ""
    analysed: str = ""  # how many people the group's value counts, as given


@dataclass
class Analysis:
    groups: list
    estimate_type: str = ""
    estimate: Value = Value("", None)
    ci_percent: str = ""
    ci_sides: str = ""
    ci_lower: Value = Value("", None)
    ci_upper: Value = Value("", None)
    p_value: str = ""
    p_value_comment: str = ""
    method: str = ""
    estimate_comment: str = ""
    other_description: str = ""
    lines: list = field(default_factory=list)

    @property
    def notes(self):
        """The registry's own words on the analysis, as it gives them."""
        return [
            note
            for note in (self.p_value_comment, self.estimate_comment, self.other_description)
            if note
        ]


@dataclass
class Outcome:
    slug: str  # for the chart's ids
    title: str
    description: str = ""
    time_frame: str = ""
    population: str = ""
    unit: str = ""
    param_type: str = ""
    dispersion_type: str = ""
    rows: list = field(default_factory=list)  # [(category, [Measurement, ...])]
    analyses: list = field(default_factory=list)
    chart: charts.Chart | None = None
    sentence: str = ""
    chart_description: str = ""
    value_heading: str = ""
    spread_heading: str = ""

    def finish(self):
        """Its chart, sentence and words, once its numbers are in."""
        self.value_heading = sentences.value_heading(self.param_type, self.unit)
        if any(m.spread_cell for _, measurements in self.rows for m in measurements):
            self.spread_heading = sentences.spread_heading(self.dispersion_type)
        self.chart = charts.bar_chart(self.rows)
        self.sentence = sentences.outcome_sentence(self)
        self.chart_description = sentences.chart_description(self)
        for analysis in self.analyses:
            analysis.lines = sentences.analysis_lines(analysis)
        return self


@dataclass
class Share:
    """N of M people (P%)."""

    affected: int | None
    at_risk: int | None

    @property
    def percent(self):
        return percent(self.affected, self.at_risk)

    def __str__(self):
        return sentences.people(self.affected, self.at_risk, self.percent)


@dataclass
class Event:
    term: str
    organ_system: str
    shares: list  # a Share per group, in the groups' order

    @property
    def affected(self):
        return sum(share.affected or 0 for share in self.shares)


@dataclass
class Harms:
    groups: list  # titles
    serious: list  # Share per group: any serious adverse event
    deaths: list  # Share per group, or [] when not given
    events: list  # the most frequent serious events
    event_count: int  # how many kinds of serious event the registry lists
    time_frame: str = ""


@dataclass
class FlowGroup:
    title: str
    started: int | None
    completed: int | None
    completed_note: str = ""  # the registry's comment: what "completed" meant in this trial


@dataclass
class Findings:
    outcomes: list
    harms: Harms | None
    flow: list  # FlowGroup
    flow_reasons: list  # every reason, for the table's rows: [(reason, [count per group])]
    publications: list
    summary: object = None  # ResultsSummary shown, or None
    summary_lang: str = ""  # set when the summary is in another language than the page's

    @property
    def p_value_meaning(self):
        return sentences.p_value_meaning()

    @property
    def p_values(self):
        return any(a.p_value for o in self.outcomes for a in o.analyses)


def for_trial_page(trial, language):
    """What the trial found, for its page in `language`, or None when it has no posted results.

    Its rows are read by load_results (a fixed number of queries), the lay summaries in one more,
    and the publications from the page's own prefetch."""
    if not trial.has_results:  # the registry's own flag: a page without results asks nothing
        return None
    results = load_results(trial)
    if results is None:
        return None
    summary, summary_lang = lay_summary(list(trial.results_summaries.all()), language)
    return Findings(
        outcomes=[
            outcome(measure, number)
            for number, measure in enumerate(results.outcomes.all(), start=1)
            if measure.type == OutcomeMeasureType.PRIMARY and measure.classes.all()
        ],
        harms=harms(results),
        flow=flow(results),
        flow_reasons=flow_reasons(results),
        publications=[
            paper
            for paper in trial.publications.all()
            if paper.reference_type == "RESULT" and paper.pubmed_url
        ],
        summary=summary,
        summary_lang=summary_lang,
    )


def lay_summary(summaries, language):
    """The curators' summary in the page's language, else the English one: (summary, the lang
    attribute it needs, "" when it is in the page's language)."""
    by_language = {summary.language: summary for summary in summaries}
    language = (language or "en").lower()
    for wanted in (language, language.split("-")[0]):
        if wanted in by_language:
            return by_language[wanted], ""
    english = by_language.get(SummaryLanguage.EN)
    if english is None:
        return None, ""
    return english, "en"


def outcome(measure, number):
    group_ids = [group.group_id for group in measure.groups.all()]
    titles = {group.group_id: group.title or group.group_id for group in measure.groups.all()}
    analysed = analysed_counts(measure.denoms)
    rows = []
    for measure_class in measure.classes.all():
        for category in measure_class.categories.all():
            label = ", ".join(t for t in (measure_class.title, category.title) if t)
            rows.append(
                (
                    label,
                    [
                        measurement(
                            given,
                            group=titles.get(given.group_id, given.group_id),
                            shade=group_ids.index(given.group_id)
                            if given.group_id in group_ids
                            else 0,
                            dispersion_type=measure.dispersion_type,
                            analysed=analysed.get(given.group_id, ""),
                        )
                        for given in category.measurements.all()
                    ],
                )
            )
    return Outcome(
        slug=f"finding-{number}",
        title=measure.title or measure.measure_title,
        description=measure.description,
        time_frame=measure.time_frame,
        population=measure.population_description,
        unit=measure.unit_of_measure,
        param_type=measure.param_type,
        dispersion_type=measure.dispersion_type,
        rows=rows,
        analyses=[analysis(given, titles) for given in measure.analyses.all()],
    ).finish()


def analysed_counts(denoms):
    """{group id: how many were analysed} from the registry's first count of people analysed."""
    for denom in denoms or []:
        counts = denom.get("counts") or []
        return {count.get("group_id", ""): count.get("value", "") for count in counts}
    return {}


def measurement(given, *, group, shade, dispersion_type, analysed):
    value = Value.read(given.value)
    spread = Value.read(given.spread)
    lower, upper = Value.read(given.lower_limit), Value.read(given.upper_limit)
    key = sentences.vocabulary_key(dispersion_type)
    if "CONFIDENCE" in key or "RANGE" in key:
        low, high = lower, upper
    elif ("DEVIATION" in key or "ERROR" in key) and value.is_number and spread.is_number:
        low = Value.read(f"{value.number - spread.number:g}")
        high = Value.read(f"{value.number + spread.number:g}")
    else:
        low = high = None
    return Measurement(
        group=group,
        shade=shade,
        value=value,
        low=low,
        high=high,
        spread_words=sentences.spread_words(dispersion_type, value, spread, lower, upper)
        if value.is_number or lower.given or upper.given
        else "",
        spread_cell=sentences.spread_cell(dispersion_type, spread, lower, upper),
        comment=given.comment,
        analysed=analysed,
    )


def analysis(given, titles):
    return Analysis(
        groups=[titles.get(group_id, group_id) for group_id in given.group_ids],
        estimate_type=given.param_type,
        estimate=Value.read(given.param_value),
        ci_percent=given.ci_pct_value,
        ci_sides=given.ci_num_sides,
        ci_lower=Value.read(given.ci_lower_limit),
        ci_upper=Value.read(given.ci_upper_limit),
        p_value=given.p_value,
        p_value_comment=given.p_value_comment,
        method=given.statistical_method,
        estimate_comment=given.estimate_comment,
        other_description=given.other_analysis_description,
    )


def harms(results):
    groups = list(results.event_groups.all())
    serious = [e for e in results.adverse_events.all() if e.seriousness == EventSeriousness.SERIOUS]
    if not groups:
        return None
    order = [group.group_id for group in groups]
    events = []
    for event in serious:
        stats = {stat.group_id: stat for stat in event.stats.all()}
        shares = [
            Share(stats[g].num_affected, stats[g].num_at_risk) if g in stats else Share(None, None)
            for g in order
        ]
        events.append(Event(event.term, event.organ_system, shares))
    # The most frequent first (people affected in all groups); the registry's order otherwise.
    events.sort(key=lambda event: -event.affected)
    return Harms(
        groups=[group.title or group.group_id for group in groups],
        serious=[Share(g.serious_num_affected, g.serious_num_at_risk) for g in groups]
        if any(g.serious_num_affected is not None for g in groups)
        else [],
        deaths=[Share(g.deaths_num_affected, g.deaths_num_at_risk) for g in groups]
        if any(g.deaths_num_affected is not None for g in groups)
        else [],
        events=events[:TOP_SERIOUS_EVENTS],
        event_count=len(events),
        time_frame=results.events_time_frame,
    )


def milestone_counts(period, name):
    """{group id: (count, comment)} of the period's milestone of that name ("STARTED",
    "COMPLETED")."""
    for step in period.steps.all():
        if step.kind == FlowStepKind.MILESTONE and step.type.strip().upper() == name:
            return {
                count.group_id: (whole(count.num_subjects), count.comment or step.comment)
                for count in step.counts.all()
            }
    return {}


def flow(results):
    """Each group's start and finish: who started the first period, who completed the last."""
    groups, periods = list(results.flow_groups.all()), list(results.flow_periods.all())
    if not groups or not periods:
        return []
    started = milestone_counts(periods[0], "STARTED")
    completed = milestone_counts(periods[-1], "COMPLETED")
    nothing = (None, "")
    return [
        FlowGroup(
            title=group.title or group.group_id,
            started=started.get(group.group_id, nothing)[0],
            completed=completed.get(group.group_id, nothing)[0],
            completed_note=completed.get(group.group_id, nothing)[1],
        )
        for group in groups
    ]


def flow_reasons(results):
    """Why people left, each reason's counts added up over the periods: [(reason, [count per
    group])], in the order the reasons first appear."""
    order = [group.group_id for group in results.flow_groups.all()]
    totals = {}
    for period in results.flow_periods.all():
        for step in period.steps.all():
            if step.kind != FlowStepKind.DROP_WITHDRAW:
                continue
            counts = totals.setdefault(step.type or step.comment, {})
            for count in step.counts.all():
                number = whole(count.num_subjects)
                if number is not None:
                    counts[count.group_id] = counts.get(count.group_id, 0) + number
    return [(reason, [counts.get(g) for g in order]) for reason, counts in totals.items()]
