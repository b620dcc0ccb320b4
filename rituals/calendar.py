"""The team calendar feed: a team's no-meeting windows, core hours and ritual times as an iCalendar file.

Members subscribe to it in Outlook or Google Calendar at an unguessable, revocable address, so the team's agreed
blocks sit next to their meetings. `team_feed` builds the calendar (pure, so tests can read it back);
`CalendarFeedRituals` answers `/ritme focus calendar [revoke]` and serves the feed by its token.

The token: the feed is one address the whole team shares, like a Google Calendar "secret address". Any member may
ask for it, so `focus calendar` must show the same link again: rotating it on every request would silently stop
every teammate's subscription whenever someone else asked. So the store keeps the live token (to show it again)
beside its SHA-256 hash, and the feed is looked up by the hash only, through a unique index, so a request's token
is never compared as a string in the database. What a leaked database would reveal through the token (the team's
ritual times) is in that database already; a manager's `revoke` makes the old address 404 at once, forgets its
token (only its hash stays, as a record) and gives a new one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from rituals.calendar_commands import CalendarCommand, CalendarRevoke
from rituals.catalog import Catalog
from rituals.commands import CommandError
from rituals.events import CommandInvoked
from rituals.model import Member, Ritual, RitualKind, Team
from rituals.outbound import Message
from rituals.ports import CalendarFeeds, Clock, Store
from rituals.replies import Reply
from rituals.schedule import local_date

# Short rituals show as a quarter of an hour: long enough to see in a week view, short enough not to crowd it.
MARKER_MINUTES = 15
# Calendar apps poll a subscription every few hours at best; the server still lets them cache only briefly.
REFRESH = timedelta(hours=1)
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64  # token_urlsafe(32) is 43 characters; anything much longer is not one of ours
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_KIND_ORDER = {kind: i for i, kind in enumerate(RitualKind)}


def new_token() -> str:
    """A fresh feed token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, hex: what the store looks feeds up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_url(base_url: str, token: str) -> str:
    """The address of a team's feed on Ritme's web server."""
    return f"{base_url.rstrip('/')}/calendar/{token}.ics"


@dataclass(frozen=True, kw_only=True)
class _Block:
    """One weekly recurring block of a ritual: its start and length on the ritual's days, in its zone."""

    number: int
    start: time
    minutes: int
    summary: str
    busy: bool
    category: str
    link: str = ""
    description: str = ""
    every_weeks: int = 1
    anchor: date | None = None


def _minutes_between(start: time, end: time) -> int:
    """Minutes from `start` to `end`; an end at or before the start is on the next day."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else minutes + 24 * 60


def _blocks(catalog: Catalog, ritual: Ritual) -> Iterator[_Block]:
    """The weekly blocks a ritual shows as, with summaries in its team's language; none for unknown kinds."""
    locale = ritual.locale
    text = catalog.text
    ritual_category = text(locale, "calendar.ritual_category")
    if ritual.kind is RitualKind.FOCUS:
        focus = ritual.focus
        summary = text(locale, "calendar.focus_label", label=focus.label) if focus.label else text(
            locale, "calendar.focus")
        yield _Block(number=0, start=ritual.at, minutes=_minutes_between(ritual.at, focus.until), summary=summary,
                     busy=True, category=text(locale, "calendar.focus_category"))
    elif ritual.kind is RitualKind.CORE_HOURS:
        for number, (start, end) in enumerate(ritual.core_hours.ranges):
            yield _Block(number=number, start=start, minutes=_minutes_between(start, end),
                         summary=text(locale, "calendar.core"), busy=False,
                         category=text(locale, "calendar.core_category"))
    elif ritual.kind is RitualKind.STANDUP:
        yield _Block(number=0, start=ritual.at, minutes=MARKER_MINUTES, summary=text(locale, "calendar.standup"),
                     busy=False, category=ritual_category)
    elif ritual.kind is RitualKind.PULSE:
        pulse = ritual.pulse
        yield _Block(number=0, start=ritual.at, minutes=MARKER_MINUTES, summary=text(locale, "calendar.pulse"),
                     busy=False, category=ritual_category, every_weeks=pulse.every_weeks, anchor=pulse.anchor)
    elif ritual.kind is RitualKind.BORREL:
        borrel = ritual.borrel
        fixed = borrel.theme_mode == "fixed" and borrel.theme
        summary = text(locale, "calendar.borrel_theme", theme=borrel.theme) if fixed else text(
            locale, "calendar.borrel")
        yield _Block(number=0, start=ritual.at, minutes=borrel.minutes, summary=summary, busy=False,
                     category=ritual_category, link=borrel.link,
                     description=text(locale, "calendar.join", link=borrel.link),
                     every_weeks=borrel.every_weeks, anchor=borrel.anchor)
    elif ritual.kind is RitualKind.COFFEE_MACHINE:
        machine = ritual.coffee_machine
        yield _Block(number=0, start=ritual.at, minutes=_minutes_between(ritual.at, machine.until),
                     summary=text(locale, "calendar.coffee_machine"), busy=False, category=ritual_category,
                     link=machine.link, description=text(locale, "calendar.join", link=machine.link))
    elif ritual.kind is RitualKind.COFFEE:
        coffee = ritual.coffee
        yield _Block(number=0, start=ritual.at, minutes=MARKER_MINUTES, summary=text(locale, "calendar.coffee"),
                     busy=False, category=ritual_category, every_weeks=coffee.every_weeks, anchor=coffee.anchor)


