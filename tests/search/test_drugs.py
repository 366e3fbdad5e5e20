"""The drugs of a trial, one rule for search and for the trial's page (search.columns.trial_drugs):
its interventions, and the approved drugs its titles name as whole words."""

import pytest

from tests.factories import trial
from tests.search.test_search import listed
from trials.models import DrugApproval
from trials.search.columns import trial_drugs

pytestmark = pytest.mark.django_db


def test_a_drug_counts_only_as_a_whole_word_of_the_titles():
    known = ["Blinatumomab"]
    assert trial_drugs([], "Blinatumomab, then chemotherapy", known) == ["Blinatumomab"]
    assert trial_drugs([], "Blinatumomab-based consolidation", known) == ["Blinatumomab"]
    assert trial_drugs([], "BLINATUMOMAB in children", known) == ["Blinatumomab"]
    assert trial_drugs([], "Antiblinatumomab antibodies", known) == []
    assert trial_drugs(["Inotuzumab"], "No drug named", known) == ["Inotuzumab"]


def test_search_and_the_page_agree_on_a_drug_named_in_the_title(client):
    DrugApproval.objects.create(
        drug="Blinatumomab", jurisdiction="United States", brand_name="Blincyto"
    )
    named = trial(brief_title="Blinatumomab, then chemotherapy, for B-ALL")
    inside_a_word = trial(brief_title="Antiblinatumomab antibodies after treatment")
    # Search: the brand name finds the trial whose title names the drug, not the other.
    assert listed(client, q="Blincyto") == [named.nct_id]
    # The page: the drug's approval is shown on the first trial's page only. (Every trial page
    # names the brand in its quick check's question, "blinatumomab (Blincyto) before?".)
    approved = "Is the drug already approved?"
    assert approved in client.get(named.get_absolute_url()).content.decode()
    assert approved not in client.get(inside_a_word.get_absolute_url()).content.decode()
