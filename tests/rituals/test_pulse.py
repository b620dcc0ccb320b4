"""The wellbeing pulse's own logic: questions, rotation, k-anonymous results, breakdowns, signals, texts."""

from __future__ import annotations

import random
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
    Aggregate,
    AnswerRefused,
    QuestionResult,
    QuestionWithheld,
    RoundSummary,
    SignalThresholds,
    Withheld,
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


# --- Results with k-anonymity --------------------------------------------------------------------------------


def test_k_minus_one_answers_show_nothing_and_say_why() -> None:
    counts = _round(100, 4, {"feeling": (0, 0, 0, 0, 4)}, ["all great", "a", "b", "c", "d"], prompted=8)
    summary = pulse.summarize(counts, (), k=5)
    assert isinstance(summary, Withheld) and not isinstance(summary, RoundSummary)
    text = pulse.results_text(summary, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert text == (
        "Wellbeing pulse of #design, Friday 27 November\n"
        "4 of 8 answered; results show from 5 answers, so nobody's answer can be picked out."
    )
    dutch = pulse.withheld_text(summary, catalog=CATALOG, locale="nl", team_name="design").as_plain()
    assert "4 van de 8 hebben geantwoord; de uitkomst verschijnt vanaf 5 antwoorden" in dutch


def test_a_team_smaller_than_k_is_told_it_will_never_see_results_and_why() -> None:
    summary = pulse.summarize(_round(100, 4, {"feeling": (0, 0, 1, 3, 0)}, prompted=4))
    assert isinstance(summary, Withheld) and summary.k == 5
    text = pulse.results_text(summary, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert "reaches 4 people" in text and "never show" in text and "3.8" not in text


def test_k_answers_show_rate_average_distribution_and_change() -> None:
    previous = [
        _round(96, 6, {"feeling": (0, 0, 0, 6, 0)}),  # 4.0, but more than four shown rounds ago
        _round(97, 6, {"feeling": (0, 0, 2, 4, 0)}),  # 3.67
        _round(98, 4, {"feeling": (4, 0, 0, 0, 0)}),  # withheld: must not pull the baseline down
        _round(98, 9, {"feeling": (4, 0, 0, 0, 0)}),  # shown round, but feeling had 4 answers: not either
        _round(99, 6, {"feeling": (0, 0, 0, 3, 3)}),  # 4.5
        _round(100, 6, {"workload": (0, 0, 0, 6, 0)}),  # did not ask feeling
        _round(101, 8, {"feeling": (0, 0, 5, 0, 0)}),  # 3.0
        _round(102, 7, {"feeling": (0, 0, 0, 7, 0)}),  # 4.0
    ]
    current = _round(103, 5, {"feeling": (0, 1, 1, 2, 1)}, prompted=8)  # 3.6
    summary = pulse.summarize(current, previous, k=5)
    assert isinstance(summary, RoundSummary)
    assert summary.response_rate == pytest.approx(5 / 8)
    result = summary.result("feeling")
    assert result is not None and result.n == 5 and result.distribution == (0, 1, 1, 2, 1)
    assert result.average == pytest.approx(3.6)
    # Against the last four shown rounds that asked it: 3.67, 4.5, 3.0, 4.0.
    assert result.change == pytest.approx(3.6 - (11 / 3 + 4.5 + 3.0 + 4.0) / 4)
    text = pulse.results_text(summary, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert "5 of 8 answered (63%)." in text  # rounded half up, as people do
    assert "Average 3.6 of 5 from 5 answers, 0.2 lower than recent rounds. Per point 1 to 5: 0 · 1 · 1 · 2 · 1." \
        in text
    first = pulse.summarize(_round(1, 5, {"feeling": (0, 0, 0, 5, 0)}))
    assert isinstance(first, RoundSummary) and first.questions[0] == QuestionResult(
        question_id="feeling", n=5, average=4.0, distribution=(0, 0, 0, 5, 0), change=None, trend="▆")


def test_results_read_naturally_in_dutch_with_decimal_commas_and_reversed_scales_marked() -> None:
    previous = [_round(101, 6, {"overload": (1, 2, 2, 1, 0)})]  # 2.5
    summary = pulse.summarize(_round(102, 6, {"overload": (0, 0, 1, 2, 3)}), previous)  # 4.33
    text = pulse.results_text(summary, catalog=CATALOG, locale="nl", team_name="design").as_plain()
    assert text.splitlines()[0] == "Welzijnscheck van #design, vrijdag 11 december"
    assert "6 van de 10 hebben geantwoord (60%)." in text
    assert "Hoeveel last had je deze week van de stroom berichten en informatie? (lager is beter)" in text
    assert "Gemiddeld 4,3 van 5 uit 6 antwoorden, 1,8 hoger dan de vorige rondes." in text
    assert "Verloop: ▄▇" in text


def test_a_question_fewer_than_k_answered_is_held_back_with_its_reason() -> None:
    current = _round(100, 6, {"feeling": (0, 1, 1, 3, 1), "energy": (0, 0, 0, 0, 4)})  # two skipped energy
    summary = pulse.summarize(current, k=5)
    assert isinstance(summary, RoundSummary)
    assert summary.questions[1] == QuestionWithheld(question_id="energy", n=4, k=5)
    assert summary.result("energy") is None
    text = pulse.results_text(summary, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert "Not shown: 4 people answered this question, and a question shows from 5 answers" in text
    assert "5.0" not in text and "0 · 0 · 0 · 0 · 4" not in text


def test_comments_show_only_when_k_people_wrote_one_in_the_order_given_as_their_own_words() -> None:
    few = _round(100, 8, {"feeling": (0, 0, 2, 4, 2)}, ["Too many meetings", "", "  ", "a", "b", "c"])
    summary = pulse.summarize(few, k=5)
    assert isinstance(summary, RoundSummary) and summary.comments == () and summary.comments_held
    text = pulse.results_text(summary, catalog=CATALOG, locale="en", team_name="design")
    assert "Too many meetings" not in text.as_plain()
    assert "Comments are not shown: they show only when at least 5 people write one" in text.as_plain()
    dutch = pulse.results_text(summary, catalog=CATALOG, locale="nl", team_name="design").as_plain()
    assert "Opmerkingen worden niet getoond: dat gebeurt pas als minstens 5 mensen er een schrijven" in dutch

    enough = _round(101, 8, {"feeling": (0, 0, 2, 4, 2)}, ["c", "<!here> b", "", "a", "e", " d "])
    shown = pulse.summarize(enough, k=5)
    assert isinstance(shown, RoundSummary) and not shown.comments_held
    text = pulse.results_text(shown, catalog=CATALOG, locale="en", team_name="design")
    assert _user_words(text) == ["c", "<!here> b", "a", "e", "d"]
    assert "Comments, in random order:" in text.as_plain()


def test_k_below_three_is_refused_and_five_is_the_default() -> None:
    counts = _round(100, 4, {"feeling": (0, 0, 1, 3, 0)})
    with pytest.raises(ValueError, match="at least 3"):
        pulse.summarize(counts, (), k=2)
    assert isinstance(pulse.summarize(counts), Withheld)
    assert isinstance(pulse.summarize(counts, (), k=4), RoundSummary)
    with pytest.raises(ValueError):
        pulse.safe_breakdowns([], k=1)


def test_the_sparkline_covers_the_last_eight_rounds_that_asked_with_gaps_for_withheld_ones() -> None:
    history = [
        _round(90, 6, {"feeling": (6, 0, 0, 0, 0)}),  # 1.0: more than eight askings ago, falls off
        _round(91, 6, {"feeling": (6, 0, 0, 0, 0)}),  # 1.0: falls off too
        _round(92, 3, {"feeling": (0, 0, 0, 0, 3)}),  # withheld round: gap
        _round(93, 6, {"feeling": (0, 0, 6, 0, 0)}),  # 3.0 ▅
        _round(94, 6, {"energy": (0, 0, 6, 0, 0)}),  # did not ask feeling: not a point of its trend
        _round(95, 6, {"feeling": (0, 0, 0, 0, 6)}),  # 5.0 █
        _round(96, 9, {"feeling": (0, 0, 0, 0, 4)}),  # round shown, but only 4 answered feeling: gap
        _round(97, 6, {"feeling": (0, 0, 0, 6, 0)}),  # 4.0 ▆
        _round(98, 6, {"feeling": (0, 6, 0, 0, 0)}),  # 2.0 ▃
        _round(99, 6, {"feeling": (0, 0, 0, 6, 0)}),  # 4.0 ▆
    ]
    summary = pulse.summarize(_round(100, 6, {"feeling": (0, 0, 0, 0, 6)}), history)
    assert isinstance(summary, RoundSummary)
    result = summary.result("feeling")
    assert result is not None and result.trend == "·▅█·▆▃▆█" and len(result.trend) == pulse.TREND_ROUNDS
    assert pulse.spark(None) == "·" and pulse.spark(1.0) == "▁" and pulse.spark(5.0) == "█"


# --- Breakdowns and differencing -----------------------------------------------------------------------------


def test_two_overlapping_periods_cannot_reveal_a_round_smaller_than_k() -> None:
    rounds = [
        _round(1, 3, {"feeling": (0, 0, 0, 0, 3)}),  # too few: withheld on its own
        _round(2, 6, {"feeling": (0, 1, 2, 3, 0)}),
        _round(3, 7, {"feeling": (0, 0, 3, 4, 0)}),
        _round(4, 6, {"feeling": (0, 0, 2, 2, 2)}),
    ]
    last_four = pulse.period_aggregate("last-4", rounds, "feeling")
    last_three = pulse.period_aggregate("last-3", rounds[1:], "feeling")
    assert last_four.by_pool()[(1, "feeling")] == 3 and sum(last_four.by_pool().values()) == 22
    # Shown together, last-4 minus last-3 would be round 1's three answers: whichever comes first, round 1 never
    # feeds a figure.
    for order in ([last_four, last_three], [last_three, last_four]):
        shown, suppressed = pulse.safe_breakdowns(order, k=5)
        assert shown == (last_three,)
        (held,) = suppressed
        assert (held.key, held.reason, held.n, held.k) == ("last-4", "pulse.breakdown.too_few", 3, 5)
    assert "rests on 3 answers, and figures show from 5" in pulse.suppression_text(CATALOG, "en", held)
    assert "rust op 3 antwoorden" in pulse.suppression_text(CATALOG, "nl", held)

    # When every round had k answers, the difference is a whole round of at least k: both may show.
    bigger = [_round(1, 5, {"feeling": (0, 0, 0, 5, 0)}), *rounds[1:]]
    shown, suppressed = pulse.safe_breakdowns([pulse.period_aggregate("last-4", bigger, "feeling"),
                                               pulse.period_aggregate("last-3", bigger[1:], "feeling")])
    assert len(shown) == 2 and suppressed == ()


def test_a_figure_differing_from_a_shown_one_by_fewer_than_k_answers_is_suppressed() -> None:
    at_close = Aggregate(key="round-12", counts=(((12, "feeling"), 6),))
    later = Aggregate(key="round-12-now", counts=(((12, "feeling"), 7),))  # one late answer more
    whole = Aggregate(key="team", counts=(((12, "energy"), 10),))
    part = Aggregate(key="office", counts=(((12, "energy"), 7),))  # team minus office: 3 people
    half = Aggregate(key="half", counts=(((12, "energy"), 5),))  # team minus half: 5 people, enough
    shown, suppressed = pulse.safe_breakdowns([at_close, later, whole, part, half], k=5)
    assert [a.key for a in shown] == ["round-12", "team", "half"]
    assert [(s.key, s.reason, s.n, s.other) for s in suppressed] == [
        ("round-12-now", "pulse.breakdown.difference", 1, "round-12"),
        ("office", "pulse.breakdown.difference", 3, "team"),
    ]
    text = pulse.suppression_text(CATALOG, "en", suppressed[0], other_label="at closing time")
    assert text == ("Not shown: it differs from “at closing time” by 1 answers, and subtracting the two would show "
                    "what fewer than 5 people answered.")


def test_no_two_shown_breakdowns_ever_differ_by_a_group_smaller_than_k() -> None:
    rng = random.Random(5)
    pools = [(occurrence, qid) for occurrence in range(1, 5) for qid in ("feeling", "energy")]
    for _ in range(200):
        candidates = [
            Aggregate(key=f"c{i}", counts=tuple((pool, rng.choice([0, 0, 2, 4, 5, 6, 7, 9, 11]))
                                                for pool in rng.sample(pools, rng.randint(1, 4))))
            for i in range(rng.randint(2, 8))
        ]
        k = rng.choice([3, 5, 6])
        shown, suppressed = pulse.safe_breakdowns(candidates, k=k)
        assert len(shown) + len(suppressed) == len(candidates)
        for figure in shown:
            assert all(n >= k for n in figure.by_pool().values()) and figure.by_pool()
        for a in shown:
            for b in shown:
                for pool in a.by_pool().keys() | b.by_pool().keys():
                    gap = abs(a.by_pool().get(pool, 0) - b.by_pool().get(pool, 0))
                    assert gap == 0 or gap >= k


# --- Signals for managers ------------------------------------------------------------------------------------


def _summaries(*rounds: RoundCounts) -> list[RoundSummary | Withheld]:
    return [pulse.summarize(rnd, rounds[:index]) for index, rnd in enumerate(rounds)]


STEADY = (
    _round(1, 10, {"feeling": (0, 0, 2, 6, 2)}),  # 4.0
    _round(2, 10, {"feeling": (0, 0, 1, 7, 2)}),  # 4.1
    _round(3, 10, {"feeling": (0, 0, 2, 6, 2)}),  # 4.0
    _round(4, 10, {"feeling": (0, 0, 1, 7, 2)}),  # 4.1
)


def test_a_real_drop_fires_a_signal_with_suggestions_from_the_research() -> None:
    recent = _summaries(*STEADY)
    current = pulse.summarize(_round(5, 10, {"feeling": (0, 2, 3, 5, 0)}), STEADY)  # 3.3, 20% low
    found = pulse.signal(current, recent)
    assert found is not None and found.low_shares == ()
    (drop,) = found.drops
    assert drop.question_id == "feeling"
    assert (drop.average, drop.baseline) == (pytest.approx(3.3), pytest.approx(4.05))
    assert found.tips[0] == "pulse.tip.checkins" and "pulse.tip.social" in found.tips
    text = pulse.signal_text(found, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert "for managers only" in text
    assert "“How are you feeling this week?”: 3.3 this round, against 4.0 on average in the rounds before." in text
    assert "1-on-1" in text and "how are you really?" in text and "borrel" in text
    assert "don't try to find out who answered what" in text
    dutch = pulse.signal_text(found, catalog=CATALOG, locale="nl", team_name="design").as_plain()
    assert "alleen voor managers" in dutch and "hoe gaat het nu echt met je?" in dutch and "3,3 deze ronde" in dutch


def test_noise_within_the_teams_normal_variation_or_below_half_a_point_stays_silent() -> None:
    noisy = (
        _round(1, 10, {"feeling": (0, 0, 1, 4, 5)}),  # 4.4
        _round(2, 10, {"feeling": (0, 1, 5, 3, 1)}),  # 3.4
        _round(3, 10, {"feeling": (0, 0, 1, 4, 5)}),  # 4.4
        _round(4, 10, {"feeling": (0, 1, 5, 3, 1)}),  # 3.4
    )
    dip = _round(5, 10, {"feeling": (0, 2, 3, 5, 0)})  # 3.3: 0.6 below the mean, within 1.5 standard deviations
    assert pulse.signal(pulse.summarize(dip, noisy), _summaries(*noisy)) is None
    small = _round(5, 10, {"feeling": (0, 1, 3, 5, 1)})  # 3.6: 0.45 below a steady team
    assert pulse.signal(pulse.summarize(small, STEADY), _summaries(*STEADY)) is None
    # A stricter setting makes the same dip count.
    assert pulse.signal(pulse.summarize(small, STEADY), _summaries(*STEADY), SignalThresholds(drop=0.4)) is not None


def test_only_the_last_four_shown_rounds_are_the_baseline() -> None:
    rounds = (
        _round(1, 10, {"feeling": (0, 0, 0, 0, 10)}),  # 5.0, long ago
        _round(2, 10, {"feeling": (0, 0, 0, 0, 10)}),
        _round(3, 10, {"feeling": (0, 0, 5, 5, 0)}),  # 3.5
        _round(4, 10, {"feeling": (0, 0, 5, 5, 0)}),
        _round(5, 4, {"feeling": (4, 0, 0, 0, 0)}),  # withheld: not part of any baseline
        _round(6, 10, {"feeling": (0, 0, 5, 5, 0)}),
        _round(7, 10, {"feeling": (0, 0, 5, 5, 0)}),
    )
    current = pulse.summarize(_round(8, 10, {"feeling": (0, 1, 4, 5, 0)}), rounds)  # 3.4
    assert pulse.signal(current, _summaries(*rounds)) is None


def test_no_signal_from_fewer_than_k_answers_however_bad_they_look() -> None:
    withheld = pulse.summarize(_round(5, 4, {"feeling": (4, 0, 0, 0, 0)}), STEADY)
    assert isinstance(withheld, Withheld)
    assert pulse.signal(withheld, _summaries(*STEADY)) is None
    skipped = pulse.summarize(_round(5, 10, {"feeling": (0, 0, 2, 6, 2), "energy": (4, 0, 0, 0, 0)}), STEADY)
    assert pulse.signal(skipped, _summaries(*STEADY)) is None


def test_a_high_share_of_hard_answers_fires_even_without_history_on_either_kind_of_scale() -> None:
    low = pulse.signal(pulse.summarize(_round(1, 5, {"feeling": (1, 1, 0, 2, 1)})))  # 2 of 5 at 1-2
    assert low is not None and low.low_shares[0].share == pytest.approx(0.4) and low.drops == ()
    assert pulse.signal(pulse.summarize(_round(1, 5, {"feeling": (1, 0, 1, 2, 1)}))) is None  # 1 of 5
    # Overload is reversed: its hard end is 4-5, and a rising average is the drop.
    calm = (_round(1, 6, {"overload": (2, 3, 1, 0, 0)}), _round(2, 6, {"overload": (2, 3, 1, 0, 0)}))
    overloaded = pulse.signal(pulse.summarize(_round(3, 6, {"overload": (0, 1, 2, 2, 1)}), calm), _summaries(*calm))
    assert overloaded is not None and overloaded.drops[0].question_id == "overload"
    assert overloaded.low_shares[0].share == pytest.approx(0.5)
    assert "pulse.tip.quiet" in overloaded.tips
    text = pulse.signal_text(overloaded, catalog=CATALOG, locale="en", team_name="design").as_plain()
    assert "(lower is better)" in text and "50% of the answers were a 4 or 5." in text
    assert "no-meeting window" in text
    assert pulse.signal(pulse.summarize(_round(1, 6, {"overload": (3, 2, 0, 0, 1)}))) is None


# --- Help ----------------------------------------------------------------------------------------------------


def test_pulse_help_shows_the_commands_in_both_languages() -> None:
    english, dutch = CATALOG.text("en", "help.pulse"), CATALOG.text("nl", "help.pulse")
    for text in (english, dutch):
        assert "`/ritme pulse create [weekly|biweekly] [on] fri [at] 14:00 [questions 2] [pin workload] [k 5] " \
               "[to managers] [open 3d] [remind off]`" in text
        assert "`/ritme pulse questions`" in text
        # Only what the parser takes: a command in the help that answers "unknown" would teach people to distrust it.
        assert "results" not in text
    assert "never below 3" in english and "nooit minder dan 3" in dutch
