from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from kaitiaki.errors import BadInput, Conflict, NotFound, NotPermitted
from kaitiaki.models import AuditEvent, RoleAssignment, User
from kaitiaki.people import queries, service
from kaitiaki.people.passwords import hash_password
from tests.fixtures.people import DEFAULT_PASSWORD, make_units, make_user

ACTOR = "admin@dpmc.example.govt.nz"


def _audit_actions(session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_add_user_stores_lower_case_email_hash_roles_and_an_audit_event(session):
    make_units(session)
    user = service.add_user(
        session, email="  Tama.Smith@DPMC.example.govt.nz ", name=" Tama   Smith ",
        password="a-long-password-1", roles=["elt_member@DPMC-SGE", "comms_staff"], actor=ACTOR,
    )
    assert user.email == "tama.smith@dpmc.example.govt.nz"
    assert user.name == "Tama Smith"
    assert user.password_hash.startswith("$argon2id$")
    assert user.is_active and user.left_at is None
    assert user.created_at.utcoffset().total_seconds() == 0
    assert service.roles_of(session, user) == [("comms_staff", None), ("elt_member", "DPMC-SGE")]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.actor, event.action, event.subject) == (ACTOR, "user.created", f"user:{user.id}")
    assert event.details["roles"] == ["comms_staff", "elt_member@DPMC-SGE"]
    assert "a-long-password-1" not in str(event.details)


def test_taken_email_is_a_conflict_and_writes_nothing(session):
    make_user(session, email="taken@dpmc.example.govt.nz")
    users_before = session.scalar(select(func.count()).select_from(User))
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(Conflict, match="already exists"):
        make_user(session, email="TAKEN@dpmc.example.govt.nz")
    assert session.scalar(select(func.count()).select_from(User)) == users_before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"email": "not-an-email"}, BadInput, "not a valid email"),
        ({"email": "a@localhost"}, BadInput, "not a valid email"),
        ({"name": "   "}, BadInput, "name is required"),
        ({"password": "short"}, BadInput, "at least 12 characters"),
        ({"password": "x" * 2000}, BadInput, "at most 1024"),
        ({"roles": ["wizard"]}, BadInput, "Unknown role 'wizard'"),
        ({"roles": ["elt_member"]}, BadInput, "needs a business unit"),
        ({"roles": ["elt_member@NOPE"]}, BadInput, "Unknown organisation unit 'NOPE'"),
    ],
)
def test_add_user_rejects_bad_input_and_writes_nothing(session, changes, error, message):
    make_units(session)
    arguments = {
        "email": "new@dpmc.example.govt.nz", "name": "New Person",
        "password": "a-long-password-1", "roles": ["staff"],
    } | changes
    with pytest.raises(error, match=message):
        service.add_user(session, actor=ACTOR, **arguments)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_password_minimum_length_follows_the_setting(session):
    with pytest.raises(BadInput, match="at least 20 characters"):
        service.add_user(
            session, email="p@dpmc.example.govt.nz", name="P", password="only-fifteen-ch",
            roles=[], actor=ACTOR, password_min_length=20,
        )


def test_set_roles_replaces_roles_and_records_before_and_after(session):
    make_units(session)
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    user = make_user(session, email="m@dpmc.example.govt.nz", roles=["staff", "comms_staff"])
    service.set_roles(session, email="M@dpmc.example.govt.nz",
                      roles=["elt_member@DPMC-GH", "elt_member@DPMC-GH"], actor=ACTOR)
    assert service.roles_of(session, user) == [("elt_member", "DPMC-GH")]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "user.roles_changed"
    assert event.details["before"] == ["comms_staff", "staff"]
    assert event.details["after"] == ["elt_member@DPMC-GH"]


def test_set_roles_without_a_change_records_nothing(session):
    make_user(session, email="same@dpmc.example.govt.nz", roles=["staff"])
    count = len(_audit_actions(session))
    service.set_roles(session, email="same@dpmc.example.govt.nz", roles=["staff"], actor=ACTOR)
    assert len(_audit_actions(session)) == count


def test_set_roles_for_unknown_user_is_not_found(session):
    with pytest.raises(NotFound, match="nobody@"):
        service.set_roles(session, email="nobody@dpmc.example.govt.nz", roles=[], actor=ACTOR)


def test_the_last_active_admin_cannot_be_removed(session):
    make_user(session, email="only.admin@dpmc.example.govt.nz", roles=["admin"])
    with pytest.raises(Conflict, match="only active administrator"):
        service.set_roles(session, email="only.admin@dpmc.example.govt.nz", roles=["staff"],
                          actor=ACTOR)
    with pytest.raises(Conflict, match="only active administrator"):
        service.deactivate(session, email="only.admin@dpmc.example.govt.nz", actor=ACTOR)
    make_user(session, email="second.admin@dpmc.example.govt.nz", roles=["admin"])
    service.deactivate(session, email="only.admin@dpmc.example.govt.nz", actor=ACTOR)


