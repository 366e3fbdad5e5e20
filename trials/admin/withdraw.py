"""Withdrawing trials from the public site, with care: a confirmation listing the trials and a
required reason, which each trial's history keeps. Reached from the trial list's action and from
the button on a trial's page. A withdrawn trial's public address then says it is no longer listed
(410), rather than not found."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import curation
from .. import models as m


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why withdraw",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in each trial's history, e.g. \"The sponsor cancelled the trial before "
        'it opened; the registry has not said so yet."',
    )


def withdraw_selected(model_admin, request, queryset):
    """The list's action: the confirmation first; its form posts the action back with a reason."""
    return confirm_withdrawal(model_admin, request, list(queryset), from_list=True)


def withdraw_view(model_admin, request, object_id):
    """The button on a trial's page: the same confirmation, for that trial."""
    trial = get_object_or_404(m.Trial, pk=object_id)
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    return confirm_withdrawal(model_admin, request, [trial], from_list=False)


def confirm_withdrawal(model_admin, request, trials, *, from_list):
    confirmed = request.method == "POST" and "confirm" in request.POST
    form = WithdrawForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        changed, _ = curation.set_publication_state(
            trials,
            m.PublicationState.WITHDRAWN,
            user=request.user,
            reason=f"Withdrawn from the site: {form.cleaned_data['reason']}",
        )
        model_admin.message_user(
            request,
            f"{len(changed)} trial(s) withdrawn: {', '.join(t.nct_id for t in changed) or '-'}.",
            messages.SUCCESS,
        )
        if from_list:
            return None  # the action's default: back to the list
        return redirect(reverse("admin:trials_trial_change", args=[trials[0].pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Withdraw from the public site",
        "opts": model_admin.model._meta,
        "trials": trials,
        "form": form,
        "from_list": from_list,
        "published": m.PublicationState.PUBLISHED,
        "withdrawn": m.PublicationState.WITHDRAWN,
    }
    return TemplateResponse(
        request,
        "admin/trials/trial/withdraw.html",
        context,
        # A confirmation without a reason is the curator's mistake to fix: said, and a 400.
        status=400 if confirmed else 200,
    )
