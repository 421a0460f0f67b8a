"""The policy pack: its file formats (schema), the loader with line-numbered errors, and the clause
and rule registry. Pure data: the checker compiles a pack's matchers."""

from kaitiaki.policy.loader import (
    BUNDLED_PACKS,
    Pack,
    PackLintError,
    bundled_pack_names,
    flatten_text,
    read_pack,
    resolve_pack_path,
)
from kaitiaki.policy.registry import Registry
from kaitiaki.policy.yamlfile import Problem

__all__ = [
    "BUNDLED_PACKS",
    "Pack",
    "PackLintError",
    "Problem",
    "Registry",
    "bundled_pack_names",
    "flatten_text",
    "read_pack",
    "resolve_pack_path",
]
