"""How a field's value is stored on a correction (JSON) and shown to curators (plain words)."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = gettext_lazy("(empty)")


def as_json(value):
    """A value as JSON can hold it: dates as ISO text, decimals as text, a row as its name."""
    if isinstance(value, models.Model):
        return str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def from_json(model, name, value):
    """The value as_json stored, back as the field holds it (a related row stays its name)."""
    field = model._meta.get_field(name)
    if value is None or field.is_relation:
        return value
    return field.to_python(value)


def shown(model, name, value):
    """A field's value in the words the admin shows: choice labels, Yes/No, lists joined."""
    field = model._meta.get_field(name) if name else None
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def label(model, name):
    """A field's name as the admin form labels it."""
    verbose = str(model._meta.get_field(name).verbose_name)
    return verbose[:1].upper() + verbose[1:]
