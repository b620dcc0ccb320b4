"""The world the authorization matrix and the tenant-isolation tests run in: two workspaces with the same channel
and user ids, seeded once through the real engine over a real SQLite file, then copied for each case.

Workspace w1 (the one under test): channel `team` managed by Mia, with Mo as a plain member and every kind of
ritual; channel `other` managed by Otto; Ada, a workspace admin of w1 on no team. Workspace w2: the same channel id
`team` (the same name too), managed by Zed, and a member whose user id is `mia`, like w1's manager, who is a
workspace admin of w2. Each workspace's answers carry words that appear nowhere else, so a test can prove that
nothing of one ever shows in the other.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import MetaData, Table, select, text

from bot.calendar_feed import mount_calendar
from bot.dashboard.site import mount_dashboard
from rituals.borrel import Borrels
from rituals.boundaries import Boundaries
from rituals.calendar import CalendarFeedRituals
from rituals.catalog import Catalog
from rituals.coffee import CoffeeRituals
from rituals.dashboard import Dashboard, SignInLinks
from rituals.engine import Engine, EngineSettings
from rituals.events import Actor, AnswerSubmitted, ButtonClicked, CommandInvoked, MemberSeen
from rituals.focus import FocusRituals
from rituals.member_data import MemberData
from rituals.outbound import Form, MemberAddress, Message
from rituals.ports import MemberDefaults
from rituals.reports import Reports
from storage.audit import SqlAuditLog
from storage.borrel import SqlBorrelStore
from storage.calendar import SqlCalendarFeeds
from storage.coffee import SqlCoffeeStore
from storage.dashboard import SqlDashboardStore
from storage.database import create_engine, migrate
from storage.focus import SqlFocusStore
from storage.member_data import SqlMemberData
from storage.message_counts import SqlMessageCounts
from storage.models import Base
from storage.pulse import SqlPulseStore
from storage.reports import SqlReportStore
from storage.repository import SqlStore
from tests.rituals.harness import FakeClock

BASE_URL = "https://ritme.example"
# Monday 23 November 2026, 08:00 in Amsterdam: prompts at 09:00, the borrel's invite at 10:00, the digest at 11:00.
START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
PLATFORM = "local"
HOME, AWAY = "w1", "w2"
CHANNEL = "team"
# Words only one workspace ever says: in answers, ritual settings and names.
HOME_WORDS = ("Zonnebloem", "Kwartiermaker", "https://meet.example/w1-borrel")
AWAY_WORDS = ("Aubergine", "Lighthouse", "https://meet.example/w2-borrel")


@dataclass(frozen=True)
class Who:
    """Someone on one workspace, as an adapter names them."""

    workspace: str
    user_id: str
    name: str
    locale: str = "en"
    platform: str = PLATFORM

    @property
    def address(self) -> MemberAddress:
        """Where messages to this person go."""
        return MemberAddress(platform=self.platform, workspace_id=self.workspace, user_id=self.user_id)

    @property
    def actor(self) -> Actor:
        """The actor of this person's events."""
        return Actor(platform=self.platform, workspace_id=self.workspace, user_id=self.user_id, display_name=self.name,
                     timezone="Europe/Amsterdam", locale=self.locale)


MIA = Who(HOME, "mia", "Mia Kwartiermaker")
MO = Who(HOME, "mo", "Mo Zonnebloem", "nl")
OTTO = Who(HOME, "otto", "Otto")
ADA = Who(HOME, "ada", "Ada")
ZED = Who(AWAY, "zed", "Zed Lighthouse")
# The same user id as w1's manager, in the other workspace, where they are its admin.
STRANGER = Who(AWAY, "mia", "Mila Aubergine")

# Every table's rows, sorted, with the table itself.
Tables = dict[str, tuple[Table, list[tuple[Any, ...]]]]
# The columns of the matrix, in the doc's order.
ROLES: dict[str, Who] = {
    "member": MO,
    "manager": MIA,
    "other_manager": OTTO,
    "admin": ADA,
    "other_workspace": STRANGER,
}


