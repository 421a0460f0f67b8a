"""Reading drafts, their versions, acknowledgements and exceptions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from kaitiaki.models import (
    Channel,
    Comment,
    Draft,
    DraftAcknowledgement,
    DraftException,
    DraftImage,
    DraftVersion,
    User,
)
from kaitiaki.publishing.transitions import OPEN_STATES

DRAFT_LIST_LIMIT = 200


def get_draft(session: Session, draft_id: int) -> Draft | None:
    return session.get(Draft, draft_id)


def version(session: Session, draft: Draft, number: int | None = None) -> DraftVersion | None:
    """The draft's version `number`, by default its newest."""
    return session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == draft.id,
                                   DraftVersion.number == (number or draft.current_version))
    ).first()


def versions_of(session: Session, draft: Draft) -> list[DraftVersion]:
    """Every version, newest first."""
    return list(session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == draft.id)
        .order_by(DraftVersion.number.desc())
    ))


def draft_image(session: Session, draft: Draft, image_id: int) -> DraftImage | None:
    """One image of any of the draft's versions, with its bytes."""
    return session.scalars(
        select(DraftImage).join(DraftVersion, DraftVersion.id == DraftImage.version_id)
        .where(DraftImage.id == image_id, DraftVersion.draft_id == draft.id)
        .options(undefer(DraftImage.data))
    ).first()


def acknowledgements_of(session: Session, version_: DraftVersion) -> list[DraftAcknowledgement]:
    return list(session.scalars(
        select(DraftAcknowledgement).where(DraftAcknowledgement.version_id == version_.id)
        .order_by(DraftAcknowledgement.finding_index)
    ))


def exceptions_of(session: Session, draft: Draft) -> list[DraftException]:
    """Every exception asked for on the draft, newest first."""
    return list(session.scalars(
        select(DraftException).where(DraftException.draft_id == draft.id)
        .order_by(DraftException.requested_at.desc(), DraftException.id.desc())
    ))


def open_exception(session: Session, draft: Draft) -> DraftException | None:
    return session.scalars(
        select(DraftException).where(DraftException.draft_id == draft.id,
                                     DraftException.state == "requested")
    ).first()


def approved_exception(session: Session, draft: Draft, version: DraftVersion) -> DraftException | None:
    """The approved exception that lets `version` go ahead despite its block finding, if any."""
    return next((e for e in exceptions_of(session, draft)
                 if e.state == "approved" and e.version_id == version.id), None)


def drafts_by(session: Session, user: User, *, open_only: bool = True,
              limit: int = DRAFT_LIST_LIMIT) -> list[Draft]:
    """The person's drafts, most recently changed first."""
    statement = select(Draft).where(Draft.author_id == user.id)
    if open_only:
        statement = statement.where(Draft.state.in_(OPEN_STATES))
    return list(session.scalars(statement.order_by(Draft.updated_at.desc(), Draft.id.desc())
                                .limit(limit)))


def drafts_listed(session: Session, *, author: User | None = None, channel: Channel | None = None,
                  state: str | None = None, scheduled_only: bool = False,
                  limit: int = DRAFT_LIST_LIMIT) -> list[Draft]:
    """Drafts for the command line's list, most recently changed first; scheduled ones in the
    order they go out."""
    statement = select(Draft)
    if author is not None:
        statement = statement.where(Draft.author_id == author.id)
    if channel is not None:
        statement = statement.where(Draft.channel_id == channel.id)
    if state:
        statement = statement.where(Draft.state == state)
    if scheduled_only:
        statement = (statement.where(Draft.state == "submitted", Draft.scheduled_for.is_not(None))
                     .order_by(Draft.scheduled_for, Draft.id))
    else:
        statement = statement.order_by(Draft.updated_at.desc(), Draft.id.desc())
    return list(session.scalars(statement.limit(limit)))


def exceptions_waiting_for(session: Session, user: User, *, comms_staff: bool) -> list[DraftException]:
    """Exception requests this person decides: on channels they own, asked for by someone else;
    for communications staff also those a business owner asked for on their own channel."""
    statement = (
        select(DraftException)
        .join(Draft, Draft.id == DraftException.draft_id)
        .join(Channel, Channel.id == Draft.channel_id)
        .where(DraftException.state == "requested")
        .order_by(DraftException.requested_at)
    )
    waiting = []
    for exception in session.scalars(statement):
        owner_id = exception.draft.channel.business_owner_id
        if owner_id == user.id and exception.requested_by_id != user.id:
            waiting.append(exception)
        elif comms_staff and owner_id == exception.requested_by_id and owner_id != user.id:
            waiting.append(exception)
    return waiting


def get_comment(session: Session, comment_id: int) -> Comment | None:
    return session.get(Comment, comment_id)


def channel_comment(session: Session, channel: Channel, comment_id: int) -> Comment | None:
    """A comment from the channel's moderation queue; None for another channel's comment."""
    comment = get_comment(session, comment_id)
    return comment if comment is not None and comment.channel_id == channel.id else None


def recent_comments(session: Session, channel_ids: Sequence[int], limit: int = 50) -> list[Comment]:
    """Comments on these channels still in the queue or visible, newest first, to reply to."""
    if not channel_ids:
        return []
    return list(session.scalars(
        select(Comment).where(Comment.channel_id.in_(channel_ids),
                              Comment.state.in_(("held", "review", "visible", "kept")))
        .order_by(Comment.received_at.desc()).limit(limit)
    ))


__all__ = [
    "acknowledgements_of", "approved_exception", "channel_comment", "draft_image", "drafts_by",
    "drafts_listed",
    "exceptions_of",
    "exceptions_waiting_for", "get_comment", "get_draft", "open_exception", "recent_comments", "version",
    "versions_of",
]
