"""The trials app's models, one module per concern, all in the `trials` app:

- trial.py: the trial, shaped on the registry's study record;
- rows.py: the rows of a trial that imports write (sites, arms, contacts...);
- confirmation.py: what a site told our staff about its recruitment, latest first;
- problem_report.py: a visitor's report of a problem with a page, for curators;
- results.py: a trial's posted results as the registry gives them, and their lay summary;
- catalogue.py: the landing page's figures, kept between changes of the catalogue;
- correction.py: a curator's correction of a registry value, which imports keep;
- reference.py: what all trials share (glossary, drug approvals, search terms);
- changes.py: what changed in a trial, as families are told (trial page, feeds, digests);
- translation.py: who reviewed a translation of curated text (trials/translation.py), and when;
- alert.py: following a search or a trial by email (subscribers, follows, the outbox);
- choices.py: the portal's own vocabularies (publication state, source format);
- attributes.py: the curated attributes that decide whether a trial fits (issue 18);
- managers.py: the querysets; quality.py: the problems curators fix, each defined once.
"""

from .alert import Follow, Frequency, OutboxMessage, Subscriber
from .attributes import (
    LIST_ATTRIBUTES,
    POPULATION_AGES,
    AttributeState,
    BlinatumomabRole,
    BlinatumomabRoute,
    Diagnosis,
    DiseaseSetting,
    PhStatus,
    Population,
    PriorRule,
    PriorTreatment,
    PriorTreatmentRule,
)
from .catalogue import CatalogueFigures
from .changes import ChangeKind, TrialChange
from .choices import PublicationState, SourceFormat
from .confirmation import SiteConfirmation
from .correction import Correction
from .managers import CARD_FIELDS, OPEN_FIRST, TrialQuerySet
from .problem_report import ProblemReport
from .reference import DrugApproval, GlossaryTerm, SearchTerm
from .results import (
    AdverseEvent,
    BaselineGroup,
    BaselineMeasure,
    EventGroup,
    EventStats,
    FlowCount,
    FlowGroup,
    FlowPeriod,
    FlowStep,
    MeasureCategory,
    MeasureClass,
    Measurement,
    OutcomeAnalysis,
    OutcomeGroup,
    OutcomeMeasure,
    ResultsSummary,
    TrialResults,
    load_results,
)
from .rows import (
    Arm,
    Collaborator,
    Contact,
    Intervention,
    Link,
    Official,
    Outcome,
    Publication,
    RegistryRow,
    RelatedTrial,
    SecondaryId,
    Site,
    TimelineStep,
    TrialNote,
)
from .translation import TranslationReview
from .trial import NCT_ID_PATTERN, Trial, doi_validator, nct_id_validator, pmid_validator

__all__ = [
    "LIST_ATTRIBUTES",
    "POPULATION_AGES",
    "AttributeState",
    "BlinatumomabRole",
    "BlinatumomabRoute",
    "Diagnosis",
    "DiseaseSetting",
    "PhStatus",
    "Population",
    "PriorRule",
    "PriorTreatment",
    "PriorTreatmentRule",
    "CARD_FIELDS",
    "NCT_ID_PATTERN",
    "OPEN_FIRST",
    "Arm",
    "CatalogueFigures",
    "ChangeKind",
    "Collaborator",
    "Contact",
    "Correction",
    "Follow",
    "Frequency",
    "DrugApproval",
    "GlossaryTerm",
    "Intervention",
    "Link",
    "Official",
    "OutboxMessage",
    "Outcome",
    "ProblemReport",
    "Publication",
    "PublicationState",
    "RegistryRow",
    "RelatedTrial",
    "SearchTerm",
    "SecondaryId",
    "Site",
    "SiteConfirmation",
    "SourceFormat",
    "Subscriber",
    "TimelineStep",
    "Trial",
    "TrialChange",
    "TrialNote",
    "TrialQuerySet",
    "TranslationReview",
    "doi_validator",
    "nct_id_validator",
    "pmid_validator",
    "AdverseEvent",
    "BaselineGroup",
    "BaselineMeasure",
    "EventGroup",
    "EventStats",
    "FlowCount",
    "FlowGroup",
    "FlowPeriod",
    "FlowStep",
    "MeasureCategory",
    "MeasureClass",
    "Measurement",
    "OutcomeAnalysis",
    "OutcomeGroup",
    "OutcomeMeasure",
    "ResultsSummary",
    "TrialResults",
    "load_results",
]
