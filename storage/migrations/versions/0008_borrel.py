"""Virtual borrel: occurrences with their own times and claims, and RSVPs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create borrel_occurrences and borrel_rsvps."""
    op.create_table(
        "borrel_occurrences",
        sa.Column("id", ID, nullable=False),
        sa.Column("ritual_id", ID, nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        _moment("starts_at", False),
        _moment("ends_at", False),
        _moment("invite_at", False),
        _moment("remind_at", False),
        _moment("invite_sent_at"),
        _moment("reminded_at"),
        _moment("closed_at"),
        _moment("cancelled_at"),
        sa.Column("joined", sa.Integer(), nullable=True),
        sa.Column("maybe", sa.Integer(), nullable=True),
        sa.Column("declined", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ritual_id"], ["rituals.id"], name=op.f("fk_borrel_occurrences_ritual_id_rituals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrel_occurrences")),
        sa.UniqueConstraint("ritual_id", "local_date", name=op.f("uq_borrel_occurrences_ritual_id_local_date")),
    )
    op.create_index("ix_borrel_occurrences_starts_at", "borrel_occurrences", ["starts_at"])
    op.create_table(
        "borrel_rsvps",
        sa.Column("occurrence_id", ID, autoincrement=False, nullable=False),
        sa.Column("member_id", ID, autoincrement=False, nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        _moment("answered_at", False),
        sa.CheckConstraint("answer IN ('join', 'maybe', 'no')", name=op.f("ck_borrel_rsvps_answer")),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["borrel_occurrences.id"],
            name=op.f("fk_borrel_rsvps_occurrence_id_borrel_occurrences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_borrel_rsvps_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("occurrence_id", "member_id", name=op.f("pk_borrel_rsvps")),
    )


def downgrade() -> None:
    """Drop the borrel tables."""
    op.drop_index("ix_borrel_occurrences_starts_at", table_name="borrel_occurrences")
    op.drop_table("borrel_rsvps")
    op.drop_table("borrel_occurrences")
