"""Fixtures of the engine tests: the real engine over the real store, with a clock moved by hand."""

from __future__ import annotations

import pytest

from adapters.failures import MemoryFailureLog
from storage.repository import SqlStore
from tests.rituals.harness import MONDAY_0800, FakeClock, Harness, make_engine


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_0800)


@pytest.fixture
def harness(store: SqlStore, clock: FakeClock, database_url: str) -> Harness:
    failures = MemoryFailureLog()
    return Harness(make_engine(store, clock, failures=failures), clock, store, database_url, failures)
