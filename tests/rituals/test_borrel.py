"""The virtual borrel through the engine over SQLite: invite, RSVPs with a live count, reminders, cancel, move."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from rituals.borrel import RSVP_ACTION, invite_key
from rituals.outbound import ChannelPost, ChannelUpdate, Message, Span
from tests.rituals.harness import ANNA, BEN, CHITRA, Harness, Person, prompts, to

DAAN = Person("daan", "Daan", "Europe/Amsterdam", "en")
EVA = Person("eva", "Eva", "Europe/Amsterdam", "en")
CREATE = "/ritme borrel create fri 16:30 45m https://meet.example/borrel"
# Friday 27 November 2026 in Amsterdam (UTC+1): invite 10:00, reminder 16:20, start 16:30, end 17:15.
INVITE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REMIND = datetime(2026, 11, 27, 15, 20, tzinfo=UTC)
END = datetime(2026, 11, 27, 16, 15, tzinfo=UTC)


def invites(messages: Sequence[Message]) -> list[ChannelPost]:
    return [m for m in messages if isinstance(m, ChannelPost)]


def channel_updates(messages: Sequence[Message]) -> list[ChannelUpdate]:
    return [m for m in messages if isinstance(m, ChannelUpdate)]


async def setup(harness: Harness, create: str = CREATE, lead: Person = BEN) -> ChannelPost:
    """A team of five with a borrel; the clock at Friday's invite; the invite, once."""
    await harness.reply_text(lead, create)
    for person in (ANNA, CHITRA, DAAN, EVA):
        await harness.join(person)
    # Chitra works late in Kolkata, so the 21:00 borrel's reminder falls in her hours (rituals/boundaries.py).
    await harness.reply_text(CHITRA, "/ritme me hours 13:00-22:30")
    harness.clock.set(INVITE.replace(hour=8, minute=59))
    assert invites(await harness.due()) == []
    harness.clock.set(INVITE)
    [invite] = invites(await harness.due())
    return invite


async def rsvp(harness: Harness, who: Person, invite: ChannelPost, answer: str) -> list[Message]:
    [button] = [b for b in invite.buttons if b.value.endswith(f":{answer}")]
    assert button.action == RSVP_ACTION
    return await harness.click(who, button.action, button.value)


async def test_invite_rsvp_live_count_reminder_in_own_zone_and_attendance(harness: Harness) -> None:
    invite = await setup(harness)
    text = invite.text.as_plain()
    assert "Virtual borrel of #team" in text
    assert "Friday 27 November, 16:30–17:15 (Europe/Amsterdam)" in text
    assert any(span == Span(text="https://meet.example/borrel", user=True) for line in invite.text.lines
               for span in line)
    assert "Icebreaker: " in text
    assert [b.label for b in invite.buttons] == ["Join", "Maybe", "Not this time"]
    assert await harness.due() == []  # a second worker's tick sends nothing again

    answered = await rsvp(harness, CHITRA, invite, "join")
    [update] = channel_updates(answered)
    assert update.key == invite_key(int(invite.buttons[0].value.split(":")[0])) == invite.key
    assert "Joining: 1 · maybe: 0 · not this time: 0 — Chitra" in update.text.as_plain()
    [private] = prompts(to(answered, CHITRA))
    assert "21:00 your time (Asia/Kolkata)" in private.text.as_plain()

    await rsvp(harness, ANNA, invite, "maybe")
    await rsvp(harness, DAAN, invite, "join")
    changed = await rsvp(harness, DAAN, invite, "no")  # a changed mind replaces the earlier answer
    [update] = channel_updates(changed)
    assert "Joining: 1 · maybe: 1 · not this time: 1 — Chitra" in update.text.as_plain()
    assert "Daan" not in update.text.as_plain()

    harness.clock.set(REMIND.replace(minute=19))
    assert prompts(await harness.due()) == []
    harness.clock.set(REMIND)
    reminded = await harness.due()
    assert {m.to.user_id for m in prompts(reminded)} == {"chitra", "anna"}  # not Daan (no), Eva or Ben (silent)
    [chitra] = prompts(to(reminded, CHITRA))
    assert "starts in 10 minutes: 21:00 your time (Asia/Kolkata)" in chitra.text.as_plain()
    assert "https://meet.example/borrel" in chitra.text.as_plain()
    [anna] = prompts(to(reminded, ANNA))
    assert "begint over 10 minuten: 16:30 jouw tijd (Europe/Amsterdam)" in anna.text.as_plain()
    assert await harness.due() == []

    harness.clock.set(END)
    [ended] = channel_updates(await harness.due())
    assert ended.key == invite.key and ended.buttons == ()
    assert "This borrel has ended" in ended.text.as_plain()
    history = await harness.reply_text(EVA, "/ritme borrel history")
    assert "Friday 27 November: joined 1, maybe 1, not this time 1" in history
    late = await rsvp(harness, EVA, invite, "join")
    assert "is over" in late[0].text.as_plain()  # type: ignore[union-attr]


