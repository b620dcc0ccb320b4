"""SqlStore: the engine's Store on SQLAlchemy Core, for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, Table, and_, bindparam, exists, literal_column, or_, select, type_coerce, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import ColumnElement, FromClause, Select

from rituals.model import (
    Answer,
    Delivery,
    DeliveryStatus,
    DigestEntry,
    DuePrompt,
    Member,
    Occurrence,
    Ritual,
    RitualKind,
    RitualSettings,
    Role,
    Team,
    ritual_settings,
)
from rituals.ports import (
    AnswerContext,
    Clock,
    DigestContext,
    MemberChanges,
    MemberDefaults,
    Membership,
    NewRitual,
    PlannedOccurrence,
    SentPrompt,
    Store,
    SystemClock,
)
from storage.database import retrying
from storage.models import (
    AnswerRow,
    DeliveryRow,
    MemberRow,
    OccurrenceRow,
    RitualRow,
    TeamMemberRow,
    TeamRow,
    WorkspaceRow,
)

# Rows per executemany: one compiled statement that SQLAlchemy sends as multi-row INSERTs ("insertmanyvalues"),
# 500 deliveries x 7 columns staying far below both databases' parameter limits.
INSERT_CHUNK = 500
# Ids per IN list: under SQLite's historical 999-variable limit, with room for the other parameters.
IN_CHUNK = 900

_T = TypeVar("_T")

_workspaces = cast(Table, WorkspaceRow.__table__)
_teams = cast(Table, TeamRow.__table__)
_members = cast(Table, MemberRow.__table__)
_team_members = cast(Table, TeamMemberRow.__table__)
_rituals = cast(Table, RitualRow.__table__)
_occurrences = cast(Table, OccurrenceRow.__table__)
_deliveries = cast(Table, DeliveryRow.__table__)
_answers = cast(Table, AnswerRow.__table__)

# A member and a team each need their own workspace's platform and external id.
_member_ws = _workspaces.alias("member_ws")
_team_ws = _workspaces.alias("team_ws")

# Column groups read back by position: Core rows map to domain objects without ORM identity overhead.
_MEMBER: tuple[ColumnElement[Any], ...] = (
    _members.c.id,
    _member_ws.c.platform,
    _member_ws.c.external_id,
    _members.c.user_id,
    _members.c.display_name,
    _members.c.timezone,
    _members.c.locale,
    _members.c.work_days,
    _members.c.work_start,
    _members.c.work_end,
    _members.c.away_until,
    _members.c.is_admin,
    _members.c.country,
)
_TEAM: tuple[ColumnElement[Any], ...] = (
    _teams.c.id,
    _team_ws.c.platform,
    _team_ws.c.external_id,
    _teams.c.channel_id,
    _teams.c.name,
)
_RITUAL: tuple[ColumnElement[Any], ...] = (
    _rituals.c.id,
    _rituals.c.team_id,
    _rituals.c.kind,
    _rituals.c.at,
    _rituals.c.days,
    _rituals.c.timezone,
    _rituals.c.locale,
    _rituals.c.paused,
    # Raw JSON here; _ritual() validates it once per ritual instead of once per joined row.
    type_coerce(_rituals.c.settings, JSON()).label("ritual_settings"),
    _rituals.c.created_by,
)
_OCCURRENCE: tuple[ColumnElement[Any], ...] = (
    _occurrences.c.id,
    _occurrences.c.ritual_id,
    _occurrences.c.local_date,
    _occurrences.c.digest_due_at,
    _occurrences.c.digest_posted_at,
)
_DELIVERY: tuple[ColumnElement[Any], ...] = (
    _deliveries.c.id,
    _deliveries.c.occurrence_id,
    _deliveries.c.ritual_id,
    _deliveries.c.member_id,
    _deliveries.c.local_date,
    _deliveries.c.due_at,
    _deliveries.c.status,
    _deliveries.c.sent_at,
    _deliveries.c.remind_at,
    _deliveries.c.reminded_at,
)
_ANSWER: tuple[ColumnElement[Any], ...] = (
    _answers.c.delivery_id,
    _answers.c.member_id,
    _answers.c["values"],
    _answers.c.submitted_at,
    _answers.c.late,
)

# The statuses ix_deliveries_open_due_at holds (storage.models.OPEN).
_OPEN = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)

_MEMBER_FROM = _members.join(_member_ws, _member_ws.c.id == _members.c.workspace_id)
_TEAM_FROM = _teams.join(_team_ws, _team_ws.c.id == _teams.c.workspace_id)


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _days_text(days: Sequence[int]) -> str:
    if any(not 0 <= day <= 6 for day in days):
        raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday), got {tuple(days)}")
    return ",".join(str(day) for day in days)


def _days(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def _member(row: Sequence[Any], i: int = 0) -> Member:
    return Member(
        id=row[i],
        platform=row[i + 1],
        workspace_id=row[i + 2],
        user_id=row[i + 3],
        display_name=row[i + 4],
        timezone=row[i + 5],
        locale=row[i + 6],
        work_days=_days(row[i + 7]),
        work_start=row[i + 8],
        work_end=row[i + 9],
        away_until=row[i + 10],
        is_admin=bool(row[i + 11]),
        country=row[i + 12] or "",
    )


def _by_name(member: Member) -> tuple[str, int]:
    # Sorted in Python, not SQL, so SQLite and PostgreSQL agree whatever the server's collation.
    return (member.display_name.casefold(), member.id)


def _team(row: Sequence[Any], i: int = 0) -> Team:
    return Team(id=row[i], platform=row[i + 1], workspace_id=row[i + 2], channel_id=row[i + 3], name=row[i + 4])


def _ritual(row: Sequence[Any], i: int = 0) -> Ritual:
    return Ritual(
        id=row[i],
        team_id=row[i + 1],
        kind=RitualKind(row[i + 2]),
        at=row[i + 3],
        days=_days(row[i + 4]),
        timezone=row[i + 5],
        locale=row[i + 6],
        paused=bool(row[i + 7]),
        settings=ritual_settings(row[i + 8]),
        created_by=row[i + 9],
    )


def _occurrence(row: Sequence[Any], i: int = 0) -> Occurrence:
    return Occurrence(
        id=row[i], ritual_id=row[i + 1], local_date=row[i + 2], digest_due_at=row[i + 3], digest_posted_at=row[i + 4]
    )


def _delivery(row: Sequence[Any], i: int = 0, status: DeliveryStatus | None = None) -> Delivery:
    return Delivery(
        id=row[i],
        occurrence_id=row[i + 1],
        ritual_id=row[i + 2],
        member_id=row[i + 3],
        local_date=row[i + 4],
        due_at=row[i + 5],
        status=status or DeliveryStatus(row[i + 6]),
        sent_at=row[i + 7],
        remind_at=row[i + 8],
        reminded_at=row[i + 9],
    )


def _answer(row: Sequence[Any], i: int = 0) -> Answer | None:
    if row[i] is None:  # the outer join found no answer
        return None
    return Answer(
        delivery_id=row[i],
        member_id=row[i + 1],
        values=tuple(row[i + 2]),
        submitted_at=row[i + 3],
        late=bool(row[i + 4]),
    )


_M = len(_MEMBER)
_TN = len(_TEAM)
_R = len(_RITUAL)
_O = len(_OCCURRENCE)
_D = len(_DELIVERY)


def _running(rituals: FromClause) -> tuple[ColumnElement[bool], ...]:
    return (rituals.c.paused.is_(False), rituals.c.deleted_at.is_(None))


def _prompt_joins(deliveries: FromClause) -> FromClause:
    """`deliveries` (the table, or a CTE with its columns) joined with everything a prompt needs."""
    return (
        deliveries.join(_MEMBER_FROM, _members.c.id == deliveries.c.member_id)
        .join(_rituals, _rituals.c.id == deliveries.c.ritual_id)
        .join(_TEAM_FROM, _teams.c.id == _rituals.c.team_id)
        .join(_occurrences, _occurrences.c.id == deliveries.c.occurrence_id)
    )


def _prompts_of(ids: Select[Any], *order_by: ColumnElement[Any]) -> Select[Any]:
    """The deliveries `ids` picks, joined with everything a prompt needs.

    Picking ids first keeps the sort and the LIMIT on narrow rows; sorting every wide joined row (as one flat
    query did) spilled to disk on PostgreSQL at 10,000 due prompts.
    """
    return (
        select(*_DELIVERY, *_MEMBER, *_RITUAL, *_TEAM, _occurrences.c.digest_due_at)
        .select_from(_prompt_joins(_deliveries))
        .where(_deliveries.c.id.in_(ids))
        .order_by(*order_by)
    )


def _claimable(deliveries: FromClause, now: datetime) -> ColumnElement[bool]:
    """Pending, or claimed by a worker whose lease ran out (it died, or took too long).

    The first term repeats the partial index's condition word for word, so both databases may use that index.
    """
    return and_(
        deliveries.c.status.in_([literal_column(f"'{status.value}'") for status in _OPEN]),
        or_(deliveries.c.status == DeliveryStatus.PENDING.value, deliveries.c.lease_until < now),
    )


def _digest_open(deliveries: FromClause, now: datetime) -> ColumnElement[bool]:
    """The delivery's occurrence still takes prompts: its digest is neither due nor posted."""
    occurrence = _occurrences.alias("open_occurrence")
    return exists().where(
        occurrence.c.id == deliveries.c.occurrence_id,
        occurrence.c.digest_due_at > now,
        occurrence.c.digest_posted_at.is_(None),
    )


