"""Workflows as explicit tables of allowed transitions.

Every workflow (channel requests, complaints, exceptions, OIA requests ...) declares its states,
its actions and the allowed `(from_state, action) -> to_state` moves in one `TransitionTable`.
Anything not in the table is refused with `InvalidTransition`, whose message names the state the
thing is in, so the person sees why ("This request is already approved; it can no longer be
approved.").

    REQUESTS = TransitionTable(
        subject="request",
        states={"pending": "waiting for approval", "approved": "already approved"},
        actions={"approve": "approved"},
        transitions={("pending", "approve"): "approved"},
        initial="pending",
    )
    REQUESTS.apply("pending", "approve")   # -> "approved"
    REQUESTS.apply("approved", "approve")  # InvalidTransition

States map to the phrase that completes "This request is ..."; actions map to the past participle
that completes "it can no longer be ...". A state with no way out is final.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kaitiaki.errors import InvalidTransition


@dataclass(frozen=True)
class TransitionTable:
    subject: str  # what moves through the workflow, as named in messages: "request"
    states: Mapping[str, str]  # state -> "is ..." phrase for messages
    actions: Mapping[str, str]  # action -> past participle for messages
    transitions: Mapping[tuple[str, str], str]
    initial: str
    _by_state: dict[str, dict[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.initial not in self.states:
            raise ValueError(f"initial state {self.initial!r} is not one of the states")
        by_state: dict[str, dict[str, str]] = {state: {} for state in self.states}
        for (source, action), target in self.transitions.items():
            for state in (source, target):
                if state not in self.states:
                    raise ValueError(f"transition names unknown state {state!r}")
            if action not in self.actions:
                raise ValueError(f"transition names unknown action {action!r}")
            by_state[source][action] = target
        object.__setattr__(self, "_by_state", by_state)

    def allowed_actions(self, state: str) -> list[str]:
        """The actions possible from `state`, in the order the table lists them."""
        self._require_state(state)
        return list(self._by_state[state])

    def can(self, state: str, action: str) -> bool:
        self._require_state(state)
        return action in self._by_state[state]

    def is_final(self, state: str) -> bool:
        self._require_state(state)
        return not self._by_state[state]

    def apply(self, state: str, action: str) -> str:
        """The state after `action`; InvalidTransition when the table does not allow it."""
        self._require_state(state)
        if action not in self.actions:
            raise ValueError(f"unknown action {action!r} for a {self.subject}")
        target = self._by_state[state].get(action)
        if target is None:
            raise InvalidTransition(self.refusal(state, action))
        return target

    def refusal(self, state: str, action: str) -> str:
        """The sentence shown when `action` is not possible in `state`."""
        done = self.actions[action]
        can = "can no longer" if self.is_final(state) else "cannot"
        return f"This {self.subject} is {self.states[state]}; it {can} be {done}."

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """(from, action, to) for every allowed transition: for documentation and tests."""
        for (source, action), target in self.transitions.items():
            yield source, action, target

    def _require_state(self, state: str) -> None:
        if state not in self.states:
            raise ValueError(f"unknown state {state!r} for a {self.subject}")


__all__ = ["TransitionTable"]
