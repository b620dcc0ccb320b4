"""The wellbeing pulse: its question bank, rotation, k-anonymous results, breakdown checks, signals and texts.

Anonymity is by construction: everything here works from a round's totals (RoundCounts), never from one
person's answers, and nothing is shown about fewer than k people, on its own or by subtracting two figures.
The research behind Ritme: managers at a distance lose sight of how people are doing, and people only say how
they are when it is safe to; regular check-ins help. So the pulse gives the team a signal without exposing anyone.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rituals.catalog import Catalog
from rituals.model import (
    PULSE_DEFAULT_K,
    PULSE_MAX_QUESTIONS,
    PULSE_MIN_K,
    Member,
    QuestionCounts,
    Ritual,
    RoundCounts,
)
from rituals.outbound import Button, Choice, Field, Form, Line, MemberAddress, Prompt, Span, Text
from rituals.schedule import local_date, local_time
from rituals.text_safety import code_point, first_invisible

SCALE = (1, 2, 3, 4, 5)
MIN_K = PULSE_MIN_K  # with two, either person reads the other's answer off the average: never
DEFAULT_K = PULSE_DEFAULT_K
MAX_QUESTIONS_PER_ROUND = PULSE_MAX_QUESTIONS  # the issue asks one to three: a pulse people answer is a short one
TREND_ROUNDS = 8
BASELINE_ROUNDS = 4
MAX_COMMENT_LENGTH = 1000
SPARK = "▁▂▃▄▅▆▇█"
GAP = "·"
TALK_ACTION = "pulse:talk"
TALK_CONFIRM_ACTION = "pulse:talk_confirm"
CHECKINS_TIP = "pulse.tip.checkins"


@dataclass(frozen=True)
class Question:
    """A question of the bank; its id is stable (stored with every round), its words live in the catalog."""

    id: str
    higher_is_better: bool
    tips: tuple[str, ...]  # the research's suggestions that fit a drop here, most relevant first

    def text(self, catalog: Catalog, locale: str) -> str:
        """The question in `locale`."""
        return catalog.text(locale, f"pulse.q.{self.id}")

    def note(self, catalog: Catalog, locale: str) -> str:
        """The "(lower is better)" note of a reversed scale, so nobody reads a rising average as good news."""
        return "" if self.higher_is_better else catalog.text(locale, "pulse.lower_better")

    def goodness(self, average: float) -> float:
        """An average on a "higher is better" basis, so drops read the same way on every question."""
        return average if self.higher_is_better else SCALE[-1] + SCALE[0] - average

    def difficult(self, distribution: Sequence[int]) -> int:
        """How many answers sit at the hard end of the scale: 1-2, or 4-5 where higher means worse."""
        return sum(distribution[:2]) if self.higher_is_better else sum(distribution[-2:])


BANK: tuple[Question, ...] = (
    Question("feeling", True, ("pulse.tip.social",)),
    Question("workload", True, ("pulse.tip.workload", "pulse.tip.quiet")),
    Question("connected", True, ("pulse.tip.social",)),
    Question("switch_off", True, ("pulse.tip.after_hours", "pulse.tip.workload")),
    # One in three home workers suffers information overload; here a high score means it bothered them a lot.
    Question("overload", False, ("pulse.tip.quiet", "pulse.tip.after_hours")),
    Question("focus", True, ("pulse.tip.quiet",)),
    Question("support", True, ()),
    Question("energy", True, ("pulse.tip.workload", "pulse.tip.social")),
)
QUESTIONS: Mapping[str, Question] = {question.id: question for question in BANK}
BANK_IDS: tuple[str, ...] = tuple(QUESTIONS)


def check_k(k: int) -> int:
    """`k` itself when it is an allowed threshold; a ValueError below MIN_K."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}, so no figure ever rests on one or two people; got {k}")
    return k


# --- What a member gets -------------------------------------------------------------------------------------


