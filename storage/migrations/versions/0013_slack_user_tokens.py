"""Slack user tokens: a member's own grant (users.profile:write), so their status can show a no-meeting window.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create slack_user_tokens: one row per member and workspace, replaced when they grant again."""
    op.create_table(
        "slack_user_tokens",
        sa.Column("id", ID, nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(255), nullable=False),
        sa.Column("user_scopes", sa.String(1024), nullable=False),
        sa.Column("user_refresh_token", sa.String(255), nullable=True),
        sa.Column("user_token_expires_at", TIMESTAMP, nullable=True),
        sa.Column("granted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_user_tokens")),
        sa.UniqueConstraint(
            "enterprise_id", "team_id", "user_id", name=op.f("uq_slack_user_tokens_enterprise_id_team_id_user_id")
        ),
    )


def downgrade() -> None:
    """Drop slack_user_tokens."""
    op.drop_table("slack_user_tokens")
