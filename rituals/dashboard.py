"""The web dashboard's logic: sign-in links, sessions, and what its pages show and change.

bot/dashboard only translates HTTP into these calls and renders what they return; who may see a team and whether
a new stand-up time is valid are decided here, in the engine's own terms, so the page and the chat always agree.

Sign-in without passwords: `/ritme dashboard` sends the member a private link with a fresh random token. Only the
token's SHA-256 is stored; the link works once (the store marks it used in one atomic statement) and only for a
few minutes. Following it starts a session whose random id is the browser's cookie (again only its hash stored)
and whose own CSRF token every form must carry back.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Protocol

from rituals import borrel, coffee, focus, pulse, standup
from rituals.audit import AuditLog
from rituals.boundaries import Boundaries, is_known_country
from rituals.catalog import LOCALES, Catalog
from rituals.commands import (
    PULSE_EXAMPLE,
    CommandError,
    parse_days,
    parse_duration,
    parse_future_date,
    parse_hours,
    parse_time,
    parse_zone,
)
from rituals.member_data import MemberData
from rituals.model import (
    WEEKDAYS,
    BorrelSettings,
    CoffeeSettings,
    Member,
    PulseSettings,
    Ritual,
    RitualKind,
    Role,
    Team,
)
from rituals.outbound import Message, Prompt, Text
from rituals.ports import Clock, MemberChanges, Store
from rituals.replies import Reply, address_of
from rituals.schedule import local_date, local_instant, local_time

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=5)
SESSION_LIFETIME = timedelta(hours=8)
# A refused link stays known for a day after it expired, so a late click hears "expired" rather than "unknown".
KEEP_EXPIRED = timedelta(days=1)
SECRET_BYTES = 32
MAX_SECRET_LENGTH = 64  # token_urlsafe(32) is 43 characters; anything much longer is not one of ours
TIME_EXAMPLE = "09:30"
DAYS_EXAMPLE = "mon-fri"
ZONE_EXAMPLE = "Europe/Amsterdam"
COUNTRY_EXAMPLE = "NL"
DIGEST_EXAMPLE = "11:00"
# Every field of the dashboard's forms is a short value (a time, days, a zone); the longest zone name has 32
# characters. A longer one is refused before it is read, so no page echoes or log keeps 100 kB of it.
MAX_FORM_FIELD_LENGTH = 64
_FIELD_EXAMPLES = {"at": TIME_EXAMPLE, "days": DAYS_EXAMPLE, "digest": DIGEST_EXAMPLE, "remind": "30m", "day": "fri",
                   "timezone": ZONE_EXAMPLE, "hours": "08:30-17:00", "language": "nl", "country": COUNTRY_EXAMPLE,
                   "away_until": "2026-12-01"}
# Kinds a manager can pause and resume in chat, with the word their commands (and audit codes) use; no-meeting
# windows, core hours and the coffee machine have no pause there, so none here either.
PAUSABLE = {
    RitualKind.STANDUP: "standup", RitualKind.PULSE: "pulse", RitualKind.BORREL: "borrel",
    RitualKind.COFFEE: "coffee",
}
AUDIT_PAGE = 25
"""How many audit entries one page of the dashboard's audit log shows."""


def new_secret() -> str:
    """A fresh link token, session id or CSRF token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(value: str) -> str:
    """The SHA-256 of a secret, hex: what the store keeps and looks links and sessions up by."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def signin_url(base_url: str, token: str) -> str:
    """The address of a sign-in link on Ritme's web server."""
    return f"{base_url.rstrip('/')}/dashboard/signin/{token}"


@dataclass(frozen=True)
class OpenDashboard:
    """`dashboard`: a private, single-use sign-in link to the web dashboard."""


def parse_dashboard(words: Sequence[str]) -> OpenDashboard:
    """The words after `dashboard`: there are none."""
    if words:
        raise CommandError("error.dashboard_extra", value=" ".join(words))
    return OpenDashboard()


@dataclass(frozen=True, kw_only=True)
class SignInLink:
    """A sign-in link as stored: whose it is, until when it works, and when it was used (None: not yet)."""

    member_id: int
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class DashboardSession:
    """A signed-in browser: whose session it is, the token its forms carry, and when it ends."""

    member_id: int
    csrf_token: str
    expires_at: datetime


