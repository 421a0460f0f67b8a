"""Register services on SQLite and PostgreSQL: requests and their two approvals, the register's
upkeep, business-owner authorisations and work-device apps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kaitiaki.audit import queries as audit_queries
from kaitiaki.errors import BadInput, Conflict, InvalidTransition, NotPermitted
from kaitiaki.models import AuditEvent, Channel, ChannelAuthorisation, ChannelRequest
from kaitiaki.people import service as people_service
from kaitiaki.register import devices, queries, service
from kaitiaki.register.queries import RegisterFilter
from kaitiaki.register.schemas import CHECKLIST_ITEMS
from kaitiaki.timeutil import utcnow
from tests.fixtures.register import RULES, ZONE, draft, make_channel, make_request


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def _nema_channel(db, cast, **kwargs) -> Channel:
    return make_channel(db, requester=cast.user(db, "comms"),
                        approvers=(cast.user(db, "nema_ce"), cast.user(db, "nema_cm")),
                        owner=cast.user(db, "owner"), checked_by=cast.user(db, "comms"), **kwargs)


def test_a_dpmc_request_needs_the_director_and_the_units_elt_member(db, cast):
    comms, director, elt_gh = (cast.user(db, n) for n in ("comms", "director", "elt_gh"))
    request = make_request(db, requester=comms, owner=cast.user(db, "owner"), unit="DPMC-GH",
                           platform="instagram", handle="GovHouseTest")
    assert (request.state, request.channel.status) == ("pending", "proposed")
    assert [r.spec for r in queries.missing_requirements(db, RULES, request)] == [
        "director_strategic_comms", "elt_member@DPMC-GH"]

    service.approve(db, request_id=request.id, approver=director, rules=RULES)
    assert (request.state, request.channel.status) == ("partly_approved", "proposed")
    service.approve(db, request_id=request.id, approver=elt_gh, rules=RULES)
    assert (request.state, request.channel.status) == ("approved", "active")
    assert request.decided_by == elt_gh

    approvals = [(a.approver.email, a.requirement) for a in queries.approvals_of(db, request)]
    assert approvals == [(director.email, "director_strategic_comms"),
                         (elt_gh.email, "elt_member@DPMC-GH")]
    actions = [e.action for e in audit_queries.list_events(db, subject=f"channel:{request.channel.id}")]
    assert actions == ["channel.status_changed", "channel.request_approved",
                       "channel.request_approved", "channel.requested"]


def test_the_elt_member_of_a_unit_above_approves_for_the_unit_below(db, cast):
    request = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"),
                           unit="DPMC-SCE")  # under DPMC-SGE
    with pytest.raises(NotPermitted):
        service.approve(db, request_id=request.id, approver=cast.user(db, "elt_gh"), rules=RULES)
    service.approve(db, request_id=request.id, approver=cast.user(db, "elt_sge"), rules=RULES)
    assert request.state == "partly_approved"


def test_nema_requests_need_its_chief_executive_and_communications_manager(db, cast):
    request = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    with pytest.raises(NotPermitted) as refused:
        service.approve(db, request_id=request.id, approver=cast.user(db, "director"), rules=RULES)
    assert refused.value.detail == ("This request needs a decision by the NEMA Chief Executive and "
                                    "NEMA Communications Manager; you do not hold that role.")
    service.approve(db, request_id=request.id, approver=cast.user(db, "nema_cm"), rules=RULES)
    service.approve(db, request_id=request.id, approver=cast.user(db, "nema_ce"), rules=RULES)
    assert request.state == "approved"


def test_nobody_approves_their_own_request(db, cast):
    manager = cast.user(db, "nema_cm")
    request = make_request(db, requester=manager, owner=manager)
    with pytest.raises(NotPermitted, match="You made this request"):
        service.approve(db, request_id=request.id, approver=manager, rules=RULES)
    assert queries.approvals_of(db, request) == []


def test_the_same_person_cannot_give_both_approvals(db, cast):
    request = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    ce = cast.user(db, "nema_ce")
    service.approve(db, request_id=request.id, approver=ce, rules=RULES)
    with pytest.raises(NotPermitted) as refused:
        service.approve(db, request_id=request.id, approver=ce, rules=RULES)
    assert refused.value.detail == ("You have already approved this request; it now needs the "
                                    "NEMA Communications Manager, who must be someone else.")
    assert request.state == "partly_approved"
    assert len(queries.approvals_of(db, request)) == 1


def test_approving_twice_or_a_declined_request_names_its_state(db, cast):
    ce, cm = cast.user(db, "nema_ce"), cast.user(db, "nema_cm")
    approved = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    service.approve(db, request_id=approved.id, approver=ce, rules=RULES)
    service.approve(db, request_id=approved.id, approver=cm, rules=RULES)
    with pytest.raises(InvalidTransition) as refused:
        service.approve(db, request_id=approved.id, approver=cm, rules=RULES)
    assert refused.value.detail.startswith("This request is already approved; it can no longer be approved.")

    declined = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    service.decline(db, request_id=declined.id, approver=ce, rules=RULES, reason="Not needed.")
    events_before = _count(db, AuditEvent)
    with pytest.raises(InvalidTransition) as refused:
        service.approve(db, request_id=declined.id, approver=cm, rules=RULES)
    assert refused.value.detail.startswith("This request is declined; it can no longer be approved.")
    assert (declined.state, declined.channel.status) == ("declined", "declined")
    assert declined.decline_reason == "Not needed."
    assert _count(db, AuditEvent) == events_before


def test_declining_needs_a_reason(db, cast):
    request = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    with pytest.raises(BadInput) as refused:
        service.decline(db, request_id=request.id, approver=cast.user(db, "nema_ce"),
                        rules=RULES, reason="   ")
    assert [f.loc for f in refused.value.fields] == [["reason"]]
    assert request.state == "pending"


def test_the_same_handle_on_the_same_platform_is_a_conflict_naming_the_channel(db, cast):
    existing = _nema_channel(db, cast, handle="NZCivilDefenceTest")
    channels, requests = _count(db, Channel), _count(db, ChannelRequest)
    with pytest.raises(service.DuplicateChannel) as refused:
        make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"),
                     handle="@nzcivildefencetest")
    assert refused.value.channel_id == existing.id
    assert refused.value.path == f"/register/channels/{existing.id}"
    assert f"/register/channels/{existing.id}" in refused.value.detail
    assert (_count(db, Channel), _count(db, ChannelRequest)) == (channels, requests)
    # The same handle on another platform is another channel.
    make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"),
                 handle="NZCivilDefenceTest", platform="facebook")


def test_bad_input_is_reported_per_field_and_nothing_is_written(db, cast):
    events, channels = _count(db, AuditEvent), _count(db, Channel)
    bad = draft(owner=cast.user(db, "owner"))
    bad = bad.__class__(**{**bad.__dict__, "url": "htp:/not a url", "display_name": " ",
                           "business_owner_email": "ghost@cast.example.govt.nz"})
    with pytest.raises(BadInput) as refused:
        service.request_channel(db, requester=cast.user(db, "comms"), rules=RULES, draft=bad)
    fields = {f.loc[0]: f.msg for f in refused.value.fields}
    assert set(fields) == {"url", "display_name", "business_owner"}
    assert fields["url"].startswith("Enter the full web address")
    assert (_count(db, AuditEvent), _count(db, Channel)) == (events, channels)


def test_a_dpmc_channel_must_belong_to_a_business_unit(db, cast):
    with pytest.raises(BadInput) as refused:
        make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"), unit="DPMC")
    assert refused.value.fields[0].loc == ["unit"]
    assert _count(db, Channel) == 0


def test_staff_request_channels_only_with_themselves_as_owner(db, cast):
    staff = cast.user(db, "staff")
    with pytest.raises(NotPermitted):
        make_request(db, requester=staff, owner=cast.user(db, "owner"))
    own = make_request(db, requester=staff, owner=staff)
    assert own.channel.business_owner == staff


def test_extended_use_adds_the_purpose_once_approved(db, cast):
    channel = _nema_channel(db, cast)
    request = service.request_extended_use(db, requester=cast.user(db, "owner"), rules=RULES,
                                           channel=channel, details="Live video during emergencies.")
    assert channel.purposes == "Public information."
    for approver in ("nema_ce", "nema_cm"):
        service.approve(db, request_id=request.id, approver=cast.user(db, approver), rules=RULES)
    assert channel.purposes == "Public information.\nLive video during emergencies."
    assert [r.kind for r in queries.requests_of_channel(db, channel)] == ["extended_use", "new_channel"]


def test_withdrawing_a_new_channel_request(db, cast):
    request = make_request(db, requester=cast.user(db, "staff"), owner=cast.user(db, "staff"))
    with pytest.raises(NotPermitted):
        service.withdraw(db, request_id=request.id, user=cast.user(db, "owner"))
    service.withdraw(db, request_id=request.id, user=cast.user(db, "staff"))
    assert (request.state, request.channel.status) == ("withdrawn", "withdrawn")


def test_a_declined_channel_can_be_requested_again_and_keeps_its_history(db, cast):
    first = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"),
                         handle="AskAgain")
    service.decline(db, request_id=first.id, approver=cast.user(db, "nema_ce"), rules=RULES,
                    reason="Say who will monitor it.")
    second = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "staff"),
                          handle="@askagain")
    assert second.channel is first.channel
    assert (second.state, second.channel.status) == ("pending", "proposed")
    assert second.channel.business_owner == cast.user(db, "staff")
    assert [r.state for r in queries.requests_of_channel(db, second.channel)] == ["pending", "declined"]


def test_requests_awaiting_an_approver(db, cast):
    request = make_request(db, requester=cast.user(db, "comms"), owner=cast.user(db, "owner"))
    ce, cm = cast.user(db, "nema_ce"), cast.user(db, "nema_cm")
    assert queries.requests_awaiting(db, ce, RULES) == [request]
    assert queries.requests_awaiting(db, cast.user(db, "director"), RULES) == []
    service.approve(db, request_id=request.id, approver=ce, rules=RULES)
    assert queries.requests_awaiting(db, ce, RULES) == []
    assert queries.requests_awaiting(db, cm, RULES) == [request]


def test_only_the_business_owner_authorises_and_revocation_is_immediate(db, cast):
    channel = _nema_channel(db, cast)
    owner, poster, comms = (cast.user(db, n) for n in ("owner", "poster", "comms"))
    with pytest.raises(NotPermitted) as refused:
        service.authorise(db, user=comms, channel=channel, person_email=poster.email, until=None,
                          reason="", zone=ZONE)
    assert refused.value.detail == (f"Only the channel's business owner, Olivia Owner, can "
                                    f"authorise posters on @{channel.handle}.")
    assert not service.can_post(db, poster, channel)

    service.authorise(db, user=owner, channel=channel, person_email=poster.email, until=None,
                      reason="Drafts the updates.", zone=ZONE)
    assert service.can_post(db, poster, channel)
    assert queries.channels_postable_by(db, poster) == [channel]
    with pytest.raises(Conflict, match="already authorised"):
        service.authorise(db, user=owner, channel=channel, person_email=poster.email, until=None,
                          reason="", zone=ZONE)

    with pytest.raises(NotPermitted):
        service.revoke(db, user=poster, channel=channel, person_email=poster.email)
    service.revoke(db, user=owner, channel=channel, person_email=poster.email, reason="Moved team.")
    assert not service.can_post(db, poster, channel)
    assert queries.channels_postable_by(db, poster) == []
    history = queries.authorisations_of(db, channel)
    assert [(g.revoked_by, g.revocation_reason) for g in history] == [(owner, "Moved team.")]


def test_an_authorisation_may_expire(db, cast):
    channel = _nema_channel(db, cast)
    owner, poster = cast.user(db, "owner"), cast.user(db, "poster")
    last_day = utcnow().date() + timedelta(days=3)
    grant = service.authorise(db, user=owner, channel=channel, person_email=poster.email,
                              until=last_day, reason="", zone=ZONE)
    assert service.can_post(db, poster, channel)
    assert not service.can_post(db, poster, channel, at=grant.expires_at)
    assert queries.channels_postable_by(db, poster, at=grant.expires_at + timedelta(seconds=1)) == []
    with pytest.raises(BadInput) as refused:
        service.authorise(db, user=owner, channel=channel, person_email=cast.user(db, "staff").email,
                          until=date(2020, 1, 1), reason="", zone=ZONE)
    assert refused.value.fields[0].loc == ["until"]


def test_granting_to_an_unknown_person_is_a_field_error_and_writes_nothing(db, cast):
    channel = _nema_channel(db, cast)
    grants, events = _count(db, ChannelAuthorisation), _count(db, AuditEvent)
    with pytest.raises(BadInput) as refused:
        service.authorise(db, user=cast.user(db, "owner"), channel=channel,
                          person_email="nobody@cast.example.govt.nz", until=None, reason="", zone=ZONE)
    assert [(f.loc, f.msg) for f in refused.value.fields] == [
        (["email"], "Nobody with the email address nobody@cast.example.govt.nz has an account.")]
    assert (_count(db, ChannelAuthorisation), _count(db, AuditEvent)) == (grants, events)


def test_comms_staff_change_the_business_owner_and_it_is_recorded(db, cast):
    channel = _nema_channel(db, cast)
    with pytest.raises(NotPermitted):
        service.change_business_owner(db, user=cast.user(db, "owner"), channel=channel,
                                      new_owner_email=cast.user(db, "staff").email, reason="Leaving")
    service.change_business_owner(db, user=cast.user(db, "comms"), channel=channel,
                                  new_owner_email=cast.user(db, "staff").email, reason="Leaving")
    assert channel.business_owner == cast.user(db, "staff")
    event = audit_queries.list_events(db, subject=f"channel:{channel.id}", limit=1)[0]
    assert (event.action, event.details["from"], event.details["to"]) == (
        "channel.owner_changed", cast.emails["owner"], cast.emails["staff"])
    # The new owner, not the old one, now authorises posters.
    with pytest.raises(NotPermitted):
        service.authorise(db, user=cast.user(db, "owner"), channel=channel,
                          person_email=cast.emails["poster"], until=None, reason="", zone=ZONE)


def test_flags_cadence_checklist_and_an_owner_who_left(db, cast):
    channel = _nema_channel(db, cast)
    today = utcnow().date()
    assert queries.flags_of(channel, today) == ["no_recent_post"]  # never posted, cadence 14
    service.record_last_post(db, user=cast.user(db, "owner"), channel=channel,
                             on=today - timedelta(days=14))
    assert queries.flags_of(channel, today) == []
    assert queries.flags_of(channel, today + timedelta(days=1)) == ["no_recent_post"]
    service.update_checklist(db, user=cast.user(db, "comms"), channel=channel,
                             items={key: key != "bio_wording_approved" for key in CHECKLIST_ITEMS})
    assert channel.checklist_checked_by == cast.user(db, "comms")
    people_service.deactivate(db, email=cast.emails["owner"], actor="system")
    assert queries.flags_of(channel, today) == ["checklist_incomplete", "owner_left"]
    assert [c for c, _ in queries.flagged_channels(db, today)] == [channel]


def test_a_channel_approved_today_has_its_first_cadence_before_it_is_flagged(db, cast):
    channel = _nema_channel(db, cast)  # approved just now, cadence 14 days, never posted
    today = utcnow().date()
    assert queries.channel_flags(db, channel, today) == []
    assert queries.channel_flags(db, channel, today + timedelta(days=14)) == []
    assert queries.channel_flags(db, channel, today + timedelta(days=15)) == ["no_recent_post"]
    listed = dict(queries.list_channels(db, today=today))
    assert listed[channel] == []
    assert channel not in [c for c, _ in queries.flagged_channels(db, today)]


def test_search_and_filters(db, cast):
    nema = _nema_channel(db, cast, handle="CivilDefenceSearch")
    gh = make_channel(db, requester=cast.user(db, "comms"),
                      approvers=(cast.user(db, "director"), cast.user(db, "elt_gh")),
                      owner=cast.user(db, "owner"), unit="DPMC-GH", platform="facebook",
                      handle="GovHouseSearch")
    def handles(**filters):
        return [c.handle for c, _ in queries.list_channels(db, RegisterFilter(**filters))]
    assert handles(q="civildefence") == ["CivilDefenceSearch"]
    assert handles(q="@CivilDefenceSearch") == ["CivilDefenceSearch"]
    assert handles(q="%") == []  # a typed % is not a wildcard
    assert handles(q="display govhouse") == ["GovHouseSearch"]
    assert handles(platform="facebook") == ["GovHouseSearch"]
    assert handles(unit="dpmc-gh") == [gh.handle]
    service.change_status(db, user=cast.user(db, "comms"), channel=nema, action="retire")
    assert handles(status="retired") == [nema.handle]
    with pytest.raises(InvalidTransition, match="This channel is retired"):
        service.change_status(db, user=cast.user(db, "comms"), channel=nema, action="resume")


def test_work_device_apps_are_recorded_for_a_business_purpose(db, cast):
    poster, staff, comms = (cast.user(db, n) for n in ("poster", "staff", "comms"))
    row = devices.record_app(db, user=poster, person=poster, app="LinkedIn",
                             device="DPMC iPhone 1234", purpose="Professional networking.")
    devices.record_app(db, user=comms, person=poster, app="X", device="DPMC iPhone 1234",
                       purpose="Emergency messaging on @NZCivilDefence.")
    with pytest.raises(NotPermitted):
        devices.record_app(db, user=staff, person=poster, app="TikTok", device="Laptop", purpose="?")
    with pytest.raises(BadInput) as refused:
        devices.record_app(db, user=poster, person=poster, app="", device="", purpose="")
    assert {f.loc[0] for f in refused.value.fields} == {"app", "device", "purpose"}
    assert [r.app for r in queries.device_apps_of(db, poster)] == ["X", "LinkedIn"]
    devices.remove_app(db, user=poster, row_id=row.id)
    assert [r.app for r in queries.device_apps_of(db, poster)] == ["X"]
    assert len(queries.device_apps_of(db, poster, include_removed=True)) == 2
    assert [e.action for e in audit_queries.list_events(db, subject=f"user:{poster.id}", limit=3)] == [
        "device_app.removed", "device_app.recorded", "device_app.recorded"]
