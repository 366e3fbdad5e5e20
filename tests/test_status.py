"""trials/status.py: one set of words per registry status, dates at their certainty, staleness.

Plain functions given "today"; the pages' tests (tests/pages/test_status_pages.py) show the same
words on the card, the page, the map and the exports."""

import datetime

import pytest

from tests import factories
from trials import status
from trials.models import Trial
from trials.vocabularies import OPEN_STATUSES, RecruitmentStatus, Status

D = datetime.date

CLOSED = {
    "COMPLETED",
    "TERMINATED",
    "WITHDRAWN",
    "SUSPENDED",
    "ACTIVE_NOT_RECRUITING",
    "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE",
    "APPROVED_FOR_MARKETING",
}
OPEN = {"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"}
UNCERTAIN = {"UNKNOWN", "WITHHELD"}


def test_every_status_of_the_vocabulary_has_words_and_a_standing():
    assert set(status.STATUS_WORDS) == set(Status.values)
    assert set(Status.values) == CLOSED | OPEN | UNCERTAIN
    for value, words in status.STATUS_WORDS.items():
        expected = "closed" if value in CLOSED else "open" if value in OPEN else "uncertain"
        assert words.standing == expected, value
        assert words.line.startswith(words.badge), value
        # The old badge read "Closed: available" and "Closed: active, not recruiting".
        assert not words.badge.startswith("Closed"), value


def test_the_words_and_the_lists_agree_on_what_is_open():
    """One meaning of "open to enrolment": the words a family reads, the "open" filter, the
    counts and the open-first order (OPEN_STATUSES) name the same statuses."""
    said_open = {v for v, words in status.STATUS_WORDS.items() if words.standing == "open"}
    assert said_open == set(OPEN_STATUSES) == OPEN


def test_the_words_the_issue_asked_for():
    words = status.STATUS_WORDS
    assert words[Status.ACTIVE_NOT_RECRUITING].badge == "Under way, not taking new people"
    assert words[Status.TERMINATED].badge == "Stopped early"
    assert words[Status.AVAILABLE].badge == "Available"
    assert words[Status.NO_LONGER_AVAILABLE].badge == "No longer available"


def test_the_badges_are_all_different():
    badges = [words.badge for words in status.STATUS_WORDS.values()]
    assert len(set(badges)) == len(badges)


def test_a_stopped_trial_gives_the_registry_reason_when_there_is_one():
    assert (
        status.headline("TERMINATED", why_stopped="Low accrual.")
        == "Stopped early: the trial ended before its planned end. The reason given: Low accrual"
    )
    assert status.headline("TERMINATED") == "Stopped early: the trial ended before its planned end"
    # A completed trial has no "why stopped": a stray one is not shown as a reason.
    assert status.headline("COMPLETED", why_stopped="x") == "Completed: the trial has ended"


def test_no_status_reads_as_what_the_source_said():
    assert status.status_words("", "Not currently recruiting").badge == "Not currently recruiting"
    assert status.status_words("").badge == "Status not stated"
    assert status.status_words("").standing == "uncertain"


def test_a_status_the_registry_added_later_is_shown_as_given_and_not_as_open():
    words = status.status_words("PAUSED_FOR_REVIEW")
    assert words.badge == "Paused for review" and words.standing == "uncertain"


@pytest.mark.parametrize("trial_status", Status.values)
@pytest.mark.parametrize("site_value", RecruitmentStatus.values)
def test_no_site_of_a_trial_that_is_not_open_reads_as_open(trial_status, site_value):
    shown = status.site_status(trial_status, site_value)
    trial_open = status.STATUS_WORDS[trial_status].standing == "open"
    site_open = status.STATUS_WORDS[site_value].standing == "open"
    if site_open and not trial_open:
        assert shown.standing == "disagrees"
        assert shown.words.endswith(
            f"the registry still lists this site as {status.STATUS_WORDS[site_value].badge.lower()}"
        )
        assert shown.words.startswith(
            "The trial is closed"
            if trial_status in CLOSED
            else "The trial's own status is not confirmed"
        )
    else:
        assert shown.words == status.STATUS_WORDS[site_value].badge
        assert shown.standing == status.STATUS_WORDS[site_value].standing


