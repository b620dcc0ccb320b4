"""Initial schema: workspaces, teams, members, rituals, occurrences, deliveries, answers, inbound events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from storage.models, so this revision never changes with the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, nullable=False)


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "workspaces",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_workspaces_platform_external_id")),
    )
    op.create_table(
        "teams",
        _id(),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_teams_workspace_id_workspaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("workspace_id", "channel_id", name=op.f("uq_teams_workspace_id_channel_id")),
    )
    op.create_table(
        "members",
        _id(),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("name_key", sa.String(255), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("work_days", sa.String(20), nullable=False),
        sa.Column("work_start", sa.Time(), nullable=False),
        sa.Column("work_end", sa.Time(), nullable=False),
        sa.Column("away_until", sa.Date(), nullable=True),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_members_workspace_id_workspaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("workspace_id", "user_id", name=op.f("uq_members_workspace_id_user_id")),
    )
    op.create_index("ix_members_workspace_name_key", "members", ["workspace_id", "name_key"])
    op.create_table(
        "team_members",
        _id(),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("role", sa.String(16), server_default="member", nullable=False),
        sa.CheckConstraint("role IN ('member', 'manager')", name=op.f("ck_team_members_role")),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_members_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_team_members_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("team_id", "member_id", name=op.f("uq_team_members_team_id_member_id")),
    )
    op.create_index(op.f("ix_team_members_member_id"), "team_members", ["member_id"])
    op.create_table(
        "rituals",
        _id(),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.Time(), nullable=False),
        sa.Column("days", sa.String(20), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("deleted_at", TIMESTAMP, nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_rituals_team_id_teams")),
        sa.ForeignKeyConstraint(["created_by"], ["members.id"], name=op.f("fk_rituals_created_by_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rituals")),
    )
    op.create_index(op.f("ix_rituals_team_id"), "rituals", ["team_id"])
    op.create_table(
        "occurrences",
        _id(),
        sa.Column("ritual_id", ID, nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("digest_due_at", TIMESTAMP, nullable=False),
        sa.Column("digest_posted_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["ritual_id"], ["rituals.id"], name=op.f("fk_occurrences_ritual_id_rituals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrences")),
        sa.UniqueConstraint("ritual_id", "local_date", name=op.f("uq_occurrences_ritual_id_local_date")),
    )
    op.create_index("ix_occurrences_digest_due_at", "occurrences", ["digest_due_at"])
    op.create_table(
        "deliveries",
        _id(),
        sa.Column("occurrence_id", ID, nullable=False),
        sa.Column("ritual_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(16), server_default="pending", nullable=False),
        sa.Column("lease_until", TIMESTAMP, nullable=True),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("remind_at", TIMESTAMP, nullable=True),
        sa.Column("reminded_at", TIMESTAMP, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'sent', 'skipped', 'missed')", name=op.f("ck_deliveries_status")
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"], ["occurrences.id"], name=op.f("fk_deliveries_occurrence_id_occurrences")
        ),
        sa.ForeignKeyConstraint(["ritual_id"], ["rituals.id"], name=op.f("fk_deliveries_ritual_id_rituals")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_deliveries_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        # A ritual occurs at most once per member per local date (DESIGN.md).
        sa.UniqueConstraint(
            "ritual_id", "member_id", "local_date", name=op.f("uq_deliveries_ritual_id_member_id_local_date")
        ),
    )
    open_ = sa.text("status IN ('pending', 'claimed')")
    op.create_index(
        "ix_deliveries_open_due_at", "deliveries", ["due_at", "id"], sqlite_where=open_, postgresql_where=open_
    )
    unreminded = sa.text("status = 'sent' AND reminded_at IS NULL AND remind_at IS NOT NULL")
    op.create_index(
        "ix_deliveries_unreminded_remind_at",
        "deliveries",
        ["remind_at", "id"],
        sqlite_where=unreminded,
        postgresql_where=unreminded,
    )
    op.create_index("ix_deliveries_member_id_status", "deliveries", ["member_id", "status"])
    op.create_index("ix_deliveries_occurrence_id", "deliveries", ["occurrence_id"])
    op.create_table(
        "answers",
        sa.Column("delivery_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("submitted_at", TIMESTAMP, nullable=False),
        sa.Column("late", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["delivery_id"], ["deliveries.id"], name=op.f("fk_answers_delivery_id_deliveries")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_answers_member_id_members")),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_answers")),
    )
    op.create_index(op.f("ix_answers_member_id"), "answers", ["member_id"])
    op.create_table(
        "inbound_events",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_events")),
        sa.UniqueConstraint("platform", "event_id", name=op.f("uq_inbound_events_platform_event_id")),
    )
    op.create_index("ix_inbound_events_received_at", "inbound_events", ["received_at"])


def downgrade() -> None:
    """Drop every table of the first schema."""
    for table in (
        "inbound_events",
        "answers",
        "deliveries",
        "occurrences",
        "rituals",
        "team_members",
        "members",
        "teams",
        "workspaces",
    ):
        op.drop_table(table)
