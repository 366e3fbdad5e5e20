"""Ages in years from the registry's age texts, cached (a few dozen texts recur in every batch),
and the registry's age groups a range overlaps."""

import math
from functools import cache

from ..parsing import age_bounds


@cache
def cached_age_bounds(minimum_age, maximum_age):
    return age_bounds(minimum_age, maximum_age)


@cache
def age_years(age):
    bounds = age_bounds(age, "")[0]
    return float(bounds) if bounds is not None else None


def standard_ages(minimum_years, maximum_years_exclusive):
    """The registry's age groups a range of ages overlaps: child under 18, adult 18 to 64,
    older adult 65 and over."""
    low = float(minimum_years) if minimum_years is not None else 0.0
    high = float(maximum_years_exclusive) if maximum_years_exclusive is not None else math.inf
    groups = []
    if low < 18:
        groups.append("CHILD")
    if low < 65 and high > 18:
        groups.append("ADULT")
    if high > 65:
        groups.append("OLDER_ADULT")
    return groups
