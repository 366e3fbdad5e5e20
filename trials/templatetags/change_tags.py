"""Words for a trial's changes (trials/models/changes.py): the values are stored as the registry
gives them, and said here in the page's language. {% load change_tags %}"""

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trials.parsing import format_partial_date, say_age
from trials.vocabularies import DatePrecision

register = template.Library()

# The dates and ages a change names (TrialChange.subject), as a family reads them.
CHANGED_FIELDS = {
    "start_date": gettext_lazy("start date"),
    "primary_completion_date": gettext_lazy("date the main results are expected"),
    "completion_date": gettext_lazy("end date"),
    "minimum_age": gettext_lazy("youngest age to join"),
    "maximum_age": gettext_lazy("oldest age to join"),
}
# ISO text cut to the registry's precision (trials/changes.py, partial_iso), by its length.
PRECISION_BY_LENGTH = {4: DatePrecision.YEAR, 7: DatePrecision.MONTH, 10: DatePrecision.DAY}


@register.filter
def changed_field(name):
    """A changed date's or age's name in words: "start_date" -> "start date"."""
    return CHANGED_FIELDS.get(name, name)


@register.filter
def partial_date(text):
    """ "2026-03" -> "March 2026", in the page's language; empty: "not given"."""
    precision = PRECISION_BY_LENGTH.get(len(text or ""))
    if precision is None:
        return _("not given")
    padded = text + "-01" * ((10 - len(text)) // 3)
    try:
        day = datetime.date.fromisoformat(padded)
    except ValueError:
        return text
    return format_partial_date(day, precision)


@register.filter
def age_words(text):
    """ "18 Years" -> "18 years", in the page's language; empty: "no limit given"."""
    return say_age(text) if text else _("no limit given")
