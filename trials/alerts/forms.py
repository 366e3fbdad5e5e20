"""The follow box: an email address and how often, for a trial or for a search."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import NCT_ID_PATTERN, Frequency, Trial
from . import searches


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    trial = forms.CharField(required=False, max_length=11, widget=forms.HiddenInput)
    search = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_trial(self):
        nct_id = self.cleaned_data["trial"].strip().upper()
        if not nct_id:
            return None
        # Looked up only when it is an NCT ID (PostgreSQL refuses some text, NUL bytes).
        found = re.fullmatch(NCT_ID_PATTERN, nct_id)
        trial = Trial.objects.published().filter(nct_id=nct_id).first() if found else None
        if trial is None:
            raise forms.ValidationError(
                _("There is no trial %(nct_id)s here to follow."), params={"nct_id": nct_id[:11]}
            )
        return trial

    def clean_search(self):
        query = searches.normalise(self.cleaned_data["search"])
        if query is None:
            raise forms.ValidationError(_("This search is too long to follow."))
        return query

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("This could not be sent: the field “Leave this empty” must be empty.")
            )
        return cleaned
