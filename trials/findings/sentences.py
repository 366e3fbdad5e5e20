"""The findings in words: one sentence per primary outcome, its analyses, its spreads.

They only restate the registry's numbers, with the groups' own titles: "the registry reports",
never "better", "works" or "cures", and no cause unless the registry's analysis gives one, and
then only its numbers. Each is a whole sentence with named placeholders, for translators."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

# A group that gets the trial's drug leads a comparison: "people in the group “Blinatumomab” ...,
# compared with ... “Standard of Care Chemotherapy”". Otherwise the registry's order holds.
DRUG_WORDS = ("blinatumomab", "blincyto", "amg 103", "amg103", "mt103", "mt 103")

PARAMS = {
    "MEDIAN": lambda amount: _("a median of %(amount)s") % {"amount": amount},
    "MEAN": lambda amount: _("a mean of %(amount)s") % {"amount": amount},
    "GEOMETRIC_MEAN": lambda amount: _("a geometric mean of %(amount)s") % {"amount": amount},
    "LEAST_SQUARES_MEAN": lambda amount: (
        _("a least-squares mean of %(amount)s") % {"amount": amount}
    ),
    "GEOMETRIC_LEAST_SQUARES_MEAN": lambda amount: (
        _("a geometric least-squares mean of %(amount)s") % {"amount": amount}
    ),
    "LOG_MEAN": lambda amount: _("a log mean of %(amount)s") % {"amount": amount},
}


PARAM_NAMES = {
    "MEDIAN": _lazy("Median"),
    "MEAN": _lazy("Mean"),
    "GEOMETRIC_MEAN": _lazy("Geometric mean"),
    "LEAST_SQUARES_MEAN": _lazy("Least-squares mean"),
    "GEOMETRIC_LEAST_SQUARES_MEAN": _lazy("Geometric least-squares mean"),
    "LOG_MEAN": _lazy("Log mean"),
    "NUMBER": _lazy("Number"),
    "COUNT_OF_PARTICIPANTS": _lazy("Count of participants"),
    "COUNT_OF_UNITS": _lazy("Count of units"),
}


def value_heading(param_type, unit):
    """The table's value column: "Median (months)"."""
    name = PARAM_NAMES.get(vocabulary_key(param_type), param_type) or _("Value")
    return _("%(param)s (%(unit)s)") % {"param": name, "unit": unit} if unit else str(name)


def spread_heading(dispersion_type):
    """The table's spread column: the registry's dispersion in words."""
    key = vocabulary_key(dispersion_type)
    if "CONFIDENCE" in key:
        percent = confidence_percent(key)
        if percent:
            return _("%(percent)s%% confidence interval") % {"percent": percent}
        return _("Confidence interval")
    if "RANGE" in key and "QUARTILE" in key:
        return _("Interquartile range")
    if "RANGE" in key:
        return _("Range")
    if "DEVIATION" in key:
        return _("Standard deviation")
    if "ERROR" in key:
        return _("Standard error")
    return dispersion_type or _("Spread")


def vocabulary_key(given):
    """A registry vocabulary value as API v2 spells it, whichever format it came in:
    "Count of Participants" -> "COUNT_OF_PARTICIPANTS", "MEDIAN" stays."""
    return "_".join(given.replace("-", " ").upper().split())


def is_percent(unit):
    return "percent" in unit.lower()


def amount(value, unit):
    """A value with its unit: "7.7 months", "77.9%"; "not given" for a value that is no number."""
    if not value.is_number:
        return _("not given")
    if is_percent(unit):
        return _("%(number)s%%") % {"number": value.given}
    if unit:
        return _("%(number)s %(unit)s") % {"number": value.given, "unit": unit}
    return value.given


def stat(param_type, value, unit):
    """ "a median of 7.7 months", "77.9%"."""
    said = amount(value, unit)
    phrase = PARAMS.get(vocabulary_key(param_type))
    return phrase(said) if phrase else said


def gets_the_drug(title):
    return any(word in title.lower() for word in DRUG_WORDS)


def outcome_sentence(outcome):
    """The generated sentence for an outcome (build.Outcome)."""
    if len(outcome.rows) != 1:
        count = len(outcome.rows)
        return ngettext(
            "For “%(outcome)s”, the registry gives %(count)s category; the table gives its "
            "numbers.",
            "For “%(outcome)s”, the registry gives %(count)s categories; the table gives each "
            "one's numbers.",
            count,
        ) % {"outcome": outcome.title, "count": count}
    measurements = outcome.rows[0][1]
    numeric = [m for m in measurements if m.value.is_number]
    if not numeric:
        return _(
            "For “%(outcome)s”, the registry gives no number yet; the table gives what it says."
        ) % {"outcome": outcome.title}
    lead = next((m for m in numeric if gets_the_drug(m.group)), numeric[0])
    others = [m for m in numeric if m is not lead]
    values = {
        "stat": stat(outcome.param_type, lead.value, outcome.unit),
        "outcome": outcome.title,
        "group": lead.group,
    }
    if others:
        compared = [
            _("%(amount)s in the group “%(group)s”")
            % {"amount": amount(m.value, outcome.unit), "group": m.group}
            for m in others
        ]
        said = _(
            "In this trial, the registry reports %(stat)s for “%(outcome)s” among people in the "
            "group “%(group)s”, compared with %(others)s."
        ) % {**values, "others": listed(compared)}
    else:
        said = (
            _(
                "In this trial, the registry reports %(stat)s for “%(outcome)s” among people in "
                "the group “%(group)s”."
            )
            % values
        )
    # A group without a number is said to have none, with the registry's reason: never a 0.
    for m in measurements:
        if not m.value.is_number:
            said += " " + (
                _("For the group “%(group)s” it gives no number (its note: “%(comment)s”).")
                if m.comment
                else _("For the group “%(group)s” it gives no number.")
            ) % {"group": m.group, "comment": m.comment}
    return said


