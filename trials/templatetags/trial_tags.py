import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from trials.eligibility import unescape
from trials.parsing import format_partial_date
from trials.places.units import say_distance
from trials.status import site_status as site_status_words
from trials.status import status_words
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


@register.simple_tag
def trial_date(trial, name):
    """A trial's date as sure as the registry is of it (trials/status.py, date_words):
    {% trial_date trial "completion_date" %} -> "Expected to end around October 2024"."""
    return trial.date_words(name)


@register.simple_tag
def site_status(trial, site):
    """A site's status as its trial allows it to be read (trials/status.py, site_status):
    {% site_status trial site as shown %}."""
    return site_status_words(
        trial.overall_status, site.status, status_note=trial.status_note, as_of=trial.status_as_of
    )


@register.filter
def status_badge(status):
    """A registry status value in a family's words: {{ related.overall_status|status_badge }}."""
    return status_words(status).badge


@register.filter
def phase_words(phases):
    """["PHASE2", "PHASE3"] -> "Phase 2 and Phase 3"."""
    labels = [Phase(p).label if p in Phase.values else p for p in phases or []]
    return " and ".join(labels)


@register.simple_tag(takes_context=True)
def explain(context, text, inline=False):
    """Text with its glossary terms explained at first use on the page; paragraphs kept.
    {% explain trial.brief_summary %} or {% explain arm.description inline=True %}."""
    glossary = context.get("glossary")
    if not text:
        return ""
    words = glossary.explain if glossary is not None else conditional_escape
    if inline:
        return words(unescape(text))
    return mark_safe(registry_markdown(unescape(text), words))  # noqa: S308 (pieces escaped)


def registry_markdown(text, words):
    """The registry's light markdown as HTML: paragraphs, and "*" or "-" lines as lists.
    `words` escapes (and may explain) each piece of text."""
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if lines and all(BULLET.match(line) for line in lines):
            items = "".join(f"<li>{words(BULLET.sub('', line))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif lines:
            html.append("<p>" + "<br>".join(str(words(line)) for line in lines) + "</p>")
    return "".join(str(part) for part in html)


BULLET = re.compile(r"^[*\-•]\s+")


@register.filter
def tel(phone):
    """A phone number for a tel: link: digits and a leading +."""
    return re.sub(r"(?!^\+)[^\d]", "", phone.split("ext")[0].strip())


@register.filter
def get_distance(distances, site_pk):
    return distances.get(site_pk)


@register.filter
def distance_in(km, unit):
    """A distance computed in km, in the visitor's unit: {{ site.distance|distance_in:unit }}
    -> "210 mi"."""
    return say_distance(km, unit)
