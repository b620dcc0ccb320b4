"""Fewer, calmer private messages through the engine (rituals/pacing.py): one member's notes from different
rituals in one tick arrive as one message, and a daily cap holds over a busy week."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from rituals.borrel import RSVP_ACTION
from rituals.catalog import Catalog
from rituals.outbound import Button, ChannelPost, Form, GroupPrompt, MemberAddress, Message, Prompt, Text
from rituals.pacing import Pacing, Priority, combine
from rituals.schedule import local_date
from storage.message_counts import SqlMessageCounts
from storage.repository import SqlStore
from tests.rituals.harness import ANNA, BEN, Harness, Person, forms, prompts, to

# Friday 27 November 2026 in Amsterdam (UTC+1): the stand-up at 16:00 reminds at 16:20, as the borrel at 16:30 does.
FRIDAY_1600 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
FRIDAY_1620 = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)


async def _join_borrel(harness: Harness, invite: ChannelPost) -> None:
    for person in (ANNA, BEN):
        value = next(b.value for b in invite.buttons if b.value.endswith(":join"))
        await harness.click(person, RSVP_ACTION, value)


async def test_a_stand_up_reminder_and_a_borrel_reminder_in_one_tick_arrive_as_one_message(
    harness: Harness,
) -> None:
    await harness.command(BEN, "/ritme standup create at 16:00 on fri digest 17:00 remind 20m")
    await harness.command(BEN, "/ritme borrel create fri 16:30 45m https://meet.example/borrel")
    await harness.join(ANNA)
    harness.clock.set(FRIDAY_1600)
    sent = await harness.due()
    assert {form.to.user_id for form in forms(sent)} == {"anna", "ben"}
    [invite] = [m for m in sent if isinstance(m, ChannelPost)]
    await _join_borrel(harness, invite)

    harness.clock.set(FRIDAY_1620)
    sent = await harness.due()
    # One message each, naming both: the stand-up that waits for an answer and the borrel about to start.
    [ben] = to(sent, BEN)
    assert isinstance(ben, Prompt)
    text = ben.text.as_plain()
    assert text.startswith("A few things from Ritme:\n\n")
    assert "#team" in text and "stand-up" in text.lower() and "https://meet.example/borrel" in text
    assert "\n\n" in text.removeprefix("A few things from Ritme:\n\n")  # each its own paragraph
    assert ben.key.split("+")[0].startswith("standup-reminder:") and "borrel-reminder:" in ben.key
    # Anna reads it in Dutch.
    [anna] = to(sent, ANNA)
    assert isinstance(anna, Prompt)
    assert anna.text.as_plain().startswith("Een paar dingen van Ritme:\n\n")
    assert "https://meet.example/borrel" in anna.text.as_plain()
    assert len(prompts(sent)) == 2
    assert await harness.due() == []  # nothing again in the next tick


async def test_a_single_reminder_is_sent_as_it_is(harness: Harness) -> None:
    await harness.command(BEN, "/ritme standup create at 16:00 on fri digest 17:00 remind 20m")
    harness.clock.set(FRIDAY_1600)
    await harness.due()
    harness.clock.set(FRIDAY_1620)
    [reminder] = to(await harness.due(), BEN)
    assert isinstance(reminder, Prompt) and reminder.key.startswith("standup-reminder:")
    assert "A few things" not in reminder.text.as_plain()



def test_notes_whose_buttons_would_not_fit_together_stay_apart() -> None:
    address = MemberAddress(platform="local", workspace_id="w1", user_id="ben")
    other = MemberAddress(platform="local", workspace_id="w1", user_id="anna")

    def note(key: str, buttons: int, to: MemberAddress = address) -> Prompt:
        return Prompt(key=key, to=to, text=Text.plain(key),
                      buttons=tuple(Button(label=f"{key}{i}", action="a", value=str(i)) for i in range(buttons)))

    first, second, third, alone = note("a", 3), note("b", 3), note("c", 2), note("d", 1, other)
    out = combine([first, second, third, alone], {address: "Header", other: "Kop"})
    assert [m.key for m in out] == ["a+c", "b", "d"]
    merged = out[0]
    assert isinstance(merged, Prompt) and merged.text.as_plain() == "Header\n\na\n\nc"
    assert [b.label for b in merged.buttons] == ["a0", "a1", "a2", "c0", "c1"]


# The busy week -------------------------------------------------------------------------------------------------

EVA = Person("eva", "Eva", "Europe/Amsterdam", "en")
TEAM = (BEN, ANNA, EVA)


def _places(messages: Sequence[Message]) -> dict[str, int]:
    """How many places of their day each member's private messages take: a group message counts for each, and a
    pulse's talk button goes with its form."""
    taken: dict[str, int] = {}
    for message in messages:
        if isinstance(message, GroupPrompt):
            for address in message.to:
                taken[address.user_id] = taken.get(address.user_id, 0) + 1
        elif isinstance(message, (Prompt, Form)) and not message.key.startswith("pulse-talk:"):
            taken[message.to.user_id] = taken.get(message.to.user_id, 0) + 1
    return taken


