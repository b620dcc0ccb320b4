"""Sending at Slack's pace: a rate-limited WebApi, and the log of messages that could not be delivered.

Slack asks for about one message per second per channel, and every workspace has a cap of its own. The
RateLimitedTransport keeps both, in front of the RetryingTransport (which honours 429 Retry-After and retries
5xx). Only calls that show something to someone count; reads such as users.info go straight through.

Waiting is an asyncio sleep: it never blocks the event loop, and a busy channel or workspace never holds up
another one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.slack.transport import WebApi

# Calls that post or change a message (or open a view): these are the ones Slack's limits are about. Not
# views.publish: it replaces a member's Home tab rather than posting in a channel, and has a limit of its own
# (Tier 4, 100+ a minute), so it goes straight on to the retrying transport, which waits out a 429 all the same.
PACED_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete", "chat.scheduleMessage", "views.open"}
)
DEFAULT_MESSAGES_PER_MINUTE = 600
DEFAULT_WORKSPACE_BURST = 10
DEFAULT_CHANNEL_INTERVAL_SECONDS = 1.0
# Idle channel entries are dropped once this many are kept, so a fan-out to thousands of DMs does not pile up.
_CHANNELS_KEPT = 1024


@dataclass
class _Bucket:
    """A GCRA token bucket: `tat` is the theoretical arrival time of the next call, in clock seconds."""

    interval: float
    burst: int
    tat: float = float("-inf")

    def reserve(self, now: float) -> float:
        """Take the next free slot; when it is (now, or later)."""
        at = max(now, self.tat - (self.burst - 1) * self.interval)
        self.tat = max(self.tat, now) + self.interval
        return at


@dataclass
class _Channel:
    next_at: float = float("-inf")
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class RateLimitedTransport:
    """A WebApi that paces posts per channel (about 1/s) and per workspace (a cap per minute, small bursts).

    Calls to one channel go one at a time, in the order they came, each at least `channel_interval` after the
    previous one began; the workspace's slots are handed out first come, first served. Slots are reserved without
    holding any lock across a wait, so waiters for other channels and workspaces are never held up. A retry
    inside the wrapped transport (after a 429 or a 5xx) does not take a second slot: it already waited.
    """

    def __init__(
        self,
        api: WebApi,
        *,
        messages_per_minute: int = DEFAULT_MESSAGES_PER_MINUTE,
        burst: int = DEFAULT_WORKSPACE_BURST,
        channel_interval_seconds: float = DEFAULT_CHANNEL_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if messages_per_minute < 1 or burst < 1:
            raise ValueError("messages_per_minute and burst must be at least 1")
        self._api = api
        self._workspace_interval = 60.0 / messages_per_minute
        self._burst = burst
        self._channel_interval = channel_interval_seconds
        self._clock = clock
        self._sleep = sleep
        self._workspaces: dict[str, _Bucket] = {}
        self._channels: dict[tuple[str, str], _Channel] = {}

    async def call(self, workspace_id: str, method: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
        """Wait for the channel's and the workspace's turn (posts only), then make the call."""
        if method not in PACED_METHODS:
            return await self._api.call(workspace_id, method, args)
        channel_id = args.get("channel")
        if not isinstance(channel_id, str) or not channel_id:
            # views.open has no channel (and its trigger expires in 3 s): only the workspace's cap applies.
            await self._workspace_turn(workspace_id)
            return await self._api.call(workspace_id, method, args)
        if method == "chat.postEphemeral":
            # Seen by one member only, and limited by Slack per workspace (Tier 4) rather than per channel: replies
            # to several people typing /ritme in one channel must not queue a second apart.
            channel_id = f"{channel_id}/{args.get('user', '')}"
        channel = self._channel(workspace_id, channel_id)
        async with channel.lock:
            await self._wait_until(channel.next_at)
            await self._workspace_turn(workspace_id)
            channel.next_at = self._clock() + self._channel_interval
            return await self._api.call(workspace_id, method, args)

    async def _workspace_turn(self, workspace_id: str) -> None:
        bucket = self._workspaces.get(workspace_id)
        if bucket is None:
            bucket = self._workspaces[workspace_id] = _Bucket(self._workspace_interval, self._burst)
        await self._wait_until(bucket.reserve(self._clock()))

    async def _wait_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _channel(self, workspace_id: str, channel_id: str) -> _Channel:
        if len(self._channels) >= _CHANNELS_KEPT:
            now = self._clock()
            idle = [key for key, kept in self._channels.items() if kept.next_at <= now and not kept.lock.locked()]
            for key in idle:
                del self._channels[key]
        return self._channels.setdefault((workspace_id, channel_id), _Channel())
