"""The public transparency statement: /transparency (HTML, no sign-in) and /transparency.json.
Built on each request from the pack and the register; the figures are those a periodic job keeps
(kaitiaki.transparency.kept), counted at most a quarter of an hour ago."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaitiaki.checker import load_pack
from kaitiaki.transparency import render as renderers
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.transparency.kept import current_figures
from kaitiaki.transparency.statement import Statement, build_statement
from kaitiaki.web.deps import AppSettings, DbSession
from kaitiaki.web.templating import render, role_label

router = APIRouter(include_in_schema=False)


def current_statement(session: DbSession, settings: AppSettings) -> Statement:
    pack, now = load_pack(settings.policy_pack), utcnow()
    figures = current_figures(session, pack=pack, zone=settings.zone, now=now)
    return build_statement(session, pack=pack, base_url=settings.base_url, zone=settings.zone,
                           now=now, figures=figures)


@router.get("/transparency")
def statement_page(request: Request, session: DbSession, settings: AppSettings) -> Response:
    statement = current_statement(session, settings)
    return render(request, "transparency/page.html", {
        "statement": statement, "records_text": renderers.records_text(statement),
        "about_text": renderers.about_text(statement),
    })


@router.get("/transparency.json")
def statement_json(session: DbSession, settings: AppSettings) -> Response:
    return Response(renderers.to_json(current_statement(session, settings)),
                    media_type="application/json")


__all__ = ["current_statement", "router"]


@router.get("/policy")
def policy_page(request: Request, settings: AppSettings) -> Response:
    """The policy's document control, from the pack: what it is, its version and date, who approves
    it, when it is due for review, and the dated periods with stricter rules. Open to everyone."""
    pack = load_pack(settings.policy_pack)
    today = to_local(utcnow(), settings.zone).date()
    review = pack.meta.review
    return render(request, "transparency/policy.html", {
        "pack": pack, "meta": pack.meta, "review": review,
        "review_overdue": review is not None and review.due_on < today,
        "approver": role_label(review.approver_role, review.approver_unit) if review else None,
        "periods": [(period, period.ends < today, period.starts <= today <= period.ends)
                    for period in pack.meta.periods],
    })
