"""The reports' pure logic: pulse trends under the k rules, blockers as the digest marks them, weeks, filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rituals.catalog import Catalog
from rituals.model import QuestionCounts, Ritual, RitualKind, RoundCounts, StandupSettings
from rituals.pulse import period_aggregate, safe_breakdowns
from rituals.reports import (
    FilterError,
    StandupFilter,
    StoredAnswer,
    StoredStandup,
    TrendGap,
    TrendPoint,
    Turnout,
    by_week,
    matches,
    pulse_trends,
    standup_day,
)

K = 5


def rnd(occurrence_id: int, day: date, responded: int, **questions: tuple[int, int, int, int, int]) -> RoundCounts:
    return RoundCounts(occurrence_id=occurrence_id, local_date=day, prompted=max(8, responded),
                       responded=responded,
                       questions=tuple(QuestionCounts(question_id=q, counts=c) for q, c in questions.items()),
                       comments=())


def test_k_minus_one_answers_show_only_the_reason_and_k_answers_show_the_average() -> None:
    four = rnd(1, date(2026, 11, 6), 4, feeling=(0, 0, 1, 2, 1))
    five = rnd(2, date(2026, 11, 13), 5, feeling=(0, 0, 1, 2, 2))
    [trend] = pulse_trends(7, [five, four], K).questions  # given newest first: sorted by date
    gap, point = trend.rounds
    assert isinstance(gap, TrendGap) and gap.label == date(2026, 11, 6)
    assert gap.reason == "pulse.withheld.too_few" and (gap.responded, gap.k) == (4, K)
    assert not any(isinstance(value, float) for value in vars(gap).values())
    for locale in ("en", "nl"):
        assert "4" in gap.text(Catalog(), locale) and "5" in gap.text(Catalog(), locale)
    assert isinstance(point, TrendPoint) and point.average == pytest.approx(4.2) and point.n == 5


def test_a_team_smaller_than_k_is_told_so() -> None:
    small = RoundCounts(occurrence_id=1, local_date=date(2026, 11, 6), prompted=4, responded=4,
                        questions=(QuestionCounts(question_id="feeling", counts=(0, 1, 1, 1, 1)),), comments=())
    [trend] = pulse_trends(7, [small], K).questions
    [gap] = trend.rounds
    assert isinstance(gap, TrendGap) and gap.reason == "pulse.withheld.team_too_small"
    [month] = trend.months
    assert isinstance(month, TrendGap) and month.reason == "pulse.breakdown.too_few" and month.n == 4


def test_a_question_few_answered_is_a_gap_though_its_round_shows() -> None:
    both = rnd(1, date(2026, 11, 6), 6, feeling=(0, 0, 2, 2, 2), workload=(0, 1, 2, 1, 0))
    feeling, workload = pulse_trends(7, [both], K).questions
    assert isinstance(feeling.rounds[0], TrendPoint)
    assert isinstance(workload.rounds[0], TrendGap) and workload.rounds[0].reason == "pulse.question.too_few"
    assert workload.rounds[0].n == 4


def test_month_minus_round_cannot_reveal_a_withheld_round() -> None:
    # November: a round of 6 that shows and a round of 3 that does not. Had the month averaged all 9 answers,
    # month x 9 - round one x 6 would give the three withheld answers' sum: 9 * 4.0 - 6 * 4.5 = 9, all three 3s.
    shown = rnd(1, date(2026, 11, 6), 6, feeling=(0, 0, 0, 3, 3))
    thin = rnd(2, date(2026, 11, 20), 3, feeling=(0, 0, 3, 0, 0))
    [trend] = pulse_trends(7, [shown, thin], K).questions
    [month] = trend.months
    assert isinstance(month, TrendPoint)
    assert (month.average, month.n, month.rounds, month.left_out) == (4.5, 6, (1,), 1)
    # What the literal rule would say about the naive month: too few in one of its pools, suppressed.
    _, suppressed = safe_breakdowns([period_aggregate("naive", [shown, thin], "feeling")], K)
    assert [s.reason for s in suppressed] == ["pulse.breakdown.too_few"]


def _pools(rounds: Sequence[RoundCounts], question_id: str, ids: Sequence[int]) -> dict[int, int]:
    by_id = {r.occurrence_id: r for r in rounds}
    found = {}
    for occurrence_id in ids:
        counts = next(q.counts for q in by_id[occurrence_id].questions if q.question_id == question_id)
        found[occurrence_id] = sum(counts)
    return found


scores = st.tuples(*(st.integers(0, 3) for _ in range(5)))


@st.composite
def histories(draw: st.DrawFn) -> list[RoundCounts]:
    count = draw(st.integers(1, 10))
    start = date(2026, 1, 2)
    rounds = []
    for n in range(count):
        feeling = draw(scores)
        workload = draw(scores)
        responded = max(sum(feeling), sum(workload)) + draw(st.integers(0, 2))
        rounds.append(rnd(n + 1, start + timedelta(days=draw(st.integers(7, 20)) * n), responded, feeling=feeling,
                          workload=workload))
    return rounds


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(3, 6))
def test_no_two_figures_that_show_can_be_subtracted_to_expose_fewer_than_k(
    rounds: list[RoundCounts], k: int
) -> None:
    """Per round and per month, overlapping or not: every shown figure rests on pools of at least k answers, and
    any two shown figures differ per pool by nothing or by at least k answers."""
    for trend in pulse_trends(7, rounds, k).questions:
        shown = [p for p in (*trend.rounds, *trend.months) if isinstance(p, TrendPoint)]
        pools = [_pools(rounds, trend.question_id, p.rounds) for p in shown]
        for figure, pool in zip(shown, pools, strict=True):
            assert pool and all(n >= k for n in pool.values())
            assert figure.n == sum(pool.values())
        for a in pools:
            for b in pools:
                for pool in a.keys() | b.keys():
                    gap = abs(a.get(pool, 0) - b.get(pool, 0))
                    assert gap == 0 or gap >= k
        # A round shows exactly when the pulse's own summary would show it.
        for point, r in zip(trend.rounds, [r for r in sorted(rounds, key=lambda r: r.local_date)
                                            if any(q.question_id == trend.question_id for q in r.questions)],
                            strict=True):
            n = sum(next(q.counts for q in r.questions if q.question_id == trend.question_id))
            assert isinstance(point, TrendPoint) == (r.responded >= k and n >= k)


def _ritual(questions: tuple[str, ...] = ()) -> Ritual:
    return Ritual(id=3, team_id=1, kind=RitualKind.STANDUP, at=time(9, 30), days=(0,), timezone="Europe/Amsterdam",
                  locale="en", paused=False, settings=StandupSettings(digest_at=time(11), questions=questions),
                  created_by=1)


def test_blockers_follow_the_custom_question_that_asks_about_them() -> None:
    ritual = _ritual(("What's new?", "Are you stuck on anything?"))
    stored = StoredStandup(occurrence_id=9, ritual=ritual, local_date=date(2026, 11, 2), prompted=3, answers=(
        StoredAnswer(member_id=2, display_name="ben", values=("Deploys", "no, all good"), late=False),
        StoredAnswer(member_id=1, display_name="Anna", values=("Docs", "Need a review from security"), late=True),
        StoredAnswer(member_id=3, display_name="Chitra", values=("", ""), late=False),
    ))
    day = standup_day(stored, search="", catalog=Catalog(), locale="nl")
    assert [m.display_name for m in day.members] == ["Anna", "ben", "Chitra"]
    assert [[line.blocker for line in m.lines] for m in day.members] == [[False, True], [False, False], []]
    assert day.members[0].late and day.blockers == 1 and day.answered == 3
    assert day.members[0].lines[1].question == "Are you stuck on anything?"  # typed questions stay as written


def test_search_matches_any_answer_ignoring_case() -> None:
    assert matches(("Fixed the ÉCOLE page",), "école")
    assert matches(("x",), "   ")
    assert not matches(("staging",), "prod")


def test_weeks_sum_each_kind_per_iso_week_across_a_year_end() -> None:
    def turnout(kind: str, day: date, prompted: int, answered: int) -> Turnout:
        return Turnout(kind=kind, occurrence_id=day.toordinal(), ritual_id=1, local_date=day, prompted=prompted,
                       answered=answered)

    weeks = by_week([
        turnout("standup", date(2026, 12, 31), 4, 3),
        turnout("standup", date(2027, 1, 1), 4, 1),
        turnout("pulse", date(2027, 1, 1), 6, 5),
        turnout("standup", date(2027, 1, 4), 0, 0),
    ])
    assert [(w.kind, w.monday, w.week, w.occurrences, w.prompted, w.answered) for w in weeks] == [
        ("pulse", date(2026, 12, 28), 53, 1, 6, 5),
        ("standup", date(2026, 12, 28), 53, 2, 8, 4),
        ("standup", date(2027, 1, 4), 1, 1, 0, 0),
    ]
    assert weeks[1].rate == 0.5 and weeks[2].rate is None


def test_the_oldest_month_of_a_window_is_a_whole_month() -> None:
    fridays = [date(2026, 10, 23) + timedelta(weeks=n) for n in range(6)]
    history = [rnd(n + 1, day, 6, feeling=(0, 0, 2, 2, 2)) for n, day in enumerate(fridays)]
    [trend] = pulse_trends(7, history, K, window=3).questions
    assert [p.label for p in trend.rounds] == fridays[-3:]
    [november] = trend.months
    assert isinstance(november, TrendPoint) and november.label == date(2026, 11, 1)
    assert november.rounds == (3, 4, 5, 6) and november.n == 24


@pytest.mark.parametrize(
    ("kwargs", "key", "named"),
    [
        ({"since": date(2026, 12, 1), "until": date(2026, 11, 1)}, "chart.filter.range", "2026-12-01"),
        ({"search": "x" * 201}, "chart.filter.search_long", "201"),
        ({"limit": 0}, "chart.filter.page", "100"),
        ({"limit": 101}, "chart.filter.page", "100"),
        ({"offset": -1}, "chart.filter.page", "100"),
    ],
)
def test_a_filter_no_page_could_show_is_refused_naming_the_problem(kwargs: dict[str, object], key: str,
                                                                    named: str) -> None:
    with pytest.raises(FilterError) as refused:
        StandupFilter(**kwargs)  # type: ignore[arg-type]
    assert refused.value.key == key
    english, dutch = (refused.value.text(Catalog(), locale) for locale in ("en", "nl"))
    assert english != dutch and named in english and named in dutch
    assert "for example" in english and "bijvoorbeeld" in dutch
