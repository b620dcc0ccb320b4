"""Retention: stand-up answers and delivery records older than the retention period are deleted by housekeeping.

What goes: each delivery (one member's prompt of one day, stand-up or pulse) due before the cut-off, with what
hangs off it: the member's answer, where the platform put its form, reminder and talk button (posted messages),
and failure records older than the cut-off. What stays: occurrences (a date and its digest time), and every pulse
aggregate: a round's prompted and responded counts and its tallies were written when it closed and name nobody,
so pulse trends read the same after a prune as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from rituals import pulse, standup
from rituals.ports import Clock

DEFAULT_DAYS = 365
MINIMUM_DAYS = 30


@dataclass(frozen=True, kw_only=True)
class Pruned:
    """How many rows of each kind one prune deleted."""

    deliveries: int = 0
    answers: int = 0
    posted_messages: int = 0
    failures: int = 0


class RetentionStore(Protocol):
    """Deletes what is older than a cut-off; storage/retention.py does it in SQL."""

    async def prune(self, before: datetime) -> Pruned:
        """Delete deliveries due before `before` with their answers and posted messages, and older failures."""
        ...


def delivery_keys(delivery_id: int) -> tuple[str, ...]:
    """The keys of every message Ritme sends about one delivery, whose platform places are kept until it goes."""
    return (
        standup.form_key(delivery_id),
        f"standup-reminder:{delivery_id}",
        pulse.form_key(delivery_id),
        pulse.talk_key(delivery_id),
        f"pulse-reminder:{delivery_id}",
    )


class Retention:
    """The housekeeping job: everything older than `days` goes, measured from the clock's now."""

    def __init__(self, *, store: RetentionStore, clock: Clock, days: int = DEFAULT_DAYS) -> None:
        """Prune `store` by `clock`; fewer than MINIMUM_DAYS would delete answers the digest still shows."""
        if days < MINIMUM_DAYS:
            raise ValueError(f"a retention period of {days} days is too short; at least {MINIMUM_DAYS}")
        self._store = store
        self._clock = clock
        self.days = days

    def cutoff(self) -> datetime:
        """The instant before which records are deleted: exactly `days` ago."""
        return self._clock.now() - timedelta(days=self.days)

    async def run(self) -> Pruned:
        """Delete what is older than the retention period; returns what went."""
        return await self._store.prune(self.cutoff())
