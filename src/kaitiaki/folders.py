"""Where Kaitiaki keeps local files, as plain functions of the settings' values. Kept apart from
kaitiaki.config (pydantic, SQLAlchemy) so that the policy loader, which the stand-alone checker
uses, can find the cache folder without importing them."""

from __future__ import annotations

import os
from pathlib import Path

ENV_PREFIX = "KAITIAKI_"
DEFAULT_VAR_DIR = Path("./var")


def cache_folder(cache_dir: str | None, var_dir: Path) -> Path | None:
    """The cache folder for these two settings: unset, <var_dir>/cache; empty, none (no cache)."""
    if cache_dir is None:
        return var_dir / "cache"
    return Path(cache_dir) if cache_dir.strip() else None


def cache_folder_from_environment() -> Path | None:
    """`Settings().resolved_cache_dir` from the environment, without building Settings (which
    takes milliseconds and needs the web and database libraries)."""
    var_dir = os.environ.get(f"{ENV_PREFIX}VAR_DIR")
    return cache_folder(os.environ.get(f"{ENV_PREFIX}CACHE_DIR"),
                        Path(var_dir) if var_dir else DEFAULT_VAR_DIR)


__all__ = ["DEFAULT_VAR_DIR", "ENV_PREFIX", "cache_folder", "cache_folder_from_environment"]
