"""The complaint workflow in one table.

| from       | action   | to         | who                                                   |
|------------|----------|------------|-------------------------------------------------------|
| received   | triage   | triaged    | a handler: acknowledges it and takes it on            |
| received   | escalate | escalated  | automatic for serious categories; or a handler        |
| triaged    | escalate | escalated  | a handler, or the checker finding a serious category  |
| reopened   | escalate | escalated  |                                                       |
| triaged    | respond  | responded  | a handler records the response given                  |
| escalated  | respond  | responded  |                                                       |
| reopened   | respond  | responded  |                                                       |
| triaged    | close    | closed     | a handler records the resolution                      |
| escalated  | close    | closed     |                                                       |
| responded  | close    | closed     |                                                       |
| reopened   | close    | closed     |                                                       |
| closed     | reopen   | reopened   | a handler, e.g. when the person comes back            |

Acknowledging is not a move: it is the first thing a handler does (triage, or acknowledge an
escalated complaint), recorded as `acknowledged_at`, which stops the acknowledgement timer.
"""

from __future__ import annotations

from kaitiaki.workflow import TransitionTable

COMPLAINT_WORKFLOW = TransitionTable(
    subject="complaint",
    states={
        "received": "received and waiting to be triaged",
        "triaged": "triaged",
        "escalated": "escalated",
        "responded": "responded to",
        "closed": "closed",
        "reopened": "reopened",
    },
    actions={
        "triage": "triaged",
        "escalate": "escalated",
        "respond": "responded to",
        "close": "closed",
        "reopen": "reopened",
    },
    transitions={
        ("received", "triage"): "triaged",
        ("received", "escalate"): "escalated",
        ("triaged", "escalate"): "escalated",
        ("reopened", "escalate"): "escalated",
        ("triaged", "respond"): "responded",
        ("escalated", "respond"): "responded",
        ("reopened", "respond"): "responded",
        ("triaged", "close"): "closed",
        ("escalated", "close"): "closed",
        ("responded", "close"): "closed",
        ("reopened", "close"): "closed",
        ("closed", "reopen"): "reopened",
    },
    initial="received",
)

STATE_LABELS: dict[str, str] = {
    "received": "Received", "triaged": "Triaged", "escalated": "Escalated",
    "responded": "Responded", "closed": "Closed", "reopened": "Reopened",
}
ACTION_LABELS: dict[str, str] = {
    "triage": "Triage", "escalate": "Escalate", "respond": "Record the response",
    "close": "Close", "reopen": "Reopen",
}
OPEN_STATES = ("received", "triaged", "escalated", "reopened")
# A response stops the resolution timer; closing ends the complaint.
RESOLVED_STATES = ("responded", "closed")

__all__ = ["ACTION_LABELS", "COMPLAINT_WORKFLOW", "OPEN_STATES", "RESOLVED_STATES", "STATE_LABELS"]