def choices(catalog: Catalog, locale: str, question_id: str) -> tuple[Choice, ...]:
    """The five points of a question's scale: the ends carry their words ("1 – very bad"), the middle just a number."""
    low = catalog.text(locale, f"pulse.q.{question_id}.low")
    high = catalog.text(locale, f"pulse.q.{question_id}.high")
    labels = {SCALE[0]: f"{SCALE[0]} – {low}", SCALE[-1]: f"{SCALE[-1]} – {high}"}
    return tuple(Choice(value=str(point), label=labels.get(point, str(point))) for point in SCALE)


def form_key(delivery_id: int) -> str:
    """The key of a delivery's pulse form, so the confirmation replaces it."""
    return f"pulse-form:{delivery_id}"


def talk_key(delivery_id: int) -> str:
    """The key of a delivery's talk message, so the explanation and the confirmation replace it."""
    return f"pulse-talk:{delivery_id}"


def results_key(occurrence_id: int) -> str:
    """The key of a round's results post."""
    return f"pulse-results:{occurrence_id}"


def deadline_text(catalog: Catalog, member: Member, deadline: datetime) -> str:
    """When a round closes, as a date and time in the member's own zone and language."""
    day = catalog.date(member.locale, local_date(deadline, member.timezone))
    return catalog.text(member.locale, "moment", date=day, time=catalog.time(local_time(deadline, member.timezone)))


def prompt_form(
    *,
    catalog: Catalog,
    member: Member,
    address: MemberAddress,
    team_name: str,
    delivery_id: int,
    question_ids: Sequence[str],
    deadline: datetime,
    k: int = DEFAULT_K,
) -> Form:
    """The anonymous form: one 1-5 choice per question (each may be skipped), then an optional comment."""
    locale = member.locale
    intro = catalog.text(locale, "pulse.prompt", team=team_name, deadline=deadline_text(catalog, member, deadline),
                         k=check_k(k))
    fields = [
        Field(label=QUESTIONS[qid].text(catalog, locale), choices=choices(catalog, locale, qid), multiline=False)
        for qid in question_ids
    ]
    fields.append(Field(label=catalog.text(locale, "pulse.comment", k=k)))
    return Form(
        key=form_key(delivery_id),
        to=address,
        text=Text.plain(intro),
        delivery_id=delivery_id,
        fields=tuple(fields),
        submit_label=catalog.text(locale, "pulse.submit"),
        open_label=catalog.text(locale, "pulse.open"),
    )


def close_day(ritual: Ritual, opens: date) -> date:
    """The team-local date a round that opens on `opens` closes."""
    return opens + timedelta(days=ritual.pulse.open_days)


def describe(catalog: Catalog, locale: str, ritual: Ritual) -> dict[str, Any]:
    """A pulse's settings as the words `pulse.created` and `pulse.list_item` fill in."""
    settings = ritual.pulse
    opens = ritual.days[0]
    closes = (opens + settings.open_days) % 7
    return {
        "id": ritual.id,
        "every": catalog.text(locale, f"pulse.every.{settings.every_weeks}"),
        "day": catalog.days(locale, (opens,)),
        "at": catalog.time(ritual.at),
        "close_day": catalog.days(locale, (closes,)),
        "close_at": catalog.time(settings.closes_at),
        "zone": ritual.timezone,
        "count": settings.questions_per_round,
        "k": settings.k,
        "audience": catalog.text(locale, f"pulse.audience.{settings.audience}"),
    }


def list_item(catalog: Catalog, locale: str, ritual: Ritual) -> str:
    """One pulse as `pulse list` and a manager's overview show it."""
    paused = catalog.text(locale, "standup.list_paused") if ritual.paused else ""
    return catalog.text(locale, "pulse.list_item", paused=paused, **describe(catalog, locale, ritual))


def talk_button(catalog: Catalog, locale: str, delivery_id: int) -> Button:
    """The "I'd like a chat with my manager" button: the one thing in a pulse that is not anonymous."""
    return Button(label=catalog.text(locale, "pulse.talk.button"), action=TALK_ACTION, value=str(delivery_id))


