"""Room for encrypted Slack tokens: the token columns grow from 255 to 1024 characters.

Encrypted with RITME_ENCRYPTION_KEY (Fernet, base64) a token takes about 1.4 times its length plus 80 characters;
a rotating refresh token would no longer fit in 255.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = {
    "slack_installations": (("bot_token", False), ("bot_refresh_token", True)),
    "slack_user_tokens": (("user_token", False), ("user_refresh_token", True)),
}


def upgrade() -> None:
    """Widen the token columns."""
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, nullable in columns:
                batch.alter_column(name, type_=sa.String(1024), existing_type=sa.String(255),
                                   existing_nullable=nullable)


def downgrade() -> None:
    """Narrow them again (fails on PostgreSQL while an encrypted token longer than 255 characters is stored)."""
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, nullable in columns:
                batch.alter_column(name, type_=sa.String(255), existing_type=sa.String(1024),
                                   existing_nullable=nullable)