async def test_the_daily_cap_holds_over_a_busy_week_and_what_it_dropped_is_shown_to_managers(
    harness: Harness,
) -> None:
    await harness.command(BEN, "/ritme standup create at 09:30 on mon-fri digest 12:00 remind 30m")
    await harness.command(BEN, "/ritme pulse create weekly wed 10:00 open 2d")
    await harness.command(BEN, "/ritme coffee create weekly on mon at 10:00 enrol all")
    await harness.command(BEN, "/ritme borrel create fri 16:30 45m https://meet.example/borrel")
    for person in TEAM[1:]:
        await harness.join(person)
    per_day: dict[tuple[str, date], int] = {}
    monday = date(2026, 11, 23)
    for day in (monday + timedelta(days=offset) for offset in range(7)):
        # Every five minutes of the Amsterdam working day and a little around it (nobody here works at night).
        moment = datetime.combine(day, time(6, 0), tzinfo=UTC)
        while moment < datetime.combine(day, time(17, 0), tzinfo=UTC):
            harness.clock.set(moment)
            if moment.minute == 0:
                await harness.engine.plan(moment)
            sent: list[Message] = []
            async for batch in harness.engine.due(moment):
                sent.extend(batch)
            for message in sent:
                if isinstance(message, ChannelPost) and message.buttons:  # the borrel invite: everyone joins
                    for person in TEAM:
                        await harness.click(person, RSVP_ACTION, message.buttons[0].value)
            for user_id, count in _places(sent).items():
                key = (user_id, local_date(moment, "Europe/Amsterdam"))
                per_day[key] = per_day.get(key, 0) + count
            moment += timedelta(minutes=5)

    assert per_day and max(per_day.values()) <= 3
    assert any(count == 3 for count in per_day.values())  # the cap was reached, not merely unneeded
    assert all(per_day.get((person.user_id, monday + timedelta(days=d)), 0) >= 2 for person in TEAM for d in range(5))
    # What the cap dropped is recorded (only reminders: prompts and meetings went first), and managers read it.
    capped = [f for f in harness.failures.failures if f.kind == "skipped" and f.error == "capped"]
    assert capped and {f.key.split(":")[0] for f in capped} <= {"standup-reminder", "pulse-reminder"}
    report = await harness.reply_text(BEN, "/ritme standup failures")
    assert "message held back to" in report and "their daily number of messages from Ritme was reached" in report
    await harness.command(BEN, "/ritme manager add Anna")
    assert "het dagelijkse aantal berichten van Ritme voor deze persoon was bereikt" in await harness.reply_text(
        ANNA, "/ritme standup failures")


# Zones and workers ---------------------------------------------------------------------------------------------

KIRI = Person("kiri", "Kiri", "Pacific/Auckland", "en")  # her Monday morning is Sunday evening in UTC


