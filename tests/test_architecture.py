"""The import contract (docs/architecture.md, [tool.importlinter] in pyproject.toml): an import
that points up a layer, or a checker module that imports what stores or serves, fails here with
the chain of imports that breaks it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
ARCHITECTURE_DOC = PYPROJECT.parent / "docs" / "architecture.md"


def test_imports_keep_to_the_layers(capsys) -> None:
    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report


def test_the_architecture_page_lists_every_layer_of_the_contract() -> None:
    contract = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0]
    page = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    for layer in contract["layers"]:
        for module in layer.split(":"):
            assert f"`{module.strip()}`" in page, f"docs/architecture.md does not show {module.strip()}"