def build_engine(store: SqlStore, clock: FakeClock) -> Engine:
    """The engine as bot/wiring.py builds it, every part over `store`'s database, sign-in links included."""
    catalog = Catalog()
    boundaries = Boundaries(default_country="NL")
    database = store.engine
    return Engine(
        store=store, clock=clock, catalog=catalog, settings=EngineSettings(grace=timedelta(hours=2)),
        pulses=SqlPulseStore(database),
        borrels=Borrels(store=SqlBorrelStore(database), rituals=store, catalog=catalog, clock=clock,
                        boundaries=boundaries),
        coffee=CoffeeRituals(store=store, coffee=SqlCoffeeStore(database), catalog=catalog, clock=clock,
                             boundaries=boundaries),
        calendar=CalendarFeedRituals(store=store, feeds=SqlCalendarFeeds(database), catalog=catalog, clock=clock,
                                     base_url=BASE_URL),
        focus=FocusRituals(store=store, focus=SqlFocusStore(database), catalog=catalog, clock=clock,
                           boundaries=boundaries),
        boundaries=boundaries, message_counts=SqlMessageCounts(database), audit=SqlAuditLog(database),
        dashboard=SignInLinks(sign_ins=SqlDashboardStore(database), catalog=catalog, clock=clock, base_url=BASE_URL),
    )


@dataclass
class World:
    """One copy of the seeded database with an engine on it; `ids` names the seeded rituals and prompts."""

    url: str
    store: SqlStore
    engine: Engine
    clock: FakeClock
    ids: dict[str, int]
    tokens: dict[str, str]
    counter: itertools.count = field(default_factory=itertools.count)
    dirty: bool = False  # True once something may have changed it

    def _event(self) -> str:
        return f"authz-{next(self.counter)}"

    async def say(self, who: Who, command: str, channel: str = CHANNEL) -> list[Message]:
        """`who` types `command` in `channel` of their own workspace."""
        return await self.engine.handle(CommandInvoked(
            event_id=self._event(), actor=who.actor, received_at=self.clock.now(), channel_id=channel,
            channel_name=channel, direct=False, text=command))

    async def answer(self, who: Who, delivery_id: int, values: Iterable[str]) -> list[Message]:
        """`who` submits a form for the prompt `delivery_id`."""
        return await self.engine.handle(AnswerSubmitted(
            event_id=self._event(), actor=who.actor, received_at=self.clock.now(), delivery_id=delivery_id,
            values=tuple(values)))

    async def click(self, who: Who, action: str, value: str) -> list[Message]:
        """`who` presses a button."""
        return await self.engine.handle(ButtonClicked(
            event_id=self._event(), actor=who.actor, received_at=self.clock.now(), action=action, value=value))

    async def join(self, who: Who, channel: str = CHANNEL) -> None:
        """`who` is seen in `channel`, as when they join it."""
        await self.engine.handle(MemberSeen(event_id=self._event(), actor=who.actor, received_at=self.clock.now(),
                                            channel_id=channel, channel_name=channel))

    async def due(self) -> list[Message]:
        """What the timer would send now."""
        await self.engine.plan(self.clock.now())
        out: list[Message] = []
        async for batch in self.engine.due(self.clock.now()):
            out.extend(batch)
        return out

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table but the inbound ledger."""
        return {name: rows for name, (_, rows) in (await self._tables()).items()}

    async def home_snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row that belongs to workspace w1: its workspace row and whatever reaches it by foreign keys."""
        return owned_rows_of(await self._tables(), HOME)

    async def snapshot_tables(self) -> Tables:
        """Every table but the inbound ledger with its rows, for `owned_rows_of`."""
        return await self._tables()

    async def _tables(self) -> Tables:
        async with self.store.engine.connect() as connection:
            found = {}
            # The models' tables, not reflected ones: reflecting costs half a second a case (a test below checks the
            # two agree, so a table added by a migration alone cannot hide from the snapshot).
            for name, table in sorted(Base.metadata.tables.items()):
                if name in ("inbound_events", "alembic_version"):
                    continue
                rows = (await connection.execute(select(table))).all()
                found[name] = (table, sorted((tuple(row) for row in rows), key=repr))
            return found

    async def reflected_tables(self) -> set[str]:
        """The tables the migrated database really has."""
        async with self.store.engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            return set(metadata.tables) - {"alembic_version"}

    async def close(self) -> None:
        """Let go of the database."""
        await self.store.engine.dispose()


