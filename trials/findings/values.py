"""The registry's values as given ("7.7", "NA", "< 0.001", "") and the numbers in them.

Results are kept as the registry gives them (strings); a chart needs numbers. A value that is not
a plain number is never read as 0: it is "not given", shown with the registry's own comment."""

import re
from dataclasses import dataclass

NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


@dataclass(frozen=True)
class Value:
    given: str  # as the registry gives it
    number: float | None  # None when the registry gives no number

    @classmethod
    def read(cls, given):
        given = "" if given is None else str(given).strip()
        number = float(given.replace(",", "")) if NUMBER.match(given) else None
        return cls(given, number)

    @property
    def is_number(self):
        return self.number is not None

    def __str__(self):
        return self.given


def whole(given):
    """A count as an int ("134" -> 134), or None when the registry gives none."""
    number = Value.read(given).number
    return int(number) if number is not None and number == int(number) else None


def percent(part, whole_count):
    """part of whole_count as a percentage rounded for reading (0.4 -> "0.4", 45.0 -> "45"), or
    "" when it cannot be worked out."""
    if part is None or not whole_count:
        return ""
    share = 100 * part / whole_count
    shown = f"{share:.1f}" if share < 10 and share != int(share) else f"{share:.0f}"
    return shown
