"""Every status of the vocabulary in the same words on the card, the trial page, the map's data
and the exports (trials/status.py); dates at their certainty and staleness where families read
them, with "today" set by the test."""

import csv
import datetime
import io
import json
import re

import pytest
from django.utils import timezone

from tests import factories
from tests.pages.test_trial_page import page_text
from trials.status import STATUS_WORDS
from trials.vocabularies import Status

pytestmark = pytest.mark.django_db

DISAGREES = "the registry still lists this site as recruiting"


@pytest.fixture
def today(monkeypatch):
    """Sets the day the pages believe it is: set_to(datetime.date)."""

    def set_to(day):
        moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def every_status(db):
    """One published trial per registry status, each with a site the registry lists as
    recruiting, placed on the map, and a recent record."""
    return {
        value: factories.trial(
            overall_status=value,
            brief_title=f"Made-up trial with status {value}",
            last_update_post_date=timezone.localdate(),
            sites=[
                {
                    "facility": f"Hospital of {value}",
                    "city": "Milwaukee",
                    "country": "United States",
                    "status": "RECRUITING",
                    "latitude": 43.04,
                    "longitude": -87.91,
                }
            ],
        )
        for value in Status.values
    }


def cards(client, **params):
    """{NCT ID: the card's badge} on the list."""
    page = client.get("/trials/", params).content.decode()
    return dict(
        (nct_id, badge)
        for badge, nct_id in re.findall(
            r'<span class="badge badge-\w+">([^<]*)</span>.*?<span class="nct-id">(NCT\d+)</span>',
            page,
            flags=re.S,
        )
    )


def test_every_status_reads_the_same_on_card_page_map_and_exports(client, every_status):
    shown_cards = cards(client)
    rows = {r["nct_id"]: r for r in csv.DictReader(io.StringIO(export(client, "csv")))}
    json_rows = {r["nct_id"]: r for r in json.loads(export(client, "json"))["trials"]}
    for value, trial in every_status.items():
        words = STATUS_WORDS[value]
        assert shown_cards[trial.nct_id] == words.badge, value
        assert rows[trial.nct_id]["status"] == words.badge, value
        assert json_rows[trial.nct_id]["status"] == words.badge, value
        assert rows[trial.nct_id]["registry_status"] == value
        response = client.get(trial.get_absolute_url())
        text = page_text(client, trial.nct_id)
        assert words.line in text, value
        [point] = map_points(response)
        site_words = point["status"]
        if words.standing == "open":
            # The site agrees with its trial: its own badge, the same on the map.
            assert site_words == "Recruiting", value
            assert '<span class="badge badge-open">Recruiting</span>' in response.content.decode()
        else:
            assert site_words.endswith(DISAGREES), value
            assert site_words in text, value
            # No site of a trial that is not open reads "Recruiting" on its own.
            assert ">Recruiting<" not in response.content.decode(), value


def export(client, file_format):
    return client.get(f"/trials/export.{file_format}").content.decode("utf-8-sig")


def map_points(response):
    found = re.search(
        r'<script id="site-points" type="application/json">(.*?)</script>',
        response.content.decode(),
        flags=re.S,
    )
    return json.loads(found.group(1))


def test_the_terminated_trial_near_milwaukee_reads_as_closed(client, today):
    today(datetime.date(2026, 11, 30))
    trial = factories.trial(
        overall_status="TERMINATED",
        why_stopped="Funding ended",
        last_update_post_date=datetime.date(2022, 4, 5),
        completion_date=datetime.date(2024, 10, 1),
        completion_date_precision="MONTH",
        completion_date_type="ESTIMATED",
        sites=[
            {
                "facility": "Medical College of Wisconsin",
                "city": "Milwaukee",
                "status": "RECRUITING",
            }
        ],
    )
    text = page_text(client, trial.nct_id)
    assert (
        "Stopped early: the trial ended before its planned end. The reason given: Funding ended"
        in text
    )
    assert "Medical College of Wisconsin, Milwaukee The trial is closed; " + DISAGREES in text
    assert "End Was expected to end in October 2024; the registry has not said since" in text
    assert "closed on October 2024" not in text
    # A closed trial is not "stale": it does not claim to be taking people.
    assert "This may be out of date" not in text
    assert "This trial is not taking new people, whatever a site's own status says." in text
    assert "Each site has its own recruitment status" not in text


def test_a_card_near_a_closed_trials_site_says_the_trial_is_not_taking_people(client):
    milwaukee = {
        "city": "Milwaukee",
        "status": "RECRUITING",
        "latitude": 43.04,
        "longitude": -87.91,
    }
    closed = factories.trial(overall_status="TERMINATED", sites=[milwaukee])
    open_trial = factories.trial(overall_status="RECRUITING", sites=[milwaukee])
    page = client.get("/trials/", {"near": "Milwaukee"}).content.decode()
    cards = dict(
        (nct_id, card)
        for card in page.split('<article class="trial-card">')[1:]
        for nct_id in re.findall(r'<span class="nct-id">(NCT\d+)</span>', card)
    )
    assert "the trial is not taking new people" in cards[closed.nct_id]
    assert "the trial is not taking new people" not in cards[open_trial.nct_id]


