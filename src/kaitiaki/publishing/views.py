"""A draft with everything its page and the API show: versions, the current check with each
finding's acknowledgement, exceptions, what still stops submission, and what can be done next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kaitiaki.models import Draft, DraftAcknowledgement, DraftException, DraftReview, DraftVersion
from kaitiaki.publishing import queries, review, service
from kaitiaki.publishing.highlight import Segment, segments
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW


@dataclass(frozen=True)
class FindingView:
    index: int
    finding: dict[str, Any]
    acknowledgement: DraftAcknowledgement | None

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def severity(self) -> str:
        return str(self.finding.get("severity", ""))


@dataclass(frozen=True)
class DraftView:
    draft: Draft
    current: DraftVersion
    versions: list[DraftVersion]
    findings: list[FindingView]
    exceptions: list[DraftException]
    problems: list[str]
    actions: list[str]
    reviews: list[DraftReview]

    @property
    def checked(self) -> bool:
        return self.current.checked_at is not None

    @property
    def segments(self) -> list[Segment]:
        return segments(self.current.text, self.current.findings or [])

    @property
    def open_exception(self) -> DraftException | None:
        return next((e for e in self.exceptions if e.state == "requested"), None)

    @property
    def can_submit(self) -> bool:
        return not self.problems

    @property
    def warnings_pending(self) -> list[FindingView]:
        return [f for f in self.findings if f.severity == "warn" and f.acknowledgement is None]


def draft_view(session: Session, draft: Draft) -> DraftView:
    current = service.current_version(session, draft)
    acks = {ack.finding_index: ack for ack in queries.acknowledgements_of(session, current)}
    findings = [FindingView(index, finding, acks.get(index))
                for index, finding in enumerate(current.findings or [])]
    return DraftView(
        draft=draft, current=current, versions=queries.versions_of(session, draft),
        findings=findings, exceptions=queries.exceptions_of(session, draft),
        problems=service.submission_problems(session, draft),
        actions=DRAFT_WORKFLOW.allowed_actions(draft.state), reviews=review.reviews_of(session, draft),
    )


__all__ = ["DraftView", "FindingView", "draft_view"]
