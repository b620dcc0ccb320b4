"""The wellbeing pulse: its question bank, rotation, k-anonymous results, breakdown checks, signals and texts.

Anonymity is by construction: everything here works from a round's totals (RoundCounts), never from one
person's answers, and nothing is shown about fewer than k people, on its own or by subtracting two figures.
The research behind Ritme: managers at a distance lose sight of how people are doing, and people only say how
they are when it is safe to; regular check-ins help. So the pulse gives the team a signal without exposing anyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rituals.catalog import Catalog
from rituals.model import Member
from rituals.outbound import Button, Choice, Field, Form, MemberAddress, Prompt, Span, Text
from rituals.schedule import local_date, local_time

SCALE = (1, 2, 3, 4, 5)
MIN_K = 3  # with two, either person reads the other's answer off the average: never
DEFAULT_K = 5
MAX_QUESTIONS_PER_ROUND = 3  # the issue asks one to three: a pulse people answer is a short one
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
