"""`docgen import EDITED --merge UNIT`: hand edits back into the unit file, in place."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
runner = CliRunner()


def _rendered(tmp_path: Path) -> tuple[Path, Path]:
    unit = tmp_path / "unit.yaml"
    shutil.copy(EXAMPLE, unit)
    assert runner.invoke(app, ["render", str(unit), "-o", str(tmp_path / "out"), "--no-layout"]).exit_code == 1
    return unit, next((tmp_path / "out").glob("*/*"))


def test_an_edit_in_excel_is_merged_in_place_and_the_render_proceeds(tmp_path):
    unit, folder = _rendered(tmp_path)
    form = next(folder.glob("1-*.xlsx"))
    wb = load_workbook(form)
    next(c for row in wb.active.iter_rows() for c in row if c.value == "1.6").value = "2"
    wb.save(form)
    before = unit.read_text(encoding="utf-8")
    result = runner.invoke(app, ["render", str(unit), "-o", str(tmp_path / "out"), "--no-layout"])
    assert result.exit_code == 1  # data unchanged: the edit is kept, not overwritten
    assert unit.read_text(encoding="utf-8") == before

    result = runner.invoke(app, ["import", str(form), "--merge", str(unit)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "    实际完成值：1.6 → 2" in lines and "    规则计算得分：8 → 10" in lines
    after = unit.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [('        actual: "1.6"', '        actual: "2"')]  # one line: comments, quotes, order kept
    assert len(after.splitlines()) == len(before.splitlines())

    result = runner.invoke(app, ["render", str(unit), "-o", str(tmp_path / "out"), "--no-layout"])
    assert result.exit_code == 1, result.output  # no refusal (3): the edit is in the data now
    assert f"更新：{form}" in result.output.splitlines()


def test_a_goal_rewritten_in_word_keeps_its_block_style(tmp_path):
    unit, folder = _rendered(tmp_path)
    form = next(folder.glob("2-*.docx"))
    doc = Document(str(form))
    table = doc.tables[0]
    goal = table.rows[[r.cells[1].text for r in table.rows].index("预期目标") + 1].cells[1]
    goal.paragraphs[0].runs[0].text = "改写后的预期目标。"
    for run in goal.paragraphs[0].runs[1:]:
        run.text = ""
    for p in goal.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    doc.save(str(form))
    result = runner.invoke(app, ["import", str(form), "--merge", str(unit)])
    assert result.exit_code == 0, result.output
    assert "  年度总体目标（自评表：预期目标）：" in result.output
    text = unit.read_text(encoding="utf-8")
    assert "    annual_goal: |-\n      改写后的预期目标。\n    indicators:" in text


def test_a_project_the_unit_file_does_not_have(tmp_path):
    unit, folder = _rendered(tmp_path)
    form = next(folder.glob("1-*.docx"))
    other = tmp_path / "other.yaml"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("残疾人权益保障经费", "另一个项目"), encoding="utf-8")
    before = other.read_bytes()
    result = runner.invoke(app, ["import", str(form), "--merge", str(other)])
    assert result.exit_code == 2 and "数据文件中没有项目「残疾人权益保障经费」" in result.output
    assert other.read_bytes() == before
