"""What the API says of a trial, a site, a glossary term: public facts of published trials only.

Nothing of our staff's work behind the scenes is here: no curator, no history, no drafts, no
curation notes, no import warnings. Curated plain-language text is given in English (the API's
language); registry text is as ClinicalTrials.gov gives it.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..eligibility import parse_criteria
from ..models import Arm, Contact, GlossaryTerm, Intervention, Outcome, Publication, Site, Trial
from ..status import badge
from ..vocabularies import OPEN_STATUSES


class PageUrlField(serializers.Field):
    """The trial's page on this portal, as an absolute address."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, trial):
        return self.context["request"].build_absolute_uri(trial.get_absolute_url())


PageUrlField = extend_schema_field({"type": "string", "format": "uri"})(PageUrlField)


class TrialItemSerializer(serializers.ModelSerializer):
    """A trial in a list: what its result card shows (TrialQuerySet.for_cards reads just that)."""

    url = PageUrlField(help_text="The trial's page on this portal.")
    title = serializers.CharField(
        help_text="Our plain-language title where a curator wrote one, else the registry's."
    )
    status_label = serializers.SerializerMethodField(help_text="The status in the cards' words.")
    open_to_enrolment = serializers.SerializerMethodField()
    phases = serializers.ListField(child=serializers.CharField())
    conditions = serializers.ListField(child=serializers.CharField())
    site_countries = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Trial
        fields = [
            "nct_id",
            "url",
            "title",
            "brief_title",
            "acronym",
            "overall_status",
            "status_label",
            "open_to_enrolment",
            "phases",
            "conditions",
            "minimum_age",
            "maximum_age",
            "sex",
            "lead_sponsor_name",
            "site_count",
            "site_countries",
            "last_update_post_date",
        ]

    def get_status_label(self, trial) -> str:
        return badge(trial.overall_status)

    def get_open_to_enrolment(self, trial) -> bool:
        return trial.overall_status in OPEN_STATUSES


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["name", "role", "phone", "phone_ext", "email"]


class SiteSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, source="contact_list")  # api.views.trial_data

    class Meta:
        model = Site
        fields = [
            "facility",
            "status",
            "city",
            "state",
            "zip",
            "country",
            "latitude",
            "longitude",
            "coordinates_approximate",
            "contacts",
        ]
        extra_kwargs = {
            "coordinates_approximate": {
                "help_text": "True where the coordinates are the city's centre, looked up by "
                "the portal, not the site's own."
            }
        }


class InterventionSerializer(serializers.ModelSerializer):
    other_names = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Intervention
        fields = ["type", "name", "description", "other_names"]


class ArmSerializer(serializers.ModelSerializer):
    interventions = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="The names of its interventions."
    )

    class Meta:
        model = Arm
        fields = ["label", "type", "description", "interventions"]


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = ["kind", "measure", "description", "time_frame"]


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["reference_type", "citation", "pmid", "doi", "url"]


# A point of the criteria with its sub-points, to any depth (trials/eligibility.py).
CRITERION = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "children": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["text", "children"],
}
PARSED_CRITERIA = {
    "type": "object",
    "nullable": True,
    "description": "The criteria read into lists, as the trial page shows them; null where "
    "the text has no inclusion or exclusion heading.",
    "properties": {
        name: {"type": "array", "items": CRITERION} for name in ("inclusion", "exclusion", "other")
    },
    "required": ["inclusion", "exclusion", "other"],
}


def criterion(item):
    return {"text": item.text, "children": [criterion(child) for child in item.children]}


class TrialSerializer(TrialItemSerializer):
    """The whole published trial."""

    registry_url = serializers.URLField(help_text="The trial's record on ClinicalTrials.gov.")
    keywords = serializers.ListField(child=serializers.CharField())
    std_ages = serializers.ListField(child=serializers.CharField())
    nct_id_aliases = serializers.ListField(child=serializers.CharField())
    eligibility_parsed = serializers.SerializerMethodField()
    plain_title = serializers.CharField(source="plain_title_en")
    plain_summary = serializers.CharField(source="plain_summary_en")
    plain_eligibility = serializers.CharField(source="plain_eligibility_en")
    participation_involves = serializers.CharField(source="participation_involves_en")
    public_note = serializers.CharField(source="public_note_en")
    central_contacts = ContactSerializer(many=True)
    sites = SiteSerializer(many=True)
    arms = ArmSerializer(many=True)
    interventions = InterventionSerializer(many=True)
    outcomes = OutcomeSerializer(many=True)
    publications = PublicationSerializer(many=True)
    secondary_ids = serializers.SerializerMethodField()
    collaborators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Trial
        fields = [
            *TrialItemSerializer.Meta.fields,
            "registry_url",
            "official_title",
            # Our curators' plain-language text (English), beside the registry's own.
            "plain_title",
            "plain_summary",
            "plain_eligibility",
            "participation_involves",
            "status_note",
            "public_note",
            "brief_summary",
            "detailed_description",
            "keywords",
            "study_type",
            "why_stopped",
            "start_date",
            "start_date_type",
            "primary_completion_date",
            "primary_completion_date_type",
            "completion_date",
            "completion_date_type",
            "study_first_post_date",
            "results_first_post_date",
            "has_results",
            "enrollment_count",
            "enrollment_type",
            "eligibility_criteria",
            "eligibility_parsed",
            "healthy_volunteers",
            "std_ages",
            "lead_sponsor_class",
            "collaborators",
            "org_study_id",
            "secondary_ids",
            "nct_id_aliases",
            "central_contacts",
            "arms",
            "interventions",
            "outcomes",
            "publications",
            "sites",
            # When the registry last changed the record, and when our curator last checked it.
            "last_checked",
        ]

    @extend_schema_field(PARSED_CRITERIA)
    def get_eligibility_parsed(self, trial):
        parsed = parse_criteria(trial.eligibility_criteria)
        if parsed is None:
            return None
        return {
            name: [criterion(item) for item in getattr(parsed, name)]
            for name in ("inclusion", "exclusion", "other")
        }

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "identifier": {"type": "string"},
                    "type": {"type": "string"},
                    "domain": {"type": "string"},
                },
            },
        }
    )
    def get_secondary_ids(self, trial):
        return [
            {"identifier": row.identifier, "type": row.type, "domain": row.domain}
            for row in trial.secondary_ids.all()
        ]


class GlossaryTermSerializer(serializers.ModelSerializer):
    also_matches = serializers.ListField(child=serializers.CharField())
    definition = serializers.CharField(source="definition_en")

    class Meta:
        model = GlossaryTerm
        fields = ["term", "also_matches", "definition"]


# The answers' envelopes, for the OpenAPI document.


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The parameter this facet sets.")
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class TrialListSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many trials match, counted up to 10,000.")
    count_is_lower_bound = serializers.BooleanField(help_text="More than 10,000 match.")
    sort = serializers.CharField(help_text="The order in use (the sort asked for, or the default).")
    next = serializers.URLField(allow_null=True, help_text="The next page; null on the last.")
    notes = serializers.ListField(
        child=serializers.CharField(),
        help_text="How the search was read: a long text shortened, age words read as the age "
        "group filter, a region searched as a whole.",
    )
    facets = FacetSerializer(many=True, required=False, help_text="With facets=1 only.")
    results = TrialItemSerializer(many=True)


class ParameterErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ParameterErrorSerializer(many=True, required=False)
