"""SqlReportStore: the dashboard's read-only queries (rituals/reports.py's ReportStore) on SQLAlchemy Core.

Nothing here writes. Pulse figures come from the closed rounds' tallies through SqlPulseStore.history, the
same rows the chat's trend reads, never from open answers or from who responded.

Stand-up search runs in Python, over the team's stand-ups in the date range, newest first, in batches, and stops
as soon as the page is full. SQL could not do it on both databases: answers are JSON lists, which both store with
non-ASCII escaped, and SQLite's lower() knows only ASCII. Retention (answers are kept a year by default) bounds
what a search can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.model import Ritual, RitualKind, RoundCounts
from rituals.reports import (
    BorrelAttendance,
    CoffeeRoundRate,
    ReportStore,
    StandupFilter,
    StoredAnswer,
    StoredStandup,
    Turnout,
    matches,
)
from storage.models import (
    AnswerRow,
    BorrelOccurrenceRow,
    BorrelRsvpRow,
    CoffeeGroupMemberRow,
    CoffeeGroupRow,
    CoffeeRoundRow,
    DeliveryRow,
    MemberRow,
    OccurrenceRow,
    PulseRoundRow,
    TeamMemberRow,
)
from storage.pulse import SqlPulseStore
from storage.repository import _RITUAL, _ritual, _rituals

_occurrences = cast(Table, OccurrenceRow.__table__)
_deliveries = cast(Table, DeliveryRow.__table__)
_answers = cast(Table, AnswerRow.__table__)
_members = cast(Table, MemberRow.__table__)
_team_members = cast(Table, TeamMemberRow.__table__)
_pulse_rounds = cast(Table, PulseRoundRow.__table__)
_borrels = cast(Table, BorrelOccurrenceRow.__table__)
_rsvps = cast(Table, BorrelRsvpRow.__table__)
_coffee_rounds = cast(Table, CoffeeRoundRow.__table__)
_groups = cast(Table, CoffeeGroupRow.__table__)
_group_members = cast(Table, CoffeeGroupMemberRow.__table__)

# Occurrences read per batch while searching: a page of 20 usually fills from the first batch or two.
SEARCH_BATCH = 200
_SENT = "sent"
# The latest date either database stores comfortably: "before this" means every closed round.
_END_OF_TIME = date(9999, 12, 31)


def _team_rituals(team_id: int, kind: RitualKind) -> ColumnElement[bool]:
    return and_(_rituals.c.team_id == team_id, _rituals.c.kind == kind.value)


class SqlReportStore:
    """The ReportStore; each method is one read-only transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Read through `engine`; pulse tallies through a SqlPulseStore on the same engine."""
        self._engine = engine
        self._pulse = SqlPulseStore(engine)

    # Stand-ups

    async def standups(self, team_id: int, query: StandupFilter) -> tuple[list[StoredStandup], bool]:
        """The team's stand-ups that happened, in the date range, with an answer holding the search, newest first.

        An occurrence "happened" once its digest went out or someone answered: planned dates ahead are not history.
        Returns the filter's page and whether more follow.
        """
        answered = exists().where(
            _deliveries.c.occurrence_id == _occurrences.c.id, _answers.c.delivery_id == _deliveries.c.id
        )
        where: list[ColumnElement[bool]] = [
            _team_rituals(team_id, RitualKind.STANDUP),
            (_occurrences.c.digest_posted_at.is_not(None)) | answered,
        ]
        if query.since is not None:
            where.append(_occurrences.c.local_date >= query.since)
        if query.until is not None:
            where.append(_occurrences.c.local_date <= query.until)
        if query.ritual_id is not None:
            where.append(_occurrences.c.ritual_id == query.ritual_id)
        ids = (
            select(_occurrences.c.id)
            .select_from(_occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id))
            .where(*where)
            .order_by(_occurrences.c.local_date.desc(), _occurrences.c.id.desc())
        )
        async with self._engine.connect() as conn:
            if not query.search.strip():
                page = list((await conn.execute(ids.offset(query.offset).limit(query.limit + 1))).scalars())
                found = await _stored_standups(conn, page[: query.limit])
                return found, len(page) > query.limit
            wanted = query.offset + query.limit + 1
            hits: list[int] = []
            start = 0
            while len(hits) < wanted:
                batch = list((await conn.execute(ids.offset(start).limit(SEARCH_BATCH))).scalars())
                if not batch:
                    break
                start += len(batch)
                # Only the answers' words while searching; names, counts and rituals for the page's hits alone.
                texts = await conn.execute(
                    select(_deliveries.c.occurrence_id, _answers.c["values"])
                    .select_from(_answers.join(_deliveries, _deliveries.c.id == _answers.c.delivery_id))
                    .where(_deliveries.c.occurrence_id.in_(batch))
                )
                matched = {occurrence_id for occurrence_id, values in texts if matches(values, query.search)}
                hits += [occurrence_id for occurrence_id in batch if occurrence_id in matched]
            found = await _stored_standups(conn, hits[query.offset : query.offset + query.limit])
            return found, len(hits) > query.offset + query.limit

    # Participation

    async def turnouts(self, team_id: int, since: date, until: date) -> list[Turnout]:
        """Stand-ups that prompted someone and closed pulse rounds, between the local dates, oldest first."""
        sent = func.coalesce(func.sum(case((_deliveries.c.status == _SENT, 1), else_=0)), 0)
        standups = (
            select(_occurrences.c.id, _occurrences.c.ritual_id, _occurrences.c.local_date, sent,
                   func.count(_answers.c.delivery_id))
            .select_from(
                _occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
                .join(_deliveries, _deliveries.c.occurrence_id == _occurrences.c.id)
                .outerjoin(_answers, _answers.c.delivery_id == _deliveries.c.id)
            )
            .where(_team_rituals(team_id, RitualKind.STANDUP), _occurrences.c.local_date.between(since, until))
            .group_by(_occurrences.c.id, _occurrences.c.ritual_id, _occurrences.c.local_date)
            .having(sent > 0)
        )
        # Only closed rounds: an open round's count is live, and two reads of it would differ by one person.
        pulses = (
            select(_occurrences.c.id, _occurrences.c.ritual_id, _occurrences.c.local_date, _pulse_rounds.c.prompted,
                   _pulse_rounds.c.responded)
            .select_from(
                _pulse_rounds.join(_occurrences, _occurrences.c.id == _pulse_rounds.c.occurrence_id)
                .join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
            )
            .where(_team_rituals(team_id, RitualKind.PULSE), _occurrences.c.local_date.between(since, until),
                   _pulse_rounds.c.responded.is_not(None))
        )
        async with self._engine.connect() as conn:
            found = [
                Turnout(kind=kind, occurrence_id=row[0], ritual_id=row[1], local_date=row[2], prompted=int(row[3]),
                        answered=int(row[4]))
                for kind, statement in (("standup", standups), ("pulse", pulses))
                for row in await conn.execute(statement)
            ]
        return sorted(found, key=lambda t: (t.local_date, t.kind, t.occurrence_id))

    # Pulse

    async def pulse_rounds(self, team_id: int, limit: int) -> list[tuple[Ritual, list[RoundCounts]]]:
        """Each pulse of the team with its last `limit` closed rounds, oldest first; a deleted one only with rounds."""
        statement = (
            select(*_RITUAL, _rituals.c.deleted_at)
            .where(_team_rituals(team_id, RitualKind.PULSE))
            .order_by(_rituals.c.created_at, _rituals.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(statement)).all()
        found: list[tuple[Ritual, list[RoundCounts]]] = []
        for row in rows:
            history = await self._pulse.history(row[0], _END_OF_TIME, limit)
            if history or row[len(_RITUAL)] is None:
                found.append((_ritual(row), history[::-1]))
        return found

    # Borrels

    async def borrels(self, team_id: int, limit: int) -> list[BorrelAttendance]:
        """The team's last `limit` borrels whose invite went out, newest first, with counts and who said yes."""
        statement = (
            select(_borrels.c.id, _borrels.c.ritual_id, _borrels.c.local_date, _borrels.c.starts_at,
                   _borrels.c.cancelled_at, _borrels.c.closed_at, _borrels.c.joined, _borrels.c.maybe,
                   _borrels.c.declined)
            .select_from(_borrels.join(_rituals, _rituals.c.id == _borrels.c.ritual_id))
            .where(_team_rituals(team_id, RitualKind.BORREL), _borrels.c.invite_sent_at.is_not(None))
            .order_by(_borrels.c.starts_at.desc(), _borrels.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(statement)).all()
            invited = int((await conn.execute(
                select(func.count()).select_from(_team_members).where(_team_members.c.team_id == team_id)
            )).scalar_one())
            rsvps = await _rsvps_of(conn, [row.id for row in rows])
        found: list[BorrelAttendance] = []
        for row in rows:
            answers = rsvps.get(row.id, [])
            live = {answer: sum(1 for _, given in answers if given == answer) for answer in ("join", "maybe", "no")}
            # A closed borrel's counts were frozen when it ended; erasing a member later leaves them as they were.
            frozen = row.closed_at is not None and row.joined is not None
            joined_names = tuple(name for name, given in answers if given == "join")
            found.append(BorrelAttendance(
                occurrence_id=row.id, ritual_id=row.ritual_id, local_date=row.local_date, starts_at=row.starts_at,
                cancelled=row.cancelled_at is not None, closed=row.closed_at is not None,
                joined=row.joined if frozen else live["join"], maybe=row.maybe if frozen else live["maybe"],
                declined=row.declined if frozen else live["no"], invited=invited, joined_names=joined_names,
            ))
        return found

    # Coffee

    async def coffee_rounds(self, team_id: int, limit: int) -> list[CoffeeRoundRate]:
        """The team's last `limit` coffee-pairing rounds, newest first, with groups formed and how many met."""
        rounds = (
            select(_coffee_rounds.c.id)
            .select_from(_coffee_rounds.join(_rituals, _rituals.c.id == _coffee_rounds.c.ritual_id))
            .where(_team_rituals(team_id, RitualKind.COFFEE))
            .order_by(_coffee_rounds.c.local_date.desc(), _coffee_rounds.c.id.desc())
            .limit(limit)
            .subquery()
        )
        real = _groups.c.reason == ""
        # A group whose every member was erased is gone, as SqlCoffeeStore sees it too.
        someone = exists().where(_group_members.c.group_id == _groups.c.id)

        def count(*conditions: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((and_(someone, *conditions), 1), else_=0)), 0)

        statement = (
            select(_coffee_rounds.c.id, _coffee_rounds.c.ritual_id, _coffee_rounds.c.local_date, count(real),
                   count(~real), count(real, _groups.c.follow_up_sent_at.is_not(None)),
                   count(real, _groups.c.met.is_(True)))
            .select_from(_coffee_rounds.outerjoin(_groups, _groups.c.round_id == _coffee_rounds.c.id))
            .where(_coffee_rounds.c.id.in_(select(rounds.c.id)))
            .group_by(_coffee_rounds.c.id, _coffee_rounds.c.ritual_id, _coffee_rounds.c.local_date)
            .order_by(_coffee_rounds.c.local_date.desc(), _coffee_rounds.c.id.desc())
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return [
            CoffeeRoundRate(round_id=row[0], ritual_id=row[1], local_date=row[2], groups=int(row[3]),
                            unmatched=int(row[4]), asked=int(row[5]), met=int(row[6]))
            for row in rows
        ]


async def _stored_standups(conn: AsyncConnection, ids: Sequence[int]) -> list[StoredStandup]:
    """The occurrences `ids` (a page) with their rituals, prompted counts and answers, in the order given."""
    if not ids:
        return []
    heads = await conn.execute(
        select(_occurrences.c.id, _occurrences.c.local_date, *_RITUAL)
        .select_from(_occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id))
        .where(_occurrences.c.id.in_(ids))
    )
    rituals: dict[int, Ritual] = {}
    head_of: dict[int, tuple[date, int]] = {}
    for row in heads:
        ritual_id = row[2]
        if ritual_id not in rituals:
            rituals[ritual_id] = _ritual(row, 2)
        head_of[row[0]] = (row[1], ritual_id)
    counted = await conn.execute(
        select(_deliveries.c.occurrence_id, func.count())
        .where(_deliveries.c.occurrence_id.in_(ids), _deliveries.c.status == _SENT)
        .group_by(_deliveries.c.occurrence_id)
    )
    prompted = {int(occurrence_id): int(count) for occurrence_id, count in counted}
    answers: dict[int, list[StoredAnswer]] = {}
    rows = await conn.execute(
        select(_deliveries.c.occurrence_id, _answers.c.member_id, _members.c.display_name, _answers.c["values"],
               _answers.c.late)
        .select_from(
            _answers.join(_deliveries, _deliveries.c.id == _answers.c.delivery_id)
            .join(_members, _members.c.id == _answers.c.member_id)
        )
        .where(_deliveries.c.occurrence_id.in_(ids))
    )
    for row in rows:
        answers.setdefault(row[0], []).append(
            StoredAnswer(member_id=row[1], display_name=row[2], values=tuple(row[3]), late=bool(row[4]))
        )
    return [
        StoredStandup(occurrence_id=occurrence_id, ritual=rituals[head_of[occurrence_id][1]],
                      local_date=head_of[occurrence_id][0], prompted=int(prompted.get(occurrence_id, 0)),
                      answers=tuple(answers.get(occurrence_id, ())))
        for occurrence_id in ids
        if occurrence_id in head_of
    ]


async def _rsvps_of(conn: AsyncConnection, occurrence_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each borrel's (display name, answer) pairs, sorted by name as the invite lists them."""
    found: dict[int, list[tuple[str, str, int]]] = {}
    if occurrence_ids:
        rows = await conn.execute(
            select(_rsvps.c.occurrence_id, _members.c.display_name, _rsvps.c.answer, _members.c.id)
            .select_from(_rsvps.join(_members, _members.c.id == _rsvps.c.member_id))
            .where(_rsvps.c.occurrence_id.in_(occurrence_ids))
        )
        for occurrence_id, name, answer, member_id in rows:
            found.setdefault(occurrence_id, []).append((name, answer, member_id))
    return {
        occurrence_id: [(name, answer) for name, answer, _ in sorted(items, key=lambda i: (i[0].casefold(), i[2]))]
        for occurrence_id, items in found.items()
    }


def _conforms(store: SqlReportStore) -> ReportStore:
    # mypy fails here if SqlReportStore drifts from the ReportStore protocol.
    return store

