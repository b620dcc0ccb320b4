"""The one entry point for inbound events from every adapter: record, handle, send the replies; nothing is lost.

Each event is written to the inbound ledger before anything else (before Slack hears its ack), as pending and
held by this process. Once the engine has handled it, it is finished. If the process stops first, the event
stays pending: a graceful stop hands it back at once, a crash when its hold runs out, and `recover` (the timer
runs it at start-up and every half minute) handles it then, on this replica or another.

One window remains: an event whose effects the engine committed but that was not finished yet when the process
died is handled again. Finishing right after the engine returns, before the replies are sent, keeps it short.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Generic, TypeVar

from bot.metrics import Metrics
from bot.outbox import OutboxRouter
from rituals.engine import Engine
from rituals.events import InboundEvent
from rituals.ports import Clock, EventKey, InboundLedger

log = logging.getLogger(__name__)

# How long an accepted event is this process's alone; after that another process may take it over. Far longer
# than any event takes, so a busy process is not overtaken while it still works through its queue.
HOLD = timedelta(minutes=5)
# A failed event is tried again after this pause, up to MAX_ATTEMPTS times in all, then marked failed.
RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 3
RECOVER_BATCH = 50
# Platforms stop retrying within minutes; a week of ids is ample to recognise every retry.
LEDGER_MEMORY = timedelta(days=7)

Resume = Callable[[InboundEvent], Awaitable[None]]
_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def key_of(event: InboundEvent) -> EventKey:
    """The event's (platform, event id)."""
    return (event.actor.platform, event.event_id)


class GroupCommit(Generic[_Item, _Result]):
    """Items that arrive while a write is under way go into the next write together, so a burst costs a few
    transactions instead of one each; every caller gets the result of the write that carried its item."""

    def __init__(self, write: Callable[[list[_Item]], Awaitable[_Result]]) -> None:
        self._write = write
        self._waiting: list[tuple[_Item, asyncio.Future[_Result]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, item: _Item) -> _Result:
        """Write `item` with whatever else is waiting; the write's result."""
        waiter: asyncio.Future[_Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, waiter))
        if self._flushing is None or self._flushing.done():
            self._idle.clear()
            self._flushing = asyncio.create_task(self._flush())
        return await waiter

    async def idle(self) -> None:
        """Return once nothing is waiting to be written or being written."""
        await self._idle.wait()

    async def _flush(self) -> None:
        try:
            await self._flush_all()
        finally:
            self._idle.set()

    async def _flush_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                result = await self._write([item for item, _ in batch])
            except Exception as error:
                for _, waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            for _, waiter in batch:
                if not waiter.done():
                    waiter.set_result(result)


