"""Delivery failures: messages a platform refused or that kept failing after every retry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create delivery_failures."""
    op.create_table(
        "delivery_failures",
        sa.Column("id", ID, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("error", sa.String(1024), nullable=False),
        sa.Column("failed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_failures")),
    )
    op.create_index(
        "ix_delivery_failures_workspace_failed_at", "delivery_failures", ["platform", "workspace_id", "failed_at"]
    )


def downgrade() -> None:
    """Drop delivery_failures."""
    op.drop_index("ix_delivery_failures_workspace_failed_at", table_name="delivery_failures")
    op.drop_table("delivery_failures")
