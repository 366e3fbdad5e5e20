"""No lost update: a curator's save of a trial opened before someone else's save is refused.

The form carries the trial's version (Trial.version, moved on by every save) as it was when the
page was opened. If the trial has been saved since, the save is refused with what changed, by
whom and when (from the history), and the form comes back with the curator's own input kept. It
now carries the current version, so saving it again is a deliberate choice to replace the other
changes with the form's.
"""

from django import forms
from django.core.exceptions import ValidationError

from .. import models as m
from .fragments import fragment


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm mixin for Trial: refuses a save based on a version saved over since."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("version")
        if self.instance.pk is None or seen is None:
            return cleaned
        # Locked until this save commits (the admin saves in one transaction), so no other save
        # can come between this check and this save. SQLite runs one write at a time anyway.
        current = m.Trial.objects.select_for_update().only("version").get(pk=self.instance.pk)
        if current.version != seen:
            # The form comes back carrying the current version: saving again overwrites.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(current.version)
            self.instance.version = current.version
            raise ValidationError(
                fragment("saved_since", changes=changes_since(self.instance, seen, self.fields)),
                code="stale",
            )
        return cleaned


def changes_since(trial, version, fields):
    """What was saved to the trial after `version`: one entry per form field changed, with the
    curator (or the import) who last changed it and when; fields that the history cannot
    compare (rows inline, or a trial with no history of that version) show as one entry."""
    history = trial.history.order_by("history_date", "history_id")
    opened = history.filter(version__lte=version).last()
    later = list(history.filter(version__gt=version))
    labels = {name: field.label or name for name, field in fields.items()}
    changes = {}
    previous = opened
    for record in later:
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in labels:
                    changes[change.field] = {
                        "field": labels[change.field],
                        "who": record.history_user,
                        "when": record.history_date,
                        "value": change.new,
                    }
        previous = record
    if not changes:
        # The trial's own fields are as they were: what moved on is its rows (sites, arms...)
        # or a save the history does not hold.
        last = later[-1] if later else None
        return [
            {
                "field": "its rows (sites, contacts, arms...)",
                "who": last.history_user if last else None,
                "when": last.history_date if last else None,
                "value": None,
            }
        ]
    return list(changes.values())
