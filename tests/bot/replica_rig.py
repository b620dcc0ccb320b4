"""Several real `ritme run` processes on one throwaway PostgreSQL database, posting to one fake Slack Web API.

The test process owns the far side only: it creates the database, seeds members and their stand-ups through
storage, plans today's prompts, serves the fake Slack (tests/adapters/slack/fake_slack.py) and reads back what
was posted. Each replica is the installed `ritme run` in its own OS process with its own bot token, so the fake can
tell which replica posted what; its output goes to a log file the assertions quote when something is off.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from adapters.slack.protocol import ANSWER_ACTION
from rituals.boundaries import Boundaries, public_holiday
from rituals.catalog import Catalog
from rituals.engine import Engine, EngineSettings
from rituals.model import StandupSettings
from rituals.ports import SystemClock
from rituals.schedule import local_date, local_time
from storage.database import create_engine, migrate, normalize_url
from storage.models import MemberRow, RitualRow, TeamMemberRow, TeamRow, WorkspaceRow
from storage.repository import SqlStore
from tests.adapters.slack.fake_slack import TEAM_ID, Call, FakeSlack, Scripted
from tests.adapters.slack.harness import SIGNING_SECRET
from tests.bot.slack_rig import blocks_of

REPO_ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 3000
TEAM_SIZE = 10
# A replica claims 1,000 prompts at a time and records them sent only after the last: on a quiet 2-core machine
# three replicas need 10-15 s for their batches (100 posts a second each at the cap below, ~5 ms of CPU a prompt),
# on a loaded one 30 s and more. A lease shorter than that lets a second replica take over a live claim and post
# it again, so it stays well above; short enough still that a dead replica's claim is taken over within the test.
LEASE_SECONDS = 45
# Slack's cap per workspace, set as high as Ritme allows (100 a second) so pacing does not decide the timing.
MESSAGES_PER_MINUTE = 6000
# The drain limit the lead's SIGTERM handling is to take from RITME_DRAIN_SECONDS (default 10).
DRAIN_SECONDS = 10
# Candidates for the members' country: the first without a public holiday today is theirs (and the default).
COUNTRIES = ("IS", "NL", "GB", "SE", "JP", "US")


def ritme_command() -> list[str]:
    """The installed `ritme` script next to this Python, or the module when running from a bare checkout."""
    script = Path(sys.executable).parent / "ritme"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


class OutageSlack(FakeSlack):
    """The fake Web API, able to answer every chat.postMessage with 503 for a while from the first one it gets."""

    def __init__(self) -> None:
        super().__init__()
        self._outage: float | None = None
        self.outage_ends: float | None = None  # loop time; set by the first post after `outage()`

    def outage(self, seconds: float) -> None:
        """Answer chat.postMessage with 503 for `seconds`, counted from the next post that comes in."""
        self._outage = seconds
        self.outage_ends = None

    def _next_script(self, method: str) -> Scripted | None:
        if method == "chat.postMessage" and self._outage is not None:
            now = asyncio.get_running_loop().time()
            if self.outage_ends is None:
                self.outage_ends = now + self._outage
            if now < self.outage_ends:
                return Scripted(status=503)
        return super()._next_script(method)


@dataclass(frozen=True)
class WorkingDay:
    """Where and when the members are: a zone where it is daytime now, their date there, and a country for which
    that date is no public holiday."""

    zone: str
    today: date  # the members' local date (tomorrow's prompts are planned too, and stay pending)
    country: str

    @classmethod
    def now(cls) -> WorkingDay:
        """Today's, whenever the suite runs."""
        now = datetime.now(UTC)
        zone = _daytime_zone(now)
        today = local_date(now, zone)
        return cls(zone=zone, today=today, country=_working_country(today))


@dataclass(frozen=True)
class Seeded:
    """What the test process put in the database: whose prompt is which delivery."""

    delivery_of: dict[str, int]  # Slack user id -> today's delivery id of their stand-up