def test_deactivated_user_cannot_sign_in_and_keeps_their_record(session):
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    make_user(session, email="leaver@dpmc.example.govt.nz", roles=["comms_staff"])
    assert service.authenticate(session, "leaver@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    user = service.deactivate(session, email="leaver@dpmc.example.govt.nz", actor=ACTOR)
    assert not user.is_active and user.left_at is not None
    assert service.authenticate(session, "leaver@dpmc.example.govt.nz", DEFAULT_PASSWORD) is None
    assert queries.get_user_by_email(session, "leaver@dpmc.example.govt.nz") is not None
    with pytest.raises(Conflict, match="already deactivated"):
        service.deactivate(session, email="leaver@dpmc.example.govt.nz", actor=ACTOR)
    with pytest.raises(NotPermitted):
        service.require_role(session, user, "comms_staff")


def test_authenticate(session):
    make_user(session, email="sign.in@dpmc.example.govt.nz")
    assert service.authenticate(session, "Sign.In@dpmc.example.govt.nz", DEFAULT_PASSWORD).email \
        == "sign.in@dpmc.example.govt.nz"
    assert service.authenticate(session, "sign.in@dpmc.example.govt.nz", "wrong password!") is None
    assert service.authenticate(session, "nobody@dpmc.example.govt.nz", DEFAULT_PASSWORD) is None
    assert service.authenticate(session, "sign.in@dpmc.example.govt.nz", "x" * 5000) is None


def test_authenticate_upgrades_a_weak_hash(session):
    user = make_user(session, email="old@dpmc.example.govt.nz")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(
        DEFAULT_PASSWORD
    )
    weak = user.password_hash
    assert service.authenticate(session, "old@dpmc.example.govt.nz", DEFAULT_PASSWORD) is user
    assert user.password_hash != weak


def test_set_password(session):
    make_user(session, email="pw@dpmc.example.govt.nz")
    service.set_password(session, email="pw@dpmc.example.govt.nz",
                         password="a-brand-new-password", actor=ACTOR)
    assert service.authenticate(session, "pw@dpmc.example.govt.nz", "a-brand-new-password")
    assert service.authenticate(session, "pw@dpmc.example.govt.nz", DEFAULT_PASSWORD) is None
    assert _audit_actions(session)[-1] == "user.password_changed"


def test_has_role_and_require_role(session):
    elt = make_user(session, roles=["elt_member@DPMC-SGE"])
    assert service.has_role(session, elt, "elt_member")
    assert service.has_role(session, elt, "elt_member", "DPMC-SGE")
    assert service.has_role(session, elt, "elt_member", "dpmc-sge")
    assert not service.has_role(session, elt, "elt_member", "DPMC-GH")
    assert not service.has_role(session, elt, "admin")
    service.require_role(session, elt, "admin", "elt_member")
    with pytest.raises(NotPermitted, match="Administrator"):
        service.require_role(session, elt, "admin")
    with pytest.raises(NotPermitted, match="Sign in"):
        service.require_role(session, None, "staff")
    with pytest.raises(BadInput, match="Unknown role"):
        service.require_role(session, elt, "overlord")


def test_agency_wide_role_cannot_be_assigned_twice_even_behind_the_service(session):
    user = make_user(session, roles=["staff"])
    session.add(RoleAssignment(user_id=user.id, role="staff", unit_id=None))
    with pytest.raises(Exception, match="(?i)unique"):
        session.flush()


def test_queries(session):
    make_units(session)
    a = make_user(session, email="b@dpmc.example.govt.nz", roles=["elt_member@DPMC-GH"])
    b = make_user(session, email="a@dpmc.example.govt.nz", roles=["elt_member@DPMC-SGE"])
    assert [u.email for u in queries.list_users(session)] == [b.email, a.email]
    assert queries.get_user(session, a.id) is a
    assert queries.get_user_by_email(session, "B@DPMC.example.govt.nz") is a
    assert queries.users_with_role(session, "elt_member", "DPMC-GH") == [a]
    assert queries.users_with_role(session, "elt_member") == [b, a]
    assert queries.get_unit_by_code(session, "dpmc-gh").parent.code == "DPMC"


def test_add_unit_validates(session):
    make_units(session)
    with pytest.raises(Conflict):
        service.add_unit(session, code="DPMC", name="Again", kind="agency", parent_code=None,
                         actor=ACTOR)
    with pytest.raises(BadInput, match="kind"):
        service.add_unit(session, code="NEW", name="New", kind="team", parent_code=None,
                         actor=ACTOR)
    with pytest.raises(BadInput, match="parent"):
        service.add_unit(session, code="NEW", name="New", kind="business_unit",
                         parent_code="NOPE", actor=ACTOR)


def test_stored_hash_is_never_the_password(session):
    user = make_user(session, password="visible-password-123")
    assert "visible-password-123" not in user.password_hash
    assert hash_password("visible-password-123") != user.password_hash
