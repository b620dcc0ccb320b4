"""SqlPulseStore on both databases: one response per member, totals, closing, history, and anonymity by construction."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import sqlite3
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.exc import OperationalError
from sqlalchemy.types import Date, DateTime, Time

from rituals.model import Member, QuestionCounts, RitualKind, Role, RoundCounts, StandupSettings
from rituals.ports import MemberDefaults, NewRitual, PlannedDelivery, PlannedOccurrence, PulseStore
from storage.database import create_engine, is_sqlite, normalize_url
from storage.models import PULSE_COMMENT_MAX
from storage.pulse import SqlPulseStore
from storage.repository import SqlStore

MONDAY = date(2026, 11, 23)
DEFAULTS = MemberDefaults(timezone="Europe/Amsterdam", locale="en")
QUESTIONS = ("mood", "workload", "connected")
ANONYMOUS_COLUMNS = {
    "pulse_answers": {"occurrence_id", "id", "question_id", "score"},
    "pulse_comments": {"occurrence_id", "id", "text"},
    "pulse_tallies": {"occurrence_id", "question_id", "score_1", "score_2", "score_3", "score_4", "score_5"},
}


@dataclass
class Pulse:
    """A team with a manager and members, and a ritual whose occurrences are pulse rounds."""

    store: SqlStore
    pulse: SqlPulseStore
    team_id: int
    ritual_id: int
    members: list[Member]

    async def round(self, day: date = MONDAY, questions: tuple[str, ...] = QUESTIONS, *, ritual_id: int = 0) -> int:
        """A round on that local date: its occurrence, planned with every member, and its questions set."""
        ritual = ritual_id or self.ritual_id
        due = datetime.combine(day, time(13, 0), tzinfo=UTC)
        await self.store.plan(
            [
                PlannedOccurrence(
                    ritual_id=ritual,
                    local_date=day,
                    digest_due_at=due + timedelta(hours=4),
                    deliveries=tuple(PlannedDelivery(member_id=m.id, due_at=due) for m in self.members),
                )
            ]
        )
        occurrence = await self.store.occurrence(ritual, day)
        assert occurrence is not None
        await self.pulse.set_round_questions(occurrence.id, questions)
        return occurrence.id


async def add_ritual(store: SqlStore, team_id: int, created_by: int) -> int:
    ritual = await store.add_ritual(
        NewRitual(
            team_id=team_id,
            kind=RitualKind.STANDUP,
            at=time(14, 0),
            days=(4,),
            timezone="Europe/Amsterdam",
            locale="en",
            settings=StandupSettings(digest_at=time(18, 0)),
            created_by=created_by,
        )
    )
    return ritual.id


@pytest.fixture
async def pulse(database_url: str) -> AsyncIterator[SqlPulseStore]:
    engine = create_engine(database_url)
    try:
        yield SqlPulseStore(engine)
    finally:
        await engine.dispose()


async def make_team(store: SqlStore, pulse: SqlPulseStore, size: int = 6) -> Pulse:
    team = await store.upsert_team("slack", "T1", "C1", "Team One")
    members = [await store.upsert_member("slack", "T1", f"U{i:02}", f"Person {i:02}", DEFAULTS) for i in range(size)]
    await store.set_role(team.id, members[0].id, Role.MANAGER)
    for member in members[1:]:
        await store.join_team(team.id, member.id)
    ritual_id = await add_ritual(store, team.id, members[0].id)
    return Pulse(store=store, pulse=pulse, team_id=team.id, ritual_id=ritual_id, members=members)


@pytest.fixture
async def team(store: SqlStore, pulse: SqlPulseStore) -> Pulse:
    return await make_team(store, pulse)


async def raw(database_url: str, sql: str) -> list[Any]:
    """Rows read around the store, as an admin with a SQL prompt would."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list(await connection.exec_driver_sql(sql))
    finally:
        await engine.dispose()


def test_sql_pulse_store_has_every_pulse_store_method_with_its_signature() -> None:
    methods = [name for name, value in vars(PulseStore).items() if inspect.iscoroutinefunction(value)]
    assert len(methods) == 10
    for name in methods:
        assert inspect.signature(getattr(SqlPulseStore, name)) == inspect.signature(getattr(PulseStore, name)), name


# Questions