@dataclass
class Replica:
    """One `ritme run` process and its log."""

    name: str
    token: str
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        """Everything the replica printed and logged so far."""
        return self.log_path.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        """True while the process has not exited."""
        return self.process.returncode is None

    async def url(self, within: float = 60) -> str:
        """The base URL, once the replica says it is running (after its first plan and tick)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not (match := re.search(r"running at (http://\S+)", self.log())):
            if not self.alive or loop.time() > deadline:
                raise AssertionError(f"{self.name} did not come up:\n{self.log()[-3000:]}")
            await asyncio.sleep(0.1)
        return match.group(1)

    def signal(self, number: signal.Signals) -> None:
        """Send the process a signal (by its own pid)."""
        os.kill(self.process.pid, number)

    async def exit_code(self, within: float) -> int | None:
        """The exit code within `within` seconds, or None if it is still running then."""
        try:
            return await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            return None


@dataclass(frozen=True)
class Outcome:
    """What reached Slack for the seeded prompts, and what the database says of them."""

    posts_per_member: Counter[str]
    lost: list[str]  # members whose prompt never arrived
    duplicated: dict[str, int]  # member -> how many times their prompt arrived, when more than once
    strays: list[str]  # posts to a member that carried another delivery's id
    statuses: dict[str, int]  # delivery status -> count, for the seeded deliveries
    by_replica: dict[str, int]  # replica name -> successful prompt posts

    @property
    def exactly_once(self) -> bool:
        """True when every member got their prompt once, nothing else, and the database says all were sent."""
        return (not self.lost and not self.duplicated and not self.strays
                and self.statuses == {"sent": sum(self.statuses.values())})

    def describe(self) -> str:
        """The counts, in one line, for an assertion's message."""
        some = sorted(self.duplicated.items())[:5]
        return (f"{len(self.lost)} lost, {len(self.duplicated)} members got duplicates "
                f"({sum(self.duplicated.values()) - len(self.duplicated)} extra posts, e.g. {some}), "
                f"{len(self.strays)} stray posts; delivery statuses {self.statuses}; prompt posts per replica "
                f"{self.by_replica}")


