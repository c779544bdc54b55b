"""The writers of `--merge`: a changed value replaced in its own style, nothing else touched."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.inputs.importing.write_back import CellWrite, Edits, json_text, workbook_bytes, yaml_text
from docgen.parse.load import load_text

P = ("projects", 0, "indicators", 0)
HEAD = "unit: 甲  # 单位\nyear: 2022\nprojects:\n  - name: 项目\n    indicators:\n      - name: 指标\n"


def edits(path, value, kind="text") -> Edits:
    return Edits(values={path: value}, kinds={path: kind})


@pytest.mark.parametrize(
    "line, path, value, kind, new",
    [
        ("        score: 6\n", P + ("score",), "8", "number", "        score: 8\n"),
        ("        score: 6.50  # 得分\n", P + ("score",), "7.25", "number", "        score: 7.25  # 得分\n"),
        ('        actual: "1.6"\n', P + ("actual",), "2", "text", '        actual: "2"\n'),
        ("        actual: '1.6'\n", P + ("actual",), "it's", "text", "        actual: 'it''s'\n"),
        ("        actual: 及时\n", P + ("actual",), "不及时", "text", "        actual: 不及时\n"),
        ("        actual: 及时\n", P + ("actual",), "=100%", "text", '        actual: "=100%"\n'),
        ("        actual: 及时\n", P + ("actual",), "a: b", "text", '        actual: "a: b"\n'),
        ("        actual: 及时\n", P + ("actual",), "甲\x85乙\u2028丙\u2029", "text", '        actual: "甲\\N乙\\L丙\\P"\n'),
        (
            "        deviation: |\n          第一行\n          第二行\n",
            P + ("deviation",),
            "新一行\n新二行",
            "text",
            "        deviation: |-\n          新一行\n          新二行\n",
        ),
    ],
)
def test_a_yaml_scalar_keeps_its_style(line, path, value, kind, new):
    text = HEAD + "        level1: 产出指标\n" + line + "        weight: 10  # 分值\n"
    out = yaml_text(text, edits(path, value, kind), Path("u.yaml"))
    assert out == text.replace(line, new)
    data = load_text(out, Path("u.yaml")).data
    got = data["projects"][0]["indicators"][0][path[-1]]
    assert str(got) == value if kind == "text" else got == type(got)(value)


def test_a_yaml_date_stays_a_date():
    text = "unit: 甲\nyear: 2022\nprojects:\n  - name: 项目\n    declaration:\n      start: 2022-01-01  # 开始\n"
    out = yaml_text(text, edits(("projects", 0, "declaration", "start"), "2022-03-01", "date"), Path("u.yaml"))
    assert out == text.replace("2022-01-01", "2022-03-01")
    assert load_text(out, Path("u.yaml")).data["projects"][0]["declaration"]["start"] == date(2022, 3, 1)


def test_a_yaml_key_the_file_lacks_goes_in_schema_order_and_the_rest_stays():
    text = HEAD + '        level1: 产出指标  # 一级\n        target: "=2个"\n        actual: "1.6"\n'
    out = yaml_text(text, edits(P + ("evaluated_target",), "=3个"), Path("u.yaml"))
    assert out == text.replace('        actual: "1.6"\n', '        evaluated_target: "=3个"\n        actual: "1.6"\n')


JSON = '{\n  "unit": "甲",\n  "year": 2022,\n  "projects": [\n    {\n      "name": "项目",\n      "indicators": [\n        {\n          "name": "指标",\n          "score": 6,\n          "actual": "1.6"\n        }\n      ]\n    }\n  ]\n}\n'


@pytest.mark.parametrize(
    "path, value, kind, old, new",
    [
        (P + ("score",), "8", "number", '"score": 6,', '"score": 8,'),
        (P + ("score",), "7.5", "number", '"score": 6,', '"score": 7.5,'),
        (P + ("actual",), "=100%\u2028", "text", '"actual": "1.6"', '"actual": "=100%\u2028"'),
        (P + ("actual",), None, "text", ',\n          "actual": "1.6"', ""),
        (P + ("deviation",), "说明", "text", '"actual": "1.6"', '"actual": "1.6",\n          "deviation": "说明"'),
    ],
)
def test_json_changes_only_the_values_text(path, value, kind, old, new):
    out = json_text(JSON, edits(path, value, kind), Path("u.json"))
    assert out == JSON.replace(old, new)
    got = load_text(out, Path("u.json")).data["projects"][0]["indicators"][0]
    assert got.get(path[-1]) == (None if value is None else (int(value) if value == "8" else value if kind == "text" else got[path[-1]]))


def test_json_rows_added_and_removed_in_the_files_indentation():
    row = {"name": "新指标", "weight": 5}
    out = json_text(JSON, Edits(added=[(("projects", 0, "indicators"), None, row)]), Path("u.json"))
    assert out == JSON.replace(
        '"actual": "1.6"\n        }\n', '"actual": "1.6"\n        },\n        {\n          "name": "新指标",\n          "weight": 5\n        }\n'
    )
    gone = json_text(out, Edits(removed=[("projects", 0, "indicators", 0)]), Path("u.json"))
    assert load_text(gone, Path("u.json")).data["projects"][0]["indicators"] == [row]


def _book() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    ws["A1"], ws["B1"], ws["C1"] = "三级指标", "得分", "指标值"
    ws["A2"], ws["B2"], ws["C2"] = "甲", 6, "=2个"
    ws["C2"].data_type = "s"
    ws["B2"].number_format = "0.00"
    ws.column_dimensions["A"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "write, value, data_type",
    [
        (CellWrite("指标", "B2", "8", "number"), 8, "n"),
        (CellWrite("指标", "B2", "96.41%", "percent"), 0.9641, "n"),
        (CellWrite("指标", "C2", "=3个", "text"), "=3个", "s"),
        (CellWrite("指标", "C2", "a & <b>", "text"), "a & <b>", "s"),
        (CellWrite("指标", "D2", "新", "text"), "新", "s"),  # a cell the row did not have
        (CellWrite("指标", "A5", "新行", "text", "A2"), "新行", "s"),  # a row the sheet did not have, styled as A2
        (CellWrite("指标", "B2", None, "number"), None, "n"),
    ],
)
def test_a_workbook_cell_is_rewritten_in_place(write, value, data_type):
    before = _book()
    after = workbook_bytes(before, [write], Path("u.xlsx"))
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    assert [n for n in old.namelist() if old.read(n) != new.read(n)] == ["xl/worksheets/sheet1.xml"]
    wb = load_workbook(io.BytesIO(after))
    cell = wb["指标"][write.ref]
    assert (cell.value, cell.data_type) == (value, data_type)
    if write.ref == "B2":
        assert cell.number_format == "0.00"  # the cell's own style kept
    others = {c.coordinate: c.value for row in load_workbook(io.BytesIO(before))["指标"].iter_rows() for c in row if c.coordinate != write.ref}
    assert {k: wb["指标"][k].value for k in others} == others
    assert wb["指标"].column_dimensions["A"].width == 30


# ------------------------------------------------------------------ YAML rows and keys as text

TRICKY = """# 单位数据
unit: 甲单位
year: 2022
department: '乙部门'   # 单引号