def _first_day(days: Sequence[int], since: date) -> date:
    """The first date on or after `since` that falls on one of `days`."""
    day = since
    while day.weekday() not in days:
        day += timedelta(days=1)
    return day


def _event(ritual: Ritual, block: _Block, since: date, stamp: datetime, uid_domain: str) -> Event:
    """One recurring VEVENT; its UID stays the same for the ritual's block, so apps update it, never duplicate it."""
    zone = ZoneInfo(ritual.timezone)
    # A ritual with an anchor counts its weeks from it (every other week); the others start the week `since`.
    base = block.anchor if block.anchor is not None else since
    start = datetime.combine(_first_day(ritual.days, base - timedelta(days=base.weekday())), block.start, zone)
    event = Event()
    event.add("uid", f"ritual-{ritual.id}-{block.number}@{uid_domain}")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", block.summary)  # the library escapes what people typed; nothing is concatenated here
    event.add("dtstart", start)
    # DTEND in the same zone, so a block keeps its wall-clock end across a DST switch like its start does.
    event.add("dtend", (start.replace(tzinfo=None) + timedelta(minutes=block.minutes)).replace(tzinfo=zone))
    rule: dict[str, object] = {"freq": "weekly", "byday": [_BYDAY[day] for day in sorted(ritual.days)]}
    if block.every_weeks > 1:
        rule["interval"] = block.every_weeks
    event.add("rrule", rule)
    event.add("transp", "OPAQUE" if block.busy else "TRANSPARENT")
    event.add("categories", [block.category])
    if block.link:
        event.add("url", block.link)
    if block.description:
        event.add("description", block.description)
    return event


def team_feed(
    *, catalog: Catalog, team_name: str, locale: str, rituals: Sequence[Ritual], since: date, stamp: datetime,
    uid_domain: str = "ritme",
) -> Calendar:
    """The team's calendar: every running ritual as weekly recurring events in its own time zone.

    `since` is the date recurring rituals without a start of their own begin at (the feed's creation), so the
    file is the same on every fetch; `stamp` is the DTSTAMP. Paused rituals are left out (deleted ones are not
    passed in).
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Ritme//Team calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", catalog.text(locale, "calendar.name", team=team_name))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # an X- property is text unless given its type
    running = sorted((r for r in rituals if not r.paused), key=lambda r: (_KIND_ORDER[r.kind], r.id))
    for ritual in running:
        for block in _blocks(catalog, ritual):
            calendar.add_component(_event(ritual, block, since, stamp, uid_domain))
    if running:
        calendar.add("x-wr-timezone", running[0].timezone)
    # Outlook wants a VTIMEZONE for every TZID; ten years ahead, refreshed as the feed is fetched again.
    calendar.add_missing_timezones(first_date=since - timedelta(days=7), last_date=date(stamp.year + 10, 1, 1))
    return calendar


class CalendarFeedRituals:
    """`/ritme focus calendar [revoke]` and the feed itself; the Engine hands the commands over."""

    def __init__(self, *, store: Store, feeds: CalendarFeeds, catalog: Catalog, clock: Clock, base_url: str,
                 uid_domain: str = "ritme") -> None:
        self._store = store
        self._feeds = feeds
        self._catalog = catalog
        self._clock = clock
        self._base_url = base_url
        self._uid_domain = uid_domain

    async def run(
        self, command: CalendarCommand, member: Member, event: CommandInvoked, team: Team | None,
        managers: Sequence[Member], reply: Reply, now: datetime,
    ) -> list[Message]:
        """Show the channel's feed link (any member), or replace it (managers); the reply is private."""
        if isinstance(command, CalendarRevoke):
            name = team.name if team else (event.channel_name or event.channel_id)
            if not member.is_admin and not any(m.id == member.id for m in managers):
                who = self._catalog.names(member.locale, [m.display_name for m in managers])
                raise CommandError("error.not_manager", team=name,
                                   managers=who or self._catalog.text(member.locale, "role.admin"))
        team = await self._store.upsert_team(
            event.actor.platform, event.actor.workspace_id, event.channel_id, event.channel_name
        )
        await self._store.join_team(team.id, member.id)  # whoever types in a channel is in it
        if isinstance(command, CalendarRevoke):
            token = await self._feeds.replace(team.id, new_token(), now)
            return [reply("calendar.revoked", team=team.name, url=feed_url(self._base_url, token))]
        # Two first requests at once: the store keeps one token and both members are shown it.
        token = await self._feeds.token(team.id) or await self._feeds.start(team.id, new_token(), now)
        return [reply("calendar.link", team=team.name, url=feed_url(self._base_url, token))]

    async def feed(self, token: str) -> bytes | None:
        """The iCalendar file of the live feed with that token; None for an unknown or revoked one."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        found = await self._feeds.find(token_hash(token))
        if found is None:
            return None
        team, created_at = found
        rituals = await self._store.rituals(team.id)
        locale = next((r.locale for r in rituals), "en")
        since = local_date(created_at, rituals[0].timezone) if rituals else created_at.date()
        calendar = team_feed(catalog=self._catalog, team_name=team.name, locale=locale, rituals=rituals,
                             since=since, stamp=self._clock.now(), uid_domain=self._uid_domain)
        return calendar.to_ical()

