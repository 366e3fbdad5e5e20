"""The geometry of an outcome's horizontal bar chart: where each bar, whisker, label and tick
goes, in the SVG's own units. templates/includes/findings_chart.html draws it.

A bar per group (and per category, when the outcome has several), its whisker the registry's
confidence interval, range or spread. A value that is not a number has no bar: the chart says
"not given" in its place, and the table beside it gives the registry's comment."""

import math
from dataclasses import dataclass, field

# The viewBox's width: the SVG scales to its box, about 360 px on a phone and as much beside the
# table on a desktop, so its 15-unit text reads at 13 px or more.
WIDTH = 400
LEFT = 8
RIGHT_ROOM = 64  # for the value written after a bar
LINE = 22  # a line of label text
BAR = 20
GAP = 14
AXIS_ROOM = 34


@dataclass
class Bar:
    label: str
    label_y: float
    y: float
    height: float
    x: float
    width: float
    shade: int  # the group's colour: class "bar-<shade>" in site.css
    text: str
    text_x: float
    whisker: tuple | None = None  # (x1, x2)
    not_given: bool = False

    @property
    def middle(self):
        return self.y + self.height / 2

    @property
    def text_y(self):
        return self.y + self.height / 2 + 6

    @property
    def cap_top(self):
        return self.y + 3

    @property
    def cap_bottom(self):
        return self.y + self.height - 3


@dataclass
class Tick:
    x: float
    text: str


@dataclass
class Chart:
    width: int
    height: float
    bars: list
    ticks: list
    headings: list = field(default_factory=list)  # [(y, text)]: a category's name
    zero_x: float = LEFT
    axis_y: float = 0
    plot_end: float = WIDTH - RIGHT_ROOM

    @property
    def tick_y(self):
        return self.axis_y + 22


def nice_step(span, wanted=4):
    """A tick step of 1, 2 or 5 times a power of ten giving about `wanted` ticks over span."""
    if span <= 0:
        return 1
    raw = span / wanted
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def tick_text(number):
    return f"{number:g}"


def bar_chart(rows):
    """The chart of an outcome's rows ([(category, [measurement, ...])], a measurement having
    group, shade, value, low and high as in build.py), or None when no value is a number."""
    numbers = [
        v.number
        for _, measurements in rows
        for m in measurements
        for v in (m.value, m.low, m.high)
        if v is not None and v.is_number
    ]
    if not numbers:
        return None
    lowest, highest = min(0.0, *numbers), max(0.0, *numbers)
    step = nice_step(highest - lowest)
    lowest = math.floor(lowest / step) * step
    highest = math.ceil(highest / step) * step if highest > lowest else lowest + step
    plot = WIDTH - LEFT - RIGHT_ROOM

    def x_of(number):  # one decimal is finer than a screen shows, and keeps the SVG short
        return round(LEFT + (number - lowest) / (highest - lowest) * plot, 1)

    bars, headings, y = [], [], 4.0
    for category, measurements in rows:
        if category:
            y += LINE
            headings.append((y - 6, category))
        for m in measurements:
            label_y = y + LINE - 6
            top = y + LINE
            if m.value.is_number:
                start, end = sorted((x_of(0), x_of(m.value.number)))
                whisker = None
                if (
                    m.low is not None
                    and m.high is not None
                    and m.low.is_number
                    and m.high.is_number
                ):
                    whisker = (x_of(m.low.number), x_of(m.high.number))
                reach = max(end, whisker[1] if whisker else end)
                bars.append(
                    Bar(
                        m.group,
                        label_y,
                        top,
                        BAR,
                        start,
                        max(end - start, 1),
                        m.shade,
                        m.value.given,
                        reach + 6,
                        whisker,
                    )
                )
            else:
                bars.append(
                    Bar(
                        m.group,
                        label_y,
                        top,
                        BAR,
                        x_of(0),
                        0,
                        m.shade,
                        "",
                        x_of(0) + 4,
                        not_given=True,
                    )
                )
            y = top + BAR + GAP
    axis_y = y
    ticks = []
    tick = lowest
    while tick <= highest + step / 1000:
        ticks.append(Tick(x_of(tick), tick_text(round(tick, 10))))
        tick += step
    return Chart(WIDTH, axis_y + AXIS_ROOM, bars, ticks, headings, x_of(0), axis_y)
