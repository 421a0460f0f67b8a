"""The dashboard: panels by role, honest empty states, navigation by role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kaitiaki.models import User
from kaitiaki.web.dashboard import Dashboard, Panel
from kaitiaki.web.navigation import NavItem, items_for
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import sign_in


def test_staff_see_no_admin_panel_or_links(client: TestClient, session: Session):
    make_user(session, email="staff@dpmc.example.govt.nz", name="Sam Staff", roles=["staff"])
    session.commit()
    sign_in(client, "staff@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    page = client.get("/")

    assert "Recent account changes" not in page.text
    assert 'href="/admin/users"' not in page.text
    assert 'href="/admin/audit"' not in page.text
    assert "Staff member" in page.text


def test_with_no_panels_for_a_person_the_dashboard_says_so(app, client: TestClient, session: Session):
    app.state.dashboard = Dashboard([])
    make_user(session, email="quiet@dpmc.example.govt.nz", roles=["staff"])
    session.commit()
    sign_in(client, "quiet@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    assert "Nothing needs your attention right now." in client.get("/").text


def test_admins_see_recent_account_changes(client: TestClient, session: Session):
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    make_user(session, email="new@dpmc.example.govt.nz", roles=["staff"])
    session.commit()
    sign_in(client, "admin@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    page = client.get("/")

    assert "Recent account changes" in page.text
    # History reads as sentences, not event names.
    assert page.text.count("created the account") == 2
    assert "<code>user.created</code>" not in page.text
    assert 'href="/admin/users"' in page.text and 'href="/admin/audit"' in page.text


def _nothing(_session: Session, _user: User) -> list:
    return []


def test_a_panel_with_nothing_shows_its_own_empty_text(session: Session):
    user = make_user(session, roles=["comms_staff"])
    panel = Panel(key="requests", title="Channel requests", template="x.html",
                  empty_text="No channel requests wait for you.", gather=_nothing,
                  roles=frozenset({"comms_staff"}))
    hidden = Panel(key="approvals", title="Approvals", template="x.html", empty_text="-",
                   gather=_nothing, roles=frozenset({"elt_member"}))

    views = Dashboard([panel, hidden]).views_for(session, user, {"comms_staff"})

    assert [(view.panel.key, list(view.items)) for view in views] == [("requests", [])]


def test_panel_keys_must_be_unique():
    panel = Panel(key="same", title="A", template="x.html", empty_text="-", gather=_nothing)
    with pytest.raises(ValueError, match="repeated: same"):
        Dashboard([panel, panel])


def test_navigation_by_role():
    items = [NavItem("Dashboard", "/"), NavItem("Users", "/admin/users", roles=frozenset({"admin"}))]
    assert [item.label for item in items_for(items, {"staff"})] == ["Dashboard"]
    assert [item.label for item in items_for(items, {"admin"})] == ["Dashboard", "Users"]
    assert items[1].is_current("/admin/users/3") and not items[0].is_current("/admin/users")
