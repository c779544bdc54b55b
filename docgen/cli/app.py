"""The `docgen` command.  The only place that turns errors into messages and exit codes.

Exit codes: 0 success, 1 the data has errors (forms are still written by `render`),
2 the input (or a template) could not be used at all: nothing is written, 3 `render`
refused to overwrite files edited since they were generated: nothing is written,
4 internal error (a bug in docgen, not in the data): one line asking for a bug report,
the traceback only with the global `--debug` option.  `docgen --version` prints the version.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import sys
import traceback
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from docgen.api import Checked, Rendered, RenderOptions, check_file, diff_files, render_file
from docgen.build.plan import stale_label
from docgen.cli.chinese import ChineseCommand, ChineseGroup
from docgen.cli.common import print_diff
from docgen.cli.common import run as _run
from docgen.cli.inputs import register as register_input_commands
from docgen.cli.printing import _score_json, count_line, files_line, finding_lines, kept_lines, rescore_changes, summary_lines
from docgen.cli.profiles import profiles_app
from docgen.cli.templates import templates_app
from docgen.errors import DocgenError
from docgen.forms import form_kind
from docgen.model.unit import Unit
from docgen.version import __version__

INTERNAL_ERROR = 4  # exit code of an unexpected exception (a bug in docgen)
_CANNOT_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT}
_DEBUG = "docgen.debug"  # key of the --debug flag in the click context's meta


class _Commands(ChineseGroup):
    """Turns an unexpected exception in any command into exit code 4 and one Chinese line
    naming the input file (1 would read as "the data has findings" to a script)."""

    def invoke(self, ctx: Any) -> Any:
        args = [*ctx._protected_args, *ctx.args]  # before click consumes them
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # exits, aborts, usage errors
            raise
        except DocgenError as exc:
            typer.echo(exc.message(), err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # the reader went away (`docgen score … | head`): not a bug
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stderr once more at exit
            raise typer.Exit(1) from None
        except Exception as exc:  # noqa: BLE001 - the last resort for bugs
            if isinstance(exc, OSError) and exc.errno in _CANNOT_WRITE:
                # a write docgen does not wrap itself (its writes raise OutputError): the disk's answer, exit 2
                where = f"：{exc.filename}" if exc.filename else ""
                typer.echo(f"无法写入输出{where}：{exc.strerror}（只读的文件系统、没有写入权限或磁盘已满）；请换一个可写的目录", err=True)
                raise typer.Exit(2) from None
            if ctx.meta.get(_DEBUG):
                traceback.print_exception(exc, file=sys.stderr)
            source = _input_of(self, ctx, args)
            where = f"处理 {source} 时 " if source else ""
            typer.echo(
                f"内部错误：{where}docgen 出错（{type(exc).__name__}: {exc}）。这不是数据的问题，请报告此问题，并附上数据文件与加 --debug 运行的输出。",
                err=True,
            )
            raise typer.Exit(INTERNAL_ERROR) from None


def _input_of(group: TyperGroup, ctx: Any, args: list[str]) -> str | None:
    """The file the failed command was given (its FILE, OLD or --data), if any."""
    try:
        name, command, rest = group.resolve_command(ctx, list(args))
        if command is None:
            return None
        sub = command.make_context(name, rest, parent=ctx, resilient_parsing=True)
        while isinstance(command, TyperGroup) and sub._protected_args:  # docgen templates …
            name, command, rest = command.resolve_command(sub, [*sub._protected_args, *sub.args])
            if command is None:
                return None
            sub = command.make_context(name, rest, parent=sub, resilient_parsing=True)
        found = next((sub.params[k] for k in ("file", "files", "paths", "old", "data") if sub.params.get(k)), None)
        if isinstance(found, (list, tuple)):  # several inputs: name them all
            return "、".join(str(f) for f in found) or None
        return str(found) if found else None
    except Exception:  # noqa: BLE001 - only used to word the message
        return None


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # help laid out by cli.chinese, not by rich
    help="docgen：由单位数据文件（YAML/JSON 或 Excel 填报工作簿）生成财政项目支出绩效目标申报表与绩效自评表（Word 与 Excel），计算得分并检查错误。",
    epilog="""
    docgen workbook --new -o 本单位.xlsx
    生成空白的 Excel 填报工作簿（含一个示例项目），在 Excel 或 WPS 中填写
    docgen render 本单位.xlsx
    由填好的工作簿生成全部表单到 output/ 文件夹，并列出得分与检查结果
    """,
)


def command(name: str | None = None, *, examples: str, target: typer.Typer = app) -> Any:
    """`target.command`, with the Chinese help and errors and the command's examples."""
    return target.command(name, cls=ChineseCommand, epilog=examples)


