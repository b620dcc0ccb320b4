"""Fewer, calmer private messages through the engine (rituals/pacing.py): one member's notes from different
rituals in one tick arrive as one message, and a daily cap holds over a busy week."""

from __future__ import annotations

from datetime import UTC, datetime

from rituals.borrel import RSVP_ACTION
from rituals.outbound import Button, ChannelPost, MemberAddress, Prompt, Text
from rituals.pacing import combine
from tests.rituals.harness import ANNA, BEN, Harness, forms, prompts, to

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
