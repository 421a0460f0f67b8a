"""Every check type in the registry has a section with a worked example in the pack-authoring guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from kaitiaki.checker.checks import CHECKS
from kaitiaki.policy.schema import Rule

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "pack-authoring.md"


@pytest.mark.parametrize("check_type", sorted(CHECKS))
def test_every_check_type_is_documented_with_an_example(check_type: str) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = re.search(rf"^### {check_type}\n(.*?)(?=^##)", text, re.MULTILINE | re.DOTALL)
    assert section, f"docs/pack-authoring.md has no '### {check_type}' section"
    assert f"check: {check_type}" in section.group(1), f"the {check_type} section has no example rule"


@pytest.mark.parametrize("check_type", sorted(CHECKS))
def test_each_worked_example_is_a_valid_rule(check_type: str) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = re.search(rf"^### {check_type}\n(.*?)(?=^##)", text, re.MULTILINE | re.DOTALL)
    assert section
    block = re.search(r"```yaml\n(.*?)```", section.group(1), re.DOTALL)
    assert block
    rules = yaml.safe_load("rules:\n" + block.group(1))["rules"]
    assert TypeAdapter(Rule).validate_python(rules[0]).check == check_type
