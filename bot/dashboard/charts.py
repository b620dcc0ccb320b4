"""The dashboard's charts, drawn on the server as SVG strings: no script, no library, no request leaves the page.

A chart is first a `Chart` (its points in words and numbers, built from rituals/reports.py's results by the
`*_chart` functions), then either `svg()` (a line or bar chart) or `table()` (the same points as rows, for screen
readers and for anyone who would rather read numbers). The SVG scales to its container (viewBox, width 100%) and
is sized for a phone: 400 units wide, so its 13-unit text stays about 12 px on a 360 px screen. It is one image to
assistive technology (role="img", aria-label, <title> and <desc>); each point also carries a <title> tooltip.

A pulse point that is withheld (fewer than k answers) is a gap: the line breaks there and an open circle on the
axis marks it, with the reason as its text. It carries no number, in the drawing or in its attributes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Literal

from rituals.catalog import Catalog
from rituals.pulse import QUESTIONS
from rituals.reports import BorrelAttendance, CoffeeRoundRate, QuestionTrend, TrendGap, TrendPoint, WeekTurnout

WIDTH = 400
HEIGHT = 250
LEFT = 48
RIGHT = 10
TOP = 14
PLOT_BOTTOM = 196  # the x axis; labels below it, then the legend
FONT = 13
# Colours on white: text 17:1, the data 8.3:1, axis text and gap markers 7:1 (WCAG asks 4.5:1 for text and 3:1
# for the parts of a graphic one needs to read it); the grid is decoration, lighter on purpose.
INK = "#1a1a1a"
DATA = "#1c4e8f"
MUTED = "#595959"
GRID = "#d4d4d4"
SCALE_LOW, SCALE_HIGH = 1.0, 5.0


@dataclass(frozen=True, kw_only=True)
class ChartPoint:
    """One point or bar: a short axis label, its value (None: a gap), and what it says in full words."""

    label: str
    value: float | None
    text: str
    figure: str = ""  # the value as written ("4.2", "63%"); empty for a gap


@dataclass(frozen=True, kw_only=True)
class Chart:
    """What a chart shows, in the reader's language, before it is drawn or tabled."""

    kind: Literal["line", "bar"]
    title: str
    desc: str
    axis: str
    low: float
    high: float
    ticks: tuple[tuple[float, str], ...]
    points: tuple[ChartPoint, ...]
    legend: str = ""
    empty: str = ""


@dataclass(frozen=True, kw_only=True)
class ChartTable:
    """A chart's data as a table: a caption, three column headers, and one row per point."""

    caption: str
    header: tuple[str, str, str]
    rows: tuple[tuple[str, str, str], ...]


# --- Labels --------------------------------------------------------------------------------------------------


def day_label(catalog: Catalog, locale: str, day: date) -> str:
    """A short date for an axis: "2 Nov" / "2 nov"."""
    return catalog.text(locale, "chart.day", day=day.day, month=catalog.text(locale, f"chart.month.{day.month}"))


def month_label(catalog: Catalog, locale: str, day: date) -> str:
    """A month for an axis: "Nov 2026" / "nov 2026"."""
    return catalog.text(locale, "chart.month", month=catalog.text(locale, f"chart.month.{day.month}"), year=day.year)


def percent(share: float) -> int:
    """A share as a whole percentage, rounded half up as people do (5 of 8 is 63%)."""
    return int(100 * share + 0.5)


_SHARE_TICKS = ((0.0, "0%"), (0.5, "50%"), (1.0, "100%"))


# --- Charts from reports -------------------------------------------------------------------------------------


