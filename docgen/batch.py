"""Many units in one run: the unit files named on the command line (folders searched
recursively), each checked or rendered on its own, in parallel over units.

Every unit is independent: it renders into its own `<DIR>/<单位>/<年度>/` with its own
manifest exactly as if it were rendered alone, so a batch may be split by unit across
processes here, or across machines by hand.  A unit whose file cannot be used is
reported and skipped; the others go on.  Work runs in worker processes (`jobs`), each
handling one unit at a time, so memory stays bounded by `jobs` times one unit's render.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from .api import render_file
from .checking import Checked, check_file
from .errors import DocgenError
from .loader import WORKBOOK_SUFFIXES
from .plan import DEFAULT_OUTPUT, RenderOptions, output_dir
from .record import MANIFEST_NAME

UNIT_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)

# Exit codes from best to worst: an unusable input (2) outranks refused overwrites (3),
# which outrank data errors (1).
_RANK = {0: 0, 1: 1, 3: 2, 2: 3}


def worst(codes: list[int]) -> int:
    """The worst of the units' exit codes (2 if any input was unusable)."""
    return max(codes, key=lambda c: _RANK.get(c, 4), default=0)


def _unit_files(folder: Path) -> list[Path]:
    """Every unit file under `folder`, recursively, in name order: not hidden files or
    folders, not Excel's lock files (`~$…`), not docgen's own output folders (a folder
    with a manifest holds rendered forms, not unit files)."""
    found = []
    for root, dirs, files in os.walk(folder):
        if MANIFEST_NAME in files:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith((".", "~$")) and Path(name).suffix.lower() in UNIT_SUFFIXES:
                found.append(Path(root) / name)
    return found


def unit_inputs(paths: list[Path]) -> list[Path]:
    """The unit files `paths` name: files as given (a missing one is kept, so it is
    reported), folders expanded; each file once, in the order named."""
    out: list[Path] = []
    for path in paths:
        out += _unit_files(path) if path.is_dir() else [path]
    return list(dict.fromkeys(out))


@dataclass
class Outcome:
    """One unit's result: `value` (what the work returned) or `error` (why its file was
    unusable or the work refused), and the exit code it alone would give."""

    path: Path
    value: Any = None
    error: str = ""
    exit_code: int = 0


def _attempt(work: Callable[..., Any], path: Path, args: tuple[Any, ...]) -> Outcome:
    try:
        value = work(path, *args)
    except DocgenError as exc:
        return Outcome(path, error=exc.message(), exit_code=exc.exit_code)
    errors = getattr(value, "errors", 0)
    return Outcome(path, value=value, exit_code=1 if errors else 0)


def run_units(
    work: Callable[..., Any], paths: list[Path], args: tuple[Any, ...] = (), jobs: int = 1, done: Callable[[Outcome], None] | None = None
) -> Iterator[Outcome]:
    """`work(path, *args)` for every unit file, `jobs` at a time in worker processes
    (`work` and its results must pickle); yields the outcomes in input order, each as
    soon as it and every earlier one are finished.  `done` is called on each outcome as
    it finishes, in any order (a progress bar)."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            outcome = _attempt(work, path, args)
            if done:
                done(outcome)
            yield outcome
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures: dict[Future[Outcome], int] = {pool.submit(_attempt, work, path, args): n for n, path in enumerate(paths)}
        ready: dict[int, Outcome] = {}
        following = 0
        for future in as_completed(futures):
            ready[futures[future]] = outcome = future.result()
            if done:
                done(outcome)
            while following in ready:
                yield ready.pop(following)
                following += 1


# ------------------------------------------------------------ render, check


def render_unit(path: Path, out_dir: Path | None, options: RenderOptions, force: bool) -> Any:
    """Render one unit of a batch (in a worker): exactly what `docgen render FILE` does."""
    return render_file(path, out_dir, options=options, force=force)


def check_unit(path: Path) -> Checked:
    return check_file(path)


def _folder_of(path: Path, base: Path | None) -> Path:
    return output_dir(check_file(path).unit, base or DEFAULT_OUTPUT)


def shared_folders(paths: list[Path], base: Path | None, jobs: int = 1, done: Callable[[Outcome], None] | None = None) -> dict[Path, str]:
    """Units of a batch that would render into the same `<单位>/<年度>/` folder as an
    earlier file of the batch: path -> why it is skipped (two files, one folder, one
    manifest: the second render would delete the first one's forms)."""
    first: dict[Path, Path] = {}
    clash = {}
    for outcome in run_units(_folder_of, paths, (base,), jobs, done):
        if outcome.value is None:
            continue
        if outcome.value in first:
            clash[outcome.path] = (
                f"{outcome.path}：与 {first[outcome.value]} 是同一单位、同一年度，输出目录 {outcome.value} 相同；"
                "未生成（一个单位一个年度只能有一个数据文件，请合并或改名）"
            )
        else:
            first[outcome.value] = outcome.path
    return clash
