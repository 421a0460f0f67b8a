"""`/api/v1/channels`: the register, channel requests and posting authorisations as JSON.

The API acts as the signed-in person (the same session as the web pages; JSON bodies need no
CSRF token because browsers cannot send them cross-site without CORS, which is off). Every change
goes through the same services as the pages and writes the same audit events. Errors come back
as `{"error", "detail", "fields"}` with a 4xx status.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from kaitiaki.register import notices, permissions, queries, service
from kaitiaki.register.export import request_out
from kaitiaki.register.queries import RegisterFilter
from kaitiaki.register.schemas import (
    AuthorisationOut,
    AuthoriseIn,
    ChannelDraft,
    ChannelOut,
    ChannelRequestIn,
    DeclineIn,
    ExtendedUseIn,
    OwnerChangeIn,
    RequestOut,
    RevokeIn,
)
from kaitiaki.register.web import rules_of
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser, Work

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])


@router.get("", response_model=list[ChannelOut], summary="List the register")
def list_channels(
    request: Request, session: DbSession, user: RequiredUser, q: str = "", platform: str = "",
    unit: str = "", status: str = "", flagged: bool = False,
) -> list[ChannelOut]:
    permissions.require_active(user)
    today = to_local(utcnow(), request.app.state.settings.zone).date()
    filters = RegisterFilter(q=q[:200], platform=platform, unit=unit[:40], status=status,
                             flagged=flagged)
    return [ChannelOut.of(c, f) for c, f in queries.list_channels(session, filters, today=today)]


@router.get("/posters", response_model=list[AuthorisationOut], summary="Who can post where")
def posters(session: DbSession, user: RequiredUser) -> list[AuthorisationOut]:
    permissions.require_active(user)
    now = utcnow()
    return [AuthorisationOut.of(g, g.channel, now) for g in queries.authorisations_in_force(session, now)]


@router.get("/requests", response_model=list[RequestOut], summary="Open channel requests")
def open_requests(session: DbSession, user: RequiredUser) -> list[RequestOut]:
    permissions.require_active(user)
    return [request_out(session, r) for r in queries.open_requests(session)]


@router.post("/requests", response_model=RequestOut, status_code=201,
             summary="Request a new channel")
def request_channel(
    request: Request, body: ChannelRequestIn, work: Work, user: RequiredUser,
) -> RequestOut:
    session, rules = work.session, rules_of(request)
    draft = ChannelDraft(
        platform=body.platform, handle=body.handle, url=body.url, display_name=body.display_name,
        unit_code=body.unit, purposes=body.purposes, business_owner_email=body.business_owner,
        monitoring_hours=body.monitoring_hours, cadence_days=body.cadence_days,
    )
    created = service.request_channel(session, requester=user, rules=rules, draft=draft,
                                      details=body.details)
    work.outbox.extend(notices.request_notices(session, rules, created, work.settings.base_url))
    return request_out(session, created)


@router.get("/requests/{request_id}", response_model=RequestOut, summary="One channel request")
def show_request(request_id: int, session: DbSession, user: RequiredUser) -> RequestOut:
    permissions.require_active(user)
    return request_out(session, service.require_request(session, request_id))


@router.post("/requests/{request_id}/approve", response_model=RequestOut,
             summary="Approve a channel request")
def approve(request: Request, request_id: int, work: Work, user: RequiredUser) -> RequestOut:
    session, rules = work.session, rules_of(request)
    decided = service.approve(session, request_id=request_id, approver=user, rules=rules)
    work.outbox.extend(notices.request_notices(session, rules, decided, work.settings.base_url))
    return request_out(session, decided)


@router.post("/requests/{request_id}/decline", response_model=RequestOut,
             summary="Decline a channel request, with the reason")
def decline(request: Request, request_id: int, body: DeclineIn, work: Work,
            user: RequiredUser) -> RequestOut:
    session, rules = work.session, rules_of(request)
    decided = service.decline(session, request_id=request_id, approver=user, rules=rules,
                              reason=body.reason)
    work.outbox.extend(notices.request_notices(session, rules, decided, work.settings.base_url))
    return request_out(session, decided)


@router.post("/requests/{request_id}/withdraw", response_model=RequestOut,
             summary="Withdraw a channel request")
def withdraw(request_id: int, session: DbSession, user: RequiredUser) -> RequestOut:
    return request_out(session, service.withdraw(session, request_id=request_id, user=user))


@router.get("/{channel_id}", response_model=ChannelOut, summary="One channel")
def show_channel(request: Request, channel_id: int, session: DbSession, user: RequiredUser) -> ChannelOut:
    permissions.require_active(user)
    channel = service.require_channel(session, channel_id)
    today = to_local(utcnow(), request.app.state.settings.zone).date()
    return ChannelOut.of(channel, queries.channel_flags(session, channel, today))


@router.post("/{channel_id}/extended-use", response_model=RequestOut, status_code=201,
             summary="Request extended use of a channel")
def request_extended_use(
    request: Request, channel_id: int, body: ExtendedUseIn, work: Work, user: RequiredUser,
) -> RequestOut:
    session, rules = work.session, rules_of(request)
    channel = service.require_channel(session, channel_id)
    created = service.request_extended_use(session, requester=user, rules=rules, channel=channel,
                                           details=body.details)
    work.outbox.extend(notices.request_notices(session, rules, created, work.settings.base_url))
    return request_out(session, created)


@router.get("/{channel_id}/authorisations", response_model=list[AuthorisationOut],
            summary="Every posting authorisation on a channel, past and present")
def authorisations(channel_id: int, session: DbSession, user: RequiredUser) -> list[AuthorisationOut]:
    permissions.require_active(user)
    channel = service.require_channel(session, channel_id)
    now = utcnow()
    return [AuthorisationOut.of(g, channel, now) for g in queries.authorisations_of(session, channel)]


@router.post("/{channel_id}/authorisations", response_model=AuthorisationOut, status_code=201,
             summary="Authorise a person to post (business owner only)")
def authorise(channel_id: int, body: AuthoriseIn, session: DbSession, user: RequiredUser,
              settings: AppSettings) -> AuthorisationOut:
    channel = service.require_channel(session, channel_id)
    grant = service.authorise(session, user=user, channel=channel, person_email=body.email,
                              until=body.until, reason=body.reason, zone=settings.zone)
    return AuthorisationOut.of(grant, channel, utcnow())


@router.post("/{channel_id}/authorisations/revoke", response_model=AuthorisationOut,
             summary="Revoke a person's authorisation at once (business owner only)")
def revoke(channel_id: int, body: RevokeIn, session: DbSession, user: RequiredUser) -> AuthorisationOut:
    channel = service.require_channel(session, channel_id)
    grant = service.revoke(session, user=user, channel=channel, person_email=body.email,
                           reason=body.reason)
    return AuthorisationOut.of(grant, channel, utcnow())


@router.put("/{channel_id}/owner", response_model=ChannelOut,
            summary="Change the business owner (communications staff)")
def change_owner(request: Request, channel_id: int, body: OwnerChangeIn, session: DbSession,
                 user: RequiredUser) -> ChannelOut:
    channel = service.require_channel(session, channel_id)
    service.change_business_owner(session, user=user, channel=channel,
                                  new_owner_email=body.business_owner, reason=body.reason)
    today = to_local(utcnow(), request.app.state.settings.zone).date()
    return ChannelOut.of(channel, queries.channel_flags(session, channel, today))


__all__ = ["router"]