def test_the_milwaukee_case_in_words():
    shown = status.site_status("TERMINATED", "RECRUITING")
    assert shown.words == "The trial is closed; the registry still lists this site as recruiting"
    assert status.site_status("TERMINATED", "") is None


# Dates at their certainty


@pytest.mark.parametrize(
    ("day", "precision", "today", "passed"),
    [
        (D(2024, 10, 1), "MONTH", D(2024, 10, 31), False),  # "October 2024": not over yet
        (D(2024, 10, 1), "MONTH", D(2024, 11, 1), True),
        (D(2024, 1, 1), "YEAR", D(2024, 12, 31), False),
        (D(2024, 1, 1), "YEAR", D(2025, 1, 1), True),
        (D(2030, 5, 31), "DAY", D(2030, 5, 31), False),
        (D(2030, 5, 31), "DAY", D(2030, 6, 1), True),
        (D(2030, 5, 31), "", D(2030, 6, 1), True),  # no precision given: a day
    ],
)
def test_a_date_has_passed_once_its_whole_period_is_over(day, precision, today, passed):
    assert status.has_passed(day, precision, today) is passed


@pytest.mark.parametrize(
    ("date_type", "today", "words"),
    [
        ("ESTIMATED", D(2024, 10, 31), "Expected to end around October 2024"),
        (
            "ESTIMATED",
            D(2024, 11, 1),
            "Was expected to end in October 2024; the registry has not said since",
        ),
        ("ACTUAL", D(2030, 1, 1), "Ended in October 2024"),
        ("", D(2030, 1, 1), "October 2024"),  # the source does not say: a plain date
    ],
)
def test_an_end_date_says_how_sure_it_is(date_type, today, words):
    assert status.date_words("completion_date", D(2024, 10, 1), "MONTH", date_type, today) == words


def test_each_kind_of_date_has_its_words():
    today = D(2026, 1, 1)
    assert (
        status.date_words("start_date", D(2014, 1, 3), "DAY", "ACTUAL", today)
        == "Started on 3 January 2014"
    )
    assert (
        status.date_words("start_date", D(2027, 2, 1), "MONTH", "ESTIMATED", today)
        == "Expected to start around February 2027"
    )
    assert (
        status.date_words("primary_completion_date", D(2023, 10, 1), "MONTH", "ESTIMATED", today)
        == "Main results were expected in October 2023; the registry has not said since"
    )
    assert status.date_words("completion_date", None, "", "", today) == ""


# Honest staleness


RECENT = D(2025, 6, 1)


def dates(status_value="RECRUITING", last_update=RECENT, end=None, precision="", kind=""):
    return status.Dates(status_value, last_update, end, precision, kind)


TODAY = D(2026, 6, 1)


def test_a_record_updated_a_year_ago_to_the_day_is_not_stale():
    assert status.staleness(dates(last_update=TODAY - datetime.timedelta(days=365)), TODAY) == ""


def test_a_record_older_than_a_year_is_stale_and_says_what_to_do():
    stale = status.staleness(dates(last_update=TODAY - datetime.timedelta(days=366)), TODAY)
    assert stale == (
        "This may be out of date: the registry record was last updated in May 2025. Please "
        "confirm with the site that it is taking people before you travel."
    )


def test_how_old_is_too_old_is_a_setting(settings):
    settings.REGISTRY_STALE_AFTER_DAYS = 30
    assert status.staleness(dates(last_update=TODAY - datetime.timedelta(days=30)), TODAY) == ""
    assert status.staleness(dates(last_update=TODAY - datetime.timedelta(days=31)), TODAY)


def test_an_open_trial_past_its_expected_end_is_stale():
    recent = TODAY - datetime.timedelta(days=10)
    assert (
        status.staleness(dates(last_update=recent, end=D(2026, 6, 1), precision="MONTH"), TODAY)
        == ""
    )
    stale = status.staleness(
        dates(last_update=recent, end=D(2026, 5, 1), precision="MONTH", kind="ESTIMATED"), TODAY
    )
    assert "its expected end, May 2026, has passed" in stale


