"""Run every benchmark, write bench/results/*.json, print one Markdown table and put it in
docs/performance.md.

    .venv/bin/python bench/run_all.py [--quick] [--pg-url URL] [--only abusive pii checker web]

`make bench` runs this. Each benchmark runs in its own process, one after another (they would
otherwise compete for the cores); a benchmark that fails is reported in the table as failed and
the others still run. PostgreSQL is measured in the web benchmark when --pg-url or
KAITIAKI_TEST_DATABASE_URL is given.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from typing import Any

from common import REPO_ROOT, RESULTS_DIR, machine

PERFORMANCE_DOC = REPO_ROOT / "docs" / "performance.md"
START, END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"


def steps(quick: bool, pg_url: str | None) -> dict[str, list[tuple[str, list[str]]]]:
    checker_args = ["--items", "1000", "--runs", "1"] if quick else ["--items", "3000", "--runs", "3"]
    quick_flag = ["--quick"] if quick else []
    return {
        "abusive": [("abusive", ["bench_abusive.py", *quick_flag])],
        "pii": [("pii", ["bench_pii.py", *quick_flag])],
        "checker": [("checker", ["bench_checker.py", *checker_args]),
                    ("checker_parallel", ["bench_checker_parallel.py", *checker_args])],
        "web": [("web", ["bench_web.py", *quick_flag, *(["--pg-url", pg_url] if pg_url else [])])],
    }


def run(script_args: list[str]) -> bool:
    command = [sys.executable, str(REPO_ROOT / "bench" / script_args[0]), *script_args[1:]]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    return subprocess.run(command, cwd=REPO_ROOT / "bench").returncode == 0


def load(name: str, fresh: set[str]) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if name in fresh and path.exists() else None


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}x" if peer else "n/a"


def abusive_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for set_name, entry in report["sets"].items():
        systems = entry["systems"]
        key, label = (("macro_f1", "macro-F1") if systems["alt-profanity-check"]["macro_f1"] is not None
                      else ("recall", "recall"))
        peer = systems["alt-profanity-check"]
        peers = f"alt-profanity-check {peer[key]:.3f}; better-profanity {systems['better-profanity'][key]:.3f}"
        goal = "≥ alt-profanity-check + 0.05" if key == "macro_f1" else ""
        for name in ("Kaitiaki checker", "Kaitiaki abusive model alone"):
            ours = systems[name]
            rows.append([f"Abusive: {set_name} ({entry['rows']}), {label}, {name}", f"{ours[key]:.3f}", peers,
                         f"{ours[key] - peer[key]:+.3f}", goal])
        speed_peers = (f"alt-profanity-check {peer['comments_per_second']:,.0f}; "
                       f"better-profanity {systems['better-profanity']['comments_per_second']:,.0f}")
        for name in ("Kaitiaki checker", "Kaitiaki abusive model alone"):
            ours = systems[name]
            rows.append([f"Abusive: {set_name}, comments/s, {name}", f"{ours['comments_per_second']:,.0f}",
                         speed_peers, ratio(ours["comments_per_second"], peer["comments_per_second"]), ""])
    return rows


def pii_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    shared = ", ".join(report["shared_types"])
    for set_name, entry in report["sets"].items():
        ours, peer = entry["systems"]["Kaitiaki"], entry["systems"]["Presidio analyzer"]
        a, b = ours["shared_types"]["all"], peer["shared_types"]["all"]
        nz = set_name.startswith("generated")
        rows.append([f"Personal info: {set_name} ({entry['texts']}), P / R / F2 on {shared}",
                     f"{a['precision']:.3f} / {a['recall']:.3f} / {a['f2']:.3f}",
                     f"Presidio {b['precision']:.3f} / {b['recall']:.3f} / {b['f2']:.3f}",
                     f"F2 {a['f2'] - b['f2']:+.3f}", "F2 ≥ Presidio" if nz else ""])
        for kind in report["shared_types"]:
            if kind in ours["shared_types"]:
                x, y = ours["shared_types"][kind], peer["shared_types"].get(kind, {"f2": 0.0})
                rows.append([f"Personal info: {set_name}, F2 {kind}", f"{x['f2']:.3f}", f"Presidio {y['f2']:.3f}",
                             f"{x['f2'] - y['f2']:+.3f}", ""])
        only = [f"{kind} {figures['f2']:.3f}" for kind, figures in ours["own_types"].items()
                if kind not in report["shared_types"] and kind != "all"]
        if only:
            rows.append([f"Personal info: {set_name}, F2 on types Presidio lacks offline", "; ".join(only),
                         "not supported", "", ""])
        rows.append([f"Personal info: {set_name}, texts/s", f"{ours['texts_per_second']:,.0f}",
                     f"Presidio {peer['texts_per_second']:,.0f}",
                     ratio(ours["texts_per_second"], peer["texts_per_second"]), "≥ 3x" if nz else ""])
    return rows


def checker_rows(single: dict[str, Any] | None, parallel: dict[str, Any] | None) -> list[list[str]]:
    rows = []
    if single:
        rows.append([f"Checker: {single['items']} mixed items, items/s, 1 process",
                     f"{single['checker_items_per_second']:,.0f}",
                     f"plain-regex scan {single['peer_regex_items_per_second']:,.0f}",
                     ratio(single["checker_items_per_second"], single["peer_regex_items_per_second"]), ""])
        rows.append(["Checker: single check p50 / p99",
                     f"{single['single_check_p50_ms']:.2f} / {single['single_check_p99_ms']:.2f} ms", "", "", ""])
    if parallel:
        rows.append([f"Checker: items/s, {parallel['processes']} processes (forked)",
                     f"{parallel['items_per_second_n_processes']:,.0f}",
                     f"1 process {parallel['items_per_second_1_process']:,.0f}", f"{parallel['speed_up']:.2f}x", ""])
    return rows


def web_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for kind, entry in report["databases"].items():
        reference = next(value for name, value in entry.items() if name.startswith("GET /login"))
        for name in ("POST /api/v1/check", "GET moderation queue page"):
            value = entry[name]
            goal = "≥ 500 req/s, p99 < 50 ms" if name.startswith("POST") else ""
            rows.append([f"Web ({kind}, {report['workers']} workers, {report['concurrency']} in flight): {name}",
                         f"{value['requests_per_second']:,.0f} req/s, p50 {value['p50_ms']} ms, p99 {value['p99_ms']} ms, "
                         f"{value['errors']} errors",
                         f"sign-in page {reference['requests_per_second']:,.0f} req/s, p99 {reference['p99_ms']} ms",
                         ratio(value["requests_per_second"], reference["requests_per_second"]), goal])
    for kind, note in report.get("notes", {}).items():
        rows.append([f"Web ({kind})", note, "", "", ""])
    return rows


def table(results: dict[str, dict[str, Any] | None], failed: list[str]) -> str:
    rows: list[list[str]] = []
    if results.get("abusive"):
        rows += abusive_rows(results["abusive"])
    if results.get("pii"):
        rows += pii_rows(results["pii"])
    rows += checker_rows(results.get("checker"), results.get("checker_parallel"))
    if results.get("web"):
        rows += web_rows(results["web"])
    rows += [[f"{name}", "failed: see the run's output", "", "", ""] for name in failed]
    lines = ["| Measure | Kaitiaki | Peer, same run | Kaitiaki vs peer | Goal |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def notes(results: dict[str, dict[str, Any] | None]) -> list[str]:
    extra = []
    for name, report in results.items():
        for set_name, note in ((report or {}).get("notes") or {}).items():
            extra.append(f"- {name}: {set_name}: {note}")
    return extra


def update_doc(markdown: str, header: str) -> None:
    block = f"{START}\n{header}\n\n{markdown}\n{END}"
    text = PERFORMANCE_DOC.read_text(encoding="utf-8") if PERFORMANCE_DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip() + f"\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    PERFORMANCE_DOC.write_text(before + block + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sets, one run each")
    parser.add_argument("--pg-url", default=os.environ.get("KAITIAKI_TEST_DATABASE_URL"))
    parser.add_argument("--only", nargs="*", choices=["abusive", "pii", "checker", "web"])
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    args = parser.parse_args()

    before = machine()
    started = time.perf_counter()
    plan = steps(args.quick, args.pg_url)
    fresh: set[str] = set()
    failed: list[str] = []
    for group, runs in plan.items():
        if args.only and group not in args.only:
            continue
        for name, script_args in runs:
            (fresh.add if run(script_args) else failed.append)(name)
    results = {name: load(name, fresh) for runs in plan.values() for name, _ in runs}
    after = machine()
    minutes = (time.perf_counter() - started) / 60
    header = (f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC{' (--quick)' if args.quick else ''} with "
              f"`{' '.join(['make bench'] if not args.quick and not args.only else ['python bench/run_all.py', *sys.argv[1:]])}`"
              f" in {minutes:.0f} min: {before['cores']} cores, {before['memory_gib']} GiB memory, Python "
              f"{before['python']}, {before['platform']}; load average {before['load_average'][0]:.1f} at the "
              f"start and {after['load_average'][0]:.1f} at the end.")
    markdown = table(results, failed)
    extra = notes(results)
    if extra:
        markdown += "\n\n" + "\n".join(extra)
    print("\n" + header + "\n\n" + markdown)
    if not args.no_doc and not args.only:
        update_doc(markdown, header)
        print(f"\nwritten to {PERFORMANCE_DOC}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
