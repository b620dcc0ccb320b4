"""A harness that drives the real engine over the real store with a clock moved by hand."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import MetaData, select, text

from adapters.failures import MemoryFailureLog
from rituals.borrel import Borrels
from rituals.boundaries import Boundaries
from rituals.calendar import CalendarFeedRituals
from rituals.catalog import Catalog
from rituals.coffee import CoffeeRituals
from rituals.engine import Engine, EngineSettings
from rituals.events import Actor, AnswerSubmitted, ButtonClicked, CommandInvoked, HomeOpened, MemberSeen
from rituals.focus import FocusRituals
from rituals.limits import CommandLimits
from rituals.outbound import ChannelPost, Form, HomeView, Message, Prompt, ThreadReply, Update
from storage.audit import SqlAuditLog
from storage.borrel import SqlBorrelStore
from storage.calendar import SqlCalendarFeeds
from storage.coffee import SqlCoffeeStore
from storage.database import create_engine
from storage.focus import SqlFocusStore
from storage.message_counts import SqlMessageCounts
from storage.pulse import SqlPulseStore
from storage.repository import SqlStore


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@dataclass
class Person:
    user_id: str
    name: str
    timezone: str = "Europe/Amsterdam"
    locale: str = "en"

    @property
    def actor(self) -> Actor:
        return Actor(platform="local", workspace_id="w1", user_id=self.user_id, display_name=self.name,
                     timezone=self.timezone, locale=self.locale)


@dataclass
class Harness:
    """Sends events the way an adapter would and collects what the engine says."""

    engine: Engine
    clock: FakeClock
    store: SqlStore
    database_url: str
    failures: MemoryFailureLog = field(default_factory=MemoryFailureLog)  # the one the engine reads
    ids: itertools.count = field(default_factory=itertools.count)

    def _event_id(self) -> str:
        return f"e{next(self.ids)}"

    async def command(self, who: Person, text: str, *, channel: str = "team", direct: bool = False) -> list[Message]:
        return await self.engine.handle(
            CommandInvoked(event_id=self._event_id(), actor=who.actor, received_at=self.clock.now(),
                           channel_id=channel, channel_name=channel, direct=direct, text=text)
        )

    async def reply_text(self, who: Person, text: str, **kwargs: Any) -> str:
        """The text of the private replies to a command, joined."""
        messages = await self.command(who, text, **kwargs)
        return "\n".join(m.text.as_plain() for m in messages if isinstance(m, Prompt))

    async def join(self, who: Person, channel: str = "team") -> None:
        await self.engine.handle(MemberSeen(event_id=self._event_id(), actor=who.actor, received_at=self.clock.now(),
                                            channel_id=channel, channel_name=channel))

    async def answer(self, who: Person, delivery_id: int, values: Sequence[str]) -> list[Message]:
        return await self.engine.handle(
            AnswerSubmitted(event_id=self._event_id(), actor=who.actor, received_at=self.clock.now(),
                            delivery_id=delivery_id, values=tuple(values))
        )

    async def click(self, who: Person, action: str, value: str) -> list[Message]:
        return await self.engine.handle(
            ButtonClicked(event_id=self._event_id(), actor=who.actor, received_at=self.clock.now(),
                          action=action, value=value)
        )

    async def home(self, who: Person) -> HomeView:
        """Open the member's overview, as Slack's App Home tab would; the engine answers with one view."""
        [view] = await self.engine.handle(
            HomeOpened(event_id=self._event_id(), actor=who.actor, received_at=self.clock.now())
        )
        assert isinstance(view, HomeView)
        return view

    async def due(self) -> list[Message]:
        """Plan and send what is due now, as the timer would."""
        await self.engine.plan(self.clock.now())
        out: list[Message] = []
        async for batch in self.engine.due(self.clock.now()):
            out.extend(batch)
        return out

    async def statuses(self) -> dict[str, int]:
        """How many deliveries are in each status."""
        engine = create_engine(self.database_url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(text("SELECT status, count(*) FROM deliveries GROUP BY status"))
                return {status: count for status, count in rows}
        finally:
            await engine.dispose()

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table but the inbound ledger, to prove a refused command changed nothing."""
        engine = create_engine(self.database_url)
        try:
            async with engine.connect() as connection:
                metadata = MetaData()
                await connection.run_sync(metadata.reflect)
                tables = {}
                for name, table in sorted(metadata.tables.items()):
                    if name in ("inbound_events", "alembic_version"):
                        continue
                    rows = (await connection.execute(select(table))).all()
                    tables[name] = sorted((tuple(row) for row in rows), key=repr)
                return tables
        finally:
            await engine.dispose()


def forms(messages: Sequence[Message]) -> list[Form]:
    return [m for m in messages if isinstance(m, Form)]


def posts(messages: Sequence[Message]) -> list[ChannelPost]:
    return [m for m in messages if isinstance(m, ChannelPost)]


def threads(messages: Sequence[Message]) -> list[ThreadReply]:
    return [m for m in messages if isinstance(m, ThreadReply)]


def updates(messages: Sequence[Message]) -> list[Update]:
    return [m for m in messages if isinstance(m, Update)]


def prompts(messages: Sequence[Message]) -> list[Prompt]:
    return [m for m in messages if isinstance(m, Prompt)]


def to(messages: Sequence[Message], who: Person) -> list[Message]:
    return [m for m in messages if getattr(m.to, "user_id", None) == who.user_id]


# Monday 23 November 2026, 08:00 in Amsterdam (UTC+1).
MONDAY_0800 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def make_engine(
    store: SqlStore, clock: FakeClock, grace: timedelta = timedelta(hours=2), failures: MemoryFailureLog | None = None,
    limits: CommandLimits | None = None,
) -> Engine:
    catalog = Catalog()
    boundaries = Boundaries(default_country="NL")
    borrels = Borrels(store=SqlBorrelStore(store.engine), rituals=store, catalog=catalog, clock=clock,
                      boundaries=boundaries, failures=failures)
    coffee = CoffeeRituals(store=store, coffee=SqlCoffeeStore(store.engine), catalog=catalog, clock=clock,
                           boundaries=boundaries)
    calendar = CalendarFeedRituals(store=store, feeds=SqlCalendarFeeds(store.engine), catalog=catalog, clock=clock,
                                   base_url="https://ritme.example")
    focus = FocusRituals(store=store, focus=SqlFocusStore(store.engine), catalog=catalog, clock=clock,
                         boundaries=boundaries)
    return Engine(store=store, clock=clock, catalog=catalog, settings=EngineSettings(grace=grace), failures=failures,
                  pulses=SqlPulseStore(store.engine), borrels=borrels, coffee=coffee,
                  boundaries=boundaries, calendar=calendar, focus=focus,
                  message_counts=SqlMessageCounts(store.engine), audit=SqlAuditLog(store.engine), limits=limits)


ANNA = Person("anna", "Anna", "Europe/Amsterdam", "nl")
BEN = Person("ben", "Ben", "Europe/Amsterdam", "en")
CHITRA = Person("chitra", "Chitra", "Asia/Kolkata", "en")
