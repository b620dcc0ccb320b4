"""Recording a message a platform refused or that kept failing, the same way for every adapter's outbox."""

from __future__ import annotations

import logging
from datetime import datetime

from rituals.outbound import (
    ChannelAddress,
    ChannelPost,
    Form,
    HomeView,
    MemberAddress,
    Message,
    Prompt,
    ThreadReply,
    Update,
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
    address: MemberAddress | ChannelAddress = message.to
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
