"""`kaitiaki pack`: lint a pack, run its rules' examples, show its clauses, evaluate it on cases.

Exit codes: 0 fine; 1 an example or the accuracy bar failed; 2 the pack (or the case file) is
broken, with each problem as file:line and a corrected example.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.check_service.evaluate import EvalReport, evaluate, read_cases
from kaitiaki.check_service.packtest import run_examples
from kaitiaki.check_service.routing import PackSet
from kaitiaki.cli.common import EXIT_BAD_INPUT, fail, load_settings
from kaitiaki.errors import AppError
from kaitiaki.policy import bundled_pack_names

pack_app = typer.Typer(help="Policy packs: lint, test, show and evaluate.", no_args_is_help=True)

PackPaths = Annotated[
    Optional[list[str]],
    typer.Argument(help="Pack folders or bundled pack names (default: every bundled pack)."),
]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _load(name_or_path: str) -> CompiledPack:
    try:
        return load_pack(name_or_path)
    except AppError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


@pack_app.command("lint")
def lint(paths: PackPaths = None) -> None:
    """Validate packs: every file against its schema, then the cross-checks."""
    console = _console()
    for name in paths or bundled_pack_names():
        pack = _load(name)
        console.print(f"[green]ok[/green] {pack.id}: {len(pack.rules)} rules, "
                      f"{len(pack.pack.clauses)} clauses, {len(pack.pack.lexicons)} lexicons")


@pack_app.command("test")
def test(paths: PackPaths = None) -> None:
    """Run every rule's examples: each hit must produce the rule's finding, each miss none."""
    console = _console()
    failed = 0
    for name in paths or bundled_pack_names():
        pack = _load(name)
        outcomes = run_examples(pack)
        table = Table(title=f"{pack.id}: rule examples", show_lines=False)
        for column in ("rule", "hits", "misses", ""):
            table.add_column(column)
        for compiled in pack.rules:
            mine = [o for o in outcomes if o.rule == compiled.rule.id]
            hits = [o for o in mine if o.expect == "hit"]
            misses = [o for o in mine if o.expect == "miss"]
            ok = all(o.passed for o in mine)
            table.add_row(
                compiled.rule.id,
                f"{sum(o.passed for o in hits)}/{len(hits)}",
                f"{sum(o.passed for o in misses)}/{len(misses)}",
                "[green]pass[/green]" if ok else "[red]FAIL[/red]",
            )
        console.print(table)
        for outcome in outcomes:
            if not outcome.passed:
                failed += 1
                console.print(f"[red]FAIL[/red] {outcome.rule} {outcome.expect}: {escape(outcome.example)}\n"
                              f"     {escape(outcome.detail)}")
        console.print(f"{sum(o.passed for o in outcomes)} of {len(outcomes)} examples pass.")
    raise typer.Exit(1 if failed else 0)


@pack_app.command("show")
def show(path: Annotated[Optional[str], typer.Argument(help="Pack folder or name (default: the configured pack).")] = None) -> None:
    """Every clause of the pack with the rules that enforce it."""
    pack = _load(path or load_settings().policy_pack)
    console = _console()
    console.print(f"[bold]{pack.meta.title}[/bold] ({pack.id})")
    for clause in pack.pack.clauses:
        console.print(f"\n[bold]{clause.id}[/bold] [dim]{clause.kind} - {clause.section}[/dim]")
        console.print(f"  \u201c{escape(clause.quote)}\u201d")
        rules = pack.registry.rules_citing(clause.id)
        for rule in rules:
            console.print(f"  - {rule.id} [dim]({rule.severity}, {rule.check}, {', '.join(rule.applies_to)})[/dim]")
        if not rules:
            console.print("  [dim]no rule[/dim]")


@pack_app.command("eval")
def eval_cases(
    cases: Annotated[list[Path], typer.Argument(help="JSON-lines files of labelled cases, scored as one report.")],
    pack: Annotated[Optional[str], typer.Option("--pack", help="Check every case with this pack (default: the configured pack, with the bundled packs for other kinds).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    min_accuracy: Annotated[Optional[float], typer.Option("--min-accuracy", min=0.0, max=1.0, help="Exit 1 when the decision accuracy is below this.")] = None,
) -> None:
    """Decision accuracy, per-category precision and recall, and false blocks on labelled cases."""
    loaded = []
    for path in cases:
        try:
            loaded += read_cases(path)
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}")
        except AppError as exc:
            fail(exc.detail)
    try:
        packs = PackSet.open(pack, fallbacks=False) if pack else PackSet.open(load_settings().policy_pack)
    except AppError as exc:
        fail(exc.detail)
    report = evaluate(loaded, packs)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report)
    raise typer.Exit(1 if min_accuracy is not None and report.accuracy < min_accuracy else 0)


def _print_report(report: EvalReport) -> None:
    console = _console()
    console.print(f"decision accuracy: [bold]{report.accuracy:.3f}[/bold] ({report.correct}/{report.total})")
    console.print(f"false blocks on cases expected to pass: {report.false_blocks}/{report.expected_pass} "
                  f"({report.false_block_rate:.3f})")
    console.print(f"block recall: {_fmt(report.block_recall)} ({report.blocks_found}/{report.expected_block}); "
                  f"category recall: {_fmt(report.category_recall)}")
    console.print("per kind: " + ", ".join(f"{kind} {score.correct}/{score.cases} ({score.correct / score.cases:.3f})"
                                           for kind, score in sorted(report.kinds.items())))
    console.print("flagged (warned or blocked), per kind: " + "; ".join(
        f"{kind} {score.problems_flagged}/{score.problems} problems, {score.passes_flagged}/{score.passes} "
        f"expected to pass ({score.passes_blocked} blocked)" for kind, score in sorted(report.kinds.items())))
    if len(report.files) > 1:
        for name, score in report.files.items():
            console.print(escape(f"{name}: {score.correct}/{score.cases} right, "
                                 f"{score.passes_blocked}/{score.passes} false blocks"))
    table = Table(title="per category (findings that warn or block)")
    for column in ("category", "precision", "recall", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, score in sorted(report.categories.items()):
        table.add_row(name, _fmt(score.precision), _fmt(score.recall), str(score.true_positives),
                      str(score.false_positives), str(score.false_negatives))
    console.print(table)
    for mistake in report.mistakes:
        where = f"{mistake.file}:{mistake.line}" if len(report.files) > 1 else f"line {mistake.line}"
        console.print(escape(f"{where} {mistake.id or ''}: expected {mistake.expected} "
                             f"{mistake.expected_categories}, got {mistake.got} {mistake.got_categories}")
                      + f"  [dim]{escape(mistake.note)}[/dim]")
    for error in report.errors:
        console.print(f"[red]error[/red] {escape(error)}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