async def test_a_rounds_questions_are_set_once_and_the_first_call_wins(team: Pulse) -> None:
    await team.store.plan(
        [PlannedOccurrence(ritual_id=team.ritual_id, local_date=MONDAY, digest_due_at=datetime.now(UTC), deliveries=())]
    )
    occurrence = await team.store.occurrence(team.ritual_id, MONDAY)
    assert occurrence is not None
    assert await team.pulse.round_questions(occurrence.id) == ()
    assert await team.pulse.set_round_questions(occurrence.id, ["mood", "workload"]) == ("mood", "workload")
    assert await team.pulse.set_round_questions(occurrence.id, ["switch_off"]) == ("mood", "workload")
    assert await team.pulse.round_questions(occurrence.id) == ("mood", "workload")


@pytest.mark.parametrize("questions", [[], ["mood", "mood"], [""], ["x" * 65]])
async def test_bad_question_lists_are_refused(team: Pulse, questions: list[str]) -> None:
    occurrence_id = await team.round()
    await team.store.plan(
        [
            PlannedOccurrence(
                ritual_id=team.ritual_id,
                local_date=MONDAY + timedelta(7),
                digest_due_at=datetime.now(UTC),
                deliveries=(),
            )
        ]
    )
    later = await team.store.occurrence(team.ritual_id, MONDAY + timedelta(7))
    assert later is not None
    with pytest.raises(ValueError):
        await team.pulse.set_round_questions(later.id, questions)
    assert await team.pulse.round_questions(later.id) == ()
    assert await team.pulse.round_questions(occurrence_id) == QUESTIONS


async def test_a_round_needs_an_occurrence(team: Pulse) -> None:
    with pytest.raises(LookupError):
        await team.pulse.set_round_questions(10_000, ["mood"])
    with pytest.raises(LookupError):
        await team.pulse.respond(10_000, team.members[0].id, {"mood": 3})
    with pytest.raises(LookupError):
        await team.pulse.counts(10_000, 5)
    with pytest.raises(LookupError):
        await team.pulse.close_round(10_000, 5)
    assert not await team.pulse.is_closed(10_000)


async def test_recent_questions_are_the_rituals_earlier_rounds_newest_first(team: Pulse) -> None:
    other_ritual = await add_ritual(team.store, team.team_id, team.members[0].id)
    await team.round(MONDAY - timedelta(21), ("mood",))
    await team.round(MONDAY - timedelta(14), ("workload", "connected"))
    await team.round(MONDAY - timedelta(7), ("switch_off",))
    await team.round(MONDAY, ("overload",))
    await team.round(MONDAY - timedelta(1), ("elsewhere",), ritual_id=other_ritual)
    pulse = team.pulse
    assert await pulse.recent_questions(team.ritual_id, MONDAY, 2) == [("switch_off",), ("workload", "connected")]
    assert await pulse.recent_questions(team.ritual_id, MONDAY, 10) == [
        ("switch_off",),
        ("workload", "connected"),
        ("mood",),
    ]
    assert await pulse.recent_questions(team.ritual_id, MONDAY - timedelta(21), 10) == []


# Responses


async def test_a_member_responds_once_per_round(team: Pulse) -> None:
    round_id = await team.round()
    anna, ben = team.members[1], team.members[2]
    assert await team.pulse.unresponded(round_id, [m.id for m in team.members]) == {m.id for m in team.members}
    assert await team.pulse.respond(round_id, anna.id, {"mood": 4, "workload": 2}, "  busy week  ")
    before = await team.pulse.counts(round_id, 6)

    assert not await team.pulse.respond(round_id, anna.id, {"mood": 1, "workload": 1, "connected": 1}, "again")
    assert await team.pulse.counts(round_id, 6) == before
    assert before.responded == 1
    assert before.comments == ("busy week",)
    assert await team.pulse.has_responded(round_id, anna.id)
    assert not await team.pulse.has_responded(round_id, ben.id)
    assert await team.pulse.unresponded(round_id, [anna.id, ben.id]) == {ben.id}
    # The same member in another round is a new response.
    next_round = await team.round(MONDAY + timedelta(7))
    assert await team.pulse.respond(next_round, anna.id, {"mood": 5})


