"""The interfaces the engine and the adapters meet at; wiring in bot/ supplies the implementations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from rituals.events import InboundEvent
from rituals.model import (
    Answer,
    Delivery,
    DigestEntry,
    DuePrompt,
    Member,
    Occurrence,
    Ritual,
    RitualKind,
    RitualSettings,
    Role,
    RoundCounts,
    Team,
)
from rituals.outbound import Message


class Clock(Protocol):
    """Where the engine reads the time; tests pass a clock they move by hand."""

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return datetime.now(UTC)


class Outbox(Protocol):
    """An adapter's way out: it renders and delivers the engine's messages on one platform."""

    platform: str

    async def send(self, messages: Sequence[Message]) -> None:
        """Deliver the messages in order; on the first that fails, raise PlatformUnavailable when the platform may
        take it later, PlatformRefused when it never will (recording why)."""
        ...


class PlatformUnavailable(Exception):
    """A platform kept failing (5xx, timeouts, rate limits) after the adapter's retries; later may work."""


class PlatformRefused(Exception):
    """A platform refused a message (or cannot show it); sending it again would not help."""


@dataclass(frozen=True)
class BatchResult:
    """What became of a batch of messages handed to the outbox: everything else in it went out.

    `undelivered` were not sent (the platform was unavailable, or the sender ran out of time) and may be sent
    later; `refused` were refused by the platform for good, and the adapter recorded why.
    """

    undelivered: tuple[Message, ...] = ()
    refused: tuple[Message, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PromptTally:
    """One batch of due prompts as an admin's metrics count it."""

    claimed: int
    sent: int
    deferred: int  # held for the member's working hours or next day
    retried: int  # handed back because the platform could not take them
    skipped: int
    lag_seconds: tuple[float, ...]  # how late each sent prompt went out after its due time


@dataclass(frozen=True, kw_only=True)
class HeldMessage:
    """A scheduled message its platform could not take, claimed to be tried again."""

    id: int
    message: Message
    held_since: datetime  # when the platform first could not take it
    attempts: int  # how often it was tried and not delivered


class HeldMessages(Protocol):
    """Where scheduled messages (digests, reminders, invitations) wait while their platform is unavailable."""

    async def hold(self, messages: Sequence[Message], retry_at: datetime, now: datetime) -> None:
        """Keep messages that were tried once and not delivered, to be tried again from `retry_at`."""
        ...

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[HeldMessage]:
        """Claim held messages whose time has come for `lease`, oldest first; other workers skip them meanwhile."""
        ...

    async def retry_later(self, retries: Sequence[tuple[int, datetime]], tried: bool) -> None:
        """Hand claimed messages back to be tried at their given time; `tried` counts this as an attempt."""
        ...

    async def forget(self, ids: Sequence[int]) -> None:
        """Drop held messages: delivered, refused for good, or out of date."""
        ...


@dataclass(frozen=True, kw_only=True)
class PostedMessage:
    """Where a platform put a keyed message, so a later Update or ThreadReply can find it."""

    platform: str
    workspace_id: str
    key: str
    recipient: str  # the member's user id for a private message, the channel id for a channel post
    conversation_id: str  # the platform's conversation (a DM channel for a private message)
    message_id: str  # Slack's ts, Teams' activity id


class MessageLog(Protocol):
    """Adapters of platforms that update messages remember here where each keyed message went."""

    async def remember(self, message: PostedMessage) -> None:
        """Store where a keyed message was posted, replacing an earlier post under the same key and recipient."""
        ...

    async def find(self, platform: str, workspace_id: str, key: str, recipient: str) -> PostedMessage | None:
        """Where the keyed message for that recipient was posted, if it was."""
        ...

    async def posted_keys(self, keys: Collection[str]) -> set[tuple[str, str]]:
        """Which of `keys` were posted, as (key, recipient) pairs, on any platform: keys name what they are for."""
        ...


@dataclass(frozen=True, kw_only=True)
class DeliveryFailure:
    """A message Ritme gave up on: who it was for, what it was, and why (never a token or the message text)."""

    platform: str
    workspace_id: str
    recipient: str  # a member's id, or a channel's
    kind: str  # prompt, form, update, channel_post, thread_reply
    key: str  # the message's key ('' when it has none)
    error: str
    failed_at: datetime


class FailureLog(Protocol):
    """Where adapters record messages they could not deliver, and where managers' views read them back."""

    async def record(self, failure: DeliveryFailure) -> None:
        """Remember one failure."""
        ...

    async def recent(
        self,
        platform: str,
        workspace_id: str,
        since: datetime,
        *,
        recipients: Collection[str] | None = None,
        limit: int = 50,
    ) -> Sequence[DeliveryFailure]:
        """The workspace's failures at or after `since`, newest first; only those for `recipients` when given."""
        ...

    async def count(
        self, platform: str, workspace_id: str, since: datetime, *, recipients: Collection[str] | None = None
    ) -> int:
        """How many failures `recent` would find without a limit."""
        ...


InboundHandler = Callable[[InboundEvent], Awaitable[None]]
"""What an adapter calls with each normalized event; it returns once the event is durably handled."""


class Inbound(Protocol):
    """The two halves of handling an event, for platforms that must acknowledge before the work is done (Slack)."""

    async def accept(self, event: InboundEvent) -> bool:
        """Record the event before its effect; False when it was seen before, and then nothing more must happen."""
        ...

    async def process(self, event: InboundEvent) -> None:
        """Handle an accepted event and deliver the replies."""
        ...


EventKey = tuple[str, str]
"""An inbound event's (platform, event id): unique per platform."""


class InboundLedger(Protocol):
    """Every inbound event, written down before its effect, so a retry is recognised and nothing accepted is lost.

    A new event is pending and held by the process that accepted it until its hold runs out; it is finished
    once handled. A pending event whose hold ran out (its process stopped or failed) is claimed again.
    """

    async def record(self, events: Sequence[InboundEvent], held_until: datetime) -> set[EventKey]:
        """Record events as pending, held until `held_until`; the keys of those that were new."""
        ...

    async def finish(self, keys: Sequence[EventKey]) -> None:
        """Mark events handled, so they are never handled again."""
        ...

    async def hold_until(self, keys: Sequence[EventKey], until: datetime) -> None:
        """Change how long pending events stay held: `until` = now hands them back at once."""
        ...

    async def claim(self, now: datetime, held_until: datetime, limit: int, max_attempts: int) -> list[InboundEvent]:
        """Pending events whose hold ran out, oldest first, held again until `held_until`.

        An event already tried `max_attempts` times is marked failed instead of being returned.
        """
        ...

    async def prune(self, before: datetime) -> int:
        """Forget events received before `before` that are not pending; returns how many were forgotten."""
        ...


@dataclass(frozen=True, kw_only=True)
class MemberDefaults:
    """What a member starts with when Ritme first meets them."""

    timezone: str
    locale: str
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    work_start: time = time(9, 0)
    work_end: time = time(17, 30)


@dataclass(frozen=True, kw_only=True)
class MemberChanges:
    """Settings a member changes about themselves; None leaves a field alone (away uses clear_away)."""

    timezone: str | None = None
    locale: str | None = None
    work_days: tuple[int, ...] | None = None
    work_start: time | None = None
    work_end: time | None = None
    away_until: date | None = None
    clear_away: bool = False
    country: str | None = None  # ISO 3166 alpha-2; clear_country goes back to the default from settings
    clear_country: bool = False


@dataclass(frozen=True, kw_only=True)
class NewRitual:
    """A ritual as a manager configured it, before it has an id."""

    team_id: int
    kind: RitualKind
    at: time
    days: tuple[int, ...]
    timezone: str
    locale: str
    settings: RitualSettings
    created_by: int


@dataclass(frozen=True, kw_only=True)
class PlannedDelivery:
    """A prompt to put in the schedule."""

    member_id: int
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class SentPrompt:
    """A claimed prompt that was delivered, and when its one reminder is due (None: no reminder)."""

    delivery_id: int
    remind_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class PlannedOccurrence:
    """An occurrence to put in the schedule with its prompts; existing rows are left as they are."""

    ritual_id: int
    local_date: date
    digest_due_at: datetime
    deliveries: tuple[PlannedDelivery, ...]


@dataclass(frozen=True, kw_only=True)
class AnswerContext:
    """Everything needed to take an answer to one delivery."""

    delivery: Delivery
    occurrence: Occurrence
    ritual: Ritual
    team: Team
    member: Member
    previous: Answer | None


@dataclass(frozen=True, kw_only=True)
class DigestContext:
    """Everything needed to write one occurrence's digest."""

    occurrence: Occurrence
    ritual: Ritual
    team: Team
    entries: tuple[DigestEntry, ...]


@dataclass(frozen=True, kw_only=True)
class Membership:
    """A team a member belongs to, their role in it, and the team's rituals that are not deleted, oldest first."""

    team: Team
    role: Role
    rituals: tuple[Ritual, ...]


class Store(Protocol):
    """The engine's view of storage; storage/ implements it with SQLAlchemy."""

    async def upsert_member(
        self, platform: str, workspace_id: str, user_id: str, display_name: str, defaults: MemberDefaults
    ) -> Member:
        """The member with that platform id, created with `defaults` when new; a new display name is kept."""
        ...

    async def update_member(self, member_id: int, changes: MemberChanges) -> Member:
        """Apply a member's own changes to their settings."""
        ...

    async def find_members(self, platform: str, workspace_id: str, who: str) -> list[Member]:
        """Members whose display name (case-insensitively) or user id is `who`."""
        ...

    async def find_team(self, platform: str, workspace_id: str, channel_id: str) -> Team | None:
        """The team for a channel, if Ritme knows it."""
        ...

    async def upsert_team(self, platform: str, workspace_id: str, channel_id: str, name: str) -> Team:
        """The team for a channel, created when new."""
        ...

    async def join_team(self, team_id: int, member_id: int) -> None:
        """Make the member a participant of the team (no-op when they are)."""
        ...

    async def role(self, team_id: int, member_id: int) -> Role | None:
        """The member's role in the team, None when not in it."""
        ...

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Give the member a role in the team, joining them to it when needed."""
        ...

    async def managers(self, team_id: int) -> list[Member]:
        """The team's managers."""
        ...

    async def team_members(self, team_id: int) -> list[Member]:
        """Everyone in the team, managers included, by display name."""
        ...

    async def memberships(self, member_id: int) -> list[Membership]:
        """Every team the member belongs to, by name, with their role and the team's rituals."""
        ...

    async def other_team_names(self, member_ids: Collection[int], team_id: int) -> dict[int, str]:
        """For each member, the name of the first team (by name) they belong to besides `team_id`, if any."""
        ...

    async def add_ritual(self, ritual: NewRitual) -> Ritual:
        """Store a new ritual."""
        ...

    async def rituals(self, team_id: int) -> list[Ritual]:
        """The team's rituals that are not deleted, oldest first."""
        ...

    async def set_paused(self, ritual_id: int, paused: bool) -> None:
        """Pause or resume a ritual; pausing drops its prompts that were not sent yet."""
        ...

    async def delete_ritual(self, ritual_id: int) -> None:
        """Delete a ritual and its unsent prompts; answers given stay."""
        ...

    async def update_ritual(
        self, ritual_id: int, *, at: time, days: tuple[int, ...], settings: RitualSettings
    ) -> Ritual:
        """Change a running or paused ritual's time, days and settings; its prompts not sent yet go, and so do its
        planned days on which nobody was asked yet, so the planner redoes them by the new schedule."""
        ...

    async def planning_view(
        self, *, ritual_id: int | None = None, member_id: int | None = None, after_id: int = 0,
        limit: int | None = None,
    ) -> list[tuple[Ritual, list[Member]]]:
        """Running rituals with the members of their team: all of them, one ritual, or one member's only; by id,
        the first `limit` after `after_id` (a page)."""
        ...

    async def plan(self, occurrences: Sequence[PlannedOccurrence]) -> int:
        """Insert occurrences and deliveries that do not exist yet; returns how many deliveries were new."""
        ...

    async def replan_member(self, member_id: int) -> None:
        """Forget a member's unsent future prompts after their time or hours changed; the planner redoes them."""
        ...

    async def bring_forward(
        self, occurrence_id: int, member_ids: Sequence[int], due_at: datetime, digest_due_at: datetime
    ) -> int:
        """Make the members' pending prompts of an occurrence due at `due_at` and its digest due at
        `digest_due_at` (a manager's run-now); returns how many prompts were moved."""
        ...

    async def occurrence(self, ritual_id: int, local_date: date) -> Occurrence | None:
        """The ritual's occurrence on a team-local date."""
        ...

    async def claim_due_prompts(
        self, now: datetime, grace: timedelta, lease: timedelta, limit: int
    ) -> list[DuePrompt]:
        """Claim prompts due by `now` for `lease`, so no other worker sends them meanwhile.

        Pending prompts (and claimed ones whose lease ran out) are returned at most `limit` at a time. Those due
        longer ago than `grace`, or whose occurrence's digest is due or posted, are marked missed instead.
        """
        ...

    async def finish_prompts(self, sent: Sequence[SentPrompt], skipped: Sequence[int], now: datetime) -> None:
        """Record which claimed prompts were delivered (with their reminder time) and which were skipped."""
        ...

    async def release_prompts(self, delivery_ids: Sequence[int], at: datetime) -> None:
        """Hand claimed prompts that were not sent back, to be claimed again from `at` on."""
        ...

    async def defer_prompts(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Put claimed prompts back as pending, each due at its new time (the member's next working window)."""
        ...

    async def due_reminders(self, now: datetime, limit: int) -> list[DuePrompt]:
        """Sent, unanswered prompts whose reminder time has come, of occurrences whose digest is not out."""
        ...

    async def defer_reminders(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Move reminders not sent yet to a later time each (the member's next working window)."""
        ...

    async def open_prompts(self, platform: str) -> list[DuePrompt]:
        """Prompts sent on a platform whose digest is not out yet, oldest first (to show them again)."""
        ...

    async def mark_reminded(self, delivery_ids: Sequence[int], now: datetime) -> set[int]:
        """Claim the prompts' reminders, so each prompt gets at most one; the ids this call claimed."""
        ...

    async def due_digests(self, now: datetime) -> list[int]:
        """Ids of occurrences whose digest is due and not posted."""
        ...

    async def digest_context(self, occurrence_id: int) -> DigestContext:
        """An occurrence with its ritual, team and every prompted member's answer."""
        ...

    async def claim_digest(self, occurrence_id: int, now: datetime) -> DigestContext | None:
        """Mark the digest posted and read it in one transaction; None when someone else already did."""
        ...

    async def answer_context(self, delivery_id: int) -> AnswerContext | None:
        """A delivery with what is needed to take an answer to it."""
        ...

    async def save_answer(self, answer: Answer) -> bool:
        """Store or replace the answer to a delivery.

        An on-time answer (late=False) is saved only while the occurrence's digest is not posted, in the same
        transaction; False means the digest went out first and nothing was saved.
        """
        ...


class PulseStore(Protocol):
    """Anonymous pulse rounds; a round is one occurrence of a pulse ritual, and its id is the occurrence's.

    No method takes or returns one person's answers: responding records that the member responded apart from what
    they answered, and totals are all that can be read back. Closing a round freezes it and forgets who responded.
    """

    async def set_round_questions(self, occurrence_id: int, question_ids: Sequence[str]) -> tuple[str, ...]:
        """Start the round with these distinct questions; the first call wins and the round's questions come back."""
        ...

    async def round_questions(self, occurrence_id: int) -> tuple[str, ...]:
        """The round's questions in order; empty when the round has not started."""
        ...

    async def recent_questions(self, ritual_id: int, before: date, limit: int) -> list[tuple[str, ...]]:
        """The questions of the ritual's last `limit` rounds on local dates before `before`, newest first (rotation)."""
        ...

    async def respond(self, occurrence_id: int, member_id: int, scores: Mapping[str, int], comment: str = "") -> bool:
        """Record that the member responded and, apart from that, their scores and comment; False if not recorded.

        One transaction: False, with nothing written, when the member already responded or the round is closed;
        ValueError, with nothing written, for a score outside 1-5, a question the round does not ask, or a response
        with neither a score nor a comment. The comment is trimmed and cut to the store's length limit.
        """
        ...

    async def has_responded(self, occurrence_id: int, member_id: int) -> bool:
        """True when the member responded in the round while it is open; a closed round has forgotten who did."""
        ...

    async def unresponded(self, occurrence_id: int, member_ids: Collection[int]) -> set[int]:
        """Those of `member_ids` who have not responded in the open round (to remind); empty once it is closed."""
        ...

    async def counts(self, occurrence_id: int, prompted: int) -> RoundCounts:
        """The round's totals so far with `prompted` as given; a closed round's, with what was frozen when it closed.

        Comments come in an order unrelated to when they arrived. An open round's totals are exact, so two reads
        around one response differ by exactly that response: show only a closed round's counts, to anyone.
        """
        ...

    async def close_round(self, occurrence_id: int, prompted: int) -> RoundCounts | None:
        """Close the round and return its final counts; None when it was closed already (by another worker).

        Answers are folded into per-question totals, comments are stored again under new keys, and who responded is
        forgotten, all in one transaction; a closed round takes no more responses.
        """
        ...

    async def is_closed(self, occurrence_id: int) -> bool:
        """True once the round has been closed."""
        ...

    async def history(self, ritual_id: int, before: date, limit: int = 8) -> list[RoundCounts]:
        """The ritual's closed rounds on local dates before `before`, newest first, for trends; without comments."""
        ...


# The virtual borrel ----------------------------------------------------------------------------------------

RsvpAnswer = str
"""One of BORREL_ANSWERS: "join", "maybe" or "no"."""
BORREL_ANSWERS: tuple[RsvpAnswer, ...] = ("join", "maybe", "no")


@dataclass(frozen=True, kw_only=True)
class BorrelOccurrence:
    """One borrel of a recurring series: its (possibly moved) times, what was sent, and once closed its counts.

    `local_date` is the team-local date it was planned for and names it for good; a move changes only the times.
    """

    id: int
    ritual_id: int
    local_date: date
    starts_at: datetime
    ends_at: datetime
    invite_at: datetime
    remind_at: datetime
    invite_sent_at: datetime | None = None
    reminded_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    joined: int | None = None  # the counts below are frozen when the borrel closes
    maybe: int | None = None
    declined: int | None = None


@dataclass(frozen=True, kw_only=True)
class BorrelContext:
    """A borrel occurrence with its ritual and team, what every message about it needs."""

    occurrence: BorrelOccurrence
    ritual: Ritual
    team: Team


@dataclass(frozen=True, kw_only=True)
class Rsvp:
    """A member's latest answer to one borrel's invite."""

    member: Member
    answer: RsvpAnswer


class BorrelStore(Protocol):
    """Borrel occurrences and RSVPs; every claim is an UPDATE ... WHERE x_at IS NULL, so each thing happens once."""

    async def running_borrels(self) -> list[Ritual]:
        """Borrel rituals that are neither paused nor deleted."""
        ...

    async def ensure_occurrence(
        self, ritual_id: int, local_date: date, *, starts_at: datetime, ends_at: datetime, invite_at: datetime,
        remind_at: datetime,
    ) -> BorrelOccurrence:
        """The ritual's borrel on that local date, created with these times when new (an existing one is kept)."""
        ...

    async def context(self, occurrence_id: int) -> BorrelContext | None:
        """An occurrence with its ritual and team; None when there is no such occurrence."""
        ...

    async def upcoming(self, ritual_id: int, after: datetime) -> list[BorrelOccurrence]:
        """The ritual's occurrences that end after `after` and are not closed, cancelled ones included, by start."""
        ...

    async def claim_invites(self, now: datetime) -> list[BorrelContext]:
        """Mark as sent, once, the invites of running borrels due by `now` that have not started or been cancelled."""
        ...

    async def claim_reminders(self, now: datetime) -> list[BorrelContext]:
        """Mark as reminded, once, invited and not cancelled borrels of running rituals whose reminder is due and
        that have not started."""
        ...

    async def claim_closings(self, now: datetime) -> list[BorrelContext]:
        """Close, once, borrels that have ended (or were cancelled and would have), freezing their RSVP counts."""
        ...

    async def rsvp(self, occurrence_id: int, member_id: int, answer: RsvpAnswer, now: datetime) -> bool:
        """Store or replace the member's answer; False, with nothing written, once the borrel is closed or cancelled."""
        ...

    async def rsvps(self, occurrence_id: int) -> list[Rsvp]:
        """Everyone's latest answer, by display name."""
        ...

    async def cancel(self, occurrence_id: int, now: datetime) -> bool:
        """Cancel one occurrence; False when it was cancelled or closed already."""
        ...

    async def move(
        self, occurrence_id: int, *, starts_at: datetime, ends_at: datetime, invite_at: datetime, remind_at: datetime
    ) -> bool:
        """Give one occurrence new times; its reminder is due again. False when it is cancelled or closed."""
        ...

    async def history(self, ritual_id: int, limit: int = 8) -> list[BorrelOccurrence]:
        """The ritual's closed occurrences that were invited or cancelled, newest first."""
        ...


@dataclass(frozen=True, kw_only=True)
class CoffeeParticipation:
    """What a member said about a coffee pairing: joined (True), left (False) or nothing yet (None); skipping next."""

    member_id: int
    joined: bool | None
    skip_next: bool


@dataclass(frozen=True, kw_only=True)
class NewCoffeeGroup:
    """A group the matching formed, or with `reason` set a member it could not match (a group of one)."""

    members: tuple[int, ...]
    shared_minutes: int
    cross_team: bool
    last_met: int | None  # rounds since these people were last grouped, None when never
    reason: str = ""
    intro_due_at: datetime


@dataclass(frozen=True, kw_only=True)
class CoffeeGroup(NewCoffeeGroup):
    """A stored group of a round: when its introduction and its "did you meet?" went out, and the answer."""

    id: int
    round_id: int
    ritual_id: int
    local_date: date
    intro_sent_at: datetime | None
    follow_up_due_at: datetime | None
    follow_up_sent_at: datetime | None
    met: bool | None


@dataclass(frozen=True, kw_only=True)
class CoffeeStats:
    """A coffee pairing's record: rounds held, groups formed, follow-ups asked and answered yes, cross-team groups."""

    rounds: int
    groups: int
    asked: int
    met: int
    cross_team: int
    cross_team_met: int


class CoffeeStore(Protocol):
    """Coffee machines and coffee pairings keep their own schedule here: posts, rounds, groups and answers.

    Claims are what make a post or a message go out once however many workers run: the first to claim wins.
    """

    async def running(self) -> list[tuple[Ritual, Team]]:
        """Coffee machines and pairings that are neither paused nor deleted, with their teams."""
        ...

    async def claim_machine_post(self, ritual_id: int, local_date: date, now: datetime) -> bool:
        """Claim the coffee machine's post of a team-local date; False when it was claimed before."""
        ...

    async def set_joined(self, ritual_id: int, member_id: int, joined: bool) -> None:
        """Record that the member joined (True) or left (False) the pairing; leaving also drops a skip."""
        ...

    async def set_skip(self, ritual_id: int, member_id: int, skip: bool) -> None:
        """Have the member sit out the next round (or not); the round clears every skip once it is formed."""
        ...

    async def participations(self, ritual_id: int) -> dict[int, CoffeeParticipation]:
        """What each member said about the pairing, by member id; members who said nothing are absent."""
        ...

    async def recent_groups(self, ritual_id: int, before: date, rounds: int) -> list[list[tuple[int, ...]]]:
        """The groups of the ritual's last `rounds` rounds on local dates before `before`, newest round first."""
        ...

    async def start_round(
        self, ritual_id: int, local_date: date, now: datetime, groups: Sequence[NewCoffeeGroup]
    ) -> int | None:
        """Store a round with its groups and clear the skips, in one transaction; None when it existed already."""
        ...

    async def latest_round(self, ritual_id: int) -> date | None:
        """The local date of the ritual's latest round, None before the first."""
        ...

    async def due_intros(self, now: datetime, limit: int) -> list[CoffeeGroup]:
        """Groups of running rituals whose introduction is due and not sent, oldest first."""
        ...

    async def due_follow_ups(self, now: datetime, limit: int) -> list[CoffeeGroup]:
        """Introduced groups of running rituals whose "did you meet?" is due and not sent, oldest first."""
        ...

    async def claim_intro(self, group_id: int, now: datetime, follow_up_due_at: datetime | None) -> bool:
        """Mark the introduction sent and plan the follow-up; False when another worker did it first."""
        ...

    async def claim_follow_up(self, group_id: int, now: datetime) -> bool:
        """Mark the follow-up sent; False when another worker did it first."""
        ...

    async def postpone(self, group_id: int, *, intro_due_at: datetime | None = None,
                       follow_up_due_at: datetime | None = None) -> None:
        """Move a group's unsent introduction or follow-up to a later time (someone was not working)."""
        ...

    async def group(self, group_id: int) -> CoffeeGroup | None:
        """One group, if it exists."""
        ...

    async def member_group(self, ritual_id: int, member_id: int) -> CoffeeGroup | None:
        """The member's group (or note) in the ritual's latest round; None when they were not in it."""
        ...

    async def record_met(self, group_id: int, met: bool, now: datetime) -> None:
        """Record the group's answer to "did you meet?"; a later answer replaces an earlier one."""
        ...

    async def stats(self, ritual_id: int) -> CoffeeStats:
        """The pairing's totals over all its rounds."""
        ...


# The team calendar feed ------------------------------------------------------------------------------------


class CalendarFeeds(Protocol):
    """Each team's calendar feed: at most one live token a team, found by its SHA-256 hash (rituals/calendar.py).

    The live token itself is kept too, so any member can be shown the same link again; a revoked feed keeps only
    its hash.
    """

    async def token(self, team_id: int) -> str | None:
        """The team's live token; None before the first feed."""
        ...

    async def start(self, team_id: int, token: str, now: datetime) -> str:
        """Give the team a live feed with `token` unless it has one; returns the live token (the first one wins)."""
        ...

    async def replace(self, team_id: int, token: str, now: datetime) -> str:
        """Revoke the team's live feed, if any, and make `token` the live one, in one transaction; returns it."""
        ...

    async def find(self, token_hash: str) -> tuple[Team, datetime] | None:
        """The team of the live feed with that token hash and when the feed was created; None when revoked or
        unknown."""
        ...


class FocusStore(Protocol):
    """No-meeting windows keep their reminders here; the windows themselves are ordinary rituals in the Store.

    The claim is what makes a window's start reminder go out once a day however many workers run.
    """

    async def running_windows(self) -> list[tuple[Ritual, Team]]:
        """No-meeting windows that are neither paused nor deleted, with their teams."""
        ...

    async def claim_reminder(self, ritual_id: int, local_date: date, now: datetime) -> bool:
        """Claim the window's start reminder of a team-local date; False when it was claimed before."""
        ...


class MessageCounts(Protocol):
    """How many scheduled private messages each member got on a local day of theirs (rituals/pacing.py).

    The count is kept in one place so a daily cap holds across restarts and however many workers run.
    """

    async def take(self, member_id: int, local_date: date, limit: int | None) -> bool:
        """Count one more message on the member's `local_date` unless `limit` were passed; False (and nothing
        counted) when the day already holds `limit`. With `limit` None it always counts."""
        ...

    async def take_many(self, places: Sequence[tuple[int, date]], limit: int) -> list[bool]:
        """`take` for each (member id, local date) in order, in one transaction; whether each was counted."""
        ...

    async def give_back(self, places: Sequence[tuple[int, date]]) -> None:
        """Uncount one message for each (member id, local date): it was counted, then not sent after all."""
        ...

    async def taken(self, member_id: int, local_date: date) -> int:
        """How many messages were counted for the member's `local_date`."""
        ...
