"""The querysets of the trials and their sites, chainable and named after what they select, as
django-oscar keeps them beside its models: what the public pages read (published, open first,
near a place, for the result cards, for a trial's page) and what curators must fix (quality.py)."""

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Floor
from django.db.models.lookups import LessThanOrEqual

from .. import lookups  # noqa: F401  (registers the has_item lookup used by the querysets)
from ..places.distance import bounding_box, distance_expression
from ..status import old_record_condition
from ..vocabularies import OPEN_STATUSES
from . import quality
from .choices import PublicationState

# 0 for a trial a patient may still join, 1 for the rest: the first key of the default sort. An
# index on PostgreSQL holds the same expression, so that the sort is read from it (migrations 0010,
# 0013).
OPEN_FIRST = models.Case(
    models.When(overall_status__in=OPEN_STATUSES, then=models.Value(0)),
    default=models.Value(1),
)

# The registry's age groups in years, [from, to): CHILD is birth to 17, OLDER_ADULT 65 and over.
AGE_GROUP_YEARS = {"CHILD": (0, 18), "ADULT": (18, 65), "OLDER_ADULT": (65, None)}


def in_age_group(std_age):
    """Trials in a registry age group: as the record says (stdAges), or, for a record that gives
    none (a hand-copied page), by its age limits overlapping the group's years. Without this a
    children's trial whose record names no group was missing from "child" searches."""
    low, high = AGE_GROUP_YEARS[std_age]
    below_high = Q(minimum_age_years__isnull=True)
    if high is not None:
        below_high |= Q(minimum_age_years__lt=high)
    above_low = Q(maximum_age_years_exclusive__isnull=True) | Q(maximum_age_years_exclusive__gt=low)
    return Q(std_ages__has_item=std_age) | (Q(std_ages=[]) & below_high & above_low)


DISTANCE_BAND_KM = 25

# What a result card shows of a trial (TrialQuerySet.for_cards). A field left out here and read by
# the card costs a query per card: tests/search/test_search.py counts the queries of a results page.
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
    # The card says when an open trial's end has passed (trials/status.py, staleness).
    "completion_date",
    "completion_date_precision",
    "completion_date_type",
    "publication_state",
    "is_synthetic",
]
# The trial's columns its page never shows, and the longest: the registry's whole record (tens of
# kilobytes), its import's diff and the search columns.
NOT_ON_THE_TRIAL_PAGE = [
    "source_record",
    "import_changes",
    "search_primary",
    "search_secondary",
    "search_tertiary",
    "search_other",
    "search_vector",
]
# What the pre-screener reads (TrialQuerySet.for_prescreen): a card's, and what the matching reads.
PRESCREEN_FIELDS = [
    *CARD_FIELDS,
    "minimum_age_years",
    "maximum_age_years_exclusive",
    "diagnoses",
    "disease_settings",
    "ph_statuses",
    "attributes_state",
    "attributes_evidence",
]
# The excerpt of a text search: PostgreSQL makes it in the query, elsewhere search.excerpt does.
EXCERPT_FIELDS = ["plain_summary", "brief_summary"]


def row_model(name):
    """A model defined after the querysets (they are part of its definition)."""
    return apps.get_model("trials", name)


