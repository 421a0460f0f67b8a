"""Build lexicons/companies_global.yaml: a filtered gazetteer of company names from /work/shared/data.

    python -m kaitiaki.policy.build_company_gazetteer [--data-dir DIR] [--output FILE] [--check]

Reads company NAMES only (never revenue tables or any other text) from
`fortune500/csv/*.csv` (Fortune 500 lists 1955-2019; names are facts, the compilation is unlicensed)
and `presidio_research/companies_and_organizations.csv` (Microsoft presidio-research, MIT).
A name that would fire on ordinary words is dropped, because a false "commercial endorsement" on an
agency channel costs more than a missed foreign brand:

* shorter than 4 letters, or a fund/ticker code (slashes, share-class codes, mostly capitals);
* every word of it (corporate suffixes aside) a common English word. "Common" is learned, not
  listed: a word counts as common when it is written in lower case at least COMMON_MIN times in the
  train splits of the shared text corpora (TweetEval, Davidson, Toxic Spans), which reads those
  texts at build time and keeps nothing of them but the verdict; a one-word name is dropped when
  a fifth or more of its uses there are in lower case, and a kept one counts only as capitalised;
* the same, folded, as a name in the NZ lexicons (government bodies, NZ companies, parties, news),
  so a NZ public body is never re-labelled commercial.

Corporate suffixes (Inc, Corp, plc, NV ...) are stripped into a shorter alias when what is left is
still distinctive. Fortune 500 names come first (most recent list first), then presidio names, up to
MAX_ENTRIES. `--check` exits 1 when the committed lexicon differs from what the data gives.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from kaitiaki.errors import PackError
from kaitiaki.policy.lexicon_build import DPMC_LEXICONS, fold, render_lexicon, run_builder

OUTPUT = DPMC_LEXICONS / "companies_global.yaml"
VERSION = "2025-06-01"
AS_OF = dt.date(2025, 6, 1)
MAX_ENTRIES = 3000
COMMON_MIN = 5
MIN_LETTERS = 4
LOWER_SHARE_MAX = 0.2
NZ_LEXICONS = ("nz_government_bodies", "nz_companies", "nz_political_actors", "nz_news_media")

FORTUNE_SOURCE = "fortune500 (names only)"
PRESIDIO_SOURCE = "presidio-research (MIT)"

SUFFIXES = {
    "inc", "inc.", "incorporated", "corp", "corp.", "corporation", "co", "co.", "company", "companies", "ltd",
    "ltd.", "limited", "plc", "llc", "lp", "l.p.", "nv", "n.v.", "sa", "s.a.", "ag", "se", "gmbh", "asa", "ab",
    "oyj", "spa", "s.p.a.", "holdings", "holding", "group", "the", "&", "and", "of", "trust", "bancorp",
    "international", "industries", "enterprises",
}
TICKER_MARKS = re.compile(r"/|\b\d{3}[A-Z]\b|\b(?:USD|EUR|GBP|ETF|UCITS|SHS|GDR|ADR|NPV|ACC|DIST)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def _words(lines: Iterable[str]) -> Iterator[str]:
    """Lower-case words as they are, any other spelling folded and marked with a leading '^'."""
    for line in lines:
        for word in WORD.findall(line):
            yield word if word.islower() else "^" + word.casefold()


def lower_case_counts(data_dir: Path) -> Counter[str]:
    """How often each word is written in lower case ("word") and otherwise ("^word") in the train splits."""
    counts: Counter[str] = Counter()
    tweeteval = sorted((data_dir / "tweeteval").glob("*/train_text.txt"))
    for path in tweeteval:
        counts.update(_words(path.read_text(encoding="utf-8").splitlines()))
    davidson = data_dir / "davidson" / "labeled_data.csv"
    toxic = data_dir / "toxic_spans" / "tsd_train.csv"
    for path, column in ((davidson, "tweet"), (toxic, "text")):
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                counts.update(_words(row.get(column, "") for row in csv.DictReader(handle)))
    if not counts:
        raise PackError(f"no corpus text under {data_dir} to learn common words from; pass --data-dir")
    return counts


def fortune_names(data_dir: Path) -> list[str]:
    files = sorted((data_dir / "fortune500" / "csv").glob("fortune500-*.csv"), reverse=True)
    if not files:
        raise PackError(f"{data_dir / 'fortune500' / 'csv'} has no fortune500-*.csv files")
    names: list[str] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            names.extend(row["company"].strip() for row in csv.DictReader(handle))
    return names


def presidio_names(data_dir: Path) -> list[str]:
    path = data_dir / "presidio_research" / "companies_and_organizations.csv"
    if not path.is_file():
        raise PackError(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["organization"].strip() for row in csv.DictReader(handle)]


def nz_names() -> set[str]:
    """Folded names and aliases of the NZ lexicons the global list must not overlap."""
    names: set[str] = set()
    for lexicon in NZ_LEXICONS:
        path = DPMC_LEXICONS / f"{lexicon}.yaml"
        if not path.is_file():
            continue
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("entries", []):
            for phrase in [entry["name"], *entry.get("aliases", []), *entry.get("case_sensitive", [])]:
                names.add(fold(phrase))
    return names


def core_words(name: str) -> list[str]:
    return [word for word in name.replace(",", " ").split() if word.casefold() not in SUFFIXES]


def why_rejected(name: str, lower: Counter[str]) -> str | None:
    """The reason a name is left out, or None when it is distinctive enough to keep."""
    letters = sum(char.isalpha() for char in name)
    if letters < MIN_LETTERS:
        return "short"
    if TICKER_MARKS.search(name) or (sum(c.isupper() for c in name) > 0.8 * letters and len(name.split()) >= 3):
        return "ticker"
    words = core_words(name)
    if not words:
        return "generic"
    if all(WORD.fullmatch(w) and lower[w.casefold()] >= COMMON_MIN for w in words):
        return "common_words"
    # A one-word name is a brand only if people mostly capitalise it ("Walmart", not "Deluxe").
    if len(name.split()) == 1:
        word = name.casefold()
        if lower[word] and lower[word] >= LOWER_SHARE_MAX * (lower[word] + lower["^" + word]):
            return "common_words"
    return None


def short_alias(name: str, lower: Counter[str]) -> str | None:
    """The name without its corporate suffix, when that is still distinctive and different."""
    words = name.replace(",", " ").split()
    while words and words[-1].casefold() in SUFFIXES:
        words.pop()
    alias = " ".join(words)
    if not alias or fold(alias) == fold(name) or why_rejected(alias, lower):
        return None
    if len(words) == 1 and sum(c.isalpha() for c in alias) < 5:
        return None
    return alias


def build_entries(data_dir: Path) -> tuple[list[dict], Counter[str]]:
    lower = lower_case_counts(data_dir)
    reserved = nz_names()
    seen: set[str] = set()
    rejected: Counter[str] = Counter()
    entries: list[dict] = []
    for source, names in (("fortune500", fortune_names(data_dir)), ("presidio-research", presidio_names(data_dir))):
        for name in names:
            name = " ".join(name.split())
            key = fold(name)
            if not name or key in seen:
                continue
            seen.add(key)
            reason = why_rejected(name, lower) or ("nz_collision" if key in reserved else None)
            if reason is None and len(entries) >= MAX_ENTRIES:
                reason = "over_cap"
            if reason:
                rejected[reason] += 1
                continue
            entry = {"name": name, "type": "company", "aliases": [],
                     # one word matches only as written, so the brand does not fire on the word
                     "case_sensitive": [name] if len(name.split()) == 1 else [],
                     "attributes": {"origin": source},
                     "source": FORTUNE_SOURCE if source == "fortune500" else PRESIDIO_SOURCE, "as_of": AS_OF}
            alias = short_alias(name, lower)
            if alias and fold(alias) not in seen and fold(alias) not in reserved:
                seen.add(fold(alias))
                entry["aliases"] = [alias]
            entries.append(entry)
    return entries, rejected


def build(data_dir: Path) -> str:
    entries, rejected = build_entries(data_dir)
    kept = Counter(entry["attributes"]["origin"] for entry in entries)
    description = (
        "Global company names for the commercial-endorsement rules, generated by "
        "`python -m kaitiaki.policy.build_company_gazetteer` from company names only: Fortune 500 lists "
        f"1955-2019 (github.com/cmusam/fortune500; names are facts, the compilation has no licence; {kept['fortune500']} kept) "
        "and Microsoft presidio-research companies_and_organizations.csv (MIT licence; "
        f"{kept['presidio-research']} kept). Filtered out: {rejected['short']} shorter than {MIN_LETTERS} letters, "
        f"{rejected['ticker']} fund or ticker codes, {rejected['common_words']} made only of common English words "
        f"(a word written in lower case at least {COMMON_MIN} times in the train splits of the shared TweetEval, "
        f"Davidson and Toxic Spans corpora, e.g. 'Target', 'Gap'; a one-word name is dropped if at least {LOWER_SHARE_MAX:.0%} of its uses there are lower case, and kept ones count only when capitalised as listed), {rejected['generic']} made only of corporate "
        f"suffixes, {rejected['nz_collision']} that are names in the NZ lexicons, and {rejected['over_cap']} over the "
        f"cap of {MAX_ENTRIES} entries. Names are matched case-insensitively at word boundaries; re-run the script "
        "rather than editing this file."
    )
    header = {"name": "companies_global", "title": "Global companies (generated gazetteer)", "version": VERSION,
              "description": description, "exclude": []}
    comment = "Generated by python -m kaitiaki.policy.build_company_gazetteer; do not edit by hand."
    return render_lexicon(header, entries, comment)


def main(argv: list[str] | None = None) -> int:
    return run_builder(argv, description=__doc__.splitlines()[0], module="kaitiaki.policy.build_company_gazetteer",
                       output=OUTPUT, build=build)

if __name__ == "__main__":
    sys.exit(main())
