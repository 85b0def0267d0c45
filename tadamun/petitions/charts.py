"""Charts drawn on the server as SVG, so they need no JavaScript and no third party.

The functions work out the geometry; `Chart.marks` writes the bars in Python (the template
language would spend a good part of the petition page's time on their loop) and the
template wraps them in its <svg> element with a translated title.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

LABEL_CHARACTERS = 18


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
class Chart:
    width: int
    height: int
    bars: list[Bar]
    label_x: int = 0
    labelled: bool = False  # a text label beside each bar (horizontal bars)

    def marks(self) -> SafeString:
        """The chart's bars as SVG elements, each with its label and value as a tooltip.

        Only the labels need escaping: the coordinates are numbers formatted above."""
        if not self.labelled:
            return mark_safe("".join(map(_rect, self.bars)))
        label_x = localize(self.label_x)
        return mark_safe(
            "".join(
                f'<text x="{label_x}" y="{bar.y}" dy="14" text-anchor="start" '
                f'class="chart-label">{escape(Truncator(bar.label).chars(LABEL_CHARACTERS))}'
                f"</text>\n    {_rect(bar)}\n    "
                for bar in self.bars
            )
        )


def _rect(bar: Bar) -> str:
    return (
        f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
        f'class="chart-bar"><title>{escape(bar.label)}: {localize(bar.value)}</title></rect>'
    )


def horizontal_bars(
    rows: list[tuple[str, int]], *, rtl=False, width=420, label_width=130, bar_height=18, gap=8
) -> Chart:
    """One bar per (label, value) row, the label beside it; mirrored for right-to-left.

    Labels are drawn with text-anchor="start" at `label_x`: in an Arabic page the chart
    inherits the right-to-left direction, so "start" is their right edge.
    """
    peak = max((value for _label, value in rows), default=0) or 1
    room = width - label_width
    bars = []
    for i, (label, value) in enumerate(rows):
        length = max(1.0, room * value / peak)
        x = width - label_width - length if rtl else label_width
        bars.append(bar(label, value, x, i * (bar_height + gap), length, bar_height))
    return Chart(
        width=width,
        height=max(len(rows) * (bar_height + gap), 1),
        bars=bars,
        label_x=width if rtl else 0,
        labelled=True,
    )


def daily_columns(
    counts: dict[date, int], *, end: date, days=30, rtl=False, width=420, height=90
) -> Chart:
    """One column per day for the `days` days up to `end` (oldest first, reading direction)."""
    series = [(end - timedelta(days=days - 1 - i)) for i in range(days)]
    peak = max((counts.get(day, 0) for day in series), default=0) or 1
    step = width / days
    bars = []
    for i, day in enumerate(series):
        value = counts.get(day, 0)
        column = height * value / peak
        x = width - (i + 1) * step if rtl else i * step
        bars.append(bar(day.isoformat(), value, x, height - column, max(step - 2, 1), column))
    return Chart(width=width, height=height, bars=bars)