def _stale_prompts(now: datetime, grace: timedelta) -> Select[Any]:
    """Ids of claimable prompts due by `now` that are no use any more: past `grace`, or after their digest.

    Only rows already due: the open-prompts index then bounds the scan, and a future prompt whose digest went
    out early is caught the moment it falls due, before any claim could return it. On PostgreSQL rows another
    transaction holds are skipped rather than waited for; the claim's own conditions keep them out meanwhile.
    """
    stale = _deliveries.alias("stale")
    return (
        select(stale.c.id)
        .where(
            _claimable(stale, now),
            stale.c.due_at <= now,
            or_(stale.c.due_at < now - grace, ~_digest_open(stale, now)),
        )
        .with_for_update(of=stale, skip_locked=True)
    )


def _due_prompt_ids(now: datetime, grace: timedelta, limit: int) -> Select[Any]:
    """Ids of the first `limit` claimable prompts due by `now` on running rituals, locked on PostgreSQL."""
    due, ritual = _deliveries.alias("due"), _rituals.alias("due_ritual")
    stopped = or_(ritual.c.paused.is_(True), ritual.c.deleted_at.is_not(None))
    return (
        select(due.c.id)
        .where(
            _claimable(due, now),
            due.c.due_at <= now,
            # The missed-marking in the same transaction already removed stale rows, except on PostgreSQL the
            # ones it skipped as locked; repeating its conditions here keeps those out too.
            due.c.due_at >= now - grace,
            _digest_open(due, now),
            # An anti-join rather than a join: PostgreSQL then drives from the open-prompts index even on
            # freshly filled tables without statistics, instead of probing deliveries once per ritual.
            ~exists().where(ritual.c.id == due.c.ritual_id, stopped),
        )
        .order_by(due.c.due_at, due.c.id)
        .limit(limit)
        # PostgreSQL replicas skip rows another claim holds; SQLite renders nothing (BEGIN IMMEDIATE queues writers).
        .with_for_update(of=due, skip_locked=True)
    )


def _claim_returning(ids: Select[Any], until: datetime) -> Select[Any]:
    """PostgreSQL: claim the picked rows and read them back joined, in one statement.

    The UPDATE ... RETURNING runs in a CTE, so the prompts read are exactly the rows this statement claimed, with
    their new status. `picked` is MATERIALIZED so its LIMIT and SKIP LOCKED run once, whatever the plan.
    """
    picked = ids.cte("picked").prefix_with("MATERIALIZED")
    claimed = (
        update(_deliveries)
        .where(_deliveries.c.id.in_(select(picked.c.id)))
        .values(status=DeliveryStatus.CLAIMED.value, lease_until=until)
        .returning(*_DELIVERY)
        .cte("claimed")
    )
    returned = (claimed.c[cast(str, column.key)] for column in _DELIVERY)
    return (
        select(*returned, *_MEMBER, *_RITUAL, *_TEAM, _occurrences.c.digest_due_at)
        .select_from(_prompt_joins(claimed))
        .order_by(claimed.c.due_at, claimed.c.id)
    )


