"""Social media apps on work devices: which app, on which device, for what business purpose
(the policy's "Social Media Apps on Work Devices"). Recorded per person; removal keeps the row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.forms import FieldErrors, clean_text
from kaitiaki.errors import NotFound
from kaitiaki.models import User, WorkDeviceApp
from kaitiaki.register import permissions
from kaitiaki.timeutil import utcnow


def record_app(
    session: Session, *, user: User, person: User, app: str, device: str, purpose: str
) -> WorkDeviceApp:
    permissions.require_can_manage_devices(session, user, person)
    errors = FieldErrors()
    app = clean_text(app, errors, "app", "the app, for example LinkedIn", max_length=100)
    device = clean_text(device, errors, "device", "the device, for example DPMC iPhone 1234",
                        max_length=200)
    purpose = clean_text(purpose, errors, "purpose", "the business purpose")
    errors.raise_if_any()
    row = WorkDeviceApp(user_id=person.id, app=app, device=device, purpose=purpose,
                        recorded_by_id=user.id, recorded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=user.email, action="device_app.recorded",
                 subject=f"user:{person.id}",
                 details={"id": row.id, "app": app, "device": device, "purpose": purpose})
    return row


def remove_app(session: Session, *, user: User, row_id: int) -> WorkDeviceApp:
    row = session.get(WorkDeviceApp, row_id)
    if row is None or row.removed_at is not None:
        raise NotFound("That app is not recorded on a work device.")
    permissions.require_can_manage_devices(session, user, row.user)
    row.removed_at = utcnow()
    row.removed_by_id = user.id
    session.flush()
    audit.record(session, actor=user.email, action="device_app.removed",
                 subject=f"user:{row.user_id}",
                 details={"id": row.id, "app": row.app, "device": row.device})
    return row


__all__ = ["record_app", "remove_app"]
