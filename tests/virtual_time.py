"""Virtual time for pacing tests: a clock and a sleep shared by many tasks, moved only when all of them wait."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any


class VirtualTime:
    """A clock and a sleep for many tasks: time moves only when every task waits, to the earliest wake-up."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        await future

    async def run(self, *work: Coroutine[Any, Any, Any]) -> list[Any]:
        tasks = [asyncio.create_task(job) for job in work]
        while True:
            for _ in range(20):  # let every task run until it sleeps or ends
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            assert self._sleepers, "tasks wait for something other than time"
            self.now, _, future = heapq.heappop(self._sleepers)
            future.set_result(None)
