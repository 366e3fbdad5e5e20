from django import template

from trials.parsing import format_partial_date
from trials.vocabularies import Phase

register = template.Library()


@register.simple_tag
def registry_date(trial, name):
    """A trial's date to the precision the registry gives, with "(estimated)" where it is one:
    {% registry_date trial "start_date" %} -> "November 2010"."""
    value = getattr(trial, name)
    if value is None:
        return ""
    text = format_partial_date(value, getattr(trial, f"{name}_precision", "DAY"))
    if getattr(trial, f"{name}_type", "") == "ESTIMATED":
        text += " (estimated)"
    return text


@register.filter
def phase_words(phases):
    """["PHASE2", "PHASE3"] -> "Phase 2 and Phase 3"."""
    labels = [Phase(p).label if p in Phase.values else p for p in phases or []]
    return " and ".join(labels)
