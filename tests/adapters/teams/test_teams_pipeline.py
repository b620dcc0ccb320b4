"""Teams activities through the real inbound pipeline: the SQL ledger, the engine and the store (SQLite, and
PostgreSQL when configured). The Teams outbox is the outbound side's; here a recording one stands in for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest_asyncio
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from adapters.teams.app import TeamsApp, mount_teams
from adapters.teams.references import MemoryReferences
from bot.inbound import InboundPipeline
from bot.outbox import OutboxRouter
from rituals.catalog import Catalog
from rituals.engine import Engine, EngineSettings
from rituals.outbound import Message, Prompt
from rituals.ports import SystemClock
from storage.database import create_engine
from storage.inbound import SqlInboundLedger
from storage.repository import SqlStore
from tests.adapters.teams.activities import (
    ADA,
    APP_ID,
    BRAM,
    TEAM_ID,
    TENANT_ID,
    channel_mention,
    installed_in_team,
)
from tests.adapters.teams.harness import FakeConnector, Jwks, SigningKey, TeamsSender
from tests.adapters.teams.test_teams_app import TEAM_ROSTER

WAIT_SECONDS = 5.0


@dataclass
class RecordingOutbox:
    """Where the engine's Teams messages would go: kept in order."""

    platform: str = "teams"
    sent: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changed = asyncio.Condition()

    async def send(self, messages: Sequence[Message]) -> None:
        self.sent.extend(messages)
        async with self.changed:
            self.changed.notify_all()


@dataclass
class PipelineRig:
    store: SqlStore
    outbox: RecordingOutbox
    sender: TeamsSender

    async def until_members(self, count: int) -> list[str]:
        """Wait until the General channel's team has `count` members; their user ids."""
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                team = await self.store.find_team("teams", TENANT_ID, TEAM_ID)
                members = await self.store.team_members(team.id) if team else []
                if len(members) >= count:
                    return [member.user_id for member in members]
                await asyncio.sleep(0.02)

    async def until_sent(self, count: int) -> list[Message]:
        async with asyncio.timeout(WAIT_SECONDS), self.outbox.changed:
            await self.outbox.changed.wait_for(lambda: len(self.outbox.sent) >= count)
        return self.outbox.sent


@pytest_asyncio.fixture
async def pipeline(database_url: str, jwks: Jwks, signing_key: SigningKey) -> AsyncIterator[PipelineRig]:
    database = create_engine(database_url)
    clock = SystemClock()
    store = SqlStore(database, clock=clock)
    engine = Engine(store=store, clock=clock, catalog=Catalog(), settings=EngineSettings())
    outbox = RecordingOutbox()
    inbound = InboundPipeline(ledger=SqlInboundLedger(database), engine=engine, router=OutboxRouter({"teams": outbox}),
                              clock=clock)
    teams = TeamsApp(app_id=APP_ID, inbound=inbound, references=MemoryReferences(),
                     connector=FakeConnector(rosters={TEAM_ID: TEAM_ROSTER}), clock=clock)
    inbound.resume_with("teams", teams.resume)
    app = web.Application()
    mount_teams(app, teams)
    try:
        async with TestServer(app, host="127.0.0.1") as server, ClientSession() as session:
            sender = TeamsSender(session, str(server.make_url(teams.path)), signing_key.token())
            yield PipelineRig(store, outbox, sender)
    finally:
        await database.dispose()


async def test_an_installed_team_is_known_to_the_engine_and_a_command_there_has_one_effect(
    pipeline: PipelineRig,
) -> None:
    assert (await pipeline.sender.post(installed_in_team())).status == 202
    members = await pipeline.until_members(3)
    assert {ADA, BRAM} <= set(members)
    team = await pipeline.store.find_team("teams", TENANT_ID, TEAM_ID)
    assert team is not None and team.name == "Platform team"
    bram = (await pipeline.store.find_members("teams", TENANT_ID, "Bram de Vries"))[0]
    assert bram.locale == "en"  # from the roster's en-GB

    command = channel_mention("standup create at 09:30 on mon-fri", channel_id=TEAM_ID, channel_name=None)
    assert (await pipeline.sender.post(command)).status == 202
    replies = await pipeline.until_sent(2)  # "you are the manager now", "stand-up 1 is ready"
    assert all(isinstance(reply, Prompt) and reply.to.user_id == ADA for reply in replies)
    assert "Stand-up 1 staat klaar voor #Platform team" in replies[-1].text.as_plain()  # Ada's client is nl-NL
    # Teams delivers the same activity again: no second stand-up, no second reply.
    assert (await pipeline.sender.post(command)).status == 202
    await asyncio.sleep(0.2)
    assert len(pipeline.outbox.sent) == 2
    assert len(await pipeline.store.rituals(team.id)) == 1
