"""Time: daylight saving switches and a half-hour zone, through the engine's own schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from rituals.schedule import local_instant
from tests.rituals.harness import ANNA, CHITRA, Harness, forms


def test_spring_forward_gap_fires_after_the_gap() -> None:
    # 2026-03-29 02:00 CET jumps to 03:00 CEST in Amsterdam; 02:30 does not exist.
    fired = local_instant(date(2026, 3, 29), time(2, 30), "Europe/Amsterdam")
    assert fired == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert local_instant(date(2026, 3, 29), time(9, 30), "Europe/Amsterdam") == datetime(
        2026, 3, 29, 7, 30, tzinfo=UTC
    )


def test_repeated_autumn_hour_is_the_first() -> None:
    # 2026-10-25 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    assert local_instant(date(2026, 10, 25), time(2, 30), "Europe/Amsterdam") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_half_hour_offset_zone() -> None:
    assert local_instant(date(2026, 11, 23), time(9, 30), "Asia/Kolkata") == datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


async def _night_owl(harness: Harness, day: datetime) -> None:
    harness.clock.set(day)
    await harness.command(ANNA, "me days daily")
    await harness.command(ANNA, "me hours 00:00-23:59")
    await harness.command(ANNA, "standup create at 02:30 on daily digest 05:00")


async def test_spring_forward_day_prompts_once_after_the_gap(harness: Harness) -> None:
    await _night_owl(harness, datetime(2026, 3, 28, 22, 0, tzinfo=UTC))
    harness.clock.set(datetime(2026, 3, 29, 1, 29, tzinfo=UTC))
    assert forms(await harness.due()) == []
    harness.clock.set(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    assert len(forms(await harness.due())) == 1
    harness.clock.set(datetime(2026, 3, 29, 2, 30, tzinfo=UTC))
    assert forms(await harness.due()) == []


async def test_fall_back_day_prompts_once_at_the_first_0230(harness: Harness) -> None:
    await _night_owl(harness, datetime(2026, 10, 24, 20, 0, tzinfo=UTC))
    harness.clock.set(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # the first 02:30 (CEST)
    assert len(forms(await harness.due())) == 1
    harness.clock.set(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # the second 02:30 (CET)
    assert forms(await harness.due()) == []


async def test_half_hour_zone_member_prompted_at_their_0930(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri digest 12:00")
    await harness.join(CHITRA)
    harness.clock.set(datetime(2026, 11, 23, 3, 59, tzinfo=UTC))
    assert forms(await harness.due()) == []
    harness.clock.set(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))
    assert [f.to.user_id for f in forms(await harness.due())] == ["chitra"]