FILES = typer.Argument(
    ...,
    metavar="文件",
    help="单位数据文件（.yaml / .yml / .json / .xlsx），可给多个；或文件夹（其中每个单位文件，含子文件夹）",
    show_default=False,
)
JOBS = typer.Option(1, "-j", "--jobs", min=1, metavar="数量", help="多个单位时同时处理的单位数（每个单位一个进程）")


def _many(files: list[Path]) -> bool:
    """More than one input, or a folder: a batch (one input keeps the single-unit output)."""
    return len(files) > 1 or files[0].is_dir()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"docgen {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="内部错误时显示完整的错误追踪（traceback），便于报告问题"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示 docgen 的版本并退出"),
) -> None:
    ctx.meta[_DEBUG] = debug


def _print_findings(checked: Checked) -> None:
    for line in finding_lines(checked):
        typer.echo(line)


def _summary(checked: Checked) -> None:
    for line in summary_lines(checked):
        typer.echo(line)


def _exit_for(checked: Checked) -> None:
    typer.echo(count_line(checked))
    if checked.errors:
        raise typer.Exit(1)


class Only(str, Enum):
    forms = "forms"
    book = "book"


@command(
    examples="""
    docgen render 本单位.yaml
    生成表单（Word 与 Excel）到 output/<单位>/<年度>/，并列出得分与检查结果
    docgen render 本单位.xlsx -f docx,pdf -o 表单
    由填报工作簿生成 Word 与 PDF 版到文件夹「表单」
    """
)
def render(
    files: list[Path] = FILES,
    output: Path = typer.Option(None, "-o", "--output", metavar="目录", help="输出目录（默认 output/<单位>/<年度>/）"),
    only: Only = typer.Option(None, "--only", help="只生成单张表单（forms）或只生成汇总表（book）；默认两者都生成"),
    project: list[str] = typer.Option(None, "-p", "--project", metavar="项目", help="只生成所选项目（序号、项目名称或项目编码；可多次使用）"),
    layout: bool = typer.Option(True, "--layout/--no-layout", help="有 LibreOffice 时排版以确定目录页码（--no-layout 则估算页码，Word 打开时更新）"),
    force: bool = typer.Option(False, "--force", help="覆盖生成后被手工修改过的文件（默认拒绝并停止，不写任何文件）"),
    replace: bool = typer.Option(False, "--replace", help="输出目录是本单位另一个数据文件生成的：以此文件取代它（那个文件的项目表单将被删除）"),
    jobs: int = typer.Option(
        0,
        "-j",
        "--jobs",
        min=0,
        metavar="数量",
        show_default=False,
        help="并行的进程数（默认为处理器核数；1 则在本进程内依次处理）：一个单位时并行生成其表单，多个单位时并行处理各单位",
    ),
    formats: list[str] = typer.Option(
        None, "-f", "--format", metavar="格式", help="输出格式：docx、xlsx、pdf（可多次使用或用逗号分隔；默认 docx 与 xlsx；pdf 由 LibreOffice 从 Word 版生成）"
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
        replace=replace,
    )
    if _many(files):
        from docgen.cli.batch import render_batch  # imports this module's printers

        # Units in parallel, each rendering its forms in its own worker: one level of processes.
        raise typer.Exit(render_batch(files, output, dataclasses.replace(options, jobs=1), force, jobs or os.cpu_count() or 1))
    file = files[0]
    result = _run(lambda: _render_with_progress(file, output, options, force))
    _print_findings(result)
    _summary(result)
    _print_outputs(result)
    for line in kept_lines(result, file, output):
        typer.echo(line)
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
    status.update({path: stale_label(path) for path in result.stale})
    status.update({path: "过时（数据已变，本次未选中，未重新生成）" for path in result.outdated})
    for path in [*result.files, *result.removed, *result.outdated]:
        typer.echo(f"{status.get(path, '未变')}：{path}")
    typer.echo(files_line(result))


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
            bars[0].current_item = label  # typer's bundled click: update() takes the steps only
            bars[0].update(1)

        return render_file(file, output, options=options, progress=step, force=force)


@command(
    examples="""
    docgen check 本单位.yaml
    只检查，不写任何文件；数据有错误时退出码为 1
    docgen check 各单位/ -j 2
    检查文件夹中的每个单位文件，两个进程同时进行
    """
)
def check(files: list[Path] = FILES, jobs: int = JOBS) -> None:
    """检查数据：资金合计、执行率、得分、总分、分值、偏差原因、指标体系、重复指标。"""
    if _many(files):
        from docgen.cli.batch import check_batch

        raise typer.Exit(check_batch(files, jobs))
    file = files[0]
    result = _run(lambda: check_file(file))
    _print_findings(result)
    _exit_for(result)


@command(
    examples="""
    docgen score 本单位.yaml
    docgen score 本单位.yaml --json > 得分.json
    以 JSON 保存得分（金额与分数为字符串，保持精确）
    """
)
def score(
    files: list[Path] = FILES,
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（金额与分数为字符串，保持精确；多个单位时为每个单位一项的列表）"),
    jobs: int = JOBS,
    profile: str = typer.Option(None, "--profile", help="按另一个评分规则重新计分，并列出每个项目的 原总分/等级 → 新总分/等级", show_default=False),
    profiles: Path = typer.Option(None, "--profiles", help="自己的评分规则所在的文件夹（另见单位文件旁的 profiles/）", show_default=False),
) -> None:
    """列出每个项目、每个指标按规则计算的得分与填报得分。"""
    dirs = (profiles,) if profiles else ()
    if _many(files):
        if profile or profiles:
            typer.echo("--profile / --profiles 只能用于一个单位文件", err=True)
            raise typer.Exit(2)
        from docgen.cli.batch import score_batch

        raise typer.Exit(score_batch(files, as_json, jobs))
    file = files[0]
    result = _run(lambda: check_file(file, profile_dirs=dirs, profile=profile))
    before = _run(lambda: check_file(file, profile_dirs=dirs)) if profile else None
    changes = rescore_changes(before, result) if before is not None else []
    if as_json:
        out = _score_json(result)
        if before is not None:
            out["rescored"] = [dict(zip(("project", "old_profile", "old_total", "old_grade", "profile", "total", "grade"), c)) for c in changes]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in result.reports:
            scores = form_kind(r.kind).scores
            for line in scores.text(r) if scores is not None else []:
                typer.echo(line)
        if before is not None:
            typer.echo(f"按评分规则「{profile}」重新计分（规则计算总分 等级，原 → 新）：")
            for name, old_profile, old_total, old_grade, _, total, grade in changes:
                moved = "" if (old_total, old_grade) != (total, grade) else "（未变）"
                typer.echo(f"  {name}：{old_total} {old_grade}（{old_profile}）→ {total} {grade}（{profile}）{moved}")
    if result.errors:
        raise typer.Exit(1)


@command(
    examples="""
    docgen review 收到/ -o 审核汇总.xlsx
    docgen review 收到/ -o 审核汇总.xlsx --letters 审核意见/
    另为每个单位写一份审核意见（Word）到文件夹「审核意见」
    """
)
def review(
    files: list[Path] = FILES,
    output: Path = typer.Option(..., "-o", "--output", metavar="工作簿", help="要写入的审核汇总工作簿（.xlsx），如 审核汇总.xlsx", show_default=False),
    letters: Path = typer.Option(None, "--letters", metavar="文件夹", help="为每个单位写一份审核意见（Word）到此文件夹"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的工作簿与审核意见"),
    jobs: int = JOBS,
) -> None:
    """审核汇总：把多个单位的检查结果写成一个工作簿（汇总、项目、问题三张表），可选为每个单位写审核意见（Word）。
    退出码：0 无错误，1 数据有错误，2 有无法使用的输入，3 要写的文件已存在（未写入；--force 覆盖）。"""
    from docgen.cli.batch import review_batch

    raise typer.Exit(review_batch(files, output, letters, force, jobs))


@command(
    examples="""
    docgen diff 去年.yaml 今年.yaml
    docgen diff 本单位.yaml
    与上次生成表单时的数据比较（output/ 中的生成记录）
    """
)
def diff(
    old: Path = typer.Argument(..., metavar="旧文件", help="旧数据文件；或输出目录（比较其上次生成时的数据）", show_default=False),
    new: Path = typer.Argument(None, metavar="新文件", help="新数据文件；不填则把旧文件与它上次生成时的数据比较", show_default=False),
    output: Path = typer.Option(None, "-o", "--output", metavar="目录", help="只给一个文件时，上次生成的输出目录（默认 output/）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """比较两版数据：按项目与指标列出改动的值、对得分/总分/等级的影响，以及新出现与已消失的问题。
    退出码：0 没有差别，1 有差别，2 输入无法使用。"""
    result = _run(lambda: diff_files(old, new, output))
    if as_json:
        typer.echo(json.dumps({**dataclasses.asdict(result), "counts": result.counts()}, ensure_ascii=False, indent=2))
    else:
        print_diff(result)
    if not result.empty:
        raise typer.Exit(1)


@command(
    examples="""
    docgen schema > unit.schema.json
    供编辑器（如 VS Code 的 YAML 插件）自动补全与校验单位数据文件
    """
)
def schema() -> None:
    """输出单位数据文件的 JSON Schema（供编辑器自动补全与校验）。"""
    typer.echo(json.dumps(Unit.model_json_schema(), ensure_ascii=False, indent=2))


app.add_typer(templates_app, name="templates")
app.add_typer(profiles_app, name="profiles")
register_input_commands(app, command)


@command(
    examples="""
    docgen serve 本单位/
    在浏览器中打开文件夹「本单位」里的单位数据文件
    docgen serve 本单位/ --port 9000 --no-browser
    """
)
def serve(
    folder: Path = typer.Argument(Path("."), help="单位数据文件所在的文件夹（默认当前文件夹）"),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="端口"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只限本机；其他地址须加 --allow-remote 与 --password）"),
    browser: bool = typer.Option(True, "--browser/--no-browser", help="启动后打开浏览器"),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="允许本机以外的电脑访问（须同时设密码）"),
    password: str = typer.Option(None, "--password", envvar="DOCGEN_SERVE_PASSWORD", help="别的电脑访问时的登录密码"),
) -> None:
    """在浏览器中填写、检查、预览与下载表单（本地网页应用）。"""
    from docgen.serve import ServeRefused
    from docgen.serve import serve as start

    try:
        start(folder, host, port, browser, allow_remote, password)
    except ServeRefused as exc:
        typer.echo(exc.text, err=True)
        raise typer.Exit(2) from None


def main() -> None:
    app()
