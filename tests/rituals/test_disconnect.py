"""The right to disconnect through the engine: no scheduled private message outside a member's working time, on
their days off, on a public holiday of their country or while they are away, for every ritual kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from rituals.outbound import GroupPrompt, Message
from tests.rituals.harness import ANNA, BEN, CHITRA, Harness, Person, forms, prompts, to

# Monday 26 April 2027, 08:00 in Amsterdam (UTC+2); King's Day is Tuesday 27 April, a Dutch holiday only.
MONDAY = datetime(2027, 4, 26, 6, 0, tzinfo=UTC)
KINGS_DAY_0930 = datetime(2027, 4, 27, 7, 30, tzinfo=UTC)
WEDNESDAY_0930 = datetime(2027, 4, 28, 7, 30, tzinfo=UTC)
BELG = Person("bram", "Bram", "Europe/Brussels", "en")


def who(messages: Sequence[Message]) -> set[str]:
    """Whose private messages these are, group messages counted for each member."""
    found: set[str] = set()
    for message in messages:
        if isinstance(message, GroupPrompt):
            found.update(address.user_id for address in message.to)
        elif hasattr(message.to, "user_id"):
            found.add(message.to.user_id)  # type: ignore[union-attr]
    return found


async def at(harness: Harness, moment: datetime) -> list[Message]:
    harness.clock.set(moment)
    return await harness.due()


async def test_me_country_is_set_shown_and_refused_when_unknown(harness: Harness) -> None:
    assert "public holidays of NL (the default)" in await harness.reply_text(BEN, "/ritme me")
    assert await harness.reply_text(BEN, "/ritme me country be") == (
        "Done: on the public holidays of BE I won't message you."
    )
    assert "public holidays of BE." in await harness.reply_text(BEN, "/ritme me")
    refused = await harness.reply_text(BEN, "/ritme me country Belgium")
    assert "`Belgium` is not a country whose public holidays I know" in refused and "`/ritme me country BE`" in refused
    assert "public holidays of BE." in await harness.reply_text(BEN, "/ritme me")  # nothing changed
    assert "the default here" in await harness.reply_text(BEN, "/ritme me country off")
    # In Dutch.
    assert await harness.reply_text(ANNA, "/ritme me land BE") == "Gedaan: op de feestdagen van BE stuur ik je niets."
    assert "feestdagen van BE." in await harness.reply_text(ANNA, "/ritme me")
    assert "is geen land waarvan ik de feestdagen ken" in await harness.reply_text(ANNA, "/ritme me land XX")


async def test_no_stand_up_on_kings_day_for_the_dutch_and_the_skip_is_recorded(harness: Harness) -> None:
    harness.clock.set(MONDAY)
    await harness.command(ANNA, "standup create at 09:30 on mon-fri digest 12:00")
    await harness.join(BELG)
    await harness.reply_text(BELG, "/ritme me country BE")
    sent = await at(harness, KINGS_DAY_0930)
    assert [form.to.user_id for form in forms(sent)] == ["bram"]
    assert forms(await at(harness, KINGS_DAY_0930 + timedelta(hours=2))) == []  # nor later that day
    assert (await harness.statuses()).get("skipped") == 1
    # The manager sees what was held back and why, in her language.
    report = await harness.reply_text(ANNA, "/ritme standup failures")
    assert "bericht achtergehouden aan Anna — een feestdag voor deze persoon" in report
    # The next day is an ordinary one for both.
    assert sorted(form.to.user_id for form in forms(await at(harness, WEDNESDAY_0930))) == ["anna", "bram"]


async def test_no_stand_up_on_a_weekend_day_or_while_away(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30 on daily")
    await harness.join(BEN)
    await harness.reply_text(BEN, "/ritme me away until 2026-11-30")
    saturday = datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert forms(await at(harness, saturday)) == []
    assert forms(await at(harness, saturday + timedelta(days=1))) == []  # Sunday
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert [f.to.user_id for f in forms(await at(harness, monday))] == ["anna"]  # Ben is away until tonight
    tuesday = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert sorted(f.to.user_id for f in forms(await at(harness, tuesday))) == ["anna", "ben"]
    failures = await harness.reply_text(ANNA, "/ritme standup failures")
    assert "Ben — afwezig" in failures and "geen werkdag van deze persoon" in failures


async def test_a_prompt_before_working_hours_waits_for_the_start_when_the_digest_allows(harness: Harness) -> None:
    await harness.command(ANNA, "standup create at 09:30 on mon-fri digest 13:00")
    await harness.join(BEN)
    await harness.reply_text(BEN, "/ritme me hours 11:00-19:00")
    await harness.join(CHITRA)
    await harness.reply_text(CHITRA, "/ritme me hours 14:00-22:00")  # Kolkata: 09:30 here is 14:00 there
    tomorrow = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # Tuesday 09:30 in Amsterdam
    first = await at(harness, tomorrow)
    assert sorted(f.to.user_id for f in forms(first)) == ["anna", "chitra"]
    assert forms(await at(harness, tomorrow + timedelta(minutes=89))) == []
    later = await at(harness, tomorrow + timedelta(minutes=90))  # 11:00, Ben's start, before the 13:00 digest
    assert [f.to.user_id for f in forms(later)] == ["ben"]


async def test_no_pulse_on_kings_day_the_dutch_are_asked_the_next_working_morning(harness: Harness) -> None:
    harness.clock.set(MONDAY)
    await harness.command(ANNA, "pulse create tue 10:00 open 2d")
    await harness.join(BELG)
    await harness.reply_text(BELG, "/ritme me country BE")
    kings_day_1000 = datetime(2027, 4, 27, 8, 0, tzinfo=UTC)
    assert who(await at(harness, kings_day_1000)) == {"bram"}
    assert who(await at(harness, datetime(2027, 4, 28, 7, 59, tzinfo=UTC))) == set()
    assert who(await at(harness, datetime(2027, 4, 28, 8, 0, tzinfo=UTC))) == {"anna"}  # Wednesday 10:00


async def test_no_borrel_reminder_in_someones_evening_and_the_skip_is_recorded(harness: Harness) -> None:
    await harness.command(BEN, "/ritme borrel create fri 16:30 45m https://meet.example/borrel")
    await harness.join(ANNA)
    await harness.join(CHITRA)  # Kolkata, working 09:00-17:30 there: the borrel is at 21:00 her time
    [invite] = [m for m in await at(harness, datetime(2026, 11, 27, 9, 0, tzinfo=UTC)) if hasattr(m, "buttons")
                and m.buttons and not hasattr(m.to, "user_id")]
    join = next(b for b in invite.buttons if b.value.endswith(":join"))  # type: ignore[attr-defined]
    await harness.click(ANNA, join.action, join.value)
    await harness.click(CHITRA, join.action, join.value)
    reminded = await at(harness, datetime(2026, 11, 27, 15, 20, tzinfo=UTC))
    assert who(prompts(reminded)) == {"anna"}
    assert prompts(to(reminded, CHITRA)) == []
    report = await harness.reply_text(BEN, "/ritme standup failures")
    assert "message held back to Chitra — outside their working hours" in report


async def test_coffee_introductions_wait_past_kings_day(harness: Harness) -> None:
    harness.clock.set(MONDAY)
    lead = Person("lead", "Lea", "Europe/Amsterdam", "en")
    for person in (lead, ANNA):
        await harness.join(person)
    await harness.reply_text(lead, "coffee create weekly on tue at 10:00 enrol all")
    assert who(await at(harness, datetime(2027, 4, 27, 8, 0, tzinfo=UTC))) == set()
    assert who(await at(harness, datetime(2027, 4, 28, 6, 59, tzinfo=UTC))) == set()
    assert who(await at(harness, datetime(2027, 4, 28, 7, 0, tzinfo=UTC))) == {"lead", "anna"}


async def test_a_reminder_due_after_hours_waits_for_the_next_morning_when_the_digest_allows(harness: Harness) -> None:
    # The stand-up's digest is 23:30 in Los Angeles, 08:30 the next morning in Amsterdam; Anna works 08:00-16:00.
    await harness.command(ANNA, "standup create at 09:30 on mon-fri digest 23:30 remind 7h zone America/Los_Angeles")
    await harness.reply_text(ANNA, "/ritme me hours 08:00-16:00")
    prompted = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # Tuesday 09:30 in Amsterdam
    assert [f.to.user_id for f in forms(await at(harness, prompted))] == ["anna"]
    assert prompts(await at(harness, prompted + timedelta(hours=7))) == []  # 16:30: her evening
    assert prompts(await at(harness, datetime(2026, 11, 25, 6, 59, tzinfo=UTC))) == []
    [reminder] = prompts(await at(harness, datetime(2026, 11, 25, 7, 0, tzinfo=UTC)))  # Wednesday 08:00
    assert reminder.key.startswith("standup-reminder:") and reminder.to.user_id == "anna"


async def test_a_reminder_with_no_working_time_before_the_digest_is_dropped_and_recorded(harness: Harness) -> None:
    await harness.command(BEN, "standup create at 16:00 on mon-fri digest 23:00 remind 2h")
    prompted = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday 16:00 in Amsterdam; Ben works until 17:30
    assert [f.to.user_id for f in forms(await at(harness, prompted))] == ["ben"]
    assert prompts(await at(harness, prompted + timedelta(hours=2))) == []  # 18:00: after his hours, and the
    assert prompts(await at(harness, prompted + timedelta(hours=6))) == []  # digest comes before his next morning
    report = await harness.reply_text(BEN, "/ritme standup failures")
    assert "message held back to Ben — outside their working hours" in report
