"""`/api/v1/drafts`: the policy gate for an outside social media tool (or a script).

The whole gate over JSON: list the channels the person may post on, create a draft (checked at
once unless `?check=false`), change it (a new version), check it, acknowledge warnings, ask for an
exception (and, as the business owner, decide one), submit, review another person's draft on a
channel that asks for review, schedule it (or take its time away), and record publication. The caller is
the signed-in session or a personal API token (`Authorization: Bearer ...`, see docs/api.md).
Every change goes through the same services as the pages and writes the same audit events; a
refused step changes nothing and answers `{"error", "detail", "fields"}` with a 4xx status.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from kaitiaki.models import Draft, User
from kaitiaki.publishing import permissions, queries, review, scheduling, service
from kaitiaki.publishing.notices import exception_notices, review_notices
from kaitiaki.publishing.out import ChannelRef, DraftOut
from kaitiaki.publishing.schemas import (
    AcknowledgeIn,
    DraftContentIn,
    DraftIn,
    ExceptionDecisionIn,
    ExceptionRequestIn,
    PublicationCorrectionIn,
    PublicationIn,
    ReviewIn,
    ScheduleIn,
    WithdrawIn,
)
from kaitiaki.publishing.views import draft_view
from kaitiaki.publishing.web import connector, gate_pack
from kaitiaki.register import queries as register_queries
from kaitiaki.common.access import require_active
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser, Work

router = APIRouter(prefix="/api/v1/drafts", tags=["drafts"])


def _out(session: Session, draft: Draft) -> DraftOut:
    return DraftOut.of(draft_view(session, draft))


def _visible(session: Session, user: User, draft_id: int) -> Draft:
    draft = service.require_draft(session, draft_id)
    permissions.require_can_see(session, user, draft)
    return draft


@router.get("/channels", response_model=list[ChannelRef],
            summary="The channels you may post on, with each platform's text limit")
def channels(request: Request, session: DbSession, user: RequiredUser) -> list[ChannelRef]:
    require_active(user)
    limits = service.platform_limits(gate_pack(request))
    return [ChannelRef.of(c, limits) for c in register_queries.channels_postable_by(session, user)]


@router.get("", response_model=list[DraftOut], summary="Your drafts")
def my_drafts(session: DbSession, user: RequiredUser,
              include_closed: Annotated[bool, Query(alias="all")] = False) -> list[DraftOut]:
    require_active(user)
    return [_out(session, d) for d in queries.drafts_by(session, user, open_only=not include_closed)]


@router.post("", response_model=DraftOut, status_code=201,
             summary="Create a draft (checked at once unless check=false)")
def create(request: Request, body: DraftIn, session: DbSession, user: RequiredUser,
           check: bool = True) -> DraftOut:
    pack = gate_pack(request)
    draft = service.create_draft(session, user=user, pack=pack, channel_id=body.channel_id,
                                 data=body.as_input())
    if check:
        service.check_draft(session, user=user, draft=draft, pack=pack)
    return _out(session, draft)


@router.get("/{draft_id}", response_model=DraftOut, summary="One draft, with its history")
def show(draft_id: int, session: DbSession, user: RequiredUser) -> DraftOut:
    return _out(session, _visible(session, user, draft_id))


@router.put("/{draft_id}", response_model=DraftOut,
            summary="Change a draft: a new version (checked at once unless check=false)")
def revise(request: Request, draft_id: int, body: DraftContentIn, session: DbSession,
           user: RequiredUser, check: bool = True) -> DraftOut:
    pack = gate_pack(request)
    draft = _visible(session, user, draft_id)
    data = body.as_input()
    # Images are attached on the draft's page; the API keeps the version's images as they are.
    data.images = service.images_of(service.current_version(session, draft))
    service.revise_draft(session, user=user, draft=draft, pack=pack, data=data)
    if check:
        service.check_draft(session, user=user, draft=draft, pack=pack)
    return _out(session, draft)


@router.post("/{draft_id}/check", response_model=DraftOut, summary="Check the newest version")
def check_now(request: Request, draft_id: int, session: DbSession, user: RequiredUser) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.check_draft(session, user=user, draft=draft, pack=gate_pack(request))
    return _out(session, draft)


@router.post("/{draft_id}/acknowledgements", response_model=DraftOut,
             summary="Acknowledge warn findings (all of them when none are named)")
def acknowledge(draft_id: int, body: AcknowledgeIn, session: DbSession,
                user: RequiredUser) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.acknowledge(session, user=user, draft=draft, indexes=body.findings)
    return _out(session, draft)


@router.post("/{draft_id}/exception", response_model=DraftOut,
             summary="Ask the business owner for an exception to a block finding")
def request_exception(draft_id: int, body: ExceptionRequestIn, work: Work,
                      user: RequiredUser) -> DraftOut:
    draft = _visible(work.session, user, draft_id)
    exception = service.request_exception(work.session, user=user, draft=draft,
                                          justification=body.justification)
    work.outbox.extend(exception_notices(exception, work.settings.base_url))
    return _out(work.session, draft)


@router.post("/{draft_id}/exception/decision", response_model=DraftOut,
             summary="Approve or decline an exception (the channel's business owner)")
def decide_exception(draft_id: int, body: ExceptionDecisionIn, work: Work,
                     user: RequiredUser) -> DraftOut:
    draft = _visible(work.session, user, draft_id)
    exception = service.decide_exception(work.session, user=user, draft=draft,
                                         approve=body.decision == "approve", reason=body.reason,
                                         until=body.until, zone=work.settings.zone,
                                         now=work.now())
    work.outbox.extend(exception_notices(exception, work.settings.base_url))
    return _out(work.session, draft)


@router.post("/{draft_id}/submit", response_model=DraftOut, summary="Submit a checked draft")
def submit(draft_id: int, session: DbSession, user: RequiredUser) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.submit(session, user=user, draft=draft)
    return _out(session, draft)


@router.post("/{draft_id}/review", response_model=DraftOut,
             summary="Approve a draft in review, or return it with a comment (not its author)")
def decide_review(draft_id: int, body: ReviewIn, work: Work, user: RequiredUser) -> DraftOut:
    draft = _visible(work.session, user, draft_id)
    decided = review.decide(work.session, user=user, draft=draft,
                            approve=body.decision == "approve", comment=body.comment)
    work.outbox.extend(review_notices(decided, work.settings.base_url))
    return _out(work.session, draft)


@router.put("/{draft_id}/schedule", response_model=DraftOut,
            summary="Set or change when a submitted draft goes out")
def schedule(draft_id: int, body: ScheduleIn, work: Work, user: RequiredUser) -> DraftOut:
    draft = _visible(work.session, user, draft_id)
    zone = work.settings.zone
    scheduling.schedule(work.session, user=user, draft=draft,
                        at=scheduling.local_time(body.at, zone), zone=zone, now=work.now())
    return _out(work.session, draft)


@router.delete("/{draft_id}/schedule", response_model=DraftOut,
               summary="Take a submitted draft's time away; it stays submitted")
def unschedule(draft_id: int, work: Work, user: RequiredUser) -> DraftOut:
    draft = _visible(work.session, user, draft_id)
    scheduling.unschedule(work.session, user=user, draft=draft, now=work.now())
    return _out(work.session, draft)


@router.post("/{draft_id}/publication", response_model=DraftOut,
             summary="Record that a submitted draft was published, with its address")
def record_publication(draft_id: int, body: PublicationIn, session: DbSession,
                       user: RequiredUser, settings: AppSettings) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.record_publication(session, user=user, draft=draft, connector=connector(),
                               url=body.url, platform_id=body.platform_id,
                               published_at=body.published_at, zone=settings.zone)
    return _out(session, draft)


@router.post("/{draft_id}/publication/correction", response_model=DraftOut,
             summary="Correct the recorded address of a published item")
def correct_publication(draft_id: int, body: PublicationCorrectionIn, session: DbSession,
                        user: RequiredUser) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.correct_publication(session, user=user, draft=draft, url=body.url,
                                platform_id=body.platform_id, reason=body.reason)
    return _out(session, draft)


@router.post("/{draft_id}/withdraw", response_model=DraftOut, summary="Withdraw a draft")
def withdraw(draft_id: int, body: WithdrawIn, session: DbSession, user: RequiredUser) -> DraftOut:
    draft = _visible(session, user, draft_id)
    service.withdraw(session, user=user, draft=draft, reason=body.reason)
    return _out(session, draft)


__all__ = ["router"]
