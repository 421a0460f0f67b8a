"""Plain words for the identifiers people would otherwise see: a policy pack's id
("dpmc@1.2+b750f209") becomes "DPMC / NEMA Social Media Policy, version 1.2".

The fingerprint after "+" identifies the exact rules that ran; it stays in the audit record and
the API, and pages show it only to those who ask for it (in a tooltip).
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from kaitiaki.errors import PackError
from kaitiaki.policy.loader import resolve_pack_path


@lru_cache(maxsize=32)
def _pack_title(name: str) -> str:
    try:
        path = resolve_pack_path(name) / "pack.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (PackError, OSError, yaml.YAMLError):
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) else ""


def pack_label(pack_id: str | None) -> str:
    """ "dpmc@1.2+b750f209" -> "DPMC / NEMA Social Media Policy, version 1.2"; unknown ids as they are."""
    if not pack_id:
        return ""
    name, _, rest = pack_id.partition("@")
    version = rest.partition("+")[0]
    title = _pack_title(name) or name
    return f"{title}, version {version}" if version else title


__all__ = ["pack_label"]
