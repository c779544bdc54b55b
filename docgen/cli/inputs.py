"""The input-side commands: `docgen workbook` (a unit as a data-entry workbook) and
`docgen import` (printed forms read back, or merged into a unit file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from docgen.build.merge import merge as merge_edits
from docgen.build.workbook import blank_workbook, imported_workbook, unit_workbook, write_workbook
from docgen.cli.common import print_diff as _print_diff
from docgen.cli.common import run as _run
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing import import_forms


def register(app: typer.Typer, command: Callable[..., Any]) -> None:
    """Add the commands to `app`; `command(name, examples=…)` is `cli.command`."""
    command(
        "workbook",
        examples="""
        docgen workbook --new -o 本单位.xlsx
        生成空白的填报工作簿（含一个示例项目，供填写时参照、覆盖）
        docgen workbook 本单位.yaml -o 本单位.xlsx
        把已有的单位数据文件写成工作簿，在 Excel 或 WPS 中修改
        """,
    )(workbook)
    command(
        "import",
        examples="""
        docgen import 2022年/ -o 本单位.yaml
        把文件夹中去年的表单（Word/Excel）读回为单位数据文件
        docgen import 表单.docx --merge 本单位.yaml
        把表单上的手工修改写回单位数据文件，并列出改动
        """,
    )(import_)


def _forms_option(text: str | None) -> dict[str, str]:
    """`target=2023,selfeval=2022` (or just `target,selfeval`) -> {kind: version}."""
    out = {}
    for part in (text or "").replace("，", ",").split(","):
        if part.strip():
            kind, _, version = part.partition("=")
            out[kind.strip()] = version.strip()
    return out


def workbook(
    file: Path = typer.Argument(None, metavar="文件", help="单位数据文件（.yaml / .json / .xlsx）；用 --new 时不填", show_default=False),
    output: Path = typer.Option(..., "-o", "--output", metavar="工作簿", help="要写入的工作簿（.xlsx）", show_default=False),
    new: bool = typer.Option(False, "--new", help="生成空白工作簿（含一个示例项目，供填写时参照、覆盖）"),
    forms: str = typer.Option(
        None, "--forms", metavar="表单=版本,…", help="空白工作簿包含的表单及版本，如 target=2023,selfeval=2022（默认申报表与自评表的默认版本）"
    ),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
) -> None:
    """把单位数据写成 Excel 填报工作簿（或 --new 生成空白工作簿）；填好后可直接 docgen render 该工作簿。"""
    if new == (file is not None):
        typer.echo("请给出一个单位数据文件，或用 --new 生成空白工作簿（二者选一）", err=True)
        raise typer.Exit(2)
    data = _run(lambda: blank_workbook(_forms_option(forms)) if new else unit_workbook(file))
    _run(lambda: write_workbook(data, output, force=force, source=file))
    typer.echo(f"已写入：{output}")


def import_(
    paths: list[Path] = typer.Argument(
        ..., metavar="表单", help="表单文件（.docx / .xlsx：单张表单、汇总表；可复制文字的 .pdf）或其所在目录", show_default=False
    ),
    output: Path = typer.Option(None, "-o", "--output", metavar="文件", help="写入单位数据文件（.yaml，或 .xlsx 填报工作簿）；不填则输出到屏幕"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件"),
    merge_into: Path = typer.Option(
        None,
        "--merge",
        metavar="单位文件",
        help="把表单中的手工修改写回这个单位数据文件（.yaml/.json/.xlsx 填报工作簿；只改动改过的值，其余原样保留），并列出改动",
    ),
    theirs: bool = typer.Option(False, "--theirs", help="合并时，表单与数据文件在上次生成后改得不同的值（冲突）一律以表单为准"),
    ours: bool = typer.Option(False, "--ours", help="合并时，冲突的值一律以数据文件为准（保留数据文件中的值）"),
) -> None:
    """从 Word/Excel 表单读回数据，合并为一个单位数据文件（申报表与自评表按项目合并）。"""
    if theirs and ours:
        typer.echo("--theirs 与 --ours 只能选一个", err=True)
        raise typer.Exit(2)
    if (theirs or ours) and merge_into is None:
        typer.echo("--theirs / --ours 只用于 --merge", err=True)
        raise typer.Exit(2)
    if merge_into is not None:
        if len(paths) != 1:
            typer.echo("--merge 一次合并一个表单文件", err=True)
            raise typer.Exit(2)
        resolve = "theirs" if theirs else "ours" if ours else None
        merged = _run(lambda: merge_edits(paths[0], merge_into, resolve=resolve))
        for line in merged.read:
            typer.echo(f"已读取：{line}", err=True)
        for line in merged.notes:
            typer.echo(f"说明：{line}", err=True)
        _print_diff(merged.diff)
        typer.echo(f"已写入：{merge_into}" if merged.written else f"未写入：{merge_into} 已包含表单中的全部修改")
        return
    result = _run(lambda: import_forms(paths))
    for line in result.read:
        typer.echo(f"已读取：{line}", err=True)
    for line in result.skipped:
        typer.echo(f"未读取：{line}", err=True)
    if output is None:
        typer.echo(result.yaml, nl=False)
        return
    suffix = output.suffix.lower()
    if suffix not in (*WORKBOOK_SUFFIXES, ".yaml", ".yml", ".json"):
        typer.echo(f"未写入：-o 只能写单位数据文件（.yaml、.yml、.json 或 .xlsx 填报工作簿），不能写「{output.suffix or output.name}」文件", err=True)
        raise typer.Exit(2)
    if suffix == ".json":
        data = (json.dumps(result.source.data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    else:
        data = _run(lambda: imported_workbook(result) if suffix in WORKBOOK_SUFFIXES else result.yaml.encode("utf-8"))
    _run(lambda: write_workbook(data, output, force=force))
    typer.echo(f"已写入：{output}")
