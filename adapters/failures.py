"""Recording a message a platform refused or that kept failing, the same way for every adapter's outbox."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime

from rituals.outbound import (
    ChannelPost,
    Form,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
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
}


async def record_failure(
    failures: FailureLog | None, *, platform: str, message: Message, error: Exception, at: datetime
) -> None:
    """Record that `message` was not delivered; a failure log that fails itself is logged, never raised."""
    if failures is None:
        return
    address = recipient_of(message)
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
