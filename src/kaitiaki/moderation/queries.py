"""Reading moderation data: the queue, a comment's history, delegates, and the figures the
transparency statement publishes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import Session, lazyload

from kaitiaki.models import Channel, Comment, ModerationAction, ModerationDelegate, User
from kaitiaki.moderation.transitions import STATE_LABELS, WAITING_STATES
from kaitiaki.timeutil import to_local

PAGE_SIZE = 50
# Counting stops here: a page of a huge queue need not count every comment to say "more than".
COUNT_CAP = 1_000
MAX_PAGE_SIZE = 200
DECISIONS = ("block", "warn", "pass")
STATE_FILTERS = ("waiting", "all", *STATE_LABELS)


MODERATED_STATUSES = ("active", "suspended", "retired")


@dataclass(frozen=True)
class QueueFilter:
    state: str = "waiting"  # "waiting" (held or review), "all", or one state
    decision: str = ""
    category: str = ""
    q: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE

    def normalised(self) -> QueueFilter:
        return QueueFilter(
            state=self.state if self.state in STATE_FILTERS else "waiting",
            decision=self.decision if self.decision in DECISIONS else "",
            category=self.category.strip()[:60] if self.category.strip().replace("_", "").isalnum() else "",
            q=self.q.strip()[:200], page=max(1, self.page),
            per_page=min(max(1, self.per_page), MAX_PAGE_SIZE),
        )


@dataclass
class QueuePage:
    filters: QueueFilter
    comments: list[Comment]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False  # more comments match than COUNT_CAP; `total` is the cap
    counts_capped: frozenset[str] = frozenset()  # states with more than COUNT_CAP waiting

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    @property
    def has_next(self) -> bool:
        if self.capped:
            return len(self.comments) == self.filters.per_page
        return self.filters.page < self.pages

    def count_label(self, state: str) -> str:
        """How many wait in `state`, as a person reads it: "12" or "more than 1,000"."""
        count = self.counts.get(state, 0)
        return f"more than {count:,}" if state in self.counts_capped else f"{count:,}"


def _conditions(channel: Channel, filters: QueueFilter) -> list:
    conditions = [Comment.channel_id == channel.id]
    if filters.state == "waiting":
        conditions.append(Comment.state.in_(WAITING_STATES))
    elif filters.state != "all":
        conditions.append(Comment.state == filters.state)
    if filters.decision:
        conditions.append(Comment.decision == filters.decision)
    if filters.category:
        conditions.append(Comment.categories.contains(f" {filters.category} ", autoescape=True))
    if filters.q:
        words = filters.q
        conditions.append(or_(Comment.text.icontains(words, autoescape=True),
                              Comment.author_handle.icontains(words, autoescape=True),
                              Comment.external_id == words))
    return conditions


def queue(session: Session, channel: Channel, filters: QueueFilter) -> QueuePage:
    """One page of the channel's comments: most severe first, then the longest waiting."""
    filters = filters.normalised()
    conditions = _conditions(channel, filters)
    offset = (filters.page - 1) * filters.per_page
    comments = list(session.scalars(
        # The page knows its channel: no join to it for every comment it reads past.
        select(Comment).options(lazyload(Comment.channel)).where(*conditions)
        .order_by(Comment.severity_rank.desc(), Comment.received_at, Comment.id)
        .limit(filters.per_page).offset(offset)
    ))
    if len(comments) < filters.per_page and (comments or not offset):
        total = offset + len(comments)  # the last page (or none at all): nothing more to count
    else:
        matching = select(Comment.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
        total = session.scalar(select(func.count()).select_from(matching)) or 0
    counts, counts_capped = state_counts(session, channel)
    return QueuePage(filters=filters, comments=comments, total=min(total, COUNT_CAP),
                     counts=counts, capped=total > COUNT_CAP, counts_capped=counts_capped)


def state_counts(session: Session, channel: Channel) -> tuple[dict[str, int], frozenset[str]]:
    """How many comments wait in each waiting state, and in all, each counted up to COUNT_CAP
    (read from the queue index, however many wait), and the states that have more."""
    counted = [
        select(literal(state).label("state"), func.count().label("n")).select_from(
            select(Comment.id).where(Comment.channel_id == channel.id, Comment.state == state)
            .limit(COUNT_CAP + 1).subquery())
        for state in WAITING_STATES
    ]
    rows = session.execute(union_all(*counted)).all()
    counts = {state: min(count, COUNT_CAP) for state, count in rows}
    capped = frozenset(state for state, count in rows if count > COUNT_CAP)
    counts["waiting"] = sum(counts.values())
    return counts, capped | ({"waiting"} if capped else frozenset())


def get_comment(session: Session, comment_id: int) -> Comment | None:
    return session.get(Comment, comment_id)


def history(session: Session, comment: Comment) -> list[ModerationAction]:
    return list(session.scalars(
        select(ModerationAction).where(ModerationAction.comment_id == comment.id)
        .order_by(ModerationAction.acted_at, ModerationAction.id)
    ))


def last_actions(session: Session, comments: Sequence[Comment]) -> dict[int, ModerationAction]:
    """The latest action on each of `comments` (for the queue's struck-through rows)."""
    ids = [c.id for c in comments]
    if not ids:
        return {}
    latest: dict[int, ModerationAction] = {}
    for action in session.scalars(
        select(ModerationAction).where(ModerationAction.comment_id.in_(ids))
        .order_by(ModerationAction.acted_at, ModerationAction.id)
    ):
        latest[action.comment_id] = action
    return latest


def delegates_of(session: Session, channel: Channel) -> list[ModerationDelegate]:
    return list(session.scalars(
        select(ModerationDelegate).where(ModerationDelegate.channel_id == channel.id,
                                         ModerationDelegate.revoked_at.is_(None))
        .order_by(ModerationDelegate.granted_at)
    ))


def channels_moderated_by(session: Session, user: User) -> list[Channel]:
    """Channels whose comments this person moderates: owned, or delegated and not revoked, and
    in use or once in use (a proposed, declined or withdrawn channel has no comments)."""
    delegated = select(ModerationDelegate.channel_id).where(
        ModerationDelegate.user_id == user.id, ModerationDelegate.revoked_at.is_(None))
    return list(session.scalars(
        select(Channel).where(or_(Channel.business_owner_id == user.id, Channel.id.in_(delegated)),
                              Channel.status.in_(MODERATED_STATUSES))
        .order_by(Channel.handle, Channel.platform)
    ).unique())


def waiting_counts(session: Session, channels: Sequence[Channel]) -> dict[int, int]:
    if not channels:
        return {}
    rows = session.execute(
        select(Comment.channel_id, func.count())
        .where(Comment.channel_id.in_([c.id for c in channels]), Comment.state.in_(WAITING_STATES))
        .group_by(Comment.channel_id)
    ).all()
    return {channel_id: count for channel_id, count in rows}


def queues_waiting_for(session: Session, user: User) -> list[tuple[Channel, int]]:
    """The dashboard's panel: each channel this person moderates with comments waiting."""
    channels = channels_moderated_by(session, user)
    counts = waiting_counts(session, channels)
    return [(channel, counts[channel.id]) for channel in channels if counts.get(channel.id)]


@dataclass(frozen=True)
class FigureRow:
    channel: Channel
    month: str  # "2026-11", in the agency's time zone
    action: str
    reason: str
    count: int


def moderation_figures(
    session: Session, *, since: datetime, until: datetime, channel_ids: Sequence[int] | None = None,
    zone: ZoneInfo | str = "Pacific/Auckland",
) -> list[FigureRow]:
    """Counts of moderation actions by channel, month (local time), action and reason, for
    actions taken in [since, until). Sorted by channel handle, month, action, reason."""
    statement = select(ModerationAction.channel_id, ModerationAction.acted_at,
                       ModerationAction.action, ModerationAction.reason_code).where(
        ModerationAction.acted_at >= since, ModerationAction.acted_at < until)
    if channel_ids is not None:
        statement = statement.where(ModerationAction.channel_id.in_(list(channel_ids)))
    counts: Counter[tuple[int, str, str, str]] = Counter()
    for channel_id, acted_at, action, reason in session.execute(statement):
        counts[(channel_id, to_local(acted_at, zone).strftime("%Y-%m"), action, reason)] += 1
    channels = {c.id: c for c in session.scalars(
        select(Channel).where(Channel.id.in_({key[0] for key in counts})))}
    rows = [FigureRow(channels[key[0]], key[1], key[2], key[3], n) for key, n in counts.items()]
    return sorted(rows, key=lambda r: (r.channel.handle.lower(), r.channel.platform, r.month,
                                       r.action, r.reason))


__all__ = [
    "COUNT_CAP", "DECISIONS", "FigureRow", "PAGE_SIZE", "QueueFilter", "QueuePage", "STATE_FILTERS",
    "channels_moderated_by", "delegates_of", "get_comment", "history", "last_actions",
    "moderation_figures", "queue", "queues_waiting_for", "state_counts", "waiting_counts",
]
