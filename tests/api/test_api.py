"""The read-only JSON API (/api/v1/, trials/api/): what it answers, what it refuses, and that it
lists the same trials as the page, in the same order, for the same parameters."""

import pytest

from tests import factories
from tests.conftest import FIRST_SEVEN_IDS
from trials.models import PublicationState, Trial
from trials.vocabularies import OPEN_STATUSES

pytestmark = pytest.mark.django_db


def all_pages(client, params):
    """Every trial of the API's list, following `next` (two a page, so the cursor is used)."""
    response = client.get("/api/v1/trials/", {**params, "page_size": 2})
    assert response.status_code == 200, response.json()
    found = [item["nct_id"] for item in response.json()["results"]]
    while response.json()["next"]:
        response = client.get(response.json()["next"])
        assert response.status_code == 200, response.json()
        found += [item["nct_id"] for item in response.json()["results"]]
    return found


SEARCHES = [
    {},
    {"q": "leukemia"},
    {"q": "relapsed"},
    {"status": ["RECRUITING", "COMPLETED"]},
    {"age": "10"},
    {"age": "70"},
    {"country": "Germany"},
    {"near": "Boston", "radius": "500"},
    {"near": "Texas"},
    {"sort": "updated"},
    {"sort": "start"},
    {"sort": "enrollment"},
    {"q": "blinatumomab", "sort": "relevance"},
    {"near": "Boston", "radius": "2000", "sort": "distance"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=lambda params: str(params) or "everything")
def test_the_page_the_api_and_the_exports_list_the_same_trials_in_the_same_order(
    client, bundled_trials, params
):
    page = client.get("/trials/", params)
    on_page = [trial.nct_id for trial in page.context["page"].object_list]
    assert page.context["page"].paginator.count == len(on_page)  # all on one page (seven)
    exported = client.get("/trials/export.json", params).json()
    csv_rows = client.get("/trials/export.csv", params).content.decode().splitlines()[1:]
    assert all_pages(client, params) == on_page
    assert [row["nct_id"] for row in exported["trials"]] == on_page
    assert [row.split(",")[0] for row in csv_rows] == on_page


def test_the_searches_compared_are_not_all_alike(client, bundled_trials):
    """The comparison above means something: the searches find different trials."""
    found = {tuple(all_pages(client, params)) for params in SEARCHES}
    assert len(found) > 5
    assert () not in found or len(found) > 6


def test_a_list_item_is_compact_and_links_to_its_page(client, bundled_trials):
    closed = Trial.objects.published().exclude(overall_status__in=OPEN_STATUSES).first()
    answer = client.get("/api/v1/trials/", {"status": closed.overall_status}).json()
    assert answer["count"] == len(answer["results"]) > 0
    item = answer["results"][0]
    assert item["url"] == f"http://testserver/trials/{item['nct_id']}/"
    assert item["overall_status"] == closed.overall_status
    assert item["status_label"] and item["open_to_enrolment"] is False
    assert "sites" not in item and "eligibility_criteria" not in item
    assert answer["next"] is None and answer["sort"] == "open" and answer["notes"] == []


def test_the_cursor_walks_the_whole_list_once(client, bundled_trials):
    walked = all_pages(client, {})
    assert sorted(walked) == sorted(FIRST_SEVEN_IDS)
    assert len(set(walked)) == len(walked)


def test_a_trial_added_between_pages_does_not_shift_the_next_page(client, bundled_trials):
    first = client.get("/api/v1/trials/", {"page_size": 3}).json()
    # Open trials come first: a new open trial lands on the first page, already read.
    factories.trial(overall_status="RECRUITING", last_update_post_date="2099-01-01")
    second = client.get(first["next"]).json()
    expected = all_pages(client, {})
    shown = [item["nct_id"] for item in first["results"] + second["results"]]
    assert shown == [nct for nct in expected if not nct.startswith("NCT99")][:6]


def test_facets_are_the_pages_facets(client, bundled_trials):
    answer = client.get("/api/v1/trials/", {"facets": "1", "phase": "PHASE2"}).json()
    page = client.get("/trials/", {"phase": "PHASE2"}).context["facets"]
    assert [facet["name"] for facet in answer["facets"]] == [facet["name"] for facet in page]
    for ours, theirs in zip(answer["facets"], page, strict=True):
        assert [(o["value"], o["count"], o["selected"]) for o in ours["options"]] == [
            (value, count, selected) for value, _label, count, selected in theirs["options"]
        ]
    assert "facets" not in client.get("/api/v1/trials/").json()


def test_age_words_are_read_as_on_the_page_and_said_in_the_notes(client, bundled_trials):
    answer = client.get("/api/v1/trials/", {"q": "leukemia children"}).json()
    assert any("age group" in note for note in answer["notes"])
    assert [i["nct_id"] for i in answer["results"]] == all_pages(
        client, {"q": "leukemia", "age_group": "CHILD"}
    )


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"status": "NOPE"}, "status"),
        ({"status": ["RECRUITING", "NOPE"]}, "status"),
        ({"age": "abc"}, "age"),
        ({"age": "500"}, "age"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"sex": "OTHER"}, "sex"),
        ({"near": "Xyzzyville Qwerty"}, "near"),
        ({"sort": "relevance"}, "sort"),  # without text there is no relevance to sort by
        ({"sort": "DROP TABLE"}, "sort"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WzEsMl0"}, "cursor"),  # [1, 2]: the wrong number of values
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"facets": "yes"}, "facets"),
        ({"stauts": "RECRUITING"}, "stauts"),
        ({"page": "2"}, "page"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, bundled_trials, params, parameter):
    response = client.get("/api/v1/trials/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["detail"]
    assert parameter in [error["parameter"] for error in answer["errors"]]
    assert all(error["message"] for error in answer["errors"])


def test_a_cursor_of_the_wrong_type_is_refused_not_sent_to_the_database(client, bundled_trials):
    import base64
    import json

    good = client.get("/api/v1/trials/", {"page_size": 2}).json()["next"]
    assert good
    for values in (["x", "2020-01-01", "NCT0"], [0, "not a date", "NCT0"], [0, 5, {"a": 1}]):
        cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        response = client.get("/api/v1/trials/", {"cursor": cursor})
        assert response.status_code == 400, values
        assert response.json()["errors"][0]["parameter"] == "cursor"


def test_a_trial_is_whole(client, bundled_trials):
    trial = Trial.objects.published().order_by("-site_count").first()
    answer = client.get(f"/api/v1/trials/{trial.nct_id}/").json()
    assert answer["nct_id"] == trial.nct_id
    assert answer["url"] == f"http://testserver/trials/{trial.nct_id}/"
    assert answer["registry_url"] == f"https://clinicaltrials.gov/study/{trial.nct_id}"
    assert len(answer["sites"]) == trial.sites.count() > 0
    site = answer["sites"][0]
    assert {"status", "latitude", "longitude", "coordinates_approximate", "contacts"} <= set(site)
    assert len(answer["arms"]) == trial.arms.count()
    assert len(answer["outcomes"]) == trial.outcomes.count()
    assert answer["eligibility_criteria"] == trial.eligibility_criteria
    assert answer["eligibility_parsed"]["inclusion"]
    assert answer["last_update_post_date"] == trial.last_update_post_date.isoformat()
    assert "last_checked" in answer
    with_arms = [t for t in Trial.objects.published() if t.arms.exists()][0]
    arms = client.get(f"/api/v1/trials/{with_arms.nct_id}/").json()["arms"]
    assert any(arm["interventions"] for arm in arms)


def test_approximate_coordinates_are_marked(client, db):
    trial = factories.trial(
        sites=[
            {
                "city": "Boston",
                "latitude": 42.36,
                "longitude": -71.06,
                "coordinates_approximate": True,
            },
            {"city": "Milwaukee", "latitude": 43.04, "longitude": -87.91},
        ]
    )
    sites = client.get(f"/api/v1/trials/{trial.nct_id}/").json()["sites"]
    assert [(s["city"], s["coordinates_approximate"]) for s in sites] == [
        ("Boston", True),
        ("Milwaukee", False),
    ]


def test_a_trial_is_read_in_the_same_number_of_queries_whatever_its_size(
    client, bundled_trials, django_assert_num_queries
):
    # Trials with every kind of row (a kind a trial lacks costs no query for its sub-rows).
    whole = Trial.objects.published().filter(arms__isnull=False, site_count__gt=0).distinct()
    small = whole.order_by("site_count").first()
    large = whole.order_by("-site_count").first()
    assert large.site_count > 10 * small.site_count
    for trial in (small, large):
        # The trial, then one query per kind of row: arms, their interventions, interventions,
        # outcomes, publications, other IDs, collaborators, sites, their contacts, central contacts.
        with django_assert_num_queries(11):
            assert client.get(f"/api/v1/trials/{trial.nct_id}/").status_code == 200


def test_the_curators_work_is_not_in_the_api(client, bundled_trials, curator):
    trial = Trial.objects.published().first()
    trial.curation_note = "Internal: ask Carla about the Boston site."
    trial.save()
    body = client.get(f"/api/v1/trials/{trial.nct_id}/").content.decode()
    assert "Internal: ask Carla" not in body
    assert curator.username not in body
    for word in ("curation_note", "import_warnings", "history", "source_record", "version"):
        assert f'"{word}"' not in body


@pytest.mark.parametrize("kind", ["draft", "synthetic", "withdrawn", "unknown"])
def test_only_published_trials_are_served(client, db, kind):
    if kind == "draft":
        nct_id = factories.trial(publish=False).nct_id
    elif kind == "synthetic":
        nct_id = factories.trial(publish=False, is_synthetic=True).nct_id
    elif kind == "withdrawn":
        nct_id = factories.trial(publication_state=PublicationState.WITHDRAWN).nct_id
    else:
        nct_id = "NCT00000001"
    shown = factories.trial().nct_id
    response = client.get(f"/api/v1/trials/{nct_id}/")
    assert response.status_code == 404
    assert response.json()["detail"]
    listed = [item["nct_id"] for item in client.get("/api/v1/trials/").json()["results"]]
    assert listed == [shown]


def test_a_lower_case_id_finds_the_trial(client, bundled_trials):
    assert client.get(f"/api/v1/trials/{FIRST_SEVEN_IDS[0].lower()}/").status_code == 200


def test_any_other_address_under_the_api_is_a_json_404(client, db):
    for path in (
        "/api/v1/nothing/",
        "/api/v1/trials/NCT123/",
        "/api/v1/trials/NCT00000001/",
        "/api/v1/trials/%09%0A%12/",  # a newline in the path (found by Schemathesis)
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"], path


def test_the_glossary(client, db):
    factories.glossary_term("Synthetic term", "A made-up word for this test (synthetic).")
    terms = client.get("/api/v1/glossary/").json()
    found = {term["term"]: term for term in terms}
    assert found["Synthetic term"]["definition"] == "A made-up word for this test (synthetic)."
    assert [term["term"] for term in terms] == sorted(found, key=str)


def test_cors_is_open_for_get_on_the_api_only(client, bundled_trials):
    origin = {"HTTP_ORIGIN": "https://hospital.example.org"}
    api = client.get("/api/v1/trials/", **origin)
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    preflight = client.options(
        "/api/v1/trials/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/trials/", **origin)
    assert "Access-Control-Allow-Origin" not in client.get("/trials/export.json", **origin)


def test_the_api_writes_nothing(client, bundled_trials):
    before = Trial.objects.count()
    for method in (client.post, client.put, client.delete):
        assert method("/api/v1/trials/", {}).status_code == 405
    assert client.post(f"/api/v1/trials/{FIRST_SEVEN_IDS[0]}/").status_code == 405
    assert Trial.objects.count() == before


def test_head_answers_as_get_without_the_body(client, bundled_trials):
    # Link checkers and caches ask HEAD first: a 405 would read as a broken link.
    for path in ("/api/v1/trials/", f"/api/v1/trials/{FIRST_SEVEN_IDS[0]}/", "/api/v1/glossary/"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head["Content-Type"] == got["Content-Type"], path
        assert head.content == b"", path
        if "ETag" in got:
            assert head["ETag"] == got["ETag"], path
    assert client.head("/api/v1/trials/NCT00000000/").status_code == 404


def test_the_schema_is_openapi_3_and_names_every_operation(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/trials/",
        "/api/v1/trials/{nct_id}/",
        "/api/v1/glossary/",
    }
    # Each path documents its GET alone (HEAD is GET without the body).
    assert {method for path in schema["paths"].values() for method in path} == {"get"}
    names = {p["name"] for p in schema["paths"]["/api/v1/trials/"]["get"]["parameters"]}
    assert {"q", "status", "age", "near", "radius", "sort", "cursor", "facets"} <= names
    assert {"start_after", "start_before"} <= names


def test_the_docs_page_shows_the_schema_without_script(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "GET /api/v1/trials/" in page and "GET /api/v1/glossary/" in page
    assert 'href="/api/v1/schema/"' in page
    assert "<script" not in page and "style=" not in page


def test_a_trials_json_is_kept_until_the_catalogue_changes(
    client, bundled_trials, django_assert_num_queries
):
    from trials.cache import catalogue_changed

    trial = Trial.objects.published().first()
    url = f"/api/v1/trials/{trial.nct_id}/"
    first = client.get(url).json()
    with django_assert_num_queries(0):
        assert client.get(url).json() == first
    Trial.objects.filter(pk=trial.pk).update(brief_title="A synthetic new title")
    catalogue_changed()
    assert client.get(url).json()["brief_title"] == "A synthetic new title"


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_trials_json_from_the_cache_is_the_first_answer_headers_and_all(
    client, bundled_trials, method
):
    """The second request is sent straight from the cache, past DRF (trials/api/views.py
    trial_detail): a client, or a cache between, sees the same answer both times."""
    url = f"/api/v1/trials/{FIRST_SEVEN_IDS[1]}/"
    first, again = (
        getattr(client, method)(url, headers={"Origin": "https://hospital.example"})
        for _ in range(2)
    )
    assert (again.status_code, again.content) == (first.status_code, first.content)
    differ = {
        name: (first.get(name), again.get(name))
        for name in {*first.headers, *again.headers} - {"X-Request-ID"}
        if first.get(name) != again.get(name)
    }
    assert differ == {}
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_trials_json_kept_in_the_cache_is_sent_without_drfs_view(
    client, bundled_trials, monkeypatch
):
    from trials.api import views

    url = f"/api/v1/trials/{FIRST_SEVEN_IDS[1].lower()}/"  # the key is the ID in capitals
    first = client.get(url)

    def not_asked(request, nct_id):
        raise AssertionError("the kept JSON went through DRF's view")

    monkeypatch.setattr(views, "trial_detail_api", not_asked)
    again = client.get(url)
    assert (again.status_code, again.content) == (200, first.content)


def test_a_list_is_kept_until_the_catalogue_changes(
    client, bundled_trials, django_assert_num_queries
):
    from trials.cache import catalogue_changed

    params = {"age": "10", "page_size": 2, "facets": 1}
    first = client.get("/api/v1/trials/", params).json()
    with django_assert_num_queries(0):
        assert client.get("/api/v1/trials/", params).json() == first
    # The next page is its own address, and its own answer.
    following = client.get(first["next"]).json()
    assert following["results"] and following["results"] != first["results"]
    # A bad parameter is never kept as an answer: refused each time.
    assert client.get("/api/v1/trials/", {**params, "page_size": 0}).status_code == 400
    assert client.get("/api/v1/trials/", {**params, "page_size": 0}).status_code == 400
    shown = first["results"][0]["nct_id"]
    Trial.objects.filter(nct_id=shown).update(publication_state=PublicationState.WITHDRAWN)
    catalogue_changed()
    again = client.get("/api/v1/trials/", params).json()
    assert shown not in [item["nct_id"] for item in again["results"]]
    assert again["count"] == first["count"] - 1
