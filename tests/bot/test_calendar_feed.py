"""The team calendar feed on the assembled server over real HTTP: `/ritme focus calendar` in the local chat gives a
link, the link serves an iCalendar file a calendar app can read, and a manager's revoke makes the old link 404."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import aiohttp
import pytest
from icalendar import Calendar

from bot.demo import seed_demo
from bot.settings import Settings
from bot.wiring import LOCAL_TEAM_CHANNEL, Ritme, assemble, serving
from rituals.model import CoreHoursSettings, FocusSettings, RitualKind
from rituals.ports import NewRitual
from tests.bot.local_chat import PulseChat, text_of
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PUBLIC = "https://ritme.example.com"
LINK = re.compile(re.escape(PUBLIC) + r"(/calendar/[A-Za-z0-9_-]+\.ics)")


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Ritme, PulseChat]]:
    # Behind a proxy, links show the public address (with its trailing slash dropped), not where Ritme listens.
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0,  # type: ignore[call-arg]
                        public_url=PUBLIC + "/")
    async with assemble(settings, FakeClock(MONDAY_0900_AMSTERDAM)) as ritme, serving(ritme, with_timer=False) as url:
        await seed_demo(ritme)
        async with aiohttp.ClientSession() as session:
            yield ritme, PulseChat(session, url)


async def _windows(ritme: Ritme) -> None:
    """A lunch walk and core hours for the demo team, as `focus add` and `core` would store them."""
    store = ritme.store
    team = await store.upsert_team("local", ritme.local.workspace_id, LOCAL_TEAM_CHANNEL, LOCAL_TEAM_CHANNEL)
    [manager] = await store.managers(team.id)
    for kind, at, settings in (
        (RitualKind.FOCUS, time(12, 0), FocusSettings(until=time(13, 0), label="lunchwandeling")),
        (RitualKind.CORE_HOURS, time(10, 0), CoreHoursSettings(ranges=((time(10, 0), time(12, 0)),))),
    ):
        await store.add_ritual(NewRitual(team_id=team.id, kind=kind, at=at, days=(0, 1, 2, 3, 4),
                                         timezone="Europe/Amsterdam", locale="nl", settings=settings,
                                         created_by=manager.id))


async def _link(chat: PulseChat, user: str, command: str) -> str:
    """The path of the feed link in the member's latest reply to `command`."""
    await chat.say(user, command)
    history = await chat.history(user)
    assert history[-1]["only_for"] == user  # a private reply in the channel: the others do not see the link
    found = LINK.search(text_of(history[-1]))
    assert found is not None, history[-1]
    return found.group(1)


async def _get(chat: PulseChat, path: str) -> tuple[int, str, str, str]:
    async with chat.session.get(f"{chat.base}{path}") as response:
        return (response.status, response.headers.get("Content-Type", ""), response.headers.get("Cache-Control", ""),
                await response.text())


async def test_the_feed_link_serves_the_calendar_until_a_manager_revokes_it(
    served: tuple[Ritme, PulseChat],
) -> None:
    ritme, chat = served
    await _windows(ritme)
    path = await _link(chat, "ben", "/ritme focus calendar")
    assert await _link(chat, "anna", "/ritme focus calendar") == path  # the same link for everyone

    status, content_type, cache, body = await _get(chat, path)
    assert status == 200
    assert content_type == "text/calendar; charset=utf-8"
    assert "max-age=300" in cache
    calendar = Calendar.from_ical(body)
    summaries = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    assert summaries == ["Geen vergaderingen: lunchwandeling", "Kernuren", "Stand-up (Ritme)"]
    assert {event["dtstart"].params["TZID"] for event in calendar.walk("VEVENT")} == {"Europe/Amsterdam"}
    assert {str(event["uid"]).split("@")[1] for event in calendar.walk("VEVENT")} == {"ritme.example.com"}

    await chat.say("ben", "/ritme focus calendar revoke")  # Ben is not a manager: nothing changes
    assert "Only a manager of #team" in text_of((await chat.history("ben"))[-1])
    assert (await _get(chat, path))[0] == 200
    new_path = await _link(chat, "anna", "/ritme focus calendar revoke")
    assert new_path != path
    old = await _get(chat, path)
    assert (old[0], old[3]) == (404, "")
    assert (await _get(chat, new_path))[0] == 200
    assert await _link(chat, "ben", "/ritme focus calendar") == new_path


async def test_a_random_token_is_a_bare_404(served: tuple[Ritme, PulseChat]) -> None:
    _, chat = served
    for path in (f"/calendar/{secrets.token_urlsafe(32)}.ics", f"/calendar/{'a' * 500}.ics"):
        status, _, _, body = await _get(chat, path)
        assert (status, body) == (404, ""), path
