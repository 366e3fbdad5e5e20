"""The page's language for <html lang>, its other languages for hreflang links and the switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language, to_locale

register = template.Library()


def language_tag(code):
    """Django's language code as BCP 47 writes it, for lang= and hreflang=: "zh-hans" ->
    "zh-Hans" (the script capitalised, as screen readers and search engines expect)."""
    return to_locale(code).replace("_", "-")


@register.simple_tag
def page_language():
    return language_tag(get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def page_languages(context):
    """Each language of the site: its code and BCP 47 tag, its name in itself, whether it is the
    page's, and this page's full address in it (query string kept; "" without a request, as on
    the 500 page, which renders without one)."""
    request = context.get("request")
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = ""
        if request is not None and request.resolver_match is not None:
            url = request.build_absolute_uri(translate_url(request.get_full_path(), code))
        versions.append(
            {
                "code": code,
                "tag": language_tag(code),
                "name": name,
                "current": code == current,
                "url": url,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return versions


@register.filter
def grouped(number):
    """A count as the page's language groups digits: 10,000 (English), 10 000 (Spanish),
    10000 (Chinese). Not USE_THOUSAND_SEPARATOR, which would group every number a template
    prints, IDs in attributes included."""
    return number_format(number, force_grouping=True)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: its own path in its own language (each language has its own
    page, and the hreflang links join them), without the query string except where the view says
    which part of it matters (canonical_query: the list's filters). A page another path shows
    the same as (the widget shows the list) names that path (canonical_path)."""
    request = context.get("request")
    if request is None:
        return ""
    path = context.get("canonical_path") or request.path
    query = context.get("canonical_query", "")
    return request.build_absolute_uri(f"{path}?{query}" if query else path)
