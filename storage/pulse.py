"""SqlPulseStore: pulse rounds stored so that no row ties a member to what they answered.

A round is one occurrence of a pulse ritual and shares its id. Its tables (storage/models.py, migration 0007):

- pulse_rounds: the round's questions in order, and once it is closed how many were prompted and responded.
- pulse_responders (round, member): that a member responded while the round is open, to remind the others and
  to take one response per member. No score, no text, no time; deleted when the round closes.
- pulse_answers (round, random id, question, score) and pulse_comments (round, random id, text): what was
  answered, by nobody in particular. No member, no time, no sequence or position: ids are 63-bit values from
  `secrets`, a CSPRNG whose output cannot be put back in order either. Only the round links them to responders.
- pulse_tallies (round, question, how many picked 1..5): written when the round closes from its answers, which
  are then deleted. Answers were never grouped per person, so the tallies keep everything the answers held
  except what could leak arrival order; they are what history() and later dashboards read (the trend per team).

close_round is one transaction: it freezes prompted and responded, folds the answers into tallies, stores the
comments again under new random keys, and deletes the responders. A closed round takes no more responses, so
its totals never change and no later read can be subtracted from the posted one. `prompted` is stored as the
engine gives it at close, not counted from deliveries, which replanning and deletions change after the fact.

Residual risks, honestly:
- While a round is open, the SQL shows no link, but the database's own bookkeeping does:
  - PostgreSQL: rows written by one transaction share the system column `xmin`, which any user who can read both
    pulse_responders and pulse_answers can select, and heap order (`ctid`) follows insertion. Such a user can link
    members to answers until the round closes. Ritme itself reads answers only aggregated. Closing deletes
    responders and answers and rewrites comments (one transaction, so one xmin, in random order); the dead tuples
    remain in the heap until VACUUM reuses their space, and in WAL archives and backups made while the round was
    open. Page- and WAL-level access (a DBA, pageinspect, base backups) is out of scope: keep rounds short,
    restrict who can read the database, and treat its backups as sensitive.
  - SQLite: WITHOUT ROWID tables have no rowid in arrival order; rows sit in key order (member id, random id).
    Within a page, where a row's bytes land still follows insertion, and the -wal file holds each transaction's
    pages in commit order until a checkpoint and later writes overwrite them. Pulse writes run with
    `PRAGMA secure_delete` on, so what closing deletes is zeroed in the database file; a copy of the -wal file
    or a file-system snapshot taken while the round was open is out of scope, as above.
  - The answers of one response are inserted together, so until closing they may sit next to each other: which
    scores one anonymous person gave across questions, never who.
- counts() of an open round is exact: two reads around one response differ by that response. Only a closed
  round's counts may be shown, and only at k responses or more (the engine's rule).
- Who was prompted stays in deliveries. Where all prompted members responded, each of them did; where the
  tallies are one-sided or tiny, they tell what each gave. That is why results need k responses to be shown.
- Free text can identify its writer by what it says; nothing in storage can prevent that.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, delete, exists, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rituals.model import QuestionCounts, RoundCounts
from rituals.ports import PulseStore
from storage.models import (
    PULSE_COMMENT_MAX,
    PULSE_QUESTION_ID,
    OccurrenceRow,
    PulseAnswerRow,
    PulseCommentRow,
    PulseResponderRow,
    PulseRoundRow,
    PulseTallyRow,
)

_occurrences = cast(Table, OccurrenceRow.__table__)
_rounds = cast(Table, PulseRoundRow.__table__)
_responders = cast(Table, PulseResponderRow.__table__)
_answers = cast(Table, PulseAnswerRow.__table__)
_comments = cast(Table, PulseCommentRow.__table__)
_tallies = cast(Table, PulseTallyRow.__table__)

SCALE = (1, 2, 3, 4, 5)
_TALLY_COLUMNS = tuple(f"score_{point}" for point in SCALE)
# Member ids per IN list: under SQLite's historical 999-variable limit.
IN_CHUNK = 900

Scale = tuple[int, int, int, int, int]


def _new_key() -> int:
    """A random positive 63-bit key: it fits a signed BIGINT and says nothing about when its row was written."""
    return secrets.randbits(63)


def _checked_questions(question_ids: Sequence[str]) -> tuple[str, ...]:
    questions = tuple(question_ids)
    if not questions:
        raise ValueError("a pulse round needs at least one question")
    for question in questions:
        if not isinstance(question, str) or not 0 < len(question) <= PULSE_QUESTION_ID:
            raise ValueError(f"a question id is 1 to {PULSE_QUESTION_ID} characters, got {question!r}")
    if len(set(questions)) != len(questions):
        raise ValueError(f"a pulse round asks each question once, got {questions}")
    return questions


def _checked_scores(scores: Mapping[str, int]) -> list[tuple[str, int]]:
    answers: list[tuple[str, int]] = []
    for question, score in scores.items():
        # The score itself stays out of the message: error text can end up in a log next to who sent it.
        if isinstance(score, bool) or not isinstance(score, int) or score not in SCALE:
            raise ValueError(f"a pulse score is a whole number from 1 to 5; the one for {question!r} is not")
        answers.append((question, score))
    return answers


def _scale(counts: Sequence[int]) -> Scale:
    one, two, three, four, five = counts
    return (one, two, three, four, five)


class SqlPulseStore:
    """The PulseStore on SQLAlchemy Core (SQLite and PostgreSQL); every method is one short transaction.

    A response share-locks its round (FOR SHARE on PostgreSQL; BEGIN IMMEDIATE serialises SQLite) and closing
    takes the round's row for update first, so a response either lands before the round closes and is counted,
    or finds it closed and writes nothing.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine` for every transaction."""
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.begin() as conn:
            if self._postgres:
                yield conn
                return
            # Zero what the writes free (deleted rows, space rows moved out of) instead of leaving it as free space,
            # where a copy of the file would keep a closed round's answers and responders.
            previous = int((await conn.exec_driver_sql("PRAGMA secure_delete")).scalar_one())
            await conn.exec_driver_sql("PRAGMA secure_delete = ON")
            yield conn
            # The connection's own setting again for whoever uses it next (after an error it stays on: harmless).
            await conn.exec_driver_sql(f"PRAGMA secure_delete = {previous}")

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as conn:
            if self._postgres:
                # One snapshot for every statement, so the totals, the responders and the comments agree.
                await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                yield conn

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    # Questions

    async def set_round_questions(self, occurrence_id: int, question_ids: Sequence[str]) -> tuple[str, ...]:
        """Start the round with these distinct questions; the first call wins and the round's questions come back."""
        questions = _checked_questions(question_ids)
        async with self._writing() as conn:
            found = await conn.execute(select(_occurrences.c.id).where(_occurrences.c.id == occurrence_id))
            if found.first() is None:
                raise LookupError(f"occurrence {occurrence_id} does not exist")
            await conn.execute(
                self._insert(_rounds)
                .values(occurrence_id=occurrence_id, questions=list(questions))
                .on_conflict_do_nothing(index_elements=["occurrence_id"])
            )
            stored = await conn.execute(select(_rounds.c.questions).where(_rounds.c.occurrence_id == occurrence_id))
            return tuple(stored.scalar_one())

    async def round_questions(self, occurrence_id: int) -> tuple[str, ...]:
        """The round's questions in order; empty when the round has not started."""
        async with self._reading() as conn:
            stored = await conn.execute(select(_rounds.c.questions).where(_rounds.c.occurrence_id == occurrence_id))
            questions = stored.scalar_one_or_none()
        return tuple(questions or ())

    async def recent_questions(self, ritual_id: int, before: date, limit: int) -> list[tuple[str, ...]]:
        """The questions of the ritual's last `limit` rounds on local dates before `before`, newest first (rotation)."""
        statement = (
            select(_rounds.c.questions)
            .select_from(_rounds.join(_occurrences, _occurrences.c.id == _rounds.c.occurrence_id))
            .where(_occurrences.c.ritual_id == ritual_id, _occurrences.c.local_date < before)
            .order_by(_occurrences.c.local_date.desc())
            .limit(limit)
        )
        async with self._reading() as conn:
            return [tuple(questions) for questions in (await conn.execute(statement)).scalars()]

    # Responses

    async def respond(self, occurrence_id: int, member_id: int, scores: Mapping[str, int], comment: str = "") -> bool:
        """Record that the member responded and, apart from that, their scores and comment; False if not recorded.

        One transaction: False, with nothing written, when the member already responded or the round is closed;
        ValueError, with nothing written, for a score outside 1-5, a question the round does not ask, or a response
        with neither a score nor a comment. The comment is trimmed and cut to PULSE_COMMENT_MAX characters.
        """
        answers = _checked_scores(scores)
        text = comment.strip()[:PULSE_COMMENT_MAX]
        if not answers and not text:
            raise ValueError("a pulse response needs a score or a comment")
        async with self._writing() as conn:
            head = (
                await conn.execute(
                    select(_rounds.c.questions, _rounds.c.responded)
                    .where(_rounds.c.occurrence_id == occurrence_id)
                    .with_for_update(read=True)
                )
            ).first()
            if head is None:
                raise LookupError(f"pulse round {occurrence_id} has not started")
            unknown = sorted(set(scores) - set(head.questions))
            if unknown:
                raise ValueError(f"pulse round {occurrence_id} does not ask {', '.join(unknown)}")
            if head.responded is not None:
                return False
            # The one-response-per-member check and the answers share this transaction: a second response (or a
            # racing double tap) finds the responder row and writes nothing.
            new = await conn.execute(
                self._insert(_responders)
                .values(occurrence_id=occurrence_id, member_id=member_id)
                .on_conflict_do_nothing(index_elements=["occurrence_id", "member_id"])
                .returning(_responders.c.member_id)
            )
            if new.first() is None:
                return False
            if answers:
                await conn.execute(
                    insert(_answers),
                    [
                        {"occurrence_id": occurrence_id, "id": _new_key(), "question_id": question, "score": score}
                        for question, score in answers
                    ],
                )
            if text:
                await conn.execute(insert(_comments).values(occurrence_id=occurrence_id, id=_new_key(), text=text))
        return True

    async def has_responded(self, occurrence_id: int, member_id: int) -> bool:
        """True when the member responded in the round while it is open; a closed round has forgotten who did."""
        found = exists().where(_responders.c.occurrence_id == occurrence_id, _responders.c.member_id == member_id)
        async with self._reading() as conn:
            return bool((await conn.execute(select(found))).scalar_one())

    async def unresponded(self, occurrence_id: int, member_ids: Collection[int]) -> set[int]:
        """Those of `member_ids` who have not responded in the open round (to remind); empty once it is closed."""
        wanted = sorted(set(member_ids))
        responded: set[int] = set()
        async with self._reading() as conn:
            head = (
                await conn.execute(select(_rounds.c.responded).where(_rounds.c.occurrence_id == occurrence_id))
            ).first()
            if head is None:
                raise LookupError(f"pulse round {occurrence_id} has not started")
            if head.responded is not None:
                return set()
            for start in range(0, len(wanted), IN_CHUNK):
                rows = await conn.execute(
                    select(_responders.c.member_id).where(
                        _responders.c.occurrence_id == occurrence_id,
                        _responders.c.member_id.in_(wanted[start : start + IN_CHUNK]),
                    )
                )
                responded.update(rows.scalars())
        return set(wanted) - responded

    # Totals

    async def counts(self, occurrence_id: int, prompted: int) -> RoundCounts:
        """The round's totals so far with `prompted` as given; a closed round's, with what was frozen when it closed.

        Comments come in the order of their random keys, which has nothing to do with when they arrived.
        """
        async with self._reading() as conn:
            head = (await conn.execute(_heads(_rounds.c.occurrence_id == occurrence_id))).first()
            if head is None:
                raise LookupError(f"pulse round {occurrence_id} has not started")
            totals = await _totals(conn, occurrence_id)
            if head.responded is None:
                responded = (
                    await conn.execute(
                        select(func.count())
                        .select_from(_responders)
                        .where(_responders.c.occurrence_id == occurrence_id)
                    )
                ).scalar_one()
            else:
                prompted, responded = head.prompted, head.responded
            comments = await conn.execute(
                select(_comments.c.text).where(_comments.c.occurrence_id == occurrence_id).order_by(_comments.c.id)
            )
            return _round_counts(head, totals, tuple(comments.scalars()), prompted=prompted, responded=responded)

    async def close_round(self, occurrence_id: int, prompted: int) -> RoundCounts | None:
        """Close the round and return its final counts; None when it was closed already (by another worker).

        Answers are folded into per-question tallies, comments are stored again under new random keys (so even their
        physical order is new), and who responded is forgotten, all in one transaction.
        """
        if prompted < 0:
            raise ValueError(f"prompted must be 0 or more, got {prompted}")
        async with self._writing() as conn:
            head = (
                await conn.execute(_heads(_rounds.c.occurrence_id == occurrence_id).with_for_update(of=_rounds))
            ).first()
            if head is None:
                raise LookupError(f"pulse round {occurrence_id} has not started")
            if head.responded is not None:
                return None
            # From here on each statement reads anew (READ COMMITTED), so it sees every response that committed
            # before the lock; responses arriving later wait for this transaction and then find the round closed.
            where_round = _responders.c.occurrence_id == occurrence_id
            responded = (
                await conn.execute(select(func.count()).select_from(_responders).where(where_round))
            ).scalar_one()
            totals = await _totals(conn, occurrence_id)
            await conn.execute(
                insert(_tallies),
                [
                    {
                        "occurrence_id": occurrence_id,
                        "question_id": question,
                        **dict(zip(_TALLY_COLUMNS, totals.get(question, (0, 0, 0, 0, 0)), strict=True)),
                    }
                    for question in head.questions
                ],
            )
            texts = (
                await conn.execute(select(_comments.c.text).where(_comments.c.occurrence_id == occurrence_id))
            ).scalars()
            rekeyed = sorted((_new_key(), text) for text in texts)
            await conn.execute(delete(_comments).where(_comments.c.occurrence_id == occurrence_id))
            if rekeyed:
                # Inserted in key order, so on PostgreSQL the heap's order is the new keys' random one too.
                await conn.execute(
                    insert(_comments),
                    [{"occurrence_id": occurrence_id, "id": key, "text": text} for key, text in rekeyed],
                )
            await conn.execute(delete(_answers).where(_answers.c.occurrence_id == occurrence_id))
            await conn.execute(delete(_responders).where(where_round))
            await conn.execute(
                update(_rounds)
                .where(_rounds.c.occurrence_id == occurrence_id)
                .values(prompted=prompted, responded=responded)
            )
        return _round_counts(head, totals, tuple(text for _, text in rekeyed), prompted=prompted, responded=responded)

    async def is_closed(self, occurrence_id: int) -> bool:
        """True once the round has been closed."""
        async with self._reading() as conn:
            responded = await conn.execute(select(_rounds.c.responded).where(_rounds.c.occurrence_id == occurrence_id))
            return responded.scalar_one_or_none() is not None

    async def history(self, ritual_id: int, before: date, limit: int = 8) -> list[RoundCounts]:
        """The ritual's closed rounds on local dates before `before`, newest first, for trends; without comments."""
        statement = (
            _heads(
                _occurrences.c.ritual_id == ritual_id,
                _occurrences.c.local_date < before,
                _rounds.c.responded.is_not(None),
            )
            .order_by(_occurrences.c.local_date.desc())
            .limit(limit)
        )
        async with self._reading() as conn:
            rounds = (await conn.execute(statement)).all()
            ids = [head.occurrence_id for head in rounds]
            tallies: dict[int, dict[str, Scale]] = {occurrence_id: {} for occurrence_id in ids}
            if ids:
                rows = await conn.execute(
                    select(
                        _tallies.c.occurrence_id, _tallies.c.question_id, *(_tallies.c[c] for c in _TALLY_COLUMNS)
                    ).where(_tallies.c.occurrence_id.in_(ids))
                )
                for row in rows:
                    tallies[row[0]][row[1]] = _scale(row[2:])
        return [_round_counts(head, tallies[head.occurrence_id], ()) for head in rounds]


def _heads(*where: ColumnElement[bool]) -> Select[Any]:
    """Rounds' questions and frozen numbers, with their occurrences' local dates."""
    return (
        select(
            _rounds.c.occurrence_id,
            _rounds.c.questions,
            _rounds.c.prompted,
            _rounds.c.responded,
            _occurrences.c.local_date,
        )
        .select_from(_rounds.join(_occurrences, _occurrences.c.id == _rounds.c.occurrence_id))
        .where(*where)
    )


async def _totals(conn: AsyncConnection, occurrence_id: int) -> dict[str, Scale]:
    """How many picked each point per question: open answers and closed tallies (a round only ever has one kind)."""
    found: dict[str, list[int]] = {}
    answered = await conn.execute(
        select(_answers.c.question_id, _answers.c.score, func.count())
        .where(_answers.c.occurrence_id == occurrence_id)
        .group_by(_answers.c.question_id, _answers.c.score)
    )
    for question, score, count in answered:
        found.setdefault(question, [0, 0, 0, 0, 0])[score - 1] += count
    tallied = await conn.execute(
        select(_tallies.c.question_id, *(_tallies.c[c] for c in _TALLY_COLUMNS)).where(
            _tallies.c.occurrence_id == occurrence_id
        )
    )
    for question, *counts in tallied:
        totals = found.setdefault(question, [0, 0, 0, 0, 0])
        for point, count in enumerate(counts):
            totals[point] += count
    return {question: _scale(counts) for question, counts in found.items()}


def _round_counts(
    head: Any,
    totals: Mapping[str, Scale],
    comments: tuple[str, ...],
    *,
    prompted: int | None = None,
    responded: int | None = None,
) -> RoundCounts:
    """A round's counts from its _heads() row; `prompted` and `responded` default to those it froze when closed."""
    return RoundCounts(
        occurrence_id=head.occurrence_id,
        local_date=head.local_date,
        prompted=head.prompted if prompted is None else prompted,
        responded=head.responded if responded is None else responded,
        questions=tuple(
            QuestionCounts(question_id=question, counts=totals.get(question, (0, 0, 0, 0, 0)))
            for question in head.questions
        ),
        comments=comments,
    )


def _conforms(store: SqlPulseStore) -> PulseStore:
    # mypy fails here if SqlPulseStore drifts from the PulseStore protocol.
    return store
