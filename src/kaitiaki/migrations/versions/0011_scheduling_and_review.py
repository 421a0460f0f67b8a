"""scheduling and review: a submitted post's publication time and its claim by the due-posts
job; a channel setting for a second person's review; the reviews

Revision ID: 0011
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_for", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("send_claimed_at", UTC_DATETIME, nullable=True))
        batch_op.create_index("ix_drafts_state_scheduled_for", ["state", "scheduled_for"],
                              unique=False)
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_required", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "draft_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"],
                                name=op.f("fk_draft_reviews_draft_id_drafts")),
        sa.ForeignKeyConstraint(["version_id"], ["draft_versions.id"],
                                name=op.f("fk_draft_reviews_version_id_draft_versions")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"],
                                name=op.f("fk_draft_reviews_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_reviews")),
    )
    with op.batch_alter_table("draft_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_draft_reviews_draft", ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_draft_reviews_draft")
    op.drop_table("draft_reviews")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("review_required")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_drafts_state_scheduled_for")
        batch_op.drop_column("send_claimed_at")
        batch_op.drop_column("scheduled_for")
