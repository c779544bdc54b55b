"""Many units in one run: the unit files named on the command line (folders searched
recursively), and received printed forms grouped by unit and year (`received`), each
unit checked or rendered on its own, in parallel over units.

Every unit is independent: it renders into its own `<DIR>/<单位>/<年度>/` with its own
manifest exactly as if it were rendered alone, so a batch may be split by unit across
processes here, or across machines by hand.  A unit whose file cannot be used is
reported and skipped; the others go on.  Work runs in worker processes (`jobs`), each
handling one unit at a time, so memory stays bounded by `jobs` times one unit's render.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.api import render_checked, render_file
from docgen.build.plan import DEFAULT_OUTPUT, RenderOptions, output_dir
from docgen.build.record import MANIFEST_NAME
from docgen.check.checking import Checked, check_source
from docgen.errors import DocgenError
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.loader import check_file
from docgen.model.names import safe_name
from docgen.review.received import Forms, group, maybe_forms, survey
from docgen.review.table import ReviewUnit, review_checked

UNIT_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)
FOUND_SUFFIXES = (
    *UNIT_SUFFIXES,
    ".docx",
    ".pdf",
    ".doc",
    ".xls",
    ".wps",
    ".et",
)  # unit files, printed forms (digital PDFs too), old Office files (named and skipped)
Input = Path | Forms  # a unit file, or received forms of one unit and year

# Exit codes from best to worst: an unusable input (2) outranks refused overwrites (3),
# which outrank data errors (1).
_RANK = {0: 0, 1: 1, 3: 2, 2: 3}


def worst(codes: list[int]) -> int:
    """The worst of the units' exit codes (2 if any input was unusable)."""
    return max(codes, key=lambda c: _RANK.get(c, 4), default=0)


