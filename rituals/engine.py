"""The ritual engine: normalized events in, outbound messages out; the schedule's truth stays in the Store."""

from __future__ import annotations

import enum
import logging
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from rituals import audit, borrel, failures, home, pacing, pulse, standup
from rituals.boundaries import Boundaries
from rituals.calendar import CalendarFeedRituals
from rituals.calendar_commands import CALENDAR_COMMANDS, CalendarCommand
from rituals.catalog import Catalog, supported
from rituals.coffee import CoffeeRituals
from rituals.coffee_commands import COFFEE_COMMANDS, CoffeeCommand
from rituals.commands import (
    BORREL_MANAGER_COMMANDS,
    BorrelCreate,
    BorrelHistory,
    BorrelList,
    Command,
    CommandError,
    Help,
    ManagerAdd,
    ManagerAudit,
    ManagerList,
    MeAway,
    MeCountry,
    MeDays,
    MeHours,
    MeLanguage,
    MeShow,
    MeTimezone,
    PulseAction,
    PulseCreate,
    PulseList,
    PulseQuestions,
    StandupAction,
    StandupCreate,
    StandupFailures,
    StandupList,
    parse,
)
from rituals.dashboard import OpenDashboard, SignInLinks
from rituals.events import (
    Actor,
    AnswerSubmitted,
    ButtonClicked,
    CommandInvoked,
    HomeOpened,
    InboundEvent,
    MemberSeen,
)
from rituals.focus import FocusRituals
from rituals.focus_commands import FOCUS_COMMANDS, FocusAdd, FocusCommand
from rituals.limits import CommandLimits
from rituals.model import (
    DEFAULT_REMIND_MINUTES,
    PULSE_DEFAULT_K,
    PULSE_DEFAULT_OPEN_DAYS,
    Answer,
    DeliveryStatus,
    DuePrompt,
    Member,
    Occurrence,
    PulseSettings,
    Ritual,
    RitualKind,
    Role,
    StandupSettings,
    Team,
)
from rituals.outbound import (
    ChannelAddress,
    ChannelPost,
    Form,
    GroupPrompt,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
    Text,
    ThreadReply,
    Update,
    recipient_id,
)
from rituals.ports import (
    AnswerContext,
    BatchResult,
    Clock,
    DeliveryFailure,
    FailureLog,
    MemberChanges,
    MemberDefaults,
    MessageCounts,
    MessageLog,
    NewRitual,
    PlannedDelivery,
    PlannedOccurrence,
    PromptTally,
    PulseStore,
    SentPrompt,
    Store,
)
from rituals.replies import Reply, address_of, channel_of, join_channel_team
from rituals.retries import Retries
from rituals.schedule import dates_around, is_valid_zone, local_date, local_instant, local_time
from rituals.text_safety import code_point, first_invisible

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class EngineSettings:
    """Engine policies an admin may tune."""

    default_timezone: str = "Europe/Amsterdam"
    default_locale: str = "en"
    grace: timedelta = timedelta(hours=2)
    lease: timedelta = timedelta(minutes=2)
    # How soon prompts a platform could not take are tried again (still within their grace).
    retry_after: timedelta = timedelta(seconds=15)
    batch_size: int = 1000
    plan_page_size: int = 500
    plan_days_ahead: int = 1
    pulse_signal: pulse.SignalThresholds = field(default_factory=pulse.SignalThresholds)
    daily_message_cap: int = pacing.DEFAULT_DAILY_CAP


HELP_TOPICS = ("standup", "pulse", "me", "manager", "borrel", "coffee", "focus", "core", "meet-check")


