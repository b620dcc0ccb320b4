"""Sending at Teams' pace: at most 7 sends in any second per conversation, and a steady rate per tenant.

Teams throttles a bot per conversation ("per bot per thread": 7 operations a second) and per app and tenant
(about 50 requests a second). The SendPacer keeps below both. BotConnectorClient takes a turn from it right before
every HTTP attempt, retries included, so what reaches Teams is paced, not merely what the outbox asked for.

Waiting is an asyncio sleep: it never blocks the event loop, and a busy conversation or tenant never holds up
another one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from adapters.teams.protocol import MAX_SENDS_PER_CONVERSATION_PER_SECOND, channel_of_conversation

DEFAULT_TENANT_SENDS_PER_SECOND = 30.0
# Teams counts arrivals, and two requests can arrive closer than they left (the earlier one may have had to open a
# TLS connection first, the later one reuse it): a conversation's window is kept this much longer than a second.
DEFAULT_MARGIN_SECONDS = 0.25
# Idle conversation entries are dropped once this many are kept, so a fan-out to thousands of chats does not pile up.
_CONVERSATIONS_KEPT = 1024


class Pacer(Protocol):
    """What BotConnectorClient asks before each HTTP attempt: SendPacer in production."""

    async def turn(self, tenant_id: str, conversation_id: str | None) -> None:
        """Wait until one more request may go to the tenant (and post into the conversation, when one is named)."""
        ...


@dataclass
class _Gcra:
    """A GCRA bucket: `tat` is the theoretical arrival time of the next request, in clock seconds."""

    interval: float
    burst: int
    tat: float = float("-inf")

    def reserve(self, now: float) -> float:
        """Take the next free slot; when it is (now, or later)."""
        at = max(now, self.tat - (self.burst - 1) * self.interval)
        self.tat = max(self.tat, now) + self.interval
        return at


@dataclass
class _Window:
    """The start times of a conversation's latest sends, to keep at most `limit` in any `seconds`."""

    limit: int
    seconds: float
    sent: deque[float] = field(default_factory=deque)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def next_free(self, now: float) -> float:
        """When the next send may start: at once, or a window after the send `limit` places back."""
        if len(self.sent) < self.limit:
            return now
        return max(now, self.sent[-self.limit] + self.seconds)

    def note(self, at: float) -> None:
        """Record a send that starts at `at`."""
        self.sent.append(at)
        while len(self.sent) > self.limit:
            self.sent.popleft()

    def idle(self, now: float) -> bool:
        """True when forgetting this window changes nothing."""
        return not self.lock.locked() and (not self.sent or self.sent[-1] + self.seconds <= now)


@dataclass
class _Tenant:
    bucket: _Gcra
    window: _Window


class SendPacer:
    """At most `conversation_sends` posts in any window of a second (plus a margin) into one conversation, and
    `tenant_sends_per_second` requests per tenant, evenly spaced (`tenant_burst` may go at once), never more than
    that many in any second.

    A conversation's posts go one at a time, in the order they asked; the tenant's slots are handed out first
    come, first served. The conversation's turn is taken first and then, still holding it, the tenant's, so a
    post's recorded start is when it really leaves. A channel's threads count as the channel.
    """

    def __init__(
        self,
        *,
        tenant_sends_per_second: float = DEFAULT_TENANT_SENDS_PER_SECOND,
        tenant_burst: int = 1,
        conversation_sends: int = MAX_SENDS_PER_CONVERSATION_PER_SECOND,
        conversation_window_seconds: float = 1.0,
        margin_seconds: float = DEFAULT_MARGIN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if tenant_sends_per_second <= 0 or tenant_burst < 1 or conversation_sends < 1:
            raise ValueError("tenant_sends_per_second, tenant_burst and conversation_sends must be positive")
        self._tenant_interval = 1.0 / tenant_sends_per_second
        self._tenant_burst = tenant_burst
        self._tenant_cap = max(1, math.floor(tenant_sends_per_second))
        self._conversation_sends = conversation_sends
        self._window = conversation_window_seconds + margin_seconds
        self._clock = clock
        self._sleep = sleep
        self._tenants: dict[str, _Tenant] = {}
        self._conversations: dict[tuple[str, str], _Window] = {}

    async def turn(self, tenant_id: str, conversation_id: str | None) -> None:
        """Wait until one more request may go to the tenant (and post into the conversation, when one is named)."""
        if conversation_id is None:
            await self._tenant_turn(tenant_id)
            return
        window = self._window_of(tenant_id, channel_of_conversation(conversation_id))
        async with window.lock:
            await self._wait_until(window.next_free(self._clock()))
            await self._tenant_turn(tenant_id)
            window.note(self._clock())

    async def _tenant_turn(self, tenant_id: str) -> None:
        tenant = self._tenants.get(tenant_id)
        if tenant is None:
            tenant = self._tenants[tenant_id] = _Tenant(
                _Gcra(self._tenant_interval, self._tenant_burst), _Window(self._tenant_cap, 1.0)
            )
        await self._wait_until(tenant.bucket.reserve(self._clock()))
        # Slots are booked ahead; waiters woken late (a busy event loop) would leave together. The window on the
        # real departure times makes sure no second ever sees more than the rate, however late they woke.
        while True:
            now = self._clock()
            free = tenant.window.next_free(now)
            if free <= now:
                tenant.window.note(now)
                return
            await self._wait_until(free)

    async def _wait_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _window_of(self, tenant_id: str, conversation_id: str) -> _Window:
        if len(self._conversations) >= _CONVERSATIONS_KEPT:
            now = self._clock()
            for key in [key for key, kept in self._conversations.items() if kept.idle(now)]:
                del self._conversations[key]
        return self._conversations.setdefault(
            (tenant_id, conversation_id), _Window(self._conversation_sends, self._window)
        )


def _conforms(pacer: SendPacer) -> Pacer:
    # mypy fails here if SendPacer drifts from the Pacer protocol.
    return pacer
