import pytest

from tests.prescreen.table import confirm_from_table
from trials.models import Trial


@pytest.fixture
def confirmed_trials(bundled_trials):
    """The first seven bundled trials, published, their attributes confirmed from the table."""
    for trial in Trial.objects.all():
        confirm_from_table(trial)
    return bundled_trials
