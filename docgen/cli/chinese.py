"""The command line in Chinese: help pages, usage lines and usage errors.

typer 0.29 bundles its own copy of click (`typer._click`), which words its usage
errors in English f-strings with no gettext hook, and typer's own `_()` calls go
through the process-wide gettext domain that LANG selects (which a clerk's Windows
does not set).  So the Chinese comes from the places click's classes are made to be
subclassed at: a command's and a group's `format_help`, `format_usage`,
`get_help_option`, `resolve_command`, `parse_args` and `main`; a usage error is worded
from the exception's own fields (its parameter, the option's name, the suggestions),
never by rewriting click's English.  Help is laid out here rather than by rich, which
cuts option texts with `…` at 80 columns, and rather than by click's formatter, which
counts a Chinese character as one column where a terminal gives it two.

A command's examples are its `epilog`: lines starting `docgen` are commands, the lines
under one say what it does.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer >= 0.22 carries its own click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - an older typer on click
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

MAX_WIDTH = 80  # help never wider than this, however wide the terminal
HELP_TEXT = "显示本帮助并退出"
OPTIONS = "[选项]"

# ---------------------------------------------------------------- text layout

_CLOSING = set("，。、；：？！）」』》〉】”’…%％·,.;:?!)]}")  # never starts a line
_OPENING = set("（「『《〈【“‘([{")  # never ends a line


def cells(text: str) -> int:
    """Terminal columns of `text`: two for a wide (CJK) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> list[str]:
    """Units a line may break between: a Latin word, one CJK character, a space; closing
    punctuation kept with what precedes it and opening punctuation with what follows."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or _wide(ch):  # ASCII punctuation stays in its word (.xlsx, --no-layout)
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    merged: list[str] = []
    glue = False  # the previous token was an opening mark: this one joins it
    for token in out:
        if merged and (glue or (token and token[0] in _CLOSING and merged[-1] != " ")):
            merged[-1] += token
        else:
            merged.append(token)
        glue = token[-1] in _OPENING
    return merged


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between CJK characters or at
    spaces, no closing punctuation starting a line (a token wider than the line is cut)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if token == " " and not line:
            continue
        if cells(line) + cells(token) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token == " " else token
        while cells(line) > width:  # one unbreakable token wider than the line
            cut = 0
            while cells(line[: cut + 1]) <= width:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _width(ctx: Any) -> int:
    wanted = ctx.terminal_width or shutil.get_terminal_size((MAX_WIDTH, 24)).columns
    return max(40, min(wanted, ctx.max_content_width or MAX_WIDTH, MAX_WIDTH))


def _paragraphs(text: str | None) -> list[str]:
    """A docstring's lines, each its own paragraph (the help keeps their order)."""
    return [line.strip() for line in (text or "").partition("\f")[0].strip().splitlines() if line.strip()]


# ---------------------------------------------------------------- parameters

_TYPE_WORDS = {int: "整数", float: "数字", str: "文字", Path: "路径"}


def _annotation(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    args = getattr(annotation, "__args__", None)
    if getattr(annotation, "__origin__", None) in (list, tuple) and args:
        return args[0]
    return annotation


def _choices(param: Any) -> list[str]:
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []


def metavar(param: Any) -> str:
    """The value's name in the usage line and help (文件…, 目录, forms|book)."""
    if param.metavar:
        name = param.metavar
    elif _choices(param):
        name = "|".join(_choices(param))
    else:
        name = _TYPE_WORDS.get(_annotation(param), "值")
    if param.param_type_name == "argument" and param.nargs == -1 and not name.endswith("…"):
        name += "…"
    return name


def _flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False))


def _names(param: Any) -> str:
    """`-o, --output 目录`, `--layout / --no-layout`, or an argument's metavar."""
    if param.param_type_name == "argument":
        return metavar(param)
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    return names if _flag(param) else f"{names} {metavar(param)}"


