"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

# aiosqlite logs every statement with its parameters at DEBUG. Those parameters include what members answered,
# written in the same transaction as who answered, so its log stops at INFO whatever level the rest is at.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# An arbitrary constant naming Ritme's migration lock among PostgreSQL advisory locks.
MIGRATION_LOCK = 0x52_49_54_4D_45
# Waits before each retry of a write after a lost connection: about 6 s in all, long enough for a restarting
# server or a failover, short enough that a dispatch tick is not held up for long.
RETRY_WAITS = (0.1, 0.4, 1.5, 4.0)

log = logging.getLogger(__name__)
_T = TypeVar("_T")


def normalize_url(database_url: str) -> URL:
    """The URL with the async driver Ritme uses: aiosqlite for SQLite, asyncpg for PostgreSQL."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg")
    raise ValueError(f"unsupported database URL {url.render_as_string(hide_password=True)!r}: use sqlite or postgresql")


def create_engine(database_url: str, **options: Any) -> AsyncEngine:
    """An async engine for the URL; SQLite gets WAL, a busy timeout, foreign keys and serialised writers."""
    url = normalize_url(database_url)
    # A failed statement's exception text would otherwise carry its parameters (members' answers, tokens) into logs.
    options.setdefault("hide_parameters", True)
    if url.get_backend_name() != "sqlite":
        # A pooled connection the server closed (a restart, a failover, pg_terminate_backend) is noticed and
        # replaced when it is taken from the pool, instead of failing the first statement run on it.
        options.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **options)
    if not url.database or url.database == ":memory:":
        # Every new connection to :memory: is a new, empty database; share one connection instead.
        options.setdefault("poolclass", StaticPool)
    elif not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **options)
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level so SQLAlchemy's "begin" hook below decides how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when another
        # connection wrote in between; taking the write lock up front lets busy_timeout queue writers instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(database_url: str) -> Config:
    """An Alembic Config for the package's migrations, built in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would read "%" in a URL-encoded password as a reference.
    config.set_main_option(
        "sqlalchemy.url", normalize_url(database_url).render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


async def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the database's schema to `revision` (the newest by default)."""
    config = alembic_config(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, config, revision)
    finally:
        await engine.dispose()


async def pending_migrations(database_url: str) -> list[str]:
    """The revisions the database still lacks, oldest first; empty when its schema is current."""
    engine = create_engine(database_url)
    try:
        return await lacking_migrations(engine)
    finally:
        await engine.dispose()


async def lacking_migrations(engine: AsyncEngine) -> list[str]:
    """The revisions the database behind `engine` still lacks, oldest first; empty when its schema is current."""
    script = ScriptDirectory(str(MIGRATIONS))
    async with engine.connect() as connection:
        current = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads())
    lacking = script.iterate_revisions(tuple(script.get_heads()), current or None)
    return [revision.revision for revision in reversed(list(lacking))]


def lost_connection(error: BaseException) -> bool:
    """True when a database error means the connection was lost or refused, so the same work may succeed again."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError | ConnectionError | OSError)


async def retrying(operation: Callable[[], Awaitable[_T]], what: str) -> _T:
    """Run an idempotent database operation, again with backoff while the connection is lost (RETRY_WAITS)."""
    for wait in RETRY_WAITS:
        try:
            return await operation()
        except Exception as error:
            if not lost_connection(error):
                raise
            log.warning("lost the database connection while %s (%s); trying again in %.1f s", what,
                        type(error).__name__, wait)
        await asyncio.sleep(wait)
    return await operation()


def is_sqlite(database_url: str) -> bool:
    """True for a SQLite URL."""
    return normalize_url(database_url).get_backend_name() == "sqlite"


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        # Replicas starting together migrate one after the other; the lock ends with the transaction.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    # env.py runs on this connection instead of opening its own, so it works inside the running event loop.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
