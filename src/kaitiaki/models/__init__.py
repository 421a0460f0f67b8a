"""ORM models, one module per table. Import every model here so that Base.metadata is complete."""

from kaitiaki.models.api_token import ApiToken
from kaitiaki.models.audit_event import AuditEvent
from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.blocked_author import BlockedAuthor
from kaitiaki.models.channel import CHANNEL_STATUSES, PLATFORMS, Channel
from kaitiaki.models.channel_approval import ChannelApproval
from kaitiaki.models.channel_authorisation import ChannelAuthorisation
from kaitiaki.models.channel_connection import CONNECTION_STATES, ChannelConnection
from kaitiaki.models.channel_request import REQUEST_KINDS, ChannelRequest
from kaitiaki.models.comment import COMMENT_STATES, Comment
from kaitiaki.models.complaint import COMPLAINT_SOURCES, COMPLAINT_STATES, Complaint
from kaitiaki.models.complaint_counter import ComplaintCounter
from kaitiaki.models.draft import DRAFT_KINDS, Draft
from kaitiaki.models.draft_acknowledgement import DraftAcknowledgement
from kaitiaki.models.draft_exception import EXCEPTION_STATES, DraftException
from kaitiaki.models.draft_image import DraftImage
from kaitiaki.models.draft_review import REVIEW_DECISIONS, DraftReview
from kaitiaki.models.draft_version import DraftVersion
from kaitiaki.models.kept_figures import KeptFigures
from kaitiaki.models.idempotency_key import IdempotencyKey
from kaitiaki.models.login_attempt import LoginAttempt
from kaitiaki.models.moderation_action import MODERATION_ACTIONS, ModerationAction
from kaitiaki.models.moderation_delegate import ModerationDelegate
from kaitiaki.models.notification import Notification
from kaitiaki.models.oia_request import EXTENSION_REASONS, OIA_STATES, OiaRequest
from kaitiaki.models.org_unit import ORG_UNIT_KINDS, OrgUnit
from kaitiaki.models.outbox_message import OUTBOX_KINDS, OUTBOX_STATES, OutboxMessage
from kaitiaki.models.password_reset_token import PasswordResetToken
from kaitiaki.models.personal_check import PersonalCheck
from kaitiaki.models.role_assignment import RoleAssignment
from kaitiaki.models.submission_attempt import SubmissionAttempt
from kaitiaki.models.user import User
from kaitiaki.models.user_session import UserSession
from kaitiaki.models.work_device_app import WorkDeviceApp

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "BlockedAuthor",
    "COMMENT_STATES",
    "CHANNEL_STATUSES",
    "Channel",
    "ChannelApproval",
    "ChannelAuthorisation",
    "ChannelConnection",
    "CONNECTION_STATES",
    "ChannelRequest",
    "COMPLAINT_SOURCES",
    "COMPLAINT_STATES",
    "Comment",
    "Complaint",
    "ComplaintCounter",
    "DRAFT_KINDS",
    "Draft",
    "DraftAcknowledgement",
    "DraftException",
    "DraftImage",
    "DraftReview",
    "DraftVersion",
    "KeptFigures",
    "EXCEPTION_STATES",
    "IdempotencyKey",
    "LoginAttempt",
    "MODERATION_ACTIONS",
    "ModerationAction",
    "ModerationDelegate",
    "Notification",
    "OUTBOX_KINDS",
    "OUTBOX_STATES",
    "OutboxMessage",
    "EXTENSION_REASONS",
    "OIA_STATES",
    "OiaRequest",
    "ORG_UNIT_KINDS",
    "OrgUnit",
    "PLATFORMS",
    "PasswordResetToken",
    "PersonalCheck",
    "REQUEST_KINDS",
    "REVIEW_DECISIONS",
    "RoleAssignment",
    "SubmissionAttempt",
    "UTCDateTime",
    "User",
    "UserSession",
    "WorkDeviceApp",
]
