import re
from functools import lru_cache

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from trials.eligibility import unescape
from trials.parsing import format_partial_date
from trials.places.countries import country_in_language, is_english
from trials.places.units import say_distance
from trials.status import site_status as site_status_words
from trials.status import status_words
from trials.vocabularies import DatePrecision, Phase, WhoMasked

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
        return _("%(date)s (estimated)") % {"date": text}
    return text


@register.filter
def long_date(day):
    """A day as the pages write it, in the active language: "3 November 2026"."""
    return format_partial_date(day, DatePrecision.DAY)


@register.simple_tag
def trial_date(trial, name):
    """A trial's date as sure as the registry is of it (trials/status.py, date_words):
    {% trial_date trial "completion_date" %} -> "Expected to end around October 2024"."""
    return trial.date_words(name)


@register.simple_tag
def site_status(trial, site):
    """A site's status as its trial allows it to be read (trials/status.py, site_status):
    {% site_status trial site as shown %}."""
    return _site_status(
        trial.overall_status, site.status, trial.status_note, trial.status_as_of, get_language()
    )


@lru_cache(maxsize=512)
def _site_status(trial_status, site_status_value, status_note, as_of, language):
    """The few answers the hundreds of sites of a trial share, worked out once per language (a
    trial page with 551 sites spent a sixth of its time working them out site by site)."""
    return site_status_words(trial_status, site_status_value, status_note=status_note, as_of=as_of)


@register.filter
def status_badge(status):
    """A registry status value in a family's words: {{ related.overall_status|status_badge }}."""
    return status_words(status).badge


@register.filter
def phase_words(phases):
    """["PHASE2", "PHASE3"] -> "Phase 2 and Phase 3"."""
    labels = [str(Phase(p).label) if p in Phase.values else p for p in phases or []]
    if len(labels) < 2:
        return "".join(labels)
    return pgettext("two names", "%(first)s and %(second)s") % {
        "first": ", ".join(labels[:-1]),
        "second": labels[-1],
    }


@register.filter
def who_masked_words(values):
    """The registry's masked roles in words: ["PARTICIPANT", "INVESTIGATOR"] -> "Participant,
    Investigator"."""
    return ", ".join(str(WhoMasked(v).label) if v in WhoMasked.values else v for v in values)


# Item 3 of the languages issue: registry text stays the registry's English, marked lang="en" so
# that screen readers read it in an English voice; in English pages nothing is added.


@register.simple_tag
def registry_lang():
    """' lang="en"' for an element holding registry text on a page not in English:
    <dd{% registry_lang %}>{{ trial.lead_sponsor_name }}</dd>."""
    return "" if is_english() else mark_safe(' lang="en"')


@register.tag
def registry_text(parser, token):
    """{% registry_text %}{{ trial.official_title }}{% endregistry_text %}: inside a
    <span lang="en"> on a page not in English; as it is on an English page."""
    nodes = parser.parse(("endregistry_text",))
    parser.delete_first_token()
    return RegistryTextNode(nodes)


class RegistryTextNode(template.Node):
    def __init__(self, nodes):
        self.nodes = nodes

    def render(self, context):
        text = self.nodes.render(context)
        if is_english() or not text.strip():
            return text
        return format_html('<span lang="en">{}</span>', mark_safe(text))  # noqa: S308 (rendered)


@register.filter
def in_english(text):
    """Registry (or not yet translated curated) text inside a sentence of ours, marked English on
    a page not in English."""
    if not text or is_english():
        return text
    return format_html('<span lang="en">{}</span>', text)


@register.filter
def country_name(name):
    """A country as the registry writes it, in the page's language ("Estados Unidos"); one it
    cannot name stays the registry's English, marked so."""
    if not name:
        return _("Country not given")
    said = country_in_language(name)
    return in_english(name) if said is None else said


@register.simple_tag(takes_context=True)
def explain(context, text, inline=False, registry=False):
    """Text with its glossary terms explained at first use on the page; paragraphs kept.
    {% explain trial.brief_summary registry=True %} or {% explain arm.description inline=True %}.
    `registry`: the registry's English, marked lang="en" on a page in another language."""
    glossary = context.get("glossary")
    if not text:
        return ""
    words = glossary.explain if glossary is not None else conditional_escape
    # The pieces are escaped by `words`.
    text = unescape(str(text))  # a choice label is a lazy translation
    html = words(text) if inline else mark_safe(registry_markdown(text, words))
    if registry and not is_english():
        element = "span" if inline else "div"
        return format_html('<{} lang="en">{}</{}>', element, html, element)
    return html


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