def talk_prompt(*, catalog: Catalog, locale: str, address: MemberAddress, delivery_id: int) -> Prompt:
    """The talk button in a message of its own, apart from the anonymous form and saying it is not anonymous."""
    return Prompt(
        key=talk_key(delivery_id),
        to=address,
        text=Text.plain(catalog.text(locale, "pulse.talk.prompt")),
        buttons=(talk_button(catalog, locale, delivery_id),),
    )


def prompt_messages(
    *,
    catalog: Catalog,
    member: Member,
    address: MemberAddress,
    team_name: str,
    delivery_id: int,
    question_ids: Sequence[str],
    deadline: datetime,
    k: int = DEFAULT_K,
) -> tuple[Form, Prompt]:
    """Everything a member gets for a round, in order: the anonymous form, then the separate talk message."""
    form = prompt_form(catalog=catalog, member=member, address=address, team_name=team_name,
                       delivery_id=delivery_id, question_ids=question_ids, deadline=deadline, k=k)
    return form, talk_prompt(catalog=catalog, locale=member.locale, address=address, delivery_id=delivery_id)


def _with_names(catalog: Catalog, locale: str, key: str, names: Mapping[str, str], **params: Any) -> Text:
    # People's names are their own words: they go out as user spans, so a name like "@channel" pings nobody.
    pieces = catalog.pieces(locale, key, names, **params)
    return Text((tuple(Span(text=text, user=typed) for text, typed in pieces),))


def talk_explanation(catalog: Catalog, locale: str, *, team_name: str, manager_names: Sequence[str]) -> Text:
    """What pressing "confirm" shares (the member's name and the wish to talk, no answers), or that nobody manages."""
    if not manager_names:
        return Text.plain(catalog.text(locale, "pulse.talk.no_managers", team=team_name))
    names = catalog.names(locale, list(manager_names))
    return _with_names(catalog, locale, "pulse.talk.explain", {"managers": names}, team=team_name)


def talk_confirm_button(catalog: Catalog, locale: str, delivery_id: int) -> Button:
    """The button that really sends the wish to talk."""
    return Button(label=catalog.text(locale, "pulse.talk.confirm"), action=TALK_CONFIRM_ACTION, value=str(delivery_id))


def talk_request_text(catalog: Catalog, locale: str, *, name: str, team_name: str) -> Text:
    """The private message to each manager: who would like a chat, and nothing else (no score, no answer)."""
    return _with_names(catalog, locale, "pulse.talk.request", {"name": name}, team=team_name)


def talk_sent_text(catalog: Catalog, locale: str, *, team_name: str, manager_names: Sequence[str]) -> Text:
    """The member's confirmation: who now knows, and that they got only the name."""
    names = catalog.names(locale, list(manager_names))
    return _with_names(catalog, locale, "pulse.talk.sent", {"managers": names}, team=team_name)


def saved_text(catalog: Catalog, member: Member, *, deadline: datetime, k: int = DEFAULT_K) -> Text:
    """Thanks after answering, saying the answers are kept without a name and when results come."""
    return Text.plain(catalog.text(member.locale, "pulse.saved", deadline=deadline_text(catalog, member, deadline),
                                   k=k))


def reminder_text(catalog: Catalog, member: Member, *, team_name: str, deadline: datetime) -> Text:
    """The one reminder before a round closes."""
    return Text.plain(catalog.text(member.locale, "pulse.reminder", team=team_name,
                                   deadline=deadline_text(catalog, member, deadline)))


def bank_text(catalog: Catalog, locale: str) -> Text:
    """The question bank with the ids a manager can pin."""
    lines = [catalog.text(locale, "pulse.bank.header")]
    lines.extend(
        catalog.text(locale, "pulse.bank.item", id=q.id, question=q.text(catalog, locale), note=q.note(catalog, locale))
        for q in BANK
    )
    return Text.plain("\n".join(lines))


