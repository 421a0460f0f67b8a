"""The permission matrix: every role against every register action, through the services.

The world each case starts from (committed once per module): an active Government House channel
owned by "owner" with "poster" authorised, a pending DPMC-GH request and a pending NEMA request,
both made by "comms". Each case runs in a transaction that is rolled back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from kaitiaki.db import session_scope
from kaitiaki.errors import NotPermitted
from kaitiaki.models import Channel, User
from kaitiaki.register import devices, permissions, service
from kaitiaki.register.schemas import CHECKLIST_ITEMS
from kaitiaki.timeutil import utcnow
from tests.fixtures.register import RULES, ZONE, draft, make_channel, make_request
from tests.register.conftest import CAST_ROLES, Cast


@dataclass(frozen=True)
class World:
    channel_id: int
    dpmc_request_id: int
    nema_request_id: int


@pytest.fixture(scope="module")
def world(cast: Cast) -> World:
    with session_scope(cast.engine) as session:
        comms = cast.user(session, "comms")
        channel = make_channel(session, requester=comms,
                               approvers=(cast.user(session, "director"), cast.user(session, "elt_gh")),
                               owner=cast.user(session, "owner"), unit="DPMC-GH",
                               platform="facebook", handle="GovHouseMatrix")
        service.authorise(session, user=cast.user(session, "owner"), channel=channel,
                          person_email=cast.emails["poster"], until=None, reason="", zone=ZONE)
        dpmc = make_request(session, requester=comms, owner=cast.user(session, "owner"),
                            unit="DPMC-GH", handle="GovHousePending")
        nema = make_request(session, requester=comms, owner=cast.user(session, "owner"),
                            handle="NemaPending")
        return World(channel.id, dpmc.id, nema.id)


Action = Callable[[Session, User, World, Cast], object]


def _someone_else(session: Session, user: User, cast: Cast) -> User:
    return cast.user(session, "poster" if user.email == cast.emails["staff"] else "staff")


def _channel(session: Session, world: World) -> Channel:
    return service.require_channel(session, world.channel_id)


ACTIONS: dict[str, Action] = {
    "request channel for someone else": lambda s, u, w, c: service.request_channel(
        s, requester=u, rules=RULES, draft=draft(owner=_someone_else(s, u, c))),
    "request channel for oneself": lambda s, u, w, c: service.request_channel(
        s, requester=u, rules=RULES, draft=draft(owner=u)),
    "request extended use": lambda s, u, w, c: service.request_extended_use(
        s, requester=u, rules=RULES, channel=_channel(s, w), details="Live video."),
    "approve DPMC request": lambda s, u, w, c: service.approve(
        s, request_id=w.dpmc_request_id, approver=u, rules=RULES),
    "decline DPMC request": lambda s, u, w, c: service.decline(
        s, request_id=w.dpmc_request_id, approver=u, rules=RULES, reason="Not now."),
    "approve NEMA request": lambda s, u, w, c: service.approve(
        s, request_id=w.nema_request_id, approver=u, rules=RULES),
    "withdraw request": lambda s, u, w, c: service.withdraw(s, request_id=w.nema_request_id, user=u),
    "edit details": lambda s, u, w, c: service.update_details(
        s, user=u, channel=_channel(s, w), display_name="New name", url="https://example.com/gh",
        purposes="Engagements.", monitoring_hours="", cadence_days=7),
    "check visual identity": lambda s, u, w, c: service.update_checklist(
        s, user=u, channel=_channel(s, w), items={key: True for key in CHECKLIST_ITEMS}),
    "record last post": lambda s, u, w, c: service.record_last_post(
        s, user=u, channel=_channel(s, w), on=utcnow().date()),
    "suspend channel": lambda s, u, w, c: service.change_status(
        s, user=u, channel=_channel(s, w), action="suspend"),
    "change business owner": lambda s, u, w, c: service.change_business_owner(
        s, user=u, channel=_channel(s, w), new_owner_email=c.emails["staff"], reason="Moved."),
    "authorise poster": lambda s, u, w, c: service.authorise(
        s, user=u, channel=_channel(s, w), person_email=c.emails["staff"], until=None, reason="",
        zone=ZONE),
    "revoke poster": lambda s, u, w, c: service.revoke(
        s, user=u, channel=_channel(s, w), person_email=c.emails["poster"]),
    "record work-device app for poster": lambda s, u, w, c: devices.record_app(
        s, user=u, person=c.user(s, "poster"), app="LinkedIn", device="Phone", purpose="Networking."),
    "see poster's page": lambda s, u, w, c: _require(permissions.can_see_person(s, u, c.user(s, "poster"))),
}

EVERYONE = frozenset(CAST_ROLES)
ALLOWED: dict[str, frozenset[str]] = {
    "request channel for someone else": frozenset({"comms"}),
    "request channel for oneself": EVERYONE,
    "request extended use": frozenset({"comms", "owner"}),
    "approve DPMC request": frozenset({"director", "elt_gh"}),
    "decline DPMC request": frozenset({"director", "elt_gh"}),
    "approve NEMA request": frozenset({"nema_ce", "nema_cm"}),
    "withdraw request": frozenset({"comms"}),  # the requester, who is communications staff
    "edit details": frozenset({"comms"}),
    "check visual identity": frozenset({"comms"}),
    "record last post": frozenset({"comms", "owner"}),
    "suspend channel": frozenset({"comms"}),
    "change business owner": frozenset({"comms"}),
    "authorise poster": frozenset({"owner"}),
    "revoke poster": frozenset({"owner"}),
    "record work-device app for poster": frozenset({"poster", "comms", "admin"}),
    "see poster's page": frozenset({"poster", "comms", "admin"}),
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted("refused")


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(ACTIONS)


@pytest.mark.parametrize("role", sorted(CAST_ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(db: Session, cast: Cast, world: World, action: str, role: str):
    user = cast.user(db, role)
    try:
        ACTIONS[action](db, user, world, cast)
        outcome = "allowed"
    except NotPermitted as refused:
        outcome = "refused"
        assert refused.detail  # every refusal says why
    expected = "allowed" if role in ALLOWED[action] else "refused"
    assert outcome == expected, f"{role} / {action}"
