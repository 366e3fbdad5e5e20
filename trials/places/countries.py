"""A country's name in the visitor's language.

The registry writes countries in English ("United States", "Korea, Republic of"); the gazetteer
turns its spellings into ISO codes, and the Unicode CLDR's names (through Babel) say each one in
the active language: "Estados Unidos", "美国". A name neither knows is shown as the registry gives
it (the page marks it as English).
"""

from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale

from .gazetteer import country_code


def is_english():
    """Whether the page is in English (the registry's language), or i18n is off."""
    return (get_language() or "en").split("-")[0] == "en"


def country_in_language(name):
    """The country's name in the active language, or None when it cannot be said (the caller
    shows the registry's English). In English, the registry's own spelling, unchanged."""
    if not name or is_english():
        return name
    return named(name, get_language())


@cache
def named(name, language):
    """country_in_language() for one name and language, worked out once (a trial page names a
    country for each of its sites)."""
    code = country_code(name) or english_codes().get(name.casefold())
    if code is None:
        return None
    try:
        return Locale.parse(to_locale(language)).territories.get(code)
    except (UnknownLocaleError, ValueError):
        return None


@cache
def english_codes():
    """CLDR's English names -> code, for the names the gazetteer has no country for ("European
    Union", in a drug's approvals)."""
    return {name.casefold(): code for code, name in Locale("en").territories.items()}
