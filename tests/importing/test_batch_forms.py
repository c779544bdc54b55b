"""Folders of received printed forms as batch input: `docgen render|check|score|review`
group the forms by the unit and year they print and treat each group as one unit, read
exactly as `docgen import` of those files reads it."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, folder_digest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.record import MANIFEST_NAME
from docgen.cli.app import app, summary_lines
from docgen.inputs.importing import FormFile
from docgen.review.letters import item_text
from docgen.review.received import Forms, group
from docgen.review.table import Issue

EXAMPLES = ROOT / "data" / "examples"
DPF = EXAMPLES / "shanghai-dpf-2022.yaml"  # 上海市残疾人联合会 2022: six 自评表 with the published slips
TWO = EXAMPLES / "one-project-two-forms.yaml"  # 上海市社会保障卡服务中心 2023: a 申报表 and a 自评表
runner = CliRunner()
FORM1 = "1-残疾人权益保障经费-财政项目支出绩效自评表"


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit)), result.output
    return result


@pytest.fixture(scope="session")
def received(tmp_path_factory, rendered_once):
    """What a finance bureau received, read only: 甲/ the six Word forms of one unit,
    乙/ the Word and Excel files of another unit's two forms, a cover note that is not
    a form, and a third unit's YAML file."""
    folder = tmp_path_factory.mktemp("received") / "收到"
    for sub, example, suffixes in (("甲", DPF, (".docx",)), ("乙", TWO, (".docx", ".xlsx"))):
        (folder / sub).mkdir(parents=True)
        for form in rendered_once(example).forms:
            if form.suffix in suffixes:
                shutil.copy(form, folder / sub / form.name)
    note = Document()
    note.add_paragraph("关于报送 2022 年度绩效自评材料的说明")
    note.save(folder / "说明.docx")
    shutil.copy(FIXTURES / "minimal.yaml", folder / "测试单位.yaml")
    return folder


def test_check_groups_forms_by_unit_and_year_and_names_what_is_not_a_form(received):
    result = run("check", received, "-j", "1")
    assert result.exit_code == 2  # the cover note is unusable input
    lines = result.output.splitlines()
    jia, yi = received / "甲", received / "乙"
    assert lines[0] == f"【1/4】{received / '测试单位.yaml'}"
    assert f"【2/4】{received / '说明.docx'}：已跳过" in lines
    assert f"  {received / '说明.docx'}: 没有可导入的表单：文件中没有表格，不是表单" in lines
    assert f"【3/4】{yi}（上海市社会保障卡服务中心 2023 年度的表单，4 个文件）" in lines
    assert f"【4/4】{jia}（上海市残疾人联合会 2022 年度的表单，6 个文件）" in lines
    assert "共 1 个项目（申报表 1 份，自评表 1 份），错误 0 条，提示 0 条。" in lines
    # Findings point at the file and cell of the printed form, as `docgen check 表.docx` does.
    assert (
        f"{jia / FORM1}.docx:表格 1 第 4 行第 9 列: [错误] 项目「残疾人权益保障经费」：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64"
        in lines
    )
    assert "共 6 个项目（自评表 6 份），错误 4 条，提示 5 条。" in lines
    assert lines[-1] == "共 4 个单位：完成 3 个，无法使用或未生成 1 个；项目 8 个，错误 4 条，提示 5 条。"


def test_score_json_of_received_forms(received):
    one = received / "甲" / f"{FORM1}.docx"  # one file: its own unit, named by the file
    result = run("score", received / "乙", one, "--json", "-j", "1")
    assert result.exit_code == 1  # the published slips
    got = json.loads(result.output)
    assert [(u["unit"], u["file"]) for u in got] == [
        ("上海市社会保障卡服务中心", f"{received / '乙'}（上海市社会保障卡服务中心 2023 年度的表单，4 个文件）"),
        ("上海市残疾人联合会", str(one)),
    ]
    assert [Path(f).name for f in got[0]["files"]] == sorted(p.name for p in (received / "乙").iterdir())
    assert [p["total"] for p in got[0]["projects"]] == ["99.07"]
    assert [p["total"] for p in got[1]["projects"]] == ["96"]


