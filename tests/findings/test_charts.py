"""The bar chart's geometry, on plain objects (no database)."""

from trials.findings import charts
from trials.findings.build import Measurement
from trials.findings.values import Value


def measured(group, value, low=None, high=None, shade=0):
    return Measurement(
        group=group,
        shade=shade,
        value=Value.read(value),
        low=Value.read(low) if low is not None else None,
        high=Value.read(high) if high is not None else None,
    )


def test_bars_are_as_long_as_their_values_and_whiskers_span_the_limits():
    # TOWER's overall survival as the registry gives it: medians with 95% confidence intervals.
    chart = charts.bar_chart(
        [
            (
                "",
                [
                    measured("Standard of Care Chemotherapy", "4.0", "2.9", "5.3", 0),
                    measured("Blinatumomab", "7.7", "5.6", "9.6", 1),
                ],
            )
        ]
    )
    chemo, blina = chart.bars
    assert abs(blina.width / chemo.width - 7.7 / 4.0) < 0.01
    assert chemo.x == blina.x == chart.zero_x  # both from zero
    assert chemo.whisker[0] < chemo.x + chemo.width < chemo.whisker[1]
    assert blina.whisker[1] > blina.x + blina.width
    # The axis reaches past the highest limit (9.6) on round ticks.
    assert [tick.text for tick in chart.ticks][0] == "0"
    assert float(chart.ticks[-1].text) >= 9.6
    assert all(bar.x + bar.width <= chart.plot_end for bar in chart.bars)
    assert [bar.text for bar in chart.bars] == ["4.0", "7.7"]


def test_a_value_that_is_no_number_has_no_bar_and_is_never_drawn_as_zero():
    chart = charts.bar_chart(
        [("", [measured("HC3 Chemotherapy", "7.4", "4.5", "12.7"), measured("Blinatumomab", "NA")])]
    )
    chemo, blina = chart.bars
    assert not chemo.not_given and chemo.width > 0
    assert blina.not_given and blina.width == 0 and blina.text == ""


def test_no_chart_without_a_single_number():
    assert charts.bar_chart([("", [measured("A", "NA"), measured("B", "")])]) is None


def test_categories_get_their_headings_and_a_bar_per_group():
    chart = charts.bar_chart(
        [
            ("TEAE", [measured("Blinatumomab", "28")]),
            ("Fatal TEAEs", [measured("Blinatumomab", "0")]),
        ]
    )
    assert [text for _, text in chart.headings] == ["TEAE", "Fatal TEAEs"]
    assert len(chart.bars) == 2 and chart.bars[1].width >= 1  # a zero still shows a sliver


def test_negative_values_reach_left_of_zero():
    chart = charts.bar_chart([("", [measured("A", "-2.5"), measured("B", "5")])])
    down, up = chart.bars
    assert down.x < chart.zero_x and down.x + down.width == chart.zero_x
    assert up.x == chart.zero_x


def test_tick_steps_are_round():
    assert charts.nice_step(9.6) == 5
    assert charts.nice_step(100) == 50
    assert charts.nice_step(0.3) == 0.1
