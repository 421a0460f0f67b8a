"""A draft's workflow as one transition table.

    draft --check--> checked --submit--> submitted --publish--> published
                                          submitted --stop--> draft (the send-time check changed)
                     checked --request_exception--> exception_requested
    exception_requested --approve_exception--> exception_approved --submit--> submitted
    exception_requested --decline_exception--> exception_declined --revise--> draft

A draft that is changed ("revise") is a new version and must be checked again. Whether `submit`
is possible also depends on the check (no `block` finding unless an exception was approved, every
`warn` finding acknowledged); the service checks that after the table allows the move.
"""

from __future__ import annotations

from kaitiaki.workflow import TransitionTable

DRAFT_WORKFLOW = TransitionTable(
    subject="draft",
    states={
        "draft": "not checked yet",
        "checked": "checked",
        "exception_requested": "waiting for the business owner's decision on an exception",
        "exception_approved": "cleared to go ahead by an exception",
        "exception_declined": "not cleared: the business owner declined the exception",
        "in_review": "waiting for a second person's review",
        "returned": "returned by its reviewer for changes",
        "submitted": "submitted",
        "published": "published",
        "withdrawn": "withdrawn",
    },
    actions={
        "revise": "changed",
        "check": "checked",
        "acknowledge": "acknowledged",
        "request_exception": "sent for an exception",
        "approve_exception": "given an exception",
        "decline_exception": "refused an exception",
        "submit": "submitted",
        "send_for_review": "sent for review",
        "approve": "approved by a reviewer",
        "return": "returned by a reviewer",
        "schedule": "scheduled",
        "unschedule": "unscheduled",
        "publish": "recorded as published",
        "withdraw": "withdrawn",
        "stop": "stopped at sending, to be checked again",
    },
    transitions={
        ("draft", "revise"): "draft",
        ("draft", "check"): "checked",
        ("draft", "withdraw"): "withdrawn",
        ("checked", "revise"): "draft",
        ("checked", "check"): "checked",
        ("checked", "acknowledge"): "checked",
        ("checked", "request_exception"): "exception_requested",
        ("checked", "submit"): "submitted",
        ("checked", "send_for_review"): "in_review",
        ("checked", "withdraw"): "withdrawn",
        ("exception_requested", "approve_exception"): "exception_approved",
        ("exception_requested", "decline_exception"): "exception_declined",
        ("exception_requested", "withdraw"): "withdrawn",
        ("exception_approved", "acknowledge"): "exception_approved",
        ("exception_approved", "submit"): "submitted",
        ("exception_approved", "send_for_review"): "in_review",
        ("exception_approved", "revise"): "draft",
        ("exception_approved", "withdraw"): "withdrawn",
        ("exception_declined", "revise"): "draft",
        ("exception_declined", "withdraw"): "withdrawn",
        ("in_review", "approve"): "submitted",
        ("in_review", "return"): "returned",
        ("in_review", "withdraw"): "withdrawn",
        ("returned", "revise"): "draft",
        ("returned", "withdraw"): "withdrawn",
        ("submitted", "schedule"): "submitted",
        ("submitted", "unschedule"): "submitted",
        ("submitted", "publish"): "published",
        ("submitted", "withdraw"): "withdrawn",
        # The check at send time found something new: back to the poster to check again.
        ("submitted", "stop"): "draft",
    },
    initial="draft",
)

# Drafts still in the poster's hands or on their way (not published, not withdrawn).
OPEN_STATES = tuple(state for state in DRAFT_WORKFLOW.states if state not in ("published", "withdrawn"))
# Where the poster can still change the words.
EDITABLE_STATES = tuple(state for state in DRAFT_WORKFLOW.states
                        if DRAFT_WORKFLOW.can(state, "revise"))

__all__ = ["DRAFT_WORKFLOW", "EDITABLE_STATES", "OPEN_STATES"]
