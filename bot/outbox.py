"""Routes the engine's messages to the adapter of each message's platform."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from rituals.outbound import Message, recipient_of
from rituals.ports import BatchResult, Outbox, PlatformRefused, PlatformUnavailable

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

    async def deliver(self, messages: Sequence[Message], *, stopping: Callable[[], bool]) -> BatchResult:
        """Deliver messages one at a time and say which did not go out, so those can be sent later.

        A platform that is unavailable gets none of its remaining messages this time; one message it refuses (its
        outbox recorded why) does not hold up the rest; once `stopping()` says so, nothing more is sent. Any other
        error leaves the message for later: it may not have been delivered.
        """
        undelivered: list[Message] = []
        refused: list[Message] = []
        down: set[str] = set()
        for message in messages:
            platform = recipient_of(message).platform
            outbox = self._outboxes.get(platform)
            if outbox is None:
                log.error("no adapter for platform %r; message %s not sent", platform, message.key)
                refused.append(message)
                continue
            if platform in down or stopping():
                undelivered.append(message)
                continue
            try:
                await outbox.send([message])
            except PlatformUnavailable as error:
                log.warning("%s is unavailable (%s); its messages are tried again later", platform, error)
                down.add(platform)
                undelivered.append(message)
            except PlatformRefused as error:
                log.info("%s refused %s (%s)", platform, message.key, error)
                refused.append(message)
            except Exception:
                log.exception("sending %s to %s failed; it is tried again later", message.key, platform)
                undelivered.append(message)
        return BatchResult(undelivered=tuple(undelivered), refused=tuple(refused))
