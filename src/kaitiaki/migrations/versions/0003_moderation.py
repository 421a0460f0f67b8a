"""moderation: imported comments, moderation actions with reasons, delegates, blocked authors

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types: a migration must not change when a model does later.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=300), nullable=False),
    sa.Column('author_handle', sa.String(length=300), nullable=False),
    sa.Column('author_name', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('in_reply_to', sa.String(length=1000), nullable=True),
    sa.Column('posted_at', UTC_DATETIME, nullable=True),
    sa.Column('received_at', UTC_DATETIME, nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('severity_rank', sa.Integer(), nullable=False),
    sa.Column('categories', sa.String(length=500), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('pack_id', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_changed_at', UTC_DATETIME, nullable=True),
    sa.Column('retain_until', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_comments_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('platform', 'external_id', name=op.f('uq_comments_platform_external_id'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_channel_order', ['channel_id', sa.text('severity_rank DESC'), 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_comments_queue', ['channel_id', 'state', 'severity_rank', 'received_at'], unique=False)

    op.create_table('moderation_delegates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', UTC_DATETIME, nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_moderation_delegates_channel_id_channels')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_moderation_delegates_granted_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_moderation_delegates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_moderation_delegates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_delegates'))
    )
    with op.batch_alter_table('moderation_delegates', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_delegates_channel_user', ['channel_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_delegates_user_id'), ['user_id'], unique=False)

    op.create_table('moderation_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('reason_code', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('from_state', sa.String(length=20), nullable=False),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('acted_at', UTC_DATETIME, nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('reply_decision', sa.String(length=10), nullable=True),
    sa.Column('reply_result', sa.JSON(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_actions_actor_id_users')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_moderation_actions_channel_id_channels')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_moderation_actions_comment_id_comments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_actions'))
    )
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_actions_channel_acted', ['channel_id', 'acted_at'], unique=False)
        batch_op.create_index('ix_moderation_actions_comment', ['comment_id', 'acted_at'], unique=False)

    op.create_table('blocked_authors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('author_key', sa.String(length=300), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('blocked_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['moderation_actions.id'], name=op.f('fk_blocked_authors_action_id_moderation_actions')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_blocked_authors_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_authors'))
    )
    with op.batch_alter_table('blocked_authors', schema=None) as batch_op:
        batch_op.create_index('ix_blocked_authors_channel_author', ['channel_id', 'author_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('blocked_authors', schema=None) as batch_op:
        batch_op.drop_index('ix_blocked_authors_channel_author')

    op.drop_table('blocked_authors')
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_actions_comment')
        batch_op.drop_index('ix_moderation_actions_channel_acted')

    op.drop_table('moderation_actions')
    with op.batch_alter_table('moderation_delegates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_delegates_user_id'))
        batch_op.drop_index('ix_moderation_delegates_channel_user')

    op.drop_table('moderation_delegates')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_queue')
        batch_op.drop_index('ix_comments_channel_order')

    op.drop_table('comments')
