"""SQLAlchemy tables of Ritme; Alembic migrations create them, the repository reads and writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from rituals.model import RitualSettings, ritual_settings

# Stable constraint names let Alembic (and SQLite batch mode) find constraints to alter later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# INTEGER PRIMARY KEY is what makes SQLite assign ids; PostgreSQL gets room to grow.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back aware; naive datetimes are refused on write."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; convert aware ones to UTC (naive UTC for SQLite, which drops offsets)."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: store aware datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite text timestamps compare as strings, so every stored value must share one offset.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored instant as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class SettingsJSON(TypeDecorator[RitualSettings]):
    """Ritual settings as JSON, validated through their kind's model (StandupSettings, PulseSettings) both ways."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: RitualSettings | dict[str, Any] | None, dialect: Dialect) -> Any:
        """Validate and dump settings to plain JSON."""
        if value is None:
            return None
        return ritual_settings(value).model_dump(mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> RitualSettings | None:
        """Validate stored JSON back into the settings of its kind."""
        if value is None:
            return None
        try:
            return ritual_settings(value)
        except ValidationError as error:
            raise ValueError(f"stored ritual settings are invalid: {error}") from error


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class WorkspaceRow(Base):
    """One install of Ritme on a platform workspace (a Slack workspace, a Teams tenant)."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))


class TeamRow(Base):
    """A team is one channel of a workspace."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    channel_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))


class MemberRow(Base):
    """A person of a workspace with their time zone and working hours."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        Index("ix_members_workspace_name_key", "workspace_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    user_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255))
    # casefold() of display_name: Unicode-correct, indexable look-up on both databases (SQLite's lower() is ASCII).
    name_key: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    work_days: Mapped[str] = mapped_column(String(20))
    work_start: Mapped[time] = mapped_column(Time())
    work_end: Mapped[time] = mapped_column(Time())
    away_until: Mapped[date | None] = mapped_column(Date())
    is_admin: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())
    # ISO 3166 alpha-2 code whose public holidays the member keeps; NULL means the default from settings.
    country: Mapped[str | None] = mapped_column(String(2))


class TeamMemberRow(Base):
    """A member's place in a team."""

    __tablename__ = "team_members"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        CheckConstraint("role IN ('member', 'manager')", name="role"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member", server_default="member")


class RitualRow(Base):
    """A ritual a manager configured for a team."""

    __tablename__ = "rituals"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[time] = mapped_column(Time())
    days: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    paused: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settings: Mapped[RitualSettings] = mapped_column(SettingsJSON())
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OccurrenceRow(Base):
    """One team-local date of a ritual; UNIQUE(ritual_id, local_date)."""

    __tablename__ = "occurrences"
    __table_args__ = (
        UniqueConstraint("ritual_id", "local_date"),
        Index("ix_occurrences_digest_due_at", "digest_due_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ritual_id: Mapped[int] = mapped_column(ForeignKey("rituals.id"))
    local_date: Mapped[date] = mapped_column(Date())
    digest_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    digest_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


OPEN = "status IN ('pending', 'claimed')"
"""Deliveries not yet sent, skipped or missed: what ix_deliveries_open_due_at holds."""
UNREMINDED = "status = 'sent' AND reminded_at IS NULL AND remind_at IS NOT NULL"
"""Sent deliveries whose reminder has not gone out: what ix_deliveries_unreminded_remind_at holds."""


class DeliveryRow(Base):
    """One member's prompt of one occurrence.

    UNIQUE(ritual_id, member_id, local_date) is what enforces "a ritual occurs at most once per member per
    local date" (DESIGN.md, time rule), whatever the planner computes.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("ritual_id", "member_id", "local_date"),
        CheckConstraint("status IN ('pending', 'claimed', 'sent', 'skipped', 'missed')", name="status"),
        # Only the prompts still to send, in the order they are claimed: a claim reads the first rows of this
        # small index and stops, however many prompts were sent before. Queries must spell out OPEN
        # literally (no bound parameters), or SQLite will not use a partial index.
        Index("ix_deliveries_open_due_at", "due_at", "id", sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
        # Only the reminders still to send. A status-first index would also tempt SQLite's planner (which has no
        # statistics) away from the partial index above, into reading and sorting every open prompt.
        Index(
            "ix_deliveries_unreminded_remind_at",
            "remind_at",
            "id",
            sqlite_where=text(UNREMINDED),
            postgresql_where=text(UNREMINDED),
        ),
        Index("ix_deliveries_member_id_status", "member_id", "status"),
        Index("ix_deliveries_occurrence_id", "occurrence_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id"))
    ritual_id: Mapped[int] = mapped_column(ForeignKey("rituals.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    local_date: Mapped[date] = mapped_column(Date())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    # While status is 'claimed': until when the claiming worker owns the prompt; after that anyone may claim it.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AnswerRow(Base):
    """A member's answer to one delivery; a new answer replaces the old one."""

    __tablename__ = "answers"

    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    values: Mapped[list[str]] = mapped_column(JSON())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())


class InboundEventRow(Base):
    """A platform event, recorded before its effect: a retry of it is recognised, and a pending one is not lost."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_inbound_events_received_at", "received_at"),
        Index("ix_inbound_events_status_held_until", "status", "held_until"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending (accepted, not handled yet), done, or failed (given up on after every attempt).
    status: Mapped[str] = mapped_column(String(16), server_default="done")
    # The event itself while it is pending, so whoever claims it can handle it; cleared once it is done.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer(), server_default="0")
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PostedMessageRow(Base):
    """Where a platform put a keyed message (Slack's channel and ts), so it can be updated or replied under."""

    __tablename__ = "posted_messages"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "key", "recipient"),
        # A replica taking prompts over asks which of their keys went out already, whatever the workspace.
        Index("ix_posted_messages_key", "key"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str] = mapped_column(String(255))
    conversation_id: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))


class HeldMessageRow(Base):
    """A scheduled message its platform could not take, kept to be tried again (rituals/retries.py)."""

    __tablename__ = "held_messages"
    __table_args__ = (Index("ix_held_messages_retry_at", "retry_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str] = mapped_column(String(255))  # a member's user id, or a channel's id
    key: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text())  # the message as JSON (storage/held_messages.py)
    held_since: Mapped[datetime] = mapped_column(UTCDateTime())
    retry_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SlackInstallationRow(Base):
    """Ritme's bot in one Slack workspace (or Enterprise Grid org), from its latest OAuth install.

    One row per workspace: a reinstall replaces the bot token and scopes. `enterprise_id` and `team_id` are ''
    when Slack gives none (an org-wide install has no team), so the unique key works on SQLite and PostgreSQL alike.
    """

    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    enterprise_name: Mapped[str | None] = mapped_column(String(255))
    team_name: Mapped[str | None] = mapped_column(String(255))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())
    app_id: Mapped[str | None] = mapped_column(String(32))
    # Tokens are 1024 wide: encrypted (RITME_ENCRYPTION_KEY) a refresh token grows past 255 characters.
    bot_token: Mapped[str] = mapped_column(String(1024))
    bot_id: Mapped[str] = mapped_column(String(32))
    bot_user_id: Mapped[str] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(String(1024), default="")
    # With token rotation on: the refresh token and when the bot token expires (rotated ahead of that).
    bot_refresh_token: Mapped[str | None] = mapped_column(String(1024))
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SlackUserTokenRow(Base):
    """A member's own Slack user token, from going through the install link with user scopes (users.profile:write).

    Optional: without one Ritme only skips what needs it (their status during a no-meeting window). Keyed like
    SlackInstallationRow, per member; a new grant replaces the old one.
    """

    __tablename__ = "slack_user_tokens"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[str] = mapped_column(String(32))
    user_token: Mapped[str] = mapped_column(String(1024))
    user_scopes: Mapped[str] = mapped_column(String(1024), default="")
    user_refresh_token: Mapped[str | None] = mapped_column(String(1024))
    user_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SlackOAuthStateRow(Base):
    """An OAuth `state` handed to an installer's browser: good once, until it expires."""

    __tablename__ = "slack_oauth_states"
    __table_args__ = (Index("ix_slack_oauth_states_expires_at", "expires_at"),)

    state: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryFailureRow(Base):
    """A message a platform refused, or that kept failing after every retry: recorded, never silently dropped."""

    __tablename__ = "delivery_failures"
    __table_args__ = (Index("ix_delivery_failures_workspace_failed_at", "platform", "workspace_id", "failed_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    # The method and Slack's error code or HTTP status, never a token or the message's text.
    error: Mapped[str] = mapped_column(String(1024))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamsConversationRow(Base):
    """Where Ritme can reach one Teams conversation proactively (a conversation reference), kept per tenant.

    Refreshed by every activity, because a tenant's service URL can change; one row per (tenant, conversation).
    """

    __tablename__ = "teams_conversations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "conversation_id"),
        CheckConstraint("kind IN ('personal', 'channel', 'groupChat')", name="kind"),
        # A member's personal chat is looked up before every private message Ritme sends them.
        Index("ix_teams_conversations_tenant_user", "tenant_id", "user_id"),
        # The tenant's freshest reference lends its service URL and bot id to a new personal chat.
        Index("ix_teams_conversations_tenant_updated_at", "tenant_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    # Personal chat ids ("a:1...") run to a few hundred characters; Teams documents no maximum.
    conversation_id: Mapped[str] = mapped_column(String(512))
    service_url: Mapped[str] = mapped_column(String(512))
    bot_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str | None] = mapped_column(String(255))
    team_id: Mapped[str | None] = mapped_column(String(512))
    team_name: Mapped[str] = mapped_column(String(255), default="")
    channel_name: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# Pulse rounds. Who responded and what was answered live in separate tables that share only the round: nothing
# in an answer, a comment or a tally names a member, a time or an arrival order (see storage/pulse.py).

PULSE_QUESTION_ID = 64
PULSE_COMMENT_MAX = 1000


class PulseRoundRow(Base):
    """A pulse ritual's occurrence as a round: the questions it asks, and once closed, how many took part.

    `prompted` and `responded` are written when the round closes (both NULL while it is open); after that the round
    takes no more responses, so its totals never change and no later result can be subtracted from an earlier one.
    """

    __tablename__ = "pulse_rounds"
    __table_args__ = (
        CheckConstraint(
            "(prompted IS NULL AND responded IS NULL) OR (prompted IS NOT NULL AND responded IS NOT NULL)",
            name="closed",
        ),
    )

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("occurrences.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    questions: Mapped[list[str]] = mapped_column(JSON())
    prompted: Mapped[int | None] = mapped_column(Integer())
    responded: Mapped[int | None] = mapped_column(Integer())


class PulseResponderRow(Base):
    """That a member responded in an open round, for reminders and one response each: no score, text or time.

    WITHOUT ROWID on SQLite, so no hidden rowid records the order members responded in; deleted when the round closes.
    """

    __tablename__ = "pulse_responders"
    __table_args__ = ({"sqlite_with_rowid": False},)

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("pulse_rounds.occurrence_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    member_id: Mapped[int] = mapped_column(
        Id, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class PulseAnswerRow(Base):
    """One score to one question of an open round, by nobody in particular.

    The key is random, not a sequence, and on SQLite the table has no rowid, so neither the key nor the row's place
    follows arrival order. Folded into pulse_tallies and deleted when the round closes.
    """

    __tablename__ = "pulse_answers"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score"), {"sqlite_with_rowid": False})

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("pulse_rounds.occurrence_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    id: Mapped[int] = mapped_column(BigInteger(), primary_key=True, autoincrement=False)
    question_id: Mapped[str] = mapped_column(String(PULSE_QUESTION_ID))
    score: Mapped[int] = mapped_column(Integer())


class PulseCommentRow(Base):
    """One free-text comment of a round, by nobody in particular, under a random key; rewritten when it closes."""

    __tablename__ = "pulse_comments"
    __table_args__ = ({"sqlite_with_rowid": False},)

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("pulse_rounds.occurrence_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    id: Mapped[int] = mapped_column(BigInteger(), primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(String(PULSE_COMMENT_MAX))


class PulseTallyRow(Base):
    """How a closed round answered one question: how many picked each point of the 1-5 scale; kept for trends."""

    __tablename__ = "pulse_tallies"

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("pulse_rounds.occurrence_id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    question_id: Mapped[str] = mapped_column(String(PULSE_QUESTION_ID), primary_key=True)
    score_1: Mapped[int] = mapped_column(Integer())
    score_2: Mapped[int] = mapped_column(Integer())
    score_3: Mapped[int] = mapped_column(Integer())
    score_4: Mapped[int] = mapped_column(Integer())
    score_5: Mapped[int] = mapped_column(Integer())


# The virtual borrel (storage/borrel.py). An occurrence keeps its planned local date as its name; a move changes
# its times only. Each *_at column that says something was sent is claimed with UPDATE ... WHERE it IS NULL.


class BorrelOccurrenceRow(Base):
    """One borrel of a series: when it starts and ends, when its invite and reminder go, what happened to it."""

    __tablename__ = "borrel_occurrences"
    __table_args__ = (
        UniqueConstraint("ritual_id", "local_date"),
        Index("ix_borrel_occurrences_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ritual_id: Mapped[int] = mapped_column(ForeignKey("rituals.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    invite_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime())
    invite_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined: Mapped[int | None] = mapped_column(Integer())
    maybe: Mapped[int | None] = mapped_column(Integer())
    declined: Mapped[int | None] = mapped_column(Integer())


class BorrelRsvpRow(Base):
    """A member's latest answer to one borrel's invite: join, maybe or no."""

    __tablename__ = "borrel_rsvps"
    __table_args__ = (CheckConstraint("answer IN ('join', 'maybe', 'no')", name="answer"),)

    occurrence_id: Mapped[int] = mapped_column(
        Id, ForeignKey("borrel_occurrences.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    member_id: Mapped[int] = mapped_column(
        Id, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


# Coffee machines and coffee pairings (storage/coffee.py). A member nobody could be matched with is stored as a
# group of one with the reason, so their note follows the same schedule as a group's introduction.

COFFEE_REASON = 32


class CoffeeParticipantRow(Base):
    """What a member said about a coffee pairing: joined or left (NULL: nothing), and whether they skip next."""

    __tablename__ = "coffee_participants"

    ritual_id: Mapped[int] = mapped_column(
        Id, ForeignKey("rituals.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    member_id: Mapped[int] = mapped_column(
        Id, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    joined: Mapped[bool | None] = mapped_column(Boolean())
    skip_next: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())


class CoffeeMachinePostRow(Base):
    """That a coffee machine's daily post of a team-local date was claimed, so it goes out once."""

    __tablename__ = "coffee_machine_posts"

    ritual_id: Mapped[int] = mapped_column(
        Id, ForeignKey("rituals.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    local_date: Mapped[date] = mapped_column(Date(), primary_key=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoffeeRoundRow(Base):
    """One round of a coffee pairing on a team-local date; UNIQUE(ritual_id, local_date) makes it happen once."""

    __tablename__ = "coffee_rounds"
    __table_args__ = (UniqueConstraint("ritual_id", "local_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ritual_id: Mapped[int] = mapped_column(Id, ForeignKey("rituals.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoffeeGroupRow(Base):
    """A group of a round (or with a reason, a member left unmatched): its messages' times and its answer."""

    __tablename__ = "coffee_groups"
    __table_args__ = (
        Index("ix_coffee_groups_intro_due_at", "intro_due_at"),
        Index("ix_coffee_groups_follow_up_due_at", "follow_up_due_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    round_id: Mapped[int] = mapped_column(Id, ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    shared_minutes: Mapped[int] = mapped_column(Integer())
    cross_team: Mapped[bool] = mapped_column(Boolean())
    last_met: Mapped[int | None] = mapped_column(Integer())
    reason: Mapped[str] = mapped_column(String(COFFEE_REASON), default="")
    intro_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    intro_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    met: Mapped[bool | None] = mapped_column(Boolean())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CoffeeGroupMemberRow(Base):
    """A member of a coffee group; a row of its own, so erasing a member leaves no trace of them in any group."""

    __tablename__ = "coffee_group_members"

    group_id: Mapped[int] = mapped_column(
        Id, ForeignKey("coffee_groups.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    member_id: Mapped[int] = mapped_column(
        Id, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, autoincrement=False, index=True
    )


# The team calendar feed (storage/calendar.py).

LIVE_FEED = "revoked_at IS NULL"


class CalendarFeedRow(Base):
    """A team's calendar feed token: found by its SHA-256 hash; at most one live (not revoked) feed a team.

    The live token is kept so any member can be shown the same link again (see rituals/calendar.py); revoking a
    feed forgets its token and keeps the hash, so the old address stays known as revoked.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        Index("uq_calendar_feeds_live_team_id", "team_id", unique=True, sqlite_where=text(LIVE_FEED),
              postgresql_where=text(LIVE_FEED)),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[int] = mapped_column(Id, ForeignKey("teams.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FocusReminderRow(Base):
    """That a no-meeting window's start reminder of a team-local date was claimed, so it goes out once."""

    __tablename__ = "focus_reminders"

    ritual_id: Mapped[int] = mapped_column(
        Id, ForeignKey("rituals.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    local_date: Mapped[date] = mapped_column(Date(), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberMessageCountRow(Base):
    """How many scheduled private messages a member got on a local day of theirs, for the daily cap."""

    __tablename__ = "member_message_counts"

    member_id: Mapped[int] = mapped_column(
        Id, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    local_date: Mapped[date] = mapped_column(Date(), primary_key=True)
    count: Mapped[int] = mapped_column(Integer())


# The dashboard's sign-in (storage/dashboard.py): links and sessions are found by the SHA-256 of their secret,
# so the database never holds a token that would open a session.


class DashboardLinkRow(Base):
    """A single-use sign-in link: used once (used_at set by one atomic UPDATE) and only before it expires."""

    __tablename__ = "dashboard_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(Id, ForeignKey("members.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DashboardSessionRow(Base):
    """A signed-in browser: the cookie's SHA-256, whose session it is, its CSRF token and when it ends."""

    __tablename__ = "dashboard_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(Id, ForeignKey("members.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


# The audit log and the member's data (storage/audit.py, storage/member_data.py).

AUDIT_ACTION = 64
AUDIT_DETAIL_MAX = 500


class AuditEntryRow(Base):
    """A configuration change of a team: who made it (NULL once they are erased), from where, what, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("source IN ('chat', 'web')", name="source"),
        # Managers read a team's log newest first, a page at a time.
        Index("ix_audit_log_team_id_at", "team_id", "at"),
        Index("ix_audit_log_actor_member_id", "actor_member_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[int] = mapped_column(Id, ForeignKey("teams.id", ondelete="CASCADE"))
    actor_member_id: Mapped[int | None] = mapped_column(Id, ForeignKey("members.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(AUDIT_ACTION))
    detail: Mapped[str] = mapped_column(String(AUDIT_DETAIL_MAX), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