def _due_reminders(now: datetime, limit: int) -> Select[Any]:
    """The first `limit` sent, unanswered prompts to remind by `now`, before their digest is out."""
    sent, occurrence, ritual = (
        _deliveries.alias("sent"),
        _occurrences.alias("sent_of"),
        _rituals.alias("sent_ritual"),
    )
    ids = (
        select(sent.c.id)
        .join(occurrence, occurrence.c.id == sent.c.occurrence_id)
        .join(ritual, ritual.c.id == sent.c.ritual_id)
        .where(
            # Spelled out as the partial index's condition is, without bound parameters, so it is used.
            sent.c.status == literal_column(f"'{DeliveryStatus.SENT.value}'"),
            sent.c.remind_at <= now,
            sent.c.reminded_at.is_(None),
            occurrence.c.digest_posted_at.is_(None),
            ~exists().where(_answers.c.delivery_id == sent.c.id),
            *_running(ritual),
        )
        .order_by(sent.c.remind_at, sent.c.id)
        .limit(limit)
    )
    return _prompts_of(ids, _deliveries.c.remind_at, _deliveries.c.id)


def _open_prompts(platform: str) -> Select[Any]:
    """Prompts sent on `platform` that can still be answered on time: their digest is not out yet."""
    sent, occurrence, ritual, team, workspace = (
        _deliveries.alias("open"),
        _occurrences.alias("open_of"),
        _rituals.alias("open_ritual"),
        _teams.alias("open_team"),
        _workspaces.alias("open_ws"),
    )
    ids = (
        select(sent.c.id)
        .join(occurrence, occurrence.c.id == sent.c.occurrence_id)
        .join(ritual, ritual.c.id == sent.c.ritual_id)
        .join(team, team.c.id == ritual.c.team_id)
        .join(workspace, workspace.c.id == team.c.workspace_id)
        .where(
            sent.c.status == DeliveryStatus.SENT.value,
            occurrence.c.digest_posted_at.is_(None),
            workspace.c.platform == platform,
            *_running(ritual),
        )
    )
    return _prompts_of(ids, _deliveries.c.due_at, _deliveries.c.id)


class _PromptMapper:
    """Builds DuePrompts from joined rows, making each ritual, team and member once per batch."""

    def __init__(self, status: DeliveryStatus | None = None) -> None:
        self._status = status  # the status the rows were just given, when they were read before that write
        self._members: dict[int, Member] = {}
        self._rituals: dict[int, Ritual] = {}
        self._teams: dict[int, Team] = {}

    def __call__(self, row: Sequence[Any]) -> DuePrompt:
        member_at = _D
        ritual_at = member_at + _M
        team_at = ritual_at + _R
        member = self._members.get(row[member_at])
        if member is None:
            member = self._members[row[member_at]] = _member(row, member_at)
        ritual = self._rituals.get(row[ritual_at])
        if ritual is None:
            ritual = self._rituals[row[ritual_at]] = _ritual(row, ritual_at)
        team = self._teams.get(row[team_at])
        if team is None:
            team = self._teams[row[team_at]] = _team(row, team_at)
        return DuePrompt(
            delivery=_delivery(row, 0, self._status),
            member=member,
            ritual=ritual,
            team=team,
            digest_due_at=row[team_at + _TN],
        )


