"""The audit log from chat: configuration changes are recorded with who, what and when; refused ones are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rituals.audit import action_of
from rituals.commands import parse
from storage.audit import SqlAuditLog
from tests.rituals.harness import ANNA, BEN, Harness


async def _entries(harness: Harness) -> list[tuple[str, str | None, str, str]]:
    team = await harness.store.find_team("local", "w1", "team")
    assert team is not None
    found = await SqlAuditLog(harness.store.engine).recent(team.id, 50)
    return [(e.action, e.actor_name, e.source, e.detail) for e in reversed(found)]


async def test_changes_from_chat_are_recorded_with_actor_action_and_the_command_as_typed(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri")
    harness.clock.advance(timedelta(minutes=1))
    await harness.join(BEN)
    await harness.command(ANNA, "manager add Ben")
    harness.clock.advance(timedelta(minutes=1))
    await harness.command(BEN, "standup pause")
    await harness.command(BEN, "standup resume")
    await harness.command(ANNA, "focus add wed 13:00-17:00 \"deep work\"")
    await harness.command(ANNA, "core 10:00-12:00")
    await harness.command(ANNA, "coffee create weekly on mon at 10:00")
    await harness.command(ANNA, "borrel create fri 16:30 https://meet.example/borrel")
    await harness.command(ANNA, "borrel move fri 17:00")
    await harness.command(ANNA, "pulse create weekly fri 14:00")
    await harness.command(ANNA, "focus calendar revoke")

    assert await _entries(harness) == [
        ("standup.create", "Anna", "chat", "standup create at 09:30 on mon-fri"),
        ("manager.add", "Anna", "chat", "manager add Ben"),
        ("standup.pause", "Ben", "chat", "standup pause"),
        ("standup.resume", "Ben", "chat", "standup resume"),
        ("focus.add", "Anna", "chat", "focus add wed 13:00-17:00 \"deep work\""),
        ("core.set", "Anna", "chat", "core 10:00-12:00"),
        ("coffee.create", "Anna", "chat", "coffee create weekly on mon at 10:00"),
        ("borrel.create", "Anna", "chat", "borrel create fri 16:30 https://meet.example/borrel"),
        ("borrel.move", "Anna", "chat", "borrel move fri 17:00"),
        ("pulse.create", "Anna", "chat", "pulse create weekly fri 14:00"),
        ("calendar.revoke", "Anna", "chat", "focus calendar revoke"),
    ]


async def test_refused_and_read_only_commands_record_nothing(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30")
    await harness.join(BEN)
    before = await _entries(harness)

    # Not a manager; bad input; an unknown ritual; commands that only read or answer.
    assert "manager" in (await harness.reply_text(BEN, "standup pause")).lower()
    assert "manager" in (await harness.reply_text(BEN, "core 10:00-12:00")).lower()
    await harness.command(ANNA, "standup create at 25:99")
    await harness.command(ANNA, "standup delete 999")
    await harness.command(ANNA, "standup list")
    await harness.command(ANNA, "manager list")
    await harness.command(BEN, "coffee join")
    await harness.command(BEN, "me hours 08:00-16:00")
    await harness.command(ANNA, "manager audit")

    assert await _entries(harness) == before


async def test_managers_read_the_last_ten_changes_in_their_language_and_members_may_not(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30")
    for _ in range(6):
        harness.clock.advance(timedelta(minutes=1))
        await harness.command(ANNA, "standup pause")
        harness.clock.advance(timedelta(minutes=1))
        await harness.command(ANNA, "standup resume")
    await harness.command(ANNA, "manager add <!channel>")  # refused (unknown member), so not in the log

    text = await harness.reply_text(ANNA, "manager audit")  # Anna reads Dutch
    lines = text.split("\n")
    assert lines[0] == "De laatste 10 wijzigingen in de instellingen van #team, nieuwste eerst:"
    assert len(lines) == 11
    assert lines[1].startswith("maandag 23 november 08:12 · Anna · standup.resume (chat): standup resume")
    assert all("standup.create" not in line for line in lines)  # the oldest two fell off the list

    await harness.join(BEN)
    refused = await harness.reply_text(BEN, "manager audit")
    assert "standup.resume" not in refused and "Anna" in refused  # who to ask, not the log


async def test_extra_words_after_manager_audit_get_an_example(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30")
    text = await harness.reply_text(ANNA, "manager audit everything")
    assert "`everything`" in text and "`/ritme manager audit`" in text


@pytest.mark.parametrize(("text", "code"), [
    ("standup create at 09:30", "standup.create"),
    ("standup pause 2", "standup.pause"),
    ("standup resume", "standup.resume"),
    ("standup delete 2", "standup.delete"),
    ("standup run", "standup.run"),
    ("standup digest", "standup.digest"),
    ("pulse create weekly fri 14:00", "pulse.create"),
    ("pulse pause", "pulse.pause"),
    ("pulse delete 3", "pulse.delete"),
    ("borrel create fri 16:30 https://meet.example/b", "borrel.create"),
    ("borrel cancel", "borrel.cancel"),
    ("borrel move fri 17:00", "borrel.move"),
    ("borrel pause", "borrel.pause"),
    ("manager add Sam", "manager.add"),
    ("coffee machine https://meet.example/k at 09:30 until 10:30", "coffee.machine"),
    ("coffee machine off", "coffee.machine_off"),
    ("coffee create weekly on mon at 10:00", "coffee.create"),
    ("coffee delete", "coffee.delete"),
    ("focus add wed 13:00-17:00", "focus.add"),
    ("focus remove 3", "focus.remove"),
    ("core 10:00-12:00", "core.set"),
    ("core off", "core.off"),
    ("focus calendar revoke", "calendar.revoke"),
    # Reading, answering for oneself, or one's own settings: not a change to the team's configuration.
    ("standup list", None), ("standup failures", None), ("pulse list", None), ("borrel history", None),
    ("manager list", None), ("manager audit", None), ("coffee join", None), ("coffee skip", None),
    ("focus list", None), ("core", None), ("meet-check tue 12:30 45m", None), ("focus calendar", None),
    ("me hours 08:00-16:00", None), ("help", None),
])
def test_which_commands_are_configuration_changes(text: str, code: str | None) -> None:
    assert action_of(parse(text, today=date(2026, 11, 23))) == code
