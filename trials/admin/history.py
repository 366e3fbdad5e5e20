"""A trial's history page lists, below the trial's own versions, the changes to its rows."""

from django.urls import reverse

from ..registry.fields import ROW_FIELDS
from ..values import label, shown


def row_changes(trial, limit=100):
    """The latest changes to the trial's rows, newest first, for its history page: who, what,
    and a link to the row's own history, where a change can be reverted."""
    records = []
    for model in ROW_FIELDS:
        history = model.history.filter(trial_id=trial.pk).select_related("history_user")
        records += history.order_by("-history_date")[:limit]
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:limit]:
        model = record.instance_type
        delta = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in ("order",):
                    continue
                delta.append(
                    (
                        label(model, change.field),
                        shown(model, change.field, change.old),
                        shown(model, change.field, change.new),
                    )
                )
        name = model._meta.model_name
        rows.append(
            {
                "record": record,
                "part": model._meta.verbose_name.capitalize(),
                "delta": delta,
                "revert_url": reverse(
                    f"admin:trials_{name}_simple_history", args=[record.id, record.history_id]
                ),
                "history_url": reverse(f"admin:trials_{name}_history", args=[record.id]),
            }
        )
    return rows
