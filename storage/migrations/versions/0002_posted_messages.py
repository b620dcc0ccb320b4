"""Posted messages: where a platform put each keyed message, so it can be updated or replied under.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create posted_messages."""
    op.create_table(
        "posted_messages",
        sa.Column("id", ID, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posted_messages")),
        sa.UniqueConstraint(
            "platform", "workspace_id", "key", "recipient",
            name=op.f("uq_posted_messages_platform_workspace_id_key_recipient"),
        ),
    )


def downgrade() -> None:
    """Drop posted_messages."""
    op.drop_table("posted_messages")
