"""Accepted events are never lost: a stop, a crash or a failure before handling leaves them for the next run."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.demo import seed_demo
from bot.inbound import HOLD, RETRY_AFTER
from bot.settings import Settings
from bot.wiring import Ritme, assemble, serving
from rituals.events import Actor, CommandInvoked, InboundEvent
from tests.rituals.harness import FakeClock

MONDAY_0900_AMSTERDAM = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass(frozen=True, kw_only=True)
class Unreadable(InboundEvent):
    """An event the engine does not know, so handling it fails every time."""

    detail: str


def _settings(database_url: str) -> Settings:
    # One member's 30 commands in one frozen minute: over the abuse limit (rituals/limits.py), not tested here.
    return Settings(_env_file=None, database_url=database_url, port=0, dispatch_interval_seconds=0.5,  # type: ignore[call-arg]
                    commands_per_minute_member=100)


def _command(event_id: str, text: str, clock: FakeClock) -> CommandInvoked:
    return CommandInvoked(
        event_id=event_id, actor=Actor(platform="local", workspace_id="local", user_id="anna"),
        received_at=clock.now(), channel_id="team", channel_name="team", text=text,
    )


def _replies(ritme: Ritme, words: str) -> int:
    return sum(words in str(view.to_json()) for view in ritme.local.history("anna"))


async def _rituals(ritme: Ritme) -> int:
    team = await ritme.store.upsert_team("local", "local", "team", "team")
    return len(await ritme.store.rituals(team.id))


async def test_events_accepted_before_a_graceful_stop_are_handled_at_the_next_start(tmp_path: Path) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    settings = _settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db")
    async with assemble(settings, clock) as ritme:
        await seed_demo(ritme)
        async with serving(ritme, with_timer=False):
            # Acknowledged, and the process stops before the work after the acknowledgement ran.
            assert await ritme.inbound.accept(_command("create", "/ritme standup create checkout", clock))
        assert await _rituals(ritme) == 1  # the demo's own
    async with assemble(settings, clock) as restarted, serving(restarted):  # the timer recovers on entering
        assert await _rituals(restarted) == 2
        assert _replies(restarted, "staat klaar") == 1  # Anna's reply, in her language
        assert await restarted.inbound.recover() == 0
        assert not await restarted.inbound.accept(_command("create", "/ritme standup create checkout", clock))


async def test_events_of_a_crashed_process_are_taken_over_when_their_hold_runs_out(database_url: str) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    settings = _settings(database_url)
    async with assemble(settings, clock) as crashed:
        await seed_demo(crashed)
        assert await crashed.inbound.accept(_command("create", "/ritme standup create checkout", clock))
        # No graceful stop: the event stays held by a process that no longer exists.
    async with assemble(settings, clock) as survivor:
        assert await survivor.inbound.recover() == 0  # it might still be working on it
        clock.advance(HOLD)
        assert await survivor.inbound.recover() == 1
        assert await _rituals(survivor) == 2
        assert await survivor.inbound.recover() == 0


async def test_replicas_recovering_at_once_handle_each_event_once(database_url: str) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    settings = _settings(database_url)
    async with assemble(settings, clock) as stopped:
        await seed_demo(stopped)
        for n in range(30):
            assert await stopped.inbound.accept(_command(f"help-{n}", "/ritme help", clock))
        assert await stopped.inbound.release() == 30
    async with assemble(settings, clock) as first, assemble(settings, clock) as second:
        counts = await asyncio.gather(first.inbound.recover(), second.inbound.recover())
        assert sum(counts) == 30
        assert _replies(first, "/ritme standup") + _replies(second, "/ritme standup") == 30


async def test_a_failing_event_is_tried_three_times_and_then_recorded_as_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(MONDAY_0900_AMSTERDAM)
    async with assemble(_settings(f"sqlite+aiosqlite:///{tmp_path}/ritme.db"), clock) as ritme:
        poison = Unreadable(
            event_id="poison", actor=Actor(platform="local", workspace_id="local", user_id="anna"),
            received_at=clock.now(), detail="?",
        )
        with pytest.raises(TypeError):
            await ritme.inbound(poison)
        assert await ritme.inbound.recover() == 0  # not before the pause
        for _attempt in (2, 3):
            clock.advance(RETRY_AFTER)
            with caplog.at_level(logging.ERROR):
                assert await ritme.inbound.recover() == 1
        assert caplog.text.count("handling recovered local event poison failed") == 2
        clock.advance(RETRY_AFTER)
        with caplog.at_level(logging.ERROR):
            assert await ritme.inbound.recover() == 0
        assert "gave up on local event poison after 3 attempts" in caplog.text
        clock.advance(HOLD)
        assert await ritme.inbound.recover() == 0