def trend_chart(trend: QuestionTrend, k: int, catalog: Catalog, locale: str, *, by_month: bool = False) -> Chart:
    """A pulse question's line chart, per round or per month: withheld points are gaps with their reason."""
    question = QUESTIONS.get(trend.question_id)
    name = question.text(catalog, locale) if question else trend.question_id
    label = month_label if by_month else day_label
    points: list[ChartPoint] = []
    for point in trend.months if by_month else trend.rounds:
        when = label(catalog, locale, point.label)
        if isinstance(point, TrendGap):
            points.append(ChartPoint(label=when, value=None, text=catalog.text(
                locale, "chart.gap", label=when, reason=point.text(catalog, locale))))
            continue
        points.append(_trend_point(point, when, catalog, locale, by_month=by_month))
    desc = catalog.text(locale, "chart.trend.desc", shown=sum(1 for p in points if p.value is not None),
                        count=len(points), k=k)
    if question is not None and not question.higher_is_better:
        desc += " " + catalog.text(locale, "chart.trend.lower_better")
    return Chart(
        kind="line",
        title=catalog.text(locale, "chart.trend.month_title" if by_month else "chart.trend.title", question=name),
        desc=desc,
        axis=catalog.text(locale, "chart.axis.average"),
        low=SCALE_LOW,
        high=SCALE_HIGH,
        ticks=tuple((float(v), str(v)) for v in range(1, 6)),
        points=tuple(points),
        legend=catalog.text(locale, "chart.legend.gap"),
        empty=catalog.text(locale, "chart.empty"),
    )


def _trend_point(point: TrendPoint, when: str, catalog: Catalog, locale: str, *, by_month: bool) -> ChartPoint:
    average = catalog.decimal(locale, point.average)
    if by_month:
        text = catalog.text(locale, "chart.point.month", label=when, average=average, n=point.n,
                            rounds=len(point.rounds))
        if point.left_out:
            text += " " + catalog.text(locale, "chart.point.left_out", count=point.left_out)
    else:
        text = catalog.text(locale, "chart.point", label=when, average=average, n=point.n)
    return ChartPoint(label=when, value=point.average, text=text, figure=average)


def participation_chart(weeks: Sequence[WeekTurnout], kind: str, catalog: Catalog, locale: str) -> Chart:
    """Bars of the share that answered per ISO week, for one kind of ritual ("standup" or "pulse")."""
    points: list[ChartPoint] = []
    chosen = [week for week in weeks if week.kind == kind]
    for week in chosen:
        label = catalog.text(locale, "chart.week", week=week.week)
        if week.rate is None:
            points.append(ChartPoint(label=label, value=None, text=catalog.text(locale, "chart.bar.nobody",
                                                                                  label=label)))
            continue
        share = percent(week.rate)
        points.append(ChartPoint(label=label, value=week.rate, figure=f"{share}%", text=catalog.text(
            locale, "chart.bar.rate", label=label, percent=share, answered=week.answered, prompted=week.prompted)))
    name = catalog.text(locale, f"chart.kind.{kind}")
    return _share_chart(catalog, locale, catalog.text(locale, "chart.participation.title", kind=name),
                        catalog.text(locale, "chart.participation.desc", count=len(chosen)), points,
                        "chart.legend.nobody")


def attendance_chart(borrels: Sequence[BorrelAttendance], catalog: Catalog, locale: str) -> Chart:
    """Bars of the share of the team that said it would join, per borrel, oldest first; cancelled ones are marked."""
    points: list[ChartPoint] = []
    ordered = sorted(borrels, key=lambda b: (b.starts_at, b.occurrence_id))
    for borrel in ordered:
        label = day_label(catalog, locale, borrel.local_date)
        if borrel.cancelled or borrel.rate is None:
            points.append(ChartPoint(label=label, value=None, text=catalog.text(
                locale, "chart.bar.cancelled" if borrel.cancelled else "chart.bar.nobody", label=label)))
            continue
        share = percent(borrel.rate)
        points.append(ChartPoint(label=label, value=borrel.rate, figure=f"{share}%", text=catalog.text(
            locale, "chart.bar.attendance", label=label, joined=borrel.joined, maybe=borrel.maybe,
            declined=borrel.declined, invited=borrel.invited, percent=share)))
    return _share_chart(catalog, locale, catalog.text(locale, "chart.attendance.title"),
                        catalog.text(locale, "chart.attendance.desc", count=len(ordered)), points,
                        "chart.legend.cancelled")


