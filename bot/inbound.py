"""The one entry point for inbound events from every adapter: dedupe, handle, send the replies."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.outbox import OutboxRouter
from rituals.engine import Engine
from rituals.events import InboundEvent
from rituals.ports import Store

log = logging.getLogger(__name__)


class InboundPipeline:
    """Records each event before acting on it, so a platform's retry never causes a second side effect."""

    def __init__(
        self,
        *,
        store: Store,
        engine: Engine,
        router: OutboxRouter,
        after: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._store = store
        self._engine = engine
        self._router = router
        self._after = after

    async def __call__(self, event: InboundEvent) -> None:
        """Handle one event once."""
        platform = event.actor.platform
        if not await self._store.record_inbound(platform, event.event_id, event.received_at):
            log.info("ignored a repeat of %s event %s", platform, event.event_id)
            return
        try:
            messages = await self._engine.handle(event)
        except Exception:
            # Forgetting the event lets the platform's retry (or the member's second click) try again.
            await self._store.forget_inbound(platform, event.event_id)
            raise
        await self._router.send(messages)
        if self._after is not None:
            # A command may have made prompts due now (a manager's run-now): send them without waiting for the timer.
            try:
                await self._after()
            except Exception:
                log.exception("dispatching after %s event %s failed; the timer retries it", platform, event.event_id)
