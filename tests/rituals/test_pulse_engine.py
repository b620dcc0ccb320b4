"""The pulse through the engine: commands, a round from prompt to results, anonymity rules that show to people."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from rituals.catalog import Catalog
from rituals.commands import CommandError, PulseAction, PulseCreate, PulseList, PulseQuestions, parse
from rituals.engine import Engine, EngineSettings
from rituals.outbound import ChannelPost, Form, Message, Prompt
from rituals.pulse import SignalThresholds
from rituals.standup import EDIT_ACTION
from storage.pulse import SqlPulseStore
from storage.repository import SqlStore
from tests.rituals.harness import MONDAY_0800, FakeClock, Harness, Person, forms, posts, prompts, to, updates

TODAY = date(2026, 11, 23)
LEAD = Person("lead", "Lea", "Europe/Amsterdam", "en")
TEAM = [LEAD, *(Person(f"m{n}", f"Member {n}") for n in range(1, 5))]


def test_pulse_create_parses_every_option() -> None:
    command = parse("/ritme pulse create biweekly on fri at 14:00 questions 3 pin workload,feeling k 6 "
                    "to managers open 2d remind off", TODAY)
    assert command == PulseCreate(day=4, at=time(14, 0), every_weeks=2, questions_per_round=3,
                                  pinned=("workload", "feeling"), k=6, audience="managers", open_days=2, remind=False)
    assert parse("pulse create weekly fri 14:00", TODAY) == PulseCreate(day=4, at=time(14, 0))
    assert parse("pulse create mon 9:30 pin feeling,workload,focus", TODAY).questions_per_round == 3
    assert parse("pulse list", TODAY) == PulseList()
    assert parse("pulse questions", TODAY) == PulseQuestions()
    assert parse("pulse pause #2", TODAY) == PulseAction("pause", 2)


@pytest.mark.parametrize(("text", "key"), [
    ("pulse create", "error.pulse_when"),
    ("pulse create weekly friday 14:00", "error.pulse_day"),
    ("pulse create fri", "error.pulse_when"),
    ("pulse create fri noon", "error.time"),
    ("pulse create fri 14:00 questions 4", "error.pulse_count"),
    ("pulse create fri 14:00 k 2", "error.pulse_k"),
    ("pulse create fri 14:00 pin sleep", "error.pulse_pin"),
    ("pulse create fri 14:00 questions 1 pin workload,feeling", "error.pulse_pins_many"),
    ("pulse create fri 14:00 to everyone", "error.pulse_audience"),
    ("pulse create fri 14:00 open 9d", "error.pulse_open"),
    ("pulse create fri 14:00 remind maybe", "error.pulse_remind"),
    ("pulse create fri 14:00 k 5 k 6", "error.pulse_repeated"),
    ("pulse create fri 14:00 k", "error.pulse_missing"),
    ("pulse create fri 14:00 colour blue", "error.pulse_option"),
    ("pulse pause one", "error.pulse_id"),
    ("pulse dance", "error.unknown_subcommand"),
])
def test_malformed_pulse_commands_are_refused(text: str, key: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse(text, TODAY)
    assert caught.value.key == key


@pytest.mark.asyncio
async def test_refused_pulse_command_changes_nothing_and_shows_an_example_in_dutch(harness: Harness) -> None:
    dutch = Person("anna", "Anna", "Europe/Amsterdam", "nl")
    await harness.join(dutch)
    before = await harness.snapshot()
    text = await harness.reply_text(dutch, "pulse create fri 14:00 k 2")
    assert "`/ritme pulse create weekly fri 14:00 k 5`" in text
    assert "heel getal van 3 tot 50" in text
    assert await harness.snapshot() == before


async def _start(harness: Harness, people: list[Person], command: str) -> None:
    for person in people:
        await harness.join(person)
    created = await harness.reply_text(LEAD, command)
    assert "Pulse" in created, created


async def _round(harness: Harness, people: list[Person]) -> list[Form]:
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))  # Monday 10:00 in Amsterdam
    sent = await harness.due()
    mine = forms(sent)
    assert len(mine) == len(people)
    # The talk button comes apart from the anonymous form.
    assert [p for p in prompts(sent) if p.buttons and p.buttons[0].action == "pulse:talk"]
    return mine


@pytest.mark.asyncio
async def test_a_full_round_with_five_shows_results_in_the_channel(harness: Harness) -> None:
    await _start(harness, TEAM, "pulse create weekly mon 10:00 questions 2 open 1d")
    sent = await _round(harness, TEAM)
    for index, person in enumerate(TEAM):
        form = to(sent, person)[0]
        assert isinstance(form, Form) and len(form.fields) == 3
        replies = await harness.answer(person, form.delivery_id, [str(3 + index % 2), "4", ""])
        assert "saved without your name" in updates(replies)[0].text.as_plain()
    # A second answer from the same person is refused, and nothing is counted twice.
    again = await harness.answer(TEAM[0], forms(to(sent, TEAM[0]))[0].delivery_id, ["1", "1", ""])
    assert "already answered" in prompts(again)[0].text.as_plain()
    harness.clock.advance(timedelta(days=1))
    closed = await harness.due()
    [post] = posts(closed)
    text = post.text.as_plain()
    assert "5 of 5" in text and "4.0" in text
    # Closing happens once: a later tick posts nothing more.
    assert posts(await harness.due()) == []
    late = await harness.answer(TEAM[1], forms(to(sent, TEAM[1]))[0].delivery_id, ["2", "2", ""])
    assert "closed" in prompts(late)[0].text.as_plain()


@pytest.mark.asyncio
async def test_a_team_of_four_sees_no_results_and_is_told_why(harness: Harness) -> None:
    four = TEAM[:4]
    await _start(harness, four, "pulse create weekly mon 10:00 open 1d")
    sent = await _round(harness, four)
    for person in four:
        await harness.answer(person, forms(to(sent, person))[0].delivery_id, ["5", "5", "all good"])
    harness.clock.advance(timedelta(days=1))
    [post] = posts(await harness.due())
    assert isinstance(post, ChannelPost)
    text = post.text.as_plain()
    assert "4" in text and "5" in text and "all good" not in text and "5.0" not in text


@pytest.mark.asyncio
async def test_results_to_managers_only_and_in_dutch(harness: Harness) -> None:
    anna = Person("lead", "Lea", "Europe/Amsterdam", "nl")
    team = [anna, *TEAM[1:]]
    await _start_dutch(harness, team)
    sent = await _round(harness, team)
    assert "welzijnscheck" in forms(to(sent, anna))[0].text.as_plain()
    for person in team:
        await harness.answer(person, forms(to(sent, person))[0].delivery_id, ["4", "4", ""])
    harness.clock.advance(timedelta(days=1))
    closed = await harness.due()
    assert posts(closed) == []
    [result] = [m for m in to(closed, anna) if isinstance(m, Prompt)]
    assert "Welzijnscheck van #team" in result.text.as_plain()


async def _start_dutch(harness: Harness, people: list[Person]) -> None:
    for person in people:
        await harness.join(person)
    created = await harness.reply_text(people[0], "pulse create weekly mon 10:00 open 1d to managers")
    assert "Welzijnscheck" in created and "alleen de managers" in created, created


@pytest.mark.asyncio
async def test_the_talk_button_says_what_is_shared_then_reaches_the_managers_without_a_score(
    harness: Harness,
) -> None:
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d")
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))
    sent = await harness.due()
    member = TEAM[2]
    form = forms(to(sent, member))[0]
    await harness.answer(member, form.delivery_id, ["1", "2", "rough week"])
    [talk] = [p for p in prompts(to(sent, member)) if p.buttons]

    asked = await harness.click(member, talk.buttons[0].action, talk.buttons[0].value)
    [explanation] = updates(asked)
    assert "Lea" in explanation.text.as_plain() and "nothing of your pulse answers" in explanation.text.as_plain()
    assert to(asked, LEAD) == []  # nothing reaches the manager before the member confirms

    confirm = explanation.buttons[0]
    told = await harness.click(member, confirm.action, confirm.value)
    [request] = [m for m in to(told, LEAD) if isinstance(m, Prompt)]
    text = request.text.as_plain()
    assert "Member 2" in text and "would like a chat" in text
    for answer in ("1", "2", "rough week"):
        assert answer not in text.replace("Member 2", "")
    assert "none of your answers" in updates(to(told, member))[0].text.as_plain()


@pytest.mark.asyncio
async def test_someone_elses_talk_button_does_nothing_for_the_presser(harness: Harness) -> None:
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d")
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))
    sent = await harness.due()
    [talk] = [p for p in prompts(to(sent, TEAM[1])) if p.buttons]
    pressed = await harness.click(TEAM[2], "pulse:talk_confirm", talk.buttons[0].value)
    assert to(pressed, LEAD) == []
    assert "button" in prompts(pressed)[0].text.as_plain().lower()


@pytest.mark.asyncio
async def test_asking_for_the_pulse_form_again_gives_it_while_it_can_still_be_answered(harness: Harness) -> None:
    # Slack's "Answer" button on the pulse DM comes back as standup.EDIT_ACTION: it must open the pulse form.
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d")
    sent = await _round(harness, TEAM)
    member = TEAM[1]
    form = forms(to(sent, member))[0]
    [again] = forms(await harness.click(member, EDIT_ACTION, str(form.delivery_id)))
    assert again.fields == form.fields and again.key == form.key
    await harness.answer(member, form.delivery_id, ["4", "4", ""])
    answered = await harness.click(member, EDIT_ACTION, str(form.delivery_id))
    assert forms(answered) == [] and "already answered" in prompts(answered)[0].text.as_plain()
    harness.clock.advance(timedelta(days=1))
    await harness.due()
    closed = await harness.click(TEAM[2], EDIT_ACTION, str(forms(to(sent, TEAM[2]))[0].delivery_id))
    assert forms(closed) == [] and "closed" in prompts(closed)[0].text.as_plain()


async def _weekly_round(harness: Harness, week: int, scores: list[int]) -> list[Message]:
    """One weekly round: everyone answers every question with their score; what closing the round sent."""
    harness.clock.set(MONDAY_0800 + timedelta(weeks=week, hours=2))  # Monday 10:00 in Amsterdam
    sent = await harness.due()
    for person, score in zip(TEAM, scores, strict=True):
        form = forms(to(sent, person))[0]
        await harness.answer(person, form.delivery_id, [str(score)] * (len(form.fields) - 1) + [""])
    harness.clock.set(MONDAY_0800 + timedelta(weeks=week, days=1, hours=2))
    return await harness.due()


def _signals(closed: list[Message]) -> list[str]:
    return [m.text.as_plain() for m in prompts(to(closed, LEAD)) if "for managers only" in m.text.as_plain()]


@pytest.mark.asyncio
async def test_managers_hear_of_a_clear_drop_and_not_of_noise(harness: Harness) -> None:
    # Pinned questions, so every round asks the same two and each can be compared with the rounds before.
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d pin feeling,workload")
    steady = [[4, 4, 5, 4, 4], [4, 5, 4, 4, 4], [5, 4, 4, 4, 4]]
    for week, scores in enumerate(steady):
        assert _signals(await _weekly_round(harness, week, scores)) == []
    # Noise: a little lower than usual, well within how the team's rounds vary.
    assert _signals(await _weekly_round(harness, 3, [4, 4, 4, 4, 4])) == []
    # A clear drop: most answers are 1 or 2.
    [signal] = _signals(await _weekly_round(harness, 4, [2, 1, 2, 3, 2]))
    assert "#team" in signal and "1-on-1" in signal
    assert "Member" not in signal and "Lea" not in signal  # it never names anyone


@pytest.mark.asyncio
async def test_one_reminder_on_the_last_working_morning_only_to_who_has_not_answered(harness: Harness) -> None:
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 3d")  # closes Thursday 10:00
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))
    sent = await harness.due()
    for person in TEAM[:3]:
        form = forms(to(sent, person))[0]
        await harness.answer(person, form.delivery_id, ["4"] * (len(form.fields) - 1) + [""])

    def reminded(messages: list[Message]) -> set[str]:
        return {m.to.user_id for m in prompts(messages) if m.key.startswith("pulse-reminder:")}

    harness.clock.set(MONDAY_0800 + timedelta(days=2, hours=4))  # Wednesday midday: not yet
    assert reminded(await harness.due()) == set()
    harness.clock.set(MONDAY_0800 + timedelta(days=3, hours=1))  # Thursday 09:00, the start of their day
    assert reminded(await harness.due()) == {person.user_id for person in TEAM[3:]}
    harness.clock.advance(timedelta(minutes=30))
    assert reminded(await harness.due()) == set()  # one reminder, never two


@pytest.mark.asyncio
async def test_one_answer_short_of_k_shows_nothing_but_how_many_answered_and_why(harness: Harness) -> None:
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d")
    harness.clock.set(MONDAY_0800 + timedelta(hours=2))
    sent = await harness.due()
    for person in TEAM[:4]:
        form = forms(to(sent, person))[0]
        await harness.answer(person, form.delivery_id, ["2"] * (len(form.fields) - 1) + ["hard week for me"])
    harness.clock.advance(timedelta(days=1))
    [post] = posts(await harness.due())
    text = post.text.as_plain()
    assert "4 of 5 answered; results show from 5 answers, so nobody's answer can be picked out." in text
    assert "2.0" not in text and "hard week" not in text


@pytest.mark.asyncio
async def test_the_signal_thresholds_are_an_admins_to_set(store: SqlStore, clock: FakeClock, database_url: str) -> None:
    # An admin who only wants to hear of a collapse (RITME_PULSE_SIGNAL_DROP=3, ..._LOW_SHARE=1): the drop above
    # stays below that.
    strict = EngineSettings(pulse_signal=SignalThresholds(drop=3.0, low_share=1.0))
    engine = Engine(store=store, clock=clock, catalog=Catalog(), settings=strict, pulses=SqlPulseStore(store.engine))
    harness = Harness(engine, clock, store, database_url)
    await _start(harness, TEAM, "pulse create weekly mon 10:00 open 1d pin feeling,workload")
    for week, scores in enumerate([[4, 4, 5, 4, 4], [4, 5, 4, 4, 4], [5, 4, 4, 4, 4], [2, 1, 2, 3, 2]]):
        assert _signals(await _weekly_round(harness, week, scores)) == []