def coffee_chart(rounds: Sequence[CoffeeRoundRate], catalog: Catalog, locale: str) -> Chart:
    """Bars of the share of asked coffee groups that met, per round, oldest first."""
    points: list[ChartPoint] = []
    ordered = sorted(rounds, key=lambda r: (r.local_date, r.round_id))
    for rnd in ordered:
        label = day_label(catalog, locale, rnd.local_date)
        if rnd.met_share is None:
            points.append(ChartPoint(label=label, value=None, text=catalog.text(
                locale, "chart.bar.coffee_unasked", label=label, groups=rnd.groups)))
            continue
        share = percent(rnd.met_share)
        points.append(ChartPoint(label=label, value=rnd.met_share, figure=f"{share}%", text=catalog.text(
            locale, "chart.bar.coffee", label=label, met=rnd.met, asked=rnd.asked, percent=share, groups=rnd.groups,
            unmatched=rnd.unmatched)))
    return _share_chart(catalog, locale, catalog.text(locale, "chart.coffee.title"),
                        catalog.text(locale, "chart.coffee.desc", count=len(ordered)), points,
                        "chart.legend.unasked")


def _share_chart(
    catalog: Catalog, locale: str, title: str, desc: str, points: list[ChartPoint], legend: str
) -> Chart:
    return Chart(kind="bar", title=title, desc=desc, axis=catalog.text(locale, "chart.axis.share"), low=0.0,
                 high=1.0, ticks=_SHARE_TICKS, points=tuple(points), legend=catalog.text(locale, legend),
                 empty=catalog.text(locale, "chart.empty"))


# --- Tables --------------------------------------------------------------------------------------------------


def table(chart: Chart, catalog: Catalog, locale: str) -> ChartTable:
    """The chart's points as rows (when, figure, details): what a screen reader or a reader of numbers needs.

    The figure's column is named after the chart's axis ("Average (1-5)", "Share"); a gap's figure says "not shown".
    """
    rows = tuple(
        (point.label, point.figure or catalog.text(locale, "chart.not_shown"), point.text) for point in chart.points
    )
    header = (catalog.text(locale, "chart.col.when"), chart.axis, catalog.text(locale, "chart.col.detail"))
    return ChartTable(caption=chart.title, header=header, rows=rows)


# --- Drawing -------------------------------------------------------------------------------------------------


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(chart: Chart, chart_id: str) -> str:
    """The chart as an SVG document fragment; `chart_id` keeps its <title>/<desc> ids unique on a page."""
    ident = "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id) or "chart"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{_attr(chart.title)}" aria-labelledby="{ident}-title {ident}-desc" class="chart chart-'
        f'{chart.kind}" font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    parts += _axes(chart)
    if not chart.points:
        parts.append(f'<text x="{WIDTH / 2:g}" y="{(TOP + PLOT_BOTTOM) / 2:g}" text-anchor="middle" '
                     f'fill="{MUTED}">{escape(chart.empty)}</text>')
    elif chart.kind == "line":
        parts += _line(chart)
    else:
        parts += _bars(chart)
    parts += _labels(chart)
    if chart.legend and any(point.value is None for point in chart.points):
        legend_y = HEIGHT - 10
        # From the left edge, not the plot's: the legend needs the whole width in Dutch on a phone.
        parts.append(f'<circle cx="10" cy="{legend_y - 4}" r="5" fill="#ffffff" stroke="{MUTED}" stroke-width="2"/>')
        parts.append(f'<text x="21" y="{legend_y}" fill="{INK}">{escape(chart.legend)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _step(chart: Chart) -> float:
    return (WIDTH - LEFT - RIGHT) / max(1, len(chart.points))


def _x(chart: Chart, index: int) -> float:
    return LEFT + (index + 0.5) * _step(chart)


def _y(chart: Chart, value: float) -> float:
    share = (min(chart.high, max(chart.low, value)) - chart.low) / (chart.high - chart.low)
    return PLOT_BOTTOM - share * (PLOT_BOTTOM - TOP)


def _axes(chart: Chart) -> list[str]:
    parts = ['<g class="axis" aria-hidden="true">']
    for value, text in chart.ticks:
        y = _num(_y(chart, value))
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end" fill="{MUTED}">{escape(text)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{PLOT_BOTTOM}" x2="{WIDTH - RIGHT}" y2="{PLOT_BOTTOM}" stroke="{MUTED}" '
                 f'stroke-width="1"/>')
    parts.append("</g>")
    return parts


