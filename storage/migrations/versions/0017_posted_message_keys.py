"""Posted messages found by key alone: which of a batch's prompts went out before a replica stopped.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index posted_messages by key."""
    op.create_index("ix_posted_messages_key", "posted_messages", ["key"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_posted_messages_key", table_name="posted_messages")
