"""The in-process timer: APScheduler wakes the engine; the schedule itself lives in the database."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.inbound import InboundPipeline
from bot.outbox import OutboxRouter
from rituals.engine import Engine
from rituals.ports import Clock
from rituals.retention import Retention

log = logging.getLogger(__name__)


class Dispatcher:
    """Sends what has come due and keeps the schedule planned ahead."""

    def __init__(self, *, engine: Engine, router: OutboxRouter, clock: Clock) -> None:
        self._engine = engine
        self._router = router
        self._clock = clock

    async def tick(self) -> int:
        """Send everything due now; returns how many messages went out."""
        sent = 0
        async for batch in self._engine.due(self._clock.now()):
            await self._router.send(batch)
            sent += len(batch)
        return sent

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
    ) -> None:
        self._dispatcher = dispatcher
        self._inbound = inbound
        self._retention = retention
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        # coalesce + max_instances=1: a slow tick is never run twice at once, and missed runs collapse into one.
        common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        self._scheduler.add_job(self._safe_plan, "interval", seconds=plan_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_tick, "interval", seconds=tick_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_recover, "interval", seconds=recover_every.total_seconds(), **common)
        self._scheduler.add_job(self._safe_housekeeping, "interval", hours=6, **common)

    async def _safe_tick(self) -> None:
        try:
            await self._dispatcher.tick()
        except Exception:
            log.exception("dispatching due work failed; prompts not sent are claimed again when their lease runs out")

    async def _safe_plan(self) -> None:
        try:
            await self._dispatcher.plan()
        except Exception:
            log.exception("planning failed; it is retried on the next run")

    async def _safe_recover(self) -> None:
        try:
            await self._inbound.recover()
        except Exception:
            log.exception("recovering unhandled inbound events failed; it is retried on the next run")

    async def _safe_housekeeping(self) -> None:
        try:
            await self._inbound.prune()
        except Exception:
            log.exception("housekeeping failed; it is retried on the next run")
        if self._retention is None:
            return
        try:
            pruned = await self._retention.run()
            if pruned.deliveries or pruned.answers:
                log.info("retention: deleted %d deliveries and %d answers older than %d days",
                         pruned.deliveries, pruned.answers, self._retention.days)
        except Exception:
            log.exception("deleting records older than the retention period failed; it is retried on the next run")

    async def __aenter__(self) -> Timer:
        # Events a previous run accepted but did not handle go first: people have been waiting for those longest.
        await self._safe_recover()
        await self._safe_plan()
        await self._safe_tick()
        self._scheduler.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._scheduler.shutdown(wait=False)