# --- Reading an answer --------------------------------------------------------------------------------------


class AnswerRefused(Exception):
    """A pulse answer that cannot be saved; `key` and `params` pick the localized reply."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, kw_only=True)
class PulseAnswer:
    """What one submission adds to a round: scores per question answered, and a comment; never who gave them."""

    scores: tuple[tuple[str, int], ...]
    comment: str


def read_answer(question_ids: Sequence[str], values: Sequence[str]) -> PulseAnswer:
    """A submitted form's values (one per question, then the comment) as scores; AnswerRefused when malformed."""
    expected = len(question_ids) + 1
    if len(values) != expected:
        raise AnswerRefused("error.answer_count", count=len(values), expected=expected)
    *points, comment = (value.strip() for value in values)
    scores: list[tuple[str, int]] = []
    for qid, point in zip(question_ids, points, strict=True):
        if not point:
            continue  # skipping a question is allowed: nobody has to answer what they'd rather not
        if point not in {str(p) for p in SCALE}:
            raise AnswerRefused("error.pulse_value", value=point[:20])
        scores.append((qid, int(point)))
    if len(comment) > MAX_COMMENT_LENGTH:
        raise AnswerRefused("error.answer_long", length=len(comment), limit=MAX_COMMENT_LENGTH)
    invisible = first_invisible(comment, multiline=True)
    if invisible is not None:
        raise AnswerRefused("error.answer_invisible", code=code_point(invisible))
    if not scores and not comment:
        raise AnswerRefused("error.pulse_empty")
    return PulseAnswer(scores=tuple(scores), comment=comment)


# --- Rotation -----------------------------------------------------------------------------------------------


def _tiebreak(seed: int | str, question_id: str) -> bytes:
    # A hash rather than random.Random: the same seed picks the same questions on every Python and every replica.
    return hashlib.sha256(f"{seed}:{question_id}".encode()).digest()


def pick_questions(
    bank_ids: Sequence[str],
    *,
    pinned: Sequence[str] = (),
    recent_rounds: Sequence[Sequence[str]] = (),
    count: int,
    seed: int | str,
) -> tuple[str, ...]:
    """A round's questions: the pinned ones, then those asked least recently (`recent_rounds` oldest first).

    Remaining ties (never asked, or asked in the very same rounds) are broken by `seed`, deterministically, so a
    retried fan-out asks the same questions. Over a few rounds every question of the bank comes up.
    """
    if not 1 <= count <= MAX_QUESTIONS_PER_ROUND:
        raise ValueError(f"a round asks 1 to {MAX_QUESTIONS_PER_ROUND} questions; got count={count}")
    unknown = [qid for qid in pinned if qid not in bank_ids]
    if unknown:
        raise ValueError(f"pinned questions not in the bank: {unknown}")
    chosen = list(dict.fromkeys(pinned))[:count]
    # Each question's askings, newest first: compared as tuples, the least recently asked sorts first, and among
    # questions last asked together, the one asked longer ago before that. So the order becomes a steady queue and
    # no question gets lucky round after round.
    askings: dict[str, list[int]] = {qid: [] for qid in bank_ids}
    for index, asked in enumerate(recent_rounds):
        for qid in asked:
            if qid in askings:
                askings[qid].insert(0, index)
    rest = sorted((qid for qid in bank_ids if qid not in chosen),
                  key=lambda q: (tuple(askings[q]), _tiebreak(seed, q)))
    picked = set(rest[: count - len(chosen)])
    # Pinned first, then the bank's own order, so the form reads the same way round after round.
    return (*chosen, *(qid for qid in bank_ids if qid in picked))


# --- Results ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class QuestionResult:
    """One question of a round, shown: it had at least k answers."""

    question_id: str
    n: int
    average: float
    distribution: tuple[int, int, int, int, int]
    change: float | None  # against the mean of up to BASELINE_ROUNDS earlier shown rounds; None for a first
    trend: str  # a sparkline over the last TREND_ROUNDS rounds that asked it, oldest first


