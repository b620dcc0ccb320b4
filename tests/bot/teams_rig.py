"""The assembled server with Teams on, against a fake Bot Connector: what the whole-flow Teams tests share.

Anonymous mode, because tokens have tests of their own (tests/adapters/teams/test_teams_auth.py); every activity
names the fake as its serviceUrl.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from tests.adapters.teams.activities import TEAM_ID, installed_in_team, personal
from tests.adapters.teams.fake_connector import Call, FakeConnector
from tests.adapters.teams.harness import TeamsSender
from tests.rituals.harness import FakeClock

TENANT = installed_in_team()["channelData"]["tenant"]["id"]
# Members beyond the activities' Ada and Bram, as Teams ids them.
CHRIS = "29:1Xq7Lm2Np4Rs6Tu8Vw0Yz3Ab5Cd7Ef9Gh1Ij3Kl5Mn7Op9Qr1St3Uv5Wx7Yz9Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9"
DANA = "29:1Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5Yz7Ab9Cd1Ef3Gh5Ij7Kl9Mn1Op3Qr5St7Uv9Wx1Yz3Ab5Cd7Ef9"
EVA = "29:1Zy9Xw7Vu5Ts3Rq1Po9Nm7Lk5Ji3Hg1Fe9Dc7Ba5Zy3Xw1Vu9Ts7Rq5Po3Nm1Lk9Ji7Hg5Fe3Dc1Ba9Zy7Xw5Vu3"


def chat_of(user_id: str) -> str:
    """The personal chat the fake opens for a member (it names it after them)."""
    return f"a:1{user_id.removeprefix('29:')}"


@dataclass
class TeamsRig:
    ritme: Ritme
    fake: FakeConnector
    clock: FakeClock
    teams: TeamsSender

    async def post(self, activity: dict[str, Any]) -> None:
        """Deliver an activity as Teams would, from the fake's service URL."""
        activity["serviceUrl"] = self.fake.url
        response = await self.teams.post(activity)
        assert response.status in (200, 202), await response.text()

    async def until(self, found: Callable[[], list[Call]], count: int = 1) -> list[Call]:
        """Wait (a few seconds at most) for work done after Teams got its answer to reach the connector."""
        for _ in range(250):
            calls = found()
            if len(calls) >= count:
                return calls
            await asyncio.sleep(0.02)
        seen = [(call.operation, call.conversation_id) for call in self.fake.calls]
        raise AssertionError(f"expected {count} calls, saw {seen}")

    async def until_members(self, count: int) -> None:
        """Wait until the installed team's roster has made `count` members of it."""
        for _ in range(250):
            team = await self.ritme.store.find_team("teams", TENANT, TEAM_ID)
            if team and len(await self.ritme.store.team_members(team.id)) >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the team's roster never arrived")

    def to(self, user_id: str) -> list[Call]:
        """Posts into the member's personal chat: the one Ritme opened, or the one the member last wrote from."""
        chats = {chat_of(user_id), personal(user_id)["id"]}
        return [call for call in self.fake.posted() if call.conversation_id in chats]

    def in_channel(self) -> list[Call]:
        """Ritme's own posts in the General channel (not its replies in a command's thread)."""
        return [call for call in self.fake.posted() if call.conversation_id == TEAM_ID]

    def updates(self, user_id: str, activity_id: str) -> list[Call]:
        """Updates of one activity in the member's personal chat."""
        return [
            call for call in self.fake.calls_to("update", ok=True)
            if call.conversation_id == chat_of(user_id) and call.activity_id == activity_id
        ]


def card_of(call: Call) -> dict[str, Any]:
    """The Adaptive Card a post carries (it carries exactly one)."""
    [attachment] = call.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = attachment["content"]
    return card


def texts_of(call: Call) -> str:
    """The words of a post: its text, or the texts of its card's body."""
    if not call.body.get("attachments"):
        return str(call.body.get("text", ""))
    return " ".join(str(element.get("text") or "") for element in card_of(call)["body"])


@asynccontextmanager
async def teams_rig(tmp_path: Path, roster: list[dict[str, Any]], start: datetime) -> AsyncIterator[TeamsRig]:
    """The server on SQLite with Teams in anonymous mode, the team's roster on the fake, the clock at `start`."""
    async with FakeConnector() as fake:
        fake.rosters[TEAM_ID] = roster
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/ritme.db", port=0,
            teams_allow_anonymous=True,
        )
        clock = FakeClock(start)
        async with assemble(settings, clock) as ritme, serving(ritme, with_timer=False) as url:
            async with aiohttp.ClientSession() as session:
                yield TeamsRig(ritme, fake, clock, TeamsSender(session, f"{url}/api/messages"))
