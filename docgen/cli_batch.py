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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import typer

from .batch import Outcome, check_unit, render_unit, run_units, shared_folders, unit_inputs, worst
from .cli import _score_json, count_line, files_line, finding_lines, summary_lines
from .errors import DocgenError
from .forms import form_kind
from .letters import letter_names, render_letter
from .output import write_atomic
from .plan import DEFAULT_OUTPUT, RenderOptions, output_dir
from .registry import default_registry
from .review import ReviewUnit, review_unit, review_workbook


def _inputs(files: list[Path]) -> list[Path]:
    paths = unit_inputs(files)
    if not paths:
        typer.echo(f"没有找到单位数据文件（.yaml / .yml / .json / .xlsx）：{'、'.join(str(f) for f in files)}", err=True)
        raise typer.Exit(2)
    return paths


@contextmanager
def _bar(total: int) -> Iterator[Callable[[Outcome], None] | None]:
    """One progress bar for the whole batch, on a terminal only (logs stay readable)."""
    if not sys.stderr.isatty():
        yield None
        return
    with typer.progressbar(length=total, label="处理中", file=sys.stderr, show_pos=True, item_show_func=lambda name: name) as bar:
        def step(outcome: Outcome) -> None:
            bar.current_item = outcome.path.name  # typer's bundled click: update() takes the steps only
            bar.update(1)

        yield step


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


def rendered_block(path: Path, out: Path | None, options: RenderOptions, force: bool) -> Block:
    r = render_unit(path, out, options, force)
    files = (len(r.added), len(r.changed), len(r.unchanged), len(r.removed))
    lines = [*finding_lines(r), *summary_lines(r), count_line(r), files_line(r)]
    return _block(r, lines, where=str(output_dir(r.unit, out or DEFAULT_OUTPUT)), files=files)


def checked_block(path: Path) -> Block:
    checked = check_unit(path)
    return _block(checked, [*finding_lines(checked), count_line(checked)])


def scored_block(path: Path, as_json: bool) -> Block:
    checked = check_unit(path)
    if as_json:
        return _block(checked, [], data={"file": str(path), **_score_json(checked)})
    return _block(checked, [line for r in checked.reports for line in form_kind(r.kind).score_text(r)])


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
        self.files = tuple(a + b for a, b in zip(self.files, getattr(block, "files", (0, 0, 0, 0))))  # type: ignore[assignment]

    def line(self, rendered: bool) -> str:
        text = (
            f"共 {self.units} 个单位：完成 {self.done} 个，无法使用或未生成 {self.skipped} 个；"
            f"项目 {self.projects} 个，错误 {self.errors} 条，提示 {self.warnings} 条"
        )
        if rendered:
            a, c, u, r = self.files
            text += f"；文件：新增 {a} 个，更新 {c} 个，未变 {u} 个，删除 {r} 个"
        return text + "。"


def _header(n: int, total: int, path: Path, where: str = "") -> str:
    return f"【{n}/{total}】{path}" + (f" → {where}" if where else "")


def _run(work: Callable[..., Any], paths: list[Path], args: tuple[Any, ...], jobs: int) -> list[Outcome]:
    """Run the batch under the progress bar; the outcomes (small: blocks of lines, or the
    review's rows) are printed once the bar is gone."""
    with _bar(len(paths)) as done:
        return list(run_units(work, paths, args, jobs, done))


def _report(paths: list[Path], outcomes: list[Outcome], skipped: dict[Path, str], tally: Tally, show: bool = True) -> list[int]:
    """Print each unit's block (an unusable one's message on stderr) in input order;
    return the exit codes.  `skipped`: units not run, with the reason."""
    got = {o.path: o for o in outcomes}
    codes = []
    for n, path in enumerate(paths, start=1):
        outcome = got.get(path) or Outcome(path, error=skipped[path], exit_code=2)
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
    paths = _inputs(files)
    with _bar(2 * len(paths)) as done:  # one bar: the check for shared folders, then the renders
        clash = shared_folders(paths, out, jobs, done)
        for path in clash if done else ():
            done(Outcome(path))  # type: ignore[misc]
        outcomes = list(run_units(rendered_block, [p for p in paths if p not in clash], (out, options, force), jobs, done))
    tally = Tally(units=len(paths))
    codes = _report(paths, outcomes, clash, tally)
    typer.echo(tally.line(rendered=True))
    return worst(codes)


def check_batch(files: list[Path], jobs: int) -> int:
    paths = _inputs(files)
    tally = Tally(units=len(paths))
    codes = _report(paths, _run(checked_block, paths, (), jobs), {}, tally)
    typer.echo(tally.line(rendered=False))
    return worst(codes)


def score_batch(files: list[Path], as_json: bool, jobs: int) -> int:
    """Scores of many units; `--json`: a list with one object per usable unit."""
    paths = _inputs(files)
    tally = Tally(units=len(paths))
    outcomes = _run(scored_block, paths, (as_json,), jobs)
    codes = _report(paths, outcomes, {}, tally, show=not as_json)
    if as_json:
        typer.echo(json.dumps([o.value.data for o in outcomes if not o.error], ensure_ascii=False, indent=2))
    else:
        typer.echo(tally.line(rendered=False))
    return worst(codes)


def _targets(output: Path, letters: Path | None, units: list[ReviewUnit]) -> list[Path]:
    return [output, *((letters / name for name in letter_names(units)) if letters else ())]


def _refused(targets: list[Path], force: bool) -> bool:
    existing = [t for t in targets if t.exists()] if not force else []
    for target in existing:
        typer.echo(f"文件已存在，未写入：{target}（确认可以覆盖时加 --force，或换一个文件名/文件夹）", err=True)
    return bool(existing)


def review_batch(files: list[Path], output: Path, letters: Path | None, force: bool, jobs: int) -> int:
    """`docgen review`: the review workbook (and letters) of many units; nothing is
    written when a file to write exists already, unless `force` (exit 3).  The review
    workbook itself is never an input (it may lie in the folder reviewed)."""
    paths = [p for p in _inputs(files) if p.resolve() != output.resolve()]
    try:
        spec = default_registry().letter("review") if letters else None
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        return 2
    if _refused([output], force):  # before the work, not only after it
        return 3
    tally = Tally(units=len(paths))
    outcomes = _run(review_unit, paths, (), jobs)
    codes = _report(paths, outcomes, {}, tally, show=False)
    units = [o.value for o in outcomes if not o.error]
    unusable = [(o.path, o.error) for o in outcomes if o.error]
    targets = _targets(output, letters, units)
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
