"""Engines and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, Connection, inspect

from storage.database import alembic_config, create_engine, migrate, normalize_url
from storage.models import Base


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _drift(connection: Connection) -> list[Any]:
    """What autogenerate would write to bring the database to the models: tables, columns, types, nullability,
    server defaults, indexes, unique and foreign keys. Empty when the migrations and the models agree."""
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
    return list(compare_metadata(context, Base.metadata))


Predicate = tuple[frozenset[str], frozenset[tuple[str, str]]]


def _predicate(sql: str) -> Predicate:
    """A condition reduced to its quoted literals and its IS [NOT] NULL tests.

    Autogenerate compares neither CHECK constraints nor partial indexes' WHERE, and the databases reflect their
    text differently (PostgreSQL rewrites IN (...) as = ANY (ARRAY[...]) and adds casts); this is what both keep.
    """
    literals = frozenset(re.findall(r"'([^']*)'", sql))
    null_tests = frozenset(
        (name.lower(), negated.upper()) for name, negated in re.findall(r"(\w+) IS (NOT )?NULL", sql, re.I)
    )
    return literals, null_tests


def _conditions(connection: Connection) -> dict[tuple[str, str], Predicate]:
    """The database's CHECK constraints and partial indexes' WHERE, by (table, name)."""
    found: dict[tuple[str, str], Predicate] = {}
    inspector = inspect(connection)
    where = f"{connection.dialect.name}_where"
    for table in inspector.get_table_names():
        for check in inspector.get_check_constraints(table):
            found[(table, str(check["name"]))] = _predicate(check["sqltext"])
        for index in inspector.get_indexes(table):
            if index.get("dialect_options", {}).get(where) is not None:
                found[(table, str(index["name"]))] = _predicate(str(index["dialect_options"][where]))
    return found


def _model_conditions(dialect: str) -> dict[tuple[str, str], Predicate]:
    found: dict[tuple[str, str], Predicate] = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                found[(table.name, str(constraint.name))] = _predicate(str(constraint.sqltext))
        for index in table.indexes:
            if index.dialect_options[dialect]["where"] is not None:
                found[(table.name, str(index.name))] = _predicate(str(index.dialect_options[dialect]["where"]))
    return found


@pytest.mark.asyncio
async def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            drift = await connection.run_sync(_drift)
            conditions = await connection.run_sync(_conditions)
            dialect = connection.dialect.name
    finally:
        await engine.dispose()
    assert drift == []
    assert conditions == _model_conditions(dialect)
    assert conditions[("deliveries", "ck_deliveries_status")][0] == {"pending", "claimed", "sent", "skipped", "missed"}
    assert conditions[("deliveries", "ix_deliveries_open_due_at")][0] == {"pending", "claimed"}


@pytest.mark.asyncio
async def test_migrations_reach_head_and_go_back_down(database_url: str) -> None:
    config = alembic_config(database_url)
    head = ScriptDirectory.from_config(config).get_current_head()
    await migrate(database_url)  # a second run is a no-op

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_revision) == head
            assert await connection.run_sync(_tables) == set(Base.metadata.tables)

        def downgrade(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
        async with engine.connect() as connection:
            assert await connection.run_sync(_revision) is None
            assert await connection.run_sync(_tables) == set()
    finally:
        await engine.dispose()

    await migrate(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_revision) == head
            assert await connection.run_sync(_drift) == []
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
