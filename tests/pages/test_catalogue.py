"""The whole bundled catalogue, as `make run` shows it: every trial imports without a warning and
its page shows its facts, and no old record's "Recruiting" reads as a fact of today.

Each test imports the whole folder once (slow: NCT02003222 has 551 sites), so they are few and
each looks at every trial."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import BUNDLED_IDS, LEGACY_IDS
from tests.pages.test_trial_page import missing_facts, page_text
from trials import status
from trials.models import Trial

pytestmark = pytest.mark.django_db
# A day long after every bundled record's last update (2017 to 2024), so the old ones are old.
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def today(monkeypatch):
    moment = datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_every_bundled_record_imports_without_a_warning(whole_catalogue):
    assert sorted(whole_catalogue.created) == BUNDLED_IDS
    assert whole_catalogue.warnings == []
    assert whole_catalogue.older == []
    assert len(LEGACY_IDS) == 33  # BLAST and the 32 legacy records added with it


def test_every_bundled_trials_page_shows_its_facts_and_dated_status(client, whole_catalogue, today):
    missing, wrong = {}, {}
    for trial in Trial.objects.order_by("nct_id"):
        text = page_text(client, trial.nct_id)
        facts = missing_facts(client, trial.nct_id)
        countries = len({site.country for site in trial.sites.all()})
        sites = trial.sites.count()
        if sites and not re.search(rf"\b{sites} sites? in {countries} countr", text):
            facts.append(f"{sites} sites in {countries} countries")
        if facts:
            missing[trial.nct_id] = facts
        headline = trial.status_headline
        when = status.as_of(status.Dates.of(trial), TODAY)
        if headline not in text or (when and f"{when}, the registry's last word" not in text):
            wrong[trial.nct_id] = headline
    assert missing == {}
    assert wrong == {}


def test_no_old_record_calls_its_trial_open_today(client, whole_catalogue, today):
    """The legacy records of 2018 to 2020 that say "Recruiting" (or another present-tense
    status) are dated on the card and the page; the home page does not count them as open
    without saying so."""
    old_open = [
        t
        for t in Trial.objects.all()
        if t.overall_status in status.CURRENT_STATUSES
        and t.last_update_post_date
        and t.last_update_post_date.year <= 2020
    ]
    assert len(old_open) >= 20  # most of the legacy records were recruiting then
    listing = "".join(client.get("/trials/", {"page": page}).content.decode() for page in (1, 2))
    for trial in old_open:
        month = trial.last_update_post_date.strftime("%B %Y")
        page = client.get(trial.get_absolute_url()).content.decode()
        assert f"as of {month}, the registry&#x27;s last word" in page, trial.nct_id
        assert "you may be able to join" not in page, trial.nct_id
        # No site of such a trial reads a bare "Recruiting".
        assert ">Recruiting<" not in page, trial.nct_id
        badge = f"{status.status_words(trial.overall_status).badge} as of {month}"
        assert re.search(
            rf">{re.escape(badge)}</span>.*?<span class=\"nct-id\">{trial.nct_id}</span>",
            listing,
            flags=re.S,
        ), trial.nct_id
    home = client.get("/").content.decode()
    opened = Trial.objects.published().open_to_enrolment().count_by_old_record(TODAY)
    assert opened["old"] >= 20
    assert f"<strong>{opened['all']}</strong> trials open to enrolment" in home
    assert f"For {opened['old']} of {opened['all']} the record is more than a year old" in home
    assert f"<strong>{len(BUNDLED_IDS)}</strong> trials in all" in home
