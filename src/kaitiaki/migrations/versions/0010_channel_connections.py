"""channel connections: a channel's platform account, its credentials encrypted

Revision ID: 0010
Revises: 0009 (rejoined after the exception expiry, scheduling and sessions; all followed 0008)
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "channel_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("connected_by_id", sa.Integer(), nullable=False),
        sa.Column("connected_at", UTC_DATETIME, nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.Column("last_used_at", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTC_DATETIME, nullable=True),
        sa.Column("replies_fetched_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_channel_connections_channel_id_channels")),
        sa.ForeignKeyConstraint(["connected_by_id"], ["users.id"],
                                name=op.f("fk_channel_connections_connected_by_id_users")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"],
                                name=op.f("fk_channel_connections_revoked_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_connections")),
    )
    with op.batch_alter_table("channel_connections", schema=None) as batch_op:
        batch_op.create_index("ix_channel_connections_channel_state", ["channel_id", "state"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_connections", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_connections_channel_state")
    op.drop_table("channel_connections")
