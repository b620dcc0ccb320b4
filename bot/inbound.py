"""The one entry point for inbound events from every adapter: dedupe, handle, send the replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

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
        self._waiting: list[tuple[str, str, datetime, asyncio.Future[bool]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def __call__(self, event: InboundEvent) -> None:
        """Handle one event once."""
        if await self.accept(event.actor.platform, event.event_id, event.received_at):
            await self.process(event)

    async def accept(self, platform: str, event_id: str, received_at: datetime) -> bool:
        """Record the event id before anything else; False for a repeat, which must then be ignored."""
        # Group commit: ids arriving while a write is under way go into the next write together, so a burst of
        # acknowledgements costs a few transactions instead of one each.
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((platform, event_id, received_at, waiter))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        if await waiter:
            return True
        log.info("ignored a repeat of %s event %s", platform, event_id)
        return False

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                new = await self._store.record_inbound_many([(p, e, at) for p, e, at, _ in batch])
            except Exception as error:
                for *_, waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            seen: set[tuple[str, str]] = set()
            for platform, event_id, _, waiter in batch:
                # The same id twice in one batch (a fast platform retry) is new only the first time.
                first = (platform, event_id) in new and (platform, event_id) not in seen
                seen.add((platform, event_id))
                if not waiter.done():
                    waiter.set_result(first)

    async def process(self, event: InboundEvent) -> None:
        """Handle an accepted event, deliver the replies, then send whatever it made due."""
        platform = event.actor.platform
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
