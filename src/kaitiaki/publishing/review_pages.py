"""The reviewer's decision on a draft's page, the list of posts waiting for the person's review,
and the business owner's review setting on the channel's page (kaitiaki.publishing.review)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.common.access import require_active
from kaitiaki.errors import BadInput, FieldError
from kaitiaki.models import Draft, User
from kaitiaki.publishing import review
from kaitiaki.publishing.notices import review_notices
from kaitiaki.publishing.pages import _draft_form, _text
from kaitiaki.register import service as register_service
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/reviews")
def waiting(request: Request, session: DbSession, user: RequiredUser) -> Response:
    require_active(user)
    return render(request, "publishing/reviews.html",
                  {"drafts": review.reviews_waiting_for(session, user)})


@router.post("/drafts/{draft_id}/review")
async def decide(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    submitted = await request.form()
    form = {key: _text(submitted.get(key)) for key in ("decision", "comment")}

    def change(draft: Draft) -> str:
        if form["decision"] not in ("approve", "return"):
            raise BadInput("Choose to approve the post or return it to its author.",
                           fields=[FieldError(["decision"], "Choose approve or return.")])
        approve = form["decision"] == "approve"
        decided = review.decide(work.session, user=user, draft=draft, approve=approve,
                                comment=form["comment"])
        work.outbox.extend(review_notices(decided, work.settings.base_url))
        return (f"Approved. {draft.author.name} is told it can go out." if approve
                else f"Returned to {draft.author.name} with your comment.")

    return _draft_form(request, work, user, draft_id, "review", form, change)


@router.post("/register/channels/{channel_id}/review")
async def review_setting(request: Request, work: Work, user: RequiredUser,
                         channel_id: int) -> Response:
    required = (await request.form()).get("review_required") == "on"
    channel = register_service.require_channel(work.session, channel_id)
    review.set_review_required(work.session, user=user, channel=channel, required=required)
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
