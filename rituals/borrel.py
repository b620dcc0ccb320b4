"""The virtual borrel: a recurring after-work drink with an invite, RSVPs, a reminder and an attendance line.

The research behind Ritme: remote teams miss spontaneous contact most, and the advice is to plan it ("spreek een
uur per week een digitale borrel af"). So a manager sets one up once; each time, the team channel gets an invite
with RSVP buttons and a live count, those who said join or maybe get a reminder just before the start in their
own zone and language, and afterwards a short attendance line is kept for the team's history.

The invite names who joins, and only counts the maybes and the noes: seeing who comes draws others in, while a
"not this time" should cost nobody anything in front of the team.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from rituals.boundaries import Boundaries
from rituals.catalog import Catalog
from rituals.commands import (
    BorrelAction,
    BorrelCancel,
    BorrelCommand,
    BorrelCreate,
    BorrelHistory,
    BorrelList,
    BorrelMove,
    CommandError,
    DayRef,
)
from rituals.events import CommandInvoked
from rituals.failures import skipped
from rituals.model import BorrelSettings, Member, Ritual, RitualKind, Team
from rituals.outbound import Button, ChannelPost, ChannelUpdate, Line, Message, Prompt, Span, Text
from rituals.ports import (
    BORREL_ANSWERS,
    BorrelContext,
    BorrelOccurrence,
    BorrelStore,
    Clock,
    FailureLog,
    NewRitual,
    Rsvp,
    Store,
)
from rituals.replies import Reply, address_of, channel_of, join_channel_team
from rituals.schedule import local_date, local_instant, local_time

RSVP_ACTION = "borrel.rsvp"
ICEBREAKERS = 10  # borrel.icebreaker.1 .. .10 in the catalog
INVITE_AT = time(10, 0)  # the invite's day starts with it, well before an after-work start
HISTORY_SHOWN = 8
SEARCH_DAYS = 7 * 4 * 2 + 7  # far enough to find the next date of a series held every four weeks
State = Literal["open", "cancelled", "ended"]


def invite_key(occurrence_id: int) -> str:
    """The key of an occurrence's invite, so every RSVP, cancel, move and end updates it in place."""
    return f"borrel-invite:{occurrence_id}"


@dataclass(frozen=True, kw_only=True)
class Times:
    """When an occurrence starts and ends, and when its invite and reminder go."""

    starts_at: datetime
    ends_at: datetime
    invite_at: datetime
    remind_at: datetime


def times(ritual: Ritual, day: date, at: time | None = None) -> Times:
    """An occurrence's times on a team-local day: invite `invite_days` before at 10:00, but never less than an hour
    (or the reminder's lead) before the start; reminder `remind_minutes` before."""
    settings = ritual.borrel
    start = local_instant(day, at or ritual.at, ritual.timezone)
    lead = timedelta(minutes=max(60, settings.remind_minutes + 10))
    invite = min(local_instant(day - timedelta(days=settings.invite_days), INVITE_AT, ritual.timezone), start - lead)
    return Times(starts_at=start, ends_at=start + timedelta(minutes=settings.minutes), invite_at=invite,
                 remind_at=start - timedelta(minutes=settings.remind_minutes))


