"""The audit log: every configuration change of a team, who made it, from chat or the web, and when.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create audit_log, read per team newest first."""
    op.create_table(
        "audit_log",
        sa.Column("id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("actor_member_id", ID, nullable=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('chat', 'web')", name=op.f("ck_audit_log_source")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_audit_log_team_id_teams"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["actor_member_id"], ["members.id"], name=op.f("fk_audit_log_actor_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_team_id_at", "audit_log", ["team_id", "at"])
    op.create_index("ix_audit_log_actor_member_id", "audit_log", ["actor_member_id"])


def downgrade() -> None:
    """Drop audit_log."""
    op.drop_index("ix_audit_log_actor_member_id", table_name="audit_log")
    op.drop_index("ix_audit_log_team_id_at", table_name="audit_log")
    op.drop_table("audit_log")
