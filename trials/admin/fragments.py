"""Pieces of admin pages that ModelAdmin methods return as HTML, rendered from templates."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def fragment(name, **context):
    """templates/admin/trials/fragments/<name>.html, without the file's last line end."""
    html = render_to_string(f"admin/trials/fragments/{name}.html", context)
    return mark_safe(html.rstrip("\n"))
