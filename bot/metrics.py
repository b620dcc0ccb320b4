"""Ritme's Prometheus metrics: one registry per assembled application, served at GET /metrics.

The registry is built here, not taken from prometheus_client's process-wide default, so two Ritmes in one process
(tests, the benchmark's replicas) never count into each other. Parts that record get the `Metrics` object, or a
plain callback from it (the adapters and the engine import nothing from bot/): the engine's `observe` hook reports
each batch of due prompts, the adapters' failure log is wrapped in a counting one, the Slack and Teams HTTP clients
call `on_rate_limited`, and the inbound pipeline and the timer count events and database failures.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from rituals.ports import DeliveryFailure, FailureLog, PromptTally

# Dispatch lag: from a few milliseconds (the normal case) to the grace period (two hours by default), where a prompt
# is given up. The 2 s bucket is the benchmark's p99 target.
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 7200.0)


class Metrics:
    """The counters and histogram an admin watches; each method records one kind of thing that happened."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        # The engine reports each batch of due prompts (rituals.ports.PromptTally); a batch mixes platforms, so
        # these carry no platform label. What a platform gave up on is counted by platform in delivery_failures.
        self._due = Counter(
            "ritme_prompts_due", "Prompts that came due and were claimed for sending by this replica.",
            registry=registry,
        )
        self._sent = Counter("ritme_prompts_sent", "Prompts a platform accepted.", registry=registry)
        self._deferred = Counter(
            "ritme_prompts_deferred", "Prompts held for the member's working hours or the next day.", registry=registry
        )
        self._retried = Counter(
            "ritme_prompts_retried", "Prompts handed back because the platform could not take them yet (5xx, "
            "timeouts, out of time); they are tried again.", registry=registry,
        )
        self._skipped = Counter(
            "ritme_prompts_skipped", "Prompts not sent for good: refused by the platform, or over a member's daily "
            "message cap.", registry=registry,
        )
        self._failures = Counter(
            "ritme_delivery_failures", "Messages a platform refused or that kept failing, as recorded for managers "
            "(kind: prompt, form, update, channel_post, thread_reply).", ["platform", "kind"], registry=registry,
        )
        self._lag = Histogram(
            "ritme_dispatch_lag_seconds", "How late a prompt went out after its due time, in seconds.",
            buckets=LAG_BUCKETS, registry=registry,
        )
        self._inbound = Counter(
            "ritme_inbound_events", "Inbound events accepted for handling (first deliveries).", ["platform"],
            registry=registry,
        )
        self._duplicates = Counter(
            "ritme_inbound_duplicates", "Inbound events ignored as a platform's repeat of one already accepted.",
            ["platform"], registry=registry,
        )
        self._rate_limited = Counter(
            "ritme_platform_rate_limited", "HTTP 429 answers from a platform's API (each one waited out).",
            ["platform"], registry=registry,
        )
        self._held = Counter(
            "ritme_messages_held", "Digests, reminders and invitations a platform could not take, kept to be tried "
            "again (those given up on are counted in ritme_delivery_failures, kind skipped).", ["platform"],
            registry=registry,
        )
        self._database_errors = Counter(
            "ritme_database_errors", "Database failures caught and retried later, by the operation that failed.",
            ["operation"], registry=registry,
        )

    def prompts(self, tally: PromptTally) -> None:
        """Count one batch of due prompts as the engine reports it (its `observe` hook)."""
        self._due.inc(tally.claimed)
        self._sent.inc(tally.sent)
        self._deferred.inc(tally.deferred)
        self._retried.inc(tally.retried)
        self._skipped.inc(tally.skipped)
        for seconds in tally.lag_seconds:
            self._lag.observe(max(seconds, 0.0))

    def delivery_failed(self, failure: DeliveryFailure) -> None:
        """Count a message an adapter gave up on."""
        self._failures.labels(platform=failure.platform, kind=failure.kind).inc()

    def inbound_event(self, platform: str) -> None:
        """Count an inbound event recorded for the first time."""
        self._inbound.labels(platform=platform).inc()

    def inbound_duplicate(self, platform: str) -> None:
        """Count a platform's repeat of an event already recorded."""
        self._duplicates.labels(platform=platform).inc()

    def rate_limited(self, platform: str) -> None:
        """Count one 429 from a platform's API."""
        self._rate_limited.labels(platform=platform).inc()

    def on_rate_limited(self, platform: str) -> Callable[[], None]:
        """The callback an adapter's HTTP client calls on each 429 of `platform`."""
        counter = self._rate_limited.labels(platform=platform)
        return counter.inc

    def messages_held(self, platforms: Sequence[str]) -> None:
        """Count messages kept to be tried again, one platform each (rituals/retries.py)."""
        for platform in platforms:
            self._held.labels(platform=platform).inc()

    def database_error(self, operation: str) -> None:
        """Count a database failure during `operation` (e.g. "dispatch", "inbound_record")."""
        self._database_errors.labels(operation=operation).inc()

    def count_if_database_error(self, operation: str, error: BaseException) -> None:
        """Count `error` as a database failure of `operation` when it is one; a platform's failure is not."""
        if is_database_error(error):
            self.database_error(operation)

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text exposition format."""
        return generate_latest(self.registry)


class CountedFailureLog:
    """A FailureLog that counts each failure it records, then passes everything to the real one."""

    def __init__(self, log: FailureLog, metrics: Metrics) -> None:
        self._log = log
        self._metrics = metrics

    async def record(self, failure: DeliveryFailure) -> None:
        """Count the failure and remember it."""
        self._metrics.delivery_failed(failure)
        await self._log.record(failure)

    async def recent(
        self,
        platform: str,
        workspace_id: str,
        since: datetime,
        *,
        recipients: Collection[str] | None = None,
        limit: int = 50,
    ) -> Sequence[DeliveryFailure]:
        """The real log's recent failures."""
        return await self._log.recent(platform, workspace_id, since, recipients=recipients, limit=limit)

    async def count(
        self, platform: str, workspace_id: str, since: datetime, *, recipients: Collection[str] | None = None
    ) -> int:
        """The real log's count."""
        return await self._log.count(platform, workspace_id, since, recipients=recipients)


def is_database_error(error: BaseException) -> bool:
    """True when `error` came from the database or the connection to it, anywhere in its chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SQLAlchemyError | sqlite3.Error) or _raised_by_driver(current):
            return True
        current = current.__cause__ or current.__context__
    return False


# asyncpg lets OSError (connection refused, reset) and its own errors through SQLAlchemy unwrapped, so where an error
# was raised tells more than its type: an aiohttp ConnectionRefusedError from Slack is not a database error. Frames of
# sqlalchemy.ext.asyncio do not count: its `async with engine.begin()` shows in anything raised inside the block.
_DRIVER_MODULES = ("asyncpg", "aiosqlite", "sqlalchemy.pool", "sqlalchemy.dialects", "sqlalchemy.connectors")


def _raised_by_driver(error: BaseException) -> bool:
    frame = error.__traceback__
    while frame is not None:
        if str(frame.tb_frame.f_globals.get("__name__", "")).startswith(_DRIVER_MODULES):
            return True
        frame = frame.tb_next
    return False


def metrics_endpoint(metrics: Metrics) -> Callable[[web.Request], Awaitable[web.Response]]:
    """GET /metrics: the registry in Prometheus' text format."""

    async def serve(_request: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    return serve
