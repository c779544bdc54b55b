"""Hardening of the loader: bounded reading, alias bombs, deep nesting, comment-heavy
files in linear time, explicit tags, and Chinese messages for the usual YAML slips."""

import os
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.loader import load_file
from docgen.parse import text as loader
from docgen.parse.load import load_text
from docgen.parse.text import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

runner = CliRunner()
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"


def problem_of(path: Path):
    with pytest.raises(InputError) as info:
        load_file(path)
    (problem,) = info.value.problems
    return problem, info.value.message()


def cli_refuses(path: Path, tmp_path: Path, *words: str) -> str:
    """`docgen render` refuses `path`: exit 2, no traceback, nothing written, message
    naming the file (and the words)."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(path) in result.output
    for word in words:
        assert word in result.output
    assert not out.exists()
    return result.output


def test_limits_are_named_constants():
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    assert MAX_NODES == 1_000_000
    assert MAX_DEPTH == 64


def test_alias_bomb_is_refused_quickly_naming_the_first_alias(tmp_path):
    start = time.process_time()  # CPU time: other processes of a parallel run do not count
    problem, message = problem_of(BAD / "alias_bomb.yaml")
    assert time.process_time() - start < 5
    assert problem.line == 2  # `b: &b [*a, …]` holds the first alias
    assert "别名" in problem.text and "1,000,000" in problem.text
    assert "alias_bomb.yaml:2:" in message
    cli_refuses(BAD / "alias_bomb.yaml", tmp_path, "alias_bomb.yaml:2:", "别名炸弹")


def test_aliases_within_the_limit_expand():
    loaded = load_text("a: &a [1, 2]\nb: *a\nc: {x: &n 5, y: *n}\n", Path("u.yaml"))
    assert loaded.data == {"a": [1, 2], "b": [1, 2], "c": {"x": 5, "y": 5}}
    assert loaded.lines[("b",)] == 2


def test_expanded_nodes_just_over_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 100)
    text = "a: &a [" + ", ".join(["x"] * 10) + "]\nb: [" + ", ".join(["*a"] * 8) + "]\n"
    with pytest.raises(InputError) as info:
        load_text(text, Path("u.yaml"))
    assert info.value.problems[0].line == 2
    monkeypatch.setattr(loader, "MAX_NODES", 200)
    assert len(load_text(text, Path("u.yaml")).data["b"]) == 8


def test_self_referencing_anchor_is_refused():
    with pytest.raises(InputError) as info:
        load_text("a: &a [1, *a]\n", Path("u.yaml"))
    assert "包含它自己" in info.value.problems[0].text
    assert info.value.problems[0].line == 1


def test_manifest_anchors_stay_legal():
    from docgen.registry.manifest import default_registry

    registry = default_registry()
    assert registry.version("selfeval", "2022").kind == "selfeval"


def test_deep_nesting_is_refused_with_a_message(tmp_path):
    problem, message = problem_of(BAD / "deep_nesting.yaml")
    assert problem.line == 1
    assert f"嵌套超过 {MAX_DEPTH} 层" in problem.text
    cli_refuses(BAD / "deep_nesting.yaml", tmp_path, "deep_nesting.yaml:1:", "嵌套超过")


def test_nesting_through_aliases_is_bounded():
    # each level is shallow, the expansion is 70 deep
    lines = ["l0: &l0 [1]"] + [f"l{n}: &l{n} [*l{n - 1}]" for n in range(1, 70)]
    with pytest.raises(InputError) as info:
        load_text("\n".join(lines) + "\n", Path("u.yaml"))
    assert "嵌套超过" in info.value.problems[0].text
    assert info.value.problems[0].line == 2


def test_nesting_within_the_limit_loads():
    depth = MAX_DEPTH - 2
    loaded = load_text("deep: " + "[" * depth + "1" + "]" * depth + "\n", Path("u.yaml"))
    value = loaded.data["deep"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("unit: 甲\n" + "# x\n" * 400, encoding="utf-8")
    problem, message = problem_of(path)
    assert "超过" in problem.text and "big.yaml" in message


def test_a_file_over_50_mb_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    reads = []
    real_read = os.read
    monkeypatch.setattr(loader.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    problem, message = problem_of(path)
    assert "文件超过 50 MB" in problem.text and "huge.yaml" in message
    assert reads == []


def test_dev_zero_is_refused_without_reading_it(tmp_path):
    start = time.process_time()
    problem, message = problem_of(Path("/dev/zero"))
    assert time.process_time() - start < 2
    assert "不是普通文件" in problem.text
    cli_refuses(Path("/dev/zero"), tmp_path, "/dev/zero", "不是普通文件")


def test_reading_stops_after_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 10)
    sizes = []
    real_read = os.read
    monkeypatch.setattr(loader.os, "read", lambda fd, n: sizes.append(n) or real_read(fd, n))
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    with pytest.raises(InputError):
        load_file(path)
    assert sum(sizes) <= 11


def test_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "unit.yaml"
    os.mkfifo(fifo)
    result: dict = {}

    def attempt():
        try:
            load_file(fifo)
        except InputError as exc:
            result["message"] = exc.message()

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # unblock the reader before failing
        with open(fifo, "w"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert "不是普通文件" in result["message"]
    cli_refuses(fifo, tmp_path, "unit.yaml", "不是普通文件")


def test_directory_is_refused(tmp_path):
    problem, _ = problem_of(tmp_path)
    assert "目录" in problem.text


def comment_file(path: Path, megabytes: int) -> Path:
    line = "# " + "注释" * 30 + "\n"
    n = megabytes * 1024 * 1024 // len(line.encode("utf-8"))
    path.write_text("unit: 甲\n" + line * n + "year: 2022\n" + line * 10 + "projects: []\n", encoding="utf-8")
    return path


def test_comment_heavy_file_loads_in_linear_time(tmp_path):
    small = comment_file(tmp_path / "c4.yaml", 4)
    big = comment_file(tmp_path / "c16.yaml", 16)
    # CPU time of this process, not wall time: under `-n auto` the other workers share the
    # cores, and a wall-clock ratio of a 0.07 s and a 0.27 s load is at their mercy.
    start = time.process_time()
    loaded = load_file(small)
    t_small = time.process_time() - start
    start = time.process_time()
    loaded = load_file(big)
    t_big = time.process_time() - start
    assert loaded.data == {"unit": "甲", "year": 2022, "projects": []}
    assert loaded.lines[("projects",)] == loaded.text.count("\n")
    assert t_big < 10  # was 24 s for 16 MB with ruamel's round-trip scanner
    assert t_big < 4 * t_small * 2 + 1  # four times the text: about four times the time


def test_explicit_str_tag_is_text(fixtures):
    loaded = load_text("department: !!str 上海市公安局\nyear: !!int '2022'\ncode: !!str 762002\n", Path("u.yaml"))
    assert loaded.data == {"department": "上海市公安局", "year": 2022, "code": "762002"}
    result = runner.invoke(app, ["check", str(fixtures / "str_tag.yaml")])
    assert result.exit_code == 0, result.output
    from docgen.inputs.loader import load_unit

    assert load_unit(fixtures / "str_tag.yaml").department == "上海市公安局"


def test_a_lone_equals_sign_is_text():
    # YAML 1.1's "value" type: the round-trip loader returned a tagged object here
    assert load_text("target: =\nb: =100%\n", Path("u.yaml")).data == {"target": "=", "b": "=100%"}


def test_unknown_tag_is_named():
    with pytest.raises(InputError) as info:
        load_text("unit: 甲\nyear: !custom 2022\n", Path("u.yaml"))
    assert info.value.problems[0].line == 2
    assert "!custom" in info.value.problems[0].text


def test_duplicate_key_names_the_key_and_line():
    with pytest.raises(InputError) as info:
        load_text("unit: 甲\nyear: 1\nunit: 乙\n", Path("u.yaml"))
    assert info.value.problems[0].line == 3
    assert "「unit」重复" in info.value.problems[0].text


def test_decimals_dates_and_lines_as_before():
    loaded = load_text("a: 1943200.00\nb: 2023-01-01\nc:\n  - x: 1\n  - y: 0.10\n", Path("u.yaml"))
    import datetime

    assert loaded.data == {"a": Decimal("1943200.00"), "b": datetime.date(2023, 1, 1), "c": [{"x": 1}, {"y": Decimal("0.10")}]}
    assert loaded.lines[("c", 1)] == 5 and loaded.lines[("c", 1, "y")] == 5


# Messages for the usual slips, with the line and the fix.


def test_greater_than_target_says_to_quote(tmp_path):
    problem, _ = problem_of(BAD / "gt_target.yaml")
    assert problem.line == 11
    assert '值以 > 或 = 开头时请加引号，如 "≥40场" / ">40场"' in problem.text
    cli_refuses(BAD / "gt_target.yaml", tmp_path, "gt_target.yaml:11:", "请加引号")


def test_full_width_colon_is_named(tmp_path):
    problem, _ = problem_of(BAD / "fullwidth_colon.yaml")
    assert problem.line == 2
    assert "「year」后面用了全角冒号「：」" in problem.text
    cli_refuses(BAD / "fullwidth_colon.yaml", tmp_path, "fullwidth_colon.yaml:2:", "全角冒号")


def test_full_width_colon_in_a_list_item():
    with pytest.raises(InputError) as info:
        load_text("unit: 甲\nprojects:\n  - name：项目\n    code: 1\n", Path("u.yaml"))
    assert info.value.problems[0].line == 3
    assert "全角冒号" in info.value.problems[0].text


def test_full_width_colon_alone_is_named():
    with pytest.raises(InputError) as info:
        load_text("unit：甲\n", Path("u.yaml"))
    assert info.value.problems[0].line == 1
    assert "「unit」后面用了全角冒号" in info.value.problems[0].text


def test_full_width_colon_inside_a_value_is_fine():
    assert load_text("achieved: 1、预算执行：完成\n", Path("u.yaml")).data == {"achieved": "1、预算执行：完成"}


def test_tab_indentation_is_named(tmp_path):
    problem, _ = problem_of(BAD / "tab_indent.yaml")
    assert problem.line == 19
    assert "Tab" in problem.text and "空格" in problem.text
    cli_refuses(BAD / "tab_indent.yaml", tmp_path, "tab_indent.yaml:19:", "Tab")


def test_gbk_file_says_save_as_utf8(tmp_path):
    problem, _ = problem_of(BAD / "gbk.yaml")
    assert "GBK/GB18030" in problem.text and "请另存为 UTF-8" in problem.text
    cli_refuses(BAD / "gbk.yaml", tmp_path, "gbk.yaml", "GBK/GB18030", "请另存为 UTF-8")


def test_utf16_without_bom_says_save_as_utf8(tmp_path):
    problem, _ = problem_of(BAD / "utf16_no_bom.yaml")
    assert "UTF-16" in problem.text and "UTF-8" in problem.text
    cli_refuses(BAD / "utf16_no_bom.yaml", tmp_path, "utf16_no_bom.yaml", "UTF-16")


def test_utf16_with_bom_is_read(fixtures):
    good = load_file(fixtures / "minimal.yaml")
    loaded = load_file(fixtures / "utf16_bom.yaml")
    assert loaded.data == good.data and loaded.lines == good.lines
    result = runner.invoke(app, ["check", str(fixtures / "utf16_bom.yaml")])
    assert result.exit_code == 0, result.output


def test_crlf_lines_are_read_as_before(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"unit: a\r\nyear: 2022\r\n")
    loaded = load_file(path)
    assert loaded.text == "unit: a\nyear: 2022\n"
    assert loaded.lines[("year",)] == 2