@dataclass(frozen=True, kw_only=True)
class QuestionWithheld:
    """One question of a round that fewer than k people answered: only that it is held back, and why."""

    question_id: str
    n: int
    k: int
    reason: str = "pulse.question.too_few"


@dataclass(frozen=True, kw_only=True)
class RoundSummary:
    """A round's results, every figure resting on at least k answers."""

    occurrence_id: int
    local_date: date
    prompted: int
    responded: int
    k: int
    questions: tuple[QuestionResult | QuestionWithheld, ...]
    comments: tuple[str, ...]  # empty when held back
    comments_held: bool

    @property
    def response_rate(self) -> float:
        """The share of people prompted who answered, 0 to 1."""
        return self.responded / self.prompted if self.prompted else 0.0

    def result(self, question_id: str) -> QuestionResult | None:
        """The shown result of one question, or None when it was not asked or held back."""
        for item in self.questions:
            if isinstance(item, QuestionResult) and item.question_id == question_id:
                return item
        return None


@dataclass(frozen=True, kw_only=True)
class Withheld:
    """A round with fewer than k answers: nothing of it shows but how many answered, and why."""

    occurrence_id: int
    local_date: date
    prompted: int
    responded: int
    k: int
    reason: str


def _average(counts: Sequence[int]) -> float:
    return sum(point * count for point, count in zip(SCALE, counts, strict=True)) / sum(counts)


def _counts(rnd: RoundCounts, question_id: str) -> QuestionCounts | None:
    return next((q for q in rnd.questions if q.question_id == question_id), None)


def _shown_average(rnd: RoundCounts, question_id: str, k: int) -> float | None:
    """A round's average for a question when that round showed it (k answers in the round and to the question)."""
    counts = _counts(rnd, question_id)
    if counts is None or rnd.responded < k or sum(counts.counts) < k:
        return None
    return _average(counts.counts)


def spark(average: float | None) -> str:
    """One sparkline character on the fixed 1-5 scale, or the gap for a round that showed nothing."""
    if average is None:
        return GAP
    # A fixed scale, not the range of the data: stretching 3.9-4.1 to full height would make noise look like news.
    step = (average - SCALE[0]) / (SCALE[-1] - SCALE[0]) * (len(SPARK) - 1)
    return SPARK[max(0, min(len(SPARK) - 1, round(step)))]


def summarize(
    current: RoundCounts, previous: Sequence[RoundCounts] = (), k: int = DEFAULT_K
) -> RoundSummary | Withheld:
    """A round's results when at least k answered, else Withheld; `previous` are earlier rounds, oldest first."""
    check_k(k)
    if current.responded < k:
        reason = "pulse.withheld.team_too_small" if current.prompted < k else "pulse.withheld.too_few"
        return Withheld(occurrence_id=current.occurrence_id, local_date=current.local_date, prompted=current.prompted,
                        responded=current.responded, k=k, reason=reason)
    items: list[QuestionResult | QuestionWithheld] = []
    for counts in current.questions:
        n = sum(counts.counts)
        qid = counts.question_id
        if n < k:
            # Members may skip a question; a question few answered would show those few.
            items.append(QuestionWithheld(question_id=qid, n=n, k=k))
            continue
        average = _average(counts.counts)
        asked_before = [rnd for rnd in previous if _counts(rnd, qid) is not None]
        earlier = [a for a in (_shown_average(rnd, qid, k) for rnd in asked_before) if a is not None]
        baseline = earlier[-BASELINE_ROUNDS:]
        change = average - statistics.fmean(baseline) if baseline else None
        trend = "".join(spark(_shown_average(rnd, qid, k)) for rnd in asked_before[-(TREND_ROUNDS - 1):])
        items.append(QuestionResult(question_id=qid, n=n, average=average, distribution=counts.counts,
                                    change=change, trend=trend + spark(average)))
    # Few comments would be few voices, recognisable by their words: they show only when k people wrote one.
    written = tuple(comment.strip() for comment in current.comments if comment.strip())
    shown = len(written) >= k
    return RoundSummary(occurrence_id=current.occurrence_id, local_date=current.local_date,
                        prompted=current.prompted, responded=current.responded, k=k, questions=tuple(items),
                        comments=written if shown else (), comments_held=not shown)


