"""Routes the engine's messages to the adapter of each message's platform."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from rituals.outbound import Message, recipient_of
from rituals.ports import Outbox

log = logging.getLogger(__name__)


class UnknownPlatform(LookupError):
    """A message addressed to a platform no adapter is configured for."""


class OutboxRouter:
    """Hands each message to its platform's outbox, keeping the order within a platform."""

    def __init__(self, outboxes: Mapping[str, Outbox]) -> None:
        self._outboxes = dict(outboxes)

    async def send(self, messages: Sequence[Message]) -> None:
        """Deliver messages; a failure is logged with what was lost and raised to the caller."""
        by_platform: dict[str, list[Message]] = {}
        for message in messages:
            by_platform.setdefault(recipient_of(message).platform, []).append(message)
        for platform, batch in by_platform.items():
            outbox = self._outboxes.get(platform)
            if outbox is None:
                raise UnknownPlatform(f"no adapter for platform {platform!r}; {len(batch)} messages not sent")
            try:
                await outbox.send(batch)
            except Exception:
                log.exception("sending %d messages to %s failed", len(batch), platform)
                raise
