"""The load test's own pieces, without servers: the curator's save posts back the admin's real
change form and the trial is saved; the visitors' values come from the database; the report keeps
LOAD.md's notes and its other section."""

import re

import pytest
from django.db.models import Count
from django.test import Client

from bench.load import data, report
from bench.load.forms import form_fields
from trials import synthetic
from trials.models import Trial


@pytest.mark.django_db
def test_the_curators_save_posts_back_the_whole_change_form(curator, bundled_trials):
    client = Client(enforce_csrf_checks=True)  # the form's own token must come back
    client.force_login(curator)
    trial = Trial.objects.annotate(n=Count("sites")).filter(n__gt=0).order_by("n").first()
    change = f"/admin/trials/trial/{trial.pk}/change/"
    fields = form_fields(client.get(change).content.decode(), "trial_form")
    assert any(name.endswith("TOTAL_FORMS") for name, _ in fields)  # the rows inline
    fields = [pair for pair in fields if pair[0] != "curation_note"]
    fields += [("curation_note", "Checked during a load test."), ("_save", "Save")]

    posted = {}
    for name, value in fields:  # the test client takes repeated fields as lists
        posted.setdefault(name, []).append(value)
    response = client.post(change, posted)

    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    trial.refresh_from_db()
    assert trial.curation_note == "Checked during a load test."


def test_form_fields_are_read_as_a_browser_submits_them():
    html = """<form id="other"><input name="q" value="no"></form>
    <form id="trial_form" method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="t&amp;k">
      <input name="title" value="A &quot;quoted&quot; title"><input type="text" name="empty">
      <input type="checkbox" name="ticked" checked><input type="checkbox" name="unticked">
      <input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
      <input type="submit" name="_save" value="Save"><input name="off" value="x" disabled>
      <textarea name="note">
first line &lt;b&gt;</textarea>
      <select name="phases" multiple><option value="P1" selected>1</option>
        <option value="P2">2</option><option value="P3" selected>3</option></select>
    </form><input name="after" value="no">"""
    assert form_fields(html, "trial_form") == [
        ("csrfmiddlewaretoken", "t&k"),
        ("title", 'A "quoted" title'),
        ("empty", ""),
        ("ticked", "on"),
        ("kind", "b"),
        ("note", "first line <b>"),
        ("phases", "P1"),
        ("phases", "P3"),
    ]


@pytest.mark.django_db
def test_the_visitors_choose_from_what_the_database_holds(bundled_trials, settings):
    synthetic.generate_trials(count=60, seed=5, allow_real_trials=True)
    settings.PORTAL_SHOW_SYNTHETIC = True  # as in the load test (bench/settings.py)

    facts = data.facts()

    public = Trial.objects.published()
    assert set(facts["nct_ids"]) == set(public.values_list("nct_id", flat=True))
    assert set(facts["filters"]["status"]) == set(public.values_list("overall_status", flat=True))
    assert facts["cities"] and facts["words"]
    real = set(Trial.objects.filter(is_synthetic=False).values_list("pk", flat=True))
    assert real <= set(facts["edited_trials"])  # the curator edits real trials too
    assert facts["pages"] == public.count() // 20


def test_a_new_result_replaces_its_own_section_and_keeps_the_rest(tmp_path):
    path = tmp_path / "LOAD.md"
    path.write_text("# Notes by hand\n")
    report.replace_section("load", "first load", path)
    report.replace_section("fuzz", "first fuzz", path)
    report.replace_section("load", "second load", path)

    text = path.read_text()
    assert text.startswith("# Notes by hand\n")
    assert "second load" in text and "first load" not in text
    assert "first fuzz" in text
    assert text.index("second load") < text.index("first fuzz")
