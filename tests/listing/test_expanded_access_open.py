"""An expanded-access programme that is "Available" is open to enrolment everywhere: its words,
the "open" filter, the counts and the open-first order (made-up trials)."""

import pytest

from tests.factories import trial
from tests.search.test_search import listed
from trials.models import Trial
from trials.vocabularies import OPEN_STATUSES

pytestmark = pytest.mark.django_db


def test_available_is_listed_among_the_open_trials(client):
    available = trial(overall_status="AVAILABLE", study_type="EXPANDED_ACCESS").nct_id
    completed = trial(overall_status="COMPLETED").nct_id
    assert Trial.objects.open_to_enrolment().get().nct_id == available
    assert listed(client) == [available, completed]
    assert listed(client, status=list(OPEN_STATUSES)) == [available]
