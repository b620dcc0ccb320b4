"""The coffee machine and coffee pairing through the engine, over the real store, with a clock moved by hand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from rituals.coffee import MET_ACTION
from rituals.outbound import GroupPrompt, Message, Prompt
from storage.repository import SqlStore
from tests.rituals.harness import MONDAY_0800, FakeClock, Harness, Person, make_engine, posts, prompts, to

LEAD = Person("lead", "Lea", "Europe/Amsterdam", "en")
MONDAY_1000 = MONDAY_0800 + timedelta(hours=2)  # Monday 23 November 2026, 10:00 in Amsterdam
CREATE = "coffee create weekly on mon at 10:00 enrol all"


def people(count: int, timezone: str = "Europe/Amsterdam", locale: str = "en", prefix: str = "p") -> list[Person]:
    return [Person(f"{prefix}{n}", f"{prefix.upper()}erson {n}", timezone, locale) for n in range(1, count + 1)]


def groups(messages: Sequence[Message]) -> list[GroupPrompt]:
    """The introductions of groups among the messages (not the "did you meet?" of an earlier round)."""
    return [m for m in messages if isinstance(m, GroupPrompt) and m.key.startswith("coffee-intro:")]


def questions(messages: Sequence[Message]) -> list[GroupPrompt]:
    return [m for m in messages if isinstance(m, GroupPrompt) and m.key.startswith("coffee-follow-up:")]


def who(group: GroupPrompt) -> frozenset[str]:
    return frozenset(address.user_id for address in group.to)


async def start(harness: Harness, members: Sequence[Person], command: str = CREATE, lead: Person = LEAD) -> str:
    for person in [lead, *members]:
        await harness.join(person)
    return await harness.reply_text(lead, command)


async def round_at(harness: Harness, moment: datetime) -> list[Message]:
    harness.clock.set(moment)
    return await harness.due()


# The coffee machine ------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_coffee_machine_opens_at_its_local_time_once_a_day_on_its_days(harness: Harness) -> None:
    await harness.join(LEAD)
    reply = await harness.reply_text(LEAD, "coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri")
    assert "opens Mon-Fri at 09:30 until 10:30 (Europe/Amsterdam)" in reply
    assert posts(await round_at(harness, MONDAY_0800 + timedelta(minutes=89))) == []  # 09:29
    [post] = posts(await round_at(harness, MONDAY_0800 + timedelta(minutes=95)))
    assert post.to.channel_id == "team"
    assert post.text.as_plain() == (
        "☕ The coffee machine is open until 10:30. Drop in for a chat: https://meet.example/koffie")
    [link] = [span for line in post.text.lines for span in line if span.user]
    assert link.text == "https://meet.example/koffie"
    assert posts(await harness.due()) == []  # once a day, however often the timer wakes
    assert posts(await round_at(harness, MONDAY_0800 + timedelta(hours=4))) == []  # closed by then
    assert len(posts(await round_at(harness, MONDAY_0800 + timedelta(days=1, minutes=100)))) == 1  # Tuesday
    assert posts(await round_at(harness, MONDAY_0800 + timedelta(days=5, minutes=100))) == []  # Saturday
    assert "is off" in await harness.reply_text(LEAD, "coffee machine off")
    assert posts(await round_at(harness, MONDAY_0800 + timedelta(days=7, minutes=100))) == []


@pytest.mark.asyncio
async def test_two_workers_post_the_machine_and_introduce_groups_once(
    harness: Harness, store: SqlStore, clock: FakeClock
) -> None:
    await start(harness, people(3))
    await harness.reply_text(LEAD, "coffee machine https://meet.example/koffie 09:30 10:30")
    other = make_engine(store, clock)
    harness.clock.set(MONDAY_1000)
    seen: list[Message] = []
    for engine in (harness.engine, other, harness.engine):
        async for batch in engine.due(clock.now()):
            seen.extend(batch)
    assert len(posts(seen)) == 1
    assert len(groups(seen)) == 2  # four people: two pairs, each introduced once


# Pairing ---------------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_even_team_is_paired_and_introduced_with_an_icebreaker(harness: Harness) -> None:
    created = await start(harness, people(3))
    assert "Coffee pairing for #team: every week on Mon at 10:00 (Europe/Amsterdam)" in created
    assert "First round: Monday 23 November." in created
    assert groups(await round_at(harness, MONDAY_1000 - timedelta(minutes=1))) == []
    sent = await round_at(harness, MONDAY_1000)
    pairs = groups(sent)
    assert sorted(len(pair.to) for pair in pairs) == [2, 2]
    assert frozenset().union(*(who(pair) for pair in pairs)) == {"lead", "p1", "p2", "p3"}
    text = pairs[0].text.as_plain()
    assert text.startswith("☕ Coffee time in #team!")
    assert "Icebreaker: " in text and "42.5 h of working time you share this week" in text
    assert groups(await harness.due()) == []


@pytest.mark.asyncio
async def test_an_odd_team_gets_one_trio(harness: Harness) -> None:
    await start(harness, people(4))
    sizes = sorted(len(group.to) for group in groups(await round_at(harness, MONDAY_1000)))
    assert sizes == [2, 3]


@pytest.mark.asyncio
async def test_one_participant_gets_a_kind_note_and_zero_get_nothing(harness: Harness) -> None:
    await start(harness, [], "coffee create mon 10:00")  # opt-in: only the lead takes part
    sent = await round_at(harness, MONDAY_1000)
    assert groups(sent) == []
    [note] = prompts(to(sent, LEAD))
    assert note.text.as_plain() == (
        "No coffee match for you in #team this round, because you were the only one taking part this round. "
        "Nothing to do: you're in again next round.")
    assert "you were the only one taking part" in await harness.reply_text(LEAD, "coffee why")
    await harness.reply_text(LEAD, "coffee leave")
    assert await round_at(harness, MONDAY_1000 + timedelta(days=7)) == []
    assert "1 rounds" not in await harness.reply_text(LEAD, "coffee stats")


@pytest.mark.asyncio
async def test_away_and_skipping_members_sit_the_round_out(harness: Harness) -> None:
    team = people(3)
    await start(harness, team)
    assert "You'll sit out the round of Monday 23 November" in await harness.reply_text(team[0], "coffee skip")
    await harness.reply_text(team[1], "me away until 2026-11-24")
    listing = await harness.reply_text(team[2], "coffee list")
    assert "Taking part (4): Lea, Person 1, Person 2 and Person 3." in listing
    assert "Sitting out the next round: Person 1." in listing
    [pair] = groups(await round_at(harness, MONDAY_1000))
    assert who(pair) == {"lead", "p3"}
    assert "Sitting out" not in await harness.reply_text(team[2], "coffee list")  # a skip lasts one round
    assert "You were not in the latest coffee round" in await harness.reply_text(team[0], "coffee why")


@pytest.mark.asyncio
async def test_time_zones_without_shared_hours_are_never_paired(harness: Harness) -> None:
    auckland = people(2, "Pacific/Auckland", prefix="k")
    amsterdam = people(1)
    await start(harness, [*auckland, *amsterdam], f"{CREATE} overlap 1h")
    sent = await round_at(harness, MONDAY_1000)
    # Monday 10:00 in Amsterdam is 22:00 in Auckland: only the Amsterdam pair is introduced now.
    [here] = groups(sent)
    assert who(here) == {"lead", "p1"}
    later = await round_at(harness, datetime(2026, 11, 23, 20, 0, tzinfo=UTC))  # Tuesday 09:00 in Auckland
    [there] = groups(later)
    assert who(there) == {"k1", "k2"}


@pytest.mark.asyncio
async def test_someone_nobody_shares_hours_with_is_told_why_in_their_own_hours(harness: Harness) -> None:
    kiwi = Person("kiwi", "Kiri", "Pacific/Auckland", "en")
    await start(harness, [kiwi, *people(1)], f"{CREATE} overlap 1h")
    sent = await round_at(harness, MONDAY_1000)
    assert to(sent, kiwi) == []  # 22:00 in Auckland: the note waits for the morning
    later = await round_at(harness, datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    [note] = prompts(to(later, kiwi))
    assert "nobody else this round shares at least 1 h of working time with you" in note.text.as_plain()


@pytest.mark.asyncio
async def test_why_explains_the_pairing(harness: Harness) -> None:
    partner = Person("p1", "Pim", "Europe/Amsterdam", "en")
    await start(harness, [partner])
    await harness.join(LEAD, channel="design")
    await harness.join(partner, channel="backend")
    await round_at(harness, MONDAY_1000)
    assert await harness.reply_text(partner, "coffee why") == (
        "On Monday 23 November you were paired with Lea. "
        "Paired because: never met, 42.5 h shared working time, different teams.")


@pytest.mark.asyncio
async def test_follow_up_buttons_record_meetings_for_the_stats(harness: Harness) -> None:
    team = people(3)
    await start(harness, team, f"{CREATE} follow-up 2d")
    for person in (LEAD, team[0]):
        await harness.join(person, channel="design")
    for person in team[1:]:
        await harness.join(person, channel="backend")
    first = groups(await round_at(harness, MONDAY_1000))
    assert questions(await round_at(harness, MONDAY_1000 + timedelta(days=2, minutes=-1))) == []
    asked = questions(await round_at(harness, MONDAY_1000 + timedelta(days=2)))
    assert {who(g) for g in asked} == {who(g) for g in first}
    question = asked[0]
    assert question.text.as_plain().startswith("☕ Did you meet for your coffee from #team")
    assert [b.label for b in question.buttons] == ["Yes, we met", "Not this time"]
    yes = next(b for b in question.buttons if b.label == "Yes, we met")
    assert yes.action == MET_ACTION
    member = next(p for p in [LEAD, *team] if p.user_id in who(question))
    [thanks] = await harness.click(member, yes.action, yes.value)
    assert isinstance(thanks, Prompt) and thanks.text.as_plain().startswith("Noted: you met.")
    outsider = next(p for p in [LEAD, *team] if p.user_id not in who(question))
    [refused] = await harness.click(outsider, yes.action, yes.value)
    assert "button" in refused.text.as_plain().lower()
    stats = await harness.reply_text(LEAD, "coffee stats")
    assert "Coffee pairing of #team: rounds: 1, groups: 2." in stats
    assert "Met: 1 of the 2 groups asked (50%)." in stats
    # Lea and Person 1 are also in #design, Persons 2 and 3 in #backend: both pairs cross teams.
    assert all(len(who(g) & {"lead", "p1"}) == 1 for g in first)
    assert "Cross-team connections: 2 (1 of them met)." in stats


@pytest.mark.asyncio
async def test_nobody_meets_the_same_person_next_round_when_that_can_be_avoided(harness: Harness) -> None:
    await start(harness, people(3))
    first = {who(g) for g in groups(await round_at(harness, MONDAY_1000))}
    second = {who(g) for g in groups(await round_at(harness, MONDAY_1000 + timedelta(days=7)))}
    assert len(second) == 2 and not first & second


@pytest.mark.asyncio
async def test_dutch_groups_hear_dutch_and_mixed_groups_the_teams_language(harness: Harness) -> None:
    anna = Person("anna", "Anna", "Europe/Amsterdam", "nl")
    dutch = people(1, locale="nl", prefix="n")
    created = await start(harness, dutch, "coffee create wekelijks op mon om 10:00 enrol all", lead=anna)
    assert "Koffiekoppels voor #team: elke week op ma om 10:00" in created
    [pair] = groups(await round_at(harness, MONDAY_1000))
    assert pair.text.as_plain().startswith("☕ Koffietijd in #team!")
    assert "IJsbreker: " in pair.text.as_plain()
    assert "nooit eerder gesproken, 42,5 uur gedeelde werktijd" in await harness.reply_text(anna, "coffee why")
    await harness.join(LEAD)  # English, in a Dutch team
    await harness.join(Person("p9", "Paul", "Europe/Amsterdam", "en"))
    # Anna and Person 1 met last round, so both groups now mix Dutch and English: the team's Dutch it is.
    mixed = groups(await round_at(harness, MONDAY_1000 + timedelta(days=7)))
    assert [len(who(g) & {"lead", "p9"}) for g in mixed] == [1, 1]
    assert all(g.text.as_plain().startswith("☕ Koffietijd in #team!") for g in mixed)


@pytest.mark.asyncio
async def test_only_managers_change_the_pairing_and_bad_input_changes_nothing(harness: Harness) -> None:
    member = people(1)[0]
    await start(harness, [member])
    before = await harness.snapshot()
    assert "Only a manager of #team can do that" in await harness.reply_text(member, "coffee pause")
    assert "Only a manager of #team can do that" in await harness.reply_text(member, "coffee create mon 11:00")
    refused = await harness.reply_text(LEAD, "coffee create mon 10:00 overlap 9h")
    assert "Use 15m to 8h, for example `/ritme coffee create weekly on mon at 10:00 overlap 1h`" in refused
    assert "already has a coffee pairing" in await harness.reply_text(LEAD, "coffee create mon 11:00")
    assert "not a meeting link" in await harness.reply_text(LEAD, "coffee machine meet.example 09:30 10:30")
    assert await harness.snapshot() == before
    assert "paused" in await harness.reply_text(LEAD, "coffee pause")
    assert groups(await round_at(harness, MONDAY_1000)) == []


@pytest.mark.asyncio
async def test_the_first_to_set_up_coffee_becomes_manager_and_help_lists_it(harness: Harness) -> None:
    await harness.join(LEAD)
    reply = await harness.reply_text(LEAD, "coffee create mon 10:00")
    assert "you are now its manager" in reply
    assert "`/ritme coffee join`" in await harness.reply_text(LEAD, "help")
    assert "coffee machine" in await harness.reply_text(LEAD, "coffee help")
    nobody = await harness.reply_text(LEAD, "coffee join", channel="elsewhere")
    assert "#elsewhere has no coffee pairing yet" in nobody


@pytest.mark.asyncio
async def test_a_group_waits_while_one_of_them_is_not_working(harness: Harness) -> None:
    partner = people(1)[0]
    await start(harness, [partner], "coffee create mon 07:00 enrol all")
    assert groups(await round_at(harness, MONDAY_0800 - timedelta(hours=1))) == []  # 07:00: before their hours
    harness.clock.set(MONDAY_0800 + timedelta(minutes=30))
    await harness.reply_text(partner, "me away until 2026-11-23")  # after the round was formed
    assert groups(await round_at(harness, MONDAY_0800 + timedelta(hours=1))) == []  # 09:00, but one is away
    [pair] = groups(await round_at(harness, MONDAY_0800 + timedelta(days=1, hours=1)))  # Tuesday 09:00
    assert who(pair) == {"lead", "p1"}


@pytest.mark.asyncio
async def test_a_managers_overview_lists_the_coffee_machine_and_pairing(harness: Harness) -> None:
    await start(harness, [], "coffee create biweekly mon 10:00")
    await harness.reply_text(LEAD, "coffee machine https://meet.example/koffie 09:30 10:30")
    await harness.reply_text(LEAD, "coffee pause")
    view = await harness.home(LEAD)
    text = "\n".join(section.text.as_plain() for section in view.sections)
    assert "coffee pairing: every two weeks on Mon at 10:00 (Europe/Amsterdam), paused" in text
    assert "coffee machine: Mon-Fri 09:30-10:30 (Europe/Amsterdam)" in text


@pytest.mark.asyncio
async def test_two_people_meet_again_when_nobody_else_takes_part_and_why_says_so(harness: Harness) -> None:
    partner = people(1)[0]
    await start(harness, [partner])
    [first] = groups(await round_at(harness, MONDAY_1000))
    [again] = groups(await round_at(harness, MONDAY_1000 + timedelta(days=7)))
    assert who(first) == who(again) == {"lead", "p1"}
    assert "Paired because: met last round, 42.5 h shared working time, the same team." in (
        await harness.reply_text(partner, "coffee why"))
