"""Writing one record's values onto a trial and its rows, around curators' corrections."""

from functools import cache

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .. import models as m
from ..places import gazetteer
from ..values import as_json, from_json, label, shown
from .fields import ROW_FIELDS

BATCH = 500  # rows a statement: far below SQLite's limit on a statement's parameters


def shown_list(names):
    return ", ".join(names) or "(none)"


class TrialWriter:
    """Writes one record's values onto a trial and its rows: leaves curators' corrections alone,
    notes what changed, and records every write in the history as the import's (no user)."""

    def __init__(self, trial, *, reason):
        self.trial = trial
        self.new_trial = trial.pk is None  # it has no rows yet: nothing to read back
        self.reason = reason
        self.changes = []
        self.doomed = []  # rows the registry dropped, deleted last (contacts before their sites)
        corrections = trial.corrections.all() if trial.pk else []
        self.corrections = {(c.part, c.registry_key, c.field): c for c in corrections}
        self.noted = set()
        self.added = set()  # (part, key) of the rows this import created

    def change(self, model, row, name, old, new, *, kept=""):
        """One line of the diff: which row, which field, the value before and after. `kept` is
        the curator's value the import left in place, for a registry change it kept out."""
        self.changes.append(
            {
                "part": str(model._meta.verbose_name).capitalize(),
                "row": "" if row is None else str(row)[:300],
                "field": label(model, name) if name else "",
                "old": old,
                "new": new,
                "kept": kept,
            }
        )

    def set_values(self, obj, values, *, part, key):
        """Set the registry's values on a trial or row, except the ones a curator corrected."""
        model = type(obj)
        row = None if part == "trial" else obj
        for name, value in values.items():
            field = model._meta.get_field(name)
            old = getattr(obj, field.attname)
            new = value.pk if field.is_relation and value is not None else value
            correction = self.corrections.get((part, key, name))
            if correction is not None:
                self.note_registry_value(
                    correction, model, row, name, value, curated=getattr(obj, name)
                )
            elif old != new:
                if obj.pk is not None:
                    old_shown = shown(model, name, getattr(obj, name))
                    self.change(model, row, name, old_shown, shown(model, name, value))
                setattr(obj, name, value)

    def note_registry_value(self, correction, model, row, name, value, *, curated):
        """Keep the curator's value; store the registry's on the correction, and say so in the
        diff when it changed since."""
        self.noted.add(correction)
        correction.in_registry = True
        stored = as_json(value)
        if stored != correction.registry_value:
            self.change(
                model,
                row,
                name,
                shown(model, name, from_json(model, name, correction.registry_value)),
                shown(model, name, value),
                kept=shown(model, name, curated),
            )
            correction.registry_value = stored
            correction.registry_changed = True

    def kept_keys(self, model):
        """Keys of the rows a curator corrected (so an import keeps them)."""
        part = model._meta.model_name
        return {key for (p, key, name) in self.corrections if p == part and name}

    def sync(self, model, rows, *, keep=None):
        """Make the trial's registry rows of `model` match `rows`, (key, values) in record order.
        Returns the rows by key, including the ones kept for curators."""
        part = model._meta.model_name
        existing = (
            {}
            if self.new_trial
            else {
                row.registry_key: row
                for row in model.objects.filter(trial=self.trial).exclude(registry_key="")
            }
        )
        by_key, new, updated = {}, [], []
        corrected = self.kept_keys(model)
        for order, (key, values) in enumerate(rows):
            row = existing.pop(key, None)
            removal = self.corrections.get((part, key, ""))
            if removal is not None and row is None:
                self.noted.add(removal)
                removal.in_registry = True
                continue
            if row is None:
                row = model(trial=self.trial, registry_key=key, order=order, **values)
                new.append(row)
                self.added.add((part, key))
                if not self.new_trial:  # a new trial's import lists no changes: all of it is new
                    self.change(model, row, "", "", "added")
            else:
                before = len(self.changes)
                self.set_values(row, values, part=part, key=key)
                if len(self.changes) > before or row.order != order:
                    row.order = order
                    updated.append(row)
            by_key[key] = row
        for key, row in existing.items():
            if key in corrected or (keep and keep(row)):
                for (p, k, _), correction in self.corrections.items():
                    if (p, k) == (part, key):
                        correction.in_registry = False
                        self.noted.add(correction)
                self.change(model, row, "", "", "no longer in the registry (kept for a curator)")
                by_key[key] = row
            else:
                self.change(model, row, "", "", "removed")
                self.doomed.append(row)
        self.create(model, new)
        if updated:
            for row in updated:
                row._history_user = None
            bulk_update_with_history(
                updated,
                model,
                [*ROW_FIELDS[model], "order"],
                default_user=None,
                default_change_reason=self.reason,
            )
        return by_key

    def create(self, model, rows):
        if not rows:
            return  # most records have none of several kinds of row: no statement, no history
        model.objects.bulk_create(rows)
        record_created(model, [row.pk for row in rows], reason=self.reason)

    def link_arms(self, arms, interventions, links):
        """Each arm of the record linked to the interventions the record names for it (`links`:
        arm key -> intervention keys), unless a curator corrected the arm's interventions."""
        new_links = {}
        for key, wanted_keys in links.items():
            arm = arms.get(key)
            if arm is None:
                continue  # a curator removed the arm
            wanted = {interventions[k] for k in wanted_keys if k in interventions}
            new = ("arm", key) in self.added
            correction = self.corrections.get(("arm", key, "interventions"))
            if new and correction is None:
                new_links[arm] = wanted
                continue
            names = sorted(str(i) for i in wanted)
            current = set() if new else set(arm.interventions.all())
            if correction is not None:
                curated = sorted(str(i) for i in current)
                self.note_registry_value(
                    correction, m.Arm, arm, "interventions", names, curated=curated
                )
            elif wanted != current:
                if not new:
                    old = sorted(str(i) for i in current)
                    self.change(m.Arm, arm, "interventions", shown_list(old), shown_list(names))
                arm._history_user = None
                arm._change_reason = self.reason
                arm.interventions.set(wanted)
        self.link_new_arms(new_links)

    def link_new_arms(self, links):
        """New arms' interventions (arm -> interventions), in the history as part of the entry
        each arm's creation wrote. `.set()` on each arm wrote its links apart and a second entry
        per arm, with signals: some 15 ms an arm, an eighth of a first import's time."""
        through = m.Arm.interventions.through
        rows = through.objects.bulk_create(
            through(arm=arm, intervention=intervention)
            for arm, wanted in links.items()
            for intervention in wanted
        )
        if not rows:
            return
        entries = (
            history_model(m.Arm)
            .objects.filter(id__in={row.arm_id for row in rows}, history_type="+")
            .order_by("history_id")
        )
        entry_of = {entry.id: entry for entry in entries}  # the latest: this import's
        # As simple_history records a link: the link row's own id, the arm, the intervention.
        m2m_history = entries.model.interventions.model
        m2m_history.objects.bulk_create(
            m2m_history(
                history=entry_of[row.arm_id],
                id=row.id,
                arm_id=row.arm_id,
                intervention_id=row.intervention_id,
            )
            for row in rows
        )

    def write_approval(self, values):
        approval = (
            m.DrugApproval.objects.filter(
                drug=values["drug"], jurisdiction=values["jurisdiction"]
            ).first()
            or m.DrugApproval()
        )
        if all(getattr(approval, name) == value for name, value in values.items()):
            return
        for name, value in values.items():
            setattr(approval, name, value)
        self.save(approval)

    def save(self, obj):
        obj._history_user = None
        obj._change_reason = self.reason
        obj.save()

    def finish(self):
        """Delete what the registry dropped, and store the registry's values on corrections."""
        for row in sorted(self.doomed, key=lambda row: not isinstance(row, m.Contact)):
            row._history_user = None
            row._change_reason = self.reason
            row.delete()
        for correction in self.corrections.values():
            if correction not in self.noted and correction.part != "trial":
                correction.in_registry = False  # the record no longer has the row
                self.noted.add(correction)
        if self.noted:
            m.Correction.objects.bulk_update(
                list(self.noted), ["registry_value", "registry_changed", "in_registry"]
            )


