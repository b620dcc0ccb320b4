"""The authorization matrix's web rows over real HTTP: every dashboard page and POST, and the calendar feed, for
every role, each signed in through a real sign-in link; a refused page changes nothing, and no page shows someone
of another workspace anything of this one."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp
import pytest

from bot.dashboard.site import COOKIE
from rituals.catalog import Catalog
from tests.bot.dashboard_http import press_sign_in, session_cookie
from tests.security.authz_table import ALLOWED, NO_ACCESS, NOT_FOUND, OWN_WORKSPACE, ROLE_COLUMNS, WEB, Row
from tests.security.authz_world import HOME_WORDS, MIA, ROLES, Template, Who, World, serving, sign_in_link

CATALOG = Catalog()
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# What each form POST sends when the cell is allowed: values a manager or member would type.
FORMS = {
    "/dashboard/me": {"timezone": "Europe/Lisbon", "hours": "08:00-16:00", "days": "mon-thu", "language": "en",
                      "country": "", "away_until": ""},
    "/dashboard/me/erase": {"confirm": "yes"},
    "/dashboard/teams/{team}/rituals/{standup}": {"at": "09:15", "days": "mon-fri", "digest": "11:15",
                                                  "remind": "30m"},
    "/dashboard/teams/{team}/pulses/{pulse}": {"day": "thu", "at": "15:00"},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Both workspaces seeded once for every web row."""
    return Template(tmp_path_factory.mktemp("authz-web"))


class Browser:
    """One person's browser on the served world, signed in through a link of their own."""

    def __init__(self, session: aiohttp.ClientSession, base: str, cookie: str) -> None:
        self.session, self.base, self.cookie = session, base, cookie

    async def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        async with self.session.request(method, f"{self.base}{path}", data=data, allow_redirects=False,
                                        headers={"Cookie": f"{COOKIE}={self.cookie}"}) as response:
            return response.status, await response.text()

    async def csrf(self) -> str:
        status, body = await self.request("GET", "/dashboard/me")
        found = CSRF.search(body)
        assert status == 200 and found is not None, body
        return found.group(1)


def shown(body: str) -> str:
    """A page's text as a reader sees it: tags gone, entities read (the catalog's `code` becomes <code>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def forbidden(locale: str) -> str:
    """The 403 page's explanation as shown."""
    return CATALOG.text(locale, "web.forbidden").replace("`", "")


async def sign_in(session: aiohttp.ClientSession, base: str, world: World, who: Who) -> Browser:
    status, headers, body = await press_sign_in(session, base + await sign_in_link(world, who))
    assert status == 303, body
    return Browser(session, base, session_cookie(headers).value)


def path_of(row: Row, world: World) -> tuple[str, str, str]:
    """The row's method, path with w1's ids filled in, and the template of that path."""
    method, template = row.label.split(" ", 1)
    ids = world.ids
    path = template.format(team=ids["team:w1"], standup=ids["standup:w1"], pulse=ids["pulse:w1"],
                           token=world.tokens["token:w1"], revoked=world.tokens["revoked:w1"])
    return method, path, template


async def check_cell(world: World, browser: Browser, row: Row, who: Who, outcome: str) -> None:
    """One cell: the row's request by `who` answers as documented; a refusal changes no row."""
    method, path, template = path_of(row, world)
    data = None
    if method == "POST":
        data = {**FORMS.get(template, {}), "csrf": await browser.csrf()}
    before = await world.snapshot() if outcome in (NO_ACCESS, NOT_FOUND) else {}
    status, body = await browser.request(method, path, data)
    if outcome == NO_ACCESS:
        assert status == 403, body
        assert forbidden(who.locale) in shown(body)
        # The page names the viewer (their own name, in the header) and nobody and nothing else of the team.
        assert not [word for word in (*HOME_WORDS, MIA.name) if word in body and word not in who.name], body
    elif outcome == NOT_FOUND:
        assert status == 404, body
    else:
        # A saved form goes back to its page (303); erasing and signing out end on a page of their own.
        saved = method == "POST" and template not in ("/dashboard/me/erase", "/dashboard/signout")
        assert status == (303 if saved else 200), body
        assert forbidden(who.locale) not in shown(body)
        if template.startswith("/calendar/"):
            assert "BEGIN:VCALENDAR" in body and HOME_WORDS[0] in body
        if outcome == OWN_WORKSPACE:
            assert not [word for word in (*HOME_WORDS, MIA.name) if word in body], body
        return
    assert await world.snapshot() == before


@pytest.mark.parametrize("row", [pytest.param(row, id=row.label) for row in WEB])
async def test_web_row(template: Template, tmp_path: Path, row: Row) -> None:
    # As in the chat rows: refusals first on one copy (each proven to change nothing), allowed cells on their own.
    cells = sorted(zip(ROLE_COLUMNS, row.cells, strict=True), key=lambda cell: cell[1] in (ALLOWED, OWN_WORKSPACE))
    dirty = False
    world = template.copy(tmp_path / "shared")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        try:
            for role, outcome in cells:
                if dirty:
                    await world.close()
                    world = template.copy(tmp_path / role)
                async with serving(world) as base:
                    who = ROLES[role]
                    browser = await sign_in(session, base, world, who)
                    try:
                        await check_cell(world, browser, row, who, outcome)
                    except AssertionError as failed:
                        raise AssertionError(f"{row.label!r} as {role} should be {outcome!r}: {failed}") from failed
                dirty = dirty or outcome in (ALLOWED, OWN_WORKSPACE)
        finally:
            await world.close()