class TrialQuerySet(models.QuerySet):
    def published(self):
        if settings.PORTAL_SHOW_SYNTHETIC:
            # A benchmark process (bench/settings.py): its database holds only synthetic trials,
            # which are never published, so they stand in for published ones. The same kind of
            # condition on the same column keeps the benchmark's query plans the public site's.
            return self.filter(publication_state=PublicationState.DRAFT, is_synthetic=True)
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def no_longer_listed(self):
        """Trials withdrawn after they were public: their address was out in the world, so it
        says where they went (410), while a trial never published stays unknown (404)."""
        history = self.model.history.model
        was_published = history.objects.filter(
            id=OuterRef("pk"), publication_state=PublicationState.PUBLISHED
        )
        return self.filter(
            Exists(was_published), publication_state=PublicationState.WITHDRAWN, is_synthetic=False
        )

    def for_cards(self):
        """Only the columns a result card shows (templates/includes/trial_card.html): a list
        then reads and sorts narrow rows, not whole records with their long texts."""
        if connections[self.db].vendor == "postgresql":
            return self.only(*CARD_FIELDS)
        return self.only(*CARD_FIELDS, *EXCERPT_FIELDS)

    def for_prescreen(self):
        """What the pre-screener reads of every trial (trials/prescreen/): a card's columns, the
        age limits and the curated attributes, with the prior-treatment rules in one query more."""
        return self.only(*PRESCREEN_FIELDS).prefetch_related("prior_treatment_rules")

    def open_to_enrolment(self):
        return self.filter(overall_status__in=OPEN_STATUSES)

    def count_by_old_record(self, today):
        """{"all": how many, "old": how many by a record with no update date or none for
        REGISTRY_STALE_AFTER_DAYS}, in one query: the home page does not count the registry's
        word of long ago as open today without saying so."""
        return self.aggregate(
            all=models.Count("pk"), old=models.Count("pk", filter=old_record_condition(today))
        )

    def confirmed_open(self):
        """Open trials with a site our staff confirmed as recruiting in the last 90 days."""
        from .confirmation import confirmed_open  # defined beside its model, which needs this

        return self.filter(confirmed_open())

    def in_phase(self, phase):
        """Trials whose phases include this one: a PHASE2/PHASE3 trial is in both."""
        return self.filter(phases__has_item=phase)

    def for_age_group(self, std_age):
        return self.filter(in_age_group(std_age))

    def eligible_at_age(self, years):
        """Trials whose age limits admit someone this many years old; a missing bound is open."""
        return self.filter(
            Q(minimum_age_years__isnull=True) | Q(minimum_age_years__lte=years),
            Q(maximum_age_years_exclusive__isnull=True) | Q(maximum_age_years_exclusive__gt=years),
        )

    def within(self, latitude, longitude, km):
        """Trials with a site within `km` of a point: the sites in reach are found once (by the
        coordinates index), not looked up trial by trial."""
        sites = row_model("Site").objects.within(latitude, longitude, km)
        return self.filter(pk__in=sites.values("trial_id"))

    def in_region(self, region):
        """Trials with a site in a country, or in a state of it (a places.gazetteer.Region)."""
        if region.kind == "country":
            return self.filter(site_countries__has_item_iexact=region.country)
        in_state = Q()
        for name in region.state_names:
            in_state |= Q(state__iexact=name)
        sites = row_model("Site").objects.filter(in_state, country__iexact=region.country)
        return self.filter(pk__in=sites.values("trial_id"))

    def nearest_first(self, latitude, longitude, km):
        """Nearest first, in bands of DISTANCE_BAND_KM; within a band, trials with a site in
        reach that is recruiting, then trials open to enrolment, then the latest updated. Bands,
        because most site coordinates are city centres: a few km apart says little, while a site
        that is recruiting says a lot.

        The sites in reach are joined once and grouped by trial (not looked up again for each
        trial, which cost a "near" search at registry scale most of its time; bench/RESULTS.md
        has the current figures)."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
        site_km = distance_expression(latitude, longitude, sites="sites__")
        # A site's "recruiting" counts only where its trial is open too (trials/status.py,
        # site_status): a closed trial's stale site status must not lift it up the list.
        site_is_open = models.Case(
            models.When(
                sites__status__in=OPEN_STATUSES,
                overall_status__in=OPEN_STATUSES,
                then=models.Value(1),
            ),
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

    def for_trial_page(self):
        """A trial with everything its page shows, each kind of row read once."""
        Contact = row_model("Contact")
        return self.defer(*NOT_ON_THE_TRIAL_PAGE).prefetch_related(
            "collaborators",
            "officials",
            "secondary_ids",
            "outcomes",
            "arms__interventions",
            "interventions",
            # Their contacts and confirmations for the sites the page lists only
            # (trial_page.listed_sites): a trial of 900 sites lists one country's.
            "sites",
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.CENTRAL),
                to_attr="central_contacts",
            ),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.SITE, site=None),
                to_attr="unplaced_site_contacts",
            ),
            "publications",
            "links",
            "timeline",
            "related_trials",
            "notes",
            # The quick check and the criteria checklist (trials/prescreen/).
            "prior_treatment_rules",
        )

    # What curators must fix (quality.py defines each problem once)

    def real(self):
        """Trials that are not made up (generate_trials makes synthetic ones)."""
        return self.filter(is_synthetic=False)

    def awaiting_review(self):
        """Drafts: imported or added, not yet published by a curator."""
        return self.real().filter(publication_state=PublicationState.DRAFT)

    def with_problem(self, name):
        """Trials that have this problem (quality.PROBLEMS)."""
        return self.filter(quality.PROBLEMS[name].condition())

    def with_problem_flags(self):
        """Each trial annotated with one flag per problem, for the admin's list and filter."""
        return self.annotate(
            **{
                name: models.ExpressionWrapper(
                    problem.condition(), output_field=models.BooleanField()
                )
                for name, problem in quality.PROBLEMS.items()
            }
        )


class SiteQuerySet(models.QuerySet):
    def unlocated(self):
        """Sites without coordinates: "near me" searches cannot find them."""
        return self.filter(quality.unlocated())

    def within(self, latitude, longitude, km):
        """Sites within `km` of a point: a bounding box first (indexed), then the true distance."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
        return (
            self.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
            .annotate(distance=distance_expression(latitude, longitude))
            .filter(distance__lte=km)
        )
