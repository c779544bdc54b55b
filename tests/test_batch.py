"""Many units in one run: `docgen render|check|score` with several files or folders."""

import io
import json
import shutil
import types

import pytest
from conftest import EXAMPLE, FIXTURES, ROOT, folder_digest
from typer.testing import CliRunner

from docgen import RenderOptions, render_file
from docgen.build.record import MANIFEST_NAME
from docgen.cli.app import app
from docgen.review.batch import unit_inputs, worst

runner = CliRunner()
MINIMAL = FIXTURES / "minimal.yaml"
SSCARD = ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def units(folder, *sources):
    """Copies of `sources` in `folder` (name -> source); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in sources:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, str):
            target.write_text(source, encoding="utf-8")
        else:
            shutil.copy(source, target)
    return folder


def test_worst_exit_code_ranks_unusable_input_first():
    assert worst([]) == 0
    assert worst([0, 1, 0]) == 1
    assert worst([1, 3, 0]) == 3
    assert worst([3, 2, 1]) == 2


def test_folders_are_searched_recursively_without_outputs_hidden_or_lock_files(tmp_path):
    folder = units(
        tmp_path / "in",
        ("b.yaml", MINIMAL),
        ("sub/a.json", "{}"),
        ("sub/deeper/c.xlsx", "x"),
        ("~$c.xlsx", "lock"),
        (".hidden/d.yaml", MINIMAL),
        ("notes.txt", "text"),
        (f"output/测试单位/2023/{MANIFEST_NAME}", "{}"),
        ("output/测试单位/2023/1-测试项目.xlsx", "form"),
    )
    found = unit_inputs([folder, folder / "b.yaml", tmp_path / "missing.yaml"])
    assert [p.relative_to(tmp_path).as_posix() if p.is_relative_to(tmp_path) else p for p in found] == [
        "in/b.yaml",
        "in/sub/a.json",
        "in/sub/deeper/c.xlsx",
        "missing.yaml",
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_many_units_each_as_if_alone(tmp_path, jobs):
    folder = units(tmp_path / "in", ("a.yaml", MINIMAL), ("sub/sscard.yaml", SSCARD))
    result = run("render", folder, "-o", tmp_path / "out", "-j", jobs)
    assert result.exit_code == 0, result.output
    alone = tmp_path / "alone"
    for name, unit in (("a.yaml", "测试单位/2023"), ("sub/sscard.yaml", "上海市社会保障卡服务中心/2023")):
        render_file(folder / name, alone, options=RenderOptions(layout=False))
        assert folder_digest(tmp_path / "out" / unit) == folder_digest(alone / unit)
        assert (tmp_path / "out" / unit / MANIFEST_NAME).is_file()
    lines = result.output.splitlines()
    assert lines[0] == f"【1/2】{folder / 'a.yaml'} → {tmp_path / 'out' / '测试单位' / '2023'}"
    assert lines[1].split() == ["项目", "总分", "等级", "错误", "提示"]
    assert lines[2].split() == ["测试项目", "99", "优", "0", "0"]
    assert lines[3] == "共 1 个项目（自评表 1 份），错误 0 条，提示 0 条。"
    assert lines[4] == "文件：新增 4 个，更新 0 个，未变 0 个，删除 0 个。"
    assert lines[5].startswith(f"【2/2】{folder / 'sub' / 'sscard.yaml'} → ")
    assert lines[-1] == "共 2 个单位：完成 2 个，无法使用或未生成 0 个；项目 8 个，错误 0 条，提示 0 条；文件：新增 20 个，更新 0 个，未变 0 个，删除 0 个。"


def test_an_unusable_unit_is_reported_and_skipped_the_rest_rendered(tmp_path):
    bad = FIXTURES / "bad" / "bad_amount.yaml"
    result = run("render", EXAMPLE, bad, MINIMAL, "-o", tmp_path / "out", "-j", "2")
    assert result.exit_code == 2  # an unusable input outranks the example's data errors (1)
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    assert f"【2/3】{bad}：已跳过" in result.output
    assert f"输入文件有误：{bad}" in result.output
    assert f"{bad}:" in result.output  # the message names the file and line
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["上海市残疾人联合会", "测试单位"]
    table = [line.split() for line in result.output.splitlines() if line.startswith("残疾人权益保障经费")]
    assert table == [["残疾人权益保障经费", "96", "优", "1", "2"]]
    assert result.output.splitlines()[-1].startswith("共 3 个单位：完成 2 个，无法使用或未生成 1 个；项目 7 个，错误 4 条，提示 5 条；")


def test_exit_code_is_the_worst_unit_data_errors_give_1(tmp_path):
    result = run("render", MINIMAL, EXAMPLE, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert run("render", MINIMAL, SSCARD, "-o", tmp_path / "out").exit_code == 0


def test_edited_file_in_one_unit_refuses_that_unit_only_exit_3(tmp_path):
    out = tmp_path / "out"
    assert run("render", MINIMAL, "-o", out).exit_code == 0
    form = out / "测试单位" / "2023" / "1-测试项目-财政项目支出绩效自评表.docx"
    form.write_bytes(form.read_bytes() + b" ")
    changed = units(tmp_path / "in", ("m.yaml", MINIMAL.read_text(encoding="utf-8").replace('actual: "5次"', 'actual: "4次"')))
    result = run("render", changed / "m.yaml", SSCARD, "-o", out, "--replace")  # a corrected copy: it takes the folder over
    assert result.exit_code == 3
    assert "已跳过" in result.output and "1-测试项目-财政项目支出绩效自评表.docx" in result.output
    assert (out / "上海市社会保障卡服务中心" / "2023" / MANIFEST_NAME).is_file()


def test_two_files_of_one_unit_and_year_the_second_is_skipped(tmp_path):
    folder = units(tmp_path / "in", ("a.yaml", MINIMAL), ("b.yaml", MINIMAL))
    result = run("render", folder, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{folder / 'b.yaml'}：与 {folder / 'a.yaml'} 是同一单位、同一年度" in result.output
    assert "共 2 个单位：完成 1 个，无法使用或未生成 1 个" in result.output


def test_a_folder_without_unit_files_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    for command in ("render", "check", "score"):
        result = run(command, tmp_path / "empty")
        assert result.exit_code == 2
        assert f"没有找到单位数据文件（.yaml / .yml / .json / .xlsx）或表单（.docx / .xlsx）：{tmp_path / 'empty'}" in result.output


def test_check_many(tmp_path):
    result = run("check", MINIMAL, EXAMPLE, tmp_path / "nope.yaml", "-j", "2")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == f"【1/3】{MINIMAL}"
    assert lines[1] == "共 1 个项目（自评表 1 份），错误 0 条，提示 0 条。"
    assert lines[2] == f"【2/3】{EXAMPLE}"
    assert lines[3].startswith(f"{EXAMPLE}:104: [错误] 项目「残疾人权益保障经费」")
    assert "共 6 个项目（自评表 6 份），错误 4 条，提示 5 条。" in lines
    assert f"【3/3】{tmp_path / 'nope.yaml'}：已跳过" in lines
    assert any("文件不存在" in line for line in lines)
    assert lines[-1] == "共 3 个单位：完成 2 个，无法使用或未生成 1 个；项目 7 个，错误 4 条，提示 5 条。"
    assert run("check", MINIMAL, SSCARD).exit_code == 0


def test_score_many_json_is_a_list_per_unit():
    result = run("score", MINIMAL, EXAMPLE, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [d["file"] for d in data] == [str(MINIMAL), str(EXAMPLE)]
    assert [d["unit"] for d in data] == ["测试单位", "上海市残疾人联合会"]
    assert [p["total"] for p in data[1]["projects"]] == ["96", "95", "96", "89.15", "95.63", "95"]


def test_score_many_text():
    result = run("score", MINIMAL, EXAMPLE)
    assert result.exit_code == 1
    assert f"【2/2】{EXAMPLE}" in result.output
    assert "残疾人事业统计、监测和政策研究经费  总分 89.15（规则计算 93.15）  良" in result.output
    assert result.output.splitlines()[-1] == "共 2 个单位：完成 2 个，无法使用或未生成 0 个；项目 7 个，错误 4 条，提示 5 条。"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("module", ["docgen.cli.app", "docgen.cli.batch"])
def test_progress_bar_on_a_terminal(tmp_path, monkeypatch, module):
    """One bar for a single render (its steps) and one for a batch (its units)."""
    terminal = _Terminal()
    monkeypatch.setattr(f"{module}.sys", types.SimpleNamespace(stderr=terminal))
    files = [MINIMAL] if module == "docgen.cli.app" else [MINIMAL, SSCARD]
    result = run("render", *files, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    shown = terminal.getvalue()
    if module == "docgen.cli.app":
        assert "生成中" in shown and "3/3" in shown
    else:  # the check of the output folders, then the renders
        assert "处理中" in shown and "4/4" in shown and "shanghai-sscard-2023.yaml" in shown
