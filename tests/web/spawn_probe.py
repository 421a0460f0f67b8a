"""Run in a process started with multiprocessing's "spawn", as uvicorn starts its workers: reports
which Kaitiaki modules the fresh interpreter holds before it imports anything for itself."""

from __future__ import annotations

import sys


def report(answers) -> None:  # noqa: ANN001 - a multiprocessing queue
    answers.put(sorted(name for name in sys.modules if name.startswith("kaitiaki")))
