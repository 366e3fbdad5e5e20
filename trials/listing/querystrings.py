"""Links to the list with one thing changed: a chip's "remove", a way out of a dead end."""

from django.http import QueryDict


def edited(data, *, drop=(), **values):
    """The query string of `data` (the list's parameters) without the `drop` names and the page
    number, with `values` set: a string or a list of strings; None or [] removes the name."""
    query = QueryDict(mutable=True)
    for key in data:
        if key not in drop and key not in values and key != "page":
            query.setlist(key, data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    for key, value in values.items():
        value = [value] if isinstance(value, str) else (value or [])
        if value:
            query.setlist(key, value)
    return query.urlencode()
