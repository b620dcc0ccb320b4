"""Abuse limits: how many commands one member, and one team's channel, may send Ritme per minute.

A script that types `/ritme ...` in a loop would otherwise make the bot write to the database and post on every
line. Commands are counted in a sliding window of one minute, per member and per channel, before anything is read or
written; one over either limit gets one private reply naming the limit and when to try again, and further commands
within that wait get no reply at all, so a flood of commands never becomes a flood of refusals.

Button presses and form answers are counted the same way, per member, apart from commands and with the member's
limit: a press on a borrel invite edits the channel's post, so a script pressing in a loop would otherwise make
Ritme edit that post as fast as it presses.

The counts live in this process's memory: they need no table and no write per command, which is the point when the
commands come in a flood. With several replicas behind a load balancer each counts its own share, so the limits an
admin sets hold per replica (with two replicas a member may get up to twice as many through); that still stops a
flood, which is what they are for.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from rituals.catalog import Catalog, supported
from rituals.events import Actor, AnswerSubmitted, ButtonClicked, CommandInvoked
from rituals.outbound import ChannelAddress, MemberAddress, Message, Prompt, Text
from rituals.ports import Clock, Store

DEFAULT_PER_MEMBER = 20
DEFAULT_PER_TEAM = 60
WINDOW = timedelta(minutes=1)

# (platform, workspace id, user or channel id): one member, or one channel (a team's, or a channel on its way to
# becoming one), across workspaces without mixing them up.
_Key = tuple[str, str, str]


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """A command over a limit: which one, and when the member may send commands again."""

    scope: str  # "member" or "team" for commands, "presses" for buttons and form answers
    limit: int
    retry_at: datetime
    # False when the member was already told within this wait: then nothing is said at all.
    tell: bool


class CommandLimits:
    """Counts commands per member and per channel over the last minute and refuses those over a limit."""

    def __init__(
        self,
        *,
        clock: Clock,
        catalog: Catalog,
        store: Store,
        per_member: int = DEFAULT_PER_MEMBER,
        per_team: int = DEFAULT_PER_TEAM,
        default_locale: str = "en",
    ) -> None:
        if per_member < 1 or per_team < 1:
            raise ValueError("command limits are at least 1 a minute, e.g. 20 per member and 60 per team")
        self._clock = clock
        self._catalog = catalog
        self._store = store  # read only: a refusal speaks the member's own language
        self.per_member = per_member
        self.per_team = per_team
        self._default_locale = default_locale
        self._members: dict[_Key, deque[datetime]] = {}
        self._channels: dict[_Key, deque[datetime]] = {}
        self._presses: dict[_Key, deque[datetime]] = {}
        # Until when a member who was refused is not told again (a command, or a press).
        self._told_until: dict[_Key, datetime] = {}
        self._press_told_until: dict[_Key, datetime] = {}
        self._swept_at: datetime | None = None

    async def refuse(self, event: CommandInvoked) -> list[Message] | None:
        """None when the command may run (it is counted); otherwise what to reply instead, often nothing."""
        refusal = self.check(event)
        if refusal is None:
            return None
        if not refusal.tell:
            return []
        context = None if event.direct else ChannelAddress(
            platform=event.actor.platform, workspace_id=event.actor.workspace_id, channel_id=event.channel_id
        )
        return [await self._reply(event.actor, refusal, context)]

    async def refuse_press(self, event: ButtonClicked | AnswerSubmitted) -> list[Message] | None:
        """None when the press or answer may be handled (it is counted); otherwise what to reply, often nothing."""
        refusal = self.check_press(event.actor)
        if refusal is None:
            return None
        return [await self._reply(event.actor, refusal, None)] if refusal.tell else []

    def check_press(self, actor: Actor) -> Refusal | None:
        """Count a button press or form answer if the member is within their limit; otherwise say so."""
        now = self._clock.now()
        self._sweep(now)
        key = (actor.platform, actor.workspace_id, actor.user_id)
        presses = self._recent(self._presses, key, now)
        if len(presses) >= self.per_member:
            refusal = Refusal(scope="presses", limit=self.per_member, retry_at=presses[0] + WINDOW, tell=True)
            return self._once(self._press_told_until, key, refusal, now)
        presses.append(now)
        return None

    def check(self, event: CommandInvoked) -> Refusal | None:
        """Count the command if it is within both limits; otherwise say which limit it is over."""
        now = self._clock.now()
        self._sweep(now)
        actor = event.actor
        member_key = (actor.platform, actor.workspace_id, actor.user_id)
        member = self._recent(self._members, member_key, now)
        channel = None if event.direct else self._recent(
            self._channels, (actor.platform, actor.workspace_id, event.channel_id), now
        )
        refusal = None
        if len(member) >= self.per_member:
            refusal = Refusal(scope="member", limit=self.per_member, retry_at=member[0] + WINDOW, tell=True)
        if channel is not None and len(channel) >= self.per_team:
            retry_at = channel[0] + WINDOW
            if refusal is None:
                refusal = Refusal(scope="team", limit=self.per_team, retry_at=retry_at, tell=True)
            elif retry_at > refusal.retry_at:
                refusal = Refusal(scope=refusal.scope, limit=refusal.limit, retry_at=retry_at, tell=True)
        if refusal is not None:
            return self._once(self._told_until, member_key, refusal, now)
        member.append(now)
        if channel is not None:
            channel.append(now)
        return None

    @staticmethod
    def _once(told_until: dict[_Key, datetime], key: _Key, refusal: Refusal, now: datetime) -> Refusal:
        """The refusal, told to the member only the first time within its wait."""
        until = told_until.get(key)
        if until is not None and now < until:
            return Refusal(scope=refusal.scope, limit=refusal.limit, retry_at=refusal.retry_at, tell=False)
        told_until[key] = refusal.retry_at
        return refusal

    @staticmethod
    def _recent(counts: dict[_Key, deque[datetime]], key: _Key, now: datetime) -> deque[datetime]:
        """The times of the key's commands within the last minute (older ones dropped)."""
        times = counts.setdefault(key, deque())
        while times and times[0] <= now - WINDOW:
            times.popleft()
        return times

    def _sweep(self, now: datetime) -> None:
        """Once a minute, forget who has been quiet for a minute, so memory holds only the active."""
        if self._swept_at is not None and now - self._swept_at < WINDOW:
            return
        self._swept_at = now
        for counts in (self._members, self._channels, self._presses):
            for key in [key for key, times in counts.items() if not times or times[-1] <= now - WINDOW]:
                del counts[key]
        for told in (self._told_until, self._press_told_until):
            for key in [key for key, until in told.items() if until <= now]:
                del told[key]

    def tracked(self) -> int:
        """How many members and channels are counted at the moment (memory use, for tests and the docs)."""
        return (len(self._members) + len(self._channels) + len(self._presses) + len(self._told_until)
                + len(self._press_told_until))

    async def _reply(self, actor: Actor, refusal: Refusal, context: ChannelAddress | None) -> Prompt:
        """The one private reply to a refused command or press, in the member's language, where they acted."""
        known = [
            member
            for member in await self._store.find_members(actor.platform, actor.workspace_id, actor.user_id)
            if member.user_id == actor.user_id
        ]
        locale = known[0].locale if known else supported(actor.locale or self._default_locale)
        seconds = max(1, math.ceil((refusal.retry_at - self._clock.now()).total_seconds()))
        text = self._catalog.text(locale, f"limits.{refusal.scope}", limit=refusal.limit, seconds=seconds)
        return Prompt(
            to=MemberAddress(platform=actor.platform, workspace_id=actor.workspace_id, user_id=actor.user_id),
            text=Text.plain(text),
            context=context,
        )
