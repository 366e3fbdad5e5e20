"""An import's warnings in a curator's words (trials/registry/warnings.py): every place the record
reader can warn about is in the table, and each says where it is fixed."""

import json

from tests.conftest import BUNDLED
from trials.registry.record import map_study
from trials.registry.warnings import in_words

UNKNOWN = "NOT_A_VALUE_YET"


def every_vocabulary_value_unknown(node):
    """The record with each value of a vocabulary (a value in capitals, like "RECRUITING")
    replaced by one the portal does not know: every place the reader checks warns."""
    if isinstance(node, dict):
        return {key: every_vocabulary_value_unknown(value) for key, value in node.items()}
    if isinstance(node, list):
        return [every_vocabulary_value_unknown(value) for value in node]
    if isinstance(node, str) and node.isupper() and node.replace("_", "").isalpha():
        return UNKNOWN
    return node


def test_every_warning_of_a_record_full_of_unknown_values_is_in_words():
    for name in ("NCT03643276.json", "NCT02013167.json", "NCT06607419.json"):
        study = every_vocabulary_value_unknown(json.loads((BUNDLED / name).read_text()))
        warnings = map_study(study).warnings
        assert len(warnings) > 10, name
        for warning in warnings:
            worded = in_words(warning)
            assert worded.text != warning, warning  # translated, not passed through
            assert "Module" not in worded.text and "Struct" not in worded.text, worded.text
            assert worded.field or worded.row, warning
            if " characters long, " not in worded.text:  # an unknown value too long to store
                assert f"'{UNKNOWN}', a value the portal does not know yet" in worded.text


def test_a_value_shortened_to_fit_is_named_in_words_where_it_is_fixed():
    trial = in_words("trial.sex: 15 characters, more than the 10 it holds; shortened here, …")
    assert (trial.text, trial.field) == (
        "The trial's sex is 15 characters long, more than the 10 the portal keeps: shortened "
        "here (the stored record keeps it whole).",
        "sex",
    )
    contact = in_words("sites[3].contacts[0].phone: 70 characters, more than the 50 it holds; …")
    assert (contact.row, contact.position) == ("site", 3)
    assert contact.text.startswith("A contact's phone is 70 characters long")


def test_a_warning_names_the_field_or_the_row_where_it_is_fixed():
    status = in_words("protocolSection.statusModule.overallStatus: unknown value 'X' kept as given")
    assert (status.field, status.row) == ("overall_status", "")
    site = in_words(
        "protocolSection.contactsLocationsModule.locations[12].contacts[0].role: unknown value "
        "'X' kept as given"
    )
    assert (site.text, site.row, site.position) == (
        "The role of a site's contact is 'X', a value the portal does not know yet (kept as the "
        "registry gave it).",
        "site",
        12,
    )
    dates = in_words("statusModule: the start date is after the completion date")
    assert dates.text == "The trial's dates: the start date is after the completion date."
    assert dates.field == "start_date"


def test_a_warning_already_in_words_stays_as_it_is():
    warning = "arm 'Arm A' names an intervention 'Drug: X' not in the record"
    assert in_words(warning).text == warning
    assert not in_words(warning).field and not in_words(warning).row
