"""YAML files that remember where each value came from, so an error can name its file and line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, located as precisely as the file allows."""

    file: Path
    line: int | None
    message: str
    example: str | None = None

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)

    def render(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.example:
            indented = "\n".join("    " + line for line in self.example.splitlines())
            text += "\n  for example:\n" + indented
        return text


@dataclass
class YamlFile:
    path: Path
    node: yaml.Node | None
    data: Any
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the value at `loc`; the nearest enclosing value's line when `loc`
        names something absent (a missing key) or a pydantic union tag that is not in the file."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = _child(node, part)
            if child is None:
                continue  # a union tag or a missing key: stay on the enclosing value
            key_node, node = child
            line = (key_node or node).start_mark.line + 1
        return line


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def read_yaml(path: Path) -> YamlFile:
    """Parse one YAML file; syntax errors and duplicate keys become problems, not exceptions."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return YamlFile(path, None, None, [Problem(path, None, f"not UTF-8 text: {exc.reason}")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return YamlFile(path, None, None, [Problem(path, line, f"not valid YAML: {exc.problem}")])
    if node is None:
        return YamlFile(path, None, None, [Problem(path, 1, "the file is empty")])
    problems = [Problem(path, line, f"the key {key!r} appears twice") for key, line in _duplicate_keys(node)]
    data = yaml.SafeLoader("").construct_document(node)
    return YamlFile(path, node, data, problems)


def _duplicate_keys(node: yaml.Node) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        found.append((key_node.value, key_node.start_mark.line + 1))
                    seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda pair: pair[1])
