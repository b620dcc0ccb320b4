"""The dashboard's SVG charts: well-formed XML, accessible, one point or bar each, and no number where none may show."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from bot.dashboard.charts import (
    DATA,
    INK,
    MUTED,
    Chart,
    ChartPoint,
    attendance_chart,
    coffee_chart,
    participation_chart,
    svg,
    table,
    trend_chart,
)
from rituals.catalog import Catalog
from rituals.model import QuestionCounts, RoundCounts
from rituals.reports import BorrelAttendance, CoffeeRoundRate, Turnout, by_week, pulse_trends

NS = {"svg": "http://www.w3.org/2000/svg"}
K = 5


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def rounds() -> list[RoundCounts]:
    """Four rounds of "overload" (reversed scale): the third had 4 answers, averaging 3.25 — never to be shown."""
    made = [
        ((0, 1, 2, 2, 1), 6, date(2026, 10, 2)),
        ((1, 2, 2, 1, 0), 6, date(2026, 10, 16)),
        ((1, 0, 1, 1, 1), 4, date(2026, 11, 6)),
        ((0, 0, 1, 2, 3), 6, date(2026, 11, 20)),
    ]
    return [
        RoundCounts(occurrence_id=n + 1, local_date=day, prompted=7, responded=responded,
                    questions=(QuestionCounts(question_id="overload", counts=counts),), comments=())
        for n, (counts, responded, day) in enumerate(made)
    ]


def trend_svg(locale: str = "en", *, by_month: bool = False) -> tuple[Chart, str]:
    [trend] = pulse_trends(1, rounds(), K).questions
    chart = trend_chart(trend, K, Catalog(), locale, by_month=by_month)
    return chart, svg(chart, "trend-overload")


def test_a_trend_chart_has_a_point_per_shown_round_and_a_marked_gap_without_a_number() -> None:
    chart, text = trend_svg()
    root = parse(text)
    points = root.findall(".//svg:g[@class='point']", NS)
    gaps = root.findall(".//svg:g[@class='gap']", NS)
    assert [p.get("data-value") for p in points] == ["3.5", "2.5", "4.3"]
    assert len(gaps) == 1
    gap_title = gaps[0].find("svg:title", NS)
    assert gap_title is not None and gap_title.text is not None
    assert gap_title.text.startswith("6 Nov: not shown.") and "4 of 7 answered" in gap_title.text
    assert gaps[0].get("data-value") is None
    # The withheld round's average (3.25) appears nowhere a reader or a tool could find it, in any rounding.
    said = " ".join([*root.itertext(), *(e.get("data-value") or "" for e in root.iter()),
                     root.get("aria-label") or ""])
    for figure in ("3.25", "3.2", "3.3", "3,2", "3,3"):
        assert figure not in said
    # The line breaks at the gap: two runs, one of two points and one of a single point (no segment drawn).
    [line] = root.findall(".//svg:polyline", NS)
    assert len((line.get("points") or "").split()) == 2
    assert [row[1] for row in table(chart, Catalog(), "en").rows] == ["3.5", "2.5", "not shown", "4.3"]


def test_a_chart_is_one_accessible_image_that_scales_to_a_phone() -> None:
    chart, text = trend_svg()
    root = parse(text)
    assert root.get("role") == "img" and root.get("width") == "100%" and root.get("viewBox") == "0 0 400 250"
    assert root.get("aria-label") == chart.title and chart.title.endswith(": average per round")
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None and title.text == chart.title
    assert root.get("aria-labelledby") == "trend-overload-title trend-overload-desc"
    assert title.get("id") == "trend-overload-title" and desc.get("id") == "trend-overload-desc"
    assert desc.text is not None and "3 of 4 shown" in desc.text and "lower score is better" in desc.text
    assert "Open circle" in text  # the legend explains the marker, since there is a gap


def test_month_chart_points_say_how_many_rounds_were_left_out() -> None:
    chart, text = trend_svg(by_month=True)
    root = parse(text)
    assert [p.label for p in chart.points] == ["Oct 2026", "Nov 2026"]
    points = root.findall(".//svg:g[@class='point']", NS)
    assert [p.get("data-value") for p in points] == ["3.0", "4.3"]
    november = points[1].find("svg:title", NS)
    assert november is not None and november.text is not None
    assert "1 rounds" in november.text and "too few answers" in november.text


def test_charts_speak_dutch() -> None:
    chart, text = trend_svg("nl")
    parse(text)
    assert chart.axis == "Gemiddelde (1-5)"
    assert [p.label for p in chart.points] == ["2 okt", "16 okt", "6 nov", "20 nov"]
    assert [p.figure for p in chart.points if p.value is not None] == ["3,5", "2,5", "4,3"]
    assert "niet getoond" in text and "Open cirkel" in text
    assert table(chart, Catalog(), "nl").header == ("Wanneer", "Gemiddelde (1-5)", "Toelichting")


def test_participation_bars_one_per_week_with_rates() -> None:
    turnouts = [
        Turnout(kind="standup", occurrence_id=n, ritual_id=1, local_date=day, prompted=prompted, answered=answered)
        for n, (day, prompted, answered) in enumerate([
            (date(2026, 11, 2), 5, 4), (date(2026, 11, 3), 5, 5), (date(2026, 11, 9), 8, 5),
            (date(2026, 11, 16), 5, 0),
        ])
    ] + [Turnout(kind="pulse", occurrence_id=9, ritual_id=2, local_date=date(2026, 11, 6), prompted=6, answered=5)]
    chart = participation_chart(by_week(turnouts), "standup", Catalog(), "en")
    root = parse(svg(chart, "participation"))
    bars = root.findall(".//svg:g[@class='bar']", NS)
    assert [b.get("data-value") for b in bars] == ["90%", "63%", "0%"]
    assert [p.label for p in chart.points] == ["Week 45", "Week 46", "Week 47"]
    first = bars[0].find("svg:title", NS)
    assert first is not None and first.text == "Week 45: 90% (9 of 10 answered)"
    heights = [float(rect.get("height") or 0) for b in bars for rect in b.findall("svg:rect", NS)]
    assert heights[0] > heights[1] > heights[2] > 0  # a 0% week still shows a sliver, unlike a gap
    assert table(chart, Catalog(), "en").rows[1] == ("Week 46", "63%", "Week 46: 63% (5 of 8 answered)")


def test_attendance_and_coffee_bars_mark_cancelled_and_unasked_rounds_as_gaps() -> None:
    def borrel(n: int, day: date, joined: int, *, cancelled: bool = False) -> BorrelAttendance:
        return BorrelAttendance(occurrence_id=n, ritual_id=1, local_date=day,
                                starts_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC),
                                cancelled=cancelled, closed=True, joined=joined, maybe=1, declined=0, invited=6,
                                joined_names=())

    chart = attendance_chart([borrel(3, date(2026, 11, 20), 2), borrel(2, date(2026, 11, 13), 0, cancelled=True),
                              borrel(1, date(2026, 11, 6), 3)], Catalog(), "en")
    root = parse(svg(chart, "borrels"))
    assert [b.get("data-value") for b in root.findall(".//svg:g[@class='bar']", NS)] == ["50%", "33%"]
    [cancelled] = root.findall(".//svg:g[@class='gap']", NS)
    cancelled_title = cancelled.find("svg:title", NS)
    assert cancelled_title is not None and cancelled_title.text == "13 Nov: cancelled"
    assert "Open circle: cancelled" in " ".join(root.itertext())  # the marker explained to those who see it
    coffee = coffee_chart([
        CoffeeRoundRate(round_id=2, ritual_id=1, local_date=date(2026, 11, 9), groups=3, unmatched=1, asked=0, met=0),
        CoffeeRoundRate(round_id=1, ritual_id=1, local_date=date(2026, 11, 2), groups=3, unmatched=0, asked=3, met=2),
    ], Catalog(), "nl")
    root = parse(svg(coffee, "coffee"))
    assert [b.get("data-value") for b in root.findall(".//svg:g[@class='bar']", NS)] == ["67%"]
    assert len(root.findall(".//svg:g[@class='gap']", NS)) == 1
    assert table(coffee, Catalog(), "nl").rows[1][1] == "niet getoond"


def test_text_is_escaped_and_an_empty_chart_says_so() -> None:
    hostile = Chart(kind="bar", title='Team <script>alert("x")</script> & co', desc="a < b", axis="Share", low=0,
                    high=1, ticks=(), points=(ChartPoint(label="<b>", value=0.5, text="]]> & <x/>", figure="50%"),))
    text = svg(hostile, 'id" onload="x')
    root = parse(text)
    assert "<script>" not in text and root.get("aria-label") == hostile.title
    assert root.get("aria-labelledby") == "id--onload--x-title id--onload--x-desc"
    empty = participation_chart((), "pulse", Catalog(), "en")
    root = parse(svg(empty, "empty"))
    assert not root.findall(".//svg:g[@class='bar']", NS)
    assert "Nothing to show yet." in svg(empty, "empty")
    assert table(empty, Catalog(), "en").rows == ()


@pytest.mark.parametrize("count", [1, 12, 52])
def test_labels_never_crowd_however_many_points(count: int) -> None:
    chart = Chart(kind="bar", title="t", desc="d", axis="a", low=0, high=1, ticks=(),
                  points=tuple(ChartPoint(label=f"Week {n}", value=n / count, text="x", figure="1%")
                               for n in range(count)))
    root = parse(svg(chart, "many"))
    assert len(root.findall(".//svg:g[@class='bar']", NS)) == count
    labels = root.findall(".//svg:g[@class='labels']/svg:text", NS)
    xs = [float(label.get("x") or 0) for label in labels]
    assert labels and all(b - a >= 7 * 13 * 0.6 for a, b in itertools.pairwise(xs))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_what_one_must_see_has_enough_contrast_and_nothing_is_fetched() -> None:
    # WCAG 2.1: 4.5:1 for text; the data and the gap markers are held to the same, above the 3:1 for graphics.
    for colour in (INK, DATA, MUTED):
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour
    _, text = trend_svg()
    root = parse(text)
    assert not [e for e in root.iter() if any("href" in name for name in e.attrib)]
    assert "url(" not in text and "<script" not in text and "<image" not in text
