"""What the CLI prints of a checked unit or a render, shared by one unit's commands and
batches: findings, the summary table, count lines, the JSON of `score`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from docgen.api import Checked, Rendered
from docgen.errors import place
from docgen.forms import form_kind, form_kinds
from docgen.model.formatting import number_text


def finding_lines(checked: Checked) -> list[str]:
    lines = []
    for name in checked.skipped:
        lines.append(f"{checked.path}: [提示] 项目「{name}」既无申报表、自评表的数据，也无部门预算数据，不生成表单")
    for f in checked.findings:
        lines.append(f"{place(checked.path, checked.source.line_of(f.path) if f.path else None)}: {f}")
    return lines


def _table_lines(rows: list[tuple[str, ...]]) -> list[str]:
    def width(text: str) -> int:  # CJK characters take two terminal columns
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    cols = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (cols[i] - width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]


def summary_lines(checked: Checked) -> list[str]:
    """The kinds' tables (项目 / 总分 / 等级 / 错误 / 提示 for the 自评表)."""
    lines = []
    for kind in form_kinds():
        rows = kind.table(checked.of_kind(kind.name)) if kind.table is not None else []
        if len(rows) > 1:
            lines += _table_lines(rows)
    return lines


def count_line(checked: Checked) -> str:
    # Project forms first, then the documents' tables.
    kinds = sorted(form_kinds(), key=lambda k: k.unit_scope)
    forms = [f"{k.count_label} {n} {k.count_word}" for k in kinds for n in [len(checked.of_kind(k.name))] if n]
    return f"共 {len(checked.unit.projects)} 个项目（{'，'.join(forms) or '无可生成的表单'}），错误 {checked.errors} 条，提示 {checked.warnings} 条。"


def files_line(result: Rendered) -> str:
    return (
        f"文件：新增 {len(result.added)} 个，更新 {len(result.changed)} 个，未变 {len(result.unchanged)} 个，删除 {len(result.removed)} 个"
        + (f"，保留手工修改 {len(result.kept)} 个" if result.kept else "")
        + "。"
    )


def _score_json(checked: Checked) -> dict[str, Any]:
    projects = [kind.scores.json(r) for r in checked.reports if (kind := form_kind(r.kind)).scores is not None]
    return {"unit": checked.unit.unit, "year": checked.unit.year, "projects": [p for p in projects if p is not None]}


def rescore_changes(before: Checked, after: Checked) -> list[tuple[str, ...]]:
    """Per scored form (a 自评表): project, old profile, old 总分 and 等级, new profile, 总分 and
    等级 (the rules' 总分: declared scores stand for what the unit signed under the old rules)."""
    old = {(r.kind, r.index): r for r in before.reports if r.score is not None}
    out: list[tuple[str, ...]] = []
    for r in after.reports:
        was = old.get((r.kind, r.index)) if r.score is not None else None
        if was is None:
            continue
        out.append(
            (
                r.project.name,
                was.score.profile.name,
                number_text(was.score.computed_total),
                was.score.profile.grade(was.score.computed_total),
                r.score.profile.name,
                number_text(r.score.computed_total),
                r.score.profile.grade(r.score.computed_total),
            )
        )
    return out


def kept_lines(result: Rendered, source: Path, output: Path | None = None) -> list[str]:
    """For each hand-edited form the render kept: the files that still print the value it
    replaced (its other formats, the book), and the command that takes the edit back."""
    lines = []
    again = f" -o {shlex.quote(str(output))}" if output is not None else ""
    for path in result.kept:
        stem = Path(path).stem
        others = [p for p in result.files if p != path and (Path(p).stem == stem or p in result.book)]
        if others:
            lines.append(f"注意：{path} 有手工修改，以下文件仍是原来的值，与它不一致：{'、'.join(str(p) for p in others)}")
        else:
            lines.append(f"注意：{path} 有手工修改，数据文件中仍是原来的值")
        lines.append(
            f"  把修改写回数据文件并重新生成：docgen import {shlex.quote(str(path))} --merge {shlex.quote(str(source))} && docgen render {shlex.quote(str(source))}{again}"
        )
    return lines
