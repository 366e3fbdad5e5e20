"""Cursor pagination by keyset: the next page starts after the last trial shown, in the list's own
order, so pages stay right while trials are added or change (an offset would skip or repeat them).

The cursor holds the last trial's value of each term of the queryset's ORDER BY (the list's sorts,
trials/listing/sorting.py, all end with the NCT ID, so the terms identify one trial). DRF's own
CursorPagination keeps only the first term's value and counts rows past it, which for "open to
enrolment first" (two values) would be an offset in disguise.
"""

import base64
import binascii
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, OrderBy, Q


class BadCursor(ValueError):
    pass


def order_terms(queryset):
    """[(name, descending, nulls_last)] of the queryset's ORDER BY, fields or annotations."""
    terms = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            terms.append((item.lstrip("-"), item.startswith("-"), False))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            terms.append((item.expression.name, item.descending, bool(item.nulls_last)))
        else:
            raise TypeError(f"cannot page by {item!r}")  # a new sort must be a named term
    return terms


def encode(queryset, last):
    """The cursor for the page after `last` (a trial of the queryset)."""
    values = []
    for name, _descending, _nulls_last in order_terms(queryset):
        value = getattr(last, name)
        values.append(value.isoformat() if isinstance(value, date) else value)
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(queryset, cursor):
    """The cursor's values, each checked against its column's type: a cursor is input like any
    other, and a value the database cannot compare must be refused here, not by the database."""
    terms = order_terms(queryset)
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as error:
        raise BadCursor("not a cursor this API gave") from error
    if not isinstance(values, list) or len(values) != len(terms):
        raise BadCursor("not a cursor for this sort")
    checked = []
    for (name, _descending, nulls_last), value in zip(terms, values, strict=True):
        if value is None and nulls_last:
            checked.append(None)
            continue
        if value is None or isinstance(value, (list, dict, bool)):
            raise BadCursor("not a cursor for this sort")
        try:
            checked.append(output_field(queryset, name).to_python(value))
        except (ValidationError, TypeError, ValueError) as error:
            raise BadCursor("not a cursor for this sort") from error
    return checked


def output_field(queryset, name):
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    return queryset.model._meta.get_field(name)


def after(queryset, cursor):
    """The queryset's rows after the cursor's, in its order."""
    terms = order_terms(queryset)
    values = decode(queryset, cursor)
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for (name, descending, nulls_last), value in zip(terms, values, strict=True):
        if value is not None:  # after a NULL (sorted last) come only other NULLs: equal, not after
            beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if nulls_last:
                beyond |= Q(**{f"{name}__isnull": True})
            condition |= equal_so_far & beyond
        equal_so_far &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return queryset.filter(condition)