async def test_a_member_in_another_zone_is_counted_per_her_own_local_day(harness: Harness, store: SqlStore) -> None:
    await harness.join(KIRI)
    [kiri] = [m for m in await store.find_members("local", "w1", "kiri") if m.user_id == "kiri"]
    pacing = Pacing(catalog=Catalog(), counts=SqlMessageCounts(store.engine), cap=3)
    her_monday_morning = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)  # Monday 09:30 in Auckland, Sunday in UTC
    assert [await pacing.admit(kiri, her_monday_morning, Priority.PROMPT) for _ in range(3)] == [True] * 3
    her_monday_night = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday 23:00 for her, Monday in UTC too
    assert await pacing.admit(kiri, her_monday_night, Priority.PROMPT) is False
    her_tuesday_morning = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # still Monday in UTC
    assert await pacing.admit(kiri, her_tuesday_morning, Priority.PROMPT) is True
    # A reminder never takes the day's last place: it is kept for a prompt or a meeting.
    assert await pacing.admit(kiri, her_tuesday_morning, Priority.NOTE) is True
    assert await pacing.admit(kiri, her_tuesday_morning, Priority.NOTE) is False
    assert await pacing.admit(kiri, her_tuesday_morning, Priority.MEETING) is True


async def test_two_workers_at_once_never_pass_the_cap(harness: Harness, store: SqlStore) -> None:
    await harness.join(BEN)
    [ben] = [m for m in await store.find_members("local", "w1", "ben") if m.user_id == "ben"]
    workers = [Pacing(catalog=Catalog(), counts=SqlMessageCounts(store.engine), cap=3) for _ in range(2)]
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    admitted = await asyncio.gather(*(worker.admit(ben, now, Priority.PROMPT) for worker in workers * 3))
    assert sorted(admitted) == [False] * 3 + [True] * 3


async def _due_on_bens_full_day(harness: Harness, store: SqlStore, create: str, due_at: datetime) -> list[Message]:
    """Anna sets a ritual up; Ben's local day of `due_at` is already full (three earlier messages); what is due."""
    harness.clock.set(due_at - timedelta(hours=2))
    await harness.command(ANNA, create)
    await harness.join(BEN)
    [ben] = [m for m in await store.find_members("local", "w1", "ben") if m.user_id == "ben"]
    for _ in range(3):
        assert await SqlMessageCounts(store.engine).take(ben.id, due_at.date(), None)
    harness.clock.set(due_at)
    return await harness.due()


async def test_a_stand_up_that_does_not_fit_a_full_day_is_skipped_and_recorded(
    harness: Harness, store: SqlStore
) -> None:
    monday_0930 = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    sent = await _due_on_bens_full_day(harness, store, "/ritme standup create at 09:30 on mon-fri digest 12:00",
                                       monday_0930)
    assert [form.to.user_id for form in forms(sent)] == ["anna"]
    # The digest is due the same day, so there is no later day to wait for: the prompt is dropped, and said so.
    [capped] = [f for f in harness.failures.failures if f.error == "capped"]
    assert capped.kind == "skipped" and capped.key.startswith("standup") and capped.recipient == "ben"
    harness.clock.set(monday_0930 + timedelta(hours=2))
    assert to(await harness.due(), BEN) == []
    # Tuesday is a new day with room again.
    harness.clock.set(monday_0930 + timedelta(days=1))
    assert sorted(form.to.user_id for form in forms(await harness.due())) == ["anna", "ben"]


async def test_a_pulse_that_does_not_fit_a_full_day_comes_the_next_working_morning(
    harness: Harness, store: SqlStore
) -> None:
    friday_1000 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    sent = await _due_on_bens_full_day(harness, store, "/ritme pulse create fri 10:00 open 4d", friday_1000)
    assert "ben" not in {form.to.user_id for form in forms(sent)}
    # Not on Saturday or Sunday (his days off) but at the start of his Monday, well before the round closes.
    for moment in (friday_1000 + timedelta(days=1), friday_1000 + timedelta(days=2, hours=12)):
        harness.clock.set(moment)
        assert to(await harness.due(), BEN) == []
    monday_0900 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    harness.clock.set(monday_0900)
    assert [form.to.user_id for form in forms(await harness.due())] == ["ben"]
    assert not [f for f in harness.failures.failures if f.error == "capped"]
