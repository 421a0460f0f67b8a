"""Where a comment can go. The checker sets its first state on arrival (block -> held, warn ->
review, pass -> visible); each moderator's action moves it by this table. Nothing moves a comment
out of `deleted`: it stays on record, struck through."""

from __future__ import annotations

from kaitiaki.workflow import TransitionTable

WAITING_STATES = ("held", "review")
# States in which the comment is no longer shown on the platform; it stays in the record.
REMOVED_STATES = frozenset({"hidden", "deleted", "spam"})
STATE_FOR_DECISION = {"block": "held", "warn": "review", "pass": "visible"}

STATE_LABELS = {
    "held": "Held for review",
    "review": "Waiting for review",
    "visible": "Visible",
    "kept": "Kept",
    "replied": "Replied to",
    "hidden": "Hidden",
    "deleted": "Deleted",
    "spam": "Spam",
    "complaint": "Taken up as a complaint",
}
ACTION_LABELS = {
    "keep": "Keep",
    "reply": "Reply",
    "hide": "Hide",
    "delete": "Delete",
    "spam": "Mark as spam",
    "block": "Block the author",
    "complaint": "Turn into a complaint",
}

_OPEN = ("held", "review", "visible", "kept", "replied", "complaint")
_transitions: dict[tuple[str, str], str] = {}
for _state in _OPEN:
    _transitions.update({
        (_state, "reply"): "replied" if _state != "complaint" else "complaint",
        (_state, "hide"): "hidden",
        (_state, "delete"): "deleted",
        (_state, "spam"): "spam",
        (_state, "block"): "hidden",
    })
    if _state != "kept":
        _transitions[(_state, "keep")] = "kept"
    if _state != "complaint":
        _transitions[(_state, "complaint")] = "complaint"
_transitions.update({
    ("hidden", "keep"): "kept",
    ("hidden", "delete"): "deleted",
    ("hidden", "spam"): "spam",
    ("hidden", "block"): "hidden",
    ("hidden", "complaint"): "complaint",
    ("spam", "keep"): "kept",
    ("spam", "delete"): "deleted",
    ("spam", "block"): "spam",
})

COMMENT_WORKFLOW = TransitionTable(
    subject="comment",
    states={
        "held": "held for review", "review": "waiting for review", "visible": "visible",
        "kept": "already kept", "replied": "replied to", "hidden": "hidden",
        "deleted": "deleted", "spam": "marked as spam", "complaint": "taken up as a complaint",
    },
    actions={
        "keep": "kept", "reply": "replied to", "hide": "hidden", "delete": "deleted",
        "spam": "marked as spam", "block": "used to block its author",
        "complaint": "taken up as a complaint",
    },
    transitions=_transitions,
    initial="review",
)

__all__ = [
    "ACTION_LABELS", "COMMENT_WORKFLOW", "REMOVED_STATES", "STATE_FOR_DECISION", "STATE_LABELS",
    "WAITING_STATES",
]
