"""Families tell the curators what is wrong: "Report a problem with this page" (on every trial
page, and for any page from the accessibility statement), and the accessibility statement itself.

A report needs no account. It is CSRF-protected like every form here; a hidden field that people
never see (the honeypot) catches the robots that fill in every field; and each client address may
send PROBLEM_REPORTS_PER_HOUR reports an hour, counted in the cache under a hash of the address.
Bad input is answered with a 4xx and the form again, with what to fix; never a 500."""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.security import client_ip

from .models import ProblemReport, Trial

HOUR = 60 * 60


class ProblemReportForm(forms.ModelForm):
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ProblemReport
        fields = ["kind", "message", "email", "page"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
            "page": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProblemReport.Kind.choices  # no empty "---------" radio

    def clean_page(self):
        page = self.cleaned_data["page"]
        # Only an address on this site: a path, never another host ("//host" or a scheme).
        if page and (not page.startswith("/") or page.startswith("//")):
            raise forms.ValidationError(_("The page must be an address on this site."))
        return page

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Please say a little more: at least 10 characters."))
        return message


def rate_key(request):
    address = client_ip(request) or "unknown"
    return "problem-reports:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def reports_sent(request):
    return cache.get(rate_key(request), 0)


def count_report(request):
    """One more report from this address in the current hour."""
    key = rate_key(request)
    if cache.add(key, 1, timeout=HOUR):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=HOUR)


@require_http_methods(["GET", "POST"])
def report_problem(request, nct_id=None):
    trial = None
    if nct_id is not None:
        trial = get_object_or_404(Trial.objects.published(), nct_id=nct_id.upper())
    page = trial.get_absolute_url() if trial else request.GET.get("page", "")[:300]
    sent_url = reverse("trials:report-sent")
    status = 200
    form = ProblemReportForm(initial={"page": page})
    if request.method == "POST":
        form = ProblemReportForm(request.POST)
        if reports_sent(request) >= settings.PROBLEM_REPORTS_PER_HOUR:
            status = 429
            form.add_error(
                None,
                _(
                    "You have sent several reports in the last hour, which is all one "
                    "connection may send. Please try again in an hour; nothing you typed was sent."
                ),
            )
        elif form.is_valid() and form.cleaned_data["website"]:
            status = 400
            form.add_error(
                None,
                _("This report could not be sent: the field “Leave this empty” must be empty."),
            )
            count_report(request)  # robots count against the limit too
        elif form.is_valid():
            report = form.save(commit=False)
            report.trial = trial
            if trial is not None:
                report.page = trial.get_absolute_url()
            report.save()
            count_report(request)
            return redirect(sent_url)
        else:
            status = 400
    context = {"form": form, "trial": trial, "page": page}
    return render(request, "trials/report_problem.html", context, status=status)


def report_sent(request):
    return render(request, "trials/report_sent.html")


def accessibility(request):
    context = {"report_url": reverse("trials:report") + "?page=" + reverse("trials:accessibility")}
    return render(request, "trials/accessibility.html", context)
