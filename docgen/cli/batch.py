"""The CLI's side of a batch: `docgen render|check|score` given many unit files or
folders, and `docgen review`.  One progress bar (on a terminal) over the units, then
each unit's block in input order (its findings, its tables, its counts; an unusable
file's message), then one batch line.  Exit code: the worst of all units.

`cli` imports this module inside the commands that take a batch, so this module may
use `cli`'s printers at import time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from docgen.build.output import write_atomic
from docgen.build.plan import DEFAULT_OUTPUT, RenderOptions, output_dir
from docgen.cli.printing import _score_json, count_line, files_line, finding_lines, kept_lines, summary_lines
from docgen.errors import DocgenError
from docgen.forms import form_kind
from docgen.registry.manifest import default_registry
from docgen.review.batch import Batch, Input, Outcome, batch_inputs, check_unit, render_unit, reviewed, run_units, worst
from docgen.review.letters import letter_names, render_letter
from docgen.review.received import Forms
from docgen.review.table import ReviewUnit, review_workbook


class _Steps:
    """The progress bar's step per finished input, and how many are still to come."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def __call__(self, outcome: Outcome) -> None:
        self.bar.current_item = outcome.path.name  # typer's bundled click: update() takes the steps only
        self.bar.update(1)

    def expect(self, steps: int) -> None:
        self.bar.length = self.bar.pos + steps


@contextmanager
def _bar(total: int) -> Iterator[_Steps | None]:
    """One progress bar for the whole batch, on a terminal only (logs stay readable)."""
    if not sys.stderr.isatty():
        yield None
        return
    with typer.progressbar(length=max(total, 1), label="处理中", file=sys.stderr, show_pos=True, item_show_func=lambda name: name) as bar:
        yield _Steps(bar)


def _inputs(files: list[Path], out: Path | None, render: bool, jobs: int, steps: _Steps | None, leave_out: tuple[Path, ...] = ()) -> Batch:
    """The batch's units (received forms grouped), or exit 2 when there is none.
    `leave_out`: files and folders docgen writes (the review's workbook and letters)."""
    batch = batch_inputs(files, out, render, jobs, steps, steps.expect if steps else None, leave_out)
    for note in batch.notes:
        typer.echo(note, err=True)
    if not batch.items:
        typer.echo(f"没有找到单位数据文件（.yaml / .yml / .json / .xlsx）或表单（.docx / .xlsx）：{'、'.join(str(f) for f in files)}", err=True)
        raise typer.Exit(2)
    return batch


@dataclass
class Block:
    """What a worker sends back about one unit: the lines to print under its header and
    its counts (not the unit's data: a batch of hundreds of units stays small)."""

    lines: list[str]
    where: str = ""  # the unit's output folder
    projects: int = 0
    errors: int = 0
    warnings: int = 0
    files: tuple[int, int, int, int] = (0, 0, 0, 0)  # added, changed, unchanged, removed
    data: Any = None  # `score --json`: the unit's object


def _block(checked: Any, lines: list[str], **extra: Any) -> Block:
    return Block(lines, projects=len(checked.unit.projects), errors=checked.errors, warnings=checked.warnings, **extra)


def _listing(item: Input) -> list[str]:
    return item.listing() if isinstance(item, Forms) else []


def rendered_block(item: Input, out: Path | None, options: RenderOptions, force: bool) -> Block:
    r = render_unit(item, out, options, force)
    files = (len(r.added), len(r.changed), len(r.unchanged), len(r.removed))
    kept = kept_lines(r, r.path, out) if not isinstance(item, Forms) else []  # received forms: no unit file to merge into
    lines = [*_listing(item), *finding_lines(r), *summary_lines(r), count_line(r), files_line(r), *kept]
    return _block(r, lines, where=str(output_dir(r.unit, out or DEFAULT_OUTPUT)), files=files)


def checked_block(item: Input) -> Block:
    checked = check_unit(item)
    return _block(checked, [*_listing(item), *finding_lines(checked), count_line(checked)])


def scored_block(item: Input, as_json: bool) -> Block:
    checked = check_unit(item)
    if as_json:
        files = {"files": [str(f) for f in item.files]} if isinstance(item, Forms) else {}
        return _block(checked, [], data={"file": str(item), **files, **_score_json(checked)})
    return _block(checked, [*_listing(item), *(line for r in checked.reports if (k := form_kind(r.kind)).scores is not None for line in k.scores.text(r))])


@dataclass
class Tally:
    units: int = 0
    done: int = 0
    skipped: int = 0
    projects: int = 0
    errors: int = 0
    warnings: int = 0
    files: tuple[int, int, int, int] = (0, 0, 0, 0)

    def add(self, block: Any) -> None:
        self.done += 1
        self.projects += block.projects
        self.errors += block.errors
        self.warnings += block.warnings
        self.files = tuple(a + b for a, b in zip(self.files, getattr(block, "files", (0, 0, 0, 0))))

    def line(self, rendered: bool) -> str:
        text = (
            f"共 {self.units} 个单位：完成 {self.done} 个，无法使用或未生成 {self.skipped} 个；"
            f"项目 {self.projects} 个，错误 {self.errors} 条，提示 {self.warnings} 条"
        )
        if rendered:
            a, c, u, r = self.files
            text += f"；文件：新增 {a} 个，更新 {c} 个，未变 {u} 个，删除 {r} 个"
        return text + "。"


def _header(n: int, total: int, path: Input, where: str = "") -> str:
    return f"【{n}/{total}】{path}" + (f" → {where}" if where else "")