# --- Breakdowns and differencing ----------------------------------------------------------------------------

Pool = tuple[int, str]  # (occurrence id, question id): the answers one round gave to one question


@dataclass(frozen=True, kw_only=True)
class Aggregate:
    """A figure a view would like to show, described by how many answers it takes from each pool."""

    key: str
    counts: tuple[tuple[Pool, int], ...]

    def by_pool(self) -> dict[Pool, int]:
        """Answers per pool, leaving out pools it takes nothing from."""
        return {pool: n for pool, n in self.counts if n}


@dataclass(frozen=True, kw_only=True)
class Suppression:
    """A figure that must not show, with the catalog key saying why, the group size it would expose, and k."""

    key: str
    reason: str
    n: int
    k: int
    other: str = ""  # the shown figure it would be subtracted from, for "pulse.breakdown.difference"


def period_aggregate(key: str, rounds: Sequence[RoundCounts], question_id: str) -> Aggregate:
    """The figure "this question over these rounds": every answer each round gave to it."""
    counts = tuple(
        ((rnd.occurrence_id, question_id), sum(qc.counts)) for rnd in rounds if (qc := _counts(rnd, question_id))
    )
    return Aggregate(key=key, counts=counts)


def safe_breakdowns(
    candidates: Sequence[Aggregate], k: int = DEFAULT_K
) -> tuple[tuple[Aggregate, ...], tuple[Suppression, ...]]:
    """Which candidate figures may show together, earlier candidates first; the rest with the reason why.

    The rule, for any view that shows several figures (a dashboard, by period or by question):
    1. Every pool a figure draws on holds at least k answers. Pools, not totals: the same person answers round
       after round, so "8 answers over 4 rounds" may be two people; only one round's count is sure to be people.
       A round that was withheld (or a question fewer than k answered) therefore never feeds a bigger figure.
    2. Any two shown figures differ, in every pool, by nothing or by at least k answers. Subtracting "last 4
       rounds" from "last 3", or a round counted at close from the same round counted later, or a subgroup from
       its whole, leaves exactly that difference; fewer than k answers there would be few people exposed.
    Within one pool, of two figures the smaller is assumed to be part of the larger (a later count, a subgroup).
    """
    check_k(k)
    shown: list[Aggregate] = []
    suppressed: list[Suppression] = []
    for candidate in candidates:
        pools = candidate.by_pool()
        smallest = min(pools.values(), default=0)
        if smallest < k:
            suppressed.append(Suppression(key=candidate.key, reason="pulse.breakdown.too_few", n=smallest, k=k))
            continue
        clash = _first_clash(pools, shown, k)
        if clash is not None:
            other, gap = clash
            suppressed.append(Suppression(key=candidate.key, reason="pulse.breakdown.difference", n=gap, k=k,
                                          other=other))
            continue
        shown.append(candidate)
    return tuple(shown), tuple(suppressed)


def _first_clash(pools: Mapping[Pool, int], shown: Sequence[Aggregate], k: int) -> tuple[str, int] | None:
    for other in shown:
        theirs = other.by_pool()
        gaps = [abs(pools.get(pool, 0) - theirs.get(pool, 0)) for pool in pools.keys() | theirs.keys()]
        small = [gap for gap in gaps if 0 < gap < k]
        if small:
            return other.key, min(small)
    return None


