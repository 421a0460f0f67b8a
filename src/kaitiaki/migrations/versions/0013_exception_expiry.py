"""exception expiry: an approved exception may run until a day the business owner chooses, after
which it lapses and the poster and the owner are told

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("draft_exceptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_draft_exceptions_expires_at"), ["expires_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_exceptions_expires_at"))
        batch_op.drop_column("expires_at")
