"""The alert pages: the follow box's post, "check your email", confirming, the page that manages
an address's follows, and the one-click unsubscribe. No account: each page after the first is
reached by a signed link from an email (links.py).

Limits, counted in the cache (shared by every worker when Redis is set) under hashes, never the
address itself: confirmation mails to one address a day, follow requests from one client address
an hour, and follows one address may keep. Past any of them the answer is a 429 page saying so,
and nothing is written or sent."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.security import client_ip

from ..models import Follow, Frequency
from . import links, outbox, searches, subscriptions
from .forms import FollowForm

HOUR = 60 * 60
DAY = 24 * HOUR


def alerts_on():
    if not settings.ALERTS_BY_EMAIL:
        raise Http404("Alerts by email are not offered on this site.")


def counter_key(kind, value):
    return f"alerts-{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def count(key, timeout):
    if cache.add(key, 1, timeout=timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=timeout)


def valid_address(typed):
    """The address, lower case, if it is one; else "" (counted and looked up only when valid:
    what a robot types, NUL bytes and all, never reaches the cache or the database)."""
    email = typed.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def over_limit(request, email):
    """The words of the limit this request is past, or None."""
    if cache.get(counter_key("client", client_ip(request) or "unknown"), 0) >= (
        settings.ALERTS_FOLLOWS_PER_CLIENT_PER_HOUR
    ):
        return _(
            "You have asked for several email updates in the last hour, which is all one "
            "connection may ask for. Please try again in an hour; nothing was sent."
        )
    if email and cache.get(counter_key("address", email), 0) >= (
        settings.ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_DAY
    ):
        return _(
            "We have already sent several confirmation emails to this address today. Please "
            "look for them in your inbox (and your spam folder), or try again tomorrow; nothing "
            "more was sent."
        )
    if email and Follow.objects.filter(subscriber__email=email).count() >= (
        settings.ALERTS_MAX_FOLLOWS
    ):
        return _(
            "This address already follows as many trials and searches as one address may. "
            "Use the link in any of our emails to stop following some first; nothing was sent."
        )
    return None


@require_http_methods(["GET", "POST"])
def follow(request):
    """The follow box's post (the list and trial pages hold the box; this page shows it again
    with what to fix, and on its own for a GET)."""
    alerts_on()
    status = 200
    initial = {"trial": request.GET.get("trial", "")[:11], "search": request.GET.get("search", "")}
    form = FollowForm(initial=initial)
    if request.method == "POST":
        form = FollowForm(request.POST)
        email = valid_address(request.POST.get("email", ""))
        limit = over_limit(request, email)
        count(counter_key("client", client_ip(request) or "unknown"), HOUR)
        if limit:
            form.add_error(None, limit)
            status = 429
        elif form.is_valid():
            follow, message = subscriptions.ask_to_follow(
                email=form.cleaned_data["email"],
                language=translation.get_language(),
                frequency=form.cleaned_data["frequency"],
                trial=form.cleaned_data["trial"],
                query=form.cleaned_data["search"] if not form.cleaned_data["trial"] else "",
            )
            count(counter_key("address", email), DAY)
            outbox.deliver_now(message)  # committed: ask_to_follow is its own transaction
            return redirect("trials:alerts-sent")
        else:
            status = 400
    context = {"form": form, "followed": followed_words(form)}
    return render(request, "alerts/follow.html", context, status=status)


def followed_words(form):
    """What the form would follow, in words, above it."""
    data = form.data if form.is_bound else form.initial
    nct_id = (data.get("trial") or "").strip().upper()[:11]
    if nct_id:
        return nct_id
    query = searches.normalise(data.get("search") or "")
    return searches.describe(query) if query is not None else ""


def sent(request):
    alerts_on()
    context = {"days": settings.ALERTS_CONFIRM_DAYS}
    return render(request, "alerts/sent.html", context)


def bad_link(request, expired=False):
    context = {"expired": expired, "days": settings.ALERTS_CONFIRM_DAYS}
    return render(request, "alerts/bad_link.html", context, status=410 if expired else 400)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The confirmation link: a button to press (so that a mail scanner that opens links does
    not confirm for the reader), then the follow is on."""
    alerts_on()
    try:
        follow_id, key, frequency = links.read_confirm_token(token)
    except links.ExpiredLink:
        return bad_link(request, expired=True)
    except links.BadLink:
        return bad_link(request)
    if frequency not in Frequency.values:
        return bad_link(request)
    if request.method == "POST":
        confirmed = subscriptions.confirm(
            follow_id=follow_id, key=key, frequency=frequency, language=translation.get_language()
        )
        if confirmed is None:
            return bad_link(request)
        manage = reverse("trials:alerts-manage", args=[links.address_token(confirmed.subscriber)])
        return redirect(manage + "?confirmed=1")
    follow = Follow.objects.filter(pk=follow_id, subscriber__key=key).select_related("trial")
    follow = follow.first()
    if follow is None:  # unsubscribed, or stopped, since the link was sent
        return bad_link(request)
    context = {
        "frequency": Frequency(frequency).label,
        "title": subscriptions.follow_title(follow),
        "is_trial": follow.trial_id is not None,
    }
    return render(request, "alerts/confirm.html", context)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """An address's follows: how often each, stop one, or unsubscribe from all."""
    alerts_on()
    try:
        subscriber = subscriptions.subscriber_for(links.read_address_token(token))
    except links.BadLink:
        return bad_link(request)
    if subscriber is None:
        return render(request, "alerts/unsubscribed.html", {"gone": True}, status=404)
    subscriptions.clicked(subscriber)
    notice = ""
    if request.GET.get("confirmed"):
        notice = _("Thank you: your email updates are on.")
    if request.method == "POST":
        follow_id = request.POST.get("follow", "")
        ours = follow_id.isascii() and follow_id.isdigit()
        chosen = subscriber.follows.filter(pk=follow_id).first() if ours else None
        frequency = request.POST.get("frequency", "")
        if chosen is None or request.POST.get("action") not in ("stop", "frequency"):
            return render(request, "alerts/bad_link.html", {"bad_form": True}, status=400)
        if request.POST["action"] == "stop":
            chosen.delete()
            notice = _("You no longer follow it.")
        elif frequency in Frequency.values:
            chosen.frequency = frequency
            chosen.save(update_fields=["frequency"])
            notice = _("Saved.")
        else:
            return render(request, "alerts/bad_link.html", {"bad_form": True}, status=400)
    follows = [
        (item, subscriptions.follow_title(item))
        for item in subscriber.follows.select_related("trial").order_by("created_at")
    ]
    context = {
        "subscriber": subscriber,
        "follows": follows,
        "frequencies": Frequency.choices,
        "notice": notice,
        "unsubscribe_url": reverse("trials:alerts-unsubscribe", args=[token]),
    }
    return render(request, "alerts/manage.html", context)


# A mail client posts the one-click unsubscribe (RFC 8058) with no cookie or token of ours: the
# signed link is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (a link scanner must not unsubscribe anyone); POST deletes the address."""
    alerts_on()
    try:
        subscriber = subscriptions.subscriber_for(links.read_address_token(token))
    except links.BadLink:
        return bad_link(request)
    if request.method == "POST":
        if subscriber is not None:
            subscriptions.unsubscribe(subscriber)
        return render(request, "alerts/unsubscribed.html", {"gone": False})
    if subscriber is None:
        return render(request, "alerts/unsubscribed.html", {"gone": True}, status=404)
    return render(request, "alerts/unsubscribe.html", {"token": token})


def privacy(request):
    context = {"days": settings.ALERTS_CONFIRM_DAYS}
    return render(request, "alerts/privacy.html", context)
