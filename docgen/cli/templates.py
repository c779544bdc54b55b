"""`docgen templates`: list, copy and check the registered form versions and letters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from docgen.build.template_check import check_version
from docgen.build.versions import drafted_version, list_versions, new_version
from docgen.cli.chinese import ChineseCommand, ChineseGroup
from docgen.cli.common import run as _run
from docgen.registry.manifest import default_registry

templates_app = typer.Typer(
    cls=ChineseGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="表单模板与版本：列出、复制新版本、检查。",
    epilog="""
    docgen templates list
    docgen templates check
    """,
)


@templates_app.command("list", cls=ChineseCommand, epilog="docgen templates list")
def templates_list() -> None:
    """列出已登记的表单种类、版本（* 为默认）与模板文件。"""
    rows = _run(lambda: list_versions(default_registry()))
    for row in rows:
        mark = "*" if row.default else " "
        typer.echo(f"{mark} {row.kind} {row.version}  {row.title}  {row.description}")
        for path in row.files:
            typer.echo(f"      {path}" + ("  （缺失）" if path in row.missing else ""))
        if row.labels:
            typer.echo("      标签（单位文件 labels: 可改写）：" + "，".join(f"{k}={v}" for k, v in row.labels.items()))
    registry = _run(default_registry)
    missing = [letter.docx for letter in registry.letters.values() if not letter.docx.is_file()]
    for letter in registry.letters.values():
        typer.echo(f"* {letter.kind} {letter.version}  {letter.title}  （文书，docgen review --letters）")
        typer.echo(f"      {letter.docx}" + ("  （缺失）" if letter.docx in missing else ""))
    if any(row.missing for row in rows) or missing:
        raise typer.Exit(1)


@templates_app.command(
    "new",
    cls=ChineseCommand,
    epilog="""
    docgen templates new selfeval 2024 --from 2022
    以 2022 版自评表为起点，建立 2024 版
    docgen templates new selfeval sc-2024 --from-form 自评表.docx --region 四川
    按收到的表单起草新版本：登记项由表中的标签起草，模板复制自最接近的已登记版本
    """,
)
def templates_new(
    ctx: typer.Context,
    kind: str = typer.Argument(..., metavar="种类", help="表单种类，如 selfeval、target"),
    version: str = typer.Argument(..., metavar="版本", help="新版本名，如 2024、sichuan-2024"),
    source: str = typer.Option(None, "--from", metavar="版本", help="复制自哪个已有版本，如 2022"),
    form: Path = typer.Option(None, "--from-form", metavar="文件", help="按收到的表单（.docx/.xlsx/.pdf）起草"),
    folder: Path = typer.Option(None, "--templates", metavar="文件夹", help="写入哪个模板文件夹（默认 $DOCGEN_TEMPLATES 或随 docgen 安装的模板）"),
    region: str = typer.Option(None, "--region", metavar="地区", help="新版本用于哪个地区，如 四川、湖北（导入时的提示用它称呼版本）"),
) -> None:
    """复制已有版本的模板与登记项（--from），或按收到的表单起草（--from-form），作为新版本的起点（之后在 Word/Excel 中修改模板即可）。"""
    if source is None and form is None:
        ctx.fail("缺少选项 --from 或 --from-form：复制自哪个已有版本（如 2022），或按哪个收到的表单起草")
    if source is not None and form is not None:
        ctx.fail("--from 与 --from-form 只能给出一个")
    if form is not None:
        created, draft = _run(lambda: drafted_version(kind, version, form, folder, region))
        typer.echo(f"已按 {form} 起草 {kind} {version}（模板复制自最接近的 {draft.closest.version} 版）：")
    else:
        created = _run(lambda: new_version(kind, version, source, folder, region))
        typer.echo(f"已创建 {kind} {version}：")
    typer.echo(f"  {created.docx}")
    typer.echo(f"  {created.xlsx}")
    if form is not None:
        mapped = sum(1 for label in draft.labels if label.key is not None)
        typer.echo(f"  read: 已对应 {mapped} 个标签" + (f"，{len(draft.unmatched)} 个待手工登记：" if draft.unmatched else ""))
        for label in draft.unmatched:
            typer.echo(f"    {label.text}（{label.where}）")
    typer.echo(f'在 {created.docx.parent.parent / "manifest.yaml"} 中修改说明与规则；单位文件用 forms: {{{kind}: "{version}"}} 选用。')


@templates_app.command(
    "check",
    cls=ChineseCommand,
    epilog="""
    docgen templates check
    docgen templates check selfeval 2022 --data 本单位.yaml
    用自己的单位数据文件试渲染 2022 版自评表
    """,
)
def templates_check(
    kind: str = typer.Argument(None, metavar="种类", help="表单种类；不填则检查全部"),
    version: str = typer.Argument(None, metavar="版本", help="版本；不填则检查该种类的全部版本"),
    data: Path = typer.Option(None, "--data", metavar="文件", help="用于试渲染的单位数据文件（默认取登记的示例）"),
) -> None:
    """检查模板：被 Word 拆开的标签、数据中没有的名称、未使用的字段，并用示例数据试渲染。"""
    registry = _run(default_registry)
    if kind is not None and kind not in registry.letters:
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
    errors += _check_letters(registry, kind, data)
    if errors:
        raise typer.Exit(1)


def _check_letters(registry: Any, kind: str | None, data: Path | None) -> int:
    """Trial renders of the letter templates (`letters:`) with the versions' examples."""
    from docgen.review.letters import check_letter

    examples = [data] if data else [f.example for versions in registry.kinds.values() for f in versions.values() if f.example]
    errors = 0
    for name, letter in registry.letters.items():
        if kind and kind != name:
            continue
        typer.echo(f"{name} {letter.version}：")
        problems = check_letter(letter, examples)
        for problem in problems:
            typer.echo(f"  {problem}")
        errors += len(problems)
        if not problems:
            typer.echo("  通过")
    return errors
