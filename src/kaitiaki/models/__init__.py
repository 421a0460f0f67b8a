"""ORM models, one module per table. Import every model here so that Base.metadata is complete."""

from kaitiaki.models.audit_event import AuditEvent
from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.login_attempt import LoginAttempt
from kaitiaki.models.org_unit import ORG_UNIT_KINDS, OrgUnit
from kaitiaki.models.role_assignment import RoleAssignment
from kaitiaki.models.user import User

__all__ = [
    "AuditEvent",
    "Base",
    "LoginAttempt",
    "ORG_UNIT_KINDS",
    "OrgUnit",
    "RoleAssignment",
    "UTCDateTime",
    "User",
]
