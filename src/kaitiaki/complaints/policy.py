"""What the policy pack says about complaints: the categories (and which are serious), who a
serious complaint is escalated to in each agency, the working-day timers and the reference prefix.

Read from the pack's pack.yaml through the pack loader, once per process per pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kaitiaki.errors import PackError
from kaitiaki.policy import read_pack, resolve_pack_path
from kaitiaki.policy.schema import ComplaintCategory, RoleRequirement

DEFAULT_PREFIX = "COMPLAINT"

# Checker finding categories that make a complaint's category more specific (and serious).
RAISED_BY_FINDING: dict[str, str] = {
    "personal_information": "privacy_breach",
    "political_neutrality": "political_neutrality",
}


@dataclass(frozen=True)
class ComplaintPolicy:
    categories: tuple[ComplaintCategory, ...]
    escalation: dict[str, RoleRequirement]
    acknowledge_working_days: int
    resolve_working_days: int
    reference_prefix: str
    agency_name: str
    contact_email: str | None

    def category(self, code: str) -> ComplaintCategory | None:
        return next((c for c in self.categories if c.code == code), None)

    def label(self, code: str) -> str:
        found = self.category(code)
        return found.label if found is not None else code

    def is_serious(self, code: str) -> bool:
        found = self.category(code)
        return bool(found and found.serious)

    @property
    def labels(self) -> dict[str, str]:
        return {c.code: c.label for c in self.categories}


def complaint_policy(pack_name_or_path: str | Path) -> ComplaintPolicy:
    return _policy_at(resolve_pack_path(pack_name_or_path))


@lru_cache(maxsize=8)
def _policy_at(path: Path) -> ComplaintPolicy:
    meta = read_pack(path).meta
    if not meta.complaint_categories or meta.complaint_timers is None:
        raise PackError(f"The policy pack {meta.name} has no complaint_categories or "
                        "complaint_timers; complaints need both.")
    agency = meta.agency
    return ComplaintPolicy(
        categories=tuple(meta.complaint_categories),
        escalation=dict(meta.complaint_escalation),
        acknowledge_working_days=meta.complaint_timers.acknowledge_working_days,
        resolve_working_days=meta.complaint_timers.resolve_working_days,
        reference_prefix=(agency.complaint_reference_prefix if agency else None) or DEFAULT_PREFIX,
        agency_name=agency.name if agency else "the agency",
        contact_email=agency.contact_email if agency else None,
    )


__all__ = ["RAISED_BY_FINDING", "ComplaintPolicy", "complaint_policy"]