def test_render_gives_each_unit_its_folder_as_if_its_forms_were_imported(received, rendered_once, tmp_path):
    """The same forms, bytes and scores as rendering the unit files."""
    out = tmp_path / "out"
    result = run("render", received / "乙", received / "甲", "-o", out, "-j", "2", "--only", "forms", "-f", "docx")
    assert result.exit_code == 1  # the published slips
    assert sorted(p.name for p in out.iterdir()) == ["上海市残疾人联合会", "上海市社会保障卡服务中心"]
    for example, folder in ((DPF, "上海市残疾人联合会/2022"), (TWO, "上海市社会保障卡服务中心/2023")):
        alone = rendered_once(example)
        got = folder_digest(out / folder)
        assert json.loads((out / folder / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
        words = [f for f in alone.forms if f.suffix == ".docx"]
        assert sorted(got) == sorted([MANIFEST_NAME, *(f.name for f in words)])
        for form in words:
            assert got[form.name] == folder_digest(form.parent)[form.name]
        table = summary_lines(alone)  # 项目 / 总分 / 等级 / 错误 / 提示 as the unit file gives them
        assert all(line in result.output.splitlines() for line in table)
    assert f"【2/2】{received / '甲'}（上海市残疾人联合会 2022 年度的表单，6 个文件） → {out / '上海市残疾人联合会' / '2022'}" in result.output
    assert "残疾人事业统计、监测和政策研究经费  89.15  良    0     1" in result.output


def test_a_unit_file_wins_over_received_forms_of_its_unit_and_year(received, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(received / "乙", folder / "乙")
    shutil.copy(TWO, folder / "two.yaml")
    result = run("check", folder)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == f"【1/2】{folder / 'two.yaml'}"
    assert (
        f"{folder / '乙'}（上海市社会保障卡服务中心 2023 年度的表单，4 个文件）：与单位数据文件 {folder / 'two.yaml'} 是同一单位、同一年度"
        "（上海市社会保障卡服务中心 2023 年度）；以数据文件为准，这些表单未处理（要核对收到的表单，请把它们与数据文件分开放）"
    ) in result.output
    assert result.output.splitlines()[-1] == "共 2 个单位：完成 1 个，无法使用或未生成 1 个；项目 1 个，错误 0 条，提示 0 条。"


def test_two_copies_of_a_form_that_differ_are_a_conflict_in_chinese(received, rendered_once, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    docx = shutil.copy(received / "甲" / f"{FORM1}.docx", folder)
    xlsx = folder / f"{FORM1}.xlsx"
    book = load_workbook(next(f for f in rendered_once(DPF).forms if f.name == xlsx.name))
    book.active["H6"].value = "90.00%"  # the 执行率 the Word file prints as 96.41%
    book.save(xlsx)
    result = run("check", folder, MINIMAL := FIXTURES / "minimal.yaml")
    assert result.exit_code == 2
    assert f"【1/2】{folder}（上海市残疾人联合会 2022 年度的表单，2 个文件）：已跳过" in result.output
    assert (
        f"  {docx}:表格 1 第 4 行第 8 列: 单元格 表格 1 第 4 行第 8 列：项目「残疾人权益保障经费」的自评表有两份，内容不同："
        f"此处为「96.41%」，{xlsx}:自评表!H6 为「90.00%」；同一项目的同一种表单只能有一份，请删去或改正其中一份"
    ) in result.output
    assert f"【2/2】{MINIMAL}" in result.output


def test_review_locates_findings_in_the_received_forms(received, tmp_path):
    target = tmp_path / "审核汇总.xlsx"
    result = run("review", received / "甲", received / "说明.docx", "-o", target, "-j", "1")
    assert result.exit_code == 2
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["问题"]
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert header == ["单位", "项目", "指标", "级别", "内容", "文件:行 / 文件:单元格"]
    where = {row[-1] for row in rows}
    assert f"{received / '甲' / FORM1}.docx:表格 1 第 4 行第 9 列" in where
    assert [row for row in rows if row[-1] == str(received / "说明.docx")][0][3] == "无法读取"
    assert len(rows) == 10  # 9 findings, 1 unreadable file


def test_a_letter_names_the_form_and_cell_to_correct():
    issue = Issue("甲", "项目", "", "error", "执行率有误", "收到/甲/1-项目-财政项目支出绩效自评表.docx:表格 1 第 4 行第 8 列")
    assert item_text(issue) == "须更正：执行率有误（表单 1-项目-财政项目支出绩效自评表.docx 表格 1 第 4 行第 8 列）"
    sheet = Issue("甲", "项目", "", "warning", "请核实", "收到/甲/表.xlsx:自评表!H6")
    assert item_text(sheet) == "请核实：请核实（表单 表.xlsx 自评表!H6）"
    entry = Issue("甲", "项目", "", "warning", "请核实", "unit.xlsx:项目!T2")
    assert item_text(entry) == "请核实：请核实（填报工作簿 项目!T2 单元格）"


def test_a_form_without_a_unit_name_goes_with_the_unit_that_prints_its_executor():
    files = [
        FormFile(Path("a/1-自评表.docx"), None, ("某中心",), 2023),
        FormFile(Path("a/1-申报表.docx"), "某局", ("某中心",), 2023),
        FormFile(Path("b/2-自评表.docx"), None, ("另一中心",), 2023),
        FormFile(Path("a/3-自评表.docx"), None, ("某中心",), 2022),
    ]
    groups = group(files)
    assert [(g.unit, g.year, [str(f) for f in g.files]) for g in groups] == [
        ("某局", 2023, ["a/1-自评表.docx", "a/1-申报表.docx"]),
        ("另一中心", 2023, ["b/2-自评表.docx"]),
        ("某中心", 2022, ["a/3-自评表.docx"]),
    ]


def test_a_group_of_files_named_relative_and_absolute_is_labelled_without_error():
    forms = Forms((Path("收到/甲/1.docx"), Path("/srv/收到/甲/2.docx")), "某局", 2023)
    assert str(forms) == "收到/甲（某局 2023 年度的表单，2 个文件）"
    assert forms.listing() == ["表单文件 2 个：1.docx、/srv/收到/甲/2.docx"]
    assert Forms((Path("a/1.docx"),), "某局", 2023).label == Path("a/1.docx")
