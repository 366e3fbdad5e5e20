"""What decides whether a blinatumomab trial fits a patient, curated per trial (issue 18).

The vocabularies below are stored on the trial as JSON lists (an empty list: the record does not
say); the prior treatments a trial requires, allows or excludes are rows, one per treatment (a
missing row: not stated). The import suggests values from the record (trials/registry/attributes.py)
and a curator confirms them in the admin. Labels are plain words: families read them in filters.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Diagnosis(models.TextChoices):
    B_ALL = "b_all", _("B-cell acute lymphoblastic leukemia (B-ALL)")
    B_LYMPHOMA = "b_lymphoma", _("B-cell non-Hodgkin lymphoma")
    OTHER = "other", _("Another disease")


class DiseaseSetting(models.TextChoices):
    NEWLY_DIAGNOSED = "newly_diagnosed", _("Newly diagnosed")
    MRD_POSITIVE = "mrd_positive", _("In remission, with measurable residual disease (MRD)")
    FIRST_RELAPSE = "first_relapse", _("After a first relapse")
    LATER_RELAPSE = "later_relapse", _("After a second or later relapse")
    REFRACTORY = "refractory", _("Not responding to treatment (refractory)")


class PhStatus(models.TextChoices):
    POSITIVE = "positive", _("Philadelphia chromosome positive (Ph+)")
    NEGATIVE = "negative", _("Philadelphia chromosome negative (Ph−)")
    PH_LIKE = "ph_like", _("Ph-like")


class Population(models.TextChoices):
    CHILDREN = "children", _("Children (under 18)")
    AYA = "aya", _("Adolescents and young adults (15 to 39)")
    ADULTS = "adults", _("Adults (18 to 64)")
    OLDER_ADULTS = "older_adults", _("Older adults (65 and over)")


# The ages each population spans, in years: [from, to) with None for no limit. A trial belongs to
# each population its own age limits overlap (trials/registry/attributes.py).
POPULATION_AGES = {
    Population.CHILDREN: (None, 18),
    Population.AYA: (15, 40),
    Population.ADULTS: (18, 65),
    Population.OLDER_ADULTS: (65, None),
}


class BlinatumomabRole(models.TextChoices):
    ALONE = "alone", _("Blinatumomab alone")
    WITH_CHEMOTHERAPY = "with_chemotherapy", _("With chemotherapy")
    WITH_TKI = "with_tki", _("With a tyrosine kinase inhibitor (TKI)")
    WITH_OTHER = "with_other", _("With another immunotherapy or targeted drug")
    BRIDGE_TO_TRANSPLANT = "bridge_to_transplant", _("As a bridge to a stem cell transplant")
    MAINTENANCE = "maintenance", _("As maintenance or consolidation")


class BlinatumomabRoute(models.TextChoices):
    CONTINUOUS_INFUSION = "continuous_infusion", _("Given as a continuous drip into a vein")
    SUBCUTANEOUS = "subcutaneous", _("Given under the skin")


class PriorTreatment(models.TextChoices):
    BLINATUMOMAB = "blinatumomab", _("Earlier blinatumomab")
    TRANSPLANT = "transplant", _("An earlier stem cell transplant")
    CAR_T = "car_t", _("Earlier CAR-T cell therapy")
    INOTUZUMAB = "inotuzumab", _("Earlier inotuzumab ozogamicin")
    CNS_DISEASE = "cns_disease", _("Leukemia in the brain or spinal fluid (CNS disease)")


class PriorRule(models.TextChoices):
    REQUIRED = "required", _("Required")
    ALLOWED = "allowed", _("Allowed")
    # A context of its own: the error page's "Not allowed" (403) means something else.
    EXCLUDED = "excluded", pgettext_lazy("earlier treatment", "Not allowed")
    NOT_STATED = "not_stated", _("Not stated")


class AttributeState(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the import, not yet confirmed")
    CONFIRMED = "confirmed", _("Confirmed by a curator")


# The list attributes on Trial, each with its vocabulary: the importer, the admin form, the filters
# and the exports walk this one table.
LIST_ATTRIBUTES = {
    "diagnoses": Diagnosis,
    "disease_settings": DiseaseSetting,
    "ph_statuses": PhStatus,
    "populations": Population,
    "blinatumomab_roles": BlinatumomabRole,
    "blinatumomab_routes": BlinatumomabRoute,
}


class PriorTreatmentRule(models.Model):
    """Whether a trial requires, allows or excludes one earlier treatment (or CNS disease)."""

    trial = models.ForeignKey(
        "trials.Trial", on_delete=models.CASCADE, related_name="prior_treatment_rules"
    )
    treatment = models.CharField(max_length=20, choices=PriorTreatment.choices)
    rule = models.CharField(
        max_length=20,
        choices=PriorRule.choices,
        default=PriorRule.NOT_STATED,
        help_text="What the eligibility criteria say of it; not stated when they say nothing.",
    )
    evidence = models.TextField(
        blank=True, help_text="The record's own words the rule rests on, quoted."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["trial", "treatment"]
        constraints = [
            # One rule per treatment: the filters and the pre-screener read it by the pair.
            models.UniqueConstraint(fields=["trial", "treatment"], name="one_rule_per_treatment"),
        ]

    def __str__(self):
        return f"{self.get_treatment_display()}: {self.get_rule_display()}"
