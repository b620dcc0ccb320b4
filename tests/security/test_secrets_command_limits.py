"""Abuse limits through the real engine: commands per member and per channel per minute, with the clock moved by hand.

One over a limit gets one private reply saying the limit and when to try again, in the member's language; further
commands within that wait get no reply; nothing a refused command asked for happens; after the wait, commands work.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.failures import MemoryFailureLog
from bot.settings import Settings
from bot.wiring import assemble
from rituals.catalog import Catalog
from rituals.events import Actor, CommandInvoked
from rituals.limits import WINDOW, CommandLimits
from storage.repository import SqlStore
from tests.rituals.harness import (
    ANNA,
    BEN,
    CHITRA,
    MONDAY_0800,
    FakeClock,
    Harness,
    forms,
    make_engine,
    prompts,
    updates,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_0800)


def limited(store: SqlStore, clock: FakeClock, database_url: str, *, member: int, team: int) -> Harness:
    """The engine harness with command limits, over the test's database."""
    limits = CommandLimits(clock=clock, catalog=Catalog(), store=store, per_member=member, per_team=team)
    failures = MemoryFailureLog()
    engine = make_engine(store, clock, failures=failures, limits=limits)
    return Harness(engine, clock, store, database_url, failures)


async def test_the_settings_default_to_twenty_a_member_and_sixty_a_team() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.commands_per_minute_member, settings.commands_per_minute_team) == (20, 60)


async def test_a_member_over_the_limit_is_told_once_and_nothing_they_ask_happens(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=20, team=60)
    for _ in range(20):
        assert "/ritme" in await bot.reply_text(BEN, "help")
        clock.advance(timedelta(seconds=1))
    before = await bot.snapshot()

    refused = await bot.command(BEN, "me timezone Asia/Tokyo")

    [reply] = prompts(refused)
    assert len(refused) == 1 and reply.to.user_id == "ben"
    text = reply.text.as_plain()
    # The first command went at 0 s and it is now 20 s: it leaves the minute in 40 s.
    assert "20 commands" in text and "40 seconds" in text and "`/ritme help`" in text
    assert reply.context is not None and reply.context.channel_id == "team"  # private, where Ben typed it
    for _ in range(30):  # a script keeps going: no flood of refusals
        assert await bot.command(BEN, "me timezone Asia/Tokyo") == []
    assert await bot.command(BEN, "standup create at 09:30") == []
    assert await bot.snapshot() == before

    clock.advance(timedelta(seconds=40))  # the first command has left the minute: one slot is free
    assert "Asia/Tokyo" in await bot.reply_text(BEN, "me timezone Asia/Tokyo")
    assert (await store.find_members("local", "w1", "ben"))[0].timezone == "Asia/Tokyo"


async def test_the_refusal_speaks_the_members_own_language(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=2, team=60)
    await bot.command(ANNA, "help")
    await bot.command(ANNA, "help")
    [reply] = prompts(await bot.command(ANNA, "help"))
    text = reply.text.as_plain()
    assert "2 commando's" in text and "60 seconden" in text and "`/ritme help`" in text


async def test_one_channel_over_the_team_limit_is_refused_while_others_go_on(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=20, team=5)
    for who in (ANNA, BEN, CHITRA, ANNA, BEN):
        assert prompts(await bot.command(who, "help"))
        clock.advance(timedelta(seconds=2))

    [reply] = prompts(await bot.command(CHITRA, "help"))
    assert "this channel sent 5 commands" in reply.text.as_plain() and "50 seconds" in reply.text.as_plain()
    assert await bot.command(CHITRA, "help") == []  # told once
    [other] = prompts(await bot.command(BEN, "help"))  # each member hears it once
    assert "this channel sent 5" in other.text.as_plain()
    # Another channel, and a direct message, are not this channel's commands.
    assert "/ritme" in await bot.reply_text(CHITRA, "help", channel="random")
    assert "/ritme" in await bot.reply_text(CHITRA, "help", direct=True)

    clock.advance(timedelta(seconds=50))  # the channel's first command (at 0 s) has left the minute
    assert "/ritme" in await bot.reply_text(CHITRA, "help")


