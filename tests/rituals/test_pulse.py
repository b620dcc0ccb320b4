"""The wellbeing pulse's own logic: questions, rotation, k-anonymous results, breakdowns, signals, texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rituals import pulse
from rituals.catalog import Catalog
from rituals.model import Member, QuestionCounts, RoundCounts
from rituals.outbound import MemberAddress, Text
from rituals.pulse import (
    BANK_IDS,
    TALK_ACTION,
    TALK_CONFIRM_ACTION,
    AnswerRefused,
)

CATALOG = Catalog()
FRIDAY = date(2026, 11, 27)
Dist = tuple[int, int, int, int, int]


def _member(locale: str = "en", timezone: str = "Europe/Amsterdam") -> Member:
    return Member(id=7, platform="local", workspace_id="w", user_id="anna", display_name="Anna",
                  timezone=timezone, locale=locale, work_days=(0, 1, 2, 3, 4), work_start=time(9),
                  work_end=time(17), away_until=None)


ADDRESS = MemberAddress(platform="local", workspace_id="w", user_id="anna")


def _round(
    number: int,
    responded: int,
    questions: dict[str, Dist],
    comments: Sequence[str] = (),
    prompted: int = 10,
) -> RoundCounts:
    return RoundCounts(
        occurrence_id=number,
        local_date=FRIDAY + timedelta(weeks=number - 100),
        prompted=prompted,
        responded=responded,
        questions=tuple(QuestionCounts(question_id=qid, counts=counts) for qid, counts in questions.items()),
        comments=tuple(comments),
    )


def _user_words(text: Text) -> list[str]:
    return [span.text for line in text.lines for span in line if span.user]


# --- The bank, the form and asking for a talk ----------------------------------------------------------------


def test_the_bank_has_eight_questions_in_both_languages_and_says_which_way_is_better() -> None:
    assert BANK_IDS == ("feeling", "workload", "connected", "switch_off", "overload", "focus", "support", "energy")
    for question in pulse.BANK:
        for locale in ("en", "nl"):
            assert question.text(CATALOG, locale).endswith("?")
        assert question.text(CATALOG, "en") != question.text(CATALOG, "nl")
    assert pulse.QUESTIONS["feeling"].text(CATALOG, "nl") == "Hoe voel je je deze week?"
    # Overload is the reversed one: 5 means it bothered someone a lot, so a rising average is bad news.
    assert [q.id for q in pulse.BANK if not q.higher_is_better] == ["overload"]
    assert pulse.QUESTIONS["overload"].goodness(4.5) == 1.5
    assert pulse.QUESTIONS["feeling"].goodness(4.5) == 4.5


def test_a_dutch_member_gets_one_tap_questions_and_an_optional_comment_in_dutch() -> None:
    form = pulse.prompt_form(
        catalog=CATALOG, member=_member("nl"), address=ADDRESS, team_name="design", delivery_id=42,
        question_ids=("feeling", "overload"), deadline=datetime(2026, 11, 27, 15, 0, tzinfo=UTC), k=5,
    )
    intro = form.text.as_plain()
    assert "welzijnscheck van #design" in intro and "anoniem" in intro and "minstens 5 mensen" in intro
    assert "vrijdag 27 november om 16:00" in intro  # the deadline in the member's own zone
    feeling, overload, comment = form.fields
    assert feeling.label == "Hoe voel je je deze week?"
    assert [c.value for c in feeling.choices] == ["1", "2", "3", "4", "5"]
    assert [c.label for c in feeling.choices] == ["1 – heel slecht", "2", "3", "4", "5 – heel goed"]
    assert overload.choices[-1].label == "5 – heel veel"
    assert feeling.optional and overload.optional  # nobody has to answer what they'd rather not
    assert comment.choices == () and comment.optional and "minstens 5 mensen" in comment.label
    assert form.submit_label == "Anoniem versturen" and form.delivery_id == 42


def test_every_prompt_comes_with_a_separate_talk_button_that_says_it_is_not_anonymous() -> None:
    form, talk = pulse.prompt_messages(
        catalog=CATALOG, member=_member("en"), address=ADDRESS, team_name="design", delivery_id=42,
        question_ids=("workload",), deadline=datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
    )
    assert len(form.fields) == 2  # the anonymous form holds only the question and the comment
    assert talk.to == ADDRESS and talk.key != form.key
    assert "not anonymous" in talk.text.as_plain() and "nothing of your answers" in talk.text.as_plain()
    (button,) = talk.buttons
    assert (button.label, button.action, button.value) == ("I'd like a chat with my manager", TALK_ACTION, "42")


def test_the_talk_flow_says_exactly_what_is_shared_and_the_managers_get_no_score() -> None:
    explained = pulse.talk_explanation(CATALOG, "en", team_name="design", manager_names=["Ben", "Chitra"])
    assert explained.as_plain() == (
        "If you confirm, the managers of #design (Ben and Chitra) get a private message with your name and that "
        "you'd like a chat. That is all: nothing of your pulse answers is shared, now or later. Not now? Just leave "
        "this message."
    )
    assert _user_words(explained) == ["Ben and Chitra"]
    confirm = pulse.talk_confirm_button(CATALOG, "nl", 42)
    assert (confirm.label, confirm.action, confirm.value) == ("Ja, laat het weten", TALK_CONFIRM_ACTION, "42")

    request = pulse.talk_request_text(CATALOG, "en", name="<!channel> Anna", team_name="design")
    assert request.as_plain().startswith(
        "<!channel> Anna from #design would like a chat with you. Nothing of their pulse answers is shared."
    )
    assert _user_words(request) == ["<!channel> Anna"]  # a name is the person's own words: defused
    assert not any(ch.isdigit() for ch in request.as_plain())  # no score, no count, nothing to read into
    dutch = pulse.talk_request_text(CATALOG, "nl", name="Anna", team_name="design").as_plain()
    assert dutch.startswith("Anna van #design wil graag een gesprek met je.")

    sent = pulse.talk_sent_text(CATALOG, "nl", team_name="design", manager_names=["Ben"]).as_plain()
    assert "Ben" in sent and "Alleen je naam is gedeeld" in sent
    nobody = pulse.talk_explanation(CATALOG, "en", team_name="design", manager_names=[]).as_plain()
    assert "no manager" in nobody and "/ritme manager add" in nobody


def test_saved_and_reminder_texts_say_how_anonymity_works_and_when_it_closes() -> None:
    deadline = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    saved = pulse.saved_text(CATALOG, _member("en"), deadline=deadline, k=6).as_plain()
    assert "without your name" in saved and "Friday 27 November at 16:00" in saved and "at least 6" in saved
    reminder = pulse.reminder_text(CATALOG, _member("nl", "Asia/Kolkata"), team_name="design", deadline=deadline)
    assert "open tot vrijdag 27 november om 20:30" in reminder.as_plain()


def test_an_answer_reads_as_scores_with_skips_and_bad_values_are_refused() -> None:
    answer = pulse.read_answer(("feeling", "workload"), ["4", " ", " Busy week "])
    assert answer.scores == (("feeling", 4),) and answer.comment == "Busy week"
    assert pulse.read_answer(("feeling",), ["", "Just a comment"]).scores == ()

    def refused(values: list[str]) -> AnswerRefused:
        with pytest.raises(AnswerRefused) as caught:
            pulse.read_answer(("feeling", "workload"), values)
        return caught.value

    assert refused(["6", "3", ""]).params == {"value": "6"}
    assert refused(["4", ""]).key == "error.answer_count"
    assert refused(["", "", "  "]).key == "error.pulse_empty"
    assert refused(["3", "3", "x" * 1001]).key == "error.answer_long"
    text = CATALOG.text("nl", refused(["zes", "", ""]).key, **refused(["zes", "", ""]).params)
    assert text.startswith("`zes` is geen punt op de schaal van 1 tot 5; er is niets opgeslagen.")


def test_the_bank_listing_shows_ids_to_pin() -> None:
    listing = pulse.bank_text(CATALOG, "en").as_plain()
    assert "`switch_off` — Could you switch off after work this week?" in listing
    assert "`overload` — How much did the stream of messages and information bother you this week? (lower is " \
           "better)" in listing


# --- Rotation ------------------------------------------------------------------------------------------------


def test_pinned_questions_always_come_first_and_the_rest_were_asked_least_recently() -> None:
    recent = [("feeling", "workload", "connected"), ("switch_off", "overload", "focus")]
    picked = pulse.pick_questions(BANK_IDS, pinned=("workload",), recent_rounds=recent, count=3, seed=1)
    assert picked[0] == "workload"
    assert set(picked[1:]) == {"support", "energy"}  # never asked in the window
    # Next: the oldest round's questions come back before last round's.
    later = pulse.pick_questions(BANK_IDS, recent_rounds=[*recent, ("support", "energy", "feeling")], count=2,
                                 seed=1)
    assert set(later) == {"workload", "connected"}
    assert pulse.pick_questions(BANK_IDS, pinned=("focus", "energy", "feeling"), count=2, seed=1) == (
        "focus", "energy")


def test_ties_are_broken_by_the_seed_deterministically() -> None:
    first = pulse.pick_questions(BANK_IDS, count=3, seed=17)
    assert first == pulse.pick_questions(BANK_IDS, count=3, seed=17)
    assert len({pulse.pick_questions(BANK_IDS, count=3, seed=seed) for seed in range(20)}) > 1
    # The form keeps the bank's order, whatever was picked.
    assert list(first) == sorted(first, key=BANK_IDS.index)


@pytest.mark.parametrize("start", [0, 1000, 424242])
def test_rotation_is_fair_every_question_comes_up_and_none_is_asked_much_more_than_another(start: int) -> None:
    rounds: list[tuple[str, ...]] = []
    for number in range(24):
        rounds.append(pulse.pick_questions(BANK_IDS, recent_rounds=rounds[-8:], count=3, seed=start + number))
        if number == 2:
            assert {qid for asked in rounds for qid in asked} == set(BANK_IDS)  # 8 questions in 3 rounds of 3
    asked = Counter(qid for picked in rounds for qid in picked)
    assert set(asked) == set(BANK_IDS) and max(asked.values()) - min(asked.values()) <= 1

    pinned_rounds: list[tuple[str, ...]] = []
    for number in range(7):
        pinned_rounds.append(pulse.pick_questions(BANK_IDS, pinned=("workload",), recent_rounds=pinned_rounds,
                                                  count=2, seed=number))
    assert all(picked[0] == "workload" for picked in pinned_rounds)
    assert sorted(picked[1] for picked in pinned_rounds) == sorted(set(BANK_IDS) - {"workload"})


def test_rotation_refuses_unknown_pins_and_an_empty_round() -> None:
    with pytest.raises(ValueError, match="not in the bank"):
        pulse.pick_questions(BANK_IDS, pinned=("mood",), count=2, seed=1)
    with pytest.raises(ValueError):
        pulse.pick_questions(BANK_IDS, count=0, seed=1)
    with pytest.raises(ValueError, match="1 to 3"):
        pulse.pick_questions(BANK_IDS, count=4, seed=1)  # a pulse people answer is a short one
