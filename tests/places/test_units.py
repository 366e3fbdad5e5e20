"""Kilometres or miles: the rule and the conversion (trials/places/units.py)."""

import pytest

from trials.places.units import (
    Unit,
    choose_unit,
    from_km,
    say_distance,
    say_radius,
    to_km,
)


@pytest.mark.parametrize(
    ("chosen", "country", "language", "unit"),
    [
        ("", "", "", Unit.KM),  # nothing known: kilometres, as most of the world reads
        ("", "United States", "", Unit.MI),  # a U.S. place
        ("", "Germany", "", Unit.KM),
        ("", "", "en-US,en;q=0.9", Unit.MI),  # no place: an American browser
        ("", "", "es-US", Unit.MI),
        ("", "", "en-GB,en;q=0.8", Unit.KM),
        ("", "", "de-DE,en-US;q=0.5", Unit.KM),  # the first language decides
        ("", "", "en;q=0.5,en-US;q=0.9", Unit.MI),  # first by preference, not by order
        ("", "Germany", "en-US", Unit.KM),  # the place says otherwise
        ("", "United States", "de-DE", Unit.MI),
        ("km", "United States", "en-US", Unit.KM),  # the visitor's choice above all
        ("mi", "Germany", "de-DE", Unit.MI),
        ("furlongs", "Germany", "", Unit.KM),  # a choice we do not know is no choice
        ("", "", "not a header ;;; q=x", Unit.KM),
    ],
)
def test_which_unit(chosen, country, language, unit):
    assert choose_unit(chosen, country=country, accept_language=language) == unit


def test_a_mile_is_the_international_mile():
    assert to_km(1, Unit.MI) == pytest.approx(1.609344)
    assert from_km(1.609344, Unit.MI) == pytest.approx(1)
    assert to_km(50, Unit.KM) == 50 and from_km(50, Unit.KM) == 50
    assert from_km(to_km(37.5, Unit.MI), Unit.MI) == pytest.approx(37.5)


def test_distances_and_radii_in_words():
    assert say_distance(131.05, Unit.MI) == "81 mi"
    assert say_distance(131.05, Unit.KM) == "131 km"
    assert say_distance(11232.4, Unit.KM) == "11,232 km"
    assert say_radius(50.0, Unit.MI) == "50 mi"
    assert say_radius(12.5, Unit.KM) == "12.5 km"
