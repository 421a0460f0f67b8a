"""Rebuild shipped models from the shared data folder and regenerate docs/models.md.

    python -m kaitiaki.checker.models.train NAME [--data-dir DIR] [--out-dir DIR]

NAME is abusive, spam, political, hate or all (the shipped ones: abusive, spam, political). Seeds are fixed; the weights and their metadata
(data versions, licences, validation and test scores) are written to the weights folder, then
docs/models.md is regenerated from the metadata of every shipped model.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kaitiaki.checker.models import WEIGHTS_DIR, recipe_abusive, recipe_hate, recipe_political, recipe_spam
from kaitiaki.checker.models.datasets import default_data_dir
from kaitiaki.checker.models.model import TextModel
from kaitiaki.checker.models.report import DOCS_PATH, write_docs

RECIPES: dict[str, Callable[[Path], TextModel]] = {
    "abusive": recipe_abusive.build,
    "spam": recipe_spam.build,
    "political": recipe_political.build,
    "hate": recipe_hate.build,
}
# `hate` is not shipped: on the HatEval test set it scores about 0.39 macro-F1 (it drifts from
# train), too weak to raise a finding. `train hate` still builds it for experiments.
SHIPPED = ("abusive", "spam", "political")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kaitiaki.checker.models.train", description=__doc__.split("\n")[0])
    parser.add_argument("name", choices=[*RECIPES, "all"])
    parser.add_argument("--data-dir", type=Path, default=None, help="shared data folder (default ../shared/data)")
    parser.add_argument("--out-dir", type=Path, default=WEIGHTS_DIR, help="where the weight files go")
    parser.add_argument("--docs", type=Path, default=DOCS_PATH, help="models page to regenerate")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if not data_dir.is_dir():
        parser.error(f"data folder not found: {data_dir}")
    names = list(SHIPPED) if args.name == "all" else [args.name]
    for name in names:
        started = time.perf_counter()
        model = RECIPES[name](data_dir)
        model.save(args.out_dir)
        print(f"{name}: wrote {args.out_dir / name}.npz/.json ({model.meta['features']} features, "
              f"threshold {model.threshold}) in {time.perf_counter() - started:.0f}s")
    write_docs(args.out_dir, args.docs)
    print(f"regenerated {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
