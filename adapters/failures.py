"""Recording a message a platform refused or that kept failing, the same way for every adapter's outbox."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime

from rituals.outbound import (
    ChannelPost,
    ChannelUpdate,
    Form,
    GroupPrompt,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
    StatusUpdate,
    ThreadReply,
    Update,
    recipient_of,
)
from rituals.ports import DeliveryFailure, FailureLog

log = logging.getLogger(__name__)

# What managers are told a failed message was (rituals/failures.py turns these into words).
KINDS: dict[type, str] = {
    Prompt: "prompt",
    Form: "form",
    Update: "update",
    ChannelPost: "channel_post",
    ThreadReply: "thread_reply",
    HomeView: "home",
    ChannelUpdate: "channel_update",
    GroupPrompt: "group_prompt",
    StatusUpdate: "status",
}


class RecordedFailure(Exception):
    """A delivery error already recorded (per member of a group): the outbox raises `error` on, recording nothing."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


async def record_failure(
    failures: FailureLog | None,
    *,
    platform: str,
    message: Message,
    error: Exception,
    at: datetime,
    recipient: MemberAddress | None = None,
) -> None:
    """Record that `message` was not delivered (to `recipient`, one member of a group, when given); a failure log
    that fails itself is logged, never raised."""
    if failures is None:
        return
    address = recipient or recipient_of(message)
    failure = DeliveryFailure(
        platform=platform,
        workspace_id=address.workspace_id,
        recipient=address.user_id if isinstance(address, MemberAddress) else address.channel_id,
        kind=KINDS.get(type(message), type(message).__name__),
        key=message.key,
        # The adapters' errors name the call and the platform's status or error code; never a token or the text.
        error=str(error),
        failed_at=at,
    )
    try:
        await failures.record(failure)
    except Exception:
        # The caller still gets (and logs) the delivery error; a failing failure log must not hide it.
        log.exception("could not record the failed %s for %s", failure.kind, failure.recipient)


async def send_to_each(
    members: Sequence[MemberAddress],
    send_one: Callable[[MemberAddress], Awaitable[None]],
    *,
    failures: FailureLog | None,
    platform: str,
    message: GroupPrompt,
    at: Callable[[], datetime],
    errors: tuple[type[Exception], ...],
) -> None:
    """Send a group's message to each member privately; raises RecordedFailure with the first error once all were
    tried.

    One member out of reach must not keep the others from their message, so each failure is recorded against the
    member it was for, and the rest are still sent.
    """
    first: Exception | None = None
    for member in members:
        try:
            await send_one(member)
        except errors as error:
            await record_failure(failures, platform=platform, message=message, error=error, at=at(), recipient=member)
            first = first or error
    if first is not None:
        raise RecordedFailure(first)


class MemoryFailureLog:
    """A FailureLog in memory, for tests and benchmarks."""

    def __init__(self) -> None:
        self.failures: list[DeliveryFailure] = []

    async def record(self, failure: DeliveryFailure) -> None:
        """Remember one failure."""
        self.failures.append(failure)

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
        found = [
            failure
            for failure in reversed(self.failures)  # the newest first among failures of the same moment
            if (failure.platform, failure.workspace_id) == (platform, workspace_id)
            and failure.failed_at >= since
            and (recipients is None or failure.recipient in recipients)
        ]
        return sorted(found, key=lambda failure: failure.failed_at, reverse=True)[:limit]

    async def count(
        self, platform: str, workspace_id: str, since: datetime, *, recipients: Collection[str] | None = None
    ) -> int:
        """How many failures `recent` would find without a limit."""
        return len(await self.recent(platform, workspace_id, since, recipients=recipients, limit=len(self.failures)))