def _extras(param: Any) -> list[str]:
    """[必填], [默认：1], [默认：--layout]."""
    out = []
    if param.required:
        out.append("[必填]")
    default = param.default
    if _flag(param) and param.secondary_opts and default is not None:
        out.append(f"[默认：{param.opts[-1] if default else param.secondary_opts[-1]}]")
    elif not _flag(param) and param.param_type_name == "option" and default not in (None, "", (), []) and param.show_default is not False:
        shown = default.value if isinstance(default, Enum) else default
        out.append(f"[默认：{shown}]")
    return out


def _hint(param: Any) -> str:
    """How an error names a parameter: 参数「文件」, 选项 -o / --output."""
    if param.param_type_name == "argument":
        return f"参数「{metavar(param)}」"
    return "选项 " + " / ".join([*param.opts, *param.secondary_opts])


def _expected(param: Any) -> str:
    """What a parameter takes, for the message about a value it cannot use."""
    choices = _choices(param)
    if choices:
        return f"可选：{'、'.join(choices)}"
    annotation = _annotation(param)
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    bounds = [f"不小于 {low}" if low is not None else "", f"不大于 {high}" if high is not None else ""]
    word = _TYPE_WORDS.get(annotation, "")
    text = f"应为{word}" if word else "取值不对"
    return "，".join(part for part in (text, *bounds) if part)


# ---------------------------------------------------------------- help pages


class _Page:
    """A help page being written: the formatter click hands in, at the terminal's width."""

    def __init__(self, ctx: Any, formatter: Any):
        self.formatter = formatter
        self.width = _width(ctx)

    def line(self, text: str = "") -> None:
        self.formatter.write(text + "\n")

    def text(self, text: str, indent: int) -> None:
        for line in wrap(text, self.width - indent):
            self.line(" " * indent + line)

    def usage(self, path: str, pieces: list[str]) -> None:
        head = f"用法：{path} "
        rest = wrap(" ".join(pieces), self.width - cells(head))
        self.line(head + rest[0])
        for line in rest[1:]:
            self.line(" " * cells(head) + line)

    def table(self, heading: str, rows: list[tuple[str, str]]) -> None:
        """Two columns: names, then the help beside them (under them when the names are long)."""
        if not rows:
            return
        self.line()
        self.line(heading)
        first = min(max(cells(name) for name, _ in rows), 28) + 4
        for name, help_text in rows:
            if cells(name) + 4 > first:
                self.line(f"  {name}")
                lines = wrap(help_text, self.width - first) if help_text else []
            else:
                lines = wrap(help_text, self.width - first) if help_text else [""]
                self.line((f"  {name}" + " " * (first - 2 - cells(name)) + lines[0]).rstrip())
                lines = lines[1:]
            for line in lines:
                self.line(" " * first + line)

    def examples(self, epilog: str | None) -> None:
        lines = [line.strip() for line in (epilog or "").strip().splitlines() if line.strip()]
        if not lines:
            return
        self.line()
        self.line("示例：")
        for line in lines:
            if line.startswith("docgen"):
                self.line(f"  {line}")
            else:
                self.text(line, 6)


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [OPTIONS] if any(p.param_type_name == "option" for p in command.get_params(ctx)) else []
    for param in command.params:
        if param.param_type_name == "argument":
            name = metavar(param)
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def _param_rows(command: Any, ctx: Any, kind: str) -> list[tuple[str, str]]:
    rows = []
    for param in command.get_params(ctx):
        if param.param_type_name != kind or getattr(param, "hidden", False):
            continue
        help_text = " ".join(part for part in (param.help or "", *_extras(param)) if part)
        rows.append((_names(param), help_text))
    return rows


