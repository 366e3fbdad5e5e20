"""Curated text of one object in the page's language, once reviewed (trials/translations.py):
{% curated approval "indications" as indications %}, for the objects a page lists."""

from django import template
from django.utils.html import format_html

from ..translations import Reviews

register = template.Library()


@register.simple_tag(takes_context=True)
def curated(context, obj, field):
    reviews = context.get("curated")
    if not isinstance(reviews, Reviews):
        raise template.TemplateSyntaxError("{% curated %} needs the page's Reviews as `curated`.")
    return reviews.text(obj, field)


@register.filter
def marked(text):
    """Curated text inside a sentence of ours, marked English where the page shows the English
    for want of a reviewed translation."""
    if getattr(text, "english_instead", False):
        return format_html('<span lang="en">{}</span>', text)
    return text
