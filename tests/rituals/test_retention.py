"""Retention: what is older than the period goes, to the instant; what is newer stays; pulse trends do not change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, select

from rituals.ports import DeliveryFailure, PostedMessage
from rituals.retention import Retention, delivery_keys
from storage.database import create_engine
from storage.failures import SqlFailureLog
from storage.messages import SqlMessageLog
from storage.models import AnswerRow, DeliveryFailureRow, DeliveryRow, PostedMessageRow, PulseRoundRow, PulseTallyRow
from storage.pulse import SqlPulseStore
from storage.retention import SqlRetention
from tests.rituals.harness import MONDAY_0800, FakeClock, Harness, Person, forms, to

LEAD = Person("lead", "Lea")
TEAM = [LEAD, *(Person(f"m{n}", f"Member {n}") for n in range(1, 5))]


async def _rows(harness: Harness, row: type) -> list[Any]:
    table = cast(Table, row.__table__)  # type: ignore[attr-defined]
    async with harness.store.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(select(table))).all()]


async def _answer_all(harness: Harness, pulse: bool = False) -> None:
    sent = await harness.due()
    for person in TEAM:
        form = forms(to(sent, person))[0]
        values = ["4", "3", ""] if pulse else ["Fine", f"Work of {person.name}", ""]
        await harness.answer(person, form.delivery_id, values)


async def _two_days(harness: Harness) -> None:
    """Stand-ups answered on Monday and Tuesday, and a pulse round opened Monday and closed Tuesday."""
    for person in TEAM:
        await harness.join(person)
    await harness.command(LEAD, "standup create at 09:30 on mon-fri")
    await harness.command(LEAD, "pulse create weekly mon 10:00 open 1d k 3")
    harness.clock.set(MONDAY_0800 + timedelta(minutes=90))  # Monday 09:30 in Amsterdam
    await _answer_all(harness)
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))  # Monday 10:00: the pulse round opens
    await _answer_all(harness, pulse=True)
    harness.clock.set(MONDAY_0800 + timedelta(days=1, minutes=90))  # Tuesday 09:30
    await _answer_all(harness)
    harness.clock.set(MONDAY_0800 + timedelta(days=1, hours=3))  # Tuesday 11:00: both have closed
    await harness.due()


async def test_exactly_what_is_older_than_the_period_goes_and_pulse_trends_stay(harness: Harness) -> None:
    await _two_days(harness)
    deliveries = await _rows(harness, DeliveryRow)
    columns = [c.name for c in cast(Table, DeliveryRow.__table__).columns]
    due_at = {row[0]: row[columns.index("due_at")] for row in deliveries}
    tuesday = min(at for at in due_at.values() if at >= MONDAY_0800 + timedelta(days=1))
    older = {i for i, at in due_at.items() if at < tuesday}
    # Monday's stand-up and pulse; Tuesday's stand-up and Wednesday's, planned a day ahead.
    assert len(older) == 10 and len(due_at) == 20

    # Where platforms put the messages of an old and a new delivery, and failures on either side of the cut-off.
    log = SqlMessageLog(harness.store.engine)
    old_id, new_id = min(older), max(set(due_at) - older)
    for delivery_id in (old_id, new_id):
        for key in delivery_keys(delivery_id)[:2]:
            await log.remember(PostedMessage(platform="local", workspace_id="w1", key=key, recipient="lead",
                                             conversation_id="lead", message_id=f"{key}-msg"))
    failures = SqlFailureLog(harness.store.engine)
    for at in (tuesday - timedelta(seconds=1), tuesday):
        await failures.record(DeliveryFailure(platform="local", workspace_id="w1", recipient="m1", kind="form",
                                              key="k", error="gone", failed_at=at))

    pulses = SqlPulseStore(harness.store.engine)
    [pulse_ritual] = [r for r in await harness.store.rituals(1) if r.kind.value == "pulse"]
    far = MONDAY_0800.date() + timedelta(days=400)
    trends = await pulses.history(pulse_ritual.id, far)
    rounds, tallies = await _rows(harness, PulseRoundRow), await _rows(harness, PulseTallyRow)
    assert tallies and trends

    # A year later to the microsecond after Tuesday's prompts were due: everything of Monday is older, Tuesday's not.
    retention = Retention(store=SqlRetention(harness.store.engine, batch=3),
                          clock=FakeClock(tuesday + timedelta(days=365)), days=365)
    assert retention.cutoff() == tuesday
    pruned = await retention.run()

    assert pruned.deliveries == 10 and pruned.answers == 5 and pruned.posted_messages == 2 and pruned.failures == 1
    assert {row[0] for row in await _rows(harness, DeliveryRow)} == set(due_at) - older
    assert len(await _rows(harness, AnswerRow)) == 5  # Tuesday's stand-up answers
    assert {row[3] for row in await _rows(harness, PostedMessageRow)} == set(delivery_keys(new_id)[:2])
    assert [row[-1] for row in await _rows(harness, DeliveryFailureRow)] == [tuesday]
    assert await _rows(harness, PulseRoundRow) == rounds and await _rows(harness, PulseTallyRow) == tallies
    assert await pulses.history(pulse_ritual.id, far) == trends

    # A second run finds nothing more.
    assert (await retention.run()).deliveries == 0


def test_a_period_shorter_than_thirty_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 30"):
        Retention(store=SqlRetention(create_engine("sqlite+aiosqlite://")), clock=FakeClock(MONDAY_0800), days=29)
