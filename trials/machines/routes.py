"""What kind of route a request is for, read from its path (language prefix aside)."""

import re

from django.conf import settings

# The language prefixes of the public pages (English has none).
LANGUAGE_PREFIX = re.compile(
    "^/(?:{})/".format("|".join(re.escape(code) for code, _ in settings.LANGUAGES))
)

NCT_ID = r"[Nn][Cc][Tt][0-9]{8}"

# (kind, pattern of the path without its language prefix), first match wins. Anything else (the
# admin, the problem-report form with its CSRF token, the language switcher's post, /healthz,
# static files) is none of these and left alone.
ROUTES = [
    ("api", re.compile(r"^/api/")),
    ("export", re.compile(r"^/trials/export\.[a-z]+$")),
    ("feed", re.compile(rf"^/trials/(?:{NCT_ID}/)?feed/")),
    ("machine", re.compile(r"^/(?:sitemap\.xml|robots\.txt)$")),
    ("page", re.compile(rf"^/(?:|trials/|trials/{NCT_ID}/|accessibility/|embed/)$")),
]


def route_kind(path):
    """'api', 'export', 'feed', 'machine', 'page', or None."""
    path = LANGUAGE_PREFIX.sub("/", path, count=1)
    for kind, pattern in ROUTES:
        if pattern.match(path):
            return kind
    return None
