"""ORM models, one module per table. Import every model here so that Base.metadata is complete."""

from kaitiaki.models.audit_event import AuditEvent
from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.blocked_author import BlockedAuthor
from kaitiaki.models.channel import CHANNEL_STATUSES, PLATFORMS, Channel
from kaitiaki.models.channel_approval import ChannelApproval
from kaitiaki.models.channel_authorisation import ChannelAuthorisation
from kaitiaki.models.channel_request import REQUEST_KINDS, ChannelRequest
from kaitiaki.models.comment import COMMENT_STATES, Comment
from kaitiaki.models.complaint import COMPLAINT_SOURCES, COMPLAINT_STATES, Complaint
from kaitiaki.models.complaint_counter import ComplaintCounter
from kaitiaki.models.login_attempt import LoginAttempt
from kaitiaki.models.moderation_action import MODERATION_ACTIONS, ModerationAction
from kaitiaki.models.moderation_delegate import ModerationDelegate
from kaitiaki.models.notification import Notification
from kaitiaki.models.org_unit import ORG_UNIT_KINDS, OrgUnit
from kaitiaki.models.role_assignment import RoleAssignment
from kaitiaki.models.submission_attempt import SubmissionAttempt
from kaitiaki.models.user import User
from kaitiaki.models.work_device_app import WorkDeviceApp

__all__ = [
    "AuditEvent",
    "Base",
    "BlockedAuthor",
    "COMMENT_STATES",
    "CHANNEL_STATUSES",
    "Channel",
    "ChannelApproval",
    "ChannelAuthorisation",
    "ChannelRequest",
    "COMPLAINT_SOURCES",
    "COMPLAINT_STATES",
    "Comment",
    "Complaint",
    "ComplaintCounter",
    "LoginAttempt",
    "MODERATION_ACTIONS",
    "ModerationAction",
    "ModerationDelegate",
    "Notification",
    "ORG_UNIT_KINDS",
    "OrgUnit",
    "PLATFORMS",
    "REQUEST_KINDS",
    "RoleAssignment",
    "SubmissionAttempt",
    "UTCDateTime",
    "User",
    "WorkDeviceApp",
]
