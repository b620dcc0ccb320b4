"""Teams conversation references: where Ritme can message a Teams conversation without being spoken to first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create teams_conversations."""
    op.create_table(
        "teams_conversations",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("bot_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=True),
        sa.Column("team_id", sa.String(512), nullable=True),
        sa.Column("team_name", sa.String(255), nullable=False),
        sa.Column("channel_name", sa.String(255), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("kind IN ('personal', 'channel', 'groupChat')", name=op.f("ck_teams_conversations_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_conversations")),
        sa.UniqueConstraint(
            "tenant_id", "conversation_id", name=op.f("uq_teams_conversations_tenant_id_conversation_id")
        ),
    )
    op.create_index("ix_teams_conversations_tenant_user", "teams_conversations", ["tenant_id", "user_id"])
    op.create_index("ix_teams_conversations_tenant_updated_at", "teams_conversations", ["tenant_id", "updated_at"])


def downgrade() -> None:
    """Drop teams_conversations."""
    op.drop_index("ix_teams_conversations_tenant_updated_at", table_name="teams_conversations")
    op.drop_index("ix_teams_conversations_tenant_user", table_name="teams_conversations")
    op.drop_table("teams_conversations")
