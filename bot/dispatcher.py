"""The in-process timer: APScheduler wakes the engine; the schedule itself lives in the database."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.inbound import InboundPipeline
from bot.metrics import Metrics
from bot.outbox import OutboxRouter
from rituals.engine import Engine
from rituals.ports import BatchResult, Clock
from rituals.retention import Retention

log = logging.getLogger(__name__)
# The longest wait between ticks while they keep failing, in seconds.
TICK_BACKOFF_CAP = 60.0


class Dispatcher:
    """Sends what has come due and keeps the schedule planned ahead."""

    def __init__(
        self, *, engine: Engine, router: OutboxRouter, clock: Clock, send_within: timedelta = timedelta(seconds=90)
    ) -> None:
        self._engine = engine
        self._router = router
        self._clock = clock
        # Prompts are claimed with a lease; sending stops well before it runs out, and what is left is handed back,
        # so no other replica takes over a prompt this one may still be sending.
        self._send_within = send_within.total_seconds()
        self._stopping = False

    async def tick(self) -> int:
        """Send everything due now; returns how many messages went out."""
        deadline = time.monotonic() + self._send_within

        def stopping() -> bool:
            return self._stopping or time.monotonic() >= deadline

        batches = self._engine.due(self._clock.now(), stopping)
        result: BatchResult | None = None
        sent = 0
        try:
            while True:
                try:
                    batch = await batches.asend(result)
                except StopAsyncIteration:
                    return sent
                result = await self._router.deliver(batch, stopping=stopping)
                sent += len(batch) - len(result.undelivered) - len(result.refused)
        finally:
            await batches.aclose()

    def stop(self) -> None:
        """Send nothing more: a tick under way hands its unsent prompts back (on a graceful shutdown)."""
        self._stopping = True

    async def plan(self) -> int:
        """Plan today's and tomorrow's occurrences; returns how many prompts were added."""
        return await self._engine.plan(self._clock.now())


class Timer:
    """An APScheduler 3 memory-store scheduler that runs the dispatcher's tick and planning, and recovers and
    prunes the inbound ledger."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        inbound: InboundPipeline,
        *,
        tick_every: timedelta,
        plan_every: timedelta,
        recover_every: timedelta = timedelta(seconds=30),
        retention: Retention | None = None,
        drain_within: timedelta = timedelta(seconds=10),
        metrics: Metrics | None = None,
    ) -> None:
        self._dispatcher = dispatcher
        self._metrics = metrics or Metrics()
        self._inbound = inbound
        self._retention = retention
        self._tick_every = tick_every.total_seconds()
        self._drain_within = drain_within.total_seconds()
        # After failed ticks (the database gone, say) the next ones wait longer and longer, up to a minute.
        self._tick_failures = 0
        self._next_tick_at = 0.0
        self._running: set[asyncio.Task[object]] = set()
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        # coalesce + max_instances=1: a slow tick is never run twice at once, and missed runs (a suspended host, a
        # clock jump) collapse into one.
        common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        self._scheduler.add_job(self._safe_plan, "interval", seconds=plan_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_tick, "interval", seconds=tick_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_recover, "interval", seconds=recover_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_housekeeping, "interval", hours=6, **common)

    async def _safe_tick(self) -> None:
        if time.monotonic() < self._next_tick_at:
            return
        try:
            async with self._tracked():
                await self._dispatcher.tick()
        except Exception as error:
            self._metrics.count_if_database_error("dispatch", error)
            self._tick_failures += 1
            wait = min(TICK_BACKOFF_CAP, self._tick_every * 2 ** (self._tick_failures - 1))
            self._next_tick_at = time.monotonic() + wait
            log.exception("dispatching due work failed (%d in a row); trying again in %.0f s; prompts not sent are "
                          "claimed again when their lease runs out", self._tick_failures, wait)
        else:
            if self._tick_failures:
                log.info("dispatching works again after %d failed attempts", self._tick_failures)
            self._tick_failures = 0

    async def _safe_plan(self) -> None:
        try:
            async with self._tracked():
                await self._dispatcher.plan()
        except Exception as error:
            self._metrics.count_if_database_error("plan", error)
            log.exception("planning failed; it is retried on the next run")

    async def _safe_recover(self) -> None:
        try:
            async with self._tracked():
                await self._inbound.recover()
        except Exception as error:
            self._metrics.count_if_database_error("inbound_recover", error)
            log.exception("recovering unhandled inbound events failed; it is retried on the next run")

    async def _safe_housekeeping(self) -> None:
        try:
            await self._inbound.prune()
        except Exception as error:
            self._metrics.count_if_database_error("inbound_prune", error)
            log.exception("housekeeping failed; it is retried on the next run")
        if self._retention is None:
            return
        try:
            pruned = await self._retention.run()
            if pruned.deliveries or pruned.answers:
                log.info("retention: deleted %d deliveries and %d answers older than %d days",
                         pruned.deliveries, pruned.answers, self._retention.days)
        except Exception as error:
            self._metrics.count_if_database_error("retention", error)
            log.exception("deleting records older than the retention period failed; it is retried on the next run")

    @asynccontextmanager
    async def _tracked(self) -> AsyncIterator[None]:
        """Mark the running job as work a graceful stop waits for."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self._running.add(task)
        try:
            yield
        finally:
            self._running.discard(task)

    async def __aenter__(self) -> Timer:
        # Events a previous run accepted but did not handle go first: people have been waiting for those longest.
        await self._safe_recover()
        await self._safe_plan()
        await self._safe_tick()
        self._scheduler.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop starting work, let work under way finish within the drain time, then cancel what is left (its
        claims run out and are taken over: nothing is lost, at worst late)."""
        # Paused, not shut down: APScheduler's shutdown cancels running jobs at once, which could cut a send off
        # between the platform's accept and recording it (and so send it again after a restart).
        self._scheduler.pause()
        self._dispatcher.stop()
        running = set(self._running)
        if running:
            _, late = await asyncio.wait(running, timeout=self._drain_within)
            for task in late:
                task.cancel()
            if late:
                log.warning("stopped %d jobs still running after the %.0f s drain time", len(late), self._drain_within)
                await asyncio.wait(late, timeout=1)
        self._scheduler.shutdown(wait=False)