class DashboardStore(Protocol):
    """Where sign-in links and sessions live (storage/dashboard.py), and the lookups by id the pages need."""

    async def add_link(self, token_hash: str, member_id: int, expires_at: datetime) -> None:
        """Remember a new sign-in link for the member by its token's hash."""
        ...

    async def use_link(self, token_hash: str, now: datetime) -> int | None:
        """Mark the link used if it is unused and unexpired, atomically; its member's id, or None."""
        ...

    async def link(self, token_hash: str) -> SignInLink | None:
        """A link as stored (to say why it was refused); None when unknown."""
        ...

    async def start_session(
        self, id_hash: str, member_id: int, csrf_token: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new session by its id's hash."""
        ...

    async def session(self, id_hash: str, now: datetime) -> DashboardSession | None:
        """The session with that id hash if it has not expired by `now`."""
        ...

    async def end_session(self, id_hash: str) -> None:
        """Forget a session (signing out)."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget links and sessions that expired before `before`; how many rows went."""
        ...

    async def team(self, team_id: int) -> Team | None:
        """The team with that id, if there is one."""
        ...

    async def member(self, member_id: int) -> Member | None:
        """The member with that id, if there is one (a session outlives nobody: erasing a member ends theirs)."""
        ...


class Planner(Protocol):
    """What keeps the schedule in step after a change (the Engine)."""

    async def plan(self, now: datetime, *, ritual_id: int | None = None, member_id: int | None = None) -> int:
        """Plan today's and tomorrow's occurrences again: all, one ritual's, or one member's."""
        ...


class Refusal(StrEnum):
    """Why a sign-in link did not sign anyone in."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    """A new session: the secret for the browser's cookie and when it ends."""

    session_token: str
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class Viewer:
    """The member a request is made by, with their session's CSRF token."""

    member: Member
    csrf_token: str
    session_hash: str


class NotAllowed(Exception):
    """The viewer may not see or change this (a page answers 403)."""


class NotFound(Exception):
    """There is no such team or ritual (a page answers 404)."""


class FormRefused(Exception):
    """A form with bad values: per field, a catalog key and its parameters; nothing was changed."""

    def __init__(self, errors: dict[str, CommandError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class SignInLinks:
    """Hands out sign-in links: `/ritme dashboard` in any channel or DM."""

    def __init__(
        self, *, sign_ins: DashboardStore, catalog: Catalog, clock: Clock, base_url: str,
        lifetime: timedelta = LINK_LIFETIME,
    ) -> None:
        """Links go to `base_url` (settings.public_url) and work for `lifetime`."""
        self._sign_ins = sign_ins
        self._catalog = catalog
        self._clock = clock
        self._base_url = base_url
        self._lifetime = lifetime

    async def issue(self, member: Member) -> str:
        """A new single-use sign-in link for the member."""
        now = self._clock.now()
        token = new_secret()
        await self._sign_ins.add_link(secret_hash(token), member.id, now + self._lifetime)
        # Old links and sessions are swept here: asking for a link is rare, and the sweep is one short DELETE.
        await self._sign_ins.prune(now - KEEP_EXPIRED)
        return signin_url(self._base_url, token)

    async def reply(self, member: Member, reply: Reply) -> list[Message]:
        """The link as a direct message, never in a channel (Teams may put a command's reply in a thread all can
        read); in a channel, a private note says where the link went."""
        url = await self.issue(member)
        minutes = int(self._lifetime.total_seconds() // 60)
        text = self._catalog.text(member.locale, "dashboard.link", url=url, minutes=minutes)
        messages: list[Message] = [Prompt(to=address_of(member), text=Text.plain(text))]
        if reply.context is not None:
            messages.append(reply("dashboard.link_sent"))
        return messages


@dataclass(frozen=True, kw_only=True)
class MyTeams:
    """The teams on the viewer's front page: those they manage and those they are in."""

    managed: tuple[Team, ...]
    member_of: tuple[Team, ...]


@dataclass(frozen=True, kw_only=True)
class RitualLine:
    """One ritual on a team's overview, in words: its kind, its schedule and settings, and its next run."""

    ritual: Ritual
    kind: str
    description: str
    next_run: str  # '' when paused or never


@dataclass(frozen=True, kw_only=True)
class TeamRituals:
    """One of the viewer's teams with its rituals, next runs on the viewer's own clock: their front page."""

    team: Team
    rituals: tuple[RitualLine, ...]


@dataclass(frozen=True, kw_only=True)
class TeamOverview:
    """A team as its manager sees it on the dashboard."""

    team: Team
    managers: tuple[Member, ...]
    members: tuple[Member, ...]
    rituals: tuple[RitualLine, ...]


@dataclass(frozen=True, kw_only=True)
class MeForm:
    """The member's settings as the page's form sent them, as typed; '' clears away and country."""

    timezone: str
    hours: str
    days: str
    language: str
    country: str
    away_until: str


# How each kind describes itself in words: the lines `/ritme <kind> list` shows in chat.
_DESCRIBE: dict[RitualKind, Callable[[Catalog, str, Ritual], str]] = {
    RitualKind.STANDUP: standup.list_item,
    RitualKind.PULSE: pulse.list_item,
    RitualKind.BORREL: borrel.list_item,
    RitualKind.COFFEE: coffee.list_item,
    RitualKind.COFFEE_MACHINE: coffee.list_item,
    RitualKind.FOCUS: focus.list_item,
    RitualKind.CORE_HOURS: focus.list_item,
}


def next_run(ritual: Ritual, now: datetime) -> datetime | None:
    """When the ritual next starts by its schedule (its time on its days, every one or two weeks from its
    anchor); None while paused. A borrel's one-off cancel or move is not taken into account."""
    if ritual.paused or not ritual.days:
        return None
    settings = ritual.settings
    every, anchor = 1, None
    if isinstance(settings, PulseSettings | BorrelSettings | CoffeeSettings):
        every, anchor = settings.every_weeks, settings.anchor
    day = local_date(now, ritual.timezone)
    for offset in range(7 * every + 1):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() not in ritual.days:
            continue
        if anchor is not None and ((candidate - anchor).days // 7) % every:
            continue
        start = local_instant(candidate, ritual.at, ritual.timezone)
        if start > now:
            return start
    return None


class Dashboard:
    """What the dashboard's pages read and change, for the signed-in member."""

    def __init__(
        self, *, store: Store, sign_ins: DashboardStore, planner: Planner, catalog: Catalog, clock: Clock,
        boundaries: Boundaries | None = None, session_lifetime: timedelta = SESSION_LIFETIME,
        audit: AuditLog | None = None, member_data: MemberData | None = None,
    ) -> None:
        """Changes are planned again through `planner`, as the engine does after a chat command, and written to
        `audit` (without one, only to the application log); `member_data` serves the "my data" page."""
        self._store = store
        self._audit = audit
        self._member_data = member_data
        self._boundaries = boundaries or Boundaries()
        self._sign_ins = sign_ins
        self._planner = planner
        self._catalog = catalog
        self._clock = clock
        self._session_lifetime = session_lifetime

    @property
    def session_lifetime(self) -> timedelta:
        """How long a session lasts, for the cookie's max-age."""
        return self._session_lifetime

    # Signing in and out -------------------------------------------------------------------------------------

    async def link_owner(self, token: str) -> Member | Refusal:
        """Whose link this is while it still works, or why it does not; spends nothing, so a link preview or a
        mail scanner that fetches it leaves it for its owner."""
        if not token or len(token) > MAX_SECRET_LENGTH:
            return Refusal.UNKNOWN
        link = await self._sign_ins.link(secret_hash(token))
        if link is None:
            return Refusal.UNKNOWN
        if link.used_at is not None:
            return Refusal.USED
        if link.expires_at <= self._clock.now():
            return Refusal.EXPIRED
        member = await self._sign_ins.member(link.member_id)
        return member if member is not None else Refusal.UNKNOWN

    async def sign_in(self, token: str) -> SignedIn | Refusal:
        """Use a link and start a session, or say why the link was refused."""
        if not token or len(token) > MAX_SECRET_LENGTH:
            return Refusal.UNKNOWN
        now = self._clock.now()
        token_hash = secret_hash(token)
        member_id = await self._sign_ins.use_link(token_hash, now)
        if member_id is None:
            link = await self._sign_ins.link(token_hash)
            if link is None:
                return Refusal.UNKNOWN
            return Refusal.USED if link.used_at is not None else Refusal.EXPIRED
        session_token = new_secret()
        expires_at = now + self._session_lifetime
        await self._sign_ins.start_session(secret_hash(session_token), member_id, new_secret(), now, expires_at)
        return SignedIn(session_token=session_token, expires_at=expires_at)

    async def viewer(self, session_token: str) -> Viewer | None:
        """The member whose unexpired session that is; None otherwise."""
        if not session_token or len(session_token) > MAX_SECRET_LENGTH:
            return None
        session_hash = secret_hash(session_token)
        session = await self._sign_ins.session(session_hash, self._clock.now())
        if session is None:
            return None
        member = await self._sign_ins.member(session.member_id)
        if member is None:
            return None
        return Viewer(member=member, csrf_token=session.csrf_token, session_hash=session_hash)

    async def sign_out(self, viewer: Viewer) -> None:
        """End the viewer's session."""
        await self._sign_ins.end_session(viewer.session_hash)

    # Reading ------------------------------------------------------------------------------------------------

    async def my_teams(self, viewer: Viewer) -> MyTeams:
        """The teams the viewer manages and the teams they are in (a team they manage is listed once)."""
        memberships = await self._store.memberships(viewer.member.id)
        return MyTeams(
            managed=tuple(m.team for m in memberships if m.role is Role.MANAGER),
            member_of=tuple(m.team for m in memberships if m.role is not Role.MANAGER),
        )

    async def my_rituals(self, viewer: Viewer) -> tuple[TeamRituals, ...]:
        """Every team the viewer is in with its rituals in words, each next run in the viewer's own zone."""
        zone = viewer.member.timezone
        return tuple([
            TeamRituals(team=membership.team, rituals=await self._ritual_lines(viewer, membership.team, zone))
            for membership in await self._store.memberships(viewer.member.id)
        ])

    async def team_overview(self, viewer: Viewer, team_id: int) -> TeamOverview:
        """A team's people and rituals, each ritual in words with its next run; for its managers and admins."""
        team = await self._managed_team(viewer, team_id)
        return TeamOverview(
            team=team,
            managers=tuple(await self._store.managers(team.id)),
            members=tuple(await self._store.team_members(team.id)),
            rituals=await self._ritual_lines(viewer, team, None),
        )

    async def _ritual_lines(self, viewer: Viewer, team: Team, zone: str | None) -> tuple[RitualLine, ...]:
        """The team's rituals in the viewer's words, next runs in `zone` (None: each ritual's own)."""
        locale = viewer.member.locale
        now = self._clock.now()
        lines = []
        for ritual in await self._store.rituals(team.id):
            starts = next_run(ritual, now)
            lines.append(RitualLine(
                ritual=ritual,
                kind=self._catalog.text(locale, f"web.kind.{ritual.kind.value}"),
                description=_DESCRIBE.get(ritual.kind, standup.list_item)(self._catalog, locale, ritual),
                next_run="" if starts is None else self._moment(locale, starts, zone or ritual.timezone),
            ))
        return tuple(lines)

    async def managed_team(self, viewer: Viewer, team_id: int) -> Team:
        """The team, for its managers and admins: NotAllowed for anyone else (team or not), NotFound if none."""
        return await self._managed_team(viewer, team_id)

    def _moment(self, locale: str, at: datetime, zone: str) -> str:
        moment = self._catalog.text(locale, "moment", date=self._catalog.date(locale, local_date(at, zone)),
                                    time=self._catalog.time(local_time(at, zone)))
        return self._catalog.text(locale, "web.team.next_run", moment=moment, zone=zone)

    async def _managed_team(self, viewer: Viewer, team_id: int) -> Team:
        """The team, if the viewer manages it or is an admin; NotAllowed for anyone else, whether or not the team
        exists, so the page tells a stranger nothing."""
        member = viewer.member
        role = await self._store.role(team_id, member.id)
        if role is not Role.MANAGER and not member.is_admin:
            raise NotAllowed(team_id)
        team = await self._sign_ins.team(team_id)
        # An admin is the admin of their own workspace only: another workspace's team is as closed as to anyone.
        if team is not None and role is not Role.MANAGER and not _same_workspace(member, team):
            raise NotAllowed(team_id)
        if team is None:
            raise NotFound(team_id)
        return team

    def my_settings(self, viewer: Viewer) -> MeForm:
        """The viewer's settings as the form shows them, in the words `/ritme me` takes."""
        member = viewer.member
        today = local_date(self._clock.now(), member.timezone)
        away = member.away_until if member.away_until is not None and member.away_until >= today else None
        return MeForm(
            timezone=member.timezone,
            hours=f"{self._catalog.time(member.work_start)}-{self._catalog.time(member.work_end)}",
            days=days_value(member.work_days),
            language=member.locale,
            country=member.country,
            away_until=away.isoformat() if away else "",
        )

    def default_country(self, viewer: Viewer) -> str:
        """Whose public holidays the viewer keeps if they choose none."""
        return self._boundaries.country_of(replace(viewer.member, country=""))

    # Changing -----------------------------------------------------------------------------------------------

    async def change_standup_time(
        self, viewer: Viewer, team_id: int, ritual_id: int, *, at: str, days: str
    ) -> Ritual:
        """Move a stand-up to a new time and days; its digest keeps its distance from the start. Today's and
        tomorrow's prompts not sent yet follow at once. FormRefused (nothing changed) on bad values."""
        return await self._change_standup(viewer, team_id, ritual_id, at=at, days=days, digest="", remind=None)

    async def change_standup(
        self, viewer: Viewer, team_id: int, ritual_id: int, *, at: str, days: str, digest: str, remind: str | None
    ) -> Ritual:
        """Change a stand-up's time, days, digest time and reminder (`off`, or a delay such as `30m`; None keeps
        it), each checked as `/ritme standup create` checks it. A digest left blank or as it was keeps its distance
        from the start. FormRefused (nothing changed) on bad values."""
        return await self._change_standup(viewer, team_id, ritual_id, at=at, days=days, digest=digest,
                                          remind=remind)

    async def _change_standup(
        self, viewer: Viewer, team_id: int, ritual_id: int, *, at: str, days: str, digest: str, remind: str | None
    ) -> Ritual:
        team, ritual = await self._managed_ritual(viewer, team_id, ritual_id, (RitualKind.STANDUP,))
        refuse_oversized({"at": at, "days": days, "digest": digest, "remind": remind or ""})
        errors: dict[str, CommandError] = {}
        new_at: time | None = None
        new_days: tuple[int, ...] = ()
        settings = ritual.standup
        try:
            new_at = parse_time(at.strip(), TIME_EXAMPLE)
        except CommandError as error:
            errors["at"] = error
        try:
            new_days = parse_days(days.strip(), DAYS_EXAMPLE)
        except CommandError as error:
            errors["days"] = error
        given_digest: time | None = None
        if digest.strip() and digest.strip() != self._catalog.time(settings.digest_at):
            try:
                given_digest = parse_time(digest.strip(), DIGEST_EXAMPLE)
            except CommandError as error:
                errors["digest"] = error
        remind_after = settings.remind_after_minutes
        if remind is not None:
            try:
                remind_after = _remind(remind)
            except CommandError as error:
                errors["remind"] = error
        digest_at = settings.digest_at
        if given_digest is not None:
            digest_at = given_digest
            if new_at is not None and _minutes(digest_at) <= _minutes(new_at):
                errors["digest"] = CommandError(
                    "error.digest_before", digest=self._catalog.time(digest_at), at=self._catalog.time(new_at),
                    example=self._catalog.time(_clock_time(min(_minutes(new_at) + 60, 23 * 60 + 59))),
                )
        elif new_at is not None and "digest" not in errors:
            gap = _minutes(settings.digest_at) - _minutes(ritual.at)
            digest_at = _clock_time(min(_minutes(new_at) + gap, 23 * 60 + 59))
            if _minutes(digest_at) <= _minutes(new_at):
                errors["at"] = CommandError("error.digest_before", digest=self._catalog.time(digest_at),
                                            at=self._catalog.time(new_at), example="23:59")
        if errors:
            raise FormRefused(errors)
        assert new_at is not None
        changed = await self._store.update_ritual(
            ritual.id, at=new_at, days=new_days,
            settings=settings.model_copy(update={"digest_at": digest_at, "remind_after_minutes": remind_after}),
        )
        await self._planner.plan(self._clock.now(), ritual_id=changed.id)
        # A move of time or days (the digest moving along) reads as such in the log; a digest or reminder set on
        # its own makes it a change of the stand-up's settings.
        only_time = given_digest is None and remind_after == settings.remind_after_minutes
        await self.record_change(viewer, team, "standup.time" if only_time else "standup.settings", before=ritual,
                                 after=changed)
        return changed

    async def change_pulse_time(self, viewer: Viewer, team_id: int, ritual_id: int, *, day: str, at: str) -> Ritual:
        """Move a pulse's rounds to another weekday and time, checked as `/ritme pulse create` checks them; a round
        still closes at the hour it opens, and its unsent prompts are planned again. FormRefused on bad values."""
        team, ritual = await self._managed_ritual(viewer, team_id, ritual_id, (RitualKind.PULSE,))
        refuse_oversized({"day": day, "at": at})
        errors: dict[str, CommandError] = {}
        new_at: time | None = None
        new_day = 0
        try:
            new_day = _pulse_day(day)
        except CommandError as error:
            errors["day"] = error
        try:
            new_at = parse_time(at.strip(), PULSE_EXAMPLE)
        except CommandError as error:
            errors["at"] = error
        if errors:
            raise FormRefused(errors)
        assert new_at is not None
        settings = ritual.pulse
        # `pulse create` closes a round at the hour it opened; a pulse still set up that way keeps it so.
        closes_at = new_at if settings.closes_at == ritual.at else settings.closes_at
        changed = await self._store.update_ritual(
            ritual.id, at=new_at, days=(new_day,), settings=settings.model_copy(update={"closes_at": closes_at})
        )
        await self._planner.plan(self._clock.now(), ritual_id=changed.id)
        await self.record_change(viewer, team, "pulse.time", before=ritual, after=changed)
        return changed

    async def set_paused(self, viewer: Viewer, team_id: int, ritual_id: int, *, paused: bool) -> Ritual:
        """Pause or resume a stand-up, pulse, borrel or coffee pairing as `/ritme <kind> pause|resume` does: pausing
        drops its unsent prompts; a resumed stand-up or pulse is planned again at once (borrels and coffee keep
        their own schedule, which skips paused ones)."""
        team, ritual = await self._managed_ritual(viewer, team_id, ritual_id, tuple(PAUSABLE))
        await self._store.set_paused(ritual.id, paused)
        if not paused and ritual.kind in (RitualKind.STANDUP, RitualKind.PULSE):
            await self._planner.plan(self._clock.now(), ritual_id=ritual.id)
        changed = replace(ritual, paused=paused)
        await self.record_change(viewer, team, f"{PAUSABLE[ritual.kind]}.{'pause' if paused else 'resume'}",
                                 before=ritual, after=changed)
        return changed

    async def _managed_ritual(
        self, viewer: Viewer, team_id: int, ritual_id: int, kinds: Sequence[RitualKind]
    ) -> tuple[Team, Ritual]:
        """A ritual of one of `kinds` in a team the viewer manages; NotFound for any other."""
        team = await self._managed_team(viewer, team_id)
        ritual = next((r for r in await self._store.rituals(team.id) if r.id == ritual_id), None)
        if ritual is None or ritual.kind not in kinds:
            raise NotFound(ritual_id)
        return team, ritual

    async def change_me(self, viewer: Viewer, form: MeForm) -> Member:
        """Change the viewer's own settings, checked as `/ritme me ...` checks them; their unsent prompts are
        planned again. FormRefused (nothing changed) on bad values."""
        member = viewer.member
        refuse_oversized(asdict(form))
        today = local_date(self._clock.now(), member.timezone)
        errors: dict[str, CommandError] = {}

        def check(field: str, read: Callable[[], object]) -> object:
            try:
                return read()
            except CommandError as error:
                errors[field] = error
                return None

        zone = check("timezone", lambda: parse_zone(form.timezone.strip(), ZONE_EXAMPLE))
        hours = check("hours", lambda: parse_hours(form.hours.strip().replace(" ", "")))
        days = check("days", lambda: parse_days(form.days.strip(), DAYS_EXAMPLE))
        language = check("language", lambda: _language(form.language))
        country = check("country", lambda: _country(form.country))
        away = check("away_until", lambda: parse_future_date(form.away_until.strip(), today)
                     if form.away_until.strip() else None)
        if errors:
            raise FormRefused(errors)
        assert isinstance(zone, str) and isinstance(hours, tuple) and isinstance(days, tuple)
        assert isinstance(language, str) and (country is None or isinstance(country, str))
        assert away is None or isinstance(away, date)
        changes = MemberChanges(
            timezone=zone, locale=language, work_days=days, work_start=hours[0], work_end=hours[1],
            away_until=away, clear_away=away is None, country=country, clear_country=country is None,
        )
        changed = await self._store.update_member(member.id, changes)
        # Prompts not sent yet were planned with the old times; plan this member's again, as `/ritme me` does.
        await self._store.replan_member(member.id)
        await self._planner.plan(self._clock.now(), member_id=member.id)
        await self.record_change(viewer, None, "me", before=member, after=changed)
        return changed

    async def record_change(
        self, viewer: Viewer, team: Team | None, what: str, *, before: object, after: object
    ) -> None:
        """The one place every change made from the dashboard passes: a team's change goes into that team's audit
        log with source "web", the viewer as who and the service's clock as when; a save that changed nothing
        leaves no entry. The detail is written once, in the viewer's language, as chat's entries keep a command
        as it was typed.

        The member's own settings (team None) go into no team's log: they are not a team's configuration (chat's
        `/ritme me` is not recorded either), and a log that every manager of each of their teams reads is no place
        for someone's working hours, time zone or away dates. They reach the application log, by ids only.
        """
        subject = getattr(after, "id", "-")
        if team is None or self._audit is None:
            log.info("dashboard change %s of %s by member %s in team %s", what, subject, viewer.member.id,
                     team.id if team else "-")
            return
        if before == after:
            return
        await self._audit.record(team_id=team.id, actor_member_id=viewer.member.id, source="web", action=what,
                                 detail=self._detail(viewer.member.locale, before, after), at=self._clock.now())

    def _detail(self, locale: str, before: object, after: object) -> str:
        """A ritual's change in words: paused or resumed; or its time and days, each as `old → new` where it
        changed, followed by a stand-up's digest and reminder where those changed."""
        if not isinstance(before, Ritual) or not isinstance(after, Ritual):
            return ""
        kind = self._catalog.text(locale, f"web.kind.{after.kind.value}")
        if before.paused != after.paused:
            return self._catalog.text(locale, "web.audit.detail.paused" if after.paused else "web.audit.detail.resumed",
                                      kind=kind, id=after.id)

        def changed(old: str, new: str) -> str:
            return new if old == new else f"{old} → {new}"

        text = self._catalog.text(
            locale, "web.audit.detail.ritual", kind=kind,
            id=after.id, at=changed(self._catalog.time(before.at), self._catalog.time(after.at)),
            days=changed(self._catalog.days(locale, before.days), self._catalog.days(locale, after.days)),
        )
        if after.kind is not RitualKind.STANDUP:
            return text
        old, new = before.standup, after.standup
        if old.digest_at != new.digest_at:
            text += self._catalog.text(locale, "web.audit.detail.digest", digest=changed(
                self._catalog.time(old.digest_at), self._catalog.time(new.digest_at)))
        if old.remind_after_minutes != new.remind_after_minutes:
            text += self._catalog.text(locale, "web.audit.detail.remind", remind=changed(
                self.remind_words(locale, old.remind_after_minutes),
                self.remind_words(locale, new.remind_after_minutes)))
        return text

    def remind_words(self, locale: str, minutes: int | None) -> str:
        """A stand-up's reminder in words: `off`, or its delay as `30 min`."""
        if minutes is None:
            return self._catalog.text(locale, "web.remind.off")
        return self._catalog.text(locale, "web.remind.after", minutes=minutes)

    # The audit log and the member's own data ----------------------------------------------------------------

    async def audit_page(self, viewer: Viewer, team_id: int, older_than: int | None = None) -> AuditPage:
        """One page of a team's audit log, newest first, for its managers and admins: from the start, or on from
        the entry `older_than` (the previous page's last); times in the viewer's zone."""
        team = await self._managed_team(viewer, team_id)
        if self._audit is None:
            raise NotFound(team_id)
        entries = list(await self._audit.recent(team.id, AUDIT_PAGE + 1, older_than=older_than))
        member = viewer.member
        locale, zone = member.locale, member.timezone
        lines = tuple(
            AuditLine(
                who=entry.actor_name if entry.actor_name is not None else self._catalog.text(locale, "audit.erased"),
                erased=entry.actor_name is None,
                source=self._catalog.text(locale, f"audit.source.{entry.source}"),
                action=entry.action,
                what=self._catalog.text(locale, f"web.audit.action.{entry.action}")
                if self._catalog.has(f"web.audit.action.{entry.action}") else entry.action,
                detail=entry.detail,
                when=self._catalog.text(
                    locale, "web.audit.when", date=self._catalog.date(locale, local_date(entry.at, zone)),
                    year=local_date(entry.at, zone).year, time=self._catalog.time(local_time(entry.at, zone)),
                ),
            )
            for entry in entries[:AUDIT_PAGE]
        )
        older = entries[AUDIT_PAGE - 1].id if len(entries) > AUDIT_PAGE else None
        return AuditPage(team=team, lines=lines, older=older, first=older_than is None, zone=zone)

    async def my_data(self, viewer: Viewer) -> dict[str, Any]:
        """Everything Ritme stores about the viewer, as JSON-ready data: only ever their own, as the viewer is the
        only member this asks about."""
        data = await self._data_rights().export(viewer.member.id)
        if data is None:
            raise NotFound(viewer.member.id)
        return data

    def exported_on(self, viewer: Viewer) -> date:
        """Today in the viewer's zone, for the export's file name."""
        return local_date(self._clock.now(), viewer.member.timezone)

    async def erase_me(self, viewer: Viewer, *, confirmed: bool) -> None:
        """Erase the viewer (rituals/member_data.py says what goes and what stays), their sessions and links
        with them; FormRefused, and nothing erased, unless they confirmed it."""
        if not confirmed:
            raise FormRefused({"confirm": CommandError("web.data.confirm_needed")})
        await self._data_rights().erase(viewer.member.id)
        # By id only: the application log is no place for an erased member's name.
        log.info("member %s erased themselves from the dashboard", viewer.member.id)

    def _data_rights(self) -> MemberData:
        if self._member_data is None:
            raise NotFound("member data")
        return self._member_data


@dataclass(frozen=True, kw_only=True)
class AuditLine:
    """One audit entry as the page shows it: who (their current name, or words for an erased member), from
    where, what, and when in the viewer's zone."""

    who: str
    erased: bool
    source: str
    action: str
    what: str  # the action in words (its code when the catalog has none)
    detail: str
    when: str


@dataclass(frozen=True, kw_only=True)
class AuditPage:
    """A page of a team's audit log: its lines, newest first, and the entry to page on from (None: no older)."""

    team: Team
    lines: tuple[AuditLine, ...]
    older: int | None
    first: bool
    zone: str


def days_value(days: Sequence[int]) -> str:
    """Weekdays in the words `/ritme ... days` takes: `mon-fri` for a run of three or more, else `mon,wed`."""
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAYS[ordered[0]]}-{WEEKDAYS[ordered[-1]]}"
    return ",".join(WEEKDAYS[day] for day in ordered)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _clock_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _language(value: str) -> str:
    """A language the catalog speaks, as `/ritme me language` takes it."""
    if value.strip().lower() not in LOCALES:
        raise CommandError("error.language", value=value)
    return value.strip().lower()


def _country(value: str) -> str | None:
    """A country code whose holidays Ritme knows, or None (blank) for the default, as `/ritme me country` takes it."""
    text = value.strip()
    if not text:
        return None
    if not is_known_country(text):
        raise CommandError("error.country", value=text, example=COUNTRY_EXAMPLE)
    return text.upper()


def remind_value(minutes: int | None) -> str:
    """A stand-up's reminder in the words `/ritme standup create ... remind` takes: `off`, `1h` or `30m`."""
    if minutes is None:
        return "off"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def refuse_oversized(fields: Mapping[str, str]) -> None:
    """FormRefused naming each field longer than MAX_FORM_FIELD_LENGTH, with a value that fits; else nothing."""
    errors = {name: CommandError("error.field_long", length=len(value), limit=MAX_FORM_FIELD_LENGTH,
                                 example=_FIELD_EXAMPLES.get(name, ""))
              for name, value in fields.items() if len(value) > MAX_FORM_FIELD_LENGTH}
    if errors:
        raise FormRefused(errors)


def _remind(value: str) -> int | None:
    """A reminder as `standup create ... remind` takes it: off (None), or minutes after the prompt."""
    text = value.strip()
    if text.lower() in ("off", "uit"):
        return None
    return parse_duration(text)


def _pulse_day(value: str) -> int:
    """The weekday a pulse's rounds open on, as `pulse create` takes it (`fri`)."""
    text = value.strip().lower()
    if text not in WEEKDAYS:
        raise CommandError("error.pulse_day", value=value.strip(), example=PULSE_EXAMPLE)
    return WEEKDAYS.index(text)


def _same_workspace(member: Member, team: Team) -> bool:
    """True when the team is on the member's own platform workspace (or Teams tenant)."""
    return (member.platform, member.workspace_id) == (team.platform, team.workspace_id)