def test_an_estimated_end_reads_as_expected_until_its_month_is_over(client, today):
    trial = factories.trial(
        overall_status="RECRUITING",
        last_update_post_date=datetime.date(2024, 10, 1),
        completion_date=datetime.date(2024, 10, 1),
        completion_date_precision="MONTH",
        completion_date_type="ESTIMATED",
    )
    today(datetime.date(2024, 10, 31))
    assert "End Expected to end around October 2024" in page_text(client, trial.nct_id)
    today(datetime.date(2024, 11, 1))
    text = page_text(client, trial.nct_id)
    assert "End Was expected to end in October 2024; the registry has not said since" in text
    assert "its expected end, October 2024, has passed" in text


def test_a_stale_open_trial_says_so_on_card_page_and_export(client, today):
    trial = factories.trial(
        overall_status="RECRUITING", last_update_post_date=datetime.date(2025, 1, 10)
    )
    warning = (
        "This may be out of date: the registry record was last updated in January 2025. Please "
        "confirm with the site that it is taking people before you travel."
    )
    today(datetime.date(2026, 1, 10))  # a year to the day: not yet
    assert warning not in page_text(client, trial.nct_id)
    assert warning not in client.get("/trials/").content.decode()
    today(datetime.date(2026, 1, 11))
    assert warning in page_text(client, trial.nct_id)
    assert warning in client.get("/trials/").content.decode()
    assert warning in client.get("/").content.decode()
    [row] = json.loads(export(client, "json"))["trials"]
    assert row["may_be_out_of_date"] == warning


def test_the_cached_page_follows_the_day(client, today):
    """Trial pages are cached until the catalogue changes; what they say of dates must not wait."""
    trial = factories.trial(
        overall_status="RECRUITING", last_update_post_date=datetime.date(2025, 1, 10)
    )
    today(datetime.date(2026, 1, 10))
    assert "This may be out of date" not in page_text(client, trial.nct_id)
    today(datetime.date(2026, 1, 11))
    assert "This may be out of date" in page_text(client, trial.nct_id)


def test_the_curators_note_is_never_public_and_the_public_note_is(client):
    trial = factories.trial(
        curation_note="Seed page 004 disagrees with seed page 002.",
        public_note="A newer page lists this trial as terminated.",
    )
    text = page_text(client, trial.nct_id)
    assert "A note from our curators A newer page lists this trial as terminated." in text
    assert "Seed page" not in text


def test_near_a_place_a_closed_trials_recruiting_site_does_not_lift_it(client):
    def site(km_north):
        return {"status": "RECRUITING", "latitude": 43.04 + km_north / 111, "longitude": -87.91}

    closed = factories.trial(overall_status="TERMINATED", sites=[site(2)])
    open_trial = factories.trial(overall_status="RECRUITING", sites=[site(8)])
    page = client.get("/trials/", {"near": "Milwaukee", "sort": "distance"}).content.decode()
    order = re.findall(r'<span class="nct-id">(NCT\d+)</span>', page)
    assert order == [open_trial.nct_id, closed.nct_id]


def test_an_old_records_recruiting_is_dated_everywhere_a_family_reads_it(client, today):
    """A trial the registry called recruiting in 2020 (as the bundled legacy records do) is not
    called open today: the card, the page's headline, its sites, the map, the exports and the
    home page's count all say whose word it was, and when."""
    today(datetime.date(2026, 11, 30))
    trial = factories.trial(
        overall_status="RECRUITING",
        last_update_post_date=datetime.date(2020, 7, 28),
        sites=[
            {
                "facility": "Made-up hospital",
                "city": "Milwaukee",
                "country": "United States",
                "status": "RECRUITING",
                "latitude": 43.04,
                "longitude": -87.91,
            }
        ],
    )
    fresh = factories.trial(overall_status="RECRUITING", last_update_post_date=timezone.localdate())
    dated = "Recruiting as of July 2020"
    assert cards(client) == {trial.nct_id: dated, fresh.nct_id: "Recruiting"}
    response = client.get(trial.get_absolute_url())
    text = page_text(client, trial.nct_id)
    assert f"{dated}, the registry's last word: it may have changed since" in text
    assert '<p class="status-line status-uncertain">' in response.content.decode()
    assert "you may be able to join" not in text
    # Drawn as not known, not as open.
    assert '<span class="badge badge-uncertain">Recruiting as of July 2020</span>' in (
        response.content.decode()
    )
    assert ">Recruiting<" not in response.content.decode()
    [point] = map_points(response)
    assert point["status"] == dated
    rows = {r["nct_id"]: r for r in csv.DictReader(io.StringIO(export(client, "csv")))}
    assert rows[trial.nct_id]["status"] == dated
    assert rows[fresh.nct_id]["status"] == "Recruiting"
    home = client.get("/").content.decode()
    assert "<strong>2</strong> trials open to enrolment" in home
    assert "For 1 of 2 the record is more than a year old, so they may have closed since" in home
