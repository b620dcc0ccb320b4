"""Slack installations and OAuth states: multi-workspace installs, kept in Ritme's own database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create slack_installations and slack_oauth_states."""
    op.create_table(
        "slack_installations",
        sa.Column("id", ID, nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_name", sa.String(255), nullable=True),
        sa.Column("team_name", sa.String(255), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=True),
        sa.Column("bot_token", sa.String(255), nullable=False),
        sa.Column("bot_id", sa.String(32), nullable=False),
        sa.Column("bot_user_id", sa.String(32), nullable=False),
        sa.Column("bot_scopes", sa.String(1024), nullable=False),
        sa.Column("bot_refresh_token", sa.String(255), nullable=True),
        sa.Column("bot_token_expires_at", TIMESTAMP, nullable=True),
        sa.Column("installer_user_id", sa.String(32), nullable=True),
        sa.Column("installed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
        sa.UniqueConstraint("enterprise_id", "team_id", name=op.f("uq_slack_installations_enterprise_id_team_id")),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(255), nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_slack_oauth_states")),
    )
    op.create_index("ix_slack_oauth_states_expires_at", "slack_oauth_states", ["expires_at"])


def downgrade() -> None:
    """Drop slack_oauth_states and slack_installations."""
    op.drop_index("ix_slack_oauth_states_expires_at", table_name="slack_oauth_states")
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