def _run(
    files: list[Path],
    work: Callable[..., Any],
    args: tuple[Any, ...],
    jobs: int,
    out: Path | None = None,
    render: bool = False,
    leave_out: tuple[Path, ...] = (),
) -> tuple[Batch, list[Outcome]]:
    """Find the batch's units and run `work` on each under one progress bar; the outcomes
    (small: blocks of lines, or the review's rows) are printed once the bar is gone."""
    with _bar(len(files)) as steps:
        batch = _inputs(files, out, render, jobs, steps, leave_out)
        todo = [i for i in batch.items if i not in batch.skipped]
        return batch, list(run_units(work, todo, args, jobs, steps))


def _report(batch: Batch, outcomes: list[Outcome], tally: Tally, show: bool = True) -> list[int]:
    """Print each unit's block (an unusable one's message on stderr) in input order;
    return the exit codes.  `batch.skipped`: inputs not run, with the reason."""
    got = {o.path: o for o in outcomes}
    codes = []
    for n, path in enumerate(batch.items, start=1):
        outcome = got.get(path) or Outcome(path, error=batch.skipped[path], exit_code=2)
        codes.append(outcome.exit_code)
        if outcome.error:
            tally.skipped += 1
            typer.echo(f"{_header(n, tally.units, path)}：已跳过", err=True)
            typer.echo(outcome.error, err=True)
            continue
        tally.add(outcome.value)
        if show:
            typer.echo(_header(n, tally.units, path, getattr(outcome.value, "where", "")))
            for line in outcome.value.lines:
                typer.echo(line)
    return codes


def render_batch(files: list[Path], out: Path | None, options: RenderOptions, force: bool, jobs: int) -> int:
    """`docgen render` over many units: each into its own `<DIR>/<单位>/<年度>/`."""
    batch, outcomes = _run(files, rendered_block, (out, options, force), jobs, out, render=True)
    tally = Tally(units=len(batch.items))
    codes = _report(batch, outcomes, tally)
    typer.echo(tally.line(rendered=True))
    return worst(codes)


def check_batch(files: list[Path], jobs: int) -> int:
    batch, outcomes = _run(files, checked_block, (), jobs)
    tally = Tally(units=len(batch.items))
    codes = _report(batch, outcomes, tally)
    typer.echo(tally.line(rendered=False))
    return worst(codes)


def score_batch(files: list[Path], as_json: bool, jobs: int) -> int:
    """Scores of many units; `--json`: a list with one object per usable unit."""
    batch, outcomes = _run(files, scored_block, (as_json,), jobs)
    tally = Tally(units=len(batch.items))
    codes = _report(batch, outcomes, tally, show=not as_json)
    if as_json:
        typer.echo(json.dumps([o.value.data for o in outcomes if not o.error], ensure_ascii=False, indent=2))
    else:
        typer.echo(tally.line(rendered=False))
    return worst(codes)


def _targets(output: Path, letters: Path | None, units: list[ReviewUnit]) -> list[Path]:
    return [output, *((letters / name for name in letter_names(units)) if letters else ())]


def _unwritable(targets: list[Path]) -> bool:
    """A target that cannot be written whatever happens (a folder where a file goes, a file
    where a folder must be): said before anything is written, so nothing is written."""
    bad = []
    for target in targets:
        if target.is_dir():
            bad.append(f"无法写入：{target} 是文件夹，不是文件")
            continue
        parent = target.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if parent.exists() and not parent.is_dir():
            bad.append(f"无法写入：{target}（{parent} 是文件，不是文件夹；--letters 要给一个文件夹）")
    for line in dict.fromkeys(bad):
        typer.echo(line + "；未写入任何文件", err=True)
    return bool(bad)


def _refused(targets: list[Path], force: bool) -> bool:
    existing = [t for t in targets if t.exists()] if not force else []
    for target in existing:
        typer.echo(f"文件已存在，未写入：{target}（确认可以覆盖时加 --force，或换一个文件名/文件夹）", err=True)
    return bool(existing)


def review_batch(files: list[Path], output: Path, letters: Path | None, force: bool, jobs: int) -> int:
    """`docgen review`: the review workbook (and letters) of many units; nothing is
    written when a file to write exists already, unless `force` (exit 3).  The review
    workbook and letters are never inputs (they may lie in the folder reviewed)."""
    try:
        spec = default_registry().letter("review") if letters else None
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        return 2
    if _unwritable([output, *((letters / "审核意见.docx",) if letters else ())]):  # before the work
        return 2
    if _refused([output], force):  # before the work, not only after it
        return 3
    batch, outcomes = _run(files, reviewed, (), jobs, leave_out=(output, *((letters,) if letters else ())))
    tally = Tally(units=len(batch.items))
    codes = _report(batch, outcomes, tally, show=False)
    units = [o.value for o in outcomes if not o.error]
    errors = {o.path: o.error for o in outcomes if o.error} | batch.skipped
    unusable = [(item, errors[item]) for item in batch.items if item in errors]
    targets = _targets(output, letters, units)
    if _unwritable(targets):
        return 2
    if _refused(targets[1:], force):
        return 3
    try:  # everything made before anything is written: a broken template writes nothing
        made = {output: review_workbook(units, unusable)}
        made.update({target: render_letter(unit, spec) for unit, target in zip(units, targets[1:])})  # type: ignore[arg-type]
        for target, data in made.items():
            write_atomic(target, data)
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        return 2
    typer.echo(f"已写入审核汇总：{output}（单位 {len(units)} 个，项目表单 {sum(len(u.rows) for u in units)} 份，问题 {sum(len(u.issues) for u in units)} 条）")
    for target in targets[1:]:
        typer.echo(f"已写入审核意见：{target}")
    typer.echo(tally.line(rendered=False))
    return worst(codes)
