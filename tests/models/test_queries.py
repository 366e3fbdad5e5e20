"""Phases and ages must be queryable the same way on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest

from trials.models import Trial

pytestmark = pytest.mark.django_db


def ids(queryset):
    return sorted(queryset.values_list("nct_id", flat=True))


def test_a_two_phase_trial_is_found_under_either_phase(bundled_trials):
    assert "NCT06607419" in ids(Trial.objects.in_phase("PHASE2"))
    assert "NCT06607419" in ids(Trial.objects.in_phase("PHASE3"))
    assert ids(Trial.objects.in_phase("PHASE2")) == ["NCT01207388", "NCT04556084", "NCT06607419"]


def test_a_phase_does_not_match_inside_another_name(db):
    Trial.objects.create(nct_id="NCT90000001", phases=["EARLY_PHASE1"])  # synthetic
    Trial.objects.create(nct_id="NCT90000002", phases=["PHASE1", "PHASE2"])  # synthetic
    assert ids(Trial.objects.in_phase("PHASE1")) == ["NCT90000002"]
    assert ids(Trial.objects.in_phase("EARLY_PHASE1")) == ["NCT90000001"]


def test_age_groups_are_queryable(bundled_trials):
    adults = ids(Trial.objects.for_age_group("ADULT"))
    assert "NCT04556084" in adults  # the record says ADULT
    assert "NCT02013167" in adults  # TOWER names no group; its limits say 18 and over
    assert "NCT03643276" not in adults  # the record says CHILD only
    children = ids(Trial.objects.for_age_group("CHILD"))
    assert "NCT03643276" in children
    assert "NCT06607419" in children  # 1 month to 18 years, no group named
    assert "NCT02013167" not in children


def test_age_bounds_are_numbers_in_years(bundled_trials):
    child_trial = Trial.objects.get(nct_id="NCT06607419")  # 1 Month to 18 Years
    assert child_trial.minimum_age_years == Decimal("0.083")
    assert child_trial.maximum_age_years_exclusive == Decimal("19.000")
    adult_trial = Trial.objects.get(nct_id="NCT02013167")  # 18 Years, no maximum
    assert adult_trial.minimum_age_years == Decimal("18.000")
    assert adult_trial.maximum_age_years_exclusive is None


@pytest.mark.parametrize(
    ("age", "included", "excluded"),
    [
        (10, {"NCT06607419", "NCT04556084"}, {"NCT02013167", "NCT01207388"}),
        (40, {"NCT02013167", "NCT01207388", "NCT07117136"}, {"NCT06607419", "NCT04556084"}),
        # 18 and a half: still "18 Years" old, so inside a maximum of 18 Years.
        (Decimal("18.5"), {"NCT06607419", "NCT02013167"}, {"NCT03643276"}),
        (Decimal("0.05"), {"NCT03643276", "NCT04556084"}, {"NCT06607419"}),  # under one month
    ],
)
def test_eligible_at_age_keeps_trials_without_a_bound(bundled_trials, age, included, excluded):
    found = set(ids(Trial.objects.eligible_at_age(age)))
    assert included <= found
    assert not excluded & found


def test_open_to_enrolment_means_recruiting_not_yet_or_by_invitation(bundled_trials):
    assert ids(Trial.objects.open_to_enrolment()) == ["NCT06607419", "NCT07117136"]
