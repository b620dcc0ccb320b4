"""No-meeting windows, core hours and the meeting check: time a team agreed to protect, made visible.

The research behind Ritme: agree on core hours when everyone is reachable (for example 10-12 and 14-16) and on
meeting-free windows (no meetings 12:00-13:00 so people can go outside; a focus afternoon), and respect time zones.
So a manager records them once (team zone); as a window starts the channel gets one short, friendly reminder
(claimed in the FocusStore so two workers never both post it), each member at work during it gets a status that
shows the window until it ends (where the platform has one and the member allowed it: Slack with their own user
token; other adapters drop it), and anyone can ask whether a meeting slot keeps those agreements and everyone's
own working hours, with the nearest slots that do.

Windows and core hours are ordinary rituals (RitualKind.FOCUS and RitualKind.CORE_HOURS); a team has at most one
core-hours ritual. The meeting check is made of pure functions over those rituals and the members, easy to test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from rituals.boundaries import Boundaries, Unreachable
from rituals.catalog import Catalog
from rituals.commands import CommandError
from rituals.events import CommandInvoked
from rituals.focus_commands import (
    CORE_EXAMPLE,
    FOCUS_EXAMPLE,
    MANAGER_FOCUS_COMMANDS,
    MEET_EXAMPLE,
    CoreSet,
    CoreShow,
    FocusAdd,
    FocusCommand,
    FocusList,
    FocusRemove,
    MeetCheck,
)
from rituals.model import CoreHoursSettings, FocusSettings, Member, Ritual, RitualKind, Team
from rituals.outbound import ChannelPost, Line, Message, Prompt, Span, StatusUpdate, Text
from rituals.ports import Clock, FocusStore, NewRitual, Store
from rituals.replies import Reply, address_of, channel_of, join_channel_team
from rituals.schedule import local_date, local_instant, zone

# A reminder says "starts now": after a longer outage it would be wrong, so a late one is dropped, not posted.
REMIND_GRACE = timedelta(minutes=30)
# Shown beside a member's status during a window (a Slack emoji name): a bell struck through, "don't ring me".
STATUS_EMOJI = ":no_bell:"
STEP = timedelta(minutes=15)
SEARCH = timedelta(days=7)
SUGGESTIONS = 3

Interval = tuple[datetime, datetime]
ClashReason = Literal["away", "day", "holiday", "hours"]
_CLOSED_REASONS: dict[Unreachable, ClashReason] = {
    Unreachable.AWAY: "away", Unreachable.DAY_OFF: "day", Unreachable.HOLIDAY: "holiday",
}


# The meeting check: pure functions ------------------------------------------------------------------------


def window_spans(window: Ritual, start: datetime, end: datetime) -> list[Interval]:
    """The UTC intervals of a no-meeting window that overlap [start, end), on its team-local days."""
    spans = []
    day = local_date(start, window.timezone) - timedelta(days=1)
    while day <= local_date(end, window.timezone):
        if day.weekday() in window.days:
            begin = local_instant(day, window.at, window.timezone)
            finish = local_instant(day, window.focus.until, window.timezone)
            if begin < end and start < finish:
                spans.append((begin, finish))
        day += timedelta(days=1)
    return spans


def windows_hit(windows: Sequence[Ritual], start: datetime, end: datetime) -> list[Ritual]:
    """The no-meeting windows (running ones) the slot [start, end) falls into, even partly."""
    return [w for w in windows if not w.paused and window_spans(w, start, end)]


def within_core(core: Ritual | None, start: datetime, end: datetime) -> bool:
    """True when the slot lies inside one core-hours range on a core day (team zone), or there are no core hours."""
    if core is None or core.paused:
        return True
    day = local_date(start, core.timezone)
    if day.weekday() not in core.days:
        return False
    return any(
        local_instant(day, begin, core.timezone) <= start and end <= local_instant(day, finish, core.timezone)
        for begin, finish in core.core_hours.ranges
    )


@dataclass(frozen=True, kw_only=True)
class Clash:
    """A member for whom the slot does not work, why, and the slot on their own clock."""

    member: Member
    reason: ClashReason
    local_start: datetime
    local_end: datetime


def member_clash(member: Member, start: datetime, end: datetime, boundaries: Boundaries) -> Clash | None:
    """Why the slot does not suit a member in their own zone (away, a day off or public holiday, outside hours);
    None when it does."""
    tz = zone(member.timezone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = local_start.date()
    reason: ClashReason | None = None
    closed = boundaries.day_closed(member, day) or (
        boundaries.day_closed(member, local_end.date()) if local_end.date() != day else None
    )
    if closed is not None:
        reason = _CLOSED_REASONS[closed]
    elif not (local_instant(day, member.work_start, member.timezone) <= start
              and end <= local_instant(day, member.work_end, member.timezone)):
        reason = "hours"
    if reason is None:
        return None
    return Clash(member=member, reason=reason, local_start=local_start, local_end=local_end)


@dataclass(frozen=True, kw_only=True)
class SlotCheck:
    """What a meeting slot runs into: no-meeting windows, core hours, and members for whom it does not work."""

    start: datetime
    end: datetime
    windows: tuple[Ritual, ...]
    outside_core: bool
    clashes: tuple[Clash, ...]

    @property
    def fits(self) -> bool:
        """True when the slot keeps every agreement and suits everyone."""
        return not self.windows and not self.outside_core and not self.clashes


def check_slot(
    start: datetime, minutes: int, *, windows: Sequence[Ritual], core: Ritual | None, members: Sequence[Member],
    boundaries: Boundaries,
) -> SlotCheck:
    """Check a meeting of `minutes` from `start` (UTC) against the team's windows, core hours and members."""
    end = start + timedelta(minutes=minutes)
    clashes = tuple(
        clash for member in members if (clash := member_clash(member, start, end, boundaries)) is not None
    )
    return SlotCheck(start=start, end=end, windows=tuple(windows_hit(windows, start, end)),
                     outside_core=not within_core(core, start, end), clashes=clashes)


