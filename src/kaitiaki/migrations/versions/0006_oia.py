"""oia: Official Information Act requests with their due dates and extensions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types: a migration must not change when a model does later.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('oia_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('requester_name', sa.String(length=200), nullable=False),
    sa.Column('requester_email', sa.String(length=254), nullable=False),
    sa.Column('requester_address', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('original_due_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('extension_reason', sa.String(length=40), nullable=True),
    sa.Column('extension_note', sa.Text(), nullable=True),
    sa.Column('extended_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_oia_requests_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oia_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_oia_requests_reference'))
    )
    with op.batch_alter_table('oia_requests', schema=None) as batch_op:
        batch_op.create_index('ix_oia_requests_state_due_on', ['state', 'due_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('oia_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_oia_requests_state_due_on')
    op.drop_table('oia_requests')