def _shift(at: time, minutes: int) -> time:
    """`at` plus some minutes, held at the end of the day rather than wrapping past midnight."""
    total = min(_minutes(at) + minutes, 23 * 60 + 59)
    return time(total // 60, total % 60)


def _minutes(at: time) -> int:
    """Minutes since midnight."""
    return at.hour * 60 + at.minute


class Engine:
    """Turns inbound events and the passing of time into outbound messages."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        catalog: Catalog,
        settings: EngineSettings,
        failures: FailureLog | None = None,
        pulses: PulseStore | None = None,
        borrels: borrel.Borrels | None = None,
        coffee: CoffeeRituals | None = None,
        calendar: CalendarFeedRituals | None = None,
        focus: FocusRituals | None = None,
        boundaries: Boundaries | None = None,
        message_counts: MessageCounts | None = None,
        audit: audit.AuditLog | None = None,
        dashboard: SignInLinks | None = None,
        messages: MessageLog | None = None,
        observe: Callable[[PromptTally], None] | None = None,
        limits: CommandLimits | None = None,
        retries: Retries | None = None,
    ) -> None:
        self._retries = retries  # scheduled messages a platform could not take (rituals/retries.py); None: lost
        self._limits = limits  # commands per member and per channel per minute (rituals/limits.py); None: no limit
        self._store = store
        self._observe = observe  # the admin's metrics (bot/metrics.py), told of every batch of prompts
        # Where adapters record each message a platform accepted; a prompt found there is never sent again.
        self._messages = messages
        self._dashboard = dashboard  # `/ritme dashboard`'s sign-in links (rituals/dashboard.py)
        # Who changed a team's configuration from chat, and when (rituals/audit.py); without one, nothing is kept.
        self._audit = audit
        # Combining a tick's notes and each member's daily cap (rituals/pacing.py); without counts, no cap.
        self._pacing = pacing.Pacing(catalog=catalog, counts=message_counts, cap=settings.daily_message_cap)
        # When a member may be messaged privately; every scheduled message asks it (rituals/boundaries.py).
        self._boundaries = boundaries or Boundaries()
        # Pulse rounds live apart from the stand-up tables so no row ties a member to an answer (storage/pulse.py).
        self._pulses = pulses
        self._borrels = borrels  # the virtual borrel keeps its own schedule and tables (rituals/borrel.py)
        self._clock = clock
        self._catalog = catalog
        self._settings = settings
        # Where adapters record what they could not deliver; without one, managers are told of none.
        self._failures = failures
        self._schedule_changes = 0
        # The coffee machine and coffee pairing keep their own schedule and tables (rituals/coffee.py).
        self._coffee = coffee
        self._calendar = calendar  # the team calendar feed's link (rituals/calendar.py)
        # No-meeting windows and core hours are rituals; only the windows' reminders have a table (rituals/focus.py).
        self._focus = focus

    @property
    def schedule_changes(self) -> int:
        """How often the schedule was changed so far; a caller compares it before and after `handle` to know
        whether the event may have made something due at once (a run-now, a new stand-up, a member joining)."""
        return self._schedule_changes

    # Inbound ------------------------------------------------------------------------------------------------

    async def handle(self, event: InboundEvent) -> list[Message]:
        """React to one inbound event."""
        if isinstance(event, CommandInvoked):
            return await self._on_command(event)
        if isinstance(event, AnswerSubmitted):
            return await self._on_answer(event)
        if isinstance(event, ButtonClicked):
            return await self._on_button(event)
        if isinstance(event, HomeOpened):
            return [await self._on_home(event)]
        if isinstance(event, MemberSeen):
            member = await self._member(event.actor)
            team = await self._store.upsert_team(
                event.actor.platform, event.actor.workspace_id, event.channel_id, event.channel_name
            )
            await self._store.join_team(team.id, member.id)
            # Someone who joins after today's stand-up was planned is still asked today, if their day allows.
            await self.plan(self._clock.now(), member_id=member.id)
            return []
        raise TypeError(f"unknown event {type(event).__name__}")

    async def _member(self, actor: Actor) -> Member:
        timezone = actor.timezone if actor.timezone and is_valid_zone(actor.timezone) else None
        defaults = MemberDefaults(
            timezone=timezone or self._settings.default_timezone,
            locale=supported(actor.locale or self._settings.default_locale),
        )
        return await self._store.upsert_member(
            # An event without a name (Teams sends some) must not replace a known name; the store keeps it.
            actor.platform, actor.workspace_id, actor.user_id, actor.display_name, defaults
        )

    async def _on_command(self, event: CommandInvoked) -> list[Message]:
        # Before anything is written: a command over a limit changes nothing, and is answered once a wait at most.
        if self._limits is not None and (refused := await self._limits.refuse(event)) is not None:
            return refused
        member = await self._member(event.actor)
        channel = None
        team = None
        if not event.direct:
            channel = ChannelAddress(
                platform=event.actor.platform, workspace_id=event.actor.workspace_id, channel_id=event.channel_id
            )
            team = await self._store.find_team(event.actor.platform, event.actor.workspace_id, event.channel_id)
        reply = Reply(self._catalog, member, channel)
        now = self._clock.now()
        try:
            command = parse(event.text, today=local_date(now, member.timezone))
            messages = await self._run(command, member, event, team, reply, now)
        except CommandError as error:
            return [reply(error.key, **error.params)]
        # Only here, after the command ran without a CommandError: a refused command leaves no entry.
        await self._record_change(command, member, event, now)
        return messages

    async def _record_change(self, command: object, member: Member, event: CommandInvoked, now: datetime) -> None:
        """Write a configuration change made from chat to the team's audit log, with the command as typed."""
        action = audit.action_of(command)
        if self._audit is None or action is None or event.direct:
            return
        # Looked up again: the command may have just made the channel a team (the first stand-up of a channel).
        team = await self._store.find_team(event.actor.platform, event.actor.workspace_id, event.channel_id)
        if team is None:
            return
        await self._audit.record(team_id=team.id, actor_member_id=member.id, source="chat", action=action,
                                 detail=audit.trimmed(event.text), at=now)

    async def _run(
        self, command: Command | CoffeeCommand | CalendarCommand | FocusCommand | OpenDashboard, member: Member,
        event: CommandInvoked, team: Team | None, reply: Reply, now: datetime,
    ) -> list[Message]:
        """Carry out a parsed command; nothing is written before every check has passed."""
        if isinstance(command, Help):
            topic = command.topic if command.topic in HELP_TOPICS else "main"
            return [reply(f"help.{topic}")]
        if isinstance(command, PulseQuestions):
            return [reply.text(pulse.bank_text(self._catalog, member.locale))]
        if isinstance(command, OpenDashboard):
            if self._dashboard is None:
                raise RuntimeError("a dashboard command came in but the engine was built without SignInLinks")
            return await self._dashboard.reply(member, reply)
        if isinstance(command, (MeShow, MeTimezone, MeHours, MeDays, MeAway, MeLanguage, MeCountry)):
            return [await self._on_me(command, member, reply, now)]
        if event.direct:
            raise CommandError("error.no_team")
        name = team.name if team else (event.channel_name or event.channel_id)
        managers = await self._store.managers(team.id) if team else []
        if isinstance(command, COFFEE_COMMANDS):
            return await self._coffee_rituals().run(command, member, event, team, managers, reply, now)
        if isinstance(command, CALENDAR_COMMANDS):
            if self._calendar is None:
                raise RuntimeError("a calendar command came in but the engine was built without CalendarFeedRituals")
            return await self._calendar.run(command, member, event, team, managers, reply, now)
        if isinstance(command, FOCUS_COMMANDS):
            if isinstance(command, FocusAdd):
                self._schedule_changes += 1  # a window that starts now has its reminder due at once
            return await self._focus_rituals().run(command, member, event, team, managers, reply, now)
        if isinstance(command, (StandupList, PulseList)):
            kind = RitualKind.PULSE if isinstance(command, PulseList) else RitualKind.STANDUP
            rituals = [r for r in await self._store.rituals(team.id) if r.kind is kind] if team else []
            return [self._list_rituals(kind, rituals, name, reply)]
        if isinstance(command, (BorrelList, BorrelHistory)):
            return await self._borrel().read(command, team, name, reply, now)
        if isinstance(command, ManagerList):
            if not managers:
                return [reply("manager.none", team=name)]
            names = self._catalog.names(member.locale, [m.display_name for m in managers])
            return [reply("manager.list", team=name, names=names)]
        # Only managers get past here, and the first person to set a team up becomes its manager.
        first = isinstance(command, (StandupCreate, PulseCreate, BorrelCreate)) and not managers
        if not first and not member.is_admin and not any(m.id == member.id for m in managers):
            who = self._catalog.names(member.locale, [m.display_name for m in managers])
            raise CommandError(
                "error.not_manager", team=name, managers=who or self._catalog.text(member.locale, "role.admin")
            )
        if isinstance(command, StandupCreate):
            return await self._create_standup(command, member, event, first, reply, now)
        if isinstance(command, PulseCreate):
            return await self._create_pulse(command, member, event, first, reply, now)
        if isinstance(command, ManagerAdd):
            return [await self._add_manager(command, member, event, reply)]
        if isinstance(command, ManagerAudit):
            entries = await self._audit.recent(team.id, audit.SHOWN) if self._audit and team else []
            return [reply.text(audit.report(self._catalog, member, name, entries))]
        if isinstance(command, BORREL_MANAGER_COMMANDS):
            # A new, resumed or moved borrel may have its invite or reminder due at once: let the caller tick.
            self._schedule_changes += 1
            if isinstance(command, BorrelCreate):
                return await self._borrel().create(command, member, event, first, reply, now)
            return await self._borrel().manage(command, team, name, reply, now)
        if team is None:
            raise CommandError("error.no_pulse" if isinstance(command, PulseAction) else "error.no_standup", team=name)
        if isinstance(command, PulseAction):
            return await self._pulse_action(command, team, reply, now)
        if isinstance(command, StandupFailures):
            return [await self._failures_report(team, reply, now)]
        return await self._standup_action(command, team, reply, now)

    def _borrel(self) -> borrel.Borrels:
        if self._borrels is None:
            raise RuntimeError("a borrel command came in but the engine was built without Borrels")
        return self._borrels

    async def _failures_report(self, team: Team, reply: Reply, now: datetime) -> Prompt:
        """What could not be delivered to the team's channel or members lately, newest first."""
        members = await self._store.team_members(team.id)
        found, count = await self._team_failures(team, members, now, failures.SHOWN)
        return reply.text(failures.report(self._catalog, reply.member, team, members, found, count))

    async def _team_failures(
        self, team: Team, members: Sequence[Member], now: datetime, limit: int
    ) -> tuple[Sequence[DeliveryFailure], int]:
        """The team's latest failures of the window (at most `limit`) and how many there were in all."""
        if self._failures is None:
            return [], 0
        since, recipients = failures.since(now), failures.recipients(team, members)
        found = await self._failures.recent(
            team.platform, team.workspace_id, since, recipients=recipients, limit=limit
        )
        if not found:
            return found, 0
        return found, await self._failures.count(team.platform, team.workspace_id, since, recipients=recipients)

    async def _create_standup(
        self, command: StandupCreate, member: Member, event: CommandInvoked, first: bool, reply: Reply,
        now: datetime,
    ) -> list[Message]:
        template = standup.TEMPLATES[command.template]
        at = command.at or template.at
        digest_at = command.digest_at or _shift(at, template.digest_after_minutes)
        if _minutes(digest_at) <= _minutes(at):
            raise CommandError("error.digest_before", digest=self._catalog.time(digest_at),
                               at=self._catalog.time(at), example=self._catalog.time(_shift(at, 60)))
        remind = None if command.remind_off else (command.remind_after_minutes or DEFAULT_REMIND_MINUTES)
        settings = StandupSettings(
            template=command.template, questions=command.questions, digest_at=digest_at, remind_after_minutes=remind
        )
        team, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        ritual = await self._store.add_ritual(
            NewRitual(
                team_id=team.id,
                kind=RitualKind.STANDUP,
                at=at,
                days=command.days or template.days,
                timezone=command.timezone or member.timezone,
                locale=member.locale,
                settings=settings,
                created_by=member.id,
            )
        )
        await self.plan(now, ritual_id=ritual.id)
        remind_text = (
            self._catalog.text(member.locale, "standup.remind_on", minutes=remind)
            if remind
            else self._catalog.text(member.locale, "standup.remind_off")
        )
        replies.append(
            reply(
                "standup.created",
                id=ritual.id,
                team=team.name,
                days=self._catalog.days(member.locale, ritual.days),
                at=self._catalog.time(ritual.at),
                digest=self._catalog.time(digest_at),
                zone=ritual.timezone,
                remind=remind_text,
            )
        )
        return replies

    def _list_rituals(self, kind: RitualKind, rituals: list[Ritual], team_name: str, reply: Reply) -> Prompt:
        """`standup list` or `pulse list`: the team's rituals of that kind."""
        if not rituals:
            return reply(f"{kind.value}.list_empty", team=team_name)
        locale = reply.member.locale
        lines = [self._catalog.text(locale, f"{kind.value}.list_header", team=team_name)]
        describe = pulse.list_item if kind is RitualKind.PULSE else standup.list_item
        lines.extend(describe(self._catalog, locale, ritual) for ritual in rituals)
        return reply.plain("\n".join(lines))

    async def _pick_ritual(self, command: StandupAction | PulseAction, team: Team) -> Ritual:
        # Stand-ups and pulses share ids but not commands: `standup pause 3` never pauses pulse 3.
        kind = RitualKind.PULSE if isinstance(command, PulseAction) else RitualKind.STANDUP
        rituals = [r for r in await self._store.rituals(team.id) if r.kind is kind]
        if not rituals:
            raise CommandError(f"error.no_{kind.value}", team=team.name)
        if command.ritual_id is None:
            if command.action in ("run", "digest"):
                # The demo's buttons and a hurried manager mean the stand-up they set up last.
                return ([r for r in rituals if not r.paused] or rituals)[-1]
            if len(rituals) > 1:
                raise CommandError(f"error.which_{kind.value}", team=team.name, verb=command.action,
                                   example=rituals[0].id)
            return rituals[0]
        for ritual in rituals:
            if ritual.id == command.ritual_id:
                return ritual
        ids = ", ".join(str(r.id) for r in rituals)
        raise CommandError(f"error.unknown_{kind.value}", team=team.name, id=command.ritual_id, ids=ids,
                           verb=command.action, example=rituals[0].id)

    async def _create_pulse(
        self, command: PulseCreate, member: Member, event: CommandInvoked, first: bool, reply: Reply,
        now: datetime,
    ) -> list[Message]:
        today = local_date(now, member.timezone)
        settings = PulseSettings(
            questions_per_round=command.questions_per_round,
            pinned=command.pinned,
            k=command.k or PULSE_DEFAULT_K,
            audience=command.audience,
            every_weeks=command.every_weeks,
            anchor=today - timedelta(days=today.weekday()),
            open_days=command.open_days or PULSE_DEFAULT_OPEN_DAYS,
            # A round closes at the hour it opened: "Friday 14:00 to Monday 14:00" is easy to remember.
            closes_at=command.at,
            remind=command.remind,
        )
        team, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        ritual = await self._store.add_ritual(
            NewRitual(team_id=team.id, kind=RitualKind.PULSE, at=command.at, days=(command.day,),
                      timezone=member.timezone, locale=member.locale, settings=settings, created_by=member.id)
        )
        await self.plan(now, ritual_id=ritual.id)
        locale = member.locale
        pinned = ", ".join(f"`{qid}`" for qid in settings.pinned)
        replies.append(reply(
            "pulse.created", team=team.name,
            pinned=self._catalog.text(locale, "pulse.pinned", ids=pinned) if pinned else "",
            remind=self._catalog.text(locale, "pulse.remind_on" if settings.remind else "pulse.remind_off"),
            **pulse.describe(self._catalog, locale, ritual),
        ))
        return replies

    async def _pulse_action(self, command: PulseAction, team: Team, reply: Reply, now: datetime) -> list[Message]:
        ritual = await self._pick_ritual(command, team)
        if command.action == "pause":
            await self._store.set_paused(ritual.id, True)
            return [reply("pulse.paused", id=ritual.id)]
        if command.action == "resume":
            await self._store.set_paused(ritual.id, False)
            await self.plan(now, ritual_id=ritual.id)
            return [reply("pulse.resumed", id=ritual.id)]
        await self._store.delete_ritual(ritual.id)
        return [reply("pulse.deleted", id=ritual.id)]

    async def _standup_action(
        self, command: Command, team: Team, reply: Reply, now: datetime
    ) -> list[Message]:
        assert isinstance(command, StandupAction)
        ritual = await self._pick_ritual(command, team)
        if command.action == "pause":
            await self._store.set_paused(ritual.id, True)
            return [reply("standup.paused", id=ritual.id)]
        if command.action == "resume":
            await self._store.set_paused(ritual.id, False)
            await self.plan(now, ritual_id=ritual.id)
            return [reply("standup.resumed", id=ritual.id)]
        if command.action == "delete":
            await self._store.delete_ritual(ritual.id)
            return [reply("standup.deleted", id=ritual.id)]
        if command.action == "digest":
            return await self._digest_now(ritual, reply, now)
        return await self._run_now(ritual, team, reply, now)

    async def _digest_now(self, ritual: Ritual, reply: Reply, now: datetime) -> list[Message]:
        """Post today's digest early; refused while nobody has been asked, so the day is not closed by mistake."""
        occurrence = await self._store.occurrence(ritual.id, local_date(now, ritual.timezone))
        if occurrence is None:
            raise CommandError("error.digest_nobody", id=ritual.id)
        if occurrence.digest_posted_at is not None:
            raise CommandError("error.digest_done", id=ritual.id)
        if not (await self._store.digest_context(occurrence.id)).entries:
            raise CommandError("error.digest_nobody", id=ritual.id)
        posted = await self._post_digest(occurrence.id, now)
        if not posted:
            raise CommandError("error.digest_done", id=ritual.id)
        return [*posted, reply("standup.digest_posted", id=ritual.id)]

    async def _run_now(self, ritual: Ritual, team: Team, reply: Reply, now: datetime) -> list[Message]:
        """Make today's prompts due now; the dispatcher sends them. Nobody is asked twice on one date."""
        today = local_date(now, ritual.timezone)
        occurrence = await self._store.occurrence(ritual.id, today)
        if occurrence is not None and occurrence.digest_posted_at is not None:
            return [reply("standup.run_done", id=ritual.id)]
        # The digest keeps its time if that is still ahead; otherwise members get the stand-up's usual window.
        digest_due = occurrence.digest_due_at if occurrence else local_instant(
            today, ritual.standup.digest_at, ritual.timezone
        )
        if digest_due <= now:
            digest_due = now + timedelta(minutes=_minutes(ritual.standup.digest_at) - _minutes(ritual.at))
        ready: list[Member] = []
        resting: list[str] = []
        for member in await self._store.team_members(team.id):
            # A member whose own date is already past the stand-up's may have had that day's prompt: leave them be.
            if self._reachable(member, now) and local_date(now, member.timezone) <= today:
                ready.append(member)
            else:
                resting.append(member.display_name)
        deliveries = tuple(PlannedDelivery(member_id=m.id, due_at=now) for m in ready)
        await self._store.plan(
            [PlannedOccurrence(ritual_id=ritual.id, local_date=today, digest_due_at=digest_due, deliveries=deliveries)]
        )
        occurrence = await self._store.occurrence(ritual.id, today)
        assert occurrence is not None
        prompted = await self._store.bring_forward(occurrence.id, [m.id for m in ready], now, digest_due)
        self._schedule_changes += 1
        replies: list[Message] = [reply("standup.run", id=ritual.id, count=prompted)]
        if resting:
            replies.append(reply("standup.run_skipped", names=self._catalog.names(reply.member.locale, resting)))
        return replies

    async def _on_me(self, command: Command, member: Member, reply: Reply, now: datetime) -> Prompt:
        catalog = self._catalog
        locale = member.locale
        if isinstance(command, MeShow):
            facts = home.member_facts(catalog, member, local_date(now, member.timezone),
                                      self._boundaries.country_of(member))
            until = facts.pop("until")
            away = catalog.text(locale, "me.away_note", until=until) if until else ""
            return reply("me.show", away=away, **facts)
        if isinstance(command, MeLanguage):
            await self._store.update_member(member.id, MemberChanges(locale=command.locale))
            return reply.in_locale(command.locale, "me.language_set")
        if isinstance(command, MeTimezone):
            changes = MemberChanges(timezone=command.timezone)
            answer = reply("me.timezone_set", zone=command.timezone,
                           now=catalog.time(local_time(now, command.timezone)))
        elif isinstance(command, MeHours):
            changes = MemberChanges(work_start=command.start, work_end=command.end)
            answer = reply("me.hours_set", start=catalog.time(command.start), end=catalog.time(command.end))
        elif isinstance(command, MeDays):
            changes = MemberChanges(work_days=command.days)
            answer = reply("me.days_set", days=catalog.days(locale, command.days))
        elif isinstance(command, MeCountry):
            changes = MemberChanges(country=command.country, clear_country=command.country is None)
            answer = (reply("me.country_set", country=command.country) if command.country
                      else reply("me.country_off", country=self._boundaries.country_of(replace(member, country=""))))
        elif isinstance(command, MeAway):
            changes = MemberChanges(away_until=command.until, clear_away=command.until is None)
            answer = (reply("me.away_set", until=catalog.date(locale, command.until)) if command.until
                      else reply("me.away_off"))
        else:
            raise TypeError(f"unhandled command {command!r}")
        await self._store.update_member(member.id, changes)
        # Prompts not sent yet were planned with the old times; plan this member's again.
        await self._store.replan_member(member.id)
        await self.plan(now, member_id=member.id)
        return answer

    async def _on_home(self, event: HomeOpened) -> HomeView:
        """The member's overview: their rituals with their next prompt, their settings, and the teams they manage."""
        member = await self._member(event.actor)
        now = self._clock.now()
        memberships = await self._store.memberships(member.id)
        yours = [
            home.YourRitual(
                team=membership.team,
                ritual=ritual,
                next_prompt=None if ritual.paused else self._next_prompt(ritual, member, now),
            )
            for membership in memberships
            for ritual in membership.rituals
            # The overview's line for a ritual of yours reads like a stand-up (time, digest); pulses show to managers.
            if ritual.kind is RitualKind.STANDUP
        ]
        managed: list[home.ManagedTeam] = []
        for membership in memberships:
            if membership.role is not Role.MANAGER:
                continue
            members = await self._store.team_members(membership.team.id)
            latest, count = await self._team_failures(membership.team, members, now, 1)
            managed.append(
                home.ManagedTeam(
                    team=membership.team,
                    rituals=membership.rituals,
                    members=tuple(members),
                    latest=latest[0] if latest else None,
                    failure_count=count,
                )
            )
        return home.view(
            catalog=self._catalog, member=member, address=address_of(member), yours=yours, managed=managed, now=now,
            country=self._boundaries.country_of(member),
        )

    def _next_prompt(self, ritual: Ritual, member: Member, now: datetime) -> datetime | None:
        """When the member is next asked for a running ritual, by the planner's and the dispatcher's rules.

        A week past their time away covers every weekday; None when their days or hours never meet the ritual's.
        """
        day = local_date(now, ritual.timezone)
        last = max(day, member.away_until or day) + timedelta(days=7)
        while day <= last:
            if day.weekday() in ritual.days and self._boundaries.works_on(member, day):
                due = self._due_at(ritual, member, day)
                digest_due = local_instant(day, ritual.standup.digest_at, ritual.timezone)
                if due is not None and now <= due < digest_due:
                    return due
            day += timedelta(days=1)
        return None

    async def _add_manager(self, command: ManagerAdd, member: Member, event: CommandInvoked, reply: Reply) -> Prompt:
        found = await self._store.find_members(member.platform, member.workspace_id, command.who)
        if not found:
            raise CommandError("error.unknown_member", who=command.who)
        if len(found) > 1:
            raise CommandError("error.ambiguous_member", who=command.who, example=found[0].user_id)
        team = await self._store.upsert_team(
            event.actor.platform, event.actor.workspace_id, event.channel_id, event.channel_name
        )
        await self._store.set_role(team.id, found[0].id, Role.MANAGER)
        return reply("manager.added", name=found[0].display_name, team=team.name)

    async def _on_answer(self, event: AnswerSubmitted) -> list[Message]:
        if self._limits is not None and (refused := await self._limits.refuse_press(event)) is not None:
            return refused
        member = await self._member(event.actor)

        def refuse(key: str, **params: Any) -> list[Message]:
            return [Prompt(to=address_of(member), text=Text.plain(self._catalog.text(member.locale, key, **params)))]

        context = await self._store.answer_context(event.delivery_id)
        # A claimed prompt may already be on the member's screen while the rest of its batch is being sent.
        delivered = context is not None and context.delivery.status in (DeliveryStatus.CLAIMED, DeliveryStatus.SENT)
        if context is None or context.member.id != member.id or not delivered:
            return refuse("error.answer_unknown")
        if context.ritual.kind is RitualKind.PULSE:
            return await self._pulse_answer(context.ritual, context.occurrence, context.delivery.id, member,
                                            event.values, refuse)
        expected = len(standup.questions(context.ritual, self._catalog, member.locale))
        values = tuple(value.strip() for value in event.values)
        if len(values) != expected:
            return refuse("error.answer_count", count=len(values), expected=expected)
        longest = max((len(value) for value in values), default=0)
        if longest > standup.MAX_ANSWER_LENGTH:
            return refuse("error.answer_long", length=longest, limit=standup.MAX_ANSWER_LENGTH)
        # A NUL or a bidi override is refused, not stored: PostgreSQL rejects the one, the other can disguise text.
        invisible = next(filter(None, (first_invisible(value, multiline=True) for value in values)), None)
        if invisible is not None:
            return refuse("error.answer_invisible", code=code_point(invisible))
        if not any(values):
            return refuse("error.answer_empty")
        now = self._clock.now()
        occurrence = context.occurrence
        closed = self._catalog.date(member.locale, occurrence.local_date)
        late = occurrence.digest_posted_at is not None
        if late and context.previous is not None:
            return refuse("error.answer_closed", date=closed)
        answer = Answer(delivery_id=context.delivery.id, member_id=member.id, values=values, submitted_at=now,
                        late=late)
        if not await self._store.save_answer(answer):
            # The digest went out while the member was typing: an earlier answer is in it, a first one joins it late.
            if context.previous is not None:
                return refuse("error.answer_closed", date=closed)
            late = True
            await self._store.save_answer(replace(answer, late=True))
        key = standup.form_key(context.delivery.id)
        if late:
            text = standup.late_answer_text(catalog=self._catalog, ritual=context.ritual, member=member, values=values)
            return [
                ThreadReply(to=channel_of(context.team), thread_key=standup.digest_key(occurrence.id), text=text),
                Update(key=key, to=address_of(member),
                       text=Text.plain(self._catalog.text(member.locale, "standup.late_saved"))),
            ]
        deadline = self._catalog.time(local_time(occurrence.digest_due_at, member.timezone))
        saved = self._catalog.text(member.locale, "standup.saved", deadline=deadline)
        return [
            Update(
                key=key,
                to=address_of(member),
                text=Text.plain(saved),
                buttons=(standup.edit_button(self._catalog, member.locale, context.delivery.id),),
            )
        ]

    async def _pulse_answer(
        self, ritual: Ritual, occurrence: Occurrence, delivery_id: int, member: Member, values: Sequence[str],
        refuse: Callable[..., list[Message]],
    ) -> list[Message]:
        """Take a pulse answer: scores and comment go to the store without a name; never logged, never echoed."""
        pulses = self._pulse_store()
        closed = self._catalog.date(member.locale, occurrence.local_date)
        if occurrence.digest_posted_at is not None:
            return refuse("error.pulse_closed", date=closed)
        try:
            answer = pulse.read_answer(await pulses.round_questions(occurrence.id), values)
        except pulse.AnswerRefused as refused:
            return refuse(refused.key, **refused.params)
        if not await pulses.respond(occurrence.id, member.id, dict(answer.scores), answer.comment):
            if await pulses.is_closed(occurrence.id):
                return refuse("error.pulse_closed", date=closed)
            return refuse("error.pulse_answered")
        saved = pulse.saved_text(self._catalog, member, deadline=occurrence.digest_due_at, k=ritual.pulse.k)
        return [Update(key=pulse.form_key(delivery_id), to=address_of(member), text=saved)]

    async def _on_button(self, event: ButtonClicked) -> list[Message]:
        if self._limits is not None and (refused := await self._limits.refuse_press(event)) is not None:
            return refused
        member = await self._member(event.actor)
        if event.action == standup.EDIT_ACTION and event.value.isdigit():
            context = await self._store.answer_context(int(event.value))
            if context is not None and context.member.id == member.id and context.ritual.kind is RitualKind.PULSE:
                # Slack's "Answer" button on a pulse DM asks for the pulse form itself, while the round takes one.
                return await self._pulse_form_again(context, member)
            if context is not None and context.member.id == member.id:
                # After the digest only a first answer is still taken (into its thread); a given one is final.
                if context.occurrence.digest_posted_at is not None and context.previous is not None:
                    day = self._catalog.date(member.locale, context.occurrence.local_date)
                    text = self._catalog.text(member.locale, "error.answer_closed", date=day)
                    return [Prompt(to=address_of(member), text=Text.plain(text))]
                previous = context.previous.values if context.previous else ()
                deadline = context.occurrence.digest_due_at
                return [self._form(context.ritual, member, context.team, context.delivery.id, deadline, previous)]
        if event.action.startswith("coffee.") and self._coffee is not None:
            return await self._coffee.on_button(member, event.action, event.value)
        if event.action == borrel.RSVP_ACTION and self._borrels is not None:
            answered = await self._borrels.rsvp(member, event.value, self._clock.now())
            if answered:
                return answered
        if event.action in (pulse.TALK_ACTION, pulse.TALK_CONFIRM_ACTION) and event.value.isdigit():
            talk = await self._on_talk(member, int(event.value), confirmed=event.action == pulse.TALK_CONFIRM_ACTION)
            if talk:
                return talk
        text = self._catalog.text(member.locale, "error.unknown_button")
        return [Prompt(to=address_of(member), text=Text.plain(text))]

    async def _pulse_form_again(self, context: AnswerContext, member: Member) -> list[Message]:
        """A member's pulse form once more (to open it as a modal), or why there is none: closed, or answered."""
        pulses = self._pulse_store()
        occurrence = context.occurrence
        if occurrence.digest_posted_at is not None or await pulses.is_closed(occurrence.id):
            day = self._catalog.date(member.locale, occurrence.local_date)
            text = self._catalog.text(member.locale, "error.pulse_closed", date=day)
            return [Prompt(to=address_of(member), text=Text.plain(text))]
        if await pulses.has_responded(occurrence.id, member.id):
            text = self._catalog.text(member.locale, "error.pulse_answered")
            return [Prompt(to=address_of(member), text=Text.plain(text))]
        questions = await self._round_questions(context.ritual, occurrence.id, context.delivery.local_date)
        return [pulse.prompt_form(
            catalog=self._catalog, member=member, address=address_of(member), team_name=context.team.name,
            delivery_id=context.delivery.id, question_ids=questions, deadline=occurrence.digest_due_at,
            k=context.ritual.pulse.k,
        )]

    async def _on_talk(self, member: Member, delivery_id: int, *, confirmed: bool) -> list[Message]:
        """"I'd like a chat": first say exactly what will be shared, then, once confirmed, tell the managers.

        Nothing of the pulse goes with it: not the member's answers, not whether they answered at all.
        """
        context = await self._store.answer_context(delivery_id)
        if context is None or context.member.id != member.id or context.ritual.kind is not RitualKind.PULSE:
            return []
        team, locale = context.team, member.locale
        managers = [m for m in await self._store.managers(team.id) if m.id != member.id]
        names = [m.display_name for m in managers]
        key = pulse.talk_key(delivery_id)
        if not confirmed or not managers:
            explanation = pulse.talk_explanation(self._catalog, locale, team_name=team.name, manager_names=names)
            buttons = (pulse.talk_confirm_button(self._catalog, locale, delivery_id),) if managers else ()
            return [Update(key=key, to=address_of(member), text=explanation, buttons=buttons)]
        requests: list[Message] = [
            Prompt(
                key=f"{key}:{manager.id}",
                to=address_of(manager),
                text=pulse.talk_request_text(
                    self._catalog, manager.locale, name=member.display_name, team_name=team.name
                ),
            )
            for manager in managers
        ]
        sent = pulse.talk_sent_text(self._catalog, locale, team_name=team.name, manager_names=names)
        return [*requests, Update(key=key, to=address_of(member), text=sent)]

    # Time ---------------------------------------------------------------------------------------------------

    async def plan(self, now: datetime, *, ritual_id: int | None = None, member_id: int | None = None) -> int:
        """Keep today's and tomorrow's occurrences of running rituals in the schedule (all, one, or one member's)."""
        self._schedule_changes += 1
        added = 0
        after_id = 0
        # A page of rituals at a time: 100,000 members' plans never sit in memory at once.
        while page := await self._store.planning_view(
            ritual_id=ritual_id, member_id=member_id, after_id=after_id, limit=self._settings.plan_page_size
        ):
            planned = [occurrence for ritual, members in page for occurrence in self._plan_ritual(ritual, members, now)]
            if planned:
                added += await self._store.plan(planned)
            after_id = page[-1][0].id
        return added

    def _plan_ritual(self, ritual: Ritual, members: Sequence[Member], now: datetime) -> list[PlannedOccurrence]:
        if ritual.kind is RitualKind.PULSE:
            return self._plan_pulse(ritual, members, now)
        if ritual.kind is not RitualKind.STANDUP:
            return []  # borrels, coffee, no-meeting windows and core hours keep their own schedule, not prompt rows
        occurrences = []
        for day in dates_around(now, ritual.timezone, self._settings.plan_days_ahead):
            if day.weekday() not in ritual.days:
                continue
            digest_due = local_instant(day, ritual.standup.digest_at, ritual.timezone)
            if digest_due <= now:
                continue
            deliveries = []
            for member in members:
                due = self._due_at(ritual, member, day)
                if due is not None and not self._boundaries.reachable(member, due):
                    # A day off, a holiday or time away: their next working window if it comes before the digest;
                    # otherwise the prompt stays due then, and the dispatcher skips and records it.
                    due = self._boundaries.next_reachable(member, due, until=digest_due) or due
                # Someone whose morning comes after the digest (far west, or a late start) is not asked at all.
                if due is not None and now - self._settings.grace <= due < digest_due:
                    deliveries.append(PlannedDelivery(member_id=member.id, due_at=due))
            occurrences.append(
                PlannedOccurrence(
                    ritual_id=ritual.id, local_date=day, digest_due_at=digest_due, deliveries=tuple(deliveries)
                )
            )
        return occurrences

    def _plan_pulse(self, ritual: Ritual, members: Sequence[Member], now: datetime) -> list[PlannedOccurrence]:
        """A pulse's rounds that are open now or open soon; the round's "digest" is its close.

        A round is open for days, so rounds that opened up to a week ago are planned too: a member back from time
        away, or joining mid-round, is still asked while it is open (the store keeps one prompt per member a round).
        """
        settings = ritual.pulse
        today = local_date(now, ritual.timezone)
        occurrences = []
        for offset in range(-settings.open_days, self._settings.plan_days_ahead + 1):
            day = today + timedelta(days=offset)
            weeks = (day - settings.anchor).days // 7
            if day.weekday() not in ritual.days or weeks % settings.every_weeks:
                continue
            close = local_instant(pulse.close_day(ritual, day), settings.closes_at, ritual.timezone)
            if close <= now:
                continue
            deliveries = []
            for member in members:
                due = self._pulse_due_at(ritual, member, day, close, now)
                if due is not None:
                    deliveries.append(PlannedDelivery(member_id=member.id, due_at=due))
            occurrences.append(
                PlannedOccurrence(
                    ritual_id=ritual.id, local_date=day, digest_due_at=close, deliveries=tuple(deliveries)
                )
            )
        return occurrences

    def _pulse_due_at(
        self, ritual: Ritual, member: Member, opens: date, close: datetime, now: datetime
    ) -> datetime | None:
        """The member's first working moment from the round's opening until it closes, not away and not already
        past the grace; None when the member has no such moment in the round."""
        day = opens
        while day <= pulse.close_day(ritual, opens):
            due = self._due_at(ritual, member, day) if self._boundaries.works_on(member, day) else None
            if due is not None and now - self._settings.grace <= due < close:
                return due
            day += timedelta(days=1)
        return None

    def _due_at(self, ritual: Ritual, member: Member, day: date) -> datetime | None:
        """When a member is prompted on their local `day`: the ritual's time, or their start if that is later."""
        at = max(ritual.at, member.work_start)
        if at >= member.work_end:
            return None
        return local_instant(day, at, member.timezone)

    def _reachable(self, member: Member, now: datetime) -> bool:
        """True when messaging the member now respects their days, hours, holidays and time away."""
        return self._boundaries.reachable(member, now)

    async def _record_skip(self, member: Member, key: str, now: datetime, reason: str | None = None) -> None:
        """Keep a scheduled message held back for the member's free time (or their daily cap, when `reason`
        says so) where managers see failures."""
        held_back = self._boundaries.why_not(member, now)
        reason = reason or (held_back.value if held_back is not None else None)
        if self._failures is not None and reason is not None:
            await self._failures.record(failures.skipped(member, key, reason, now))

    async def due(
        self, now: datetime, stopping: Callable[[], bool] = lambda: False
    ) -> AsyncGenerator[list[Message], BatchResult | None]:
        """Everything that has come due by `now`, in batches to hand to the outbox as they are ready.

        Whoever sends a batch may answer with what became of it (`asend(BatchResult(...))`): prompts it did not
        deliver are handed back to be sent later, refused ones are not tried again. Plain iteration (`async for`)
        means everything went out. Once `stopping()` is true (a graceful shutdown), nothing more is claimed.
        """
        prompts = self._send_due_prompts(now, stopping)
        delivery: BatchResult | None = None
        while True:
            try:
                batch = await prompts.asend(delivery)
            except StopAsyncIteration:
                break
            delivery = yield batch
        if stopping():
            return
        # Everything else of the tick is gathered first, so one member's notes from different rituals can become
        # one message and be counted once (rituals/pacing.py); each was claimed before it came here.
        rest: list[Message] = list(await self._reminders(now))
        for occurrence_id in await self._store.due_digests(now):
            rest.extend(await self._post_digest(occurrence_id, now))
        if self._borrels is not None:
            async for batch in self._borrels.due(now):
                rest.extend(batch)
        if self._coffee is not None:
            async for batch in self._coffee.due(now):
                rest.extend(batch)
        if self._focus is not None:
            async for batch in self._focus.due(now):
                rest.extend(batch)
        paced = await self._pace(rest, now) if rest else []
        retried = await self._retries.due(now) if self._retries is not None else []
        if paced or retried:
            result = yield [*paced, *(held.message for held in retried)]
            if self._retries is not None:
                await self._retries.settle(retried, paced, result, now)
            elif result is not None and result.undelivered:
                log.error("%d messages (digests, reminders, invitations) were not delivered: %s",
                          len(result.undelivered), ", ".join(message.key for message in result.undelivered))

    async def _pace(self, messages: list[Message], now: datetime) -> list[Message]:
        """The tick's messages combined and within each member's daily cap; what the cap kept back is recorded."""
        members: dict[MemberAddress, Member] = {}
        for message in messages:
            addresses = message.to if isinstance(message, GroupPrompt) else (
                (message.to,) if isinstance(message, Prompt) else ())
            for address in addresses:
                if address not in members:
                    found = await self._store.find_members(address.platform, address.workspace_id, address.user_id)
                    exact = [member for member in found if member.user_id == address.user_id]
                    if exact:
                        members[address] = exact[0]
        paced, refused = await self._pacing.pace(messages, members, now)
        for refusal in refused:
            await self._record_skip(refusal.member, refusal.message.key, now, pacing.CAPPED)
        return paced

    async def _send_due_prompts(
        self, now: datetime, stopping: Callable[[], bool]
    ) -> AsyncGenerator[list[Message], BatchResult | None]:
        """Prompts in batches; each batch is recorded once the consumer has taken it and said what was delivered."""
        while not stopping():
            batch = await self._store.claim_due_prompts(
                now, self._settings.grace, self._settings.lease, self._settings.batch_size
            )
            if not batch:
                return
            prompts: list[tuple[DuePrompt, list[Message]]] = []
            skipped: list[int] = []
            deferred: list[tuple[int, datetime]] = []
            reachable: list[DuePrompt] = []
            for due in batch:
                if self._reachable(due.member, now):
                    reachable.append(due)
                    continue
                # Claimed in the member's free time: their next working window if the deadline allows.
                later = self._boundaries.next_reachable(due.member, now, until=due.digest_due_at)
                if later is not None:
                    deferred.append((due.delivery.id, later))
                else:
                    skipped.append(due.delivery.id)
                    await self._record_skip(due.member, self._prompt_key(due), now)
            admitted = await self._pacing.admit_many([due.member for due in reachable], now)
            for due, admit in zip(reachable, admitted, strict=True):
                if not admit:
                    # The member's day is full: their next working day if the deadline allows (a pulse round).
                    later = self._boundaries.next_reachable(due.member, self._next_day(due.member, now),
                                                            until=due.digest_due_at)
                    if later is not None:
                        deferred.append((due.delivery.id, later))
                    else:
                        skipped.append(due.delivery.id)
                        await self._record_skip(due.member, self._prompt_key(due), now, pacing.CAPPED)
                    continue
                if due.ritual.kind is RitualKind.PULSE:
                    prompts.append((due, await self._pulse_prompt(due)))
                else:
                    prompts.append((due, [self._form(due.ritual, due.member, due.team, due.delivery.id,
                                                     due.digest_due_at)]))
            await self._store.defer_prompts(deferred)
            unsent = await self._not_posted_yet([message for _, messages in prompts for message in messages])
            outcome_of = _outcomes((yield unsent))
            sent: list[DuePrompt] = []
            retry: list[DuePrompt] = []
            for due, messages in prompts:
                outcome = outcome_of(messages)
                if outcome is _Outcome.UNDELIVERED:
                    retry.append(due)
                elif outcome is _Outcome.REFUSED:
                    skipped.append(due.delivery.id)
                else:
                    sent.append(due)
            await self._store.finish_prompts([self._sent(due, now) for due in sent], skipped, now)
            # Claimed still, until a short while from now: the platform may be back by then, and the due time (so
            # the grace) stays the prompt's own. On a shutdown they are free at once, for another replica.
            sent_at = self._clock.now()
            await self._store.release_prompts([due.delivery.id for due in retry],
                                              sent_at if stopping() else sent_at + self._settings.retry_after)
            # Not sent, so not counted: a platform down for a while must not use up the members' day.
            await self._pacing.give_back([due.member for due in retry], now)
            if self._observe is not None:
                self._observe(PromptTally(
                    claimed=len(batch), sent=len(sent), deferred=len(deferred), retried=len(retry),
                    skipped=len(skipped),
                    lag_seconds=tuple(max(0.0, (sent_at - due.delivery.due_at).total_seconds()) for due in sent),
                ))
            if len(batch) < self._settings.batch_size or retry:
                # A platform that could not take this batch will not take the next one now either.
                return

    async def _not_posted_yet(self, messages: list[Message]) -> list[Message]:
        """The messages the log has no post of: a prompt taken over from a replica that stopped after sending it,
        but before recording it as sent, is not sent twice."""
        if self._messages is None or not messages:
            return messages
        posted = await self._messages.posted_keys({message.key for message in messages})
        if not posted:
            return messages
        return [message for message in messages if (message.key, recipient_id(message)) not in posted]

    @staticmethod
    def _next_day(member: Member, now: datetime) -> datetime:
        """The start of the member's next local day."""
        return local_instant(local_date(now, member.timezone) + timedelta(days=1), time(0), member.timezone)

    @staticmethod
    def _prompt_key(due: DuePrompt) -> str:
        """The key the prompt would have had, so a skip names what was held back."""
        if due.ritual.kind is RitualKind.PULSE:
            return pulse.form_key(due.delivery.id)
        return standup.form_key(due.delivery.id)

    def _form(
        self, ritual: Ritual, member: Member, team: Team, delivery_id: int, deadline: datetime,
        values: tuple[str, ...] = (),
    ) -> Form:
        return standup.prompt_form(
            catalog=self._catalog, ritual=ritual, member=member, address=address_of(member), team_name=team.name,
            delivery_id=delivery_id, deadline=deadline, values=values,
        )

    def _focus_rituals(self) -> FocusRituals:
        if self._focus is None:
            raise RuntimeError("a focus command came in but the engine was built without FocusRituals")
        return self._focus

    def _coffee_rituals(self) -> CoffeeRituals:
        if self._coffee is None:
            raise RuntimeError("a coffee command came in but the engine was built without CoffeeRituals")
        return self._coffee

    def _pulse_store(self) -> PulseStore:
        if self._pulses is None:
            raise RuntimeError("a pulse ritual exists but the engine was built without a PulseStore")
        return self._pulses

    async def _round_questions(self, ritual: Ritual, occurrence_id: int, opens: date) -> tuple[str, ...]:
        """The round's questions, picked once (the first prompt of the round) and the same for everyone after."""
        pulses = self._pulse_store()
        asked = await pulses.round_questions(occurrence_id)
        if asked:
            return asked
        settings = ritual.pulse
        recent = await pulses.recent_questions(ritual.id, opens, len(pulse.BANK_IDS))
        picked = pulse.pick_questions(
            pulse.BANK_IDS, pinned=settings.pinned, recent_rounds=list(reversed(recent)),
            count=settings.questions_per_round, seed=occurrence_id,
        )
        # Two workers may pick at once; the store keeps the first and both send what it kept.
        return await pulses.set_round_questions(occurrence_id, picked)

    async def _pulse_prompt(self, due: DuePrompt) -> list[Message]:
        """The anonymous form and, apart from it, the talk button."""
        questions = await self._round_questions(due.ritual, due.delivery.occurrence_id, due.delivery.local_date)
        return list(pulse.prompt_messages(
            catalog=self._catalog, member=due.member, address=address_of(due.member), team_name=due.team.name,
            delivery_id=due.delivery.id, question_ids=questions, deadline=due.digest_due_at, k=due.ritual.pulse.k,
        ))

    def _pulse_remind_at(self, due: DuePrompt, now: datetime) -> datetime | None:
        """The start of the member's last working day of the round, at least an hour after the prompt and before
        the close, so the one reminder lands in their hours when it helps most; None when there is no such day."""
        member = due.member
        day = local_date(due.digest_due_at, member.timezone)
        first = local_date(now, member.timezone)
        while day >= first:
            if self._boundaries.works_on(member, day):
                at = local_instant(day, member.work_start, member.timezone)
                if now + timedelta(hours=1) <= at <= due.digest_due_at - timedelta(hours=1):
                    return at
            day -= timedelta(days=1)
        return None

    def _sent(self, due: DuePrompt, now: datetime) -> SentPrompt:
        """A delivered prompt with its one reminder, counted from when it really went out and before the digest."""
        if due.ritual.kind is RitualKind.PULSE:
            remind_at = self._pulse_remind_at(due, now) if due.ritual.pulse.remind else None
            return SentPrompt(delivery_id=due.delivery.id, remind_at=remind_at)
        minutes = due.ritual.standup.remind_after_minutes
        remind = now + timedelta(minutes=minutes) if minutes else None
        if remind is not None and remind >= due.digest_due_at:
            remind = None
        return SentPrompt(delivery_id=due.delivery.id, remind_at=remind)

    async def reopen(self, platform: str) -> list[Form]:
        """The forms still open on a platform that keeps no history of its own (the local chat after a restart)."""
        forms: list[Form] = []
        for due in await self._store.open_prompts(platform):
            if due.ritual.kind is RitualKind.PULSE:
                # A member who answered has no form to come back to: an answer cannot be changed, it has no name.
                if not await self._pulse_store().has_responded(due.delivery.occurrence_id, due.member.id):
                    forms.append(pulse.prompt_form(
                        catalog=self._catalog, member=due.member, address=address_of(due.member),
                        team_name=due.team.name, delivery_id=due.delivery.id, deadline=due.digest_due_at,
                        question_ids=await self._round_questions(due.ritual, due.delivery.occurrence_id,
                                                                 due.delivery.local_date),
                        k=due.ritual.pulse.k,
                    ))
                continue
            context = await self._store.answer_context(due.delivery.id)
            previous = context.previous.values if context and context.previous else ()
            forms.append(
                self._form(due.ritual, due.member, due.team, due.delivery.id, due.digest_due_at, previous)
            )
        return forms

    async def _reminders(self, now: datetime) -> list[Message]:
        due_list = await self._store.due_reminders(now, self._settings.batch_size)
        messages: list[tuple[int, Message]] = []
        deferred: list[tuple[int, datetime]] = []
        for due in due_list:
            if not self._reachable(due.member, now):
                # A reminder is only worth sending before the deadline; otherwise it is dropped and recorded.
                later = self._boundaries.next_reachable(due.member, now, until=due.digest_due_at)
                if later is not None:
                    deferred.append((due.delivery.id, later))
                else:
                    kind = "pulse" if due.ritual.kind is RitualKind.PULSE else "standup"
                    await self._record_skip(due.member, f"{kind}-reminder:{due.delivery.id}", now)
                continue
            if due.ritual.kind is RitualKind.PULSE:
                # Whether someone answered lives only in the pulse store, apart from what they answered.
                if await self._pulse_store().unresponded(due.delivery.occurrence_id, [due.member.id]):
                    text_ = pulse.reminder_text(self._catalog, due.member, team_name=due.team.name,
                                                deadline=due.digest_due_at)
                    messages.append((due.delivery.id, Prompt(key=f"pulse-reminder:{due.delivery.id}",
                                                             to=address_of(due.member), text=text_,
                                                             expires_at=due.digest_due_at)))
                continue
            deadline = self._catalog.time(local_time(due.digest_due_at, due.member.timezone))
            text = self._catalog.text(due.member.locale, "standup.reminder", team=due.team.name, deadline=deadline)
            messages.append((
                due.delivery.id,
                Prompt(key=f"standup-reminder:{due.delivery.id}", to=address_of(due.member), text=Text.plain(text),
                       expires_at=due.digest_due_at),
            ))
        await self._store.defer_reminders(deferred)
        later_ids = {delivery_id for delivery_id, _ in deferred}
        done = [due.delivery.id for due in due_list if due.delivery.id not in later_ids]
        # Another replica may have read the same reminders: only those this one claimed are sent.
        claimed = await self._store.mark_reminded(done, now) if done else set()
        return [message for delivery_id, message in messages if delivery_id in claimed]

    async def _close_round(
        self, ritual: Ritual, team: Team, occurrence_id: int, opened: date, prompted: int
    ) -> list[Message]:
        """Close a pulse round once (claim_digest already made this worker the only one) and share its results."""
        pulses = self._pulse_store()
        if not await pulses.round_questions(occurrence_id):
            return []  # nobody was ever prompted, so nothing was asked and there is nothing to say
        counts = await pulses.close_round(occurrence_id, prompted)
        if counts is None:
            return []
        k = ritual.pulse.k
        history = list(reversed(await pulses.history(ritual.id, opened, pulse.TREND_ROUNDS)))  # oldest first
        summary = pulse.summarize(counts, history, k)
        earlier = [pulse.summarize(rnd, history[:i], k) for i, rnd in enumerate(history)]
        managers = await self._store.managers(team.id)
        messages: list[Message] = []
        if ritual.pulse.audience == "channel":
            text_ = pulse.results_text(summary, catalog=self._catalog, locale=ritual.locale, team_name=team.name)
            messages.append(ChannelPost(key=pulse.results_key(occurrence_id), to=channel_of(team), text=text_))
        else:
            messages.extend(
                Prompt(key=pulse.results_key(occurrence_id), to=address_of(manager),
                       text=pulse.results_text(summary, catalog=self._catalog, locale=manager.locale,
                                               team_name=team.name))
                for manager in managers
            )
        found = pulse.signal(summary, earlier, self._settings.pulse_signal)
        if found is not None:
            messages.extend(
                Prompt(key=f"pulse-signal:{occurrence_id}", to=address_of(manager),
                       text=pulse.signal_text(found, catalog=self._catalog, locale=manager.locale,
                                              team_name=team.name))
                for manager in managers
            )
        return messages

    async def _post_digest(self, occurrence_id: int, now: datetime) -> list[Message]:
        context = await self._store.claim_digest(occurrence_id, now)
        if context is not None and context.ritual.kind is RitualKind.PULSE:
            return await self._close_round(context.ritual, context.team, context.occurrence.id,
                                           context.occurrence.local_date, len(context.entries))
        if context is None or not context.entries:
            # Nobody was prompted (all away, paused, or missed after downtime): an empty post would only be noise.
            return []
        ritual = context.ritual
        text = standup.digest_text(
            catalog=self._catalog,
            ritual=ritual,
            team_name=context.team.name,
            day_text=self._catalog.date(ritual.locale, context.occurrence.local_date),
            entries=context.entries,
        )
        return [ChannelPost(key=standup.digest_key(occurrence_id), to=channel_of(context.team), text=text)]


class _Outcome(enum.Enum):
    SENT = "sent"
    UNDELIVERED = "undelivered"
    REFUSED = "refused"


def _outcomes(delivery: BatchResult | None) -> Callable[[Sequence[Message]], _Outcome]:
    """What became of one prompt's messages: any not delivered means the prompt is tried again (its messages that
    did go out are then found in the message log and not sent twice). Keys name a prompt's messages uniquely."""
    undelivered = {message.key for message in delivery.undelivered} if delivery else set()
    refused = {message.key for message in delivery.refused} if delivery else set()

    def outcome(messages: Sequence[Message]) -> _Outcome:
        if any(message.key in undelivered for message in messages):
            return _Outcome.UNDELIVERED
        if any(message.key in refused for message in messages):
            return _Outcome.REFUSED
        return _Outcome.SENT

    return outcome
