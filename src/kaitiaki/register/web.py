"""The pack's approval rules for this application, as the register's pages and API read them."""

from __future__ import annotations

from fastapi import Request

from kaitiaki.policy.schema import ApprovalRule
from kaitiaki.register.approval_rules import approval_rules


def rules_of(request: Request) -> tuple[ApprovalRule, ...]:
    return approval_rules(request.app.state.settings.policy_pack)


__all__ = ["rules_of"]