async def test_away_members_get_no_reminder(harness: Harness) -> None:
    invite = await setup(harness)
    await harness.reply_text(CHITRA, "/ritme me away until 2026-11-27")
    await rsvp(harness, CHITRA, invite, "join")
    await rsvp(harness, DAAN, invite, "join")
    harness.clock.set(REMIND)
    assert {m.to.user_id for m in prompts(await harness.due())} == {"daan"}


async def test_cancel_one_occurrence(harness: Harness) -> None:
    invite = await setup(harness)
    await rsvp(harness, CHITRA, invite, "join")
    await rsvp(harness, DAAN, invite, "no")
    cancelled = await harness.command(BEN, "/ritme borrel cancel")
    [update] = channel_updates(cancelled)
    assert update.key == invite.key and update.buttons == ()
    assert "This borrel is cancelled." in update.text.as_plain()
    [told] = prompts(to(cancelled, CHITRA))
    assert "is cancelled" in told.text.as_plain()
    assert prompts(to(cancelled, DAAN)) == []
    assert "told everyone who said join or maybe: 1" in prompts(to(cancelled, BEN))[0].text.as_plain()
    harness.clock.set(REMIND)
    assert await harness.due() == []
    harness.clock.set(END)
    assert await harness.due() == []
    assert "Friday 27 November: cancelled" in await harness.reply_text(BEN, "/ritme borrel history")
    # The next Friday is not touched.
    harness.clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    assert "Friday 4 December" in invites(await harness.due())[0].text.as_plain()


async def test_cancel_before_the_invite_means_no_invite(harness: Harness) -> None:
    await harness.reply_text(BEN, CREATE)
    reply = await harness.reply_text(BEN, "/ritme borrel cancel 1 fri")
    assert "Friday 27 November" in reply
    harness.clock.set(INVITE)
    assert await harness.due() == []


async def test_move_one_occurrence_and_the_reminder_follows(harness: Harness) -> None:
    invite = await setup(harness)
    await rsvp(harness, CHITRA, invite, "join")
    moved = await harness.command(BEN, "/ritme borrel move 17:30")
    [update] = channel_updates(moved)
    assert "Friday 27 November, 17:30–18:15 (Europe/Amsterdam)" in update.text.as_plain()
    assert "Moved from Friday 27 November 16:30." in update.text.as_plain()
    assert [b.label for b in update.buttons] == ["Join", "Maybe", "Not this time"]
    assert "22:00 your time" in prompts(to(moved, CHITRA))[0].text.as_plain()
    harness.clock.set(REMIND)
    assert prompts(await harness.due()) == []
    harness.clock.set(REMIND.replace(hour=16))
    [reminder] = prompts(await harness.due())
    assert "22:00 your time (Asia/Kolkata)" in reminder.text.as_plain()
    refused = await harness.reply_text(BEN, "/ritme borrel move 1 2026-11-20 17:00")
    assert "`/ritme borrel" in refused


