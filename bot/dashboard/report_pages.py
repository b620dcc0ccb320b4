"""The manager's report pages of a team: stand-up history, participation, pulse trends, borrels and coffee.

Each page asks rituals/dashboard.py whether the viewer manages the team (403 for anyone else, as the overview does),
then renders only what rituals/reports.py returns: the pulse's k rules are applied there, so a withheld figure
reaches this module as a gap with its reason and never as a number. Charts are bot/dashboard/charts.py's inline SVG
with the same points as a table beside them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup, escape

from bot.dashboard import site as site_module
from bot.dashboard.charts import (
    Chart,
    ChartTable,
    attendance_chart,
    coffee_chart,
    participation_chart,
    svg,
    table,
    trend_chart,
)
from rituals.catalog import Catalog
from rituals.dashboard import Dashboard, NotAllowed, NotFound, Viewer
from rituals.model import Team
from rituals.ports import Clock
from rituals.reports import DEFAULT_PAGE, FilterError, Reports, StandupFilter
from rituals.schedule import local_date

PARTICIPATION_WEEKS = 12
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A page number past this is no page anyone reaches by following links; it only makes the offset huge.
MAX_PAGE_NUMBER = 100_000


class Render(Protocol):
    """DashboardSite's page renderer: a template in the viewer's language."""

    def __call__(self, request: web.Request, template: str, *, status: int = 200, locale: str | None = None,
                 **context: Any) -> web.Response:
        """The rendered page."""
        ...


Notice = Callable[[web.Request, str, list[str], int], web.Response]
TeamPage = Callable[[web.Request, Viewer, Team], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, kw_only=True)
class ShownChart:
    """A chart as a page shows it: the inline SVG and its table."""

    ident: str
    svg: Markup
    table: ChartTable


def shown(chart: Chart, ident: str, catalog: Catalog, locale: str) -> ShownChart:
    """A chart drawn and tabled for a page; `ident` keeps its ids unique there."""
    # svg() escapes every text it draws, so its output is safe to put in the page as it is.
    return ShownChart(ident=ident, svg=Markup(svg(chart, ident)), table=table(chart, catalog, locale))


def marked(text: str, search: str) -> Markup:
    """An answer escaped, with each place the search words occur in it wrapped in <mark>."""
    wanted = search.strip()
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile(re.escape(wanted), re.IGNORECASE)
    if not pattern.search(text):
        # Matched by casefolding only ("STRASSE" for "straße"): the whole answer is the match.
        return Markup(f"<mark>{escape(text)}</mark>")
    parts: list[str] = []
    last = 0
    for hit in pattern.finditer(text):
        parts.append(str(escape(text[last:hit.start()])))
        parts.append(f"<mark>{escape(hit.group(0))}</mark>")
        last = hit.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))


def read_filter(query: Mapping[str, str]) -> tuple[StandupFilter, dict[str, str], list[FilterError]]:
    """The history's filter from a GET form (q, from, to, page), the values as typed, and what was refused.

    With anything refused the filter is the unfiltered first page, so the page shows everything and says why.
    """
    typed = {name: query.get(name, "").strip() for name in ("q", "from", "to", "page")}
    errors: list[FilterError] = []

    def day(name: str) -> date | None:
        value = typed[name]
        if not value:
            return None
        try:
            if _ISO_DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        errors.append(FilterError("web.report.standups.bad_date", value=value))
        return None

    since, until = day("from"), day("to")
    number = 1
    if typed["page"]:
        if typed["page"].isdigit() and 1 <= int(typed["page"]) <= MAX_PAGE_NUMBER:
            number = int(typed["page"])
        else:
            errors.append(FilterError("web.report.standups.bad_page", value=typed["page"]))
    try:
        wanted = StandupFilter(search=typed["q"], since=since, until=until, offset=(number - 1) * DEFAULT_PAGE)
    except FilterError as error:
        errors.append(error)
    if errors:
        return StandupFilter(), typed, errors
    return wanted, typed, []


class ReportPages:
    """The routes of a team's report pages, for its managers, rendered through the DashboardSite's helpers."""

    def __init__(self, *, dashboard: Dashboard, reports: Reports, catalog: Catalog, clock: Clock, render: Render,
                 notice: Notice) -> None:
        """`render` and `notice` are the DashboardSite's, so these pages share its frame, language and errors."""
        self._dashboard = dashboard
        self._reports = reports
        self._catalog = catalog
        self._clock = clock
        self._render = render
        self._notice = notice

    def add_routes(self, app: web.Application) -> None:
        """Register the pages on the dashboard's sub-application."""
        for path, page in (("standups", self._standups), ("participation", self._participation),
                           ("pulse", self._pulse), ("social", self._social)):
            app.router.add_get(f"/teams/{{team_id}}/{path}", self._for_managers(page))

    def _for_managers(self, page: TeamPage) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """The page, shown only to the team's managers and admins: anyone else gets the 403 (or 404) page."""

        async def handler(request: web.Request) -> web.StreamResponse:
            found = await self._team(request)
            if isinstance(found, web.Response):
                return found
            return await page(request, *found)

        return handler

    async def _team(self, request: web.Request) -> tuple[Viewer, Team] | web.Response:
        """The viewer and the team they manage, or the 403/404 page to answer instead."""
        viewer = request[site_module.VIEWER]
        assert isinstance(viewer, Viewer)  # the site's middleware let only signed-in requests through
        text = request.match_info["team_id"]
        try:
            if not (text.isdigit() and len(text) < 19):
                raise NotFound(text)
            return viewer, await self._dashboard.managed_team(viewer, int(text))
        except NotAllowed:
            return self._notice(request, "web.forbidden_title", ["web.forbidden"], 403)
        except NotFound:
            return self._notice(request, "web.not_found_title", ["web.not_found"], 404)

    async def _standups(self, request: web.Request, viewer: Viewer, team: Team) -> web.StreamResponse:
        locale = viewer.member.locale
        query, typed, refused = read_filter(request.query)
        page = await self._reports.standup_history(team.id, query, locale)
        number = query.offset // query.limit + 1
        kept = {name: typed[name] for name in ("q", "from", "to") if typed[name]}

        def link(to: int) -> str:
            return f"/dashboard/teams/{team.id}/standups?" + urlencode({**kept, "page": str(to)})

        days = [
            {"day": day, "heading": self._catalog.text(locale, "web.report.standups.day",
                                                       date=self._catalog.date(locale, day.local_date),
                                                       ritual=day.ritual_name)}
            for day in page.days
        ]
        return self._render(
            request, "standups.html", page="standups", team=team, days=days, form=typed,
            errors=[error.text(self._catalog, locale) for error in refused], search=query.search,
            filtered=bool(query.search.strip() or query.since or query.until), marked=marked,
            newer=link(number - 1) if number > 1 else "", older=link(number + 1) if page.has_more else "",
            number=number, status=400 if refused else 200,
        )

    async def _participation(self, request: web.Request, viewer: Viewer, team: Team) -> web.StreamResponse:
        locale = viewer.member.locale
        until = local_date(self._clock.now(), viewer.member.timezone)
        since = until - timedelta(days=until.weekday(), weeks=PARTICIPATION_WEEKS - 1)
        result = await self._reports.participation(team.id, since, until)
        kinds = [kind for kind in ("standup", "pulse") if any(week.kind == kind for week in result.weeks)]
        charts = [shown(participation_chart(result.weeks, kind, self._catalog, locale), f"participation-{kind}",
                        self._catalog, locale) for kind in kinds]
        intro = self._catalog.text(locale, "web.report.participation.intro", weeks=PARTICIPATION_WEEKS,
                                   since=self._catalog.date(locale, since), until=self._catalog.date(locale, until))
        return self._render(request, "participation.html", page="participation", team=team, charts=charts,
                            intro=intro)

    async def _pulse(self, request: web.Request, viewer: Viewer, team: Team) -> web.StreamResponse:
        locale = viewer.member.locale
        pulses = [
            {"trends": trends,
             "charts": [shown(trend_chart(trend, trends.k, self._catalog, locale),
                              f"pulse-{trends.ritual_id}-{trend.question_id}", self._catalog, locale)
                        for trend in trends.questions]}
            for trends in await self._reports.pulse_trends(team.id)
        ]
        return self._render(request, "pulse.html", page="pulse", team=team, pulses=pulses)

    async def _social(self, request: web.Request, viewer: Viewer, team: Team) -> web.StreamResponse:
        locale = viewer.member.locale
        borrels = await self._reports.borrels(team.id)
        coffee = await self._reports.coffee(team.id)
        return self._render(
            request, "social.html", page="social", team=team,
            borrels=shown(attendance_chart(borrels, self._catalog, locale), "borrels", self._catalog, locale)
            if borrels else None,
            coffee=shown(coffee_chart(coffee, self._catalog, locale), "coffee", self._catalog, locale)
            if coffee else None,
        )