def regular(path: Path) -> bool:
    """A regular file (a link to one counts), never opened: a FIFO, a device or a socket is not."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def not_regular_note(path: Path) -> str:
    return f"已跳过 {path}：不是普通文件（是管道、设备或套接字），不读取"


def _unit_files(folder: Path, notes: list[str] | None = None) -> list[Path]:
    """Every unit file or printed form under `folder`, recursively, in name order: not
    hidden files or folders, not Office's lock files (`~$…`), not docgen's own output
    folders (a folder with a manifest holds forms docgen rendered, not received ones).
    A FIFO, device or socket among them is left out, with a line in `notes`."""
    found = []
    for root, dirs, files in os.walk(folder):
        if MANIFEST_NAME in files:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith((".", "~$")) and Path(name).suffix.lower() in FOUND_SUFFIXES:
                path = Path(root) / name
                if regular(path) or not path.exists():
                    found.append(path)
                elif notes is not None:
                    notes.append(not_regular_note(path))
    return found


def unit_inputs(paths: list[Path], notes: list[str] | None = None) -> list[Path]:
    """The files `paths` name: files as given (a missing one, or a FIFO, is kept, so it is
    reported), folders expanded (a FIFO in them left out, noted in `notes`); each file
    once, in the order named."""
    out: list[Path] = []
    for path in paths:
        out += _unit_files(path, notes) if path.is_dir() else [path]
    return list(dict.fromkeys(out))


@dataclass
class Outcome:
    """One unit's result: `value` (what the work returned) or `error` (why its file was
    unusable or the work refused), and the exit code it alone would give."""

    path: Input
    value: Any = None
    error: str = ""
    exit_code: int = 0


def _attempt(work: Callable[..., Any], path: Input, args: tuple[Any, ...]) -> Outcome:
    try:
        value = work(path, *args)
    except DocgenError as exc:
        return Outcome(path, error=exc.message(), exit_code=exc.exit_code)
    errors = getattr(value, "errors", 0)
    return Outcome(path, value=value, exit_code=1 if errors else 0)


def run_units(
    work: Callable[..., Any], paths: Sequence[Input], args: tuple[Any, ...] = (), jobs: int = 1, done: Callable[[Outcome], None] | None = None
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


def checked_input(item: Input) -> Checked:
    """Read and check one unit of a batch: a unit file, or received forms as one unit."""
    return check_source(item.source()) if isinstance(item, Forms) else check_file(item)


def render_unit(item: Input, out_dir: Path | None, options: RenderOptions, force: bool) -> Any:
    """Render one unit of a batch (in a worker): exactly what `docgen render FILE` does."""
    if isinstance(item, Forms):
        return render_checked(checked_input(item), out_dir, options=options, force=force)
    return render_file(item, out_dir, options=options, force=force)


def check_unit(item: Input) -> Checked:
    return checked_input(item)


def _folder_of(path: Path, base: Path | None) -> Path:
    return output_dir(check_file(path).unit, base or DEFAULT_OUTPUT)


@dataclass
class Batch:
    """A batch's units in input order (unit files, received forms grouped by unit and
    year), and the inputs that are not run, with why: files that hold no form docgen
    knows, a unit whose folder another input of the batch takes."""

    items: list[Input]
    skipped: dict[Input, str]
    notes: list[str] = field(default_factory=list)  # files of the folders given that are not read (a FIFO)


def _clash(item: Input, first: Input, folder: Path) -> str:
    if isinstance(item, Forms) and not isinstance(first, Forms):
        return (
            f"{item}：与单位数据文件 {first} 是同一单位、同一年度（{item.unit} {item.year} 年度）；"
            "以数据文件为准，这些表单未处理（要核对收到的表单，请把它们与数据文件分开放）"
        )
    return f"{item}：与 {first} 是同一单位、同一年度，输出目录 {folder} 相同；未生成（一个单位一个年度只能有一个数据文件，请合并或改名）"


def _shared(items: list[Input], folders: dict[Input, Path], render: bool) -> dict[Input, str]:
    """Units that would take the folder of an earlier one: a unit file comes before
    received forms of the same unit and year (they are reported, not read); between two
    unit files (or groups), for a render only, the first comes first (two files, one
    folder, one manifest: the second render would delete the first one's forms)."""
    first: dict[Path, Input] = {}
    clash = {}
    for item in sorted(items, key=lambda i: isinstance(i, Forms)):  # stable: unit files first, in order
        folder = folders.get(item)
        if folder is None:
            continue
        if folder not in first:
            first[folder] = item
        elif render or (isinstance(item, Forms) and not isinstance(first[folder], Forms)):
            clash[item] = _clash(item, first[folder], folder)
    return clash


def _outside(files: list[Path], leave_out: tuple[Path, ...]) -> list[Path]:
    gone = [p.resolve() for p in leave_out]
    return [f for f in files if not any(f.resolve() == g or g in f.resolve().parents for g in gone)]


def batch_inputs(
    paths: list[Path],
    base: Path | None,
    render: bool,
    jobs: int = 1,
    done: Callable[[Outcome], None] | None = None,
    expect: Callable[[int], None] | None = None,
    leave_out: tuple[Path, ...] = (),
) -> Batch:
    """The units `paths` name: unit files, and printed forms read for their unit and year
    and grouped (in parallel, `jobs`); each group stands where its first file was found.
    The output folder of every unit is found first for a render, and for any command
    when received forms and unit files meet (a unit file wins over forms of its unit).
    `expect(n)`: the steps still to come, for a progress bar; `leave_out`: files and
    folders not to read (what the command writes)."""
    notes: list[str] = []
    files = _outside(unit_inputs(paths, notes), leave_out)
    forms = [f for f in files if maybe_forms(f)]
    if expect:
        expect(len(forms) + (2 if render else 1) * len(files))
    skipped: dict[Input, str] = {}
    found = {}
    for outcome in run_units(survey, forms, (), jobs, done):
        if outcome.error:
            skipped[outcome.path] = outcome.error
        elif outcome.value is not None:
            found[outcome.path] = outcome.value
    groups = {g.files[0]: g for g in group(list(found.values()))}
    items: list[Input] = [groups.get(f, f) for f in files if f not in found or f in groups]
    units = [i for i in items if isinstance(i, Path) and i not in skipped]
    folders: dict[Input, Path] = {g: Path(base or DEFAULT_OUTPUT) / safe_name(g.unit) / str(g.year) for g in groups.values()}
    if render or (groups and units):
        if expect:
            expect(len(units) + len(items))
        folders.update({o.path: o.value for o in run_units(_folder_of, units, (base,), jobs, done) if o.value is not None})
    skipped.update(_shared([i for i in items if i not in skipped], folders, render))
    if expect:
        expect(len(items) - len(skipped))
    return Batch(items, skipped, notes)


def reviewed(item: Input) -> ReviewUnit:
    """Check one unit and keep what the review needs (runs in a batch worker)."""
    return review_checked(checked_input(item))