def _write_help(command: Any, ctx: Any, formatter: Any, commands: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
    page = _Page(ctx, formatter)
    command.format_usage(ctx, formatter)
    paragraphs = _paragraphs(command.help)
    if paragraphs:
        page.line()
    for paragraph in paragraphs:
        page.text(paragraph, 2)
    page.table("参数：", _param_rows(command, ctx, "argument"))
    page.table("选项：", _param_rows(command, ctx, "option"))
    page.table("命令：", list(commands))
    page.examples(command.epilog)


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_TEXT
    return option


class ChineseCommand(TyperCommand):
    """A typer command whose help, usage line and usage errors are Chinese."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _Page(ctx, formatter).usage(ctx.command_path, _usage_pieces(self, ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _write_help(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Extra arguments refused in Chinese (click's own check words it in English)."""
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click_exceptions.UsageError as error:  # the parser's errors know no context
            error.ctx = error.ctx or ctx
            raise
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            ctx.fail(f"多余的参数：{' '.join(rest)}（文件名含空格时请加引号）")
        return rest

    def main(self, *args: Any, **kwargs: Any) -> Any:
        return _main(super().main, *args, **kwargs)


class ChineseGroup(TyperGroup):
    """A typer group (`docgen`, `docgen templates`) whose help, usage line and usage
    errors are Chinese; a mistyped command gets the nearest ones suggested."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = [OPTIONS, "命令", "[参数]…"] if ctx.parent is None else ["命令", "[参数]…"]
        _Page(ctx, formatter).usage(ctx.command_path, pieces)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        commands = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                commands.append((name, _paragraphs(command.short_help or command.help)[0] if (command.short_help or command.help) else ""))
        _write_help(self, ctx, formatter, commands)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            known = [n for n in self.list_commands(ctx) if not getattr(self.get_command(ctx, n), "hidden", False)]
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            guess = f"是不是要用 {'、'.join(close)}？" if close else ""
            ctx.fail(f"没有命令「{name}」。{guess}可用的命令：{'、'.join(known)}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        if not ctx._protected_args and not self.invoke_without_command:
            known = "、".join(self.list_commands(ctx))
            ctx.fail(f"缺少命令：请在 {ctx.command_path} 后面写要做的事（{known}）")
        return super().invoke(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        return _main(super().main, *args, **kwargs)


# ---------------------------------------------------------------- usage errors


def message(error: Any) -> str:
    """A click usage error in Chinese, worded from its fields."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click_exceptions.MissingParameter) and error.param is not None:
        param = error.param
        help_text = getattr(param, "help", None)  # an option's or a typer argument's help
        what = f"：{help_text}" if help_text else ""
        return f"缺少{_hint(param)}{what}"
    if isinstance(error, click_exceptions.BadParameter) and error.param is not None:
        return f"{_hint(error.param)} 的值无法使用：{_expected(error.param)}"
    if isinstance(error, click_exceptions.NoSuchOption):
        close = sorted(error.possibilities or ())
        guess = f"；是不是要用 {'、'.join(close)}？" if close else ""
        return f"没有选项 {error.option_name}{guess}"
    if isinstance(error, click_exceptions.BadOptionUsage):
        param = _option_named(ctx, error.option_name)
        if param is not None and _flag(param):
            return f"选项 {error.option_name} 不带值（只写 {error.option_name}）"
        value = f"（{metavar(param)}）" if param is not None else ""
        return f"选项 {error.option_name} 后面缺少值{value}"
    if isinstance(error, click_exceptions.BadArgumentUsage):
        return "参数的个数不对"
    if isinstance(error, click_exceptions.FileError):
        return f"无法打开文件 {error.ui_filename}"
    return error.message  # raised by the classes above, in Chinese already


def _option_named(ctx: Any, name: str) -> Any:
    command = getattr(ctx, "command", None)
    for param in getattr(command, "params", ()):
        if name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param
    return None


def show(error: Any) -> None:
    """The usage line, where to find help, and the error (stderr)."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click_exceptions.NoArgsIsHelpError) and ctx is not None:
        typer.echo(ctx.get_help(), err=True)
        return
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"帮助：{ctx.command_path} --help", err=True)
        typer.echo(err=True)
    typer.echo(f"用法有误：{message(error)}", err=True)


def _main(run: Any, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
    """typer's main without standalone handling, and the handling here in Chinese."""
    if not standalone_mode:
        return run(*args, standalone_mode=False, **kwargs)
    try:
        result = run(*args, standalone_mode=False, **kwargs)
    except click_exceptions.ClickException as error:
        show(error)
        _exit(error.exit_code)
    except typer.Abort:
        typer.echo("已中止。", err=True)
        _exit(1)
    _exit(result if isinstance(result, int) else 0)


def _exit(code: int) -> NoReturn:
    sys.exit(code)
