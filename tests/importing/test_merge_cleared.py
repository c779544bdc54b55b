"""`docgen import FORM --merge UNIT`: a value cleared on the form is cleared in the unit
file (three-way: the last render printed it); a field the form does not print is never
cleared; 主管部门/实施单位 are written back where the value lives (the project, or the
unit's default)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.api import RenderOptions, render_file
from docgen.build.record import MANIFEST_NAME
from docgen.inputs.loader import load_file
from tests.importing.test_merge_formats import ROOT, indicator, merged, project1, rendered, type_into, unit_file

DEVIATION, ACHIEVED = "I14", "F11"  # project 1's 自评表: 完成研究课题个数's 偏差原因, the 实际完成情况
PATH = ("projects", 0, "indicators", 1, "deviation")
TWO_FORMS = ROOT / "data" / "examples" / "one-project-two-forms.yaml"


def clear(form: Path, *refs: str) -> None:
    wb = load_workbook(form)
    for ref in refs:
        wb.active[ref].value = None
    wb.save(form)


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_a_value_cleared_on_the_form_is_cleared_in_the_unit_file(tmp_path, fmt):
    unit, form = rendered(tmp_path, fmt)
    before = load_file(unit)
    styles = {c.coordinate: c.style_id for row in load_workbook(unit)["指标"].iter_rows() for c in row} if fmt == "xlsx" else {}
    deviation = indicator(unit)["deviation"]
    assert deviation.startswith("课题为跨越年项目") and project1(unit)["evaluation"]["achieved"].startswith("1、预算执行")
    clear(form, DEVIATION, ACHIEVED)
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"    偏差原因分析及改进措施：{deviation} → （空）" in lines
    assert "[错误] 指标「完成研究课题个数」：得分 6 低于分值 10，但未填写偏差原因分析及改进措施" in result.output
    after = load_file(unit)
    assert "deviation" not in after.data["projects"][0]["indicators"][1]
    assert "achieved" not in after.data["projects"][0]["evaluation"]
    want = json.loads(json.dumps(before.data, default=str))
    del want["projects"][0]["indicators"][1]["deviation"], want["projects"][0]["evaluation"]["achieved"]
    assert json.loads(json.dumps(after.data, default=str)) == want  # nothing else changed
    if fmt == "xlsx":
        sheet, cell = str(before.lines[PATH]).split("!")
        wb = load_workbook(unit)
        assert wb[sheet][cell].value is None
        assert {c.coordinate: c.style_id for row in wb["指标"].iter_rows() for c in row} == styles  # the cell keeps its style


def test_a_cleared_value_in_yaml_removes_only_its_lines(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    text = unit.read_text(encoding="utf-8")
    clear(form, DEVIATION)
    assert merged(form, unit).exit_code == 0
    gone = '        deviation: "课题为跨越年项目，目前2个课题初稿已完成，下一步加大推进课题的进度，及时做好评估验收工作"\n'
    assert text.count(gone) == 1
    assert unit.read_text(encoding="utf-8") == text.replace(gone, "")


def test_a_field_the_form_does_not_print_is_not_cleared(tmp_path):
    unit = unit_file(tmp_path, "yaml", TWO_FORMS.read_text(encoding="utf-8"))
    render_file(unit, tmp_path / "out", options=RenderOptions(layout=False, book=False, formats=("xlsx",), jobs=1))
    evaluation = next((tmp_path / "out").glob("*/*/*自评表.xlsx"))
    before = load_file(unit).data
    declaration = before["projects"][0]["declaration"]
    assert declaration and before["projects"][0]["indicators"][0].get("target")
    wb = load_workbook(evaluation)
    achieved = next(c for row in wb.active.iter_rows() for c in row if c.value == "实际完成情况")
    cell = wb.active.cell(achieved.row + 1, achieved.column)
    assert cell.value
    cell.value = None
    wb.save(evaluation)
    result = merged(evaluation, unit)
    assert result.exit_code == 0, result.output
    after = load_file(unit).data
    assert after["projects"][0]["declaration"] == declaration  # the 申报表's fields: not on this form
    assert "achieved" not in after["projects"][0]["evaluation"]
    assert [i.get("target") for i in after["projects"][0]["indicators"]] == [i.get("target") for i in before["projects"][0]["indicators"]]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_an_unedited_form_clears_nothing(tmp_path, suffix):
    unit = unit_file(tmp_path, "yaml", TWO_FORMS.read_text(encoding="utf-8"))
    render_file(unit, tmp_path / "out", options=RenderOptions(layout=False, book=False, formats=(suffix[1:],), jobs=1))
    before = unit.read_bytes()
    forms = sorted((tmp_path / "out").glob(f"*/*/*{suffix}"))
    assert len(forms) == 2
    for form in forms:
        result = merged(form, unit)
        assert result.exit_code == 0 and f"未写入：{unit} 已包含表单中的全部修改" in result.output, result.output
    assert unit.read_bytes() == before


@pytest.mark.parametrize("fmt, where", [("yaml", "unit.yaml:27"), ("xlsx", "unit.xlsx:指标!J3")])
def test_cleared_on_the_form_and_changed_in_the_file_is_a_conflict(tmp_path, fmt, where):
    unit, form = rendered(tmp_path, fmt)
    old = indicator(unit)["deviation"]
    if fmt == "yaml":
        text = unit.read_text(encoding="utf-8")
        unit.write_text(text.replace(old, "课题延期"), encoding="utf-8")
    else:
        from docgen.inputs.importing.write_back import CellWrite, workbook_bytes

        sheet, cell = str(load_file(unit).lines[PATH]).split("!")
        assert f"{sheet}!{cell}" == where.split(":")[1]
        unit.write_bytes(workbook_bytes(unit.read_bytes(), [CellWrite(sheet, cell, "课题延期", "text")], unit))
    clear(form, DEVIATION)
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert "  项目「残疾人权益保障经费」指标「完成研究课题个数」偏差原因分析及改进措施：上次生成为「" + old + "」" in lines
    assert f"    数据文件 {tmp_path / where}：「课题延期」" in lines
    assert f"    表单 {form}:自评表!{DEVIATION}：「（空）」" in lines
    assert unit.read_bytes() == before
    assert merged(form, unit, "--theirs").exit_code == 0
    assert "deviation" not in indicator(unit)


def test_without_a_record_a_blank_clears_nothing(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    (form.parent / MANIFEST_NAME).unlink()
    clear(form, DEVIATION)
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert unit.read_bytes() == before


# ------------------------------------------------------------------ 主管部门 / 实施单位


def test_a_department_shared_by_other_projects_is_written_into_the_project(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    text = unit.read_text(encoding="utf-8")
    type_into(form, B4="上海市民政局")
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  主管部门：（空） → 上海市民政局" in lines
    assert any(
        line.startswith(
            "说明：项目「残疾人权益保障经费」主管部门（数据文件中写在单位上，是 6 个项目共用的默认值）：表单为「上海市民政局」，写入该项目（department:）；"
        )
        and "仍用于其他 5 个项目" in line
        for line in lines
    )
    data = load_file(unit).data
    assert data["department"] == "上海市残疾人联合会"
    assert data["projects"][0]["department"] == "上海市民政局"
    assert all("department" not in p for p in data["projects"][1:])
    new = unit.read_text(encoding="utf-8").splitlines()
    assert [line for line in new if line not in text.splitlines()] == ["    department: 上海市民政局"]


def test_a_department_only_one_project_uses_is_written_into_the_unit(tmp_path):
    unit = unit_file(tmp_path, "yaml", TWO_FORMS.read_text(encoding="utf-8"))
    render_file(unit, tmp_path / "out", options=RenderOptions(layout=False, book=False, formats=("xlsx",), jobs=1))
    form = next((tmp_path / "out").glob("*/*/*自评表.xlsx"))
    wb = load_workbook(form)
    cell = next(c for row in wb.active.iter_rows() for c in row if c.value == "上海市公安局")
    type_into(form, **{cell.coordinate: "上海市公安局交通管理局"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert (
        "说明：项目「交换平台运行费」主管部门（数据文件中写在单位上，是所有项目共用的默认值）：表单为「上海市公安局交通管理局」，写入单位的默认主管部门（department:）"
        in (result.output.splitlines())
    )
    data = load_file(unit).data
    assert data["department"] == "上海市公安局交通管理局" and "department" not in data["projects"][0]


def test_a_project_with_its_own_department_keeps_it_there(tmp_path):
    text = (ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("  - name: 残疾人权益保障经费\n", "  - name: 残疾人权益保障经费\n    department: 上海市民政局\n", 1)
    unit, form = rendered(tmp_path, "yaml", text)
    type_into(form, B4="上海市财政局")
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert "  主管部门：上海市民政局 → 上海市财政局" in result.output.splitlines()
    data = load_file(unit).data
    assert data["projects"][0]["department"] == "上海市财政局" and data["department"] == "上海市残疾人联合会"


def test_a_unit_default_changed_in_the_file_and_on_the_form_is_a_conflict(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("department: 上海市残疾人联合会", "department: 上海市卫健委", 1), encoding="utf-8")
    type_into(form, B4="上海市民政局")
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert "  项目「残疾人权益保障经费」主管部门（数据文件中写在单位上，是 6 个项目共用的默认值）：上次生成为「上海市残疾人联合会」" in lines
    assert f"    数据文件 {unit}:4：「上海市卫健委」" in lines
    assert f"    表单 {form}:自评表!B4：「上海市民政局」" in lines
    assert unit.read_bytes() == before
