"""Synthetic trials: realistic mixes, always marked synthetic, never published, and never mixed
into a database of real trials unless asked."""

import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from trials import synthetic
from trials.models import Contact, Intervention, SearchTerm, Site, Trial
from trials.places import gazetteer as geo
from trials.search import columns as search_columns
from trials.search import query as text_search
from trials.synthetic import generator, load
from trials.vocabularies import OPEN_STATUSES

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(db):
    report = synthetic.generate_trials(count=200, seed=1)
    return report


def test_every_generated_trial_is_synthetic_and_numbered_apart(generated):
    assert generated.trials == Trial.objects.count() == 200
    assert not Trial.objects.filter(is_synthetic=False).exists()
    assert all(
        nct_id.startswith("NCT9") for nct_id in Trial.objects.values_list("nct_id", flat=True)
    )
    assert generated.first_nct_id == "NCT90000000"
    assert Trial.objects.filter(source_description=generator.SOURCE_DESCRIPTION).count() == 200


def test_synthetic_trials_cannot_be_published(generated):
    assert not Trial.objects.published().exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Trial.objects.filter(is_synthetic=True).update(publication_state="PUBLISHED")


def test_statuses_phases_ages_and_sexes_look_like_the_registry(generated):
    trials = Trial.objects.all()
    statuses = Counter(trials.values_list("overall_status", flat=True))
    assert statuses.most_common(1)[0][0] == "COMPLETED"
    closed = sum(n for s, n in statuses.items() if s in ("COMPLETED", "TERMINATED", "WITHDRAWN"))
    assert 0.45 < closed / 200 < 0.8
    assert 0.03 < sum(statuses[s] for s in OPEN_STATUSES) / 200 < 0.3
    phases = Counter(tuple(p) for p in trials.values_list("phases", flat=True))
    assert phases[("NA",)] > 10 and phases[()] > 10  # observational studies have no phase
    assert phases[("PHASE1", "PHASE2")] + phases[("PHASE2", "PHASE3")] > 0
    ages = list(trials.values_list("minimum_age", "maximum_age", "std_ages"))
    assert sum(1 for _, high, _ in ages if not high) > 100  # most have no upper age
    assert any(groups == ["CHILD"] for _, _, groups in ages)  # children only
    assert any(low == "18 Years" and "CHILD" not in groups for low, _, groups in ages)
    assert Counter(trials.values_list("sex", flat=True)).most_common(1)[0][0] == "ALL"


def test_sites_are_skewed_and_placed_in_cities_the_gazetteer_knows(generated):
    counts = list(Trial.objects.values_list("site_count", flat=True))
    assert min(counts) >= 1
    assert statistics.median(counts) <= 3
    assert max(counts) >= 20
    assert Site.objects.count() == sum(counts)
    countries = Counter(Site.objects.values_list("country", flat=True))
    assert countries.most_common(1)[0][0] == "United States"
    assert not Site.objects.filter(latitude=None).exists()
    assert not Site.objects.filter(coordinates_approximate=False).exists()
    for site in Site.objects.order_by("?")[:20]:
        assert geo.locate_site(site.city, site.state, site.country) == (
            site.latitude,
            site.longitude,
        )


def test_the_searchable_text_is_what_refresh_search_fields_writes(generated):
    columns = [
        "search_primary",
        "search_secondary",
        "search_tertiary",
        "search_other",
        "site_count",
        "site_countries",
        "intervention_types",
    ]
    for trial in Trial.objects.order_by("nct_id")[:15]:
        generated_values = [getattr(trial, column) for column in columns]
        vector = Trial.objects.filter(pk=trial.pk).values_list("search_vector", flat=True)[0]
        search_columns.refresh_search_fields(trial)
        trial.refresh_from_db()
        assert [getattr(trial, column) for column in columns] == generated_values, trial.nct_id
        if connection.vendor == "postgresql":
            assert str(trial.search_vector) == str(vector)


def test_search_finds_generated_trials_and_words_are_remembered(generated):
    query = text_search.clean_query("acute lymphoblastic leukemia")
    found = text_search.search(Trial.objects.all(), query)
    assert found.exists()
    assert SearchTerm.objects.filter(word="lymphoblastic").exists()
    assert Intervention.objects.exists()
    assert Contact.objects.filter(kind="CENTRAL").exists()


def test_a_seed_gives_the_same_trials_and_numbers_follow_on(db):
    synthetic.generate_trials(count=5, seed=7)
    first = list(Trial.objects.order_by("nct_id").values_list("brief_title", flat=True))
    synthetic.generate_trials(count=3, seed=7)
    assert Trial.objects.order_by("-nct_id").first().nct_id == "NCT90000007"
    Trial.objects.all().delete()
    synthetic.generate_trials(count=5, seed=7)
    assert list(Trial.objects.order_by("nct_id").values_list("brief_title", flat=True)) == first


def test_a_database_with_real_trials_is_refused(bundled_trials):
    with pytest.raises(synthetic.RealTrialsPresent, match="7 real trials"):
        synthetic.generate_trials(count=5)
    with pytest.raises(CommandError, match="--allow-real-trials"):
        call_command("generate_trials", "--trials", "5")
    assert not Trial.objects.filter(is_synthetic=True).exists()


def test_real_trials_may_be_joined_when_asked(bundled_trials):
    call_command("generate_trials", "--trials", "5", "--allow-real-trials")
    assert Trial.objects.filter(is_synthetic=True).count() == 5
    assert Trial.objects.published().count() == 7  # the real ones, and only those


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load only")
def test_a_large_load_rebuilds_exactly_the_indexes_it_dropped(db, monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'trials_%%' "
                "ORDER BY indexname"
            )
            return cursor.fetchall()

    before = indexes()
    monkeypatch.setattr(load, "LARGE_LOAD", 10)
    report = synthetic.generate_trials(count=20, seed=2)
    assert "rebuilding indexes (s)" in report.timings
    assert indexes() == before
    assert Trial.objects.filter(search_vector__isnull=False).count() == 20