def _gap(chart: Chart, index: int, point: ChartPoint) -> list[str]:
    x = _num(_x(chart, index))
    return [
        f'<g class="gap"><title>{escape(point.text)}</title>',
        f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{PLOT_BOTTOM}" stroke="{GRID}" stroke-width="2" '
        f'stroke-dasharray="4 4"/>',
        f'<circle cx="{x}" cy="{PLOT_BOTTOM}" r="6" fill="#ffffff" stroke="{MUTED}" stroke-width="2"/>',
        "</g>",
    ]


def _line(chart: Chart) -> list[str]:
    parts: list[str] = []
    # The line breaks at every gap: joining its neighbours would draw a value nobody measured.
    run: list[str] = []
    for index, point in enumerate([*chart.points, None]):
        if point is not None and point.value is not None:
            run.append(f"{_num(_x(chart, index))},{_num(_y(chart, point.value))}")
            continue
        if len(run) > 1:
            parts.append(f'<polyline class="series" points="{" ".join(run)}" fill="none" stroke="{DATA}" '
                         f'stroke-width="3" stroke-linejoin="round"/>')
        run = []
    for index, point in enumerate(chart.points):
        if point.value is None:
            parts += _gap(chart, index, point)
            continue
        parts.append(f'<g class="point" data-value="{_attr(point.figure)}"><title>{escape(point.text)}</title>'
                     f'<circle cx="{_num(_x(chart, index))}" cy="{_num(_y(chart, point.value))}" r="5" '
                     f'fill="{DATA}"/></g>')
    return parts


def _bars(chart: Chart) -> list[str]:
    parts: list[str] = []
    width = min(40.0, _step(chart) * 0.6)
    for index, point in enumerate(chart.points):
        if point.value is None:
            parts += _gap(chart, index, point)
            continue
        top = _y(chart, point.value)
        x = _x(chart, index)
        # A bar of 0% still gets a sliver, so "nobody" reads differently from "not measured".
        height = max(1.5, PLOT_BOTTOM - top)
        parts.append(f'<g class="bar" data-value="{_attr(point.figure)}"><title>{escape(point.text)}</title>'
                     f'<rect x="{_num(x - width / 2)}" y="{_num(PLOT_BOTTOM - height)}" width="{_num(width)}" '
                     f'height="{_num(height)}" fill="{DATA}"/>')
        if _step(chart) >= FONT * 2.6:  # the figure above the bar, where it fits
            parts.append(f'<text x="{_num(x)}" y="{_num(PLOT_BOTTOM - height - 4)}" text-anchor="middle" '
                         f'fill="{INK}">{escape(point.figure)}</text>')
        parts.append("</g>")
    return parts


def _labels(chart: Chart) -> list[str]:
    if not chart.points:
        return []
    widest = max(len(point.label) for point in chart.points) * FONT * 0.6 + 6
    # Every n-th label, so none overlap on a narrow chart; the table has them all.
    every = max(1, math.ceil(widest / _step(chart)))
    parts = ['<g class="labels" aria-hidden="true">']
    last_right = 0.0
    for index, point in enumerate(chart.points):
        if index % every:
            continue
        x, anchor = _x(chart, index), "middle"
        half = len(point.label) * FONT * 0.3
        left, right = x - half, x + half
        if right > WIDTH - 2:  # it would run off the right edge: end it there, unless that crowds the one before
            x, anchor, left, right = WIDTH - 2, "end", WIDTH - 2 - 2 * half, WIDTH - 2
            if left < last_right + 6:
                continue
        last_right = right
        parts.append(f'<text x="{_num(x)}" y="{PLOT_BOTTOM + 20}" text-anchor="{anchor}" '
                     f'fill="{INK}">{escape(point.label)}</text>')
    parts.append("</g>")
    return parts
