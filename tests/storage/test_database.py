"""Engines and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from storage.database import alembic_config, create_engine, migrate, normalize_url
from storage.models import Base

TABLES = {
    "workspaces",
    "teams",
    "members",
    "team_members",
    "rituals",
    "occurrences",
    "deliveries",
    "answers",
    "inbound_events",
}


def _state(connection: Connection) -> tuple[str | None, set[str]]:
    revision = MigrationContext.configure(connection).get_current_revision()
    return revision, set(inspect(connection).get_table_names())


@pytest.mark.asyncio
async def test_migrations_reach_head_and_go_back_down(database_url: str) -> None:
    config = alembic_config(database_url)
    head = ScriptDirectory.from_config(config).get_current_head()
    await migrate(database_url)  # a second run is a no-op

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            revision, tables = await connection.run_sync(_state)
        assert revision == head
        assert tables >= TABLES
        assert tables - {"alembic_version"} == set(Base.metadata.tables)

        def downgrade(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
        async with engine.connect() as connection:
            revision, tables = await connection.run_sync(_state)
        assert revision is None
        assert not tables & TABLES
    finally:
        await engine.dispose()

    await migrate(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert (await connection.run_sync(_state))[0] == head
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "ritme.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        assert engine.url.drivername == "sqlite+aiosqlite"
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
        assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1}
        assert path.exists()
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_an_in_memory_sqlite_database_is_one_database_for_the_whole_engine() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("SELECT count(*) FROM probe")).scalar_one() == 0
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u:p@db:5432/ritme", "postgresql+asyncpg"),
        ("postgres://u@db/ritme", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@db/ritme", "postgresql+asyncpg"),
        ("postgresql+psycopg://u@db/ritme", "postgresql+asyncpg"),
        ("sqlite:///ritme.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///ritme.db", "sqlite+aiosqlite"),
    ],
)
def test_urls_are_normalised_to_the_async_drivers(given: str, driver: str) -> None:
    url = normalize_url(given)
    assert url.drivername == driver
    assert url.database in ("ritme", "ritme.db")


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        normalize_url("mysql://u@db/ritme")