def suppression_text(catalog: Catalog, locale: str, suppression: Suppression, other_label: str = "") -> str:
    """Why a figure is not shown, in `locale`; `other_label` names the figure it would be subtracted from."""
    return catalog.text(locale, suppression.reason, n=suppression.n, k=suppression.k, other=other_label)


# --- Signals for managers -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SignalThresholds:
    """When a round is worth a private nudge to managers; sensible defaults, settings may override them."""

    drop: float = 0.5  # points below the recent rounds' mean, on a "higher is better" basis
    spread: float = 1.5  # ...and more than this many standard deviations of those rounds: beyond normal wobble
    low_share: float = 0.4  # share of answers at the hard end of the scale (1-2; 4-5 where lower is better)
    rounds: int = BASELINE_ROUNDS  # how many recent shown rounds make the baseline


@dataclass(frozen=True, kw_only=True)
class Drop:
    """A question whose average fell clearly against the team's own recent rounds."""

    question_id: str
    average: float
    baseline: float


@dataclass(frozen=True, kw_only=True)
class LowShare:
    """A question where many answers sat at the hard end of the scale."""

    question_id: str
    share: float


@dataclass(frozen=True, kw_only=True)
class Signal:
    """Why a round deserves the managers' attention, and the research's suggestions that fit (catalog keys)."""

    occurrence_id: int
    local_date: date
    drops: tuple[Drop, ...]
    low_shares: tuple[LowShare, ...]
    tips: tuple[str, ...]


def signal(
    current: RoundSummary | Withheld,
    recent: Sequence[RoundSummary | Withheld] = (),
    thresholds: SignalThresholds | None = None,
) -> Signal | None:
    """A Signal when a shown question dropped clearly or many answers were low; None otherwise.

    `recent` are earlier rounds, oldest first. Only figures that showed count: a withheld round or question
    (fewer than k answers) never fires a signal nor serves as a baseline.
    """
    limits = thresholds or SignalThresholds()
    if isinstance(current, Withheld):
        return None
    drops: list[Drop] = []
    lows: list[LowShare] = []
    for item in current.questions:
        if not isinstance(item, QuestionResult):
            continue
        question = QUESTIONS[item.question_id]
        before = [r.result(item.question_id) for r in recent if isinstance(r, RoundSummary)]
        history = [question.goodness(r.average) for r in before if r is not None][-limits.rounds:]
        if history:
            baseline = statistics.fmean(history)
            wobble = statistics.stdev(history) if len(history) > 1 else 0.0
            fall = baseline - question.goodness(item.average)
            if fall >= limits.drop and fall > limits.spread * wobble:
                # goodness() is its own inverse, so flipping the baseline back gives it on the question's scale.
                drops.append(Drop(question_id=item.question_id, average=item.average,
                                  baseline=question.goodness(baseline)))
        share = question.difficult(item.distribution) / item.n
        if share >= limits.low_share:
            lows.append(LowShare(question_id=item.question_id, share=share))
    if not drops and not lows:
        return None
    tips = [CHECKINS_TIP]  # always first: "how are you really?" in a 1-on-1 is where a manager learns more
    for qid in [drop.question_id for drop in drops] + [low.question_id for low in lows]:
        tips.extend(tip for tip in QUESTIONS[qid].tips if tip not in tips)
    return Signal(occurrence_id=current.occurrence_id, local_date=current.local_date, drops=tuple(drops),
                  low_shares=tuple(lows), tips=tuple(tips))


# --- Texts for the channel and the managers -----------------------------------------------------------------


def _percent(share: float) -> int:
    # Half up, as people round: 5 of 8 is 63%, where Python's round() would say 62.
    return int(100 * share + 0.5)


def _title(catalog: Catalog, locale: str, key: str, team_name: str, day: date) -> Line:
    return (Span(text=catalog.text(locale, key, team=team_name, date=catalog.date(locale, day)), bold=True),)


