"""Charts drawn on the server as SVG, so they need no JavaScript and no third party.

The functions work out the geometry; `Chart.marks` writes the bars in Python (the template
language would spend a good part of the petition page's time on their loop) and the
template wraps them in its <svg> element with a translated title.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

# A phone draws a chart 343 px wide (375 px less the page's margins): a chart at most that wide
# in its own units draws its 15-unit labels at 15 px or more on every screen.
WIDTH = 340
LABEL_CHARACTERS = 16
INSET = 2  # labels stand this far in from the edges: some letters reach beyond their origin


@dataclass(frozen=True)
class Bar:
    """Coordinates are strings with one decimal and a dot, whatever the reader's locale
    (a template would print 12,5 in French, which SVG does not understand)."""

    label: str
    value: int
    x: str
    y: str
    width: str
    height: str


def bar(label: str, value: int, x: float, y: float, width: float, height: float) -> Bar:
    return Bar(label, value, f"{x:.1f}", f"{y:.1f}", f"{width:.1f}", f"{height:.1f}")


@dataclass(frozen=True)
class Label:
    """Text on a chart. `anchor` is in the reading direction: the chart inherits the page's,
    so in Arabic "start" is the text's right end and "end" its left end."""

    x: str
    y: str
    text: str
    anchor: str = "start"


def label(x: float, y: float, text: str, anchor: str = "start") -> Label:
    return Label(f"{x:.1f}", f"{y:.1f}", text, anchor)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: tuple[Label, ...] = ()
    baseline: str = ""  # the y of a line under columns, if any

    def marks(self) -> SafeString:
        """The chart's bars as SVG elements, each with its label and value as a tooltip, then
        its text labels. Only the texts need escaping: the coordinates are numbers."""
        axis = (
            f'<rect x="0" y="{self.baseline}" width="{self.width}" height="1" class="chart-axis"/>'
            if self.baseline
            else ""
        )
        return mark_safe("".join(map(_rect, self.bars)) + axis + "".join(map(_text, self.labels)))


def _rect(bar: Bar) -> str:
    return (
        f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
        f'class="chart-bar"><title>{escape(bar.label)}: {localize(bar.value)}</title></rect>'
    )


def _text(text: Label) -> str:
    return (
        f'<text x="{text.x}" y="{text.y}" text-anchor="{text.anchor}" '
        f'dominant-baseline="central" class="chart-label">{escape(text.text)}</text>'
    )


def horizontal_bars(
    rows: list[tuple[str, int]], *, rtl=False, width=WIDTH, label_width=120, bar_height=22, gap=8
) -> Chart:
    """One bar per (label, value) row: the label before it, its value after its end; mirrored
    for right-to-left (labels are anchored at "start", the right in an Arabic page)."""
    peak = max((value for _label, value in rows), default=0) or 1
    value_width = 8 + 9 * len(localize(peak))  # room for the longest value after its bar
    room = width - label_width - value_width
    bars, labels = [], []
    for i, (name, value) in enumerate(rows):
        length = max(1.0, room * value / peak)
        top = i * (bar_height + gap)
        x = width - label_width - length if rtl else label_width
        bars.append(bar(name, value, x, top, length, bar_height))
        middle = top + bar_height / 2
        name = Truncator(name).chars(LABEL_CHARACTERS)
        labels.append(label(width - INSET if rtl else INSET, middle, name))
        labels.append(label(x - 5 if rtl else x + length + 5, middle, localize(value)))
    return Chart(
        width=width,
        height=max(len(rows) * (bar_height + gap), 1),
        bars=bars,
        labels=tuple(labels),
    )


def daily_columns(
    counts: dict[date, int], *, end: date, days=30, rtl=False, width=WIDTH, height=100
) -> Chart:
    """One column per day for the `days` days up to `end` (oldest first, in the reading
    direction), over a dated axis: the first, middle and last days, in the reader's format."""
    series = [(end - timedelta(days=days - 1 - i)) for i in range(days)]
    peak = max((counts.get(day, 0) for day in series), default=0) or 1
    step = width / days
    bars = []
    for i, day in enumerate(series):
        value = counts.get(day, 0)
        column = height * value / peak
        x = width - (i + 1) * step if rtl else i * step
        bars.append(bar(day.isoformat(), value, x + 1, height - column, max(step - 2, 1), column))
    dates_y = height + 16
    first, middle, last = series[0], series[days // 2], series[-1]
    dates = (
        label(width - INSET if rtl else INSET, dates_y, _day(first), "start"),
        label(width / 2, dates_y, _day(middle), "middle"),
        label(INSET if rtl else width - INSET, dates_y, _day(last), "end"),
    )
    return Chart(width=width, height=height + 28, bars=bars, labels=dates, baseline=f"{height:.1f}")


def _day(day: date) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


@dataclass(frozen=True)
class Drawn:
    """A chart as the page shows it: its size and its marks, written once."""

    width: int
    height: int
    marks: SafeString


@functools.lru_cache(maxsize=1024)
def _drawn(language: str, rows: tuple | None, days: tuple | None, end, rtl: bool) -> Drawn:
    chart = (
        horizontal_bars(list(rows), rtl=rtl)
        if rows is not None
        else daily_columns(dict(days), end=end, rtl=rtl)
    )
    return Drawn(chart.width, chart.height, chart.marks())


# A petition's charts change only with its counts, which most views read unchanged: the page
# draws them through these, once per process for the same counts, language and direction
# (numbers and dates are written in the reader's format).


def country_bars(rows: list[tuple[str, int]], *, rtl: bool) -> Drawn:
    """`horizontal_bars(rows)` drawn."""
    return _drawn(get_language(), tuple(rows), None, None, rtl)


def timeline(counts: dict[date, int], *, end: date, rtl: bool) -> Drawn:
    """`daily_columns(counts, end=end)` drawn."""
    return _drawn(get_language(), None, tuple(sorted(counts.items())), end, rtl)