async def test_rotating_theme_changes_between_occurrences(harness: Harness) -> None:
    first = await setup(harness)
    harness.clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    [second] = invites(await harness.due())

    def theme(post: ChannelPost) -> str:
        return next(line for line in post.text.as_plain().split("\n") if line.startswith("Icebreaker: "))

    assert theme(first) != theme(second)


async def test_fixed_theme_and_dutch(harness: Harness) -> None:
    created = await harness.reply_text(ANNA, CREATE.replace("fri", "vr") + ' theme "Laat je huisdier zien" every 2w')
    assert "Borrel 1 voor #team: elke week" not in created and "om de week op vr" in created
    assert "Jij bent de eerste" in created
    harness.clock.set(INVITE)
    [invite] = invites(await harness.due())
    text = invite.text.as_plain()
    assert "Digitale borrel van #team" in text and "vrijdag 27 november, 16:30–17:15" in text
    assert any(span == Span(text="Laat je huisdier zien", user=True) for line in invite.text.lines for span in line)
    assert [b.label for b in invite.buttons] == ["Ik doe mee", "Misschien", "Deze keer niet"]
    answered = await rsvp(harness, ANNA, invite, "join")
    assert "Doen mee: 1" in channel_updates(answered)[0].text.as_plain()
    assert "Je doet mee" in prompts(answered)[0].text.as_plain()


async def test_non_manager_is_refused_and_nothing_changes(harness: Harness) -> None:
    await harness.reply_text(BEN, CREATE)
    await harness.join(CHITRA)
    before = await harness.snapshot()
    assert "Only a manager of #team" in await harness.reply_text(CHITRA, "/ritme borrel cancel")
    assert "Only a manager of #team" in await harness.reply_text(CHITRA, CREATE)
    assert await harness.snapshot() == before
    assert "Borrels of #team" in await harness.reply_text(CHITRA, "/ritme borrel list")


async def test_bad_link_or_time_is_refused_with_an_example(harness: Harness) -> None:
    await harness.reply_text(BEN, "/ritme borrel list")  # Ben is known; what follows must add nothing
    before = await harness.snapshot()
    for text, words in (
        ("/ritme borrel create fri 16:30 45m ftp://meet.example/x", "is not a meeting link"),
        ("/ritme borrel create fri 16:30 45m meet.example/borrel", "I don't know `meet.example/borrel`"),
        ("/ritme borrel create fri 16:30 45m", "needs a meeting link"),
        ("/ritme borrel create fri 25:00 https://meet.example/borrel", "is not a time"),
        ("/ritme borrel create fri 16:30 https://meet.example/" + "x" * 500, "the limit is 500"),
    ):
        reply = await harness.reply_text(BEN, text)
        assert words in reply and "/ritme borrel create fri 16:30" in reply, reply
    assert await harness.snapshot() == before


async def test_help_has_a_borrel_topic(harness: Harness) -> None:
    assert "/ritme borrel create" in await harness.reply_text(BEN, "/ritme help")
    assert "remind" in await harness.reply_text(BEN, "/ritme borrel help")


async def test_list_and_the_managers_overview_show_the_borrel(harness: Harness) -> None:
    await harness.reply_text(BEN, CREATE + " every 2w")
    listed = await harness.reply_text(BEN, "/ritme borrel list")
    assert "1. every other week on Fri, 16:30–17:15 (Europe/Amsterdam)" in listed
    assert "next: Friday 27 November" in listed
    view = await harness.home(BEN)
    assert any("borrel Fri 16:30–17:15" in section.text.as_plain() for section in view.sections)
    harness.clock.set(datetime(2026, 11, 27, 17, 0, tzinfo=UTC))  # Friday evening, after the borrel
    # "fri" now means next Friday, which is not a borrel week: the reply says which date would work.
    refused = await harness.reply_text(BEN, "/ritme borrel cancel 1 fri")
    assert "no borrel on Friday 4 December" in refused and "`/ritme borrel cancel 1 2026-12-11`" in refused
    assert "Friday 11 December" in await harness.reply_text(BEN, "/ritme borrel cancel 1 2026-12-11")
