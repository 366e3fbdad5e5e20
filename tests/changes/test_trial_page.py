"""The trial page's "What changed" section: each change in words, latest first, and ?since."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from tests.changes.records import TRIAL, bundled_study, changed_everywhere, reimport
from trials.models import ChangeKind, TrialChange
from trials.status import badge

PAGE = f"/trials/{TRIAL}/"


def section(response):
    """The "What changed" section's text, tags dropped and entities read."""
    assert response.status_code == 200
    page = response.content.decode()
    found = re.search(r'<section id="changes".*?</section>', page, re.S)
    assert found, "no What changed section"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


@pytest.fixture
def changed(bundled_trials, tmp_path):
    """The bundled trial first listed on 5 January 2026, then changed by a newer record."""
    first_seen = timezone.make_aware(datetime.datetime(2026, 1, 5, 12))
    TrialChange.objects.filter(trial__nct_id=TRIAL).update(seen_at=first_seen)
    reimport(tmp_path, changed_everywhere(bundled_study()), posted="2026-02-10")
    return TrialChange.objects.filter(trial__nct_id=TRIAL).exclude(kind=ChangeKind.FIRST_LISTED)


def test_a_new_trial_says_when_it_was_first_listed(client, bundled_trials):
    text = section(client.get(PAGE))
    today = timezone.localdate()
    assert f"First listed here on {today.day} {today:%B %Y}." in text
    assert "The registry's record was last updated on 23 September 2024." in text


def test_each_change_is_said_in_words_latest_first(client, changed):
    text = section(client.get(PAGE))
    recruiting, not_yet = badge("RECRUITING"), badge("NOT_YET_RECRUITING")
    said = [
        f"The trial's status changed from “{recruiting}” to “{badge('ACTIVE_NOT_RECRUITING')}”.",
        "A site started taking patients: Anhui Provincial Children's Hospital, Hefei, Anhui, China"
        f" (now “{recruiting}”).",
        "A site stopped taking patients: Shanghai Children's Medical center, Shanghai, Shanghai"
        f" Municipality, China (now “{badge('COMPLETED')}”).",
        f"A site was added: Synthetic Test Hospital, Hangzhou, China ({not_yet}).",
        "A site is no longer listed by the registry: Fujian Children's Hospital, Fuzhou, Fujian,"
        " China.",
        "The eligibility criteria (who can join) changed.",
        "The oldest age to join changed from 18 years to 21 years.",
        "The start date moved from 21 May 2024 to June 2024.",
        "The end date moved from 31 May 2030 to 31 January 2031.",
        "Posted by the registry on 10 February 2026; seen here on",
    ]
    for words in said:
        assert words in text
    # The newer changes above the first listing.
    assert text.index("status changed") < text.index("First listed here on 5 January 2026.")


def test_since_shows_only_what_is_new_since_that_day(client, changed):
    text = section(client.get(PAGE, {"since": "2026-01-06"}))
    assert "Changes we saw since 6 January 2026." in text
    assert "First listed here" not in text
    assert "status changed" in text

    everything = section(client.get(PAGE, {"since": "2026-01-05"}))
    assert "First listed here on 5 January 2026." in everything


def test_since_after_the_last_change_says_nothing_changed(client, changed):
    later = timezone.localdate() + datetime.timedelta(days=1)
    text = section(client.get(PAGE, {"since": later.isoformat()}))
    assert "Nothing has changed since then." in text
    assert "status changed" not in text


@pytest.mark.parametrize("typed", ["yesterday", "2026-13-45", "2026-02", "<script>", "9" * 500])
def test_a_date_that_does_not_read_is_ignored_with_a_note(client, changed, typed):
    response = client.get(PAGE, {"since": typed})
    text = section(response)
    assert "We could not read the date" in text
    assert "every change is shown" in text
    assert "First listed here" in text and "status changed" in text
    assert "<script>" not in response.content.decode().split('id="changes"')[1][:2000]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_far_dates_are_answered_not_broken(client, changed, day):
    text = section(client.get(PAGE, {"since": day}))
    assert ("First listed here" in text) == (day < "2026")


def test_the_section_is_in_the_pages_language(client, changed):
    response = client.get(f"/es/trials/{TRIAL}/")
    text = section(response)
    assert text.startswith("Qué ha cambiado")
    assert "El estado del ensayo cambió de «" in text
    assert "Publicado aquí por primera vez el 5 de enero de 2026." in text
    assert "Recruiting" not in text  # the statuses are said in Spanish
    # A site's name stays the registry's English, marked so for screen readers.
    assert '<span lang="en">Anhui Provincial Children&#x27;s Hospital' in response.content.decode()


def test_the_page_links_to_its_feed(client, bundled_trials):
    page = client.get(PAGE).content.decode()
    assert f'href="/trials/{TRIAL}/feed/"' in page
