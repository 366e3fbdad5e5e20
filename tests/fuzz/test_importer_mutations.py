"""The importer given real records broken in the ways files break: fields dropped, repeated or of
the wrong type, junk dates, files cut short. It never raises (a broken record is reported, not a
crash), and a record is written whole or not at all: after a refusal the database is as it was;
after an import, importing the same record again changes nothing (what is stored is the whole
record, by its fingerprint)."""

import json
import re

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BUNDLED, SHARED_DATA
from trials.models import SourceFormat
from trials.registry.importer import import_records
from trials.registry.sources import read_text

from .conftest import count

pytestmark = pytest.mark.django_db

# Real records: the bundled ones and the project's shared ClinicalTrials.gov files.
RECORDS = {
    path.name: path.read_text()
    for folder in (BUNDLED, SHARED_DATA / "ctgov-v2", SHARED_DATA / "ctgov-legacy-xml")
    if folder.exists()
    for path in sorted(folder.glob("*"))
    if path.suffix in (".json", ".xml")
}
JSON_NAMES = sorted(name for name in RECORDS if name.endswith(".json"))
XML_NAMES = sorted(name for name in RECORDS if name.endswith(".xml"))

junk_dates = st.sampled_from(
    [
        "",
        "2024-02-30",
        "2024-13",
        "13/01/2024",
        "yesterday",
        "0000-00-00",
        "99999-01-01",
        "2024-1-1",
        "1e9",
        "2024-02-29T25:00",
        "June 31, 2020",
        "January 2024",
    ]  # fmt: skip
)
any_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=50), junk_dates
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=6,
)


def places(node, at=()):
    """The address of every value inside a parsed JSON record."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        yield (*at, key)
        if isinstance(value, dict | list):
            yield from places(value, (*at, key))


def mutate_json(data, study):
    """A real API v2 record with one to four of its fields dropped, repeated or replaced."""
    for _ in range(data.draw(st.integers(1, 4))):
        found = list(places(study))
        if not found:
            break
        *parent_at, key = data.draw(st.sampled_from(found))
        parent = study
        for step in parent_at:
            parent = parent[step]
        action = data.draw(st.sampled_from(["drop", "repeat", "retype", "date"]))
        if action == "drop":
            del parent[key]
        elif action == "repeat" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif action == "repeat":
            parent[key] = [parent[key], parent[key]]
        elif action == "retype":
            parent[key] = data.draw(any_value)
        else:
            parent[key] = data.draw(junk_dates)
    return json.dumps(study)


ELEMENT = re.compile(r"<(\w+)>([^<]*)</\1>")


def mutate_xml(data, text):
    """A real legacy XML record with one to four of its simple elements dropped, repeated or
    given junk text (dates included)."""
    for _ in range(data.draw(st.integers(1, 4))):
        found = list(ELEMENT.finditer(text))
        if not found:
            break
        element = data.draw(st.sampled_from(found))
        action = data.draw(st.sampled_from(["drop", "repeat", "junk", "date"]))
        if action == "drop":
            replacement = ""
        elif action == "repeat":
            replacement = element.group(0) * 2
        else:
            words = data.draw(junk_dates if action == "date" else st.text(max_size=30))
            escaped = words.replace("&", "&amp;").replace("<", "&lt;")
            replacement = f"<{element.group(1)}>{escaped}</{element.group(1)}>"
        text = text[: element.start()] + replacement + text[element.end() :]
    return text


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("trials").get_models()
    }


@given(data=st.data())
def test_a_mutated_record_is_imported_whole_or_not_at_all(bundled_trials, data):
    count("importer")
    name = data.draw(st.sampled_from(JSON_NAMES + XML_NAMES))
    if name.endswith(".json"):
        source_format = SourceFormat.API_V2_JSON
        text = mutate_json(data, json.loads(RECORDS[name]))
    else:
        source_format = SourceFormat.LEGACY_XML
        text = mutate_xml(data, RECORDS[name])
    if data.draw(st.booleans()):  # a file cut short
        text = text[: data.draw(st.integers(0, len(text)))]

    with transaction.atomic():  # each example undone after, so the next starts from the bundle
        before = row_counts()
        records = read_text(text, name=name, source_format=source_format)
        report = import_records(records, publish=True)
        if not (report.created or report.updated):
            assert row_counts() == before, report.failed or report.older
        if report.created or report.updated:
            settled = row_counts()
            again = import_records(read_text(text, name=name, source_format=source_format))
            assert not again.failed and not again.created and not again.updated, again.summary
            assert row_counts() == settled
        transaction.set_rollback(True)
