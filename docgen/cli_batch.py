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
        yield lambda outcome: bar.update(1, outcome.path.name)


@dataclass
class Tally:
    units: int = 0
    done: int = 0
    skipped: int = 0
    projects: int = 0
    errors: int = 0
    warnings: int = 0
    files: tuple[int, int, int, int] = (0, 0, 0, 0)  # added, changed, unchanged, removed

    def add(self, checked: Any) -> None:
        self.done += 1
        self.projects += len(checked.unit.projects)
        self.errors += checked.errors
        self.warnings += checked.warnings
        if hasattr(checked, "added"):
            new = (len(checked.added), len(checked.changed), len(checked.unchanged), len(checked.removed))
            self.files = tuple(a + b for a, b in zip(self.files, new))  # type: ignore[assignment]

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


def _echo_skipped(n: int, total: int, path: Path, message: str, tally: Tally) -> None:
    tally.skipped += 1
    typer.echo(f"{_header(n, total, path)}：已跳过", err=True)
    typer.echo(message, err=True)


def _run(work: Callable[..., Any], paths: list[Path], args: tuple[Any, ...], jobs: int) -> list[Outcome]:
    """Run the batch under the progress bar.  The outcomes are small (a unit's checked
    data), and are printed once the bar is gone."""
    with _bar(len(paths)) as done:
        return list(run_units(work, paths, args, jobs, done))


def render_batch(files: list[Path], out: Path | None, options: RenderOptions, force: bool, jobs: int) -> int:
    """`docgen render` over many units: each into its own `<DIR>/<单位>/<年度>/`."""
    paths = _inputs(files)
    clash = shared_folders(paths, out, jobs)
    outcomes = {o.path: o for o in _run(render_unit, [p for p in paths if p not in clash], (out, options, force), jobs)}
    tally, codes = Tally(units=len(paths)), []
    for n, path in enumerate(paths, start=1):
        if path in clash:
            codes.append(2)
            _echo_skipped(n, len(paths), path, clash[path], tally)
            continue
        outcome = outcomes[path]
        codes.append(outcome.exit_code)
        if outcome.error:
            _echo_skipped(n, len(paths), path, outcome.error, tally)
            continue
        result = outcome.value
        typer.echo(_header(n, len(paths), path, str(output_dir(result.unit, out or DEFAULT_OUTPUT))))
        for line in [*finding_lines(result), *summary_lines(result), count_line(result), files_line(result)]:
            typer.echo(line)
        tally.add(result)
    typer.echo(tally.line(rendered=True))
    return worst(codes)


def check_batch(files: list[Path], jobs: int) -> int:
    paths = _inputs(files)
    tally, codes = Tally(units=len(paths)), []
    for n, outcome in enumerate(_run(check_unit, paths, (), jobs), start=1):
        codes.append(outcome.exit_code)
        if outcome.error:
            _echo_skipped(n, len(paths), outcome.path, outcome.error, tally)
            continue
        typer.echo(_header(n, len(paths), outcome.path))
        for line in [*finding_lines(outcome.value), count_line(outcome.value)]:
            typer.echo(line)
        tally.add(outcome.value)
    typer.echo(tally.line(rendered=False))
    return worst(codes)


def score_batch(files: list[Path], as_json: bool, jobs: int) -> int:
    """Scores of many units; `--json`: a list with one object per usable unit."""
    paths = _inputs(files)
    tally, codes, data = Tally(units=len(paths)), [], []
    for n, outcome in enumerate(_run(check_unit, paths, (), jobs), start=1):
        codes.append(outcome.exit_code)
        if outcome.error:
            _echo_skipped(n, len(paths), outcome.path, outcome.error, tally)
            continue
        checked = outcome.value
        tally.add(checked)
        if as_json:
            data.append({"file": str(outcome.path), **_score_json(checked)})
            continue
        typer.echo(_header(n, len(paths), outcome.path))
        for report in checked.reports:
            for line in form_kind(report.kind).score_text(report):
                typer.echo(line)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(tally.line(rendered=False))
    return worst(codes)


def _targets(output: Path, letters: Path | None, units: list[ReviewUnit]) -> list[Path]:
    return [output, *((letters / name for name in letter_names(units)) if letters else ())]


def review_batch(files: list[Path], output: Path, letters: Path | None, force: bool, jobs: int) -> int:
    """`docgen review`: the review workbook (and letters) of many units; nothing is
    written when a file to write exists already, unless `force` (exit 3)."""
    paths = _inputs(files)
    try:
        spec = default_registry().letter("review") if letters else None
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        return 2
    tally, codes, units, unusable = Tally(units=len(paths)), [], [], []
    for n, outcome in enumerate(_run(review_unit, paths, (), jobs), start=1):
        codes.append(outcome.exit_code)
        if outcome.error:
            _echo_skipped(n, len(paths), outcome.path, outcome.error, tally)
            unusable.append((outcome.path, outcome.error))
            continue
        units.append(outcome.value)
        tally.done += 1
        tally.projects += len({r.name for r in outcome.value.rows})
        tally.errors += outcome.value.errors
        tally.warnings += sum(1 for i in outcome.value.issues if i.severity == "warning")
    targets = _targets(output, letters, units)
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        for target in existing:
            typer.echo(f"文件已存在，未写入：{target}（确认可以覆盖时加 --force，或换一个文件名/文件夹）", err=True)
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
