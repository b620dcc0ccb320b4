"""SqlMemberData: everything Ritme stores about one member, exported as plain data or erased (rituals/member_data.py).

Rows that name a member do so in two ways: by their integer id (a foreign key to members.id) or by their platform
user id string (tables the adapters keep per platform: posted messages, failure records, Slack tokens, Teams
conversation references, the inbound ledger). Both are covered here. A table added later with a foreign key to
members.id that this module does not know is still covered: its rows are exported (without columns that look like
secrets) and erased (deleted, or the column set to NULL where it may be), so a new table cannot silently keep
someone's data.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Column, ColumnElement, String, Table, delete, func, insert, or_, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.member_data import ERASED, MemberDataStore
from rituals.model import StandupSettings
from rituals.retention import delivery_keys
from storage.models import (
    AnswerRow,
    AuditEntryRow,
    Base,
    BorrelOccurrenceRow,
    BorrelRsvpRow,
    CoffeeGroupMemberRow,
    CoffeeGroupRow,
    CoffeeParticipantRow,
    CoffeeRoundRow,
    DeliveryFailureRow,
    DeliveryRow,
    HeldMessageRow,
    InboundEventRow,
    MemberMessageCountRow,
    MemberRow,
    OccurrenceRow,
    PostedMessageRow,
    PulseCommentRow,
    PulseResponderRow,
    RitualRow,
    SlackInstallationRow,
    SlackUserTokenRow,
    TeamMemberRow,
    TeamRow,
    TeamsConversationRow,
    WorkspaceRow,
)


def _t(row: type) -> Table:
    return cast(Table, row.__table__)  # type: ignore[attr-defined]


_members = _t(MemberRow)
_workspaces = _t(WorkspaceRow)
_teams = _t(TeamRow)
_team_members = _t(TeamMemberRow)
_rituals = _t(RitualRow)
_occurrences = _t(OccurrenceRow)
_deliveries = _t(DeliveryRow)
_answers = _t(AnswerRow)
_responders = _t(PulseResponderRow)
_comments = _t(PulseCommentRow)
_borrels = _t(BorrelOccurrenceRow)
_rsvps = _t(BorrelRsvpRow)
_participants = _t(CoffeeParticipantRow)
_rounds = _t(CoffeeRoundRow)
_groups = _t(CoffeeGroupRow)
_group_members = _t(CoffeeGroupMemberRow)
_counts = _t(MemberMessageCountRow)
_audit = _t(AuditEntryRow)
_inbound = _t(InboundEventRow)
_posted = _t(PostedMessageRow)
_failures = _t(DeliveryFailureRow)
_held = _t(HeldMessageRow)
_installations = _t(SlackInstallationRow)
_user_tokens = _t(SlackUserTokenRow)
_conversations = _t(TeamsConversationRow)

# Every column that holds a member's integer id which this module handles by name; the rest are found generically.
KNOWN_MEMBER_COLUMNS = frozenset({
    ("team_members", "member_id"),
    ("rituals", "created_by"),
    ("deliveries", "member_id"),
    ("answers", "member_id"),
    ("pulse_responders", "member_id"),
    ("borrel_rsvps", "member_id"),
    ("coffee_participants", "member_id"),
    ("coffee_group_members", "member_id"),
    ("member_message_counts", "member_id"),
    ("audit_log", "actor_member_id"),
})
# Columns of an unknown table left out of an export: a session's token or a hash of it is a key, not data.
_SECRET = re.compile(r"token|secret|hash|password|csrf|nonce", re.IGNORECASE)


def member_columns() -> list[Column[Any]]:
    """Every column of the schema that refers to members.id."""
    found: list[Column[Any]] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "members" and fk.column.name == "id" for fk in column.foreign_keys):
                found.append(column)
    return found


def _plain(value: Any) -> Any:
    """A stored value as JSON: instants and dates in ISO 8601, wall-clock times as HH:MM."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _whole(word: str) -> re.Pattern[str]:
    """`word` where it stands on its own, not inside a longer word or id (case-sensitive for ids)."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


class SqlMemberData:
    """The MemberDataStore on SQL (SQLite and PostgreSQL); an export and an erase each read or write in one
    transaction, so neither sees (or leaves) half of a member."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine

    async def export(self, member_id: int) -> dict[str, Any] | None:
        """Everything stored about the member, as JSON-ready data; None for an unknown member.

        Nothing about anyone else: coffee groups say how many others were in them, not who (the member's intro
        message told them; a partner's name in their export would be the partner's data). Audit entries keep the
        command as the member typed it, their own words.
        """
        async with self._engine.connect() as conn:
            profile = await self._profile(conn, member_id)
            if profile is None:
                return None
            platform, workspace, user_id = profile["platform"], profile["workspace_id"], profile["user_id"]
            return {
                "profile": profile,
                "memberships": await self._memberships(conn, member_id),
                "rituals_set_up": await self._rituals_set_up(conn, member_id),
                "standup_answers": await self._answers(conn, member_id),
                "deliveries": await self._delivery_records(conn, member_id),
                "pulse_rounds_responded": await self._responded(conn, member_id),
                "borrel_rsvps": await self._rsvp_list(conn, member_id),
                "coffee": await self._coffee(conn, member_id),
                "message_counts": [
                    {"date": _plain(row.local_date), "count": row._mapping["count"]}
                    for row in await conn.execute(
                        select(_counts).where(_counts.c.member_id == member_id).order_by(_counts.c.local_date))
                ],
                "audit_entries": await self._audit_entries(conn, member_id),
                "slack_user_grant": await self._slack_grant(conn, platform, workspace, user_id),
                "slack_installs": [
                    {"workspace_name": row.team_name or row.enterprise_name, "installed_at": _plain(row.installed_at)}
                    for row in await conn.execute(
                        select(_installations).where(_installations.c.installer_user_id == user_id,
                                                     _slack_installation_scope(workspace)))
                ] if platform == "slack" else [],
                "teams_conversations": [
                    {"kind": row.kind, "updated_at": _plain(row.updated_at)}
                    for row in await conn.execute(select(_conversations).where(
                        _conversations.c.user_id == user_id, _conversations.c.tenant_id == workspace))
                ] if platform == "teams" else [],
                "delivery_failures": [
                    {"kind": row.kind, "key": row.key, "error": row.error, "failed_at": _plain(row.failed_at)}
                    for row in await conn.execute(select(_failures).where(
                        _failures.c.platform == platform, _failures.c.workspace_id == workspace,
                        _failures.c.recipient == user_id).order_by(_failures.c.failed_at))
                ],
                "messages_placed": await self._count(conn, _posted, _posted.c.platform == platform,
                                                     _posted.c.workspace_id == workspace,
                                                     _posted.c.recipient == user_id),
                "events_waiting": len(await self._naming_events(conn, platform, user_id)),
                "messages_held": await self._count(conn, _held, _held.c.platform == platform,
                                                   _held.c.workspace_id == workspace, _held.c.recipient == user_id),
                "other": await self._other_tables(conn, member_id),
            }

    async def _profile(self, conn: AsyncConnection, member_id: int) -> dict[str, Any] | None:
        row = (await conn.execute(
            select(_members, _workspaces.c.platform, _workspaces.c.external_id)
            .select_from(_members.join(_workspaces, _workspaces.c.id == _members.c.workspace_id))
            .where(_members.c.id == member_id)
        )).first()
        if row is None:
            return None
        return {
            "id": row.id, "platform": row.platform, "workspace_id": row.external_id, "user_id": row.user_id,
            "display_name": row.display_name, "timezone": row.timezone, "language": row.locale,
            "work_days": [int(day) for day in row.work_days.split(",") if day],
            "work_start": _plain(row.work_start), "work_end": _plain(row.work_end),
            "away_until": _plain(row.away_until), "country": row.country, "is_admin": row.is_admin,
        }

    async def _memberships(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_teams.c.id, _teams.c.name, _teams.c.channel_id, _team_members.c.role)
            .select_from(_team_members.join(_teams, _teams.c.id == _team_members.c.team_id))
            .where(_team_members.c.member_id == member_id).order_by(_teams.c.id)
        )
        return [{"team_id": r.id, "team": r.name, "channel_id": r.channel_id, "role": r.role} for r in rows]

    async def _rituals_set_up(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_rituals.c.id, _rituals.c.kind, _rituals.c.created_at, _rituals.c.deleted_at, _teams.c.name)
            .select_from(_rituals.join(_teams, _teams.c.id == _rituals.c.team_id))
            .where(_rituals.c.created_by == member_id).order_by(_rituals.c.id)
        )
        return [{"ritual_id": r.id, "kind": r.kind, "team": r.name, "created_at": _plain(r.created_at),
                 "deleted_at": _plain(r.deleted_at)} for r in rows]

    async def _answers(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_answers.c["values"], _answers.c.submitted_at, _answers.c.late, _occurrences.c.local_date,
                   _rituals.c.id, _rituals.c.settings, _teams.c.name)
            .select_from(
                _answers.join(_deliveries, _deliveries.c.id == _answers.c.delivery_id)
                .join(_occurrences, _occurrences.c.id == _deliveries.c.occurrence_id)
                .join(_rituals, _rituals.c.id == _deliveries.c.ritual_id)
                .join(_teams, _teams.c.id == _rituals.c.team_id)
            )
            .where(_answers.c.member_id == member_id)
            .order_by(_occurrences.c.local_date, _rituals.c.id)
        )
        found = []
        for r in rows:
            settings = r.settings if isinstance(r.settings, StandupSettings) else None
            found.append({
                "date": _plain(r.local_date), "team": r.name, "ritual_id": r.id,
                "template": settings.template if settings else None,
                "custom_questions": list(settings.questions) if settings else [],
                "answers": list(r._mapping["values"]), "submitted_at": _plain(r.submitted_at), "late": r.late,
            })
        return found

    async def _delivery_records(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_deliveries, _rituals.c.kind, _teams.c.name.label("team"))
            .select_from(_deliveries.join(_rituals, _rituals.c.id == _deliveries.c.ritual_id)
                         .join(_teams, _teams.c.id == _rituals.c.team_id))
            .where(_deliveries.c.member_id == member_id).order_by(_deliveries.c.due_at, _deliveries.c.id)
        )
        return [{"id": r.id, "ritual_id": r.ritual_id, "kind": r.kind, "team": r.team,
                 "date": _plain(r.local_date), "due_at": _plain(r.due_at), "status": r.status,
                 "sent_at": _plain(r.sent_at), "remind_at": _plain(r.remind_at),
                 "reminded_at": _plain(r.reminded_at)} for r in rows]

    async def _responded(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        # Only rounds still open know who responded; a closed round kept counts, not names. Never a score.
        rows = await conn.execute(
            select(_occurrences.c.ritual_id, _occurrences.c.local_date, _teams.c.name)
            .select_from(_responders.join(_occurrences, _occurrences.c.id == _responders.c.occurrence_id)
                         .join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
                         .join(_teams, _teams.c.id == _rituals.c.team_id))
            .where(_responders.c.member_id == member_id).order_by(_occurrences.c.local_date)
        )
        return [{"ritual_id": r.ritual_id, "team": r.name, "round_opened": _plain(r.local_date)} for r in rows]

    async def _rsvp_list(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_rsvps.c.answer, _rsvps.c.answered_at, _borrels.c.ritual_id, _borrels.c.local_date,
                   _borrels.c.starts_at)
            .select_from(_rsvps.join(_borrels, _borrels.c.id == _rsvps.c.occurrence_id))
            .where(_rsvps.c.member_id == member_id).order_by(_borrels.c.starts_at)
        )
        return [{"ritual_id": r.ritual_id, "date": _plain(r.local_date), "starts_at": _plain(r.starts_at),
                 "answer": r.answer, "answered_at": _plain(r.answered_at)} for r in rows]

    async def _coffee(self, conn: AsyncConnection, member_id: int) -> dict[str, Any]:
        participation = [
            {"ritual_id": r.ritual_id, "joined": r.joined, "skip_next": r.skip_next}
            for r in await conn.execute(select(_participants).where(_participants.c.member_id == member_id)
                                        .order_by(_participants.c.ritual_id))
        ]
        partners = _group_members.alias("partners")
        others = (
            select(func.count()).select_from(partners)
            .where(partners.c.group_id == _groups.c.id, partners.c.member_id != member_id)
            .correlate(_groups).scalar_subquery()
        )
        rows = await conn.execute(
            select(_groups.c.id, _groups.c.reason, _groups.c.met, _groups.c.answered_at, _groups.c.intro_sent_at,
                   _rounds.c.ritual_id, _rounds.c.local_date, others.label("others"))
            .select_from(_group_members.join(_groups, _groups.c.id == _group_members.c.group_id)
                         .join(_rounds, _rounds.c.id == _groups.c.round_id))
            .where(_group_members.c.member_id == member_id).order_by(_rounds.c.local_date)
        )
        groups = [{"ritual_id": r.ritual_id, "round_date": _plain(r.local_date), "others_in_group": r.others,
                   "unmatched_reason": r.reason or None, "introduced_at": _plain(r.intro_sent_at),
                   "met": r.met, "answered_at": _plain(r.answered_at)} for r in rows]
        return {"participation": participation, "groups": groups}

    async def _audit_entries(self, conn: AsyncConnection, member_id: int) -> list[dict[str, Any]]:
        rows = await conn.execute(
            select(_audit, _teams.c.name.label("team"))
            .select_from(_audit.join(_teams, _teams.c.id == _audit.c.team_id))
            .where(_audit.c.actor_member_id == member_id).order_by(_audit.c.at, _audit.c.id)
        )
        return [{"team": r.team, "action": r.action, "source": r.source, "detail": r.detail, "at": _plain(r.at)}
                for r in rows]

    async def _slack_grant(
        self, conn: AsyncConnection, platform: str, workspace: str, user_id: str
    ) -> dict[str, Any] | None:
        if platform != "slack":
            return None
        row = (await conn.execute(select(_user_tokens).where(_user_tokens.c.user_id == user_id, _slack_scope(workspace))
                                  .order_by(_user_tokens.c.granted_at.desc()))).first()
        if row is None:
            return None
        # That the grant exists and what it allows; the token itself is a key, never data to hand out.
        return {"scopes": row.user_scopes.split(",") if row.user_scopes else [], "granted_at": _plain(row.granted_at),
                "expires_at": _plain(row.user_token_expires_at)}

    @staticmethod
    async def _count(conn: AsyncConnection, table: Table, *where: Any) -> int:
        return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one())

    @staticmethod
    async def _naming_events(conn: AsyncConnection, platform: str, user_id: str) -> list[int]:
        """Ids of inbound ledger rows of the platform whose event id or waiting payload carries the user id."""
        found = []
        named = _whole(user_id)
        rows = await conn.execute(select(_inbound.c.id, _inbound.c.event_id, _inbound.c.payload)
                                  .where(_inbound.c.platform == platform))
        for row in rows:
            payload = json.dumps(row.payload, ensure_ascii=False) if row.payload is not None else ""
            # Whole ids only: a substring could be part of someone else's event, which must not be lost.
            if user_id in row.event_id.split(":") or named.search(row.event_id) or named.search(payload):
                found.append(row.id)
        return found

    async def _other_tables(self, conn: AsyncConnection, member_id: int) -> dict[str, list[dict[str, Any]]]:
        other: dict[str, list[dict[str, Any]]] = {}
        for column in member_columns():
            if (column.table.name, column.name) in KNOWN_MEMBER_COLUMNS:
                continue
            table = cast(Table, column.table)
            shown = [c for c in table.columns if not _SECRET.search(c.name)]
            rows = (await conn.execute(select(*shown).where(column == member_id))).all()
            if rows:
                other.setdefault(table.name, []).extend(
                    {key: _plain(value) for key, value in row._mapping.items()} for row in rows
                )
        return other

    async def erase(self, member_id: int) -> bool:
        """Remove the member and every row that names them; False for an unknown member. See
        rituals/member_data.py for what stays (anonymous pulse answers, audit entries without their actor)."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(
                select(_members.c.workspace_id, _members.c.user_id, _members.c.display_name, _workspaces.c.platform,
                       _workspaces.c.external_id)
                .select_from(_members.join(_workspaces, _workspaces.c.id == _members.c.workspace_id))
                .where(_members.c.id == member_id)
            )).first()
            if row is None or not row.user_id:
                return False  # unknown, or the placeholder for erased members, which is nobody
            platform, workspace, user_id = row.platform, row.external_id, row.user_id
            deliveries = list((await conn.execute(
                select(_deliveries.c.id).where(_deliveries.c.member_id == member_id))).scalars())
            keys = [key for delivery_id in deliveries for key in delivery_keys(delivery_id)]
            await conn.execute(delete(_answers).where(or_(_answers.c.member_id == member_id,
                                                          _answers.c.delivery_id.in_(deliveries))))
            for start in range(0, len(keys), 500):
                await conn.execute(delete(_posted).where(_posted.c.platform == platform,
                                                         _posted.c.workspace_id == workspace,
                                                         _posted.c.key.in_(keys[start:start + 500])))
            await conn.execute(delete(_deliveries).where(_deliveries.c.member_id == member_id))
            groups = list((await conn.execute(
                select(_group_members.c.group_id).where(_group_members.c.member_id == member_id))).scalars())
            for table in (_responders, _rsvps, _participants, _group_members, _counts, _team_members):
                await conn.execute(delete(table).where(table.c.member_id == member_id))
            # A group of one (a member nobody could be matched with) says nothing once its member is gone.
            lonely = ~select(_group_members.c.group_id).where(_group_members.c.group_id == _groups.c.id).exists()
            await conn.execute(delete(_groups).where(_groups.c.id.in_(groups), lonely))
            await self._erase_from_audit(conn, member_id, row.workspace_id, user_id, row.display_name)
            await self._hand_over_rituals(conn, member_id, row.workspace_id)
            await self._erase_from_free_text(conn, user_id, row.workspace_id)
            await self._erase_platform_rows(conn, platform, workspace, user_id)
            await self._erase_held_messages(conn, platform, workspace, user_id, row.display_name)
            for column in member_columns():
                if (column.table.name, column.name) in KNOWN_MEMBER_COLUMNS:
                    continue
                table = cast(Table, column.table)
                if column.nullable:
                    await conn.execute(update(table).where(column == member_id).values({column.name: None}))
                else:
                    await conn.execute(delete(table).where(column == member_id))
            await conn.execute(delete(_members).where(_members.c.id == member_id))
        return True

    @staticmethod
    async def _erase_from_audit(
        conn: AsyncConnection, member_id: int, workspace_row_id: int, user_id: str, name: str
    ) -> None:
        """Keep what was changed and when, without who: the actor goes, and so does their id or name in a command
        someone typed about them (`manager add Zoë`)."""
        await conn.execute(update(_audit).where(_audit.c.actor_member_id == member_id).values(actor_member_id=None))
        patterns = [_whole(user_id)] + ([_whole(name)] if name.strip() else [])
        teams = select(_teams.c.id).where(_teams.c.workspace_id == workspace_row_id)
        rows = await conn.execute(
            select(_audit.c.id, _audit.c.detail).where(
                _audit.c.team_id.in_(teams),
                or_(_audit.c.detail.contains(user_id, autoescape=True),
                    *([_audit.c.detail.contains(name, autoescape=True)] if name.strip() else [])),
            )
        )
        for entry_id, detail in rows.all():
            scrubbed = detail
            for pattern in patterns:
                scrubbed = pattern.sub(ERASED, scrubbed)
            # A plain substring that no pattern caught (an id glued inside a longer word) goes as well.
            scrubbed = scrubbed.replace(user_id, ERASED)
            if scrubbed != detail:
                await conn.execute(update(_audit).where(_audit.c.id == entry_id).values(detail=scrubbed))

    @staticmethod
    async def _hand_over_rituals(conn: AsyncConnection, member_id: int, workspace_row_id: int) -> None:
        """Rituals the member set up stay with their team; their creator becomes the workspace's placeholder for
        erased members (a member row with an empty user id and name, in no team), because rituals.created_by may
        not be NULL and SQLite can only loosen that by rebuilding the rituals table."""
        if (await conn.execute(select(_rituals.c.id).where(_rituals.c.created_by == member_id).limit(1))).first():
            placeholder = await _placeholder(conn, workspace_row_id)
            await conn.execute(update(_rituals).where(_rituals.c.created_by == member_id)
                               .values(created_by=placeholder))

    @staticmethod
    async def _erase_from_free_text(conn: AsyncConnection, user_id: str, workspace_row_id: int) -> None:
        """A mention of the member by platform id in someone's stand-up answer or pulse comment (Slack writes
        `<@U123>`), in their own workspace only: the same id in another workspace or tenant is someone else."""
        named = _whole(user_id)
        colleagues = select(_members.c.id).where(_members.c.workspace_id == workspace_row_id)
        rows = await conn.execute(select(_answers.c.delivery_id, _answers.c["values"])
                                  .where(_answers.c.member_id.in_(colleagues),
                                         cast_(_answers.c["values"], String).contains(user_id, autoescape=True)))
        for delivery_id, values in rows.all():
            if any(user_id in value for value in values):
                scrubbed = [named.sub(ERASED, value).replace(user_id, ERASED) for value in values]
                await conn.execute(update(_answers).where(_answers.c.delivery_id == delivery_id)
                                   .values(values=scrubbed))
        # An anonymous pulse comment stays anonymous, but a mention of the member in it does not stay.
        occurrences = (select(_occurrences.c.id)
                       .select_from(_occurrences.join(_rituals, _rituals.c.id == _occurrences.c.ritual_id)
                                    .join(_teams, _teams.c.id == _rituals.c.team_id))
                       .where(_teams.c.workspace_id == workspace_row_id))
        comments = await conn.execute(select(_comments.c.occurrence_id, _comments.c.id, _comments.c.text)
                                      .where(_comments.c.occurrence_id.in_(occurrences),
                                             _comments.c.text.contains(user_id, autoescape=True)))
        for occurrence_id, comment_id, comment in comments.all():
            await conn.execute(update(_comments).where(_comments.c.occurrence_id == occurrence_id,
                                                       _comments.c.id == comment_id)
                               .values(text=named.sub(ERASED, comment).replace(user_id, ERASED)))

    @staticmethod
    async def _erase_held_messages(
        conn: AsyncConnection, platform: str, workspace: str, user_id: str, display_name: str
    ) -> None:
        """Messages waiting for their platform (storage/held_messages.py) that are for the member or name them.

        They go whole, not scrubbed: one is addressed to them, or carries their answers (a day's digest), and a
        digest without its author's answers would tell the team the wrong thing."""
        held = await conn.execute(select(_held.c.id, _held.c.recipient, _held.c.body).where(
            _held.c.platform == platform, _held.c.workspace_id == workspace))
        named = [_whole(user_id), *([_whole(display_name), _whole(json.dumps(display_name)[1:-1])]
                                    if display_name else [])]
        doomed = [row.id for row in held.all()
                  if row.recipient == user_id or any(pattern.search(row.body) for pattern in named)]
        if doomed:
            await conn.execute(delete(_held).where(_held.c.id.in_(doomed)))

    async def _erase_platform_rows(self, conn: AsyncConnection, platform: str, workspace: str, user_id: str) -> None:
        """Rows the adapters keep by the member's platform user id."""
        await conn.execute(delete(_posted).where(
            _posted.c.platform == platform, _posted.c.workspace_id == workspace,
            or_(_posted.c.recipient == user_id, _posted.c.conversation_id == user_id),
        ))
        await conn.execute(delete(_failures).where(_failures.c.platform == platform,
                                                   _failures.c.workspace_id == workspace,
                                                   _failures.c.recipient == user_id))
        events = await self._naming_events(conn, platform, user_id)
        for start in range(0, len(events), 500):
            await conn.execute(delete(_inbound).where(_inbound.c.id.in_(events[start:start + 500])))
        # By user id within the member's own workspace or tenant (Slack's team id, Teams' tenant id): the same id in
        # another workspace or tenant is someone else.
        await conn.execute(delete(_user_tokens).where(_user_tokens.c.user_id == user_id, _slack_scope(workspace)))
        await conn.execute(update(_installations).where(_installations.c.installer_user_id == user_id,
                                                        _slack_installation_scope(workspace))
                           .values(installer_user_id=None))
        await conn.execute(delete(_conversations).where(_conversations.c.user_id == user_id,
                                                        _conversations.c.tenant_id == workspace))


def _slack_scope(workspace: str) -> ColumnElement[bool]:
    """A Slack user token of the workspace whose id Ritme keeps for its members (Slack's team id), or of the
    Enterprise Grid org of that id."""
    return or_(_user_tokens.c.team_id == workspace, _user_tokens.c.enterprise_id == workspace)


def _slack_installation_scope(workspace: str) -> ColumnElement[bool]:
    """The Slack installation of that workspace, or of the Enterprise Grid org of that id."""
    return or_(_installations.c.team_id == workspace, _installations.c.enterprise_id == workspace)


async def _placeholder(conn: AsyncConnection, workspace_row_id: int) -> int:
    """The id of the workspace's placeholder for erased members, made on first use."""
    where = (_members.c.workspace_id == workspace_row_id, _members.c.user_id == "")
    found = (await conn.execute(select(_members.c.id).where(*where))).scalar_one_or_none()
    if found is not None:
        return int(found)
    created = await conn.execute(insert(_members).values(
        workspace_id=workspace_row_id, user_id="", display_name="", name_key="", timezone="UTC", locale="en",
        work_days="", work_start=time(0), work_end=time(0), away_until=None, is_admin=False, country=None,
    ).returning(_members.c.id))
    return int(created.scalar_one())


def _conforms(data: SqlMemberData) -> MemberDataStore:
    # mypy fails here if SqlMemberData drifts from the MemberDataStore protocol.
    return data