def withheld_text(withheld: Withheld, *, catalog: Catalog, locale: str, team_name: str) -> Text:
    """The post for a round with too few answers: how many answered, and why nothing shows."""
    reason = catalog.text(locale, withheld.reason, responded=withheld.responded, prompted=withheld.prompted,
                          k=withheld.k)
    return Text((_title(catalog, locale, "pulse.results.title", team_name, withheld.local_date),
                 (Span(text=reason),)))


def _change(catalog: Catalog, locale: str, change: float | None) -> str:
    if change is None:
        return ""
    delta = catalog.decimal(locale, abs(change))
    if delta == catalog.decimal(locale, 0.0):
        return catalog.text(locale, "pulse.results.same")
    return catalog.text(locale, "pulse.results.up" if change > 0 else "pulse.results.down", delta=delta)


def results_text(summary: RoundSummary | Withheld, *, catalog: Catalog, locale: str, team_name: str) -> Text:
    """The post when a round closes: response rate, then per question average, change, spread and trend."""
    if isinstance(summary, Withheld):
        return withheld_text(summary, catalog=catalog, locale=locale, team_name=team_name)
    lines: list[Line] = [
        _title(catalog, locale, "pulse.results.title", team_name, summary.local_date),
        (Span(text=catalog.text(locale, "pulse.results.rate", responded=summary.responded,
                                prompted=summary.prompted, percent=_percent(summary.response_rate))),),
    ]
    for item in summary.questions:
        question = QUESTIONS[item.question_id]
        lines.append((Span(text=question.text(catalog, locale) + question.note(catalog, locale), bold=True),))
        if isinstance(item, QuestionWithheld):
            lines.append((Span(text=catalog.text(locale, item.reason, n=item.n, k=item.k)),))
            continue
        lines.append((Span(text=catalog.text(
            locale,
            "pulse.results.question",
            average=catalog.decimal(locale, item.average),
            n=item.n,
            change=_change(catalog, locale, item.change),
            distribution=" · ".join(str(count) for count in item.distribution),
            trend=item.trend,
        )),))
    if any(isinstance(item, QuestionResult) for item in summary.questions):
        lines.append((Span(text=catalog.text(locale, "pulse.results.legend")),))
    if summary.comments_held:
        lines.append((Span(text=catalog.text(locale, "pulse.comments.held", k=summary.k)),))
    else:
        lines.append((Span(text=catalog.text(locale, "pulse.comments.title"), bold=True),))
        # Members' own words: user spans, escaped and defused by every renderer.
        lines.extend((Span(text="• "), Span(text=comment, user=True)) for comment in summary.comments)
    return Text(tuple(lines))


def signal_text(found: Signal, *, catalog: Catalog, locale: str, team_name: str) -> Text:
    """The managers' private nudge: what stood out, concrete suggestions, and a word on respecting anonymity."""
    lines: list[Line] = [_title(catalog, locale, "pulse.signal.title", team_name, found.local_date)]
    for drop in found.drops:
        question = QUESTIONS[drop.question_id]
        lines.append((Span(text="• " + catalog.text(
            locale, "pulse.signal.drop", question=question.text(catalog, locale), note=question.note(catalog, locale),
            average=catalog.decimal(locale, drop.average), baseline=catalog.decimal(locale, drop.baseline),
        )),))
    for low in found.low_shares:
        question = QUESTIONS[low.question_id]
        ends = "pulse.signal.ends_low" if question.higher_is_better else "pulse.signal.ends_high"
        lines.append((Span(text="• " + catalog.text(
            locale, "pulse.signal.low", question=question.text(catalog, locale), note=question.note(catalog, locale),
            percent=_percent(low.share), ends=catalog.text(locale, ends),
        )),))
    lines.append((Span(text=catalog.text(locale, "pulse.signal.tips"), bold=True),))
    lines.extend((Span(text="• " + catalog.text(locale, tip)),) for tip in found.tips)
    lines.append((Span(text=catalog.text(locale, "pulse.signal.privacy")),))
    return Text(tuple(lines))
