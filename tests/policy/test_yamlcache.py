"""Parsed pack files come back from the cache exactly as parsed, and errors keep their lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kaitiaki.policy import yamlcache
from kaitiaki.policy.loader import read_pack
from kaitiaki.policy.yamlfile import construct, read_yaml


def _lexicon(entries: int, extra: str = "") -> str:
    lines = ['name: demo', 'title: "Demo"', 'version: "1"', "entries:"]
    for index in range(entries):
        lines += [f'  - name: "Company {index}"', "    type: company",
                  "    attributes: {rank: %d, listed: true}" % index, '    source: "test"', "    as_of: 2025-06-01"]
    return "\n".join(lines) + "\n" + extra


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(yamlcache.CACHE_ENV, str(folder))
    return folder / "packs"


def test_second_read_comes_from_the_cache(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300), encoding="utf-8")
    first = read_yaml(path)
    assert len(list(cache.glob("*.json"))) == 1
    second = read_yaml(path)
    assert second.composed is None  # not parsed again
    assert second.data == first.data
    assert second.data["entries"][0]["as_of"] == dt.date(2025, 6, 1)
    assert second.line_of(("entries", 2, "source")) == first.line_of(("entries", 2, "source")) == 18


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300), encoding="utf-8")
    read_yaml(path)
    path.write_text(_lexicon(301), encoding="utf-8")
    assert len(read_yaml(path).data["entries"]) == 301


def test_a_corrupt_entry_is_ignored(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300), encoding="utf-8")
    expected = read_yaml(path).data
    for entry in cache.glob("*.json"):
        entry.write_text('{"name": "tampered', encoding="utf-8")
    assert read_yaml(path).data == expected


def test_files_with_problems_are_not_cached(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300, extra="name: twice\n"), encoding="utf-8")
    for _ in range(2):
        problems = read_yaml(path).problems
        assert [(problem.line, problem.message) for problem in problems] == [(1505, "the key 'name' appears twice")]
    assert not list(cache.glob("*.json"))


def test_data_json_cannot_hold_is_not_cached(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300, extra="stamp: 2025-06-01 10:00:00\n"), encoding="utf-8")
    assert read_yaml(path).data["stamp"] == dt.datetime(2025, 6, 1, 10, 0)
    assert not list(cache.glob("*.json"))


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(yamlcache.CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300), encoding="utf-8")
    read_yaml(path)
    assert not (tmp_path / "xdg").exists()


def test_the_bundled_pack_reads_the_same_from_the_cache(cache: Path) -> None:
    first = read_pack("dpmc")
    second = read_pack("dpmc")
    assert list(cache.glob("*.json"))
    assert second.id == first.id
    assert second.lexicons == first.lexicons
    assert second.rules == first.rules


@pytest.mark.parametrize(
    "document",
    [
        "a: &x {b: 1}\nc: *x\n",
        "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
        "a: !!set {x, y}\nb: !!binary aGVsbG8=\nc: !!omap [x: 1, y: 2]\n",
        "1: one\n2.5: x\nnull: y\n2020-01-01: d\n",
        "a: 2001-12-14t21:59:43.10-05:00\nb: .inf\nc: 0o17\nd: 0x1F\ne: 1_000\nf: yes\ng: ~\nh: 1:20\n",
        "- !!str 12\n- !!int '7'\n- !!float 1\n- '2025-06-01'\n- 2025-06-01\n",
    ],
)
def test_construct_gives_what_safe_load_gives(document: str) -> None:
    assert construct(yaml.compose(document, Loader=yaml.CSafeLoader)) == yaml.safe_load(document)


def test_the_cache_goes_under_the_data_folder_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(yamlcache.CACHE_ENV, raising=False)
    monkeypatch.setenv("KAITIAKI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "demo.yaml"
    path.write_text(_lexicon(300), encoding="utf-8")
    read_yaml(path)
    assert len(list((tmp_path / "var" / "cache" / "packs").glob("*.json"))) == 1
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
