"""The register's workflows as transition tables: channel requests and a channel's status."""

from __future__ import annotations

from kaitiaki.workflow import TransitionTable

# A request needs every approval the pack requires. "approve" records one approval while others
# are still missing; "approve_final" is the approval that completes the set.
REQUEST_WORKFLOW = TransitionTable(
    subject="request",
    states={
        "pending": "waiting for approval",
        "partly_approved": "waiting for its remaining approval",
        "approved": "already approved",
        "declined": "declined",
        "withdrawn": "withdrawn",
    },
    actions={
        "approve": "approved",
        "approve_final": "approved",
        "decline": "declined",
        "withdraw": "withdrawn",
    },
    transitions={
        ("pending", "approve"): "partly_approved",
        ("pending", "approve_final"): "approved",
        ("pending", "decline"): "declined",
        ("pending", "withdraw"): "withdrawn",
        ("partly_approved", "approve"): "partly_approved",
        ("partly_approved", "approve_final"): "approved",
        ("partly_approved", "decline"): "declined",
        ("partly_approved", "withdraw"): "withdrawn",
    },
    initial="pending",
)

OPEN_REQUEST_STATES = ("pending", "partly_approved")

# A channel is proposed by a new-channel request and becomes active when that request is approved.
CHANNEL_WORKFLOW = TransitionTable(
    subject="channel",
    states={
        "proposed": "waiting for its request to be approved",
        "active": "active",
        "suspended": "suspended",
        "retired": "retired",
        "declined": "declined",
        "withdrawn": "withdrawn",
    },
    actions={
        "activate": "activated",
        "decline": "declined",
        "withdraw": "withdrawn",
        "suspend": "suspended",
        "resume": "resumed",
        "retire": "retired",
        "reopen": "reopened",
    },
    transitions={
        ("proposed", "activate"): "active",
        ("proposed", "decline"): "declined",
        ("proposed", "withdraw"): "withdrawn",
        ("active", "suspend"): "suspended",
        ("active", "retire"): "retired",
        ("suspended", "resume"): "active",
        ("suspended", "retire"): "retired",
        # A declined or withdrawn channel may be requested again; it keeps its history.
        ("declined", "reopen"): "proposed",
        ("withdrawn", "reopen"): "proposed",
    },
    initial="proposed",
)

# The status changes communications staff make by hand; the others follow from requests.
MANUAL_CHANNEL_ACTIONS = ("suspend", "resume", "retire")

__all__ = ["CHANNEL_WORKFLOW", "MANUAL_CHANNEL_ACTIONS", "OPEN_REQUEST_STATES", "REQUEST_WORKFLOW"]
