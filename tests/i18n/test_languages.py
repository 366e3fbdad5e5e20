"""The site in three languages: the address says which, the switcher changes it and is
remembered, the browser's language chooses only on a first visit to "/", and nothing cached in
one language is served in another."""

import html
import re

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def alternates(response):
    found = re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
    )
    return {lang: html.unescape(url) for lang, url in found}


@pytest.mark.parametrize(
    "path, lang", [("/trials/", "en"), ("/es/trials/", "es"), ("/zh-hans/trials/", "zh-Hans")]
)
def test_the_address_sets_the_language_of_the_page(client, bundled_trials, path, lang):
    response = client.get(path, {"q": "leukemia"})
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert response["Content-Language"] == {"zh-Hans": "zh-hans"}.get(lang, lang)


def test_every_page_links_its_other_languages_with_the_query_kept(client, bundled_trials):
    response = client.get("/es/trials/", {"q": "leukemia", "phase": "PHASE2"})
    assert alternates(response) == {
        "en": "http://testserver/trials/?q=leukemia&phase=PHASE2",
        "x-default": "http://testserver/trials/?q=leukemia&phase=PHASE2",
        "es": "http://testserver/es/trials/?q=leukemia&phase=PHASE2",
        "zh-Hans": "http://testserver/zh-hans/trials/?q=leukemia&phase=PHASE2",
    }
    trial = client.get("/zh-hans/trials/NCT02013167/")
    assert alternates(trial)["es"] == "http://testserver/es/trials/NCT02013167/"


def test_an_error_page_claims_no_other_language_version(client, db):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == "es"
    assert alternates(response) == {}


def test_the_switcher_names_each_language_in_itself(client, bundled_trials):
    page = client.get("/trials/", {"q": "leukemia"}).content.decode()
    form = re.search(r'<form class="language-switch".*?</form>', page, re.S).group(0)
    assert 'action="/i18n/setlang/"' in form
    assert 'name="next" value="/trials/?q=leukemia"' in form
    assert re.findall(r'value="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)<', form) == [
        ("en", "en", "English"),
        ("es", "es", "Español"),
        ("zh-hans", "zh-Hans", "简体中文"),
    ]
    assert 'value="en" lang="en" class="secondary" aria-current="true"' in form


def test_the_switcher_keeps_the_page_and_its_query_and_its_choice_sticks(client, bundled_trials):
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/trials/?q=leukemia&page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/trials/?q=leukemia&page=2"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The next visit to "/" opens in Spanish, whatever the browser says.
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert (home.status_code, home["Location"]) == (302, "/es/")
    # Back to English, from a Spanish page: the same page in English, and the English start page
    # stays English for a browser that prefers Chinese.
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/es/trials/?q=all"})
    assert back["Location"] == "/trials/?q=all"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").status_code == 200
    between = client.post("/i18n/setlang/", {"language": "es", "next": "/zh-hans/report/"})
    assert between["Location"] == "/es/report/"


def test_the_switcher_works_without_a_csrf_token(client, bundled_trials):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accessibility/"})
    assert response["Location"] == "/zh-hans/accessibility/"


def test_the_switcher_never_sends_a_visitor_to_another_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] in ("/", "/es/")


@pytest.mark.parametrize(
    "accept, location",
    [("es-US,es;q=0.9,en;q=0.5", "/es/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("es", "/es/")],
)
def test_the_browser_language_chooses_only_on_a_first_visit_to_the_start(
    client, bundled_trials, accept, location
):
    response = client.get("/", {"near": "Madrid"}, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"{location}?near=Madrid"
    assert {"Accept-Language", "Cookie"} <= set(re.split(r",\s*", response["Vary"]))
    # A deep link keeps the language of its address.
    for path in ("/trials/", "/trials/NCT02013167/", "/accessibility/"):
        deep = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
        assert (deep.status_code, html_lang(deep)) == (200, "en"), path


def test_an_english_browser_stays_on_the_english_start(client, bundled_trials):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,fr;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_a_page_cached_in_one_language_is_never_served_in_another(client, bundled_trials):
    """The trial page, the facets and the start page's figures are kept in the cache: each
    language gets its own entry."""
    english = client.get("/trials/NCT02013167/").content.decode()
    spanish = client.get("/es/trials/NCT02013167/").content.decode()
    assert '<html lang="en"' in english and '<html lang="es"' in spanish
    assert client.get("/trials/NCT02013167/").content.decode() == english


def test_old_english_addresses_still_work(client, bundled_trials):
    for path in ("/trials/", "/trials/NCT02013167/", "/trials/export.csv", "/report/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/es/trials/export.csv").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/es/healthz").status_code == 404


def test_the_exports_speak_the_language_of_the_page_and_keep_their_machine_keys(
    client, bundled_trials
):
    english = client.get("/trials/export.csv").content.decode("utf-8-sig").splitlines()
    spanish = client.get("/es/trials/export.csv").content.decode("utf-8-sig").splitlines()
    assert english[0].startswith("nct_id,title,official_title,status,registry_status,")
    assert spanish[0].startswith("Número NCT,Título,Título oficial,Estado,Estado en el registro,")
    assert len(spanish) == len(english)
    chinese = client.get("/zh-hans/trials/export.json").json()
    assert chinese["note"] == "这是试验信息，不是医疗建议：请与您的医疗团队商量。"
    assert set(chinese["trials"][0]) == set(client.get("/trials/export.json").json()["trials"][0])


def test_counts_and_distances_are_written_as_each_language_writes_them(client, bundled_trials):
    from trials.listing.paging import count_label
    from trials.places.units import Unit, say_distance, say_radius

    with translation.override("en"):
        assert (count_label(1234), count_label(20000)) == ("1,234", "10,000+")
        assert (say_radius(12.5, Unit.KM), say_distance(2000, Unit.MI)) == ("12.5 km", "1,243 mi")
    with translation.override("es"):
        assert (count_label(1234), say_radius(12.5, Unit.KM)) == ("1\xa0234", "12,5 km")
    with translation.override("zh-hans"):
        assert (count_label(20000), say_radius(50, Unit.KM)) == ("10000+", "50 公里")
    page = client.get("/zh-hans/trials/", {"near": "Milwaukee", "radius": "50"}).content.decode()
    assert "公里" in page or "英里" in page


def test_a_cached_trial_page_returns_each_visitor_to_their_own_address(client, bundled_trials):
    """Trial pages are cached whole; the switcher must not send one visitor to the address (and
    query string) of the visitor the page was first made for."""
    first = client.get("/trials/NCT02013167/", {"units": "mi"}).content.decode()
    second = client.get("/trials/NCT02013167/").content.decode()
    assert 'name="next" value="/trials/NCT02013167/?units=mi"' in first
    assert 'name="next" value="/trials/NCT02013167/"' in second
