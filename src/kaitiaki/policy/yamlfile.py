"""YAML files that remember where each value came from, so an error can name its file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kaitiaki.policy import yamlcache

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
    data: Any
    problems: list[Problem] = field(default_factory=list)
    # the file's text; None when it could not be parsed (not UTF-8, not YAML, empty)
    text: str | None = field(default=None, repr=False)
    composed: yaml.Node | None = field(default=None, repr=False)

    @property
    def parsed(self) -> bool:
        return self.text is not None

    @property
    def node(self) -> yaml.Node | None:
        """The document's nodes, which know their lines; composed on first use when the data came
        from the cache (only an error message needs them)."""
        if self.composed is None and self.text is not None:
            self.composed = yaml.compose(self.text, Loader=_Loader)
        return self.composed

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
    raw = path.read_bytes()
    try:
        text = _universal_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return YamlFile(path, None, [Problem(path, None, f"not UTF-8 text: {exc.reason}")])
    cached, data = yamlcache.load(raw)
    if cached:
        return YamlFile(path, data, text=text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return YamlFile(path, None, [Problem(path, line, f"not valid YAML: {exc.problem}")])
    if node is None:
        return YamlFile(path, None, [Problem(path, 1, "the file is empty")])
    problems = [Problem(path, line, f"the key {key!r} appears twice") for key, line in _duplicate_keys(node)]
    data = construct(node)
    if not problems:
        yamlcache.store(raw, data)
    return YamlFile(path, data, problems, text, node)


def _universal_newlines(text: str) -> str:
    """The text as reading the file in text mode gives it (\r\n and \r become \n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {
    f"tag:yaml.org,2002:{name}": yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "timestamp")
}
_SCALAR_CONSTRUCTOR = yaml.SafeLoader("")


class _Unusual(Exception):
    """A node the direct construction leaves to PyYAML's constructor (merge keys, sets, tags)."""


def construct(node: yaml.Node) -> Any:
    """The Python data of a composed document, as `yaml.safe_load` gives it.

    Plain mappings, sequences and scalars (by far the most of a pack) are built directly, several
    times faster than PyYAML's general constructor; anything else goes to that constructor."""
    try:
        return _direct(node)
    except (_Unusual, RecursionError):
        return yaml.SafeLoader("").construct_document(node)


def _direct(node: yaml.Node) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        scalar = _SCALARS.get(node.tag)
        if scalar is None:
            raise _Unusual(node.tag)
        return scalar(_SCALAR_CONSTRUCTOR, node)
    if kind is yaml.MappingNode and node.tag == _MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is yaml.ScalarNode and key_node.tag == _STR:
                key = key_node.value
            else:
                key = _direct(key_node)  # a merge key (<<) is not among the scalars built here
                if not isinstance(key, (str, int, float, bool, type(None), dt.date)):
                    raise _Unusual("key")
            mapping[key] = _direct(value_node)
        return mapping
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_direct(item) for item in node.value]
    raise _Unusual(node.tag)


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
