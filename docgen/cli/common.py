"""What every `docgen` command shares: turning docgen's errors into messages and exit
codes, and printing a diff (`docgen diff`, `docgen import --merge`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer

from docgen.check.diff import Change, UnitDiff
from docgen.errors import DocgenError

T = TypeVar("T")


def run(action: Callable[[], T]) -> T:
    try:
        return action()
    except DocgenError as exc:
        typer.echo(exc.message(), err=True)
        raise typer.Exit(exc.exit_code) from None


_STATUS = {"changed": "", "added": "（新增）", "removed": "（删除）"}


def change_line(change: Change, indent: str) -> str:
    if change.old == change.new:
        return f"{indent}{change.label}：{change.new}（未变）"
    return f"{indent}{change.label}：{change.old} → {change.new}"


def print_diff(diff: UnitDiff) -> None:
    typer.echo(f"比较：{diff.old} → {diff.new}")
    if diff.empty:
        typer.echo("没有差别。")
        return
    for change in diff.values:
        typer.echo(change_line(change, "单位 "))
    for project in diff.projects:
        typer.echo(f"项目「{project.name}」{_STATUS[project.status]}")
        for change in project.values:
            typer.echo(change_line(change, "  "))
        for ind in project.indicators:
            typer.echo(f"  指标「{ind.name}」（{ind.level1}/{ind.level2}）{_STATUS[ind.status]}")
            for change in [*ind.values, *ind.scores]:
                typer.echo(change_line(change, "    "))
        if project.scores:
            typer.echo("  " + "；".join(change_line(c, "") for c in project.scores))
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