projects:
  # 第一个项目
  - name: 项目一
    code: "P-1"
    indicators:
    - {level1: 产出指标, level2: 数量指标, name: 甲, target: "=1个", weight: 10}
    - level1: 产出指标   # 行内注释
      level2: 质量指标
      name: 乙
      target: '≥95%'
      weight: 20

    - level1: 效益指标
      level2: 社会效益指标
      name: 丙
      target: 好
      weight: 30
  - name: 项目二
    indicators: [{level1: 产出指标, level2: 数量指标, name: 丁, target: "=1", weight: 10}]
    annual_goal: >-
      折叠的
      目标
"""
ROW = {"level1": "产出指标", "level2": "时效指标", "name": "新", "target": "=100%", "weight": 5}
NEW_ROW = ["      - level1: 产出指标", "        level2: 时效指标", "        name: 新", '        target: "=100%"', "        weight: 5"]
LINES = TRICKY.splitlines()


def _lines_of(edits: Edits) -> list[str]:
    out = yaml_text(TRICKY, edits, Path("u.yaml"))
    want = load_text(TRICKY, Path("u.yaml")).data
    from docgen.inputs.importing.write_back import expected, same_data

    assert same_data(load_text(out, Path("u.yaml")).data, expected(want, edits))
    return out.splitlines()


def test_a_removed_row_takes_only_its_lines():
    assert _lines_of(Edits(removed=[("projects", 0, "indicators", 1)])) == LINES[:11] + LINES[16:]
    assert _lines_of(Edits(removed=[("projects", 0, "indicators", 0)])) == LINES[:10] + LINES[11:]  # a flow-style row
    assert _lines_of(Edits(removed=[("projects", 0)])) == LINES[:7] + LINES[22:]


def test_an_added_row_goes_between_its_neighbours_in_the_lists_indentation():
    row = [line[2:] for line in NEW_ROW]  # this list's dashes are at its key's column
    assert _lines_of(Edits(added=[(("projects", 0, "indicators"), 1, ROW)])) == LINES[:11] + row + LINES[11:]
    assert _lines_of(Edits(added=[(("projects", 0, "indicators"), None, ROW)])) == LINES[:22] + row + LINES[22:]
    added = _lines_of(Edits(added=[(("projects",), None, {"name": "项目三", "indicators": [ROW]})]))
    assert added[: len(LINES)] == LINES and added[len(LINES) :] == ["  - name: 项目三", "    indicators:", *NEW_ROW]


def test_rows_removed_and_added_together_keep_every_other_line():
    edits = Edits(removed=[("projects", 0, "indicators", 1)], added=[(("projects", 0, "indicators"), 2, ROW)])
    assert _lines_of(edits) == LINES[:11] + [line[2:] for line in NEW_ROW] + LINES[16:]  # where the removed row was


def test_a_key_removed_or_added_changes_only_its_line():
    assert _lines_of(Edits(values={("projects", 0, "code"): None})) == LINES[:8] + LINES[9:]
    added = Edits(values={("projects", 1, "code"): "P-2"}, kinds={("projects", 1, "code"): "text"})
    assert _lines_of(added) == LINES[:23] + ["    code: P-2"] + LINES[23:]
    actual = Edits(values={("projects", 0, "indicators", 2, "actual"): "很好"})
    assert _lines_of(actual) == LINES[:21] + ["      actual: 很好"] + LINES[21:]
    goal = Edits(values={("projects", 1, "annual_goal"): None})
    assert _lines_of(goal) == LINES[:24]