async def test_counts_are_totals_per_question_in_the_rounds_order_with_zeros(team: Pulse) -> None:
    round_id = await team.round()
    responses = [
        ({"mood": 5, "workload": 3, "connected": 4}, "great team"),
        ({"mood": 4, "workload": 3}, ""),
        ({"mood": 1, "workload": 5, "connected": 4}, "too many meetings"),
        ({"mood": 4}, "   "),
        ({}, "only a comment"),
    ]
    for member, (scores, comment) in zip(team.members, responses, strict=False):
        assert await team.pulse.respond(round_id, member.id, scores, comment)
    counts = await team.pulse.counts(round_id, prompted=6)
    assert counts == RoundCounts(
        occurrence_id=round_id,
        local_date=MONDAY,
        prompted=6,
        responded=5,
        questions=(
            QuestionCounts(question_id="mood", counts=(1, 0, 0, 2, 1)),
            QuestionCounts(question_id="workload", counts=(0, 0, 2, 0, 1)),
            QuestionCounts(question_id="connected", counts=(0, 0, 0, 2, 0)),
        ),
        comments=counts.comments,
    )
    assert sorted(counts.comments) == ["great team", "only a comment", "too many meetings"]


async def test_a_long_comment_is_cut_to_the_limit(team: Pulse) -> None:
    round_id = await team.round()
    assert await team.pulse.respond(round_id, team.members[1].id, {}, " " + "é" * (PULSE_COMMENT_MAX + 50))
    assert (await team.pulse.counts(round_id, 6)).comments == ("é" * PULSE_COMMENT_MAX,)


@pytest.mark.parametrize(
    ("scores", "comment"),
    [
        ({"mood": 0}, ""),
        ({"mood": 6}, "nice"),
        ({"mood": 3, "workload": -1}, ""),
        ({"mood": True}, ""),
        ({"mood": 2.5}, ""),
        ({"mood": 3, "salary": 2}, "a question the round does not ask"),
        ({}, ""),
        ({}, "   "),
    ],
)
async def test_invalid_responses_are_refused_and_write_nothing(
    team: Pulse, database_url: str, scores: dict[str, Any], comment: str
) -> None:
    round_id = await team.round()
    anna = team.members[1]
    with pytest.raises(ValueError):
        await team.pulse.respond(round_id, anna.id, scores, comment)
    assert not await team.pulse.has_responded(round_id, anna.id)
    for table in ("pulse_responders", "pulse_answers", "pulse_comments"):
        assert await raw(database_url, f"SELECT count(*) FROM {table}") == [(0,)]
    assert await team.pulse.respond(round_id, anna.id, {"mood": 3})


async def test_racing_responses_of_one_member_count_once(team: Pulse, database_url: str) -> None:
    round_id = await team.round()
    anna = team.members[1]
    engines = [create_engine(database_url) for _ in range(4)]
    try:
        stores = [SqlPulseStore(engine) for engine in engines]
        results = await asyncio.gather(
            *(store.respond(round_id, anna.id, {"mood": 1 + n % 5}, f"try {n}") for n, store in enumerate(stores * 3))
        )
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(results) == [False] * 11 + [True]
    counts = await team.pulse.counts(round_id, 6)
    assert counts.responded == 1
    assert sum(counts.questions[0].counts) == 1
    assert len(counts.comments) == 1


async def test_responses_racing_the_close_are_counted_or_refused_never_lost(
    store: SqlStore, pulse: SqlPulseStore, database_url: str
) -> None:
    team = await make_team(store, pulse, size=16)
    engines = [create_engine(database_url) for _ in range(4)]
    try:
        stores = [SqlPulseStore(engine) for engine in engines]
        # The close sent first, among, or after the responses: where it lands is up to the databases.
        for week, at in enumerate((0, 5, 10, 16)):
            round_id = await team.round(MONDAY + timedelta(7 * week))
            # Connected beforehand, so no call is late only for opening its connection.
            assert await asyncio.gather(*(s.is_closed(round_id) for s in stores)) == [False] * 4
            calls: list[Awaitable[Any]] = [
                stores[n % 4].respond(round_id, m.id, {"mood": 3}) for n, m in enumerate(team.members)
            ]
            calls.insert(at, stores[at % 4].close_round(round_id, 16))
            results: list[Any] = await asyncio.gather(*calls)
            closed = results.pop(at)
            accepted = sum(1 for ok in results if ok)
            assert isinstance(closed, RoundCounts)
            assert closed.responded == accepted
            assert closed.questions[0].counts == (0, 0, accepted, 0, 0)
            assert await pulse.counts(round_id, 0) == closed
    finally:
        for engine in engines:
            await engine.dispose()


