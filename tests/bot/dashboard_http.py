"""The dashboard over real HTTP: what its HTTP tests share. The assembled server with the demo's team on a fake
Monday, the local chat to ask for sign-in links in, and a dashboard client that keeps its cookie itself; and history
made in that chat (stand-ups, a pulse round) for the report pages.

`site` is registered in tests/bot/conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from http.cookies import Morsel, SimpleCookie
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from bot.dashboard.site import COOKIE, SIGN_IN_CHECK
from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import LOCAL_TEAM_CHANNEL, Ritme, assemble, serving
from tests.bot.local_chat import PulseChat, pulse_forms, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PUBLIC = "https://ritme.example.com"
LINK = re.compile(re.escape(PUBLIC) + r"(/dashboard/signin/[A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CHECK = re.compile(r'name="check" value="([^"]+)"')
# Three stand-ups, Monday to Wednesday; each member's answers to "how are you", "today", "blockers".
STANDUPS = {
    0: {"anna": ["Goed", "Release afronden", "nee"], "ben": ["Fine", "Staging deploy", "Waiting for the API key"]},
    1: {"anna": ["Goed", "Billing", "nee"], "ben": ["Fine", "Docs", "nope"]},
    2: {"anna": ["Moe", "Staging fix", "VPN is down"], "ben": ["Fine", "Review", "none"]},
}


class Site:
    """A browser of the dashboard that keeps its cookie itself, so each test sees exactly what was set."""

    def __init__(self, ritme: Ritme, clock: FakeClock, chat: PulseChat, session: aiohttp.ClientSession) -> None:
        self.ritme, self.clock, self.chat, self.session = ritme, clock, chat, session

    async def link(self, user: str) -> str:
        """The path of the sign-in link `/ritme dashboard` sends the member, asked in the team channel."""
        await self.chat.say(user, "/ritme dashboard")
        history = await self.chat.history(user)
        for message in reversed(history):
            found = LINK.search(text_of(message))
            if found:
                return found.group(1)
        raise AssertionError(history)

    async def get(self, path: str, cookie: str = "", **headers: str) -> tuple[int, CIMultiDictProxy[str], str]:
        """GET a page, signed in with `cookie` if given; its status, headers and body, redirects not followed."""
        if cookie:
            headers["Cookie"] = f"{COOKIE}={cookie}"
        async with self.session.get(f"{self.chat.base}{path}", headers=headers, allow_redirects=False) as response:
            return response.status, response.headers, await response.text()

    async def post(self, path: str, data: dict[str, str], cookie: str = "") -> tuple[int, Any, str]:
        """POST a form, signed in with `cookie` if given; its status, headers and body, redirects not followed."""
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with self.session.post(f"{self.chat.base}{path}", data=data, headers=headers,
                                     allow_redirects=False) as response:
            return response.status, response.headers, await response.text()

    async def press_sign_in(self, path: str) -> tuple[int, CIMultiDictProxy[str], str]:
        """Open a link's page and press its button, as a browser does; the button's response."""
        return await press_sign_in(self.session, f"{self.chat.base}{path}")

    async def sign_in(self, user: str) -> str:
        """Follow a fresh link and press its button; the session cookie's value."""
        status, headers, _ = await self.press_sign_in(await self.link(user))
        assert status == 303 and headers["Location"] == "/dashboard"
        return session_cookie(headers).value

    async def csrf(self, path: str, cookie: str) -> str:
        """The CSRF token in the form of the page at `path`."""
        status, _, body = await self.get(path, cookie)
        assert status == 200, body
        found = CSRF.search(body)
        assert found is not None
        return found.group(1)

    async def team_id(self) -> int:
        """The id of the local chat's team."""
        team = await self.ritme.store.upsert_team("local", self.ritme.local.workspace_id, LOCAL_TEAM_CHANNEL,
                                                  LOCAL_TEAM_CHANNEL)
        return team.id

    async def standup_list(self, user: str) -> str:
        """What `/ritme standup list` answers the member in chat."""
        await self.chat.say(user, "/ritme standup list")
        return text_of((await self.chat.history(user))[-1])


async def press_sign_in(session: aiohttp.ClientSession, url: str) -> tuple[int, CIMultiDictProxy[str], str]:
    """Open the sign-in link `url` and press its button, as a browser does (its check cookie included); the
    button's response: status, headers and body."""
    async with session.get(url, allow_redirects=False) as page:
        body = await page.text()
        assert page.status == 200 and 'data-testid="sign-in"' in body, body
        kept = SimpleCookie(page.headers["Set-Cookie"])[SIGN_IN_CHECK]
    assert kept["httponly"] and kept["samesite"] == "Strict" and kept["path"] == "/dashboard/signin"
    check = CHECK.search(body)
    assert check is not None
    async with session.post(url, data={"check": check.group(1)}, headers={"Cookie": f"{SIGN_IN_CHECK}={kept.value}"},
                            allow_redirects=False) as response:
        return response.status, response.headers, await response.text()


def session_cookie(headers: CIMultiDictProxy[str]) -> Morsel[str]:
    """The session cookie among a response's cookies."""
    for set_cookie in headers.getall("Set-Cookie", []):
        found = SimpleCookie(set_cookie)
        if COOKIE in found:
            return found[COOKIE]
    raise AssertionError(f"no {COOKIE} cookie in {headers}")


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    """The demo on the assembled server, a chat client, and a dashboard client that keeps no cookies itself."""
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0,  # type: ignore[call-arg]
                        public_url=PUBLIC)
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        async with aiohttp.ClientSession() as chat_session, aiohttp.ClientSession(
            cookie_jar=aiohttp.DummyCookieJar()
        ) as session:
            yield Site(ritme, clock, PulseChat(chat_session, url), session)


async def run_standups(site: Site, first: datetime = MONDAY_0900_AMSTERDAM) -> None:
    """The demo's stand-up run in chat on three days from `first`: answers, then the digest."""
    for offset, answers in STANDUPS.items():
        site.clock.set(first + timedelta(days=offset, minutes=45))
        await site.chat.say("anna", "/ritme standup run 1")
        for user, values in answers.items():
            # The stand-up's form: a pulse's has scales (choices) instead.
            forms = [m["form"] for m in await site.chat.history(user)
                     if m.get("form") and not any(field.get("choices") for field in m["form"]["fields"])]
            await site.chat.answer(user, forms[-1]["delivery_id"], values)
        await site.chat.say("anna", "/ritme standup digest 1")


async def run_pulse_round(site: Site, answering: int) -> None:
    """A pulse with k 5 for the demo team and Dana (five people) runs one round in chat; `answering` of them answer
    (scores 1, 2, 3 ...), and the round closes."""
    people = ["anna", "ben", "lucas", "priya", await site.chat.add("Dana Smit")]
    await site.chat.say("anna", "/ritme pulse create weekly mon 10:00 open 1d k 5")
    for hours in range(0, 24):
        site.clock.set(MONDAY_0900_AMSTERDAM + timedelta(hours=hours))
        await site.ritme.dispatcher.plan()
        await site.ritme.dispatcher.tick()
    for score, user in enumerate(people[:answering], start=1):
        [form] = await pulse_forms(site.chat, user)
        await site.chat.answer(user, form["delivery_id"], [str(score)] * (len(form["fields"]) - 1) + [""])
    site.clock.set(MONDAY_0900_AMSTERDAM + timedelta(days=1, hours=1))
    await site.ritme.dispatcher.tick()
