"""The administrators' user pages: list, add with roles, change roles, deactivate."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.people import queries, service
from tests.fixtures.people import DEFAULT_PASSWORD, make_units, make_user
from tests.web.helpers import post_form, sign_in

ADMIN_EMAIL = "admin@dpmc.example.govt.nz"


@pytest.fixture
def admin_client(client: TestClient, session: Session) -> TestClient:
    make_units(session)
    make_user(session, email=ADMIN_EMAIL, name="Aroha Admin", roles=["admin"])
    session.commit()
    assert sign_in(client, ADMIN_EMAIL, DEFAULT_PASSWORD).status_code == 303
    return client


def test_staff_cannot_open_the_user_pages(client: TestClient, session: Session):
    make_user(session, email="staff@dpmc.example.govt.nz", roles=["staff"])
    session.commit()
    sign_in(client, "staff@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    response = client.get("/admin/users")

    assert response.status_code == 403
    assert "This needs the role: Administrator." in response.text
    assert 'href="/admin/users"' not in client.get("/").text  # nor see them in the navigation


def test_staff_cannot_add_users_by_posting_directly(client: TestClient, session: Session):
    make_user(session, email="staff@dpmc.example.govt.nz", roles=["staff"])
    session.commit()
    sign_in(client, "staff@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    response = post_form(
        client, "/admin/users",
        {"email": "sneaky@dpmc.example.govt.nz", "name": "Sneaky", "password": "long-enough-password", "roles": ["admin"]},
        token_from="/",
    )

    assert response.status_code == 403
    session.expire_all()
    assert queries.get_user_by_email(session, "sneaky@dpmc.example.govt.nz") is None


def test_admin_sees_everyone_with_their_roles(admin_client: TestClient, session: Session):
    make_user(session, email="elt@dpmc.example.govt.nz", name="Tama ELT", roles=["elt_member@DPMC-SGE"])
    session.commit()

    page = admin_client.get("/admin/users")

    assert page.status_code == 200
    assert "Tama ELT" in page.text
    assert "Executive Leadership Team member (DPMC-SGE)" in page.text
    assert 'aria-current="page"' in page.text


def test_admin_adds_a_user_with_roles(admin_client: TestClient, session: Session):
    response = post_form(
        admin_client, "/admin/users",
        {
            "email": "New.Person@dpmc.example.govt.nz",
            "name": "New Person",
            "password": "a-long-first-password",
            "roles": ["comms_staff", "elt_member@DPMC-GH"],
        },
        token_from="/admin/users",
    )

    assert response.status_code == 303
    assert "Added New Person (new.person@dpmc.example.govt.nz)." in admin_client.get("/admin/users").text
    session.expire_all()
    added = queries.get_user_by_email(session, "new.person@dpmc.example.govt.nz")
    assert sorted(service.roles_of(session, added)) == [("comms_staff", None), ("elt_member", "DPMC-GH")]
    newest = audit_queries.list_events(session, action_prefix="user.created", limit=1)[0]
    assert (newest.actor, newest.subject) == (ADMIN_EMAIL, f"user:{added.id}")


def test_short_password_is_refused_with_the_minimum(admin_client: TestClient, session: Session):
    response = post_form(
        admin_client, "/admin/users",
        {"email": "short@dpmc.example.govt.nz", "name": "Short", "password": "short", "roles": ["staff"]},
        token_from="/admin/users",
    )

    assert response.status_code == 422
    assert "The password must be at least 12 characters long." in response.text
    assert 'value="short@dpmc.example.govt.nz"' in response.text  # what was typed is kept
    assert 'aria-invalid="true"' in response.text


def test_taken_email_is_a_conflict(admin_client: TestClient):
    response = post_form(
        admin_client, "/admin/users",
        {"email": ADMIN_EMAIL, "name": "Copy", "password": "a-long-first-password", "roles": ["staff"]},
        token_from="/admin/users",
    )
    assert response.status_code == 409
    assert "already" in response.text


def test_admin_changes_roles(admin_client: TestClient, session: Session):
    person = make_user(session, email="role@dpmc.example.govt.nz", roles=["staff"])
    session.commit()

    response = post_form(
        admin_client, f"/admin/users/{person.id}/roles",
        {"roles": ["comms_staff", "nema_comms_manager"]},
        token_from=f"/admin/users/{person.id}",
    )

    assert response.status_code == 303
    page = admin_client.get(f"/admin/users/{person.id}")
    assert "Roles of" in page.text and "saved" in page.text
    assert "changed the account's roles" in html.unescape(page.text)  # history reads as a sentence
    session.expire_all()
    assert sorted(service.roles_of(session, person)) == [("comms_staff", None), ("nema_comms_manager", None)]


def test_admin_sets_a_new_password(admin_client: TestClient, session: Session, app):
    person = make_user(session, email="forgot@dpmc.example.govt.nz", name="Forgetful Person")
    session.commit()
    short = post_form(admin_client, f"/admin/users/{person.id}/password", {"password": "short"},
                      token_from=f"/admin/users/{person.id}")
    assert short.status_code == 422
    assert "at least 12 characters" in short.text

    response = post_form(admin_client, f"/admin/users/{person.id}/password",
                         {"password": "a-brand-new-password"}, token_from=f"/admin/users/{person.id}")

    assert response.status_code == 303
    assert "New password set for Forgetful Person." in admin_client.get(f"/admin/users/{person.id}").text
    with TestClient(app, follow_redirects=False) as other:
        assert sign_in(other, "forgot@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 400
        assert sign_in(other, "forgot@dpmc.example.govt.nz", "a-brand-new-password").status_code == 303


def test_deactivated_person_cannot_sign_in(admin_client: TestClient, session: Session, app):
    person = make_user(session, email="leaving@dpmc.example.govt.nz", name="Leaving Person")
    session.commit()

    response = post_form(admin_client, f"/admin/users/{person.id}/deactivate", {}, token_from=f"/admin/users/{person.id}")

    assert response.status_code == 303
    assert "Leaving Person can no longer sign in." in admin_client.get(f"/admin/users/{person.id}").text
    with TestClient(app, follow_redirects=False) as other:
        assert sign_in(other, "leaving@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 400


def test_the_last_admin_cannot_be_deactivated(admin_client: TestClient, session: Session):
    admin = queries.get_user_by_email(session, ADMIN_EMAIL)
    response = post_form(admin_client, f"/admin/users/{admin.id}/deactivate", {}, token_from=f"/admin/users/{admin.id}")
    assert response.status_code == 409
    assert "only active administrator" in response.text


def test_unknown_user_number_is_a_404(admin_client: TestClient):
    assert admin_client.get("/admin/users/999999").status_code == 404
