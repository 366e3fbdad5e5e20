"""Report a problem with a page, and the accessibility statement: no account needed, CSRF-checked,
a honeypot, a limit per client address, clear 4xx answers to bad input, never a 500."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories
from trials.models import ProblemReport

pytestmark = pytest.mark.django_db

GOOD = {"kind": "WRONG", "message": "The phone number of the Boston site is wrong.", "email": ""}


def report_url(made):
    return reverse("trials:report-trial", args=[made.nct_id])


def send(client, url, **changes):
    return client.post(url, {**GOOD, **changes}, REMOTE_ADDR=changes.pop("address", "127.0.0.1"))


def test_every_trial_page_links_to_its_report_form_and_every_page_to_the_statement(client):
    made = factories.trial()
    trial_page = client.get(made.get_absolute_url()).content.decode()
    assert f'href="{report_url(made)}">Report a problem with this page</a>' in trial_page
    for path in ("/", "/trials/", made.get_absolute_url(), "/accessibility/", report_url(made)):
        page = client.get(path).content.decode()
        assert f'href="{reverse("trials:accessibility")}">Accessibility</a>' in page, path


def test_the_accessibility_statement_says_the_target_how_it_is_tested_and_how_to_report():
    page = Client().get("/accessibility/")
    assert page.status_code == 200
    text = page.content.decode()
    for words in (
        "WCAG",
        "2.2",
        "level AA",
        "axe-core",
        "Tab and Enter keys",
        "390 pixels",
        "Report a barrier",
    ):
        assert words in text
    assert "/report/?page=/accessibility/" in text


def test_a_visitor_reports_a_problem_with_a_trial_page_without_an_account(client):
    made = factories.trial()
    form = client.get(report_url(made))
    assert form.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
    response = send(client, report_url(made), email="parent@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("trials:report-sent")
    report = ProblemReport.objects.get()
    assert report.trial == made and report.page == made.get_absolute_url()
    assert report.kind == "WRONG" and report.email == "parent@example.org"
    assert not report.handled
    assert client.get(response["Location"]).status_code == 200


def test_a_report_about_any_page_keeps_only_an_address_on_this_site(client):
    assert send(client, "/report/", page="/trials/?q=leukemia").status_code == 302
    assert ProblemReport.objects.get().page == "/trials/?q=leukemia"
    for elsewhere in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = send(client, "/report/", page=elsewhere)
        assert response.status_code == 400
        assert "an address on this site" in response.content.decode()
    assert ProblemReport.objects.count() == 1


def test_a_report_needs_a_kind_and_a_message_of_at_least_10_characters(client):
    made = factories.trial()
    short = send(client, report_url(made), message="wrong")
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    assert send(client, report_url(made), message=" " * 3 + "x" * 10).status_code == 302
    unknown = send(client, report_url(made), kind="SPAM")
    assert unknown.status_code == 400
    assert "Select a valid choice" in unknown.content.decode()
    too_long = send(client, report_url(made), message="x" * 2001)
    assert too_long.status_code == 400
    assert send(client, report_url(made), message="x" * 2000).status_code == 302
    bad_email = send(client, report_url(made), email="not an address")
    assert bad_email.status_code == 400
    assert "Enter a valid email address" in bad_email.content.decode()
    assert ProblemReport.objects.count() == 2


def test_a_filled_honeypot_is_refused_and_stores_nothing(client):
    made = factories.trial()
    response = send(client, report_url(made), website="http://spam.example")
    assert response.status_code == 400
    assert "must be empty" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_five_reports_an_hour_per_address_then_a_429_other_addresses_unaffected(client, settings):
    settings.PROBLEM_REPORTS_PER_HOUR = 5
    made = factories.trial()
    for _ in range(5):
        assert send(client, report_url(made), address="203.0.113.9").status_code == 302
    sixth = send(client, report_url(made), address="203.0.113.9")
    assert sixth.status_code == 429
    assert "try again in an hour" in sixth.content.decode()
    assert send(client, report_url(made), address="198.51.100.7").status_code == 302
    assert ProblemReport.objects.count() == 6


def test_bad_input_never_gives_a_500(client):
    made = factories.trial()
    assert client.get("/trials/NCT99999999/report/").status_code == 404  # no such trial
    draft = factories.trial(publish=False)
    assert client.get(report_url(draft)).status_code == 404  # not public
    assert client.put(report_url(made)).status_code == 405
    assert client.post(report_url(made), {}).status_code == 400
    assert (
        client.post(
            report_url(made), {"kind": ["WRONG", "OTHER"], "message": ["a"] * 3}
        ).status_code
        == 400
    )
    assert client.get("/report/", {"page": "x" * 5000}).status_code == 200
    assert client.post("/report/", {**GOOD, "page": "/" + "x" * 400}).status_code == 400
    assert client.post(
        report_url(made), {**GOOD, "message": "\x00 null byte here"}
    ).status_code in (
        302,
        400,
    )


def test_a_report_without_the_csrf_token_is_refused():
    made = factories.trial()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(report_url(made), GOOD)
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()
    form = strict.get(report_url(made))
    token = form.cookies[settings.CSRF_COOKIE_NAME].value  # "__Host-csrftoken" in production
    sent = strict.post(report_url(made), {**GOOD, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
