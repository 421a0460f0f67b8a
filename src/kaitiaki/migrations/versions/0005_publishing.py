"""publishing: drafts with versions, checks, acknowledgements and exceptions; personal API
tokens; kept personal self-checks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types: a migration must not change when a model does later.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.Column('expires_at', UTC_DATETIME, nullable=True),
    sa.Column('last_used_at', UTC_DATETIME, nullable=True),
    sa.Column('revoked_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('personal_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('employer_listed', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('pack_id', sa.String(length=200), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_checks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_checks'))
    )
    with op.batch_alter_table('personal_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_checks_user_id'), ['user_id'], unique=False)

    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('reply_to_comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.Column('updated_at', UTC_DATETIME, nullable=False),
    sa.Column('submitted_at', UTC_DATETIME, nullable=True),
    sa.Column('published_at', UTC_DATETIME, nullable=True),
    sa.Column('published_url', sa.String(length=1000), nullable=True),
    sa.Column('platform_post_id', sa.String(length=300), nullable=True),
    sa.Column('published_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('connector', sa.String(length=40), nullable=True),
    sa.Column('withdrawn_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_drafts_author_id_users')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_drafts_channel_id_channels')),
    sa.ForeignKeyConstraint(['published_recorded_by_id'], ['users.id'], name=op.f('fk_drafts_published_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['reply_to_comment_id'], ['comments.id'], name=op.f('fk_drafts_reply_to_comment_id_comments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index('ix_drafts_author_state', ['author_id', 'state'], unique=False)
        batch_op.create_index('ix_drafts_channel_state', ['channel_id', 'state'], unique=False)

    op.create_table('draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reply_to_text', sa.Text(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=True),
    sa.Column('target_handle', sa.String(length=300), nullable=True),
    sa.Column('target_name', sa.String(length=300), nullable=True),
    sa.Column('target_text', sa.Text(), nullable=True),
    sa.Column('target_url', sa.String(length=1000), nullable=True),
    sa.Column('business_purpose', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('pack_id', sa.String(length=200), nullable=True),
    sa.Column('findings', sa.JSON(), nullable=True),
    sa.Column('checked_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_draft_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_versions_draft_id_drafts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_versions')),
    sa.UniqueConstraint('draft_id', 'number', name=op.f('uq_draft_versions_draft_id_number'))
    )

    op.create_table('draft_acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('finding_index', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_draft_acknowledgements_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_draft_acknowledgements_version_id_draft_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_acknowledgements')),
    sa.UniqueConstraint('version_id', 'finding_index', name=op.f('uq_draft_acknowledgements_version_id_finding_index'))
    )

    op.create_table('draft_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', UTC_DATETIME, nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', UTC_DATETIME, nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_draft_exceptions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_exceptions_draft_id_drafts')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_draft_exceptions_requested_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_draft_exceptions_version_id_draft_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_exceptions'))
    )
    with op.batch_alter_table('draft_exceptions', schema=None) as batch_op:
        batch_op.create_index('ix_draft_exceptions_draft', ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_exceptions_state'), ['state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('draft_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_exceptions_state'))
        batch_op.drop_index('ix_draft_exceptions_draft')
    op.drop_table('draft_exceptions')
    op.drop_table('draft_acknowledgements')
    op.drop_table('draft_versions')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_drafts_channel_state')
        batch_op.drop_index('ix_drafts_author_state')
    op.drop_table('drafts')
    with op.batch_alter_table('personal_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_checks_user_id'))
    op.drop_table('personal_checks')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
    op.drop_table('api_tokens')