def is_borrel_day(ritual: Ritual, day: date) -> bool:
    """True when the series meets on that team-local day (its weekday, and its week when every few weeks)."""
    settings = ritual.borrel
    return day.weekday() in ritual.days and ((day - settings.anchor).days // 7) % settings.every_weeks == 0


def icebreaker(ritual: Ritual, day: date) -> int:
    """The icebreaker of an occurrence, 1..ICEBREAKERS: the next one each time, starting where the ritual's id says
    so two teams' borrels do not ask the same thing the same week."""
    settings = ritual.borrel
    weekdays = sorted(ritual.days)
    number = ((day - settings.anchor).days // 7) // settings.every_weeks * len(weekdays)
    number += weekdays.index(day.weekday()) if day.weekday() in weekdays else 0
    return (number + ritual.id) % ICEBREAKERS + 1


class Borrels:
    """Everything borrel: its commands, its schedule's due work, and RSVPs; the engine only routes to it."""

    def __init__(self, *, store: BorrelStore, rituals: Store, catalog: Catalog, clock: Clock,
                 boundaries: Boundaries | None = None, failures: FailureLog | None = None) -> None:
        self._store = store
        # Reminders are private messages on a schedule, so they keep each member's free time like any other.
        self._boundaries = boundaries or Boundaries()
        self._failures = failures  # where a reminder held back for someone's free time is recorded
        self._rituals = rituals  # the engine's Store: teams, managers and the ritual rows themselves
        self._catalog = catalog
        self._clock = clock

    # Commands -------------------------------------------------------------------------------------------------

    async def create(
        self, command: BorrelCreate, member: Member, event: CommandInvoked, first: bool, reply: Reply, now: datetime
    ) -> list[Message]:
        """Set up a recurring borrel; the first person to configure the channel becomes its manager."""
        today = local_date(now, member.timezone)
        settings = BorrelSettings(
            minutes=command.minutes, link=command.link, theme_mode=command.theme_mode, theme=command.theme,
            every_weeks=command.every_weeks, anchor=today - timedelta(days=today.weekday()),
            remind_minutes=command.remind_minutes, invite_days=command.invite_days,
        )
        team, replies = await join_channel_team(self._rituals, member, event, first=first, reply=reply)
        ritual = await self._rituals.add_ritual(
            NewRitual(team_id=team.id, kind=RitualKind.BORREL, at=command.at, days=(command.day,),
                      timezone=command.timezone or member.timezone, locale=member.locale, settings=settings,
                      created_by=member.id)
        )
        locale = member.locale
        nxt = self._next_day(ritual, now)
        lines = [self._catalog.text(locale, "borrel.created", team=team.name, **self._describe(ritual, locale)),
                 self._catalog.text(locale, "borrel.created_next", date=self._catalog.date(locale, nxt))
                 if nxt else ""]
        replies.append(reply.text(_with_link("\n".join(line for line in lines if line), settings.link,
                                             self._catalog.text(locale, "borrel.link_label"))))
        return replies

    async def read(self, command: BorrelList | BorrelHistory, team: Team | None, name: str, reply: Reply,
                   now: datetime) -> list[Message]:
        """`borrel list` and `borrel history`, for anyone in the channel."""
        locale = reply.member.locale
        rituals = await self._series(team)
        if not rituals:
            return [reply("borrel.list_empty", team=name)]
        if isinstance(command, BorrelList):
            lines: list[Line] = [(Span(text=self._catalog.text(locale, "borrel.list_header", team=name)),)]
            for ritual in rituals:
                lines.extend(_with_link(self._list_item(ritual, locale, now), ritual.borrel.link,
                                        self._catalog.text(locale, "borrel.link_label")).lines)
            return [reply.text(Text(tuple(lines)))]
        assert team is not None
        ritual = self._pick(rituals, command.ritual_id, team, "history")
        past = await self._store.history(ritual.id, HISTORY_SHOWN)
        if not past:
            return [reply("borrel.history_empty", id=ritual.id)]
        rows = [self._catalog.text(locale, "borrel.history_header", id=ritual.id, team=name)]
        rows.extend(self._attendance(locale, occurrence) for occurrence in past)
        return [reply.plain("\n".join(rows))]

    async def manage(self, command: BorrelCommand, team: Team | None, name: str, reply: Reply,
                     now: datetime) -> list[Message]:
        """A manager's cancel, move, pause, resume or delete."""
        rituals = await self._series(team)
        if team is None or not rituals:
            raise CommandError("error.no_borrel", team=name, example=_example())
        if isinstance(command, BorrelAction):
            ritual = self._pick(rituals, command.ritual_id, team, command.action)
            if command.action == "delete":
                await self._rituals.delete_ritual(ritual.id)
            else:
                await self._rituals.set_paused(ritual.id, command.action == "pause")
            return [reply(f"borrel.{command.action}d", id=ritual.id)]
        if isinstance(command, BorrelCancel):
            ritual = self._pick(rituals, command.ritual_id, team, "cancel")
            occurrence = await self._occurrence(ritual, command.which, now)
            return await self._cancel(ritual, team, occurrence, reply, now)
        assert isinstance(command, BorrelMove)
        ritual = self._pick(rituals, command.ritual_id, team, "move")
        occurrence = await self._occurrence(ritual, command.which, now)
        return await self._move(ritual, team, occurrence, command.to, command.at, reply, now)

    async def _series(self, team: Team | None) -> list[Ritual]:
        if team is None:
            return []
        return [r for r in await self._rituals.rituals(team.id) if r.kind is RitualKind.BORREL]

    def _pick(self, rituals: Sequence[Ritual], ritual_id: int | None, team: Team, verb: str) -> Ritual:
        if ritual_id is None:
            if len(rituals) > 1:
                raise CommandError("error.which_borrel", team=team.name, verb=verb, example=rituals[0].id)
            return rituals[0]
        for ritual in rituals:
            if ritual.id == ritual_id:
                return ritual
        raise CommandError("error.unknown_borrel", team=team.name, id=ritual_id,
                           ids=", ".join(str(r.id) for r in rituals), verb=verb, example=rituals[0].id)

    def _next_day(self, ritual: Ritual, now: datetime, after: date | None = None) -> date | None:
        """The series' first team-local day (after `after`) whose borrel has not ended by `now`."""
        day = after + timedelta(days=1) if after else local_date(now, ritual.timezone)
        for _ in range(SEARCH_DAYS):
            if is_borrel_day(ritual, day) and times(ritual, day).ends_at > now:
                return day
            day += timedelta(days=1)
        return None

    async def _occurrence(self, ritual: Ritual, which: DayRef | None, now: datetime) -> BorrelOccurrence:
        """The occurrence a manager means: on a date or weekday, or else the next one that is not cancelled."""
        upcoming = await self._store.upcoming(ritual.id, now)
        today = local_date(now, ritual.timezone)
        if which is not None:
            day = which if isinstance(which, date) else today + timedelta(days=(which - today.weekday()) % 7)
            if not isinstance(which, date) and times(ritual, day).ends_at <= now:
                day += timedelta(days=7)  # "fri" on a Friday evening after the borrel means next Friday's
            for occurrence in upcoming:
                if day in (occurrence.local_date, local_date(occurrence.starts_at, ritual.timezone)):
                    return occurrence
            if is_borrel_day(ritual, day) and times(ritual, day).ends_at > now:
                return await self._ensure(ritual, day)
            nxt = self._next_day(ritual, now)
            raise CommandError("error.borrel_no_date", date=self._catalog.date(ritual.locale, day), id=ritual.id,
                               example=nxt.isoformat() if nxt else today.isoformat())
        known = {occurrence.local_date for occurrence in upcoming}
        candidates = [o for o in upcoming if o.cancelled_at is None]
        planned = self._next_day(ritual, now)
        while planned is not None and planned in known:
            planned = self._next_day(ritual, now, after=planned)
        if planned is not None and (not candidates or times(ritual, planned).starts_at < candidates[0].starts_at):
            return await self._ensure(ritual, planned)
        if not candidates:
            raise CommandError("error.borrel_none_ahead", id=ritual.id, example=_example())
        return candidates[0]

    async def _ensure(self, ritual: Ritual, day: date) -> BorrelOccurrence:
        planned = times(ritual, day)
        return await self._store.ensure_occurrence(
            ritual.id, day, starts_at=planned.starts_at, ends_at=planned.ends_at, invite_at=planned.invite_at,
            remind_at=planned.remind_at,
        )

    async def _cancel(self, ritual: Ritual, team: Team, occurrence: BorrelOccurrence, reply: Reply,
                      now: datetime) -> list[Message]:
        day = self._catalog.date(reply.member.locale, occurrence.local_date)
        if not await self._store.cancel(occurrence.id, now):
            raise CommandError("error.borrel_cancelled", id=ritual.id, date=day)
        messages: list[Message] = []
        told = 0
        if occurrence.invite_sent_at is not None:
            context = BorrelContext(occurrence=occurrence, ritual=ritual, team=team)
            rsvps = await self._store.rsvps(occurrence.id)
            messages.append(self._invite(context, rsvps, "cancelled", update=True))
            for rsvp in rsvps:
                if rsvp.answer in ("join", "maybe"):
                    told += 1
                    messages.append(self._private(rsvp.member, f"borrel-cancelled:{occurrence.id}", "borrel.cancelled",
                                                  team=team.name, **self._when(rsvp.member, occurrence.starts_at)))
        messages.append(reply("borrel.cancel_done", id=ritual.id, date=day, count=told))
        return messages

    async def _move(self, ritual: Ritual, team: Team, occurrence: BorrelOccurrence, to: DayRef | None, at: time,
                    reply: Reply, now: datetime) -> list[Message]:
        old_day = local_date(occurrence.starts_at, ritual.timezone)
        if to is None:
            day = old_day
        elif isinstance(to, date):
            day = to
        else:  # a weekday means that day of the occurrence's own week: "Friday's borrel moves to Thursday"
            day = old_day - timedelta(days=old_day.weekday()) + timedelta(days=to)
        planned = times(ritual, day, at)
        locale = reply.member.locale
        if planned.starts_at <= now:
            raise CommandError("error.borrel_move_past", date=self._catalog.date(locale, day),
                               at=self._catalog.time(at), example=_move_example(ritual))
        invite_at = occurrence.invite_at if occurrence.invite_sent_at else planned.invite_at
        if not await self._store.move(occurrence.id, starts_at=planned.starts_at, ends_at=planned.ends_at,
                                      invite_at=invite_at, remind_at=planned.remind_at):
            raise CommandError("error.borrel_cancelled", id=ritual.id,
                               date=self._catalog.date(locale, occurrence.local_date))
        moved = BorrelOccurrence(**{**occurrence.__dict__, "starts_at": planned.starts_at,
                                    "ends_at": planned.ends_at, "invite_at": invite_at,
                                    "remind_at": planned.remind_at, "reminded_at": None})
        messages: list[Message] = []
        if occurrence.invite_sent_at is not None:
            context = BorrelContext(occurrence=moved, ritual=ritual, team=team)
            rsvps = await self._store.rsvps(occurrence.id)
            messages.append(self._invite(context, rsvps, "open", update=True))
            messages.extend(
                self._private(rsvp.member, f"borrel-moved:{occurrence.id}", "borrel.moved", team=team.name,
                              **self._when(rsvp.member, planned.starts_at))
                for rsvp in rsvps if rsvp.answer in ("join", "maybe")
            )
        messages.append(reply("borrel.move_done", id=ritual.id, old=self._catalog.date(locale, occurrence.local_date),
                              date=self._catalog.date(locale, day), at=self._catalog.time(at), zone=ritual.timezone))
        return messages

    # Buttons --------------------------------------------------------------------------------------------------

    async def rsvp(self, member: Member, value: str, now: datetime) -> list[Message]:
        """A click on join, maybe or no: store it (replacing an earlier one), update the invite, answer privately."""
        occurrence_text, _, answer = value.partition(":")
        if not occurrence_text.isdigit() or answer not in BORREL_ANSWERS:
            return []
        context = await self._store.context(int(occurrence_text))
        # A click names the borrel by id only: one from another workspace or tenant is no answer to this invite.
        if context is None or (member.platform, member.workspace_id) != (context.team.platform,
                                                                          context.team.workspace_id):
            return []
        occurrence = context.occurrence
        if not await self._store.rsvp(occurrence.id, member.id, answer, now):
            day = self._catalog.date(member.locale, occurrence.local_date)
            key = "borrel.rsvp_cancelled" if occurrence.cancelled_at else "borrel.rsvp_closed"
            return [self._private(member, "", key, date=day)]
        await self._rituals.join_team(context.team.id, member.id)  # whoever answers in a channel is in it
        rsvps = await self._store.rsvps(occurrence.id)
        return [
            self._invite(context, rsvps, "open", update=True),
            self._private(member, f"borrel-rsvp:{occurrence.id}", f"borrel.rsvp.{answer}", team=context.team.name,
                          minutes=context.ritual.borrel.remind_minutes, **self._when(member, occurrence.starts_at)),
        ]

    # Time -----------------------------------------------------------------------------------------------------

    async def due(self, now: datetime) -> AsyncIterator[list[Message]]:
        """Invites, reminders and closings that have come due by `now`, each claimed so it happens once."""
        for ritual in await self._store.running_borrels():
            day = local_date(now, ritual.timezone)
            # Rows are made once their invite is due: the claim below then finds them, and nothing is kept for
            # dates nobody has been told about yet (cancel and move make their own).
            for offset in range(ritual.borrel.invite_days + 2):
                candidate = day + timedelta(days=offset)
                planned = times(ritual, candidate)
                if is_borrel_day(ritual, candidate) and planned.invite_at <= now < planned.starts_at:
                    await self._ensure(ritual, candidate)
        invites = [self._invite(context, [], "open", update=False) for context in await self._store.claim_invites(now)]
        if invites:
            yield invites
        reminders: list[Message] = []
        for context in await self._store.claim_reminders(now):
            reminders.extend(await self._reminders(context, now))
        if reminders:
            yield reminders
        closings: list[Message] = []
        for context in await self._store.claim_closings(now):
            if context.occurrence.invite_sent_at is not None and context.occurrence.cancelled_at is None:
                closings.append(self._invite(context, await self._store.rsvps(context.occurrence.id), "ended",
                                             update=True))
        if closings:
            yield closings

    async def _reminders(self, context: BorrelContext, now: datetime) -> list[Message]:
        """A private reminder to each who said join or maybe, in their zone and language, when it is their working
        time (rituals/boundaries.py); the start is its deadline, so one outside it is skipped and recorded."""
        occurrence = context.occurrence
        minutes = max(1, math.ceil((occurrence.starts_at - now).total_seconds() / 60))
        messages: list[Message] = []
        for rsvp in await self._store.rsvps(occurrence.id):
            member = rsvp.member
            if rsvp.answer not in ("join", "maybe"):
                continue
            key = f"borrel-reminder:{occurrence.id}"
            held_back = self._boundaries.why_not(member, now)
            if held_back is not None:
                if self._failures is not None:
                    await self._failures.record(skipped(member, key, held_back.value, now))
                continue
            text = self._catalog.text(member.locale, "borrel.reminder", team=context.team.name, minutes=minutes,
                                      **self._when(member, occurrence.starts_at))
            lines = list(_with_link(text, context.ritual.borrel.link,
                                    self._catalog.text(member.locale, "borrel.link_label")).lines)
            theme = self._theme_line(context.ritual, occurrence.local_date, member.locale)
            if theme:
                lines.append(theme)
            messages.append(Prompt(key=key, to=address_of(member), text=Text(tuple(lines)),
                                   expires_at=occurrence.starts_at))
        return messages

    # Texts ----------------------------------------------------------------------------------------------------

    def _invite(self, context: BorrelContext, rsvps: Sequence[Rsvp], state: State, *, update: bool) -> Message:
        """The channel invite in the team's language and zone, with the live count and, while open, the buttons."""
        ritual, occurrence, team = context.ritual, context.occurrence, context.team
        locale, zone = ritual.locale, ritual.timezone
        catalog = self._catalog
        start_day = local_date(occurrence.starts_at, zone)
        lines: list[Line] = [
            (Span(text=catalog.text(locale, "borrel.invite_title", team=team.name), bold=True),),
            (Span(text=catalog.text(locale, "borrel.invite_when", date=catalog.date(locale, start_day),
                                    start=catalog.time(local_time(occurrence.starts_at, zone)),
                                    end=catalog.time(local_time(occurrence.ends_at, zone)), zone=zone)),),
        ]
        planned = times(ritual, occurrence.local_date).starts_at
        if planned != occurrence.starts_at:  # moved: say from when, so nobody keeps the old time in mind
            lines.append((Span(text=catalog.text(locale, "borrel.moved_from", date=catalog.date(locale, local_date(
                planned, zone)), time=catalog.time(local_time(planned, zone)))),))
        lines.extend(_with_link("", ritual.borrel.link, catalog.text(locale, "borrel.link_label")).lines)
        theme = self._theme_line(ritual, occurrence.local_date, locale)
        if theme:
            lines.append(theme)
        joined = [r.member.display_name for r in rsvps if r.answer == "join"]
        count = {answer: sum(1 for r in rsvps if r.answer == answer) for answer in BORREL_ANSWERS}
        counts = catalog.text(locale, "borrel.counts", joined=count["join"], maybe=count["maybe"], no=count["no"])
        count_line: list[Span] = [Span(text=counts)]
        if joined:
            count_line += [Span(text=" — "), Span(text=catalog.names(locale, joined), user=True)]
        lines.append(tuple(count_line))
        if state != "open":
            lines.append((Span(text=catalog.text(locale, f"borrel.state.{state}"), bold=True),))
        buttons = tuple(
            Button(label=catalog.text(locale, f"borrel.button.{answer}"), action=RSVP_ACTION,
                   value=f"{occurrence.id}:{answer}")
            for answer in BORREL_ANSWERS
        ) if state == "open" else ()
        key = invite_key(occurrence.id)
        if update:
            return ChannelUpdate(key=key, to=channel_of(team), text=Text(tuple(lines)), buttons=buttons)
        return ChannelPost(key=key, to=channel_of(team), text=Text(tuple(lines)), buttons=buttons,
                           expires_at=occurrence.starts_at)

    def _theme_line(self, ritual: Ritual, day: date, locale: str) -> Line | None:
        settings = ritual.borrel
        if settings.theme_mode == "off":
            return None
        if settings.theme_mode == "fixed":
            return (Span(text=self._catalog.text(locale, "borrel.theme_label")), Span(text=settings.theme, user=True))
        question = self._catalog.text(locale, f"borrel.icebreaker.{icebreaker(ritual, day)}")
        return (Span(text=self._catalog.text(locale, "borrel.icebreaker_label") + question),)

    def _when(self, member: Member, starts_at: datetime) -> dict[str, str]:
        """A start as the member reads it: their date, their time, their zone."""
        return {"date": self._catalog.date(member.locale, local_date(starts_at, member.timezone)),
                "time": self._catalog.time(local_time(starts_at, member.timezone)), "zone": member.timezone}

    def _private(self, member: Member, key: str, message: str, **params: object) -> Prompt:
        return Prompt(key=key, to=address_of(member), text=Text.plain(self._catalog.text(member.locale, message,
                                                                                        **params)))

    def _describe(self, ritual: Ritual, locale: str) -> dict[str, object]:
        settings = ritual.borrel
        catalog = self._catalog
        end = (datetime.combine(date(2000, 1, 3), ritual.at) + timedelta(minutes=settings.minutes)).time()
        theme = {"rotate": catalog.text(locale, "borrel.theme.rotate"), "off": catalog.text(locale, "borrel.theme.off"),
                 "fixed": catalog.text(locale, "borrel.theme.fixed", theme=settings.theme)}[settings.theme_mode]
        return {"id": ritual.id, "day": catalog.days(locale, ritual.days), "start": catalog.time(ritual.at),
                "end": catalog.time(end), "zone": ritual.timezone,
                "every": catalog.text(locale, f"borrel.every.{settings.every_weeks}"), "theme": theme,
                "remind": settings.remind_minutes,
                "invite": catalog.text(locale, "borrel.invite.same_day") if settings.invite_days == 0
                else catalog.text(locale, "borrel.invite.days", days=settings.invite_days)}

    def _list_item(self, ritual: Ritual, locale: str, now: datetime) -> str:
        paused = self._catalog.text(locale, "standup.list_paused") if ritual.paused else ""
        nxt = self._next_day(ritual, now)
        return self._catalog.text(locale, "borrel.list_item", paused=paused,
                                  next=self._catalog.date(locale, nxt) if nxt else "-",
                                  **self._describe(ritual, locale))

    def _attendance(self, locale: str, occurrence: BorrelOccurrence) -> str:
        day = self._catalog.date(locale, occurrence.local_date)
        if occurrence.cancelled_at is not None:
            return self._catalog.text(locale, "borrel.history_cancelled", date=day)
        return self._catalog.text(locale, "borrel.history_line", date=day, joined=occurrence.joined or 0,
                                  maybe=occurrence.maybe or 0, no=occurrence.declined or 0)


def list_item(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """One borrel as a manager's overview shows it (no next date: the overview has no clock)."""
    settings = ritual.borrel
    end = (datetime.combine(date(2000, 1, 3), ritual.at) + timedelta(minutes=settings.minutes)).time()
    return catalog.text(locale, "borrel.overview_item", id=ritual.id, day=catalog.days(locale, ritual.days),
                        start=catalog.time(ritual.at), end=catalog.time(end), zone=ritual.timezone)


def _with_link(text: str, link: str, label: str) -> Text:
    """`text`'s lines, then the meeting link as the organizer typed it (a span renderers escape)."""
    lines: list[Line] = [(Span(text=line),) for line in text.split("\n")] if text else []
    lines.append((Span(text=label), Span(text=link, user=True)))
    return Text(tuple(lines))


def _example() -> str:
    return "/ritme borrel create fri 16:30 45m https://meet.example/borrel"


def _move_example(ritual: Ritual) -> str:
    return f"/ritme borrel move {ritual.id} 17:00"
