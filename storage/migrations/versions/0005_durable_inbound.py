"""Durable inbound: each event is kept with a status until handled, so an accepted event survives a stop.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add status, payload, attempts and held_until to inbound_events; rows already there count as done."""
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("status", sa.String(16), server_default="done", nullable=False))
        batch.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("held_until", TIMESTAMP, nullable=True))
    op.create_index("ix_inbound_events_status_held_until", "inbound_events", ["status", "held_until"])


def downgrade() -> None:
    """Drop the columns again; pending events are lost with them."""
    op.drop_index("ix_inbound_events_status_held_until", table_name="inbound_events")
    with op.batch_alter_table("inbound_events") as batch:
        for column in ("held_until", "attempts", "payload", "status"):
            batch.drop_column(column)