async def test_comments_come_back_in_no_arrival_order(store: SqlStore, pulse: SqlPulseStore) -> None:
    team = await make_team(store, pulse, size=20)
    round_id = await team.round()
    arrived = [f"c{n:02}" for n in range(20)]
    for member, comment in zip(team.members, arrived, strict=True):
        assert await pulse.respond(round_id, member.id, {}, comment)
    shown = (await pulse.counts(round_id, 20)).comments
    assert sorted(shown) == arrived
    # 20 comments come back in arrival (or reverse) order by chance once in 10^18 rounds.
    assert list(shown) not in (arrived, arrived[::-1])
    assert (await pulse.counts(round_id, 20)).comments == shown  # stable while open

    closed = await pulse.close_round(round_id, 20)
    assert closed is not None
    assert sorted(closed.comments) == arrived
    assert closed.comments != shown  # new keys, new order
    assert (await pulse.counts(round_id, 20)).comments == closed.comments


async def test_answer_keys_do_not_follow_arrival(store: SqlStore, pulse: SqlPulseStore, database_url: str) -> None:
    team = await make_team(store, pulse, size=40)
    round_id = await team.round(questions=("mood",))
    arrival: list[int] = []
    for member in team.members:
        assert await pulse.respond(round_id, member.id, {"mood": 3})
        keys = {key for (key,) in await raw(database_url, "SELECT id FROM pulse_answers")}
        (new,) = keys - set(arrival)
        arrival.append(new)
    assert arrival not in (sorted(arrival), sorted(arrival, reverse=True))
    ascents = sum(1 for a, b in itertools.pairwise(arrival) if a < b)
    assert 5 < ascents < 34  # a random order has about 19.5 of 39; a sequence has 39 (or 0)
    if is_sqlite(database_url):
        # Without a rowid, a plain SELECT walks the table in key order: arrival leaves no trace in it.
        stored = [key for (key,) in await raw(database_url, "SELECT id FROM pulse_answers")]
        assert stored == sorted(arrival)
        for table in ("pulse_responders", "pulse_answers", "pulse_comments"):
            with pytest.raises(OperationalError, match="rowid"):
                await raw(database_url, f"SELECT rowid FROM {table}")


# Closing and history


async def test_closing_freezes_the_round_and_forgets_who_responded(team: Pulse, database_url: str) -> None:
    round_id = await team.round()
    anna, ben, cas = team.members[1:4]
    await team.pulse.respond(round_id, anna.id, {"mood": 2, "connected": 5}, "tired")
    await team.pulse.respond(round_id, ben.id, {"mood": 4, "workload": 3})
    assert not await team.pulse.is_closed(round_id)

    closed = await team.pulse.close_round(round_id, prompted=5)
    assert closed is not None
    assert (closed.prompted, closed.responded, closed.comments) == (5, 2, ("tired",))
    assert [q.counts for q in closed.questions] == [(0, 1, 0, 1, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 1)]
    assert await team.pulse.is_closed(round_id)
    assert await team.pulse.close_round(round_id, prompted=9) is None
    # Frozen: the prompted count given now is ignored, and nobody can add a response to change the totals.
    assert await team.pulse.counts(round_id, 99) == closed
    assert not await team.pulse.respond(round_id, cas.id, {"mood": 1}, "late")
    assert await team.pulse.counts(round_id, 99) == closed
    # Forgotten: nothing remains of who responded, and no answer row remains to link to anyone.
    assert not await team.pulse.has_responded(round_id, anna.id)
    assert await team.pulse.unresponded(round_id, [anna.id, cas.id]) == set()
    assert await raw(database_url, "SELECT count(*) FROM pulse_responders") == [(0,)]
    assert await raw(database_url, "SELECT count(*) FROM pulse_answers") == [(0,)]


async def test_closing_a_round_without_responses_keeps_zeros(team: Pulse) -> None:
    round_id = await team.round(questions=("mood", "workload"))
    closed = await team.pulse.close_round(round_id, prompted=4)
    assert closed == RoundCounts(
        occurrence_id=round_id,
        local_date=MONDAY,
        prompted=4,
        responded=0,
        questions=(
            QuestionCounts(question_id="mood", counts=(0, 0, 0, 0, 0)),
            QuestionCounts(question_id="workload", counts=(0, 0, 0, 0, 0)),
        ),
        comments=(),
    )


