"""The questions the benchmark asks, each of the portal and of Datasette.

Both are asked for a whole HTML page, as a person would see it. Where Datasette cannot ask a
question the portal's way, the closest it can is used and `peer_note` says how it differs.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count

from bench.peer import EXTRA_TRIAL_COLUMNS, TRIAL_COLUMNS
from trials.listing.exports import EXPORT_LIMIT as EXPORT_SIZE
from trials.listing.exports import FIELDS as EXPORT_FIELDS
from trials.models import Trial
from trials.places.distance import bounding_box
from trials.places.gazetteer import resolve_place

TEXT = "relapsed acute lymphoblastic leukemia"
OPEN = ["RECRUITING", "NOT_YET_RECRUITING"]
AGE = 30
COUNTRY = "United States"
PLACE = "Boston"
RADIUS_KM = 100
DEEP_PAGE = 200
# The columns of the portal's export that the peer's table has.
EXPORT_COLUMNS = [
    name for name in EXPORT_FIELDS if name in {**TRIAL_COLUMNS, **EXTRA_TRIAL_COLUMNS}
]
PAGE_SIZE = 20
AGE_CONDITION = (
    f"(minimum_age_years is null or minimum_age_years <= {AGE}) and "
    f"(maximum_age_years_exclusive is null or maximum_age_years_exclusive > {AGE})"
)


@dataclass
class Question:
    key: str
    label: str
    ours: str
    peer: str | None
    peer_note: str = ""
    target_p95_ms: float | None = None  # the target for the portal, where it sets one
    # A target relative to another question's p95 (the API beside its page): at most this many
    # times the p95 of the question keyed `beside`.
    beside: str | None = None
    target_ratio: float | None = None


@dataclass
class Facts:
    """What the questions need to know about the database."""

    most_sites_nct_id: str
    most_sites_id: int
    most_sites_count: int
    median_nct_id: str
    median_id: int
    median_site_count: int


def facts():
    trials = Trial.objects.published()
    most = trials.order_by("-site_count", "nct_id").values("id", "nct_id", "site_count").first()
    counts = list(
        trials.order_by().values_list("site_count").annotate(n=Count("pk")).order_by("site_count")
    )
    total, running, median_count = sum(n for _, n in counts), 0, 0
    for site_count, n in counts:
        running += n
        if running * 2 >= total:
            median_count = site_count
            break
    median = (
        trials.filter(site_count=median_count).order_by("nct_id").values("id", "nct_id").first()
    )
    return Facts(
        most_sites_nct_id=most["nct_id"],
        most_sites_id=most["id"],
        most_sites_count=most["site_count"],
        median_nct_id=median["nct_id"],
        median_id=median["id"],
        median_site_count=median_count,
    )


def questions(facts, *, database, deep_next=None):
    """The questions, with the portal's path and Datasette's (database: its name there)."""
    table = f"/{database}/trials"
    search = {"q": TEXT, "status": OPEN, "age": AGE}
    peer_search = {
        "_search": TEXT,
        "overall_status__in": ",".join(OPEN),
        "_where": AGE_CONDITION,
    }
    filters = {"status": OPEN, "age": AGE}
    peer_filters = {"overall_status__in": ",".join(OPEN), "_where": AGE_CONDITION}
    facets_note = (
        "Datasette counts its facets over the matching rows; the portal counts each facet "
        "under the other filters."
    )
    return [
        Question("landing", "Landing page", "/", "/", "Datasette's index page", 20),
        Question(
            "search",
            f'Text search "{TEXT}" + status, age and country filters, all facets',
            "/trials/?" + urlencode({**search, "country": COUNTRY}, doseq=True),
            f"{table}?"
            + urlencode({**peer_search, "site_countries__arraycontains": COUNTRY}, doseq=True),
            f"Unranked FTS5 match (Datasette does not rank); {facets_note}",
        ),
        Question(
            "search_a",
            "Target a: text search + status and age filters, top 20 + facets",
            "/trials/?" + urlencode(search, doseq=True),
            f"{table}?" + urlencode(peer_search, doseq=True),
            f"Unranked FTS5 match; {facets_note}",
            50,
        ),
        Question(
            "filters_b",
            "Target b: status and age filters without text + facets",
            "/trials/?" + urlencode(filters, doseq=True),
            f"{table}?" + urlencode(peer_filters, doseq=True),
            facets_note,
            150,
        ),
        Question(
            "near",
            f"Near {PLACE}, {RADIUS_KM} km, sorted by distance",
            "/trials/?" + urlencode({"near": PLACE, "radius": RADIUS_KM, "sort": "distance"}),
            f"/{database}?" + urlencode(near_sql()),
            "Datasette's SQL page with the same haversine query; no facets, no count",
        ),
        Question(
            "deep_page",
            f"Page {DEEP_PAGE} of all trials",
            f"/trials/?page={DEEP_PAGE}",
            f"{table}?" + urlencode({"_sort_desc": "last_update_post_date", "_next": deep_next})
            if deep_next
            else None,
            "Datasette pages by keyset (_next), sorted by last update; the portal by page "
            "number, open trials first",
        ),
        Question(
            "export",
            f"Export of the first {EXPORT_SIZE:,} trials as CSV",
            "/trials/export.csv",
            f"{table}.csv?"
            + urlencode(
                [
                    ("_size", EXPORT_SIZE),
                    ("_sort_desc", "last_update_post_date"),
                    *[("_col", column) for column in EXPORT_COLUMNS],
                ]
            ),
            "Datasette's CSV of the table, the same columns, sorted by last update; the portal "
            "sorts open trials first",
        ),
        Question(
            "trial_most_sites",
            f"Trial page, the trial with the most sites ({facts.most_sites_count})",
            f"/trials/{facts.most_sites_nct_id}/",
            f"{table}/{facts.most_sites_id}",
            "Datasette's row page: the trial's row and a count of its sites, not the sites",
            30,
        ),
        Question(
            "trial_median",
            f"Trial page, a median trial ({facts.median_site_count} sites)",
            f"/trials/{facts.median_nct_id}/",
            f"{table}/{facts.median_id}",
            "Datasette's row page",
            10,
        ),
        # The JSON API (trials/api/) beside the pages that answer the same questions, and
        # beside Datasette's JSON of the same question.
        Question(
            "api_list",
            "API: status and age filters without text, JSON (as target b)",
            "/api/v1/trials/?" + urlencode(filters, doseq=True),
            f"{table}.json?" + urlencode({**peer_filters, "_nofacet": 1}),
            "Datasette's JSON of the table with the same filters; neither counts facets",
            beside="filters_b",
            target_ratio=1.2,
        ),
        Question(
            "api_trial_most_sites",
            f"API: the trial with the most sites ({facts.most_sites_count}), JSON",
            f"/api/v1/trials/{facts.most_sites_nct_id}/",
            f"{table}/{facts.most_sites_id}.json",
            "Datasette's JSON of the trial's row, without its sites",
            beside="trial_most_sites",
            target_ratio=1.0,
        ),
        Question(
            "api_trial_median",
            f"API: a median trial ({facts.median_site_count} sites), JSON",
            f"/api/v1/trials/{facts.median_nct_id}/",
            f"{table}/{facts.median_id}.json",
            "Datasette's JSON of the trial's row",
            beside="trial_median",
            target_ratio=1.0,
        ),
    ]


def near_sql():
    """Trials with a site within RADIUS_KM of PLACE, nearest first: what /trials/?near= asks,
    as one SQLite query for Datasette's SQL page (SQLite has the math functions)."""
    place = resolve_place(PLACE)
    min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, RADIUS_KM)
    distance = (
        "2 * 6371.0088 * asin(min(1, sqrt(power(sin(radians(latitude - :lat) / 2), 2) + "
        "cos(radians(:lat)) * cos(radians(latitude)) * "
        "power(sin(radians(longitude - :lon) / 2), 2))))"
    )
    sql = (
        f"select trials.nct_id, trials.brief_title, trials.overall_status, nearby.km "
        f"from (select trial_id, min({distance}) as km from sites "
        f"where latitude between :min_lat and :max_lat "
        f"and longitude between :min_lon and :max_lon group by trial_id) as nearby "
        f"join trials on trials.id = nearby.trial_id where nearby.km <= :radius "
        f"order by nearby.km, trials.nct_id limit {PAGE_SIZE}"
    )
    return {
        "sql": sql,
        "lat": place.latitude,
        "lon": place.longitude,
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
        "radius": RADIUS_KM,
    }