@dataclass
class ReplicaRig:
    """The database, the fake Slack and the replicas of one test."""

    server_url: str
    database_url: str
    fake: OutageSlack
    folder: Path
    day: WorkingDay = field(default_factory=WorkingDay.now)
    replicas: list[Replica] = field(default_factory=list)
    seeded: Seeded | None = None

    async def seed(self, members: int = MEMBERS, team_size: int = TEAM_SIZE) -> Seeded:
        """Members in teams of `team_size`, each team with a daily stand-up a minute ago, and today's prompts
        planned: due at once, so replicas already running start fanning them out."""
        self.seeded = await seed(self.database_url, self.day, members, team_size)
        statuses = await self.statuses()
        assert sum(statuses.values()) == members, f"seeding planned {statuses}, not {members} prompts for today"
        return self.seeded

    async def start(self, count: int = 1, *, wait: bool = True, **settings: str) -> list[Replica]:
        """Start `count` replicas at once and (with `wait`) wait until each says it is running; `settings` are
        extra RITME_* variables (without the prefix)."""
        first = len(self.replicas) + 1
        started = await asyncio.gather(*(self._start_one(f"replica-{first + n}", **settings) for n in range(count)))
        self.replicas.extend(started)
        if wait:
            await asyncio.gather(*(replica.url() for replica in started))
        return list(started)

    async def _start_one(self, name: str, **settings: str) -> Replica:
        token = f"xoxb-{name}"
        environment = {key: value for key, value in os.environ.items() if not key.startswith("RITME_")}
        environment["PYTHONPATH"] = str(REPO_ROOT)  # for a checkout that is not installed
        environment |= {
            "RITME_DATABASE_URL": self.database_url,
            "RITME_HOST": "127.0.0.1",
            "RITME_PORT": "0",
            "RITME_SLACK_API_URL": self.fake.url,
            "RITME_SLACK_BOT_TOKEN": token,
            "RITME_SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "RITME_SLACK_MESSAGES_PER_MINUTE": str(MESSAGES_PER_MINUTE),
            "RITME_DISPATCH_INTERVAL_SECONDS": "0.5",
            "RITME_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
            "RITME_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "RITME_DEFAULT_COUNTRY": self.day.country,
        }
        environment |= {f"RITME_{key.upper()}": value for key, value in settings.items()}
        log_path = self.folder / f"{name}.log"
        with log_path.open("wb") as log:
            # Output goes to a file: a pipe nobody reads would stall the replica once its buffer fills.
            process = await asyncio.create_subprocess_exec(
                *ritme_command(), "run", cwd=self.folder, env=environment, stdout=log, stderr=asyncio.subprocess.STDOUT,
            )
        return Replica(name, token, process, log_path)

    async def stop_all(self) -> None:
        """Stop every replica still running: Ctrl+C, then SIGKILL if it lingers."""
        running = [replica for replica in self.replicas if replica.alive]
        for replica in running:
            replica.signal(signal.SIGINT)
        for replica in running:
            if await replica.exit_code(10) is None:
                replica.signal(signal.SIGKILL)
                await replica.process.wait()

    def database(self) -> AsyncEngine:
        """An engine for the test's own reads: no pool, so a terminated backend never breaks the next read."""
        return create_engine(self.database_url, poolclass=NullPool)

    async def statuses(self) -> dict[str, int]:
        """How many of today's prompts are in each delivery status."""
        engine = self.database()
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text("SELECT status, count(*) FROM deliveries WHERE local_date = :today GROUP BY status"),
                    {"today": self.day.today},
                )
                return {status: count for status, count in rows}
        finally:
            await engine.dispose()

    def prompt_posts(self, *, by: Replica | None = None) -> list[Call]:
        """The successful chat.postMessage calls that carried a stand-up prompt (to a member, by user id)."""
        return [
            call for call in self.fake.calls_to("chat.postMessage", ok=True)
            if str(call.args.get("channel", "")).startswith("U") and (by is None or call.token == by.token)
        ]

    async def until(self, done: Callable[[], bool], what: str, within: float) -> None:
        """Wait until `done()`, checking ten times a second; fail naming `what` after `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not done():
            if loop.time() > deadline:
                raise AssertionError(f"timed out after {within:.0f} s waiting for {what}\n{self.logs()}")
            await asyncio.sleep(0.1)

    async def until_posted(self, count: int, within: float) -> None:
        """Wait until Slack has received at least `count` prompts."""
        await self.until(lambda: len(self.prompt_posts()) >= count, f"{count} prompts posted", within)

    async def until_all_sent(self, within: float) -> dict[str, int]:
        """Wait until the database says every seeded prompt was sent (or nothing is left to send)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            statuses = await self.statuses()
            if not statuses.get("pending") and not statuses.get("claimed"):
                # A post the database already counts may still be on its way back to the fake; let it land.
                await asyncio.sleep(1)
                return statuses
            if loop.time() > deadline:
                so_far = (await self.outcome()).describe() if self.seeded is not None else f"statuses {statuses}"
                raise AssertionError(f"timed out after {within:.0f} s; so far: {so_far}\n{self.logs()}")
            await asyncio.sleep(0.5)

    async def outcome(self) -> Outcome:
        """Compare what reached the fake Slack with the seeded prompts and the database."""
        assert self.seeded is not None, "seed() first"
        posts = self.prompt_posts()
        per_member: Counter[str] = Counter()
        strays = []
        for call in posts:
            member = str(call.args["channel"])
            if answer_button_value(call) == str(self.seeded.delivery_of.get(member)):
                per_member[member] += 1
            else:
                strays.append(member)
        by_replica = {replica.name: len(self.prompt_posts(by=replica)) for replica in self.replicas}
        return Outcome(
            posts_per_member=per_member,
            lost=[member for member in self.seeded.delivery_of if per_member[member] == 0],
            duplicated={member: count for member, count in per_member.items() if count > 1},
            strays=strays,
            statuses=await self.statuses(),
            by_replica=by_replica,
        )

    async def terminate_backends(self) -> int:
        """pg_terminate_backend on every connection to the test's database; how many there were."""
        name = normalize_url(self.database_url).database
        engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = :name AND pid <> pg_backend_pid()"),
                    {"name": name},
                )
                return len(rows.all())
        finally:
            await engine.dispose()

    def logs(self) -> str:
        """The tail of every replica's log, for a failing assertion."""
        return "\n".join(
            f"--- {replica.name} (exit {replica.process.returncode}) ---\n{replica.log()[-2500:]}"
            for replica in self.replicas
        )


def answer_button_value(call: Call) -> str | None:
    """The delivery id a prompt's "Answer" button carries (render.form_message_content)."""
    for block in blocks_of(call):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == ANSWER_ACTION:
                return str(element.get("value"))
    return None


async def http_status(url: str) -> int:
    """The HTTP status of a GET, or 0 when nothing answered within 5 s."""
    try:
        async with aiohttp.ClientSession() as session, session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as got:
            return got.status
    except (aiohttp.ClientError, TimeoutError):
        return 0


async def _admin(server_url: str, sql: str) -> None:
    # CREATE/DROP DATABASE refuse to run inside a transaction.
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(sql)
    finally:
        await engine.dispose()


