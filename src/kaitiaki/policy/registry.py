"""Look-ups over a loaded pack: clauses by id, rules by item kind, rules by clause."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from kaitiaki.errors import NotFound
from kaitiaki.policy.schema import Clause, Rule


class Registry:
    def __init__(self, clauses: Iterable[Clause], rules: Iterable[Rule]) -> None:
        self._clauses: dict[str, Clause] = {clause.id: clause for clause in clauses}
        self._rules: dict[str, Rule] = {}
        by_kind: dict[str, list[Rule]] = defaultdict(list)
        by_clause: dict[str, list[Rule]] = defaultdict(list)
        for rule in rules:
            self._rules[rule.id] = rule
            by_clause[rule.clause].append(rule)
            for kind in rule.applies_to:
                by_kind[kind].append(rule)
        self._by_kind = {kind: tuple(found) for kind, found in by_kind.items()}
        self._by_clause = {clause: tuple(found) for clause, found in by_clause.items()}

    @property
    def clauses(self) -> Mapping[str, Clause]:
        return self._clauses

    def clause(self, clause_id: str) -> Clause:
        try:
            return self._clauses[clause_id]
        except KeyError:
            raise NotFound(f"no clause {clause_id!r} in this pack") from None

    def rule(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise NotFound(f"no rule {rule_id!r} in this pack") from None

    def rules_for_kind(self, kind: str) -> tuple[Rule, ...]:
        return self._by_kind.get(kind, ())

    def rules_citing(self, clause_id: str) -> tuple[Rule, ...]:
        return self._by_clause.get(clause_id, ())

    def rules_by_check(self, check: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self._rules.values() if rule.check == check)