def owned_rows_of(tables: Tables, workspace: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one workspace: found by following foreign keys from its row in `workspaces` until nothing new
    turns up, so a table added later is covered without this list knowing it."""
    owned: dict[str, set[Any]] = {name: set() for name in tables}
    workspaces_table, workspace_rows = tables["workspaces"]
    columns = [c.name for c in workspaces_table.columns]
    owned["workspaces"] = {row[columns.index("id")] for row in workspace_rows
                           if row[columns.index("external_id")] == workspace}
    changed = True
    while changed:
        changed = False
        for name, (table, rows) in tables.items():
            names = [c.name for c in table.columns]
            if "id" not in names:
                continue
            for foreign_key in table.foreign_keys:
                target = foreign_key.column.table.name
                if target not in owned or foreign_key.column.name != "id":
                    continue
                position = names.index(foreign_key.parent.name)
                for row in rows:
                    key = row[names.index("id")]
                    if row[position] in owned[target] and key not in owned[name]:
                        owned[name].add(key)
                        changed = True
    result = {}
    for name, (table, rows) in tables.items():
        names = [c.name for c in table.columns]
        if "workspace_id" in names and not any(fk.parent.name == "workspace_id" for fk in table.foreign_keys):
            # Tables keyed by the platform's own workspace id (posted messages, delivery failures) rather than ours.
            result[name] = [row for row in rows if row[names.index("workspace_id")] == workspace]
        elif "id" in names:
            result[name] = [row for row in rows if row[names.index("id")] in owned[name]]
        else:  # a link table without its own id: it is w1's when any key points at a w1 row
            result[name] = [row for row in rows if any(
                row[names.index(fk.parent.name)] in owned.get(fk.column.table.name, set())
                for fk in table.foreign_keys)]
    return result


async def _seed(url: str, tokens: dict[str, str]) -> dict[str, int]:
    """Both workspaces, through the engine as people would set them up; the ids the matrix names, and the
    calendar feeds' tokens in `tokens`."""
    await migrate(url)
    database = create_engine(url)
    store = SqlStore(database)
    clock = FakeClock(START)
    world = World(url=url, store=store, engine=build_engine(store, clock), clock=clock, ids={}, tokens=tokens)
    try:
        for boss, words, borrel_link in ((MIA, HOME_WORDS, HOME_WORDS[2]), (ZED, AWAY_WORDS, AWAY_WORDS[2])):
            await world.say(boss, f'/ritme standup create at 09:00 on mon-fri digest 11:00 questions "{words[0]}?"')
            await world.say(boss, "/ritme pulse create weekly fri 14:00")
            await world.say(boss, f'/ritme borrel create mon 16:30 45m {borrel_link} theme "{words[1]}"')
            await world.say(boss, "/ritme coffee create weekly thu 10:00")
            await world.say(boss, "/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri")
            await world.say(boss, f'/ritme focus add wed 13:00-17:00 "{words[0]} focus"')
            await world.say(boss, "/ritme core 10:00-12:00 14:00-16:00")
            # The first link is revoked at once: the matrix needs a dead link as well as the live one.
            first = texts(await world.say(boss, "/ritme focus calendar"))
            live = texts(await world.say(boss, "/ritme focus calendar revoke"))
            tokens[f"revoked:{boss.workspace}"] = _feed_token(first)
            tokens[f"token:{boss.workspace}"] = _feed_token(live)
        await world.join(MO)
        await world.join(STRANGER)
        await world.say(OTTO, "/ritme standup create at 09:30 on mon-fri", channel="other")
        await world.join(ADA, channel="lobby")
        async with database.begin() as connection:
            # Ritme has no command that makes an admin (see docs/security.md): the column is set by hand.
            await connection.execute(text(
                "UPDATE members SET is_admin = true WHERE (user_id = 'ada' AND workspace_id = "
                "(SELECT id FROM workspaces WHERE external_id = 'w1')) OR (user_id = 'mia' AND workspace_id = "
                "(SELECT id FROM workspaces WHERE external_id = 'w2'))"))
        # 09:00: the stand-ups' prompts go out; Mo and Zed's member answer with their workspace's words.
        clock.set(START + timedelta(hours=1, minutes=1))
        sent = await world.due()
        ids = await _ids(world)
        for message in sent:
            if isinstance(message, Form) and message.to.user_id in ("mo", "mia", "zed"):
                workspace = message.to.workspace_id
                ids[f"delivery:{workspace}:{message.to.user_id}"] = message.delivery_id
        await world.answer(MO, ids["delivery:w1:mo"], [f"{HOME_WORDS[0]} all day"])
        await world.answer(STRANGER, ids["delivery:w2:mia"], [f"{AWAY_WORDS[0]} all day"])
        # 10:00: the borrels' invites.
        clock.set(START + timedelta(hours=2, minutes=1))
        await world.due()
        return {**ids, **await _borrel_ids(world)}
    finally:
        await database.dispose()


async def _ids(world: World) -> dict[str, int]:
    ids: dict[str, int] = {}
    for workspace in (HOME, AWAY):
        team = await world.store.find_team(PLATFORM, workspace, CHANNEL)
        assert team is not None
        ids[f"team:{workspace}"] = team.id
        for ritual in await world.store.rituals(team.id):
            ids.setdefault(f"{ritual.kind.value}:{workspace}", ritual.id)
    other = await world.store.find_team(PLATFORM, HOME, "other")
    assert other is not None
    ids["team:other"] = other.id
    return ids


async def _borrel_ids(world: World) -> dict[str, int]:
    engine = create_engine(world.url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text(
                "SELECT o.id, w.external_id FROM borrel_occurrences o JOIN rituals r ON r.id = o.ritual_id "
                "JOIN teams t ON t.id = r.team_id JOIN workspaces w ON w.id = t.workspace_id"))
            return {f"borrel_occurrence:{workspace}": occurrence for occurrence, workspace in rows}
    finally:
        await engine.dispose()


def texts(messages: Iterable[Message]) -> list[str]:
    """The plain text of every message that has some."""
    return [m.text.as_plain() for m in messages if getattr(m, "text", None) is not None]  # type: ignore[attr-defined]


def _feed_token(said: list[str]) -> str:
    found = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", "\n".join(said))
    assert found is not None, said
    return found.group(1)


@asynccontextmanager
async def serving(world: World) -> AsyncIterator[str]:
    """The dashboard and the calendar feed over `world`'s database, wired as bot/wiring.py wires them, on a real
    HTTP server on a loopback port; its base URL."""
    catalog = Catalog()
    database = world.store.engine
    app = web.Application()
    mount_calendar(app, CalendarFeedRituals(store=world.store, feeds=SqlCalendarFeeds(database), catalog=catalog,
                                            clock=world.clock, base_url=BASE_URL))
    dashboard = Dashboard(store=world.store, sign_ins=SqlDashboardStore(database), planner=world.engine,
                          catalog=catalog, clock=world.clock, boundaries=Boundaries(default_country="NL"),
                          audit=SqlAuditLog(database),
                          member_data=MemberData(store=SqlMemberData(database), catalog=catalog, clock=world.clock))
    mount_dashboard(app, dashboard, catalog, public_url=BASE_URL, default_locale="en",
                    reports=Reports(store=SqlReportStore(database), catalog=catalog), clock=world.clock)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


async def sign_in_link(world: World, who: Who) -> str:
    """The path of a fresh sign-in link for `who`, as `/ritme dashboard` would send it."""
    member = await world.store.upsert_member(who.platform, who.workspace, who.user_id, who.name,
                                             MemberDefaults(timezone="Europe/Amsterdam", locale=who.locale))
    links = SignInLinks(sign_ins=SqlDashboardStore(world.store.engine), catalog=Catalog(), clock=world.clock,
                        base_url=BASE_URL)
    return (await links.issue(member)).removeprefix(BASE_URL)


async def seeded(url: str) -> World:
    """Both workspaces seeded straight into the database at `url` (SQLite or PostgreSQL), with an engine on it."""
    tokens: dict[str, str] = {}
    ids = await _seed(url, tokens)
    store = SqlStore(create_engine(url))
    clock = FakeClock(START + timedelta(hours=2, minutes=5))
    return World(url=url, store=store, engine=build_engine(store, clock), clock=clock, ids=ids, tokens=tokens)


class Template:
    """The seeded database file, made once; each case works on its own copy."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "seeded.db"
        self.tokens: dict[str, str] = {}
        self.ids = asyncio.run(_seed(f"sqlite+aiosqlite:///{self.path}", self.tokens))

    def copy(self, directory: Path) -> World:
        """A fresh world on a copy of the seeded database, its clock where the seeding left it."""
        directory.mkdir(exist_ok=True)
        target = directory / "world.db"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{self.path}{suffix}").exists():
                shutil.copyfile(f"{self.path}{suffix}", f"{target}{suffix}")
        url = f"sqlite+aiosqlite:///{target}"
        store = SqlStore(create_engine(url))
        clock = FakeClock(START + timedelta(hours=2, minutes=5))
        return World(url=url, store=store, engine=build_engine(store, clock), clock=clock, ids=dict(self.ids),
                     tokens=dict(self.tokens))
