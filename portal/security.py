"""Login safety for the admin: the client's address behind proxies, and slowing repeated failures.

django-axes counts failed logins per username at an address and locks the pair out for a cool-off
(settings AXES_*). Before that, LoginForm slows the pair down: after LOGIN_SLOW_AFTER failures,
each further try must wait LOGIN_SLOW_SECONDS after the last, and is refused unread until then.
A refused try is not a failure, so it neither counts towards the lockout nor prolongs it.
"""

import math
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the entry of X-Forwarded-For that the nearest of
    DJANGO_TRUSTED_PROXY_COUNT trusted proxies added (entries before it can be forged)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def seconds_to_wait(*, username, ip_address):
    """How long this username at this address must still wait before its next login try."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (recent["failures"] or 0) < settings.LOGIN_SLOW_AFTER:
        return 0
    ready = recent["last"] + timedelta(seconds=settings.LOGIN_SLOW_SECONDS)
    return max(0, math.ceil((ready - timezone.now()).total_seconds()))


class LoginForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = seconds_to_wait(username=username, ip_address=client_ip(self.request))
            if wait:
                raise ValidationError(
                    "Several sign-ins with this username have failed from your address. "
                    f"Wait {wait} seconds, then try again.",
                    code="slowed",
                )
        return super().clean()
