"""The petition page's charts: readable on a phone, dated, mirrored for right-to-left."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.utils import translation

from tadamun.petitions import charts

PHONE_CHART_PX = 343  # 375 px less the page's margins


def _svg(chart) -> ET.Element:
    return ET.fromstring(f'<svg viewBox="0 0 {chart.width} {chart.height}">{chart.marks()}</svg>')


def _texts(chart) -> list[ET.Element]:
    return _svg(chart).findall("text")


def test_charts_fit_a_phone_at_full_scale_so_labels_keep_their_size():
    rows = [("Germany", 5), ("France", 4)]
    for chart in (charts.horizontal_bars(rows), charts.daily_columns({}, end=date(2026, 1, 31))):
        assert chart.width <= PHONE_CHART_PX  # one unit draws as a pixel or more


def test_country_bars_carry_their_name_and_value_and_escape_them():
    chart = charts.horizontal_bars([("Bosnia and Herzegovina <&>", 12345), ("France", 7)])
    texts = [t.text for t in _texts(chart)]
    assert texts == ["Bosnia and Herz…", "12345", "France", "7"]
    assert "<&>" not in chart.marks() and "&lt;&amp;&gt;" in chart.marks()
    bars = _svg(chart).findall("rect")
    assert [b.find("title").text for b in bars] == [
        "Bosnia and Herzegovina <&>: 12345",
        "France: 7",
    ]
    # The longest bar and its value stay inside the chart.
    value = _texts(chart)[1]
    assert float(value.get("x")) + 9 * len("12345") <= chart.width + 1


def test_country_bars_mirror_right_to_left():
    ltr = charts.horizontal_bars([("France", 10), ("Spain", 5)])
    rtl = charts.horizontal_bars([("France", 10), ("Spain", 5)], rtl=True)
    ltr_bar, rtl_bar = _svg(ltr).find("rect"), _svg(rtl).find("rect")
    assert float(ltr_bar.get("x")) + float(ltr_bar.get("width")) + float(rtl_bar.get("x")) == (
        pytest.approx(ltr.width, abs=0.2)
    )
    name, value = _texts(rtl)[:2]
    # "start" is the right end in an Arabic page: the name at the right edge, the value
    # just left of its bar.
    assert float(name.get("x")) == rtl.width - charts.INSET and name.get("text-anchor") == "start"
    assert float(value.get("x")) < float(rtl_bar.get("x"))


@pytest.mark.parametrize(
    ("language", "first", "middle", "last"),
    [
        ("en", "January 2", "January 17", "January 31"),
        ("fr", "2 janvier", "17 janvier", "31 janvier"),
        ("ar", "2 يناير", "17 يناير", "31 يناير"),
    ],
)
def test_the_thirty_days_have_a_dated_axis_in_the_readers_format(language, first, middle, last):
    with translation.override(language):
        rtl = translation.get_language_bidi()
        chart = charts.daily_columns(
            {date(2026, 1, 30): 4, date(2026, 1, 2): 1}, end=date(2026, 1, 31), rtl=rtl
        )
        texts = _texts(chart)
    assert [t.text for t in texts] == [first, middle, last]
    assert all(float(t.get("y")) > float(chart.baseline) for t in texts)
    assert _svg(chart).find("rect[@class='chart-axis']") is not None
    columns = _svg(chart).findall("rect[@class='chart-bar']")
    assert len(columns) == 30
    oldest, newest = columns[0], columns[-1]
    # Time runs in the reading direction, to both edges: left to right, or right to left.
    edges = (float(oldest.get("x")), float(newest.get("x")))
    assert edges[0] > edges[1] if rtl else edges[0] < edges[1]
    assert min(edges) <= 1.5 and max(edges) + float(oldest.get("width")) >= chart.width - 1.5
    oldest_label = texts[0]
    assert float(oldest_label.get("x")) == (chart.width - charts.INSET if rtl else charts.INSET)
    assert oldest_label.get("text-anchor") == "start"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_chart_drawn_once_is_the_chart_and_new_counts_draw_anew(language):
    """The page's charts come from a memo per process: the same marks as drawing them, and
    a count that changes (or a language, a day) draws a new chart, never a stale one."""
    rows, days, end = [("France", 10), ("Spain <&>", 5)], {date(2026, 1, 30): 4}, date(2026, 1, 31)
    with translation.override(language):
        rtl = translation.get_language_bidi()
        for drawn, chart in (
            (charts.country_bars(rows, rtl=rtl), charts.horizontal_bars(rows, rtl=rtl)),
            (charts.timeline(days, end=end, rtl=rtl), charts.daily_columns(days, end=end, rtl=rtl)),
        ):
            assert (drawn.width, drawn.height, drawn.marks) == (
                chart.width,
                chart.height,
                chart.marks(),
            )
        before = charts.country_bars(rows, rtl=rtl).marks
        assert charts.country_bars([("France", 11), rows[1]], rtl=rtl).marks != before
        assert charts.timeline({date(2026, 1, 30): 5}, end=end, rtl=rtl).marks != (
            charts.timeline(days, end=end, rtl=rtl).marks
        )
        assert charts.timeline(days, end=date(2026, 2, 1), rtl=rtl).marks != (
            charts.timeline(days, end=end, rtl=rtl).marks
        )
    with translation.override("fr"):
        french = charts.timeline(days, end=end, rtl=False).marks
    with translation.override("en"):
        english = charts.timeline(days, end=end, rtl=False).marks
    assert "31 janvier" in french and "January 31" in english
