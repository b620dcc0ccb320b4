"""Shared fixtures: one migrated database per test, on SQLite and (when configured) PostgreSQL.

`database_url` is parametrized over both backends; `store` is a SqlStore on it. Any test that asks for either
runs once per backend. The PostgreSQL runs are marked `postgres` (CI selects them with `-m postgres`) and are
skipped unless RITME_TEST_DATABASE_URL names a server where the test user may create databases.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio

from storage.database import create_engine, migrate, normalize_url
from storage.repository import SqlStore

POSTGRES_ENV = "RITME_TEST_DATABASE_URL"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of the PostgreSQL runs (the suite uses --strict-markers)."""
    config.addinivalue_line("markers", "postgres: runs against PostgreSQL; needs RITME_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say up front which optional suites run, and how to run the ones that are skipped."""
    postgres = "runs" if os.environ.get(POSTGRES_ENV) else f"skipped: set {POSTGRES_ENV} to run it"
    return [f"PostgreSQL suite: {postgres}"]


async def _admin(server_url: str, sql: str) -> None:
    # CREATE/DROP DATABASE refuse to run inside a transaction.
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(sql)
    finally:
        await engine.dispose()


@pytest_asyncio.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a fresh database migrated to head: a temp SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}"
        await migrate(url)
        yield url
        return
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL suite")
    # A database per test rather than a schema: its plain URL works for any engine a test builds itself,
    # and dropping it leaves nothing behind in the shared database.
    name = f"ritme_test_{uuid4().hex[:16]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = normalize_url(server_url).set(database=name).render_as_string(hide_password=False)
        await migrate(url)
        yield url
    finally:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest_asyncio.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    """A SqlStore on the test's database, disposed of afterwards."""
    engine = create_engine(database_url)
    try:
        yield SqlStore(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def operator_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A shell as an operator opens one: no RITME_* variables of its own (the PostgreSQL suite's URL is kept) and no
    .env, in an empty folder, which it returns."""
    for name in list(os.environ):
        if name.startswith("RITME_") and name != POSTGRES_ENV:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
