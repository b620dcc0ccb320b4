"""Coffee machines and coffee pairings: daily posts claimed once, who takes part, rounds and their groups.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _ritual(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    """The ritual column a coffee table starts with, and its foreign key."""
    return (
        sa.Column("ritual_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["ritual_id"], ["rituals.id"], name=op.f(f"fk_{table}_ritual_id_rituals"), ondelete="CASCADE"
        ),
    )


def upgrade() -> None:
    """Create coffee_participants, coffee_machine_posts, coffee_rounds, coffee_groups and their members."""
    op.create_table(
        "coffee_participants",
        *_ritual("coffee_participants"),
        sa.Column("member_id", ID, autoincrement=False, nullable=False),
        sa.Column("joined", sa.Boolean(), nullable=True),
        sa.Column("skip_next", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_coffee_participants_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("ritual_id", "member_id", name=op.f("pk_coffee_participants")),
    )
    op.create_table(
        "coffee_machine_posts",
        *_ritual("coffee_machine_posts"),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("posted_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("ritual_id", "local_date", name=op.f("pk_coffee_machine_posts")),
    )
    op.create_table(
        "coffee_rounds",
        sa.Column("id", ID, nullable=False),
        *_ritual("coffee_rounds"),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_rounds")),
        sa.UniqueConstraint("ritual_id", "local_date", name=op.f("uq_coffee_rounds_ritual_id_local_date")),
    )
    op.create_table(
        "coffee_groups",
        sa.Column("id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("shared_minutes", sa.Integer(), nullable=False),
        sa.Column("cross_team", sa.Boolean(), nullable=False),
        sa.Column("last_met", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("intro_due_at", WHEN, nullable=False),
        sa.Column("intro_sent_at", WHEN, nullable=True),
        sa.Column("follow_up_due_at", WHEN, nullable=True),
        sa.Column("follow_up_sent_at", WHEN, nullable=True),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["coffee_rounds.id"], name=op.f("fk_coffee_groups_round_id_coffee_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_groups")),
    )
    op.create_index(op.f("ix_coffee_groups_round_id"), "coffee_groups", ["round_id"])
    op.create_index("ix_coffee_groups_intro_due_at", "coffee_groups", ["intro_due_at"])
    op.create_index("ix_coffee_groups_follow_up_due_at", "coffee_groups", ["follow_up_due_at"])
    op.create_table(
        "coffee_group_members",
        sa.Column("group_id", ID, autoincrement=False, nullable=False),
        sa.Column("member_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["coffee_groups.id"], name=op.f("fk_coffee_group_members_group_id_coffee_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_coffee_group_members_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "member_id", name=op.f("pk_coffee_group_members")),
    )
    op.create_index(op.f("ix_coffee_group_members_member_id"), "coffee_group_members", ["member_id"])


def downgrade() -> None:
    """Drop the coffee tables, with every round's groups and answers."""
    tables = ("coffee_group_members", "coffee_groups", "coffee_rounds", "coffee_machine_posts", "coffee_participants")
    for table in tables:
        op.drop_table(table)
