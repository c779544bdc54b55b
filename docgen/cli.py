"""The `docgen` command.  The only place that turns errors into messages and exit codes.

Exit codes: 0 success, 1 the data has errors (forms are still written by `render`),
2 the input (or a template) could not be used at all: nothing is written, 3 `render`
refused to overwrite files edited since they were generated: nothing is written.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer

from .api import Checked, Rendered, RenderOptions, check_file, diff_files, render_file
from .diff import Change, UnitDiff
from .errors import DocgenError
from .forms import form_kind, form_kinds
from .models import Unit
from .registry import default_registry
from .template_check import check_version
from .versions import list_versions, new_version

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="docgen：由单位数据文件（YAML/JSON）生成财政项目支出绩效目标申报表与绩效自评表（Word 与 Excel），计算得分并检查错误。",
)

T = TypeVar("T")

FILE = typer.Argument(..., help="单位数据文件（.yaml / .yml / .json）", show_default=False)


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        raise typer.Exit(exc.exit_code) from None


def _print_findings(checked: Checked) -> None:
    for name in checked.skipped:
        typer.echo(f"{checked.path}: [提示] 项目「{name}」既无申报数据（declaration）、自评数据（evaluation）也无部门预算数据（budget），不生成表单")
    for f in checked.findings:
        line = checked.source.line_of(f.path) if f.path else None
        where = f"{checked.path}:{line}" if line else str(checked.path)
        typer.echo(f"{where}: {f}")


def _table(rows: list[tuple[str, ...]]) -> None:
    def width(text: str) -> int:  # CJK characters take two terminal columns
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    cols = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell + " " * (cols[i] - width(cell)) for i, cell in enumerate(row)).rstrip())


def _summary(checked: Checked) -> None:
    for kind in form_kinds():
        rows = kind.table(checked.of_kind(kind.name))
        if len(rows) > 1:
            _table(rows)


def _exit_for(checked: Checked) -> None:
    # Project forms first, then the documents' tables.
    kinds = sorted(form_kinds(), key=lambda k: k.document)
    forms = [f"{k.count_label} {n} {k.count_word}" for k in kinds for n in [len(checked.of_kind(k.name))] if n]
    typer.echo(
        f"共 {len(checked.unit.projects)} 个项目（{'，'.join(forms) or '无可生成的表单'}），"
        f"错误 {checked.errors} 条，提示 {checked.warnings} 条。"
    )
    if checked.errors:
        raise typer.Exit(1)


class Only(str, Enum):
    forms = "forms"
    book = "book"


@app.command()
def render(
    file: Path = FILE,
    output: Path = typer.Option(None, "-o", "--output", help="输出目录（默认 output/<单位>/<年度>/）"),
    only: Only = typer.Option(None, "--only", help="只生成单张表单（forms）或只生成汇总表（book）；默认两者都生成"),
    project: list[str] = typer.Option(None, "-p", "--project", help="只生成所选项目（序号、项目名称或项目编码；可多次使用）"),
    layout: bool = typer.Option(True, "--layout/--no-layout", help="有 LibreOffice 时排版以确定目录页码（--no-layout 则估算页码，Word 打开时更新）"),
    force: bool = typer.Option(False, "--force", help="覆盖生成后被手工修改过的文件（默认拒绝并停止，不写任何文件）"),
    jobs: int = typer.Option(0, "-j", "--jobs", min=0, help="并行生成表单的进程数（默认为处理器核数；1 则在本进程内依次生成）"),
    formats: list[str] = typer.Option(
        None, "-f", "--format", help="输出格式：docx、xlsx、pdf（可多次使用或用逗号分隔；默认 docx 与 xlsx；pdf 由 LibreOffice 从 Word 版生成）"
    ),
) -> None:
    """生成每个项目的表单（.docx 与 .xlsx）、部门整体绩效目标与年度汇总表，并列出总分、等级与检查结果。"""
    chosen = [f.strip().lower() for value in (formats or ["docx", "xlsx"]) for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in ("docx", "xlsx", "pdf")]
    if unknown:
        typer.echo(f"未知的输出格式：{'、'.join(unknown)}（可选 docx、xlsx、pdf）", err=True)
        raise typer.Exit(2)
    options = RenderOptions(
        forms=only is not Only.book,
        book=only is not Only.forms,
        projects=tuple(project or ()),
        layout=layout,
        formats=tuple(dict.fromkeys(chosen)),
        jobs=jobs,
    )
    result = _run(lambda: _render_with_progress(file, output, options, force))
    _print_findings(result)
    _summary(result)
    _print_outputs(result)
    _exit_for(result)


def _print_outputs(result: Rendered) -> None:
    status = {}
    for label, paths in (
        ("新增", result.added),
        ("更新", result.changed),
        ("未变", result.unchanged),
        ("删除", result.removed),
        ("保留手工修改（数据未变，未重新生成；--force 则重新生成）", result.kept),
    ):
        status.update({path: label for path in paths})
    for path in [*result.files, *result.removed]:
        typer.echo(f"{status.get(path, '未变')}：{path}")
    typer.echo(
        f"文件：新增 {len(result.added)} 个，更新 {len(result.changed)} 个，未变 {len(result.unchanged)} 个，删除 {len(result.removed)} 个"
        + (f"，保留手工修改 {len(result.kept)} 个" if result.kept else "")
        + "。"
    )


def _render_with_progress(file: Path, output: Path | None, options: RenderOptions, force: bool):
    """A progress bar on a terminal (rendering a 200-project book takes a while); plain
    output when piped, so logs stay readable."""
    if not sys.stderr.isatty():
        return render_file(file, output, options=options, force=force)
    with ExitStack() as stack:
        bars: list[Any] = []

        def step(label: str, total: int) -> None:
            if not bars:  # the render knows how many steps once it has planned
                bar = typer.progressbar(length=total, label="生成中", file=sys.stderr, show_pos=True, item_show_func=lambda label: label)
                bars.append(stack.enter_context(bar))
            bars[0].update(1, label)

        return render_file(file, output, options=options, progress=step, force=force)


@app.command()
def check(file: Path = FILE) -> None:
    """检查数据：资金合计、执行率、得分、总分、分值、偏差原因、指标体系、重复指标。"""
    result = _run(lambda: check_file(file))
    _print_findings(result)
    _exit_for(result)


def _score_json(checked: Checked) -> dict[str, Any]:
    projects = [form_kind(r.kind).score_json(r) for r in checked.reports]
    return {"unit": checked.unit.unit, "year": checked.unit.year, "projects": [p for p in projects if p is not None]}


@app.command()
def score(
    file: Path = FILE,
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（金额与分数为字符串，保持精确）"),
) -> None:
    """列出每个项目、每个指标按规则计算的得分与填报得分。"""
    result = _run(lambda: check_file(file))
    if as_json:
        typer.echo(json.dumps(_score_json(result), ensure_ascii=False, indent=2))
    else:
        for r in result.reports:
            for line in form_kind(r.kind).score_text(r):
                typer.echo(line)
    if result.errors:
        raise typer.Exit(1)


_STATUS = {"changed": "", "added": "（新增）", "removed": "（删除）"}


def _change_line(change: Change, indent: str) -> str:
    if change.old == change.new:
        return f"{indent}{change.label}：{change.new}（未变）"
    return f"{indent}{change.label}：{change.old} → {change.new}"


def _print_diff(diff: UnitDiff) -> None:
    typer.echo(f"比较：{diff.old} → {diff.new}")
    if diff.empty:
        typer.echo("没有差别。")
        return
    for change in diff.values:
        typer.echo(_change_line(change, "单位 "))
    for project in diff.projects:
        typer.echo(f"项目「{project.name}」{_STATUS[project.status]}")
        for change in project.values:
            typer.echo(_change_line(change, "  "))
        for ind in project.indicators:
            typer.echo(f"  指标「{ind.name}」（{ind.level1}/{ind.level2}）{_STATUS[ind.status]}")
            for change in [*ind.values, *ind.scores]:
                typer.echo(_change_line(change, "    "))
        if project.scores:
            typer.echo("  " + "；".join(_change_line(c, "") for c in project.scores))
        for text in project.gone:
            typer.echo(f"  已消失：{text}")
        for text in project.appeared:
            typer.echo(f"  新出现：{text}")
    for text in diff.gone:
        typer.echo(f"已消失：{text}")
    for text in diff.appeared:
        typer.echo(f"新出现：{text}")
    n = diff.counts()
    typer.echo(
        f"共 {n['changed'] + n['added'] + n['removed']} 个项目有变化（新增 {n['added']}，删除 {n['removed']}），"
        f"改动 {n['values']} 处，得分有变化的项目 {n['scores_moved']} 个；问题：新出现 {n['appeared']} 条，已消失 {n['gone']} 条。"
    )


@app.command()
def diff(
    old: Path = typer.Argument(..., help="旧数据文件；或输出目录（比较其上次生成时的数据）", show_default=False),
    new: Path = typer.Argument(None, help="新数据文件；不填则把 OLD 与它上次生成时的数据比较", show_default=False),
    output: Path = typer.Option(None, "-o", "--output", help="只给一个文件时，上次生成的输出目录（默认 output/）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """比较两版数据：按项目与指标列出改动的值、对得分/总分/等级的影响，以及新出现与已消失的问题。
    退出码：0 没有差别，1 有差别，2 输入无法使用。"""
    result = _run(lambda: diff_files(old, new, output))
    if as_json:
        typer.echo(json.dumps({**dataclasses.asdict(result), "counts": result.counts()}, ensure_ascii=False, indent=2))
    else:
        _print_diff(result)
    if not result.empty:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """输出单位数据文件的 JSON Schema（供编辑器自动补全与校验）。"""
    typer.echo(json.dumps(Unit.model_json_schema(), ensure_ascii=False, indent=2))


templates_app = typer.Typer(no_args_is_help=True, help="表单模板与版本：列出、复制新版本。")
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list() -> None:
    """列出已登记的表单种类、版本（* 为默认）与模板文件。"""
    rows = _run(lambda: list_versions(default_registry()))
    for row in rows:
        mark = "*" if row.default else " "
        typer.echo(f"{mark} {row.kind} {row.version}  {row.title}  {row.description}")
        for path in row.files:
            typer.echo(f"      {path}" + ("  （缺失）" if path in row.missing else ""))
    if any(row.missing for row in rows):
        raise typer.Exit(1)


@templates_app.command("new")
def templates_new(
    kind: str = typer.Argument(..., help="表单种类，如 selfeval、target"),
    version: str = typer.Argument(..., help="新版本名，如 2024"),
    source: str = typer.Option(..., "--from", help="复制自哪个已有版本"),
) -> None:
    """复制已有版本的模板与登记项，作为新版本的起点（之后在 Word/Excel 中修改模板即可）。"""
    created = _run(lambda: new_version(kind, version, source))
    typer.echo(f"已创建 {kind} {version}：")
    typer.echo(f"  {created.docx}")
    typer.echo(f"  {created.xlsx}")
    typer.echo(f"在 {created.docx.parent.parent / 'manifest.yaml'} 中修改说明与规则；单位文件用 forms: {{{kind}: \"{version}\"}} 选用。")


@templates_app.command("check")
def templates_check(
    kind: str = typer.Argument(None, help="表单种类；不填则检查全部"),
    version: str = typer.Argument(None, help="版本；不填则检查该种类的全部版本"),
    data: Path = typer.Option(None, "--data", help="用于试渲染的单位数据文件（默认取登记的示例）"),
) -> None:
    """检查模板：被 Word 拆开的标签、数据中没有的名称、未使用的字段，并用示例数据试渲染。"""
    registry = _run(default_registry)
    if kind is not None:
        _run(lambda: registry.version(kind, version))
    errors = 0
    for k, versions in registry.kinds.items():
        for v, form in versions.items():
            if (kind and k != kind) or (version and v != version):
                continue
            typer.echo(f"{k} {v}：")
            issues = check_version(form, data or form.example)
            for issue in issues:
                typer.echo(f"  {issue}")
            errors += sum(1 for i in issues if i.severity == "error")
            if not any(i.severity != "info" for i in issues):
                typer.echo("  通过")
    if errors:
        raise typer.Exit(1)


def main() -> None:
    app()
