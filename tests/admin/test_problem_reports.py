"""Curators read what visitors reported, and mark it handled (as a curator, not a superuser)."""

import pytest
from django.urls import reverse

from tests import factories
from trials.models import ProblemReport

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:trials_problemreport_changelist"


def report(**fields):
    fields.setdefault("kind", "WRONG")
    fields.setdefault("message", "The phone number of the site is wrong.")
    return ProblemReport.objects.create(**fields)


def test_the_index_links_to_the_reports_not_yet_handled(curator_client):
    page = curator_client.get(reverse("admin:index")).content.decode()
    assert reverse(CHANGELIST) + "?handled__exact=0" in page


def test_a_curator_lists_reports_with_their_trial_and_marks_them_handled(curator_client, curator):
    made = factories.trial()
    first = report(trial=made, page=made.get_absolute_url())
    second = report(kind="BARRIER", page="/accessibility/", message="The map traps my keyboard.")
    listing = curator_client.get(reverse(CHANGELIST), {"handled__exact": "0"}).content.decode()
    assert made.nct_id in listing and "/accessibility/" in listing
    assert "The map traps my keyboard." in listing
    response = curator_client.post(
        reverse(CHANGELIST),
        {"action": "mark_selected_handled", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.handled and first.handled_by == curator and first.handled_at is not None
    assert ProblemReport.objects.filter(handled=False).count() == 0
    listing = curator_client.get(reverse(CHANGELIST), {"handled__exact": "0"}).content.decode()
    assert "The map traps my keyboard." not in listing


def test_the_handled_mark_is_all_a_curator_can_change_on_a_report(curator_client, curator):
    sent = report(email="parent@example.org")
    url = reverse("admin:trials_problemreport_change", args=[sent.pk])
    page = curator_client.get(url)
    assert page.status_code == 200
    assert 'name="handled"' in page.content.decode()
    assert 'name="message"' not in page.content.decode()
    response = curator_client.post(url, {"handled": "on", "message": "Changed by a curator."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.handled and sent.handled_by == curator
    assert sent.message == "The phone number of the site is wrong."
    # Unticked again: not handled, by nobody.
    curator_client.post(url, {})
    sent.refresh_from_db()
    assert not sent.handled and sent.handled_by is None and sent.handled_at is None


def test_a_curator_can_neither_add_nor_delete_a_report(curator_client):
    sent = report()
    assert curator_client.get(reverse("admin:trials_problemreport_add")).status_code == 403
    delete = reverse("admin:trials_problemreport_delete", args=[sent.pk])
    assert curator_client.get(delete).status_code == 403
    assert curator_client.post(delete, {"post": "yes"}).status_code == 403
    assert ProblemReport.objects.filter(pk=sent.pk).exists()