class InboundPipeline:
    """Records each event before acting on it, so a platform's retry never causes a second side effect and an
    event that was accepted is handled even if this process stops first."""

    def __init__(
        self,
        *,
        ledger: InboundLedger,
        engine: Engine,
        router: OutboxRouter,
        clock: Clock,
        after: Callable[[], Awaitable[object]] | None = None,
        acks_first: bool = False,
        metrics: Metrics | None = None,
    ) -> None:
        self._ledger = ledger
        self._metrics = metrics or Metrics()
        self._acks_first = acks_first
        self._engine = engine
        self._router = router
        self._clock = clock
        self._after = after
        # Accepted or claimed here and not finished: handed back on a graceful stop, never recovered twice.
        self._held: set[EventKey] = set()
        self._resumers: dict[str, Resume] = {}
        self._record = GroupCommit(self._record_many)
        self._finish = GroupCommit(self._ledger.finish)
        # Events handled while a dispatch runs share the next one: a burst of commands costs a few dispatches.
        self._dispatch = GroupCommit(self._dispatch_once)
        self._processing = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def resume_with(self, platform: str, resume: Resume) -> None:
        """How a recovered event of `platform` is handled (Slack looks the member's profile up first); the default
        is `process`."""
        self._resumers[platform] = resume

    async def __call__(self, event: InboundEvent) -> None:
        """Handle one event once."""
        if await self.accept(event):
            await self.process(event)

    async def accept(self, event: InboundEvent) -> bool:
        """Record the event before anything else; False for a repeat, which must then be ignored."""
        key = key_of(event)
        try:
            new = await self._record(event)
        except Exception as error:
            self._metrics.count_if_database_error("inbound_record", error)
            raise
        # The same id twice in one write (a fast platform retry) is new only for the first caller.
        if key in new and key not in self._held:
            self._held.add(key)
            self._metrics.inbound_event(key[0])
            return True
        log.info("ignored a repeat of %s event %s", *key)
        self._metrics.inbound_duplicate(key[0])
        return False

    async def _record_many(self, events: list[InboundEvent]) -> set[EventKey]:
        return await self._ledger.record(events, self._clock.now() + HOLD)

    async def idle(self) -> None:
        """Return once no event is being handled, its replies and the dispatch after it included."""
        await self._idle.wait()

    async def process(self, event: InboundEvent) -> None:
        """Handle an accepted event, finish it, deliver the replies, then send whatever it made due."""
        self._processing += 1
        self._idle.clear()
        try:
            await self._process(event)
        finally:
            self._processing -= 1
            if not self._processing:
                self._idle.set()

    async def _process(self, event: InboundEvent) -> None:
        key = key_of(event)
        if self._acks_first:
            # One writer (SQLite): handling waits while acknowledgements are being recorded, so a burst of work
            # after earlier acks never pushes a later ack past the platform's deadline. Work catches up in the lulls.
            await self._record.idle()
        changes = self._engine.schedule_changes
        try:
            messages = await self._engine.handle(event)
        except Exception as error:
            self._metrics.count_if_database_error("inbound_handle", error)
            self._held.discard(key)
            await self._retry_later(key)
            raise
        self._held.discard(key)
        try:
            await self._finish(key)
        except Exception as error:
            self._metrics.count_if_database_error("inbound_finish", error)
            # The replies still go out; the event may be handled once more when its hold runs out.
            log.exception("could not mark %s event %s handled", *key)
        await self._router.send(messages)
        if self._after is not None and self._engine.schedule_changes != changes:
            # The event may have made prompts due now (a manager's run-now): send them without waiting for the timer.
            try:
                await self._dispatch(key)
            except Exception as error:
                self._metrics.count_if_database_error("dispatch", error)
                log.exception("dispatching after %s event %s failed; the timer retries it", *key)

    async def _dispatch_once(self, _keys: list[EventKey]) -> None:
        if self._after is not None:
            await self._after()

    async def _retry_later(self, key: EventKey) -> None:
        try:
            await self._ledger.hold_until([key], self._clock.now() + RETRY_AFTER)
        except Exception as error:
            self._metrics.count_if_database_error("inbound_hold", error)
            log.exception("could not hand %s event %s back; it is retried when its hold runs out", *key)

    async def recover(self) -> int:
        """Handle events accepted earlier that no process finished (it stopped, crashed or failed); how many."""
        recovered = 0
        while True:
            now = self._clock.now()
            claimed = await self._ledger.claim(now, now + HOLD, RECOVER_BATCH, MAX_ATTEMPTS)
            if not claimed:
                return recovered
            # One this process still works on (its hold ran out in a long queue) is left to that work.
            fresh = [event for event in claimed if key_of(event) not in self._held]
            self._held.update(key_of(event) for event in fresh)
            results = await asyncio.gather(*(self._resume(event) for event in fresh), return_exceptions=True)
            for event, result in zip(fresh, results, strict=True):
                if isinstance(result, Exception):
                    self._metrics.count_if_database_error("inbound_handle", result)
                    log.error("handling recovered %s event %s failed", *key_of(event), exc_info=result)
            recovered += len(fresh)

    async def _resume(self, event: InboundEvent) -> None:
        log.info("handling %s event %s, accepted at %s and not finished then", *key_of(event), event.received_at)
        resume = self._resumers.get(event.actor.platform, self.process)
        await resume(event)

    async def release(self) -> int:
        """Hand every event this process holds back to the ledger, to be handled at once by whoever recovers next
        (called on a graceful stop, after in-flight work had its chance to finish); how many."""
        held, self._held = list(self._held), set()
        if held:
            await self._ledger.hold_until(held, self._clock.now())
            log.warning("handed %d accepted but unhandled events back for the next start", len(held))
        return len(held)

    async def prune(self) -> int:
        """Forget handled events older than a week; platforms retry for minutes, not days."""
        return await self._ledger.prune(self._clock.now() - LEDGER_MEMORY)