def test_a_record_with_no_update_date_cannot_be_called_current():
    assert "gives no date for its last update" in status.staleness(dates(last_update=None), TODAY)


def test_a_trial_under_way_says_it_may_have_moved_on():
    stale = status.staleness(dates("ACTIVE_NOT_RECRUITING", last_update=D(2017, 3, 1)), TODAY)
    assert stale.endswith("The trial may have moved on since: ask the trial team where it stands.")


@pytest.mark.parametrize("final", ["COMPLETED", "TERMINATED", "WITHDRAWN", "UNKNOWN", ""])
def test_a_final_status_is_never_called_stale(final):
    assert status.staleness(dates(final, last_update=D(2010, 1, 1)), TODAY) == ""


@pytest.mark.django_db
def test_the_quality_condition_finds_exactly_the_trials_the_pages_warn_about(settings):
    day = datetime.timedelta(days=1)
    year_ago = TODAY - datetime.timedelta(days=365)
    cases = [
        {"last_update_post_date": year_ago},
        {"last_update_post_date": year_ago - day},
        {"last_update_post_date": None},
        {"overall_status": "COMPLETED", "last_update_post_date": D(2010, 1, 1)},
        {"overall_status": "ACTIVE_NOT_RECRUITING", "last_update_post_date": D(2017, 3, 1)},
        *(
            {
                "last_update_post_date": TODAY,
                "completion_date": end,
                "completion_date_precision": precision,
                "completion_date_type": "ESTIMATED",
            }
            for end, precision in [
                (D(2026, 6, 1), "MONTH"),
                (D(2026, 5, 1), "MONTH"),
                (D(2026, 1, 1), "YEAR"),
                (D(2025, 1, 1), "YEAR"),
                (D(2026, 6, 1), "DAY"),
                (D(2026, 5, 31), "DAY"),
                (D(2026, 5, 31), ""),
            ]
        ),
    ]
    for fields in cases:
        factories.trial(**{"overall_status": "RECRUITING", **fields})
    found = set(Trial.objects.filter(status.stale_condition(TODAY)).values_list("pk", flat=True))
    warned = {t.pk for t in Trial.objects.all() if status.staleness(status.Dates.of(t), TODAY)}
    assert found == warned
    assert len(warned) == 7


# An old record's word for the present is dated


def test_an_old_records_present_status_is_dated_not_stated():
    old = status.Dates("RECRUITING", D(2020, 7, 28), None, "", "")
    today = D(2026, 11, 30)
    assert status.as_of(old, today) == "as of July 2020"
    assert status.dated_badge(old, today) == "Recruiting as of July 2020"
    assert status.headline("RECRUITING", as_of=status.as_of(old, today)) == (
        "Recruiting as of July 2020, the registry's last word: it may have changed since"
    )
    # A site's "Recruiting" in that record is the same old word.
    site = status.site_status("RECRUITING", "RECRUITING", as_of="as of July 2020")
    assert site == status.SiteStatus("Recruiting as of July 2020", status.Standing.UNCERTAIN)


def test_a_recent_record_or_a_final_status_is_not_dated(settings):
    today = D(2026, 11, 30)
    recent = status.Dates("RECRUITING", D(2025, 11, 30), None, "", "")  # a year to the day
    assert status.as_of(recent, today) == ""
    assert status.dated_badge(recent, today) == "Recruiting"
    completed = status.Dates("COMPLETED", D(2020, 7, 28), None, "", "")
    assert status.dated_badge(completed, today) == "Completed"
    settings.REGISTRY_STALE_AFTER_DAYS = 30
    assert status.as_of(status.Dates("RECRUITING", D(2026, 10, 30), None, "", ""), today) == (
        "as of October 2026"
    )
    assert status.headline("RECRUITING") == "Recruiting: you may be able to join"
    assert status.site_status("RECRUITING", "RECRUITING").words == "Recruiting"
