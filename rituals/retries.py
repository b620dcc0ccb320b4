"""Retries: scheduled messages a platform could not take (digests, reminders, invitations) are tried again.

Prompts have a way back of their own: their delivery row is handed back (rituals/engine.py). Everything else of
a tick was claimed once, when it came due, so when its platform is unavailable it is kept in HeldMessages and
tried again with a growing wait (30 s, 1 min, 2 min ... at most 15 min) until it is delivered, refused for good,
or out of date. Out of date is the message's own `expires_at` (a borrel reminder after the borrel started) or,
without one, `give_up_after` (a day unless set). What is given up is recorded where managers see failures.

A private message that was due in someone's working hours may come back after them: it waits for the start of
every recipient's next working window, as it did the first time. Only new messages are kept: an edit of an earlier
one (a borrel invite's count) may be overtaken by a newer edit, and sending the old one late would undo it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from rituals import failures
from rituals.boundaries import Boundaries
from rituals.model import Member
from rituals.outbound import (
    ChannelPost,
    GroupPrompt,
    MemberAddress,
    Message,
    Prompt,
    ThreadReply,
    recipient_id,
    recipient_of,
)
from rituals.ports import BatchResult, DeliveryFailure, FailureLog, HeldMessage, HeldMessages, MessageLog, Store

log = logging.getLogger(__name__)

FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
_NEW_POSTS = (Prompt, ChannelPost, GroupPrompt, ThreadReply)


def wait_after(attempts: int) -> timedelta:
    """How long to wait before the next try of a message tried `attempts` times."""
    doublings = min(max(attempts - 1, 0), 16)  # beyond that the cap applies anyway, and timedelta would overflow
    return min(FIRST_WAIT * 2 ** doublings, LONGEST_WAIT)


class Retries:
    """Keeps a tick's undelivered messages and hands them back to a later tick when their time has come."""

    def __init__(
        self,
        held: HeldMessages,
        *,
        store: Store,
        boundaries: Boundaries,
        failures: FailureLog | None,
        posted: MessageLog | None,
        lease: timedelta,
        give_up_after: timedelta = timedelta(hours=24),
        batch_size: int = 500,
        observe: Callable[[Sequence[str]], None] | None = None,
    ) -> None:
        self._observe = observe  # the admin's metrics, told the platform of each message kept
        self._held = held
        self._store = store
        self._boundaries = boundaries
        self._failures = failures
        self._posted = posted
        self._lease = lease
        self._give_up_after = give_up_after
        self._batch_size = batch_size

    async def due(self, now: datetime) -> list[HeldMessage]:
        """Claim the held messages to try now; those out of date are given up, those for people not working now
        wait for their working hours."""
        claimed = await self._held.claim_due(now, self._lease, self._batch_size)
        ready: list[HeldMessage] = []
        later: list[tuple[int, datetime]] = []
        expired: list[HeldMessage] = []
        for held in claimed:
            deadline = self._deadline(held.message, held.held_since)
            start = await self._next_reachable(held.message, now, deadline)
            if now >= deadline or start is None:
                expired.append(held)
            elif start > now:
                later.append((held.id, start))
            else:
                ready.append(held)
        await self._held.retry_later(later, tried=False)
        await self._give_up(expired, now)
        sent = await self._sent_already(ready)
        await self._held.forget([held.id for held in sent])
        return [held for held in ready if held not in sent]

    async def settle(
        self, retried: Sequence[HeldMessage], fresh: Sequence[Message], result: BatchResult | None, now: datetime
    ) -> None:
        """After a batch went to the platforms: forget what was delivered or refused, keep what was not."""
        undelivered = {id(message) for message in result.undelivered} if result is not None else set()
        await self._held.forget([held.id for held in retried if id(held.message) not in undelivered])
        again: list[tuple[int, datetime]] = []
        too_late: list[HeldMessage] = []
        for held in retried:
            if id(held.message) in undelivered:
                next_try = now + wait_after(held.attempts + 1)
                if next_try < self._deadline(held.message, held.held_since):
                    again.append((held.id, next_try))
                else:
                    too_late.append(held)
        await self._held.retry_later(again, tried=True)
        await self._give_up(too_late, now)
        # The adapter recorded why each of these was not delivered; one already out of date is not kept.
        missed = [message for message in fresh if id(message) in undelivered]
        kept = [message for message in missed
                if isinstance(message, _NEW_POSTS) and now + FIRST_WAIT < self._deadline(message, now)]
        if kept and self._observe is not None:
            self._observe([recipient_of(message).platform for message in kept])
        if kept:
            log.warning("%d messages (digests, reminders, invitations) were not delivered; tried again from %s: %s",
                        len(kept), (now + FIRST_WAIT).isoformat(), ", ".join(message.key for message in kept))
        if len(kept) < len(missed):
            log.error("%d messages were not delivered and are not tried again (edits, or out of date soon): %s",
                      len(missed) - len(kept), ", ".join(message.key for message in missed if message not in kept))
        await self._held.hold(kept, now + FIRST_WAIT, now)

    async def _sent_already(self, held: Sequence[HeldMessage]) -> list[HeldMessage]:
        """Messages the platform did take after all: a replica stopped between sending one and forgetting it."""
        if self._posted is None:
            return []
        posts = [h for h in held if h.message.key]
        if not posts:
            return []
        found = await self._posted.posted_keys({h.message.key for h in posts})
        return [h for h in posts if (h.message.key, recipient_id(h.message)) in found]

    def _deadline(self, message: Message, held_since: datetime) -> datetime:
        """When trying the message again stops making sense."""
        latest = held_since + self._give_up_after
        return min(message.expires_at, latest) if message.expires_at is not None else latest

    async def _next_reachable(self, message: Message, now: datetime, deadline: datetime) -> datetime | None:
        """When every private recipient may be messaged, from now; None when not before the deadline."""
        start = now
        for member in await self._recipients(message):
            reachable = self._boundaries.next_reachable(member, now, until=deadline)
            if reachable is None:
                return None
            start = max(start, reachable)
        return start if start < deadline else None

    async def _recipients(self, message: Message) -> list[Member]:
        """The members a private message goes to (none for a channel post)."""
        addresses: tuple[MemberAddress, ...]
        if isinstance(message, GroupPrompt):
            addresses = message.to
        elif isinstance(message.to, MemberAddress):
            addresses = (message.to,)
        else:
            return []
        found: list[Member] = []
        for address in addresses:
            found.extend(member for member in await self._store.find_members(
                address.platform, address.workspace_id, address.user_id) if member.user_id == address.user_id)
        return found

    async def _give_up(self, expired: Sequence[HeldMessage], now: datetime) -> None:
        """Drop out-of-date messages, each recorded where the team's managers see failures."""
        for held in expired:
            to = recipient_of(held.message)
            recipient = recipient_id(held.message)
            log.error("gave up on %s for %s after %d tries since %s", held.message.key or "a message", recipient,
                      held.attempts, held.held_since.isoformat())
            if self._failures is not None:
                await self._failures.record(DeliveryFailure(
                    platform=to.platform, workspace_id=to.workspace_id, recipient=recipient, kind=failures.SKIPPED,
                    key=held.message.key, error=failures.EXPIRED, failed_at=now))
        await self._held.forget([held.id for held in expired])