def listed(parts):
    """ "a", "a and b", "a, b and c"."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def limit(value):
    return value.given if value.is_number else _("not given")


def spread_words(dispersion_type, value, spread, lower, upper):
    """The registry's spread of a value in words: "95% confidence interval 5.6 to 9.6",
    "standard deviation 2.1", "range 1 to 30"; "" when it gives none."""
    key = vocabulary_key(dispersion_type)
    if key in ("", "NA"):  # the registry says the value has no spread
        return ""
    limits = {"low": limit(lower), "high": limit(upper)}
    if "CONFIDENCE" in key:
        percent = confidence_percent(key)
        if percent:
            return _("%(percent)s%% confidence interval %(low)s to %(high)s") % {
                **limits,
                "percent": percent,
            }
        return _("confidence interval %(low)s to %(high)s") % limits
    if "RANGE" in key and "QUARTILE" in key:
        return _("interquartile range %(low)s to %(high)s") % limits
    if "RANGE" in key:
        return _("range %(low)s to %(high)s") % limits
    if not spread.given:
        return ""
    if "DEVIATION" in key:
        return _("standard deviation %(spread)s") % {"spread": spread.given}
    if "ERROR" in key:
        return _("standard error %(spread)s") % {"spread": spread.given}
    if "COEFFICIENT" in key:
        return _("geometric coefficient of variation %(spread)s") % {"spread": spread.given}
    return spread.given


def confidence_percent(key):
    """The percent of a confidence interval: 95 of CONFIDENCE_95, 97.5 of CONFIDENCE_975."""
    digits = "".join(c for c in key if c.isdigit())
    return f"{digits[:2]}.{digits[2:]}" if len(digits) > 2 else digits


def spread_cell(dispersion_type, spread, lower, upper):
    """The spread as the table's cell says it, under spread_heading: "5.6 to 9.6", "1.2"."""
    key = vocabulary_key(dispersion_type)
    if key in ("", "NA"):
        return ""
    if "CONFIDENCE" in key or "RANGE" in key:
        if not (lower.given or upper.given):
            return ""
        return _("%(low)s to %(high)s") % {"low": limit(lower), "high": limit(upper)}
    return spread.given


def analysis_lines(analysis):
    """An analysis in words, one line each: what it compares, its estimate and confidence
    interval, its p-value; the registry's numbers only."""
    lines = []
    if len(analysis.groups) > 1:
        lines.append(
            _("Comparing %(groups)s:") % {"groups": listed([f"“{g}”" for g in analysis.groups])}
        )
    if analysis.estimate.given:
        words = {"kind": analysis.estimate_type or _("Estimate"), "value": analysis.estimate.given}
        if analysis.ci_lower.given or analysis.ci_upper.given:
            words.update(
                percent=analysis.ci_percent or "",
                low=limit(analysis.ci_lower),
                high=limit(analysis.ci_upper),
            )
            if not analysis.ci_percent:
                line = _("%(kind)s: %(value)s (confidence interval %(low)s to %(high)s).")
            elif vocabulary_key(analysis.ci_sides) in ("ONE_SIDED", "1_SIDED"):
                line = _(
                    "%(kind)s: %(value)s (one-sided %(percent)s%% confidence interval %(low)s to "
                    "%(high)s)."
                )
            else:
                line = _(
                    "%(kind)s: %(value)s (%(percent)s%% confidence interval %(low)s to %(high)s)."
                )
            lines.append(line % words)
        else:
            lines.append(_("%(kind)s: %(value)s.") % words)
    if analysis.p_value:
        if analysis.method:
            lines.append(
                _("p-value: %(p)s (%(method)s).")
                % {"p": analysis.p_value, "method": analysis.method}
            )
        else:
            lines.append(_("p-value: %(p)s.") % {"p": analysis.p_value})
    return lines


def p_value_meaning():
    return _(
        "A p-value is how likely a difference at least this large would be by chance alone if "
        "the assumption tested (usually “no difference”) were true; the smaller it is, the less "
        "likely chance alone explains the result."
    )


def people(affected, at_risk, percent):
    """ "49 of 109 people (45%)"."""
    if affected is None:
        return _("not given")
    if at_risk is None:
        return ngettext("%(affected)s person", "%(affected)s people", affected) % {
            "affected": affected
        }
    if percent:
        return ngettext(
            "%(affected)s of %(at_risk)s person (%(percent)s%%)",
            "%(affected)s of %(at_risk)s people (%(percent)s%%)",
            at_risk,
        ) % {"affected": affected, "at_risk": at_risk, "percent": percent}
    return ngettext(
        "%(affected)s of %(at_risk)s person", "%(affected)s of %(at_risk)s people", at_risk
    ) % {"affected": affected, "at_risk": at_risk}


def chart_description(outcome):
    """The chart's <desc>: every bar's value and spread, as the table gives them."""
    parts = []
    for category, measurements in outcome.rows:
        for m in measurements:
            said = amount(m.value, outcome.unit)
            if m.spread_words:
                said = f"{said} ({m.spread_words})"
            name = f"{category}, {m.group}" if category else m.group
            parts.append(_("%(group)s: %(value)s") % {"group": name, "value": said})
    return "; ".join(parts) + "."