def suggest_slots(
    start: datetime, minutes: int, *, windows: Sequence[Ritual], core: Ritual | None, members: Sequence[Member],
    boundaries: Boundaries, now: datetime, count: int = SUGGESTIONS,
) -> list[datetime]:
    """The `count` slot starts nearest to `start` that fit everyone, earliest first.

    Searched in 15-minute steps, backward no earlier than `now` and forward up to 7 days after `start`; at equal
    distance the earlier slot is tried first.
    """
    found: list[datetime] = []
    steps = SEARCH // STEP
    for step in range(1, steps + 1):
        offset = STEP * step
        for candidate in (start - offset, start + offset):
            if candidate < now:
                continue
            if check_slot(candidate, minutes, windows=windows, core=core, members=members, boundaries=boundaries).fits:
                found.append(candidate)
                if len(found) == count:
                    return sorted(found)
    return sorted(found)


def next_date(weekday: int, at: time, tz: str, now: datetime) -> date:
    """The next date (in `tz`) of that weekday whose `at` has not passed: today when it is still to come."""
    today = local_date(now, tz)
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    if local_instant(day, at, tz) < now:
        day += timedelta(days=7)
    return day


# Words ----------------------------------------------------------------------------------------------------


def _name(catalog: Catalog, locale: str, window: Ritual) -> tuple[str, bool]:
    """A window's name and whether a person typed it: its label, else the catalog's word for such a window."""
    label = window.focus.label
    if label:
        return label[:1].upper() + label[1:], True
    return catalog.text(locale, "focus.default_name"), False


def ranges_text(catalog: Catalog, core: Ritual) -> str:
    """Core hours as `10:00-12:00, 14:00-16:00`."""
    return ", ".join(f"{catalog.time(begin)}-{catalog.time(end)}" for begin, end in core.core_hours.ranges)


