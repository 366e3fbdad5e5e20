"""Links to the list with one thing changed: a chip's "remove", a way out of a dead end."""

from django.http import QueryDict

from ..places.units import Unit, amount, from_km


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


def canonical_query(trial_filter):
    """The list's canonical query string (<link rel="canonical">): its filters only, each name
    once in a fixed order, empty values left out. The page number, the order and the unit of
    distances show the same trials another way, and names the filter does not know are noise:
    none of them makes another address for search engines to index."""
    names = sorted(set(trial_filter.filters) - {"sort", "units"})
    data = trial_filter.data
    query = QueryDict(mutable=True)
    for name in names:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [value for value in values if value and value.strip()]
        if values:
            query.setlist(name, values)
    return query.urlencode()


def unit_switch(trial_filter):
    """[(unit, query string or "" for the unit in use)]: the list in kilometres or miles. The
    radius is converted (to a whole number) so that the same area is searched: only the words
    change, not the trials."""
    links = []
    for unit in Unit:
        if unit == trial_filter.unit:
            links.append((unit, ""))
            continue
        radius = amount(max(1, round(from_km(trial_filter.radius_km, unit))))
        radius = radius if trial_filter.place else None
        links.append((unit, edited(trial_filter.data, units=unit.value, radius=radius)))
    return links
