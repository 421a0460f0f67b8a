"""The workflows' transition tables, and the generic table's refusals."""

from __future__ import annotations

import pytest

from kaitiaki.errors import InvalidTransition
from kaitiaki.register.transitions import CHANNEL_WORKFLOW, REQUEST_WORKFLOW
from kaitiaki.workflow import TransitionTable

REQUEST_TABLE = {
    ("pending", "approve", "partly_approved"),
    ("pending", "approve_final", "approved"),
    ("pending", "decline", "declined"),
    ("pending", "withdraw", "withdrawn"),
    ("partly_approved", "approve", "partly_approved"),
    ("partly_approved", "approve_final", "approved"),
    ("partly_approved", "decline", "declined"),
    ("partly_approved", "withdraw", "withdrawn"),
}

CHANNEL_TABLE = {
    ("proposed", "activate", "active"),
    ("proposed", "decline", "declined"),
    ("proposed", "withdraw", "withdrawn"),
    ("active", "suspend", "suspended"),
    ("active", "retire", "retired"),
    ("suspended", "resume", "active"),
    ("suspended", "retire", "retired"),
    ("declined", "reopen", "proposed"),
    ("withdrawn", "reopen", "proposed"),
}


def test_request_table_is_exactly_the_documented_one():
    assert set(REQUEST_WORKFLOW.rows()) == REQUEST_TABLE
    assert REQUEST_WORKFLOW.initial == "pending"


def test_channel_table_is_exactly_the_documented_one():
    assert set(CHANNEL_WORKFLOW.rows()) == CHANNEL_TABLE
    assert CHANNEL_WORKFLOW.initial == "proposed"


@pytest.mark.parametrize("table, allowed", [(REQUEST_WORKFLOW, REQUEST_TABLE),
                                            (CHANNEL_WORKFLOW, CHANNEL_TABLE)],
                         ids=["request", "channel"])
def test_every_move_outside_the_table_is_refused(table: TransitionTable, allowed):
    moves = {(source, action): target for source, action, target in allowed}
    for state in table.states:
        for action in table.actions:
            if (state, action) in moves:
                assert table.apply(state, action) == moves[(state, action)]
            else:
                with pytest.raises(InvalidTransition) as refused:
                    table.apply(state, action)
                assert table.states[state] in refused.value.detail


@pytest.mark.parametrize("state, action, message", [
    ("approved", "approve", "This request is already approved; it can no longer be approved."),
    ("declined", "approve", "This request is declined; it can no longer be approved."),
    ("withdrawn", "decline", "This request is withdrawn; it can no longer be declined."),
    ("approved", "withdraw", "This request is already approved; it can no longer be withdrawn."),
])
def test_refusals_name_the_state_the_request_is_in(state, action, message):
    with pytest.raises(InvalidTransition) as refused:
        REQUEST_WORKFLOW.apply(state, action)
    assert refused.value.detail == message
    assert refused.value.status_code == 409


def test_a_state_with_a_way_out_says_cannot_rather_than_no_longer():
    with pytest.raises(InvalidTransition) as refused:
        CHANNEL_WORKFLOW.apply("active", "resume")
    assert refused.value.detail == "This channel is active; it cannot be resumed."


def test_final_states_and_allowed_actions():
    assert REQUEST_WORKFLOW.is_final("approved") and not REQUEST_WORKFLOW.is_final("pending")
    assert REQUEST_WORKFLOW.allowed_actions("partly_approved") == [
        "approve", "approve_final", "decline", "withdraw"]
    assert REQUEST_WORKFLOW.can("pending", "decline")
    assert not REQUEST_WORKFLOW.can("declined", "decline")


def test_a_table_naming_unknown_states_or_actions_is_rejected_when_built():
    with pytest.raises(ValueError, match="unknown state 'lost'"):
        TransitionTable(subject="thing", states={"new": "new"}, actions={"go": "gone"},
                        transitions={("new", "go"): "lost"}, initial="new")
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        TransitionTable(subject="thing", states={"new": "new"}, actions={"go": "gone"},
                        transitions={("new", "fly"): "new"}, initial="new")
    with pytest.raises(ValueError, match="initial state"):
        TransitionTable(subject="thing", states={"new": "new"}, actions={}, transitions={},
                        initial="old")


def test_applying_an_unknown_state_or_action_is_a_programming_error():
    with pytest.raises(ValueError):
        REQUEST_WORKFLOW.apply("lost", "approve")
    with pytest.raises(ValueError):
        REQUEST_WORKFLOW.apply("pending", "fly")