class SqlStore:
    """The engine's Store on a SQLAlchemy async engine; every method is one short transaction.

    Several processes may share one database: prompts are claimed with a lease (FOR UPDATE SKIP LOCKED on
    PostgreSQL, BEGIN IMMEDIATE on SQLite), a digest is claimed once, and an on-time answer is saved only while its
    digest is not out, so a digest never misses an answer it reported as saved.
    """

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        """Use `engine` for every transaction and `clock` for the times the Store stamps itself."""
        self._engine = engine
        self._clock: Clock = clock or SystemClock()
        self._postgres = engine.dialect.name == "postgresql"

    @property
    def engine(self) -> AsyncEngine:
        """The database it works on, so stores of other tables (the pulse's) share its connections."""
        return self._engine

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self._engine.begin() as conn:
                yield conn
        except StatementError as error:
            # Bind-time checks (a naive datetime, invalid settings) raise inside SQLAlchemy, which wraps them;
            # callers should see the ValueError itself, as from any other validation.
            if isinstance(error.orig, ValueError) and not isinstance(error, DBAPIError):
                raise error.orig from error
            raise

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        # Both dialects' inserts speak ON CONFLICT, which keeps every upsert a single race-free statement.
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    # Members and teams

    async def _workspace_id(self, conn: AsyncConnection, platform: str, external_id: str) -> int:
        find = select(_workspaces.c.id).where(
            _workspaces.c.platform == platform, _workspaces.c.external_id == external_id
        )
        # Read first: every inbound event passes here, and a known workspace needs no write.
        found = (await conn.execute(find)).scalar_one_or_none()
        if found is None:
            await conn.execute(
                self._insert(_workspaces)
                .values(platform=platform, external_id=external_id)
                .on_conflict_do_nothing(index_elements=["platform", "external_id"])
            )
            found = (await conn.execute(find)).scalar_one()
        return cast(int, found)

    async def _load_member(self, conn: AsyncConnection, *where: Any) -> Member | None:
        row = (await conn.execute(select(*_MEMBER).select_from(_MEMBER_FROM).where(*where))).first()
        return None if row is None else _member(row)

    async def upsert_member(
        self, platform: str, workspace_id: str, user_id: str, display_name: str, defaults: MemberDefaults
    ) -> Member:
        """The member with that platform id, created with `defaults` when new; a new display name is kept."""
        name = display_name.strip()
        async with self._begin() as conn:
            ws_id = await self._workspace_id(conn, platform, workspace_id)
            insert = self._insert(_members).values(
                workspace_id=ws_id,
                user_id=user_id,
                # Platforms sometimes send events without a name; the user id is a better label than "".
                display_name=name or user_id,
                name_key=(name or user_id).casefold(),
                timezone=defaults.timezone,
                locale=defaults.locale,
                work_days=_days_text(defaults.work_days),
                work_start=defaults.work_start,
                work_end=defaults.work_end,
                away_until=None,
                is_admin=False,
            )
            if name:
                statement = insert.on_conflict_do_update(
                    index_elements=["workspace_id", "user_id"],
                    set_={"display_name": insert.excluded.display_name, "name_key": insert.excluded.name_key},
                    where=_members.c.display_name != insert.excluded.display_name,
                )
            else:
                # A missing name never overwrites a known one.
                statement = insert.on_conflict_do_nothing(index_elements=["workspace_id", "user_id"])
            await conn.execute(statement)
            member = await self._load_member(conn, _members.c.workspace_id == ws_id, _members.c.user_id == user_id)
        assert member is not None  # inserted or already there, inside this transaction
        return member

    async def update_member(self, member_id: int, changes: MemberChanges) -> Member:
        """Apply a member's own changes to their settings."""
        values: dict[str, Any] = {}
        if changes.timezone is not None:
            values["timezone"] = changes.timezone
        if changes.locale is not None:
            values["locale"] = changes.locale
        if changes.work_days is not None:
            values["work_days"] = _days_text(changes.work_days)
        if changes.work_start is not None:
            values["work_start"] = changes.work_start
        if changes.work_end is not None:
            values["work_end"] = changes.work_end
        if changes.clear_away:
            values["away_until"] = None
        elif changes.away_until is not None:
            values["away_until"] = changes.away_until
        if changes.clear_country:
            values["country"] = None
        elif changes.country is not None:
            values["country"] = changes.country
        async with self._begin() as conn:
            if values:
                await conn.execute(update(_members).where(_members.c.id == member_id).values(**values))
            member = await self._load_member(conn, _members.c.id == member_id)
        if member is None:
            raise LookupError(f"member {member_id} does not exist")
        return member

    async def find_members(self, platform: str, workspace_id: str, who: str) -> list[Member]:
        """Members whose display name (case-insensitively) or user id is `who`."""
        statement = (
            select(*_MEMBER)
            .select_from(_MEMBER_FROM)
            .where(
                _member_ws.c.platform == platform,
                _member_ws.c.external_id == workspace_id,
                or_(_members.c.name_key == who.casefold(), _members.c.user_id == who),
            )
            .order_by(_members.c.id)
        )
        async with self._begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [_member(row) for row in rows]

    async def find_members_anywhere(self, who: str, workspace_id: str | None = None) -> list[Member]:
        """Members of any platform and workspace (or of `workspace_id`) whose name or user id is `who`, for an
        operator's command line, which has no workspace of its own."""
        statement = select(*_MEMBER).select_from(_MEMBER_FROM).where(
            or_(_members.c.name_key == who.casefold(), _members.c.user_id == who), _members.c.user_id != "")
        if workspace_id is not None:
            statement = statement.where(_member_ws.c.external_id == workspace_id)
        async with self._begin() as conn:
            rows = (await conn.execute(statement.order_by(_members.c.id))).all()
        return [_member(row) for row in rows]

    async def workspace_admins(self) -> list[Member]:
        """Every member who is a workspace admin in Ritme, in every workspace."""
        statement = select(*_MEMBER).select_from(_MEMBER_FROM).where(_members.c.is_admin.is_(True))
        async with self._begin() as conn:
            rows = (await conn.execute(statement.order_by(_member_ws.c.platform, _member_ws.c.external_id,
                                                          _members.c.name_key))).all()
        return [_member(row) for row in rows]

    async def set_workspace_admin(self, member_id: int, admin: bool) -> None:
        """Make a member a workspace admin in Ritme, or no longer one."""
        async with self._begin() as conn:
            await conn.execute(update(_members).where(_members.c.id == member_id).values(is_admin=admin))

    async def find_team(self, platform: str, workspace_id: str, channel_id: str) -> Team | None:
        """The team for a channel, if Ritme knows it."""
        statement = (
            select(*_TEAM)
            .select_from(_TEAM_FROM)
            .where(
                _team_ws.c.platform == platform,
                _team_ws.c.external_id == workspace_id,
                _teams.c.channel_id == channel_id,
            )
        )
        async with self._begin() as conn:
            row = (await conn.execute(statement)).first()
        return None if row is None else _team(row)

    async def upsert_team(self, platform: str, workspace_id: str, channel_id: str, name: str) -> Team:
        """The team for a channel, created when new."""
        name = name.strip()
        async with self._begin() as conn:
            ws_id = await self._workspace_id(conn, platform, workspace_id)
            insert = self._insert(_teams).values(workspace_id=ws_id, channel_id=channel_id, name=name or channel_id)
            if name:
                # Channels get renamed; keep the latest name, as for members.
                statement = insert.on_conflict_do_update(
                    index_elements=["workspace_id", "channel_id"],
                    set_={"name": insert.excluded.name},
                    where=_teams.c.name != insert.excluded.name,
                )
            else:
                statement = insert.on_conflict_do_nothing(index_elements=["workspace_id", "channel_id"])
            await conn.execute(statement)
            row = (
                await conn.execute(
                    select(*_TEAM)
                    .select_from(_TEAM_FROM)
                    .where(_teams.c.workspace_id == ws_id, _teams.c.channel_id == channel_id)
                )
            ).one()
        return _team(row)

    async def join_team(self, team_id: int, member_id: int) -> None:
        """Make the member a participant of the team (no-op when they are, so a manager stays a manager)."""
        async with self._begin() as conn:
            await conn.execute(
                self._insert(_team_members)
                .values(team_id=team_id, member_id=member_id, role=Role.MEMBER.value)
                .on_conflict_do_nothing(index_elements=["team_id", "member_id"])
            )

    async def role(self, team_id: int, member_id: int) -> Role | None:
        """The member's role in the team, None when not in it."""
        async with self._begin() as conn:
            value = (
                await conn.execute(
                    select(_team_members.c.role).where(
                        _team_members.c.team_id == team_id, _team_members.c.member_id == member_id
                    )
                )
            ).scalar_one_or_none()
        return None if value is None else Role(value)

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Give the member a role in the team, joining them to it when needed."""
        insert = self._insert(_team_members).values(team_id=team_id, member_id=member_id, role=Role(role).value)
        async with self._begin() as conn:
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["team_id", "member_id"], set_={"role": insert.excluded.role}
                )
            )

    async def managers(self, team_id: int) -> list[Member]:
        """The team's managers, by display name."""
        return await self._people(team_id, _team_members.c.role == Role.MANAGER.value)

    async def team_members(self, team_id: int) -> list[Member]:
        """Everyone in the team, managers included, by display name."""
        return await self._people(team_id)

    async def _people(self, team_id: int, *where: ColumnElement[bool]) -> list[Member]:
        statement = (
            select(*_MEMBER)
            .select_from(_MEMBER_FROM.join(_team_members, _team_members.c.member_id == _members.c.id))
            .where(_team_members.c.team_id == team_id, *where)
        )
        async with self._begin() as conn:
            rows = (await conn.execute(statement)).all()
        return sorted((_member(row) for row in rows), key=_by_name)

    async def other_team_names(self, member_ids: Collection[int], team_id: int) -> dict[int, str]:
        """For each member, the name of the first team (by name) they belong to besides `team_id`, if any."""
        if not member_ids:
            return {}
        statement = (
            select(_team_members.c.member_id, _teams.c.name, _teams.c.id)
            .select_from(_teams.join(_team_members, _team_members.c.team_id == _teams.c.id))
            .where(_team_members.c.member_id.in_(list(member_ids)), _teams.c.id != team_id)
        )
        async with self._begin() as conn:
            rows = (await conn.execute(statement)).all()
        first: dict[int, tuple[str, int]] = {}
        for member_id, name, other_id in rows:
            # Compared in Python, as names are elsewhere, so both databases pick the same team.
            key = (name.casefold(), other_id)
            if member_id not in first or key < (first[member_id][0].casefold(), first[member_id][1]):
                first[member_id] = (name, other_id)
        return {member_id: name for member_id, (name, _) in first.items()}

    async def memberships(self, member_id: int) -> list[Membership]:
        """Every team the member belongs to, by name, with their role and the team's rituals, in two queries."""
        teams = (
            select(*_TEAM, _team_members.c.role)
            .select_from(_TEAM_FROM.join(_team_members, _team_members.c.team_id == _teams.c.id))
            .where(_team_members.c.member_id == member_id)
        )
        mine = select(_team_members.c.team_id).where(_team_members.c.member_id == member_id)
        rituals = (
            select(*_RITUAL)
            .where(_rituals.c.team_id.in_(mine), _rituals.c.deleted_at.is_(None))
            .order_by(_rituals.c.created_at, _rituals.c.id)
        )
        async with self._begin() as conn:
            team_rows = (await conn.execute(teams)).all()
            ritual_rows = (await conn.execute(rituals)).all() if team_rows else []
        by_team: dict[int, list[Ritual]] = {}
        for row in ritual_rows:
            ritual = _ritual(row)
            by_team.setdefault(ritual.team_id, []).append(ritual)
        found = [
            Membership(team=_team(row), role=Role(row[_TN]), rituals=tuple(by_team.get(row[0], ())))
            for row in team_rows
        ]
        # Sorted in Python, as names are, so both databases agree.
        return sorted(found, key=lambda membership: (membership.team.name.casefold(), membership.team.id))

    # Rituals

    async def add_ritual(self, ritual: NewRitual) -> Ritual:
        """Store a new ritual."""
        values = {
            "team_id": ritual.team_id,
            "kind": RitualKind(ritual.kind).value,
            "at": ritual.at,
            "days": _days_text(ritual.days),
            "timezone": ritual.timezone,
            "locale": ritual.locale,
            "paused": False,
            "settings": ritual.settings,
            "created_by": ritual.created_by,
            "created_at": self._clock.now(),
        }
        async with self._begin() as conn:
            ritual_id = (
                await conn.execute(self._insert(_rituals).values(**values).returning(_rituals.c.id))
            ).scalar_one()
            row = (await conn.execute(select(*_RITUAL).where(_rituals.c.id == ritual_id))).one()
        return _ritual(row)

    async def rituals(self, team_id: int) -> list[Ritual]:
        """The team's rituals that are not deleted, oldest first."""
        statement = (
            select(*_RITUAL)
            .where(_rituals.c.team_id == team_id, _rituals.c.deleted_at.is_(None))
            .order_by(_rituals.c.created_at, _rituals.c.id)
        )
        async with self._begin() as conn:
            rows = (await conn.execute(statement)).all()
        return [_ritual(row) for row in rows]

    async def set_paused(self, ritual_id: int, paused: bool) -> None:
        """Pause or resume a ritual; pausing drops its prompts that were not sent yet."""
        async with self._begin() as conn:
            result = await conn.execute(update(_rituals).where(_rituals.c.id == ritual_id).values(paused=paused))
            if result.rowcount == 0:
                raise LookupError(f"ritual {ritual_id} does not exist")
            if paused:
                await conn.execute(self._delete_pending(_deliveries.c.ritual_id == ritual_id))

    async def delete_ritual(self, ritual_id: int) -> None:
        """Delete a ritual and its unsent prompts; answers given stay."""
        async with self._begin() as conn:
            result = await conn.execute(
                update(_rituals)
                .where(_rituals.c.id == ritual_id, _rituals.c.deleted_at.is_(None))
                .values(deleted_at=self._clock.now())
            )
            if result.rowcount == 0 and await self._ritual_missing(conn, ritual_id):
                raise LookupError(f"ritual {ritual_id} does not exist")
            await conn.execute(self._delete_pending(_deliveries.c.ritual_id == ritual_id))

    async def update_ritual(
        self, ritual_id: int, *, at: time, days: tuple[int, ...], settings: RitualSettings
    ) -> Ritual:
        """Change a ritual's time, days and settings; its unsent prompts go, and so do its planned days nobody was
        asked on yet (a day with a sent prompt keeps its deadline, which those members were told)."""
        async with self._begin() as conn:
            current = (
                await conn.execute(select(_rituals.c.kind).where(_rituals.c.id == ritual_id,
                                                                 _rituals.c.deleted_at.is_(None)))
            ).scalar_one_or_none()
            if current is None:
                raise LookupError(f"ritual {ritual_id} does not exist")
            if current != settings.kind:
                raise ValueError(f"ritual {ritual_id} is a {current}, not a {settings.kind}")
            await conn.execute(
                update(_rituals).where(_rituals.c.id == ritual_id).values(at=at, days=_days_text(days),
                                                                          settings=settings)
            )
            await conn.execute(self._delete_pending(_deliveries.c.ritual_id == ritual_id))
            asked = exists().where(_deliveries.c.occurrence_id == _occurrences.c.id)
            await conn.execute(
                sql_delete(_occurrences).where(
                    _occurrences.c.ritual_id == ritual_id, _occurrences.c.digest_posted_at.is_(None), ~asked
                )
            )
            row = (await conn.execute(select(*_RITUAL).where(_rituals.c.id == ritual_id))).one()
        return _ritual(row)

    @staticmethod
    async def _ritual_missing(conn: AsyncConnection, ritual_id: int) -> bool:
        found = await conn.execute(select(_rituals.c.id).where(_rituals.c.id == ritual_id))
        return found.first() is None

    @staticmethod
    def _delete_pending(*where: Any) -> Any:
        return sql_delete(_deliveries).where(_deliveries.c.status == DeliveryStatus.PENDING.value, *where)

    async def planning_view(
        self, *, ritual_id: int | None = None, member_id: int | None = None, after_id: int = 0,
        limit: int | None = None,
    ) -> list[tuple[Ritual, list[Member]]]:
        """Running rituals with the members of their team, in two queries.

        All of them by default; with `ritual_id` only that ritual (if it runs); with `member_id` only the rituals
        of that member's teams, each listing just that member. Both narrow together. By ritual id, the first
        `limit` after `after_id`: a page, so a large organisation is planned a part at a time.
        """
        running: list[ColumnElement[bool]] = [*_running(_rituals), _rituals.c.id > after_id]
        if ritual_id is not None:
            running.append(_rituals.c.id == ritual_id)
        if member_id is not None:
            mine = select(_team_members.c.team_id).where(_team_members.c.member_id == member_id)
            running.append(_rituals.c.team_id.in_(mine))
        page = select(_rituals.c.id, _rituals.c.team_id).where(*running).order_by(_rituals.c.id).limit(limit)
        people: list[ColumnElement[bool]] = [
            # A subquery rather than an IN list of ids: no parameter limit however many teams there are.
            _team_members.c.team_id.in_(select(page.subquery().c.team_id))
        ]
        if member_id is not None:
            people.append(_team_members.c.member_id == member_id)
        members_of_running_teams = (
            select(_team_members.c.team_id, *_MEMBER)
            .select_from(_MEMBER_FROM.join(_team_members, _team_members.c.member_id == _members.c.id))
            .where(*people)
            .order_by(_team_members.c.team_id, _members.c.id)
        )
        async with self._begin() as conn:
            ritual_rows = (
                await conn.execute(select(*_RITUAL).where(*running).order_by(_rituals.c.id).limit(limit))
            ).all()
            member_rows = (await conn.execute(members_of_running_teams)).all() if ritual_rows else []
        by_team: dict[int, list[Member]] = {}
        for row in member_rows:
            by_team.setdefault(row[0], []).append(_member(row, 1))
        view = []
        for row in ritual_rows:
            ritual = _ritual(row)
            view.append((ritual, list(by_team.get(ritual.team_id, ()))))
        return view

    # Planning

    async def plan(self, occurrences: Sequence[PlannedOccurrence]) -> int:
        """Insert occurrences and deliveries that do not exist yet; returns how many deliveries were new."""
        if not occurrences:
            return 0
        occurrence_rows: list[dict[str, Any]] = [
            {"ritual_id": o.ritual_id, "local_date": o.local_date, "digest_due_at": o.digest_due_at}
            for o in occurrences
        ]
        new = 0
        async with self._begin() as conn:
            insert_occurrences = self._insert(_occurrences).on_conflict_do_nothing(
                index_elements=["ritual_id", "local_date"]
            )
            for chunk in _chunks(occurrence_rows, INSERT_CHUNK):
                await conn.execute(insert_occurrences, list(chunk))
            ids = await self._occurrence_ids(conn, occurrences)
            delivery_rows: list[dict[str, Any]] = [
                {
                    "occurrence_id": ids[(o.ritual_id, o.local_date)],
                    "ritual_id": o.ritual_id,
                    "member_id": d.member_id,
                    "local_date": o.local_date,
                    "due_at": d.due_at,
                    "status": DeliveryStatus.PENDING.value,
                    # Known only once the prompt is sent: finish_prompts sets it.
                    "remind_at": None,
                }
                for o in occurrences
                for d in o.deliveries
            ]
            insert_deliveries = (
                self._insert(_deliveries)
                # The once-per-member-per-local-date key: a second plan of the same day adds nothing.
                .on_conflict_do_nothing(index_elements=["ritual_id", "member_id", "local_date"])
                # RETURNING counts the new rows on both drivers (asyncpg has no executemany rowcount).
                .returning(_deliveries.c.id)
            )
            for chunk in _chunks(delivery_rows, INSERT_CHUNK):
                new += len((await conn.execute(insert_deliveries, list(chunk))).all())
        return new

    @staticmethod
    async def _occurrence_ids(
        conn: AsyncConnection, occurrences: Sequence[PlannedOccurrence]
    ) -> dict[tuple[int, date], int]:
        wanted = {(o.ritual_id, o.local_date) for o in occurrences}
        dates = sorted({o.local_date for o in occurrences})
        ritual_ids = sorted({o.ritual_id for o in occurrences})
        ids: dict[tuple[int, date], int] = {}
        for chunk in _chunks(ritual_ids, max(1, IN_CHUNK - len(dates))):
            rows = await conn.execute(
                select(_occurrences.c.id, _occurrences.c.ritual_id, _occurrences.c.local_date).where(
                    _occurrences.c.ritual_id.in_(chunk), _occurrences.c.local_date.in_(dates)
                )
            )
            for occurrence_id, ritual_id, local_date in rows:
                if (ritual_id, local_date) in wanted:
                    ids[(ritual_id, local_date)] = occurrence_id
        return ids

    async def replan_member(self, member_id: int) -> None:
        """Forget a member's unsent prompts after their time or hours changed; the planner redoes them."""
        async with self._begin() as conn:
            await conn.execute(self._delete_pending(_deliveries.c.member_id == member_id))

    async def bring_forward(
        self, occurrence_id: int, member_ids: Sequence[int], due_at: datetime, digest_due_at: datetime
    ) -> int:
        """Make the members' pending prompts of an occurrence due at `due_at` (a manager's run-now); how many."""
        moved = 0
        async with self._begin() as conn:
            await conn.execute(
                update(_occurrences)
                .where(_occurrences.c.id == occurrence_id, _occurrences.c.digest_posted_at.is_(None))
                .values(digest_due_at=digest_due_at)
            )
            for chunk in _chunks(sorted(set(member_ids)), IN_CHUNK):
                result = await conn.execute(
                    update(_deliveries)
                    .where(
                        _deliveries.c.occurrence_id == occurrence_id,
                        _deliveries.c.member_id.in_(chunk),
                        _deliveries.c.status == DeliveryStatus.PENDING.value,
                    )
                    .values(due_at=due_at)
                )
                moved += result.rowcount
        return moved

    async def occurrence(self, ritual_id: int, local_date: date) -> Occurrence | None:
        """The ritual's occurrence on a team-local date."""
        statement = select(*_OCCURRENCE).where(
            _occurrences.c.ritual_id == ritual_id, _occurrences.c.local_date == local_date
        )
        async with self._begin() as conn:
            row = (await conn.execute(statement)).first()
        return None if row is None else _occurrence(row)

    # Prompts and reminders

    async def claim_due_prompts(self, now: datetime, grace: timedelta, lease: timedelta, limit: int) -> list[DuePrompt]:
        """Claim prompts due by `now` for `lease`, oldest first, so no other worker sends them meanwhile.

        Pending prompts (and claimed ones whose lease ran out) are returned at most `limit` at a time, with status
        CLAIMED. Those due longer ago than `grace`, or whose occurrence's digest is due or posted, are marked
        missed instead. Concurrent claimers get disjoint rows: PostgreSQL skips rows another claim has locked,
        SQLite runs one writer at a time.
        """
        claimed = DeliveryStatus.CLAIMED.value
        until = now + lease
        ids = _due_prompt_ids(now, grace, limit)
        async with self._begin() as conn:
            await conn.execute(
                update(_deliveries)
                .where(_deliveries.c.id.in_(_stale_prompts(now, grace)))
                .values(status=DeliveryStatus.MISSED.value, lease_until=None)
            )
            if self._postgres:
                rows = (await conn.execute(_claim_returning(ids, until))).all()
                mapper = _PromptMapper()
            else:
                # No writer can come between these two statements (BEGIN IMMEDIATE), and `ids` is ordered by a
                # unique key, so both pick the same rows: read them joined, then claim exactly those.
                rows = (await conn.execute(_prompts_of(ids, _deliveries.c.due_at, _deliveries.c.id))).all()
                if rows:
                    await conn.execute(
                        update(_deliveries).where(_deliveries.c.id.in_(ids)).values(status=claimed, lease_until=until)
                    )
                mapper = _PromptMapper(DeliveryStatus.CLAIMED)
        return [mapper(row) for row in rows]

    async def finish_prompts(self, sent: Sequence[SentPrompt], skipped: Sequence[int], now: datetime) -> None:
        """Record which claimed prompts were delivered (with their reminder time) and which were skipped.

        A prompt marked missed after its lease ran out is still recorded as sent when it was: the member got it.
        """
        sent_now = {"status": DeliveryStatus.SENT.value, "sent_at": now, "lease_until": None}
        # A batch's prompts mostly share a few reminder times (due time + the ritual's delay): one IN-list UPDATE
        # per shared time, and one executemany for the prompts whose time is their own.
        by_remind_at: dict[datetime | None, list[int]] = {}
        for prompt in sent:
            by_remind_at.setdefault(prompt.remind_at, []).append(prompt.delivery_id)
        alone = [{"b_id": ids[0], "b_remind_at": at} for at, ids in by_remind_at.items() if len(ids) == 1]
        # Idempotent (only claimed or missed rows change), so a lost connection is simply tried again: these
        # prompts went out, and until this is written another replica could take them over after the lease.
        await retrying(lambda: self._finish(by_remind_at, alone, skipped, sent_now), "recording sent prompts")

    async def _finish(
        self,
        by_remind_at: dict[datetime | None, list[int]],
        alone: list[dict[str, Any]],
        skipped: Sequence[int],
        sent_now: dict[str, Any],
    ) -> None:
        claimed = DeliveryStatus.CLAIMED.value
        finishable = or_(_deliveries.c.status == claimed, _deliveries.c.status == DeliveryStatus.MISSED.value)
        async with self._begin() as conn:
            for remind_at, ids in by_remind_at.items():
                if len(ids) == 1:
                    continue
                for chunk in _chunks(ids, IN_CHUNK):
                    await conn.execute(
                        update(_deliveries)
                        .where(_deliveries.c.id.in_(chunk), finishable)
                        .values(remind_at=remind_at, **sent_now)
                    )
            if alone:
                await conn.execute(
                    update(_deliveries)
                    # An executemany takes no IN (...) list, hence the ORs in `finishable`.
                    .where(_deliveries.c.id == bindparam("b_id"), finishable)
                    .values(remind_at=bindparam("b_remind_at", type_=_deliveries.c.remind_at.type), **sent_now),
                    alone,
                )
            for chunk in _chunks(list(skipped), IN_CHUNK):
                await conn.execute(
                    update(_deliveries)
                    .where(_deliveries.c.id.in_(chunk), _deliveries.c.status == claimed)
                    .values(status=DeliveryStatus.SKIPPED.value, lease_until=None)
                )

    async def release_prompts(self, delivery_ids: Sequence[int], at: datetime) -> None:
        """Hand claimed prompts that were not sent back, to be claimed again (by any replica) from `at` on."""
        if not delivery_ids:
            return

        async def release() -> None:
            async with self._begin() as conn:
                for chunk in _chunks(list(delivery_ids), IN_CHUNK):
                    # Still claimed, with the lease cut to `at`: the due time (and so the grace) stays the prompt's own.
                    await conn.execute(
                        update(_deliveries)
                        .where(_deliveries.c.id.in_(chunk), _deliveries.c.status == DeliveryStatus.CLAIMED.value)
                        .values(lease_until=at)
                    )

        await retrying(release, "handing unsent prompts back")

    async def defer_prompts(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Put claimed prompts back as pending, each due at its new time (the member's next working window)."""
        if not deferred:
            return
        async with self._begin() as conn:
            await conn.execute(
                update(_deliveries)
                .where(_deliveries.c.id == bindparam("b_id"), _deliveries.c.status == DeliveryStatus.CLAIMED.value)
                .values(status=DeliveryStatus.PENDING.value, lease_until=None,
                        due_at=bindparam("b_due_at", type_=_deliveries.c.due_at.type)),
                [{"b_id": delivery_id, "b_due_at": due_at} for delivery_id, due_at in deferred],
            )

    async def defer_reminders(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Move reminders not sent yet to a later time each (the member's next working window)."""
        if not deferred:
            return
        async with self._begin() as conn:
            await conn.execute(
                update(_deliveries)
                .where(_deliveries.c.id == bindparam("b_id"), _deliveries.c.reminded_at.is_(None))
                .values(remind_at=bindparam("b_remind_at", type_=_deliveries.c.remind_at.type)),
                [{"b_id": delivery_id, "b_remind_at": remind_at} for delivery_id, remind_at in deferred],
            )

    async def due_reminders(self, now: datetime, limit: int) -> list[DuePrompt]:
        """Sent, unanswered prompts whose reminder time has come, of occurrences whose digest is not out."""
        statement = _due_reminders(now, limit)
        async with self._begin() as conn:
            rows = (await conn.execute(statement)).all()
        mapper = _PromptMapper()
        return [mapper(row) for row in rows]

    async def open_prompts(self, platform: str) -> list[DuePrompt]:
        """Prompts sent on a platform whose digest is not out yet, oldest first."""
        async with self._begin() as conn:
            rows = (await conn.execute(_open_prompts(platform))).all()
        mapper = _PromptMapper()
        return [mapper(row) for row in rows]

    async def mark_reminded(self, delivery_ids: Sequence[int], now: datetime) -> set[int]:
        """Claim the prompts' reminders, so each prompt gets at most one; the ids this call claimed (another
        worker may have claimed the others a moment before)."""
        claimed: set[int] = set()
        async with self._begin() as conn:
            for chunk in _chunks(list(delivery_ids), IN_CHUNK):
                marked = await conn.execute(
                    update(_deliveries)
                    .where(_deliveries.c.id.in_(chunk), _deliveries.c.reminded_at.is_(None))
                    .values(reminded_at=now)
                    .returning(_deliveries.c.id)
                )
                claimed.update(marked.scalars())
        return claimed

    # Digests and answers

    async def due_digests(self, now: datetime) -> list[int]:
        """Ids of occurrences whose digest is due and not posted; paused rituals still get theirs."""
        statement = (
            select(_occurrences.c.id)
            .join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
            .where(
                _occurrences.c.digest_due_at <= now,
                _occurrences.c.digest_posted_at.is_(None),
                _rituals.c.deleted_at.is_(None),
            )
            .order_by(_occurrences.c.digest_due_at, _occurrences.c.id)
        )
        async with self._begin() as conn:
            return list((await conn.execute(statement)).scalars())

    async def digest_context(self, occurrence_id: int) -> DigestContext:
        """An occurrence with its ritual, team and every prompted member's answer, by display name."""
        async with self._begin() as conn:
            return await self._digest_context(conn, occurrence_id)

    @staticmethod
    async def _digest_context(conn: AsyncConnection, occurrence_id: int) -> DigestContext:
        head = (
            select(*_OCCURRENCE, *_RITUAL, *_TEAM)
            .select_from(
                _occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id).join(
                    _TEAM_FROM, _teams.c.id == _rituals.c.team_id
                )
            )
            .where(_occurrences.c.id == occurrence_id)
        )
        entries = (
            select(*_MEMBER, *_ANSWER)
            .select_from(
                _deliveries.join(_MEMBER_FROM, _members.c.id == _deliveries.c.member_id).outerjoin(
                    _answers, _answers.c.delivery_id == _deliveries.c.id
                )
            )
            .where(_deliveries.c.occurrence_id == occurrence_id, _deliveries.c.status == DeliveryStatus.SENT.value)
        )
        head_row = (await conn.execute(head)).first()
        if head_row is None:
            raise LookupError(f"occurrence {occurrence_id} does not exist")
        entry_rows = (await conn.execute(entries)).all()
        found = [DigestEntry(member=_member(row), answer=_answer(row, _M)) for row in entry_rows]
        found.sort(key=lambda entry: _by_name(entry.member))
        return DigestContext(
            occurrence=_occurrence(head_row),
            ritual=_ritual(head_row, _O),
            team=_team(head_row, _O + _R),
            entries=tuple(found),
        )

    async def claim_digest(self, occurrence_id: int, now: datetime) -> DigestContext | None:
        """Mark the digest posted and read it in one transaction; None when someone else already did.

        The UPDATE holds the occurrence row until commit, so an on-time save_answer (which share-locks that row
        first) either commits before the entries are read here, or waits and then sees the digest posted.
        """
        async with self._begin() as conn:
            result = await conn.execute(
                update(_occurrences)
                .where(_occurrences.c.id == occurrence_id, _occurrences.c.digest_posted_at.is_(None))
                .values(digest_posted_at=now)
            )
            if result.rowcount != 1:
                found = await conn.execute(select(_occurrences.c.id).where(_occurrences.c.id == occurrence_id))
                if found.first() is None:
                    raise LookupError(f"occurrence {occurrence_id} does not exist")
                return None
            return await self._digest_context(conn, occurrence_id)

    async def answer_context(self, delivery_id: int) -> AnswerContext | None:
        """A delivery with what is needed to take an answer to it, None when there is no such delivery."""
        statement = (
            select(*_DELIVERY, *_OCCURRENCE, *_RITUAL, *_TEAM, *_MEMBER, *_ANSWER)
            .select_from(
                _deliveries.join(_occurrences, _occurrences.c.id == _deliveries.c.occurrence_id)
                .join(_rituals, _rituals.c.id == _deliveries.c.ritual_id)
                .join(_TEAM_FROM, _teams.c.id == _rituals.c.team_id)
                .join(_MEMBER_FROM, _members.c.id == _deliveries.c.member_id)
                .outerjoin(_answers, _answers.c.delivery_id == _deliveries.c.id)
            )
            .where(_deliveries.c.id == delivery_id)
        )
        async with self._begin() as conn:
            row = (await conn.execute(statement)).first()
        if row is None:
            return None
        at = _D
        occurrence = _occurrence(row, at)
        at += _O
        ritual = _ritual(row, at)
        at += _R
        team = _team(row, at)
        at += _TN
        member = _member(row, at)
        at += _M
        return AnswerContext(
            delivery=_delivery(row),
            occurrence=occurrence,
            ritual=ritual,
            team=team,
            member=member,
            previous=_answer(row, at),
        )

    async def save_answer(self, answer: Answer) -> bool:
        """Store or replace the answer to a delivery; False (nothing saved) for an on-time one after the digest.

        An on-time answer (late=False) is checked against its occurrence's digest in the same transaction. On
        PostgreSQL that check share-locks the occurrence row: answers do not wait for each other, but claim_digest's
        UPDATE waits for them (and they for it), so no answer slips in between the digest's claim and its read.
        On SQLite BEGIN IMMEDIATE serialises the two already.
        """
        insert = self._insert(_answers).values(
            delivery_id=answer.delivery_id,
            member_id=answer.member_id,
            values=list(answer.values),
            submitted_at=answer.submitted_at,
            late=answer.late,
        )
        statement = insert.on_conflict_do_update(
            index_elements=["delivery_id"],
            set_={
                "member_id": insert.excluded.member_id,
                "values": insert.excluded["values"],
                "submitted_at": insert.excluded.submitted_at,
                "late": insert.excluded.late,
            },
        )
        async with self._begin() as conn:
            if not answer.late:
                digest = (
                    await conn.execute(
                        select(_occurrences.c.digest_posted_at)
                        .select_from(_deliveries.join(_occurrences, _occurrences.c.id == _deliveries.c.occurrence_id))
                        .where(_deliveries.c.id == answer.delivery_id)
                        .with_for_update(read=True, of=_occurrences)
                    )
                ).first()
                if digest is None:
                    raise LookupError(f"delivery {answer.delivery_id} does not exist")
                if digest.digest_posted_at is not None:
                    return False
            await conn.execute(statement)
        return True


def _conforms(store: SqlStore) -> Store:
    # mypy fails here when SqlStore drifts from the Store protocol the engine is written against.
    return store