@cache
def history_model(model):
    """The model simple_history keeps `model`'s history in: `model.history` builds a new manager
    class at each use (a millisecond each, hundreds of times an import)."""
    return model.history.model


def record_created(model, pks, *, reason):
    """The history's entries for rows just created, as simple_history writes them ("+", by the
    import: no user), copied by the database in one statement a batch (INSERT ... SELECT). Its
    bulk_history_create builds an object per row in Python: as long as writing the rows did."""
    history = history_model(model)
    quote = connection.ops.quote_name
    copied = ", ".join(quote(field.column) for field in history.tracked_fields)
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({copied}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {copied}, %s, %s, '+', NULL FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})",
                [when, reason, *batch],
            )


def located(site):
    """A site's values, with approximate coordinates from its city when the record has none."""
    values = {key: value for key, value in site.items() if key != "contacts"}
    if values["latitude"] is None or values["longitude"] is None:
        point = gazetteer.locate_site(values["city"], values["state"], values["country"])
        by_zip = gazetteer.locate_site_zip(values["zip"], values["state"], values["country"])
        if by_zip:
            point = (by_zip.latitude, by_zip.longitude)  # nearer the site than the city centre
        if point:
            values["latitude"], values["longitude"] = point
            values["coordinates_approximate"] = True
    return values