@asynccontextmanager
async def replica_rig(server_url: str, folder: Path, *, migrated: bool = True) -> AsyncIterator[ReplicaRig]:
    """A throwaway database ritme_rep_<hex> (migrated unless told not to) and the fake Slack; the replicas started
    meanwhile are stopped and the database dropped on exit."""
    name = f"ritme_rep_{uuid4().hex[:16]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = normalize_url(server_url).set(database=name).render_as_string(hide_password=False)
        if migrated:
            await migrate(url)
        async with OutageSlack() as fake:
            rig = ReplicaRig(server_url=server_url, database_url=url, fake=fake, folder=folder)
            try:
                yield rig
            finally:
                await rig.stop_all()
    finally:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _daytime_zone(now: datetime) -> str:
    """A zone where it is now between 03:00 and 21:00, so a stand-up a minute ago and its digest hours later
    fall on one local day whenever the suite runs."""
    for zone in ("UTC", "Asia/Tokyo"):
        if time(3) <= local_time(now, zone) < time(21):
            return zone
    raise AssertionError("no zone with daytime now")  # UTC covers 03-21, Tokyo (UTC+9) the rest


def _working_country(day: date) -> str:
    """A country whose public holidays leave `day` a working day."""
    return next(country for country in COUNTRIES if not public_holiday(country, day))


async def seed(database_url: str, day: WorkingDay, members: int, team_size: int) -> Seeded:
    """Bulk-insert the teams, members and stand-ups (as bench/fanout.py does), then plan today's prompts."""
    now = datetime.now(UTC)
    zone, today, country = day.zone, day.today, day.country
    local_now = local_time(now, zone)
    minute_ago = (datetime.combine(today, local_now.replace(second=0, microsecond=0)) - timedelta(minutes=1)).time()
    digest_at = (datetime.combine(today, local_now) + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    teams = members // team_size
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            workspace_id = (
                await connection.execute(
                    insert(WorkspaceRow).values(platform="slack", external_id=TEAM_ID).returning(WorkspaceRow.id)
                )
            ).scalar_one()
            await connection.execute(
                insert(TeamRow),
                [{"workspace_id": workspace_id, "channel_id": f"C{t:04d}", "name": f"team {t}"} for t in range(teams)],
            )
            rows = [
                {
                    "workspace_id": workspace_id, "user_id": f"U{m:05d}", "display_name": f"Member {m}",
                    "name_key": f"member {m}", "timezone": zone, "locale": "nl" if m % 3 == 0 else "en",
                    # Every day, all day, and a country without a holiday today: whenever the suite runs, everyone
                    # may be messaged now.
                    "work_days": "0,1,2,3,4,5,6", "work_start": time(0, 0), "work_end": time(23, 59),
                    "away_until": None, "is_admin": False, "country": country,
                }
                for m in range(members)
            ]
            for chunk in range(0, len(rows), 2000):
                await connection.execute(insert(MemberRow), rows[chunk:chunk + 2000])
            # Running replicas have already made the local chat's workspace and team: read back only Slack's.
            ours = {"workspace": workspace_id}
            team_ids = [row[0] for row in await connection.execute(
                text("SELECT id FROM teams WHERE workspace_id = :workspace ORDER BY id"), ours)]
            member_ids = [row[0] for row in await connection.execute(
                text("SELECT id FROM members WHERE workspace_id = :workspace ORDER BY id"), ours)]
            links = [{"team_id": team_ids[m // team_size], "member_id": member_id, "role": "member"}
                     for m, member_id in enumerate(member_ids)]
            for chunk in range(0, len(links), 2000):
                await connection.execute(insert(TeamMemberRow), links[chunk:chunk + 2000])
            await connection.execute(insert(RitualRow), [
                {
                    "team_id": team_id, "kind": "standup", "at": minute_ago, "days": "0,1,2,3,4,5,6",
                    "timezone": zone, "locale": "en", "paused": False, "deleted_at": None,
                    # No reminder: every post to a member in the test is their one prompt.
                    "settings": StandupSettings(digest_at=digest_at, remind_after_minutes=None),
                    "created_by": member_ids[t * team_size], "created_at": now - timedelta(days=1),
                }
                for t, team_id in enumerate(team_ids)
            ])
        clock = SystemClock()
        planner = Engine(store=SqlStore(engine, clock=clock), clock=clock, catalog=Catalog(),
                         settings=EngineSettings(), boundaries=Boundaries(default_country=country))
        await planner.plan(now)
        async with engine.connect() as connection:
            delivery_of = {
                user_id: delivery_id
                for user_id, delivery_id in await connection.execute(
                    text("SELECT m.user_id, d.id FROM deliveries d JOIN members m ON m.id = d.member_id "
                         "WHERE d.local_date = :today"),
                    {"today": today},
                )
            }
    finally:
        await engine.dispose()
    return Seeded(delivery_of=delivery_of)
