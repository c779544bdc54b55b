"""The command line in Chinese (issue 27): every help page at 80 columns, its examples,
and click's usage errors worded from their fields (docgen/cli/chinese.py)."""

import re

import pytest
import typer.main
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.cli.chinese import cells, wrap

runner = CliRunner()
ROOT = typer.main.get_command(app)


def _commands(group, path=()):
    yield path, group
    for name in getattr(group, "commands", {}):
        yield from _commands(group.commands[name], (*path, name))


COMMANDS = list(_commands(ROOT))
METAVARS = ("文件…", "表单…", "[参数]…", "表单=版本,…")  # the metavars that end in …
ENGLISH = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "required",
    "default",
    "TEXT",
    "INTEGER",
    "PATH",
    "list[",
    "<path>",
    "<int",
    "<bool>",
    "[OPTIONS]",
    "Error",
    "Try ",
)
OPTION_LINE = re.compile(r"^\s*(-\w, )?--[\w-]+( / --[\w-]+)?\s*$")  # names whose help goes under them


def _help(path):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}, prog_name="docgen")
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_listed():
    names = [" ".join(path) for path, _ in COMMANDS]
    assert names == [
        "",
        "render",
        "check",
        "score",
        "review",
        "diff",
        "schema",
        "workbook",
        "import",
        "serve",
        "templates",
        "templates list",
        "templates new",
        "templates check",
        "profiles",
        "profiles show",
        "profiles new",
    ]


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "docgen" for p, _ in COMMANDS])
def test_help_is_chinese_fits_80_columns_and_has_examples(path, command):
    text = _help(path)
    lines = text.splitlines()
    assert lines[0].startswith(f"用法：{' '.join(('docgen', *path))} ")
    assert max(cells(line) for line in lines) <= 80, [line for line in lines if cells(line) > 80]
    for word in ENGLISH:
        assert word not in text, word
    for line in lines:  # a line of ASCII only is an example or option names
        if line.strip() and line.isascii():
            assert line.startswith("  docgen ") or OPTION_LINE.match(line), line
    cut = text
    for name in METAVARS:
        cut = cut.replace(name, "")
    assert "…" not in cut  # nothing truncated
    flat = re.sub(r"\s+", "", text)
    for param in command.params:  # every help text whole, however it wrapped
        if param.help:
            assert re.sub(r"\s+", "", param.help) in flat, param.help
    examples = lines[lines.index("示例：") + 1 :]
    commands = [line.strip() for line in examples if line.startswith("  docgen")]
    assert 1 <= len(commands) <= 2 and all(c.startswith(" ".join(("docgen", *path))) for c in commands), examples
    assert "显示本帮助并退出" in text


def test_help_names_values_in_chinese():
    text = _help(["render"])
    assert "用法：docgen render [选项] 文件…" in text
    assert "参数：" in text and "选项：" in text
    assert "  -o, --output 目录" in text and "--only forms|book" in text and "-j, --jobs 数量" in text
    assert "[必填]" in text and "[默认：--layout]" in text
    assert "命令：" in _help([]) and "  templates  表单模板与版本" in _help([])
    assert "用法：docgen diff [选项] 旧文件 [新文件]" in _help(["diff"])


@pytest.mark.parametrize(
    "args, error",
    [
        (
            ["rendr", "a.yaml"],
            "没有命令「rendr」。是不是要用 render？可用的命令：render、check、score、review、diff、schema、workbook、import、serve、templates、profiles",
        ),
        (["templates", "lst"], "没有命令「lst」。是不是要用 list？可用的命令：list、new、check"),
        (["render"], "缺少参数「文件…」：单位数据文件（.yaml / .yml / .json / .xlsx），可给多个；或文件夹（其中每个单位文件，含子文件夹）"),
        (["render", "--fomat", "pdf", "a.yaml"], "没有选项 --fomat；是不是要用 --format？"),
        (["check", "--frce", "a.yaml"], "没有选项 --frce"),
        (["render", "-j", "两个", "a.yaml"], "选项 -j / --jobs 的值无法使用：应为整数，不小于 0"),
        (["check", "-j", "0", "a.yaml"], "选项 -j / --jobs 的值无法使用：应为整数，不小于 1"),
        (["render", "--only", "all", "a.yaml"], "选项 --only 的值无法使用：可选：forms、book"),
        (["render", "a.yaml", "-o"], "选项 -o 后面缺少值（目录）"),
        (["render", "--force=yes", "a.yaml"], "选项 --force 不带值（只写 --force）"),
        (["review", "收到"], "缺少选项 -o / --output：要写入的审核汇总工作簿（.xlsx），如 审核汇总.xlsx"),
        (["diff", "a.yaml", "b.yaml", "c.yaml"], "多余的参数：c.yaml（文件名含空格时请加引号）"),
        (["templates", "new", "selfeval", "2024"], "缺少选项 --from 或 --from-form：复制自哪个已有版本（如 2022），或按哪个收到的表单起草"),
        (["templates", "new", "selfeval", "2024", "--from", "2022", "--from-form", "a.docx"], "--from 与 --from-form 只能给出一个"),
        (["--debug"], "缺少命令：请在 docgen 后面写要做的事（render、check、score、review、diff、schema、workbook、import、serve、templates、profiles）"),
    ],
)
def test_usage_errors_are_chinese(args, error):
    result = runner.invoke(app, args, prog_name="docgen")
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    command = "docgen " + " ".join(a for a in args[:2] if not a.startswith("-") and a in {p[-1] for p, _ in COMMANDS if p})
    assert lines[0].startswith("用法：" + command.strip()), lines
    assert lines[1] == f"帮助：{command.strip()} --help"
    assert lines[-1] == f"用法有误：{error}"
    for word in ENGLISH:
        assert word not in result.output, word


def test_no_arguments_shows_the_help():
    result = runner.invoke(app, [], prog_name="docgen")
    assert result.exit_code == 2 and result.output.startswith("用法：docgen [选项] 命令 [参数]…")


@pytest.mark.parametrize(
    "text, width, lines",
    [
        ("生成每个项目的表单。", 8, ["生成每个", "项目的表", "单。"]),  # 。 never starts a line
        ("输出格式：docx、xlsx、pdf（默认 docx）", 20, ["输出格式：docx、", "xlsx、pdf（默认", "docx）"]),
        ("（默认为处理器核数）", 6, ["（默认", "为处理", "器核", "数）"]),  # （ and ） stay with their characters
        ("output/<单位>/<年度>/", 12, ["output/<单位", ">/<年度>/"]),
        ("写入单位数据文件（.yaml，或 .xlsx 填报工作簿）", 26, ["写入单位数据文件（.yaml，", "或 .xlsx 填报工作簿）"]),  # .xlsx stays whole
        ("--layout 则估算页码", 10, ["--layout", "则估算页码"]),
    ],
)
def test_wrap_breaks_between_characters_not_before_closing_marks(text, width, lines):
    assert wrap(text, width) == lines
    assert all(cells(line) <= width for line in lines)
