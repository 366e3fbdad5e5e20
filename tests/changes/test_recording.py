"""What an import records of a trial's changes (trials/changes.py), on real bundled records."""

import datetime
import json

from django.utils import timezone

from tests.changes.records import TRIAL, bundled_study, changed_everywhere, reimport, sites
from tests.conftest import FIRST_SEVEN_IDS
from trials import curation
from trials.models import ChangeKind, PublicationState, Trial, TrialChange
from trials.registry.importer import import_paths


def recorded(nct_id=TRIAL, **filters):
    return list(
        TrialChange.objects.filter(trial__nct_id=nct_id, **filters)
        .order_by("kind", "subject")
        .values_list("kind", "subject", "old_value", "new_value")
    )


def test_the_first_import_records_first_listed_with_the_registry_date(bundled_trials):
    assert TrialChange.objects.count() == len(FIRST_SEVEN_IDS)
    first = TrialChange.objects.get(trial__nct_id=TRIAL)
    assert first.kind == ChangeKind.FIRST_LISTED
    assert first.registry_posted_on == datetime.date(2024, 9, 23)


def test_an_unchanged_record_imported_again_records_nothing(bundled_trials, tmp_path):
    study = bundled_study()
    reimport(tmp_path, study, posted="2024-09-23")  # the same record, rewritten to a file
    assert TrialChange.objects.filter(trial__nct_id=TRIAL).count() == 1


def test_a_changed_record_records_each_change_families_care_about(bundled_trials, tmp_path):
    report = reimport(tmp_path, changed_everywhere(bundled_study()))
    assert report.updated == [TRIAL]

    made = [row for row in recorded() if row[0] != ChangeKind.FIRST_LISTED]
    hefei = "Anhui Provincial Children's Hospital, Hefei, Anhui, China"
    assert made == [
        ("ages", "maximum_age", "18 Years", "21 Years"),
        ("dates", "completion_date", "2030-05-31", "2031-01-31"),
        ("dates", "start_date", "2024-05-21", "2024-06"),
        ("eligibility", "", "", ""),
        ("site_added", "Synthetic Test Hospital, Hangzhou, China", "", "NOT_YET_RECRUITING"),
        (
            "site_closed",
            "Ningbo Women and Children's Hospital, Ningbo, Zhejiang, China",
            "RECRUITING",
            "ACTIVE_NOT_RECRUITING",
        ),
        (
            "site_closed",
            "Shanghai Children's Medical center, Shanghai, Shanghai Municipality, China",
            "RECRUITING",
            "COMPLETED",
        ),
        ("site_opened", hefei, "NOT_YET_RECRUITING", "RECRUITING"),
        (
            "site_removed",
            "Fujian Children's Hospital, Fuzhou, Fujian, China",
            "NOT_YET_RECRUITING",
            "",
        ),
        ("status", "", "RECRUITING", "ACTIVE_NOT_RECRUITING"),
    ]
    posted = TrialChange.objects.exclude(kind=ChangeKind.FIRST_LISTED).filter(trial__nct_id=TRIAL)
    assert {change.registry_posted_on for change in posted} == {datetime.date(2026, 2, 10)}


def test_a_site_status_change_that_neither_opens_nor_closes_is_a_status_change(
    bundled_trials, tmp_path
):
    study = bundled_study()
    sites(study)[2]["status"] = "ENROLLING_BY_INVITATION"  # open either way
    reimport(tmp_path, study)
    assert recorded(kind=ChangeKind.SITE_STATUS) == [
        (
            "site_status",
            "Shanghai Children's Medical center, Shanghai, Shanghai Municipality, China",
            "RECRUITING",
            "ENROLLING_BY_INVITATION",
        )
    ]


def test_a_site_whose_status_the_record_drops_is_not_said_to_close(bundled_trials, tmp_path):
    study = bundled_study()
    del sites(study)[2]["status"]  # Shanghai was recruiting
    reimport(tmp_path, study)
    assert [kind for kind, *_ in recorded(kind__startswith="site")] == ["site_status"]