async def test_history_is_the_closed_rounds_before_a_date_newest_first(team: Pulse) -> None:
    pulse = team.pulse
    closed: list[RoundCounts] = []
    for week, score in enumerate((4, 3, 2)):
        round_id = await team.round(MONDAY + timedelta(7 * week), ("mood", "workload"))
        for member in team.members[: 3 + week]:
            await pulse.respond(round_id, member.id, {"mood": score}, "a comment")
        result = await pulse.close_round(round_id, prompted=6)
        assert result is not None
        closed.append(result)
    still_open = await team.round(MONDAY + timedelta(21))
    await pulse.respond(still_open, team.members[0].id, {"mood": 1})

    history = await pulse.history(team.ritual_id, MONDAY + timedelta(28))
    assert [r.local_date for r in history] == [MONDAY + timedelta(14), MONDAY + timedelta(7), MONDAY]
    assert history == [replace_comments(r) for r in reversed(closed)]
    assert [(r.prompted, r.responded) for r in history] == [(6, 5), (6, 4), (6, 3)]
    assert history[0].questions == (
        QuestionCounts(question_id="mood", counts=(0, 5, 0, 0, 0)),
        QuestionCounts(question_id="workload", counts=(0, 0, 0, 0, 0)),
    )
    assert [r.local_date for r in await pulse.history(team.ritual_id, MONDAY + timedelta(14), limit=1)] == [
        MONDAY + timedelta(7)
    ]
    assert await pulse.history(team.ritual_id, MONDAY) == []


def replace_comments(counts: RoundCounts) -> RoundCounts:
    """The counts as history gives them: a trend needs no comments."""
    return RoundCounts(
        occurrence_id=counts.occurrence_id,
        local_date=counts.local_date,
        prompted=counts.prompted,
        responded=counts.responded,
        questions=counts.questions,
        comments=(),
    )


async def test_deleting_an_occurrence_deletes_its_round(team: Pulse, database_url: str) -> None:
    await team.store.plan(
        [PlannedOccurrence(ritual_id=team.ritual_id, local_date=MONDAY, digest_due_at=datetime.now(UTC), deliveries=())]
    )
    occurrence = await team.store.occurrence(team.ritual_id, MONDAY)
    assert occurrence is not None
    await team.pulse.set_round_questions(occurrence.id, ["mood"])
    await team.pulse.respond(occurrence.id, team.members[1].id, {"mood": 2}, "hm")
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM occurrences WHERE id = :id"), {"id": occurrence.id})
    finally:
        await engine.dispose()
    for table in ("pulse_rounds", "pulse_responders", "pulse_answers", "pulse_comments"):
        assert await raw(database_url, f"SELECT count(*) FROM {table}") == [(0,)]


# Anonymity by construction: what a database dump holds


@dataclass
class DumpedTable:
    columns: dict[str, Any]  # name -> reflected type
    foreign_keys: list[tuple[tuple[str, ...], str]]  # (columns, referred table)
    rows: list[dict[str, Any]]


def _dump(connection: Connection) -> dict[str, DumpedTable]:
    """Every table's columns, foreign keys and rows, as the database describes them."""
    schema = inspect_schema(connection)
    dumped: dict[str, DumpedTable] = {}
    for name in schema.get_table_names():
        dumped[name] = DumpedTable(
            columns={column["name"]: column["type"] for column in schema.get_columns(name)},
            foreign_keys=[
                (tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in schema.get_foreign_keys(name)
            ],
            rows=[dict(row) for row in connection.execute(text(f'SELECT * FROM "{name}"')).mappings()],
        )
    return dumped


async def dump(database_url: str) -> dict[str, DumpedTable]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_dump)
    finally:
        await engine.dispose()


def assert_no_link(tables: dict[str, DumpedTable], members: list[Member], comments: list[str]) -> None:
    """What a dump may hold: answers, comments and tallies that name nobody, apart from who responded."""
    holding_text = {
        name for name, table in tables.items() for row in table.rows if any(v in comments for v in row.values())
    }
    assert holding_text == {"pulse_comments"}
    anonymous = {name for name, table in tables.items() if any("score" in column for column in table.columns)}
    anonymous |= holding_text
    assert anonymous == {"pulse_answers", "pulse_comments", "pulse_tallies"}
    for name in anonymous:
        table = tables[name]
        # Exactly these columns: no member, no time, no position, nothing added later without a look at this test.
        assert set(table.columns) == ANONYMOUS_COLUMNS[name], name
        assert table.foreign_keys == [(("occurrence_id",), "pulse_rounds")], name
        names = {m.user_id for m in members} | {m.display_name for m in members}
        assert not any(set(map(str, row.values())) & names for row in table.rows), name
    responders = tables["pulse_responders"]
    assert set(responders.columns) == {"occurrence_id", "member_id"}
    assert sorted(responders.foreign_keys) == [(("member_id",), "members"), (("occurrence_id",), "pulse_rounds")]
    for name in anonymous:
        # The round is all a response and a responder share: no column to join one to the other.
        assert set(tables[name].columns) & set(responders.columns) == {"occurrence_id"}, name
    assert set(tables["pulse_rounds"].columns) == {"occurrence_id", "questions", "prompted", "responded"}
    for name, table in tables.items():
        if name.startswith("pulse_"):
            assert not [c for c, kind in table.columns.items() if isinstance(kind, DateTime | Date | Time)], name


