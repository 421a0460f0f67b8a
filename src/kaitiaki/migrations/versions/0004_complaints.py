"""complaints: complaints with their reference counter, in-app notifications, public-form limits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types: a migration must not change when a model does later.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('content_url', sa.String(length=1000), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('content_text', sa.Text(), nullable=False),
    sa.Column('check_result', sa.JSON(), nullable=True),
    sa.Column('complainant_name', sa.String(length=200), nullable=False),
    sa.Column('complainant_email', sa.String(length=254), nullable=False),
    sa.Column('complainant_phone', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('received_at', UTC_DATETIME, nullable=False),
    sa.Column('acknowledge_by', sa.Date(), nullable=False),
    sa.Column('resolve_by', sa.Date(), nullable=False),
    sa.Column('acknowledged_at', UTC_DATETIME, nullable=True),
    sa.Column('escalation_role', sa.String(length=60), nullable=True),
    sa.Column('escalation_unit_id', sa.Integer(), nullable=True),
    sa.Column('escalated_at', UTC_DATETIME, nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('responded_at', UTC_DATETIME, nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('closed_at', UTC_DATETIME, nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_complaints_channel_id_channels')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_complaints_comment_id_comments')),
    sa.ForeignKeyConstraint(['escalation_unit_id'], ['org_units.id'], name=op.f('fk_complaints_escalation_unit_id_org_units')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_complaints_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('reference', name=op.f('uq_complaints_reference'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_channel_state', ['channel_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_state'), ['state'], unique=False)
        batch_op.create_index('ix_complaints_state_resolve_by', ['state', 'resolve_by'], unique=False)

    op.create_table('complaint_counters',
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_complaint_counters'))
    )

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.Column('read_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_recipient_read', ['recipient_id', 'read_at'], unique=False)

    op.create_table('submission_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('address_key', sa.String(length=64), nullable=False),
    sa.Column('at', UTC_DATETIME, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_attempts'))
    )
    with op.batch_alter_table('submission_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_submission_attempts_form_key_at', ['form', 'address_key', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('submission_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_attempts_form_key_at')
    op.drop_table('submission_attempts')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_read')
    op.drop_table('notifications')
    op.drop_table('complaint_counters')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_state_resolve_by')
        batch_op.drop_index(batch_op.f('ix_complaints_state'))
        batch_op.drop_index(batch_op.f('ix_complaints_comment_id'))
        batch_op.drop_index('ix_complaints_channel_state')
    op.drop_table('complaints')
