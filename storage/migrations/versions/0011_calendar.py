"""The team calendar feed: one live token a team, looked up by its SHA-256 hash.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create calendar_feeds with its partial unique index on live feeds."""
    op.create_table(
        "calendar_feeds",
        sa.Column("id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_calendar_feeds_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    live = sa.text("revoked_at IS NULL")
    op.create_index(
        "uq_calendar_feeds_live_team_id", "calendar_feeds", ["team_id"], unique=True, sqlite_where=live,
        postgresql_where=live,
    )


def downgrade() -> None:
    """Drop calendar_feeds."""
    op.drop_index("uq_calendar_feeds_live_team_id", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
