"""Work spread over a process pool (`docgen render -j N`), results in plan order.

The pool forks after the plan is made, so each worker starts with the checked unit
already in memory and only a form's number crosses to it; the rendered bytes come
back.  Results are taken in the order the work was given, never in the order it
finished, so `-j N` writes exactly the bytes `-j 1` does.  An exception a worker
raises (a `TemplateError`, …) is raised again in the parent, unchanged, at the item
that raised it.  With `-j 1`, without `fork` (not Linux) or with too little work to
be worth starting processes, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 8  # fewer forms than this per process: not worth a pool
CHUNK = 4  # items a worker takes at a time: small, so results arrive in order steadily

_SHARED: Any = None  # what `fn` needs besides its item, inherited by the forked workers


def cores() -> int:
    """The processors this process may run on (the default of `-j`)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers_for(jobs: int, items: int) -> int:
    """How many processes `jobs` (`-j`) gives `items` pieces of work: 1 means in-process."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def _call(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    fn, item = job
    return fn(_SHARED, item)


@contextmanager
def ordered_map(fn: Callable[[Any, T], R], shared: Any, items: Sequence[T], jobs: int) -> Iterator[Iterator[R]]:
    """`fn(shared, item)` for every item, yielded in the order of `items`; `fn` must be
    a module-level function (it is sent to the workers by name)."""
    workers = workers_for(jobs, len(items))
    if workers == 1:
        yield (fn(shared, item) for item in items)
        return
    global _SHARED
    _SHARED = shared
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool.map(_call, [(fn, item) for item in items], chunksize=CHUNK)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _SHARED = None


def in_child(fn: Callable[..., R], *args: Any) -> R:
    """`fn(*args)` in a forked process, its result pickled back: whatever memory `fn`
    needs on the way (a parser's tree of a big unit file) is never this process's."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(fn, *args).result()
