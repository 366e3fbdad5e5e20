"""Kilometres or miles: which unit a visitor reads distances in, and the conversion, written once.

Families in the United States think in miles, everyone else in kilometres. The place typed says
where the visitor looks (a U.S. city, ZIP code, state or the country itself); without one, the
browser's preferred language does ("en-US"). A `units=` the visitor chose overrides both.
Distances are computed and stored in km everywhere; only what is read or shown is converted.
"""

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

KM_PER_MILE = 1.609344  # the international mile
US_COUNTRY = "United States"  # as the registry (and trials/places/gazetteer.py) writes it


class Unit(models.TextChoices):
    KM = "km", gettext_lazy("kilometres")
    MI = "mi", gettext_lazy("miles")


def choose_unit(chosen="", *, country="", accept_language=""):
    """The unit to show: the visitor's choice (`units=`), else that of the country of the place
    typed, else miles when the browser's first language is American ("en-US", "es-US")."""
    if chosen in Unit.values:
        return Unit(chosen)
    if country:
        return Unit.MI if country == US_COUNTRY else Unit.KM
    languages = parse_accept_lang_header(accept_language or "")
    if languages and languages[0][0].lower().endswith("-us"):
        return Unit.MI
    return Unit.KM


def to_km(value, unit):
    return value * KM_PER_MILE if unit == Unit.MI else value


def from_km(km, unit):
    return km / KM_PER_MILE if unit == Unit.MI else km


def amount(value):
    """A radius as typed, without a needless ".0": 50 -> "50", 12.5 -> "12.5"."""
    return f"{value:.1f}".removesuffix(".0")


# A number and its unit, as each language writes them: "210 mi", "210 英里".
SAY = {
    Unit.KM: lambda number: _("%(number)s km") % {"number": number},
    Unit.MI: lambda number: _("%(number)s mi") % {"number": number},
}


def say_radius(value, unit):
    """A radius given in `unit`: "50 mi"."""
    return SAY[Unit(unit)](amount(value))


def say_distance(km, unit):
    """A distance computed in km, in the visitor's unit to the nearest whole one: "210 mi",
    "1,250 km" (grouped as the active language groups thousands)."""
    rounded = round(from_km(km, unit))
    return SAY[Unit(unit)](number_format(rounded, force_grouping=True))