async def assert_no_sequences(database_url: str) -> None:
    """No pulse key comes from a counter: no defaults, identities or sequences on PostgreSQL, no rowid on SQLite."""
    if is_sqlite(database_url):
        for table in ("pulse_responders", "pulse_answers", "pulse_comments"):
            (sql,) = await raw(database_url, f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
            assert sql[0].rstrip().endswith("WITHOUT ROWID"), table
        return
    columns = await raw(
        database_url,
        "SELECT table_name, column_name, column_default, is_identity FROM information_schema.columns "
        "WHERE table_name LIKE 'pulse%'",
    )
    assert len(columns) == 4 + 2 + 4 + 3 + 7
    assert [c for c in columns if c[2] is not None or c[3] != "NO"] == []
    assert (
        await raw(
            database_url, "SELECT sequence_name FROM information_schema.sequences WHERE sequence_name LIKE 'pulse%'"
        )
        == []
    )


async def test_a_database_dump_links_no_member_to_an_answer(
    store: SqlStore, pulse: SqlPulseStore, database_url: str
) -> None:
    team = await make_team(store, pulse, size=8)
    round_id = await team.round()
    comments: list[str] = []
    for n, member in enumerate(team.members[1:7]):
        comment = f"comment from someone, number {n}"
        comments.append(comment)
        scores = {"mood": 1 + n % 5, "workload": 5 - n % 5} | ({"connected": 3} if n % 2 else {})
        assert await pulse.respond(round_id, member.id, scores, comment)

    # While the round is open: who responded is known (for reminders), what they answered is not tied to them.
    tables = await dump(database_url)
    assert_no_link(tables, team.members, comments)
    assert sorted(row["member_id"] for row in tables["pulse_responders"].rows) == sorted(
        m.id for m in team.members[1:7]
    )
    assert len(tables["pulse_answers"].rows) == 6 + 6 + 3
    assert tables["pulse_tallies"].rows == []
    await assert_no_sequences(database_url)

    # Once it closes, only totals and comments remain, and nothing says who responded.
    assert await pulse.close_round(round_id, prompted=8) is not None
    tables = await dump(database_url)
    assert_no_link(tables, team.members, comments)
    assert tables["pulse_responders"].rows == []
    assert tables["pulse_answers"].rows == []
    assert len(tables["pulse_tallies"].rows) == 3
    assert sorted(row["text"] for row in tables["pulse_comments"].rows) == comments


async def test_a_closed_rounds_rows_are_wiped_from_the_sqlite_file(store: SqlStore, database_url: str) -> None:
    if not is_sqlite(database_url):
        pytest.skip("PostgreSQL leaves dead tuples to VACUUM; storage/pulse.py says so")
    # A build of SQLite whose secure_delete is off by default: the store must turn it on for its own writes.
    engine = create_engine(database_url)

    @event.listens_for(engine.sync_engine, "connect")
    def _insecure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA secure_delete = OFF")

    try:
        team = await make_team(store, SqlPulseStore(engine), size=60)
        round_id = await team.round()
        for member in team.members:
            assert await team.pulse.respond(round_id, member.id, {"mood": 2, "workload": 4, "connected": 3}, "hmm")
        keys = "SELECT id FROM pulse_answers UNION SELECT id FROM pulse_comments"
        deleted = [key for (key,) in await raw(database_url, keys)]
        assert len(deleted) == 60 * 4
        assert await team.pulse.close_round(round_id, 60) is not None
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar_one() == 0  # restored
    finally:
        await engine.dispose()
    data = checkpointed_file(Path(str(normalize_url(database_url).database)))
    assert [key for key in deleted if key.to_bytes(8, "big") in data] == []


def checkpointed_file(path: Path) -> bytes:
    """The database file's bytes (and its -wal file's) after an operator's checkpoint, which empties the -wal file.

    Until such a checkpoint the -wal file still holds the pages as they were (storage/pulse.py says so).
    """
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
