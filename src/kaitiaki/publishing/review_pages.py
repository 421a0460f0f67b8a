"""The reviewer's decision on a draft's page, and the business owner's review setting on the
channel's page (kaitiaki.publishing.review)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.common.access import require_active
from kaitiaki.common.web import queue_emails
from kaitiaki.errors import AppError, BadInput, FieldError
from kaitiaki.publishing import review, service
from kaitiaki.publishing.notices import review_notices
from kaitiaki.publishing.pages import _done, _refused, _text
from kaitiaki.register import service as register_service
from kaitiaki.models import Draft, User
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/reviews")
def waiting(request: Request, session: DbSession, user: RequiredUser) -> Response:
    require_active(user)
    return render(request, "publishing/reviews.html",
                  {"drafts": review.reviews_waiting_for(session, user)})


@router.post("/drafts/{draft_id}/review")
async def decide(request: Request, session: DbSession, user: RequiredUser,
                 background: BackgroundTasks, settings: AppSettings, draft_id: int) -> Response:
    submitted = await request.form()
    decision, comment = _text(submitted.get("decision")), _text(submitted.get("comment"))
    try:
        draft = service.require_draft(session, draft_id)
        if decision not in ("approve", "return"):
            raise BadInput("Choose to approve the post or return it to its author.",
                           fields=[FieldError(["decision"], "Choose approve or return.")])
        decided = review.decide(session, user=user, draft=draft, approve=decision == "approve",
                                comment=comment)
    except AppError as exc:
        return _refused(request, session, user, draft_id, exc, "review",
                        {"decision": decision, "comment": comment})
    queue_emails(session, background, request, review_notices(decided, settings.base_url))
    return _done(request, draft, f"Approved. {draft.author.name} is told it can go out."
                 if decision == "approve" else f"Returned to {draft.author.name} with your comment.")


@router.post("/register/channels/{channel_id}/review")
async def review_setting(request: Request, session: DbSession, user: RequiredUser,
                         channel_id: int) -> Response:
    required = (await request.form()).get("review_required") == "on"
    channel = register_service.require_channel(session, channel_id)
    review.set_review_required(session, user=user, channel=channel, required=required)
    flash(request, "Posts on this channel now wait for a second person's review." if required
          else "Posts on this channel no longer wait for a review.")
    return RedirectResponse(f"{register_service.channel_path(channel)}#review-heading",
                            status_code=303)


def _reviews_for_me(session: Session, user: User) -> list[Draft]:
    return review.reviews_waiting_for(session, user)


REVIEWS_PANEL = Panel(
    key="reviews-waiting", title="Posts waiting for your review",
    template="publishing/panel_reviews.html",
    empty_text="No posts are waiting for your review.", gather=_reviews_for_me,
    hide_when_empty=True, link="/reviews",
)

__all__ = ["REVIEWS_PANEL", "router"]
