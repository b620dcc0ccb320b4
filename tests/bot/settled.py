"""Moving a whole-flow test's fake clock on only once the prompts already being sent are sent."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select

from bot.wiring import Ritme
from rituals.model import DeliveryStatus
from storage.models import DeliveryRow
from tests.rituals.harness import FakeClock


class Rig(Protocol):
    """What the Slack and Teams rigs both have: the assembled server and its fake clock."""

    ritme: Ritme
    clock: FakeClock


async def settled(ritme: Ritme) -> None:
    """Wait until no prompt is still being sent. A dispatch that follows an event runs after the platform's ack, and
    one that claimed a prompt but has not yet recorded it as sent would, once the fake clock jumps past its lease,
    see it claimed again and sent twice (in real time a send takes far less than the lease)."""
    claimed = select(func.count()).select_from(DeliveryRow).where(DeliveryRow.status == DeliveryStatus.CLAIMED)
    for _ in range(250):
        async with ritme.store.engine.connect() as connection:
            if not await connection.scalar(claimed):
                return
        await asyncio.sleep(0.02)
    raise AssertionError("a prompt stayed claimed: its sending never finished")


async def wake_at(rig: Rig, moment: datetime) -> None:
    """The timer wakes at `moment`: it plans the day's prompts and sends what is due."""
    await settled(rig.ritme)
    rig.clock.set(moment)
    await rig.ritme.dispatcher.plan()
    await rig.ritme.dispatcher.tick()
