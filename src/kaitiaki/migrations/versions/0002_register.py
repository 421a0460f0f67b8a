"""register: channels, channel requests and approvals, posting authorisations, work-device apps

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types: a migration must not change when a model does later.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('handle', sa.String(length=100), nullable=False),
    sa.Column('handle_key', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('purposes', sa.Text(), nullable=False),
    sa.Column('business_owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('monitoring_hours', sa.String(length=200), nullable=False),
    sa.Column('cadence_days', sa.Integer(), nullable=True),
    sa.Column('last_post_on', sa.Date(), nullable=True),
    sa.Column('name_follows_convention', sa.Boolean(), nullable=False),
    sa.Column('avatar_banner_follow_guidelines', sa.Boolean(), nullable=False),
    sa.Column('bio_wording_approved', sa.Boolean(), nullable=False),
    sa.Column('links_to_agency_site', sa.Boolean(), nullable=False),
    sa.Column('checklist_checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checklist_checked_at', UTC_DATETIME, nullable=True),
    sa.Column('created_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['business_owner_id'], ['users.id'], name=op.f('fk_channels_business_owner_id_users')),
    sa.ForeignKeyConstraint(['checklist_checked_by_id'], ['users.id'], name=op.f('fk_channels_checklist_checked_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_channels_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('platform', 'handle_key', name=op.f('uq_channels_platform_handle_key'))
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channels_business_owner_id'), ['business_owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channels_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_channels_unit_id'), ['unit_id'], unique=False)

    op.create_table('work_device_apps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('app', sa.String(length=100), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', UTC_DATETIME, nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', UTC_DATETIME, nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_work_device_apps_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_work_device_apps_removed_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_work_device_apps_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_device_apps'))
    )
    with op.batch_alter_table('work_device_apps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_device_apps_user_id'), ['user_id'], unique=False)

    op.create_table('channel_authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', UTC_DATETIME, nullable=False),
    sa.Column('expires_at', UTC_DATETIME, nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', UTC_DATETIME, nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_authorisations_channel_id_channels')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_channel_authorisations_granted_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_channel_authorisations_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_channel_authorisations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_authorisations'))
    )
    with op.batch_alter_table('channel_authorisations', schema=None) as batch_op:
        batch_op.create_index('ix_channel_authorisations_channel_user', ['channel_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_authorisations_user_id'), ['user_id'], unique=False)

    op.create_table('channel_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', UTC_DATETIME, nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', UTC_DATETIME, nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_requests_channel_id_channels')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_channel_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_channel_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_requests'))
    )
    with op.batch_alter_table('channel_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_requests_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_requests_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_requests_state'), ['state'], unique=False)

    op.create_table('channel_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.Column('requirement', sa.String(length=100), nullable=False),
    sa.Column('approved_at', UTC_DATETIME, nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_channel_approvals_approver_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['channel_requests.id'], name=op.f('fk_channel_approvals_request_id_channel_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_approvals')),
    sa.UniqueConstraint('request_id', 'approver_id', name=op.f('uq_channel_approvals_request_id_approver_id')),
    sa.UniqueConstraint('request_id', 'requirement', name=op.f('uq_channel_approvals_request_id_requirement'))
    )
    with op.batch_alter_table('channel_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_approvals_approver_id'), ['approver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_approvals_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('channel_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_approvals_request_id'))
        batch_op.drop_index(batch_op.f('ix_channel_approvals_approver_id'))

    op.drop_table('channel_approvals')
    with op.batch_alter_table('channel_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_requests_state'))
        batch_op.drop_index(batch_op.f('ix_channel_requests_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_channel_requests_channel_id'))

    op.drop_table('channel_requests')
    with op.batch_alter_table('channel_authorisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_authorisations_user_id'))
        batch_op.drop_index('ix_channel_authorisations_channel_user')

    op.drop_table('channel_authorisations')
    with op.batch_alter_table('work_device_apps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_device_apps_user_id'))

    op.drop_table('work_device_apps')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channels_unit_id'))
        batch_op.drop_index(batch_op.f('ix_channels_status'))
        batch_op.drop_index(batch_op.f('ix_channels_business_owner_id'))

    op.drop_table('channels')
