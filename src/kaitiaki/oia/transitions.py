"""The Official Information Act request workflow in one table.

| from     | action   | to          | what it records                                               |
|----------|----------|-------------|---------------------------------------------------------------|
| open     | extend   | extended    | s15A extension: the reason and the new due date               |
| open     | respond  | responded   | the decision was sent to the requester                        |
| extended | respond  | responded   |                                                               |
| open     | transfer | transferred | s14 transfer to the agency that holds the information         |
| open     | withdraw | withdrawn   | the requester withdrew the request                            |
| extended | withdraw | withdrawn   |                                                               |

The Act allows one extension of the time limit, so `extended` cannot be extended again.
"""

from __future__ import annotations

from kaitiaki.workflow import TransitionTable

OIA_WORKFLOW = TransitionTable(
    subject="request",
    states={
        "open": "open",
        "extended": "open with its time limit extended",
        "responded": "responded to",
        "transferred": "transferred to another agency",
        "withdrawn": "withdrawn",
    },
    actions={
        "extend": "extended",
        "respond": "responded to",
        "transfer": "transferred",
        "withdraw": "withdrawn",
    },
    transitions={
        ("open", "extend"): "extended",
        ("open", "respond"): "responded",
        ("extended", "respond"): "responded",
        ("open", "transfer"): "transferred",
        ("open", "withdraw"): "withdrawn",
        ("extended", "withdraw"): "withdrawn",
    },
    initial="open",
)

STATE_LABELS: dict[str, str] = {
    "open": "Open", "extended": "Open (extended)", "responded": "Responded",
    "transferred": "Transferred", "withdrawn": "Withdrawn",
}
ACTION_LABELS: dict[str, str] = {
    "extend": "Extend the time limit", "respond": "Record the response sent",
    "transfer": "Record a transfer", "withdraw": "Record a withdrawal",
}
OPEN_STATES = ("open", "extended")
# What each closing action records, for the closing form.
CLOSING_ACTIONS = ("respond", "transfer", "withdraw")
EXTENSION_REASON_LABELS: dict[str, str] = {
    "large_quantity": "The request is for a large quantity of official information, or needs a "
                      "search through a large quantity (s15A(1)(a))",
    "consultation": "Consultations are needed to make a decision (s15A(1)(b))",
}

__all__ = ["ACTION_LABELS", "CLOSING_ACTIONS", "EXTENSION_REASON_LABELS", "OIA_WORKFLOW",
           "OPEN_STATES", "STATE_LABELS"]
