"""How an import gets its comments checked: inline in the importing process (the default), or by
a pool of worker processes, so a large import uses every core while the importer stores the
batches already checked. Both give a `CheckBatch`: hand it a batch of checker items and get a
future of their results, in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

from kaitiaki.checker import CompiledPack, check_many, load_pack
from kaitiaki.checker.items import Result

CheckBatch = Callable[[list[dict[str, Any]]], "Future[list[Result]]"]


def inline_checker(pack: CompiledPack) -> CheckBatch:
    def check_now(items: list[dict[str, Any]]) -> Future[list[Result]]:
        done: Future[list[Result]] = Future()
        done.set_result(check_many(items, pack))
        return done

    return check_now


def _check_in_worker(pack_name: str, items: list[dict[str, Any]]) -> list[Result]:
    # load_pack caches the compiled pack per process, so each worker compiles it once.
    return check_many(items, load_pack(pack_name))


@contextmanager
def checker_pool(pack_name: str, workers: int) -> Iterator[CheckBatch]:
    """Worker processes checking batches with the pack named `pack_name` (a bundled pack's name
    or a pack folder)."""
    # Imported here: multiprocessing is for large imports, not for every serving worker's start.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=load_pack, initargs=(pack_name,)) as pool:
        yield lambda items: pool.submit(_check_in_worker, pack_name, items)


__all__ = ["CheckBatch", "checker_pool", "inline_checker"]
