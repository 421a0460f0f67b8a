"""The import contract (docs/architecture.md, [tool.importlinter] in pyproject.toml): an import
that points up a layer, or a checker module that imports what stores or serves, fails here with
the chain of imports that breaks it."""

from __future__ import annotations

import ast
import logging
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
ARCHITECTURE_DOC = PYPROJECT.parent / "docs" / "architecture.md"


def test_imports_keep_to_the_layers(capsys) -> None:
    # import-linter configures logging with disable_existing_loggers, which would silence
    # Kaitiaki's loggers for every later test in this process.
    was_disabled = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    try:
        exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    finally:
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = was_disabled.get(name, False)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report


def test_the_architecture_page_lists_every_layer_of_the_contract() -> None:
    contract = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0]
    page = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    for layer in contract["layers"]:
        for module in layer.split(":"):
            assert f"`{module.strip()}`" in page, f"docs/architecture.md does not show {module.strip()}"


# A build script run from the command line (`make meaning-model`), not a service: it points the
# checker at the weights it has just trained for one evaluation.
READS_THE_ENVIRONMENT_ON_PURPOSE = {"kaitiaki/check_service/meaning_build.py"}
SOURCE = PYPROJECT.parent / "src"


def _domain_modules() -> list[Path]:
    """Every module of the features, identity and shared layers of the contract."""
    layers = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0]["layers"]
    below_assembly = next(index for index, layer in enumerate(layers) if "kaitiaki.app" in layer) + 1
    names = [name.strip() for layer in layers[below_assembly:below_assembly + 5] for name in layer.split(":")]
    files: list[Path] = []
    for name in names:
        path = SOURCE / name.replace(".", "/")
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")])
    return files


def _reads_settings_itself(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("get_settings", "environ", "getenv"):
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in ("get_settings", "environ", "getenv"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and any(
                alias.name in ("get_settings", "environ", "getenv") for alias in node.names):
            found.append(f"line {node.lineno}: imports {', '.join(a.name for a in node.names)}")
    return found


def test_no_domain_module_reads_the_settings_or_the_environment_itself() -> None:
    """Services are handed the settings by whoever owns the unit of work (kaitiaki.common.work)."""
    modules = _domain_modules()
    assert len(modules) > 50 and SOURCE / "kaitiaki/complaints/service.py" in modules
    offenders = {}
    for path in modules:
        relative = path.relative_to(SOURCE).as_posix()
        found = _reads_settings_itself(ast.parse(path.read_text(encoding="utf-8")))
        if found and relative not in READS_THE_ENVIRONMENT_ON_PURPOSE:
            offenders[relative] = found
    assert offenders == {}


def test_the_check_for_reading_the_settings_finds_each_way_of_doing_it() -> None:
    for source in ("from kaitiaki.config import get_settings", "settings = config.get_settings()",
                   "import os\nos.environ['X']", "from os import environ", "os.getenv('X')"):
        assert _reads_settings_itself(ast.parse(source)), source
    assert not _reads_settings_itself(ast.parse("settings = work.settings"))
