"""`kaitiaki check`: a text, or a JSON-lines file with one result per line; bad lines become error
results naming their line; exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kaitiaki.cli import app

MINI = str(Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini")
runner = CliRunner()


def run(*args: str, stdin: bytes | None = None):  # noqa: ANN201 - click Result
    return runner.invoke(app, ["check", "--pack", MINI, *args], input=stdin)


def test_a_blocked_text_exits_1_and_explains() -> None:
    result = run("Vote Green Party on Saturday!")
    assert result.exit_code == 1
    assert "BLOCK" in result.stdout and "Staff must remain politically neutral." in result.stdout


def test_a_clean_text_exits_0() -> None:
    result = run("Our offices are closed on Labour Day.")
    assert result.exit_code == 0
    assert result.stdout.startswith("PASS")


def test_fail_level_warn_fails_on_a_warning() -> None:
    assert run("The Greens met today.").exit_code == 0
    assert run("The Greens met today.", "--fail-level", "warn").exit_code == 1


def test_kind_and_platform_options() -> None:
    result = run("We utilise new tools", "--platform", "x", "--format", "json")
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["mini.tone.plain"]
    result = run("You are a useless idiot and a moron", "--kind", "comment", "--format", "json")
    assert "mini.comments.abusive" in {f["rule"] for f in json.loads(result.stdout)["findings"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give either a TEXT"),
        (("hello", "--input", "-"), "give either a TEXT"),
        (("hello", "--format", "xml"), "unknown format 'xml'"),
        (("hello", "--fail-level", "advise"), "unknown fail level"),
        (("hello", "--kind", "tweet"), "unknown kind 'tweet'"),
        (("",), "nothing to check"),
        (("--input", "/no/such/file.jsonl"), "cannot read /no/such/file.jsonl"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_broken_pack_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("name: broken\nversion: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--pack", str(tmp_path), "hello"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'pack.yaml'}:2:" in result.stderr


LINES = [
    b'{"id": "a", "kind": "post", "text": "Vote Green Party!"}',
    b"not json at all",
    b'{"id": "c", "kind": "post", "text": "caf\xe9"}',  # Latin-1, not UTF-8
    b"",
    b'{"id": "e", "text": "no kind"}',
    b'{"id": "f", "kind": "tweet", "text": "x"}',
    b'{"id": "g", "kind": "post", "text": ""}',
    b'["a list"]',
    b'{"id": "i", "kind": "post", "text": "' + b"y" * 100_001 + b'"}',
    b'{"id": "j", "kind": "interaction", "action": "follow", "target": {"handle": "@someone"}}',
    b'{"id": "k", "kind": "post", "text": "Kia ora \xc4\x81 whanau"}',
]


def jsonl_results(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_input_gives_one_result_per_line_in_order_and_goes_on_after_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "items.jsonl"
    source.write_bytes(b"\n".join(LINES) + b"\n")
    result = runner.invoke(app, ["check", "--pack", MINI, "--input", str(source), "--format", "jsonl"])
    assert result.exit_code == 1  # line 1 blocks
    outcomes = jsonl_results(result.stdout)
    assert [o.get("line") for o in outcomes] == [None, 2, 3, 5, 6, 7, 8, 9, None, None]
    assert outcomes[0]["id"] == "a" and outcomes[0]["decision"] == "block"
    errors = {o["line"]: o for o in outcomes if "error" in o}
    assert "not JSON" in errors[2]["error"]
    assert "not UTF-8" in errors[3]["error"]
    assert errors[5]["id"] == "e" and "missing kind: give one of post" in errors[5]["error"]
    assert "unknown kind 'tweet'" in errors[6]["error"]
    assert "nothing to check" in errors[7]["error"]
    assert "not a JSON object" in errors[8]["error"]
    assert "over the 100,000-character limit" in errors[9]["error"]
    assert [o["id"] for o in outcomes[-2:]] == ["j", "k"]
    assert outcomes[-2]["decision"] == "warn" and outcomes[-1]["decision"] == "pass"
    assert "8 of 10 lines" not in result.stderr and "7 of 10 lines could not be checked" in result.stderr


def test_input_from_stdin_with_only_clean_lines_exits_0() -> None:
    stdin = b'{"id": "1", "kind": "post", "text": "Hello"}\n{"id": "2", "kind": "reply", "text": "Thanks"}\n'
    result = run("--input", "-", "--format", "jsonl", stdin=stdin)
    assert result.exit_code == 0
    assert [o["id"] for o in jsonl_results(result.stdout)] == ["1", "2"]


def test_input_as_json_array_and_sarif() -> None:
    stdin = b'{"id": "1", "kind": "post", "text": "Vote Green Party!"}\nnope\n'
    as_json = json.loads(run("--input", "-", "--format", "json", stdin=stdin).stdout)
    assert [entry.get("decision", entry.get("error", "")[:6]) for entry in as_json] == ["block", "line 2"]
    sarif = json.loads(run("--input", "-", "--format", "sarif", stdin=stdin).stdout)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"mini.political.vote-party"}


def test_input_as_text_labels_error_lines() -> None:
    result = run("--input", "-", stdin=b'{"kind": "post", "text": "Hello"}\n{bad\n')
    assert "PASS item" in result.stdout
    assert "ERROR: line 2 is not JSON" in result.stdout


def test_context_options_reach_the_checker() -> None:
    staffer = "As a DPMC staffer I think the Government's new policy is rubbish"
    listed = runner.invoke(app, ["check", "--kind", "personal_post", "--employer-listed", "--format", "json", staffer])
    assert json.loads(listed.stdout)["decision"] != "pass"
    reply = runner.invoke(app, ["check", "--kind", "reply", "--format", "json",
                                "--target-text", "The Minister's decision to close the Ōtaki office is a disgrace.",
                                "We couldn't agree more, honestly."])
    assert json.loads(reply.stdout)["decision"] == "block"
