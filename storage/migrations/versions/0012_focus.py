"""No-meeting windows: each window's start reminder of a team-local date, claimed once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create focus_reminders: one row per window and team-local date, inserted by whoever sends the reminder."""
    op.create_table(
        "focus_reminders",
        sa.Column("ritual_id", ID, autoincrement=False, nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ritual_id"], ["rituals.id"], name=op.f("fk_focus_reminders_ritual_id_rituals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("ritual_id", "local_date", name=op.f("pk_focus_reminders")),
    )


def downgrade() -> None:
    """Drop focus_reminders."""
    op.drop_table("focus_reminders")
