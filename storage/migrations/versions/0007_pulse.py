"""Pulse rounds: questions per round, who responded (apart), anonymous answers and comments, tallies for trends.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
QUESTION_ID = sa.String(64)


def _round(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    """The round column every pulse table starts with, and its foreign key to the round."""
    return (
        sa.Column("occurrence_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["pulse_rounds.occurrence_id"],
            name=op.f(f"fk_{table}_occurrence_id_pulse_rounds"),
            ondelete="CASCADE",
        ),
    )


def upgrade() -> None:
    """Create pulse_rounds, pulse_responders, pulse_answers, pulse_comments and pulse_tallies."""
    op.create_table(
        "pulse_rounds",
        sa.Column("occurrence_id", ID, autoincrement=False, nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("prompted", sa.Integer(), nullable=True),
        sa.Column("responded", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(prompted IS NULL AND responded IS NULL) OR (prompted IS NOT NULL AND responded IS NOT NULL)",
            name=op.f("ck_pulse_rounds_closed"),
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["occurrences.id"],
            name=op.f("fk_pulse_rounds_occurrence_id_occurrences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("occurrence_id", name=op.f("pk_pulse_rounds")),
    )
    # WITHOUT ROWID on SQLite: no hidden rowid that would record the order in which members responded.
    op.create_table(
        "pulse_responders",
        *_round("pulse_responders"),
        sa.Column("member_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_pulse_responders_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("occurrence_id", "member_id", name=op.f("pk_pulse_responders")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pulse_answers",
        *_round("pulse_answers"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("question_id", QUESTION_ID, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_pulse_answers_score")),
        sa.PrimaryKeyConstraint("occurrence_id", "id", name=op.f("pk_pulse_answers")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pulse_comments",
        *_round("pulse_comments"),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("text", sa.String(1000), nullable=False),
        sa.PrimaryKeyConstraint("occurrence_id", "id", name=op.f("pk_pulse_comments")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pulse_tallies",
        *_round("pulse_tallies"),
        sa.Column("question_id", QUESTION_ID, nullable=False),
        *(sa.Column(f"score_{point}", sa.Integer(), nullable=False) for point in range(1, 6)),
        sa.PrimaryKeyConstraint("occurrence_id", "question_id", name=op.f("pk_pulse_tallies")),
    )


def downgrade() -> None:
    """Drop the pulse tables, and every round's answers with them."""
    for table in ("pulse_tallies", "pulse_comments", "pulse_answers", "pulse_responders", "pulse_rounds"):
        op.drop_table(table)