def list_item(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """A window or the core hours in one line, as a manager's overview lists a team's rituals (no label: the
    overview shows only the bot's own words)."""
    if ritual.kind is RitualKind.CORE_HOURS:
        return catalog.text(locale, "core.overview_item", ranges=ranges_text(catalog, ritual),
                            days=catalog.days(locale, ritual.days), zone=ritual.timezone)
    return catalog.text(locale, "focus.overview_item", id=ritual.id, days=catalog.days(locale, ritual.days),
                        start=catalog.time(ritual.at), end=catalog.time(ritual.focus.until), zone=ritual.timezone,
                        quiet="" if ritual.focus.remind else catalog.text(locale, "focus.quiet_note"))


def _line(catalog: Catalog, locale: str, key: str, typed: dict[str, str], **params: object) -> Line:
    """A catalog message as one line, with the `typed` values as spans of their own (renderers escape them)."""
    return tuple(Span(text=text, user=by_person) for text, by_person in catalog.pieces(locale, key, typed, **params))


def _named_line(catalog: Catalog, locale: str, key: str, window: Ritual, **params: object) -> Line:
    name, typed = _name(catalog, locale, window)
    if typed:
        return _line(catalog, locale, key, {"name": name}, **params)
    return _line(catalog, locale, key, {}, name=name, **params)


class FocusRituals:
    """Commands and reminders of no-meeting windows and core hours, and the meeting check; the Engine routes here."""

    def __init__(
        self, *, store: Store, focus: FocusStore, catalog: Catalog, clock: Clock, boundaries: Boundaries | None = None
    ) -> None:
        self._store = store
        self._focus = focus
        self._catalog = catalog
        self._clock = clock
        # Who is at work during a window: only they get the window as their status.
        self._boundaries = boundaries or Boundaries()

    # Commands ------------------------------------------------------------------------------------------------

    async def run(
        self, command: FocusCommand, member: Member, event: CommandInvoked, team: Team | None,
        managers: Sequence[Member], reply: Reply, now: datetime,
    ) -> list[Message]:
        """Carry out a focus, core or meet-check command; nothing is written before every check has passed."""
        name = team.name if team else (event.channel_name or event.channel_id)
        rituals = await self._store.rituals(team.id) if team else []
        windows = [r for r in rituals if r.kind is RitualKind.FOCUS]
        core = next((r for r in rituals if r.kind is RitualKind.CORE_HOURS), None)
        if isinstance(command, MANAGER_FOCUS_COMMANDS):
            # The first person to set a channel up becomes its manager, as with every ritual.
            first = isinstance(command, (FocusAdd, CoreSet)) and not managers
            if not first and not member.is_admin and not any(m.id == member.id for m in managers):
                who = self._catalog.names(member.locale, [m.display_name for m in managers])
                raise CommandError("error.not_manager", team=name,
                                   managers=who or self._catalog.text(member.locale, "role.admin"))
            zone_name = command.timezone if isinstance(command, (FocusAdd, CoreSet)) else None
            team_zone = zone_name or (rituals[0].timezone if rituals else member.timezone)
            if isinstance(command, FocusAdd):
                return await self._add(command, member, event, first, team_zone, reply)
            if isinstance(command, CoreSet):
                return await self._set_core(command, member, event, first, core, team_zone, reply)
            if isinstance(command, FocusRemove):
                return [await self._remove(command, windows, name, reply)]
            if core is None:
                raise CommandError("error.no_core", team=name, example=CORE_EXAMPLE)
            await self._store.delete_ritual(core.id)
            return [reply("core.off", team=name)]
        if isinstance(command, FocusList):
            return [self._list(windows, core, name, reply)]
        if isinstance(command, CoreShow):
            if core is None:
                return [reply("core.none", team=name)]
            return [reply("core.show", team=name, **self._core_facts(core, member.locale))]
        assert isinstance(command, MeetCheck)
        members = await self._store.team_members(team.id) if team else []
        if not any(m.id == member.id for m in members):
            members.append(member)  # the asker is in the meeting too, even before Ritme saw them in the channel
        return [self._meet_check(command, member, windows, core, members, reply, now)]

    async def _add(self, command: FocusAdd, member: Member, event: CommandInvoked, first: bool, team_zone: str,
                   reply: Reply) -> list[Message]:
        settings = FocusSettings(until=command.end, label=command.label, remind=command.remind)
        team, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        ritual = await self._store.add_ritual(NewRitual(
            team_id=team.id, kind=RitualKind.FOCUS, at=command.start, days=command.days, timezone=team_zone,
            locale=member.locale, settings=settings, created_by=member.id,
        ))
        locale = member.locale
        remind = self._catalog.text(locale, "focus.remind_on" if command.remind else "focus.remind_off")
        line = _named_line(self._catalog, locale, "focus.created", ritual, id=ritual.id, team=team.name,
                           remind=remind, **self._window_facts(ritual, locale))
        replies.append(reply.text(Text((line,))))
        return replies

    async def _set_core(self, command: CoreSet, member: Member, event: CommandInvoked, first: bool,
                        core: Ritual | None, team_zone: str, reply: Reply) -> list[Message]:
        settings = CoreHoursSettings(ranges=command.ranges)
        team, replies = await join_channel_team(self._store, member, event, first=first, reply=reply)
        if core is not None:
            await self._store.delete_ritual(core.id)  # a team has one set of core hours: new ones replace them
        ritual = await self._store.add_ritual(NewRitual(
            team_id=team.id, kind=RitualKind.CORE_HOURS, at=command.ranges[0][0], days=command.days,
            timezone=team_zone, locale=member.locale, settings=settings, created_by=member.id,
        ))
        replies.append(reply("core.set", team=team.name, **self._core_facts(ritual, member.locale)))
        return replies

    async def _remove(self, command: FocusRemove, windows: Sequence[Ritual], name: str, reply: Reply) -> Prompt:
        if not windows:
            raise CommandError("error.no_focus", team=name, example=FOCUS_EXAMPLE)
        window = next((w for w in windows if w.id == command.ritual_id), None)
        if window is None:
            raise CommandError("error.unknown_focus", id=command.ritual_id, team=name,
                               ids=", ".join(f"#{w.id}" for w in windows),
                               example=f"/ritme focus remove {windows[0].id}")
        await self._store.delete_ritual(window.id)
        return reply("focus.removed", id=window.id, team=name)

    def _window_facts(self, window: Ritual, locale: str) -> dict[str, str]:
        return {"days": self._catalog.days(locale, window.days), "start": self._catalog.time(window.at),
                "end": self._catalog.time(window.focus.until), "zone": window.timezone}

    def _core_facts(self, core: Ritual, locale: str) -> dict[str, str]:
        return {"ranges": ranges_text(self._catalog, core), "days": self._catalog.days(locale, core.days),
                "zone": core.timezone}

    def _list(self, windows: Sequence[Ritual], core: Ritual | None, name: str, reply: Reply) -> Prompt:
        locale = reply.member.locale
        text = self._catalog.text
        lines: list[Line] = []
        if windows:
            lines.append((Span(text=text(locale, "focus.list_header", team=name)),))
            for window in windows:
                quiet = "" if window.focus.remind else text(locale, "focus.quiet_note")
                lines.append(_named_line(self._catalog, locale, "focus.list_item", window, id=window.id, quiet=quiet,
                                         **self._window_facts(window, locale)))
        else:
            lines.append((Span(text=text(locale, "focus.list_empty", team=name)),))
        if core is not None:
            lines.append((Span(text=text(locale, "focus.list_core", **self._core_facts(core, locale))),))
        else:
            lines.append((Span(text=text(locale, "focus.list_no_core")),))
        return reply.text(Text(tuple(lines)))

    def _meet_check(self, command: MeetCheck, asker: Member, windows: Sequence[Ritual], core: Ritual | None,
                    members: Sequence[Member], reply: Reply, now: datetime) -> Prompt:
        """The answer to `meet-check`, every time in the asker's zone except each member's own clock."""
        locale, tz = asker.locale, asker.timezone
        today = local_date(now, tz)
        if isinstance(command.day, date):
            if command.day < today:
                raise CommandError("error.meet_past", date=command.day.isoformat(), example=MEET_EXAMPLE)
            day = command.day
        else:
            day = next_date(command.day, command.at, tz, now)
        start = local_instant(day, command.at, tz)
        found = check_slot(start, command.minutes, windows=windows, core=core, members=members,
                           boundaries=self._boundaries)
        when = self._when(locale, tz, start, found.end)
        duration = self._catalog.text(locale, "meet.minutes", minutes=command.minutes)
        if found.fits:
            return reply("meet.fits", when=when, zone=tz, duration=duration)
        lines: list[Line] = [(Span(text=self._catalog.text(locale, "meet.no_fit", when=when, zone=tz,
                                                           duration=duration)),)]
        for window in found.windows:
            lines.append(_named_line(self._catalog, locale, "meet.in_window", window,
                                     **self._window_facts(window, locale)))
        if found.outside_core and core is not None:
            lines.append((Span(text=self._catalog.text(locale, "meet.outside_core",
                                                       **self._core_facts(core, locale))),))
        lines.extend(self._clash_line(locale, clash) for clash in found.clashes)
        suggestions = suggest_slots(start, command.minutes, windows=windows, core=core, members=members,
                                    boundaries=self._boundaries, now=now)
        if suggestions:
            lines.append((Span(text=self._catalog.text(locale, "meet.suggest", duration=duration, zone=tz)),))
            for slot in suggestions:
                lines.append((Span(text=self._catalog.text(
                    locale, "meet.suggestion", when=self._when(locale, tz, slot, slot + (found.end - found.start)))),))
        else:
            lines.append((Span(text=self._catalog.text(locale, "meet.no_suggestion", duration=duration)),))
        return reply.text(Text(tuple(lines)))

    def _when(self, locale: str, tz: str, start: datetime, end: datetime) -> str:
        local_start, local_end = start.astimezone(zone(tz)), end.astimezone(zone(tz))
        return self._catalog.text(locale, "meet.when", date=self._catalog.date(locale, local_start.date()),
                                  start=self._catalog.time(local_start.time()),
                                  end=self._catalog.time(local_end.time()))

    def _clash_line(self, locale: str, clash: Clash) -> Line:
        member = clash.member
        facts = {
            "zone": member.timezone,
            "day": self._catalog.date(locale, clash.local_start.date()),
            "time": self._catalog.time(clash.local_start.time()), "end": self._catalog.time(clash.local_end.time()),
            "work_start": self._catalog.time(member.work_start), "work_end": self._catalog.time(member.work_end),
        }
        return _line(self._catalog, locale, f"meet.clash_{clash.reason}", {"name": member.display_name}, **facts)

    # Time ----------------------------------------------------------------------------------------------------

    async def due(self, now: datetime) -> AsyncIterator[list[Message]]:
        """As each window starts: one reminder in the team channel (windows with reminders, and only just after the
        start) and each member's status for as long as it lasts, claimed once per window and team-local date.

        Quiet windows set statuses too: a status notifies nobody, and it is how the window stays visible to whoever
        wants to book a meeting. A start found late (after an outage) still sets statuses, until the window ends.
        """
        batch: list[Message] = []
        for window, team in await self._focus.running_windows():
            today = local_date(now, window.timezone)
            for day in (today - timedelta(days=1), today):
                if day.weekday() not in window.days:
                    continue
                starts = local_instant(day, window.at, window.timezone)
                ends = local_instant(day, window.focus.until, window.timezone)
                if not starts <= now < ends:
                    continue
                # One claim per window start covers the reminder and the statuses, so no worker repeats either.
                if not await self._focus.claim_reminder(window.id, day, now):
                    continue
                if window.focus.remind and now < starts + REMIND_GRACE:
                    batch.append(self._reminder(window, team, day))
                batch.extend(await self._statuses(window, team, day, now, ends))
        if batch:
            yield batch

    async def _statuses(self, window: Ritual, team: Team, day: date, now: datetime, ends: datetime) -> list[Message]:
        """The window as the status of each team member who works at some point while it lasts (their own hours,
        days, holidays and time away): nobody's status says "no meetings" on their day off or at night."""
        name, _typed = _name(self._catalog, window.locale, window)
        text = self._catalog.text(window.locale, "focus.status", name=name)
        return [
            StatusUpdate(key=f"focus-status:{window.id}:{day.isoformat()}", to=address_of(member), text=text,
                         emoji=STATUS_EMOJI, until=ends)
            for member in await self._store.team_members(team.id)
            if self._boundaries.next_reachable(member, now, until=ends) is not None
        ]

    def _reminder(self, window: Ritual, team: Team, day: date) -> ChannelPost:
        line = _named_line(self._catalog, window.locale, "focus.reminder", window,
                           until=self._catalog.time(window.focus.until))
        return ChannelPost(key=f"focus-reminder:{window.id}:{day.isoformat()}", to=channel_of(team),
                           text=Text((line,)), expires_at=local_instant(day, window.focus.until, window.timezone))
