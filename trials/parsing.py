"""Registry values that need reading before they can be queried: partial dates and ages."""

import datetime
import re
from decimal import Decimal

from django.utils import dateformat
from django.utils.translation import ngettext, pgettext

from .vocabularies import DatePrecision

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


class ValueProblem(ValueError):
    """A value the registry schema says cannot look like this."""


def parse_partial_date(text):
    """'2010', '2010-11' or '2010-11-05' -> (first day of that period, precision).

    The day of a year-month date is not invented: it is stored as the 1st with precision MONTH,
    and pages print "November 2010".
    """
    text = text.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        raise ValueProblem(f"{text!r} is not a date in yyyy, yyyy-MM or yyyy-MM-dd form")
    year, month, day = match.groups()
    if month is None and day is not None:
        raise ValueProblem(f"{text!r} is not a date")
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real date") from None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return value, precision


def legacy_date_to_iso(text):
    """Legacy XML dates, 'September 21, 2010' or 'November 2010', -> '2010-09-21' or '2010-11'."""
    text = text.strip()
    match = re.fullmatch(r"([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})", text)
    if not match or match.group(1).lower() not in MONTHS:
        raise ValueProblem(f"{text!r} is not a date like 'September 21, 2010' or 'November 2010'")
    month_name, day, year = match.groups()
    month = MONTHS[month_name.lower()]
    if day:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}"


def format_partial_date(value, precision):
    """A date as a person reads it, to the precision the registry gives, in the active language:
    '5 November 2010', 'November 2010' or '2010' ('5 de noviembre de 2010', '2010年11月5日')."""
    if value is None:
        return ""
    # Django's date format characters; each language orders them its own way, and Django's
    # own catalogues name the months.
    if precision == DatePrecision.YEAR:
        shape = pgettext("a date given to the year", "Y")
    elif precision == DatePrecision.MONTH:
        shape = pgettext("a date given to the month", "F Y")
    else:
        shape = pgettext("a date given to the day", "j F Y")
    return dateformat.format(value, shape)


# A registry age: '18 Years', '6 Months'.
AGE = re.compile(r"(\d+(?:\.\d+)?)\s+(Year|Month|Week|Day|Hour|Minute)s?", re.IGNORECASE)

# The registry's age units, as a family reads an age in each ("18 years", "6 months").
AGE_WORDS = {
    "year": lambda n: ngettext("%(count)s year", "%(count)s years", n),
    "month": lambda n: ngettext("%(count)s month", "%(count)s months", n),
    "week": lambda n: ngettext("%(count)s week", "%(count)s weeks", n),
    "day": lambda n: ngettext("%(count)s day", "%(count)s days", n),
    "hour": lambda n: ngettext("%(count)s hour", "%(count)s hours", n),
    "minute": lambda n: ngettext("%(count)s minute", "%(count)s minutes", n),
}


def say_age(text):
    """A registry age in the active language: '18 Years' -> '18 years', '1 Month' -> '1 month';
    an age it cannot read is shown as given, in lower case."""
    match = AGE.fullmatch(text.strip())
    if not match:
        return text.lower()
    number, unit = match.group(1), match.group(2).lower()
    # A whole number of years said in a smaller unit reads as years: "365 Days" is "1 year",
    # which a family takes in at once ("Ages 365 days to 31 years" read as a riddle).
    per_year = WHOLE_YEAR.get(unit)
    if per_year and number.isdigit() and int(number) and int(number) % per_year == 0:
        number, unit = str(int(number) // per_year), "year"
    # The plural form follows the number; a fraction ("1.5 years") reads as a plural.
    count = int(number) if number.isdigit() else 2
    return AGE_WORDS[unit](count) % {"count": number}


# The units a registry writes a whole year in: 365 days, 52 weeks, 12 months.
WHOLE_YEAR = {"day": 365, "week": 52, "month": 12}

# How many years one unit is: the registry's age units.
AGE_UNITS = {
    "year": Decimal(1),
    "month": Decimal(1) / Decimal(12),
    "week": Decimal(7) / Decimal("365.25"),
    "day": Decimal(1) / Decimal("365.25"),
    "hour": Decimal(1) / (Decimal("365.25") * 24),
    "minute": Decimal(1) / (Decimal("365.25") * 24 * 60),
}


def parse_age(text):
    """'18 Years' -> (18 years, 1 year), the age and its unit in years; '' or 'N/A' -> None."""
    text = text.strip()
    if text in ("", "N/A"):
        return None
    match = AGE.fullmatch(text)
    if not match:
        raise ValueProblem(f"{text!r} is not an age like '18 Years' or '6 Months'")
    unit = AGE_UNITS[match.group(2).lower()]
    return Decimal(match.group(1)) * unit, unit


def minimum_above_maximum(minimum_age, maximum_age):
    """Whether a minimum age text is above the maximum; False when either is empty. Raises
    ValueProblem for an age it cannot read. Imports refuse such a record, curators' saves too."""
    low, high = parse_age(minimum_age), parse_age(maximum_age)
    return bool(low and high and low[0] > high[0])


def age_bounds(minimum_age, maximum_age):
    """The registry's minimum and maximum age texts -> (lowest age admitted, age at which a person
    becomes too old), in years, rounded to 3 places. The registry counts a maximum as a completed
    age: "18 Years" admits someone aged 18 years and 11 months."""
    lower = parse_age(minimum_age)
    upper = parse_age(maximum_age)
    quantum = Decimal("0.001")
    return (
        lower[0].quantize(quantum) if lower else None,
        (upper[0] + upper[1]).quantize(quantum) if upper else None,
    )
