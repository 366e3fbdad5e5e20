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
    """A radius as typed, without a needless ".0": 50 -> "50", 12.5 -> "12.5". For the query
    string: always with a point, whatever the page's language."""
    return f"{value:.1f}".removesuffix(".0")


# Translators: a distance or radius and its unit's symbol, e.g. "50 km"; "%(unit)s" is "km" or "mi".
DISTANCE = gettext_lazy("%(amount)s %(unit)s")


def say_radius(value, unit):
    """A radius given in `unit`, as the page's language writes numbers: "50 mi", "12,5 km"."""
    shown = number_format(value, decimal_pos=0 if float(value).is_integer() else 1)
    return DISTANCE % {"amount": shown, "unit": symbol(unit)}


def say_distance(km, unit):
    """A distance computed in km, in the visitor's unit to the nearest whole one: "210 mi"."""
    shown = number_format(round(from_km(km, unit)), force_grouping=True)
    return DISTANCE % {"amount": shown, "unit": symbol(unit)}


def symbol(unit):
    # Translators: the symbols of kilometres and miles after a number.
    return _("km") if unit == Unit.KM else _("mi")