async def test_the_same_user_id_in_another_workspace_is_counted_apart(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=3, team=60)
    for _ in range(3):
        await bot.command(BEN, "help")
    assert "Slow down" in await bot.reply_text(BEN, "help")
    limits = bot.engine._limits
    assert limits is not None
    twin = Actor(platform="local", workspace_id="w2", user_id="ben", display_name="Ben")
    for number in range(3):
        event = CommandInvoked(event_id=f"w2-{number}", actor=twin, received_at=clock.now(), channel_id="team",
                               text="help")
        assert limits.check(event) is None
    assert limits.check(event) is not None


async def test_memory_holds_only_those_active_in_the_last_minute(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=1, team=60)
    limits = bot.engine._limits
    assert limits is not None
    for who in (ANNA, BEN, CHITRA):
        await bot.command(who, "help")
    await bot.command(BEN, "help")  # refused: Ben is also remembered as told
    assert limits.tracked() == 3 + 1 + 1
    clock.advance(WINDOW + timedelta(seconds=1))
    await bot.command(ANNA, "help")
    assert limits.tracked() == 2  # Anna and the channel, this minute


async def test_a_member_pressing_in_a_loop_is_told_once_and_no_answer_of_theirs_is_taken_until_the_wait_is_over(
    store: SqlStore, clock: FakeClock, database_url: str
) -> None:
    bot = limited(store, clock, database_url, member=20, team=60)
    await bot.command(BEN, "standup create at 09:30 on mon-fri")
    clock.set(MONDAY_0800 + timedelta(minutes=90))  # 09:30 in Amsterdam, when the prompts go out
    [form] = [form for form in forms(await bot.due()) if form.to.user_id == "ben"]
    for _ in range(20):
        [gone] = prompts(await bot.click(BEN, "nothing.here", "1"))
        assert "That button no longer does anything" in gone.text.as_plain()
        clock.advance(timedelta(seconds=1))

    [slow] = prompts(await bot.click(BEN, "nothing.here", "1"))
    assert slow.text.as_plain().startswith("Slow down: you pressed buttons or sent answers 20 times in the last "
                                           "minute") and "in 40 seconds" in slow.text.as_plain()
    before = await bot.snapshot()
    assert await bot.click(BEN, "nothing.here", "1") == []  # told once
    assert await bot.answer(BEN, form.delivery_id, ["Rested", "Reviews", "Nothing"]) == []  # ignored, not saved
    assert await bot.snapshot() == before
    assert "/ritme" in await bot.reply_text(BEN, "help")  # commands are counted apart

    clock.advance(timedelta(seconds=40))
    assert updates(await bot.answer(BEN, form.delivery_id, ["Rested", "Reviews", "Nothing"]))  # saved, confirmed


def test_limits_below_one_are_refused_with_an_example(store: SqlStore, clock: FakeClock) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 20 per member"):
        CommandLimits(clock=clock, catalog=Catalog(), store=store, per_member=0)


async def test_the_wired_engine_applies_the_settings_limits(tmp_path: Path, clock: FakeClock) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'ritme.db'}", port=0,
        commands_per_minute_member=2, commands_per_minute_team=5,
    )
    async with assemble(settings, clock) as ritme:
        replies = []
        for number in range(4):
            event = CommandInvoked(event_id=f"c{number}", actor=BEN.actor, received_at=clock.now(),
                                   channel_id="team", channel_name="team", text="help")
            replies.append(await ritme.engine.handle(event))
    assert [len(reply) for reply in replies] == [1, 1, 1, 0]
    [refusal] = prompts(replies[2])
    assert "you sent 2 commands in the last minute" in refusal.text.as_plain()