def test_results_posted_are_recorded_once(db, tmp_path):
    with_results = bundled_study("NCT02013167")
    without = bundled_study("NCT02013167")
    del without["resultsSection"]
    without["hasResults"] = False
    posted = without["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct")
    reimport(tmp_path, without, posted="2016-01-01")
    reimport(tmp_path, with_results, posted="2018-06-01")
    reimport(tmp_path, bundled_study("NCT02013167"), posted="2019-06-01")  # results still there
    assert recorded("NCT02013167", kind=ChangeKind.RESULTS_POSTED) == [
        ("results_posted", "", "", posted["date"])
    ]


def test_a_dry_run_records_nothing(bundled_trials, tmp_path):
    path = tmp_path / "changed.json"
    study = changed_everywhere(bundled_study())
    path.write_text(json.dumps(study))
    import_paths([path], dry_run=True)
    assert TrialChange.objects.filter(trial__nct_id=TRIAL).count() == 1


def test_a_curators_correction_of_a_published_trial_is_recorded(bundled_trials, curator):
    trial = Trial.objects.get(nct_id=TRIAL)
    before = Trial.objects.get(pk=trial.pk)
    trial.overall_status = "ACTIVE_NOT_RECRUITING"
    trial.save()
    curation.record_corrections(trial, before=before, user=curator)
    assert recorded(kind=ChangeKind.CORRECTION) == [
        ("correction", "Overall status", "Recruiting", "Active, not recruiting")
    ]


def test_a_correction_of_a_draft_is_not_recorded(db, curator, tmp_path):
    reimport(tmp_path, bundled_study())  # imported as a draft
    trial = Trial.objects.get(nct_id=TRIAL)
    before = Trial.objects.get(pk=trial.pk)
    trial.overall_status = "ACTIVE_NOT_RECRUITING"
    trial.save()
    curation.record_corrections(trial, before=before, user=curator)
    assert recorded(kind=ChangeKind.CORRECTION) == []


def test_withdrawing_a_public_trial_records_it_and_a_draft_does_not(bundled_trials, curator):
    public = Trial.objects.get(nct_id=TRIAL)
    draft = Trial.objects.get(nct_id="NCT07117136")
    draft.publication_state = PublicationState.DRAFT
    draft.save()
    curation.set_publication_state(
        [public, draft], PublicationState.WITHDRAWN, user=curator, reason="test"
    )
    assert recorded(kind=ChangeKind.WITHDRAWN) == [("withdrawn", "", "", "")]
    assert recorded("NCT07117136", kind=ChangeKind.WITHDRAWN) == []


def test_a_draft_published_later_is_first_listed_when_published(db, curator, tmp_path):
    reimport(tmp_path, bundled_study())  # imported as a draft
    long_ago = timezone.make_aware(datetime.datetime(2025, 1, 1))
    TrialChange.objects.filter(trial__nct_id=TRIAL).update(seen_at=long_ago)
    trial = Trial.objects.get(nct_id=TRIAL)
    before = timezone.now()
    curation.set_publication_state([trial], PublicationState.PUBLISHED, user=curator)
    first = TrialChange.objects.get(trial=trial, kind=ChangeKind.FIRST_LISTED)
    assert first.seen_at >= before
    # Withdrawn, then published again: it was listed before, and stays first listed then.
    curation.set_publication_state([trial], PublicationState.WITHDRAWN, user=curator)
    curation.set_publication_state([trial], PublicationState.PUBLISHED, user=curator)
    assert TrialChange.objects.get(trial=trial, kind=ChangeKind.FIRST_LISTED).seen_at == (
        first.seen_at
    )


def test_a_draft_published_from_its_admin_page_is_first_listed_then(curator_client, tmp_path):
    from tests.admin.pages import post_change_form

    reimport(tmp_path, bundled_study())  # imported as a draft
    long_ago = timezone.make_aware(datetime.datetime(2025, 1, 1))
    TrialChange.objects.filter(trial__nct_id=TRIAL).update(seen_at=long_ago)
    trial = Trial.objects.get(nct_id=TRIAL)
    before = timezone.now()
    response = post_change_form(curator_client, trial, {"publication_state": "PUBLISHED"})
    assert response.status_code == 302
    first = TrialChange.objects.get(trial=trial, kind=ChangeKind.FIRST_LISTED)
    assert first.seen_at >= before
    # Saved again, already public: nothing moves.
    post_change_form(curator_client, trial, {"brief_title": trial.brief_title})
    assert TrialChange.objects.get(pk=first.pk).seen_at == first.seen_at
