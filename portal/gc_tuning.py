"""Keeping Python's garbage collector off the objects a web process keeps for life (portal/wsgi.py
says why)."""

import gc

from django.conf import settings
from django.core.signals import request_finished
from django.urls import get_resolver
from django.utils import translation

# Requests after which a process's templates, translations and per-process caches are built.
WARM_REQUESTS = 200


def load_languages():
    """Read every language's translations and the URL patterns now, rather than at the first
    request that needs them: before the freeze, and before the workers fork."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Trials")
    get_resolver().url_patterns  # noqa: B018 (the lookup fills the resolver)


def freeze():
    """Collect what is garbage now, then leave every object alive out of later collections."""
    gc.collect()
    gc.freeze()


def freeze_after_requests(count):
    """freeze() once, when this process has served `count` requests."""
    served = 0

    def request_done(**kwargs):
        nonlocal served
        served += 1
        if served == count:
            freeze()
            request_finished.disconnect(request_done)

    request_finished.connect(request_done, weak=False)
