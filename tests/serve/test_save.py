"""Saving: only the changed values written, comments kept; a file changed on disk is
never overwritten; a draft journal restores the page after the server dies; a
data-entry workbook has only its changed cells rewritten (the writer of import --merge)."""

from __future__ import annotations

import copy
import difflib
import io
import json
import os
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.inputs.loader import load_file
from docgen.serve.save import SaveConflict, SaveRefused, Stamp, save_unit, unit_edits

from .conftest import EXAMPLES, Client

UNIT = "one-project-two-forms.yaml"


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_saving_changes_only_the_edited_lines(client: Client) -> None:
    uid = client.uid(UNIT)
    path = client.folder / UNIT
    before = path.read_text("utf-8")
    form = client.form(uid)
    form["projects.0.indicators.0.target"] = "≥95%"
    form["projects.0.indicators.1.actual"] = "99.5%"
    response = client.post(f"/u/{uid}/save", form)
    assert response.status_code == 200 and "已保存：one-project-two-forms.yaml" in response.text
    after = path.read_text("utf-8")
    assert changed_lines(before, after) == [
        '-        target: "=100.00(%)"',
        '+        target: "≥95%"',
        '-        actual: "100%"',
        '+        actual: "99.5%"',
    ]
    assert after.startswith("# One project record, two forms")  # comments kept
    assert "indicators:                      # declared targets, reused by the 自评表" in after
    data = load_file(path).data
    assert data["projects"][0]["indicators"][0]["target"] == "≥95%"
    assert not (client.folder / ".docgen-drafts" / f"{uid}.json").exists()
    assert [p.name for p in client.folder.iterdir() if p.name.startswith(".")] in ([], [".docgen-drafts"])


def test_a_file_changed_on_disk_is_not_overwritten(client: Client) -> None:
    uid = client.uid(UNIT)
    path = client.folder / UNIT
    form = client.form(uid)  # opened
    changed_elsewhere = path.read_text("utf-8").replace("交换平台运行费", "交换平台运行费（Excel 中改）", 1)
    path.write_text(changed_elsewhere, "utf-8")
    form["projects.0.indicators.0.target"] = "≥95%"
    response = client.post(f"/u/{uid}/save", form)
    assert response.status_code == 409
    assert "one-project-two-forms.yaml 在打开后已被修改（Excel、另一个标签页或 docgen import --merge）：未保存" in response.text
    assert "本页的修改仍保存在草稿中，不会丢失" in response.text
    assert path.read_text("utf-8") == changed_elsewhere
    draft = json.loads((client.folder / ".docgen-drafts" / f"{uid}.json").read_text("utf-8"))
    assert draft["data"]["projects"][0]["indicators"][0]["target"] == "≥95%"


def test_nothing_is_lost_when_the_server_dies(folder: Path) -> None:
    first = Client(folder)
    uid = first.uid(UNIT)
    first.form(uid)
    typed = {"projects.0.indicators.0.target": "≥97%", "csrf": first.guard.csrf}
    first.post(f"/u/{uid}/check", typed)  # the journal is written once the answer has gone
    del first  # the server is gone, nothing saved
    assert load_file(folder / UNIT).data["projects"][0]["indicators"][0]["target"] == "=100.00(%)"
    again = Client(folder)
    page = again.http.get(f"/u/{uid}").text
    assert "已恢复上次未保存的修改（草稿）" in page
    assert 'value="≥97%"' in page
    listing = again.http.get("/").text
    assert "有未保存的修改" in listing
    # Discarding the draft reads the file again
    assert again.post(f"/u/{uid}/discard", {}).status_code == 303
    assert 'value="=100.00(%)"' in again.http.get(f"/u/{uid}").text
    assert not (folder / ".docgen-drafts" / f"{uid}.json").exists()


def test_a_draft_of_a_file_changed_since_shows_the_conflict(folder: Path) -> None:
    first = Client(folder)
    uid = first.uid(UNIT)
    first.form(uid)
    first.post(f"/u/{uid}/check", {"projects.0.indicators.0.target": "≥97%", "csrf": first.guard.csrf})
    path = folder / UNIT
    path.write_text(path.read_text("utf-8") + "# changed by someone else\n", "utf-8")
    again = Client(folder)
    form = again.form(uid)
    response = again.post(f"/u/{uid}/save", form)
    assert response.status_code == 409 and "在打开后已被修改" in response.text
    assert path.read_text("utf-8").endswith("# changed by someone else\n")


def test_a_workbook_is_saved_in_place_and_can_be_saved_as_yaml(client: Client) -> None:
    from docgen.build.workbook import unit_workbook

    book = client.folder / "本单位.xlsx"
    book.write_bytes(unit_workbook(client.folder / UNIT))
    uid = client.uid(book.name)
    form = client.form(uid)
    form["projects.0.indicators.1.actual"] = "99.5%"
    response = client.post(f"/u/{uid}/save", form)
    assert response.status_code == 200 and "已保存：本单位.xlsx" in response.text
    assert load_file(book).data["projects"][0]["indicators"][1]["actual"] == "99.5%"
    response = client.post(f"/u/{uid}/saveas", form)
    assert "已另存为：本单位.yaml" in response.text
    assert load_file(client.folder / "本单位.yaml").data["projects"][0]["name"] == load_file(book).data["projects"][0]["name"]


def test_json_keeps_its_order_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_text('{\n    "unit": "某单位",\n    "year": 2023,\n    "projects": [{"name": "甲", "indicators": [{"weight": 10.50}]}]\n}\n', "utf-8")
    old = load_file(path).data
    new = json.loads(json.dumps(old, default=str))
    new["year"] = 2024
    new["projects"][0]["indicators"][0]["weight"] = Decimal("12.50")
    stamp = save_unit(path, old, new, Stamp.of(path))
    text = path.read_text("utf-8")
    assert '    "unit": "某单位",\n    "year": 2024,' in text and '"weight": 12.50' in text
    assert stamp == Stamp.of(path)


def test_the_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / UNIT
    shutil.copy(EXAMPLES / UNIT, path)
    os.chmod(path, 0o640)
    old = load_file(path).data
    new = load_file(path).data
    new["year"] = 2024
    inode = path.stat().st_ino
    save_unit(path, old, new, Stamp.of(path))
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == [UNIT]
    with pytest.raises(SaveConflict):
        save_unit(path, old, new, Stamp(0, 0, "0" * 64))


def test_save_unit_refuses_a_printed_form_saved_as_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "a.xlsx"
    wb = Workbook()
    wb.active["A1"] = "项目支出绩效目标申报表"
    wb.save(path)
    with pytest.raises(SaveRefused):
        save_unit(path, {}, {"unit": "某单位"}, Stamp.of(path))


@pytest.mark.parametrize(
    "source, new, expected",
    [
        ("a: 1  # one\nb: x\n", {"a": 2, "b": "x"}, "a: 2  # one\nb: x\n"),
        ("a: 1\n", {"a": 1, "c": "=100%"}, 'a: 1\nc: "=100%"\n'),
        ("list:\n  - x: 1   # first\n  - x: 2\n", {"list": [{"x": 2}, {"x": 1}]}, "list:\n  - x: 2\n  - x: 1   # first\n"),  # a row's comment moves with it
        ("list:\n  - x: 1\n", {"list": [{"x": 1}, {"x": 3}]}, "list:\n  - x: 1\n  - x: 3\n"),
        ("a: 1\nb: 2  # gone\nc: 3\n", {"a": 1, "c": 3}, "a: 1\nc: 3\n"),
    ],
)
def test_yaml_round_trip(tmp_path: Path, source: str, new: dict, expected: str) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(source, "utf-8")
    save_unit(path, load_file(path).data, new, Stamp.of(path))
    assert path.read_text("utf-8") == expected


def _indicators(data: dict) -> list[dict]:
    return data["projects"][0]["indicators"]


def test_the_edits_between_two_versions_of_the_data() -> None:
    old = load_file(EXAMPLES / UNIT).data
    new = copy.deepcopy(old)
    _indicators(new)[0]["actual"] = "99%"
    del _indicators(new)[1]["weight"]
    added = {"level1": "产出指标", "level2": "数量指标", "name": "新增指标", "target": "=1个", "weight": 5}
    _indicators(new).insert(3, added)
    del _indicators(new)[5]  # 长效管理机制健全性
    edits = unit_edits(old, new)
    assert edits.values == {("projects", 0, "indicators", 0, "actual"): "99%", ("projects", 0, "indicators", 1, "weight"): None}
    assert edits.added == [(("projects", 0, "indicators"), 3, added)]
    assert edits.removed == [("projects", 0, "indicators", 4)]
    assert unit_edits(old, copy.deepcopy(old)).empty


def test_an_indicator_added_and_one_removed_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / UNIT
    shutil.copy(EXAMPLES / UNIT, path)
    before = path.read_text("utf-8")
    old = load_file(path).data
    new = copy.deepcopy(old)
    removed = _indicators(new).pop(4)["name"]
    _indicators(new).append({"level1": "产出指标", "level2": "数量指标", "name": "新增指标", "target": "=1个", "weight": 5})
    save_unit(path, old, new, Stamp.of(path))
    after = path.read_text("utf-8")
    names = [i["name"] for i in _indicators(load_file(path).data)]
    assert removed not in names and names[-1] == "新增指标" and len(names) == len(_indicators(old))
    assert after.startswith("# One project record, two forms")  # comments kept
    assert "indicators:                      # declared targets, reused by the 自评表" in after
    gone = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if line[:1] == "-" and line[:3] != "---"]
    assert gone[:7] == [
        "-      - level1: 效益指标",
        "-        level2: 可持续影响指标",
        f"-        name: {removed}",
        '-        target: "稳定"',
        '-        evaluated_target: "健全"       # the 自评表 prints and scores this instead of 稳定',
        '-        actual: "健全"',
        "-        weight: 15",
    ]
    assert "      - level1: 产出指标\n        level2: 数量指标\n        name: 新增指标\n" in after


def test_json_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    data = load_file(EXAMPLES / UNIT).data
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    before = path.read_text("utf-8")
    old = load_file(path).data
    new = copy.deepcopy(old)
    _indicators(new)[1]["actual"] = "99.5%"
    save_unit(path, old, new, Stamp.of(path))
    assert path.read_text("utf-8") == before.replace('"actual": "100%",\n          "weight": 15', '"actual": "99.5%",\n          "weight": 15', 1)


def _book(tmp_path: Path) -> Path:
    from docgen.build.workbook import unit_workbook

    path = tmp_path / "本单位.xlsx"
    path.write_bytes(unit_workbook(EXAMPLES / UNIT))
    return path


def _cells(wb) -> dict:
    return {(ws.title, c.coordinate): (c.value, c.data_type, c.style_id, c.number_format) for ws in wb for row in ws.iter_rows() for c in row}


def _furniture(wb) -> dict:
    return {
        ws.title: (
            sorted((dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment},
            {k: d.width for k, d in ws.column_dimensions.items()},
            ws.freeze_panes,
            ws.sheet_state,
        )
        for ws in wb
    }


def test_a_workbook_save_changes_only_the_edited_cells(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _book(tmp_path)
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    _indicators(new)[1]["actual"] = "99.5%"
    _indicators(new)[0]["weight"] = 25
    save_unit(path, old, new, Stamp.of(path))
    after = path.read_bytes()
    a_zip, b_zip = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    assert a_zip.namelist() == b_zip.namelist()
    assert len([n for n in a_zip.namelist() if a_zip.read(n) != b_zip.read(n)]) == 1  # the 指标 sheet only
    a, b = load_workbook(io.BytesIO(before)), load_workbook(io.BytesIO(after))
    assert _furniture(a) == _furniture(b)
    cells_a, cells_b = _cells(a), _cells(b)
    differ = sorted(k for k in cells_a.keys() | cells_b.keys() if cells_a.get(k) != cells_b.get(k))
    assert len(differ) == 2 and {k[0] for k in differ} == {"指标"}
    assert {cells_b[k][0] for k in differ} == {"99.5%", 25}
    assert all(cells_a[k][2:] == cells_b[k][2:] for k in differ)  # their styles kept
    data = load_file(path).data
    assert _indicators(data)[1]["actual"] == "99.5%" and _indicators(data)[0]["weight"] == 25


def test_an_indicator_added_and_one_removed_in_a_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _book(tmp_path)
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    removed = _indicators(new).pop(2)["name"]
    _indicators(new).append({"level1": "产出指标", "level2": "数量指标", "name": "新增指标", "target": "=1个", "weight": 5})
    save_unit(path, old, new, Stamp.of(path))
    names = [i["name"] for i in _indicators(load_file(path).data)]
    assert removed not in names and names[-1] == "新增指标" and len(names) == len(_indicators(old))
    a, b = load_workbook(io.BytesIO(before)), load_workbook(io.BytesIO(path.read_bytes()))
    assert _furniture(a) == _furniture(b)
    cells_a, cells_b = _cells(a), _cells(b)
    assert {k[0] for k in cells_a.keys() | cells_b.keys() if cells_a.get(k) != cells_b.get(k)} == {"指标"}


def test_a_workbook_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = _book(tmp_path)
    stamp = Stamp.of(path)
    old = load_file(path).data
    new = copy.deepcopy(old)
    _indicators(new)[1]["actual"] = "99.5%"
    changed = path.read_bytes() + b"\0"  # saved again in Excel, say
    path.write_bytes(changed)
    with pytest.raises(SaveConflict):
        save_unit(path, old, new, stamp)
    assert path.read_bytes() == changed


def test_an_indicator_moved_in_a_workbook_keeps_the_order_of_the_page(tmp_path: Path) -> None:
    path = _book(tmp_path)
    old = load_file(path).data
    new = copy.deepcopy(old)
    _indicators(new).insert(3, _indicators(new).pop(0))
    del _indicators(new)[1]
    save_unit(path, old, new, Stamp.of(path))
    assert [i["name"] for i in _indicators(load_file(path).data)] == [i["name"] for i in _indicators(new)]


def _book_of(tmp_path: Path, example: str = "shanghai-dpf-2022.yaml") -> Path:
    from docgen.build.workbook import unit_workbook

    path = tmp_path / "本单位.xlsx"
    path.write_bytes(unit_workbook(EXAMPLES / example))
    return path


def _row(ws, r: int) -> list:
    return [(c.value, c.style_id, c.number_format) for c in ws[r]]


def test_a_project_added_to_a_workbook_gets_its_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _book_of(tmp_path)
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    added = copy.deepcopy(new["projects"][1])
    added.update(name="新项目", code="X-1", department="上海市民政局", indicators=added["indicators"][:2])
    added["indicators"][1]["actual"] = "=100%"
    new["projects"].append(added)
    save_unit(path, old, new, Stamp.of(path))
    data = load_file(path).data
    assert [p["name"] for p in data["projects"]] == [p["name"] for p in old["projects"]] + ["新项目"]
    assert data["projects"][:6] == old["projects"]  # the others as they were
    assert data["projects"][6]["department"] == "上海市民政局" and data["projects"][6]["code"] == "X-1"
    assert data["projects"][6]["indicators"] == added["indicators"]
    a, b = load_workbook(io.BytesIO(before)), load_workbook(path)
    assert [len(ws.data_validations.dataValidation) for ws in a] == [len(ws.data_validations.dataValidation) for ws in b]
    assert _furniture(a)["指标"] == _furniture(b)["指标"] and _furniture(a)["单位"] == _furniture(b)["单位"]
    notes = {c.coordinate: c.comment.text for row in a["项目"].iter_rows() for c in row if c.comment}
    assert notes and {c.coordinate: c.comment.text for row in b["项目"].iter_rows() for c in row if c.comment} == notes
    projects, indicators = b["项目"], b["指标"]
    headers = [c.value for c in projects[1]]
    assert headers[: a["项目"].max_column] == [c.value for c in a["项目"][1]] and headers[-1] == "主管部门"  # a column added at the end
    row = [(c.value, c.style_id, c.number_format) for c in projects[8]]
    above = [(c.style_id, c.number_format) for c in projects[7]]
    assert row[0][0] == 7 and row[1][0] == "新项目" and row[2][0] == "X-1" and row[-1][0] == "上海市民政局"
    assert [r[1:] for r in row[:-1]] == above[:-1]  # the styles of the row above
    assert row[1][2] == row[2][2] == "@" and row[-1][2] == "@"  # text columns stay Text
    last = max(r for r in range(2, indicators.max_row + 1) if indicators.cell(r, 1).value is not None)
    new_rows = [[c.value for c in indicators[r]][:5] for r in (last - 1, last)]
    assert new_rows == [[7, "新项目", i["level1"], i["level2"], i["name"]] for i in added["indicators"]]
    assert [(c.style_id, c.number_format) for c in indicators[last]] == [(c.style_id, c.number_format) for c in indicators[last - 2]]
    target = next(c for c in indicators[1] if c.value == "实际完成值").column
    assert (indicators.cell(last, target).value, indicators.cell(last, target).data_type) == ("=100%", "s")  # text, never a formula
    cells_a, cells_b = _cells(a), _cells(b)
    empty = (None, "n", 0, "General")  # a cell openpyxl lists because the sheet got wider
    changed = {k for k in cells_a.keys() | cells_b.keys() if cells_a.get(k, empty) != cells_b.get(k, empty)}
    assert {k[0] for k in changed} == {"项目", "指标"}
    assert all(int("".join(ch for ch in k[1] if ch.isdigit())) in (1, 8) for k in changed if k[0] == "项目")


def test_a_project_removed_from_a_workbook_empties_its_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _book_of(tmp_path)
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    gone = new["projects"].pop(2)
    source = load_file(path)
    rows = {int("".join(ch for ch in str(ref) if ch.isdigit())) for p, ref in source.lines.items() if len(p) == 4 and p[:3] == ("projects", 2, "indicators")}
    assert len(rows) == len(gone["indicators"])
    save_unit(path, old, new, Stamp.of(path))
    assert load_file(path).data["projects"] == new["projects"]
    a, b = load_workbook(io.BytesIO(before)), load_workbook(path)
    assert _furniture(a) == _furniture(b)  # validations, notes, widths, panes
    assert all(c.value is None for c in b["项目"][4])
    assert [(c.style_id, c.number_format) for c in b["项目"][4]] == [(c.style_id, c.number_format) for c in a["项目"][4]]
    for r in rows:
        assert all(c.value is None for c in b["指标"][r]) and any(c.value is not None for c in a["指标"][r])
    cells_a, cells_b = _cells(a), _cells(b)
    changed = {(k[0], int("".join(ch for ch in k[1] if ch.isdigit()))) for k in cells_a.keys() | cells_b.keys() if cells_a.get(k) != cells_b.get(k)}
    assert changed == {("项目", 4)} | {("指标", r) for r in rows}


def test_a_project_renamed_in_a_workbook_takes_its_indicators_along(tmp_path: Path) -> None:
    path = _book_of(tmp_path)
    old = load_file(path).data
    new = copy.deepcopy(old)
    new["projects"][0]["name"] = "改名后的项目"
    save_unit(path, old, new, Stamp.of(path))
    data = load_file(path).data
    assert data["projects"][0]["name"] == "改名后的项目" and data["projects"][0]["indicators"] == old["projects"][0]["indicators"]


def test_a_new_project_with_a_field_no_column_holds_is_refused(tmp_path: Path) -> None:
    path = _book_of(tmp_path)
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    new["projects"].append({"name": "新项目", "不存在的字段": "值"})
    with pytest.raises(SaveRefused) as refused:
        save_unit(path, old, new, Stamp.of(path))
    assert "新项目「新项目」的「不存在的字段」在填报工作簿的「项目」表中没有对应的列" in refused.value.text
    assert path.read_bytes() == before


def test_rows_added_and_removed_in_yaml_leave_every_other_line_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "本单位.yaml"
    shutil.copy(EXAMPLES / "shanghai-dpf-2022.yaml", path)
    lines = path.read_text("utf-8").splitlines()
    old = load_file(path).data
    new = copy.deepcopy(old)
    assert new["projects"][0]["indicators"].pop(2)["name"] == "全市性法宣活动计划完成率"  # lines 28-34
    new["projects"][1]["indicators"].append({"level1": "产出指标", "level2": "数量指标", "name": "新增指标", "target": "=1个", "weight": 5})
    del new["projects"][5]  # lines 404-474
    save_unit(path, old, new, Stamp.of(path))
    after = path.read_text("utf-8").splitlines()
    assert load_file(path).data == new
    added = ["      - level1: 产出指标", "        level2: 数量指标", "        name: 新增指标", '        target: "=1个"', "        weight: 5"]
    at = after.index("        name: 新增指标") - 2
    assert after[at : at + 5] == added
    assert after[:at] + after[at + 5 :] == lines[:27] + lines[34:185] + lines[185:403]
    assert after[at - 1] == "        score: 10" and after[at + 5] == "    evaluation:"  # after the project's last indicator


@pytest.mark.parametrize(
    "change, rows",
    [
        (lambda d: d["projects"][0]["extra"].update(填报日期="2021 年 5 月 1 日"), {2: [1, "填报日期", "2021 年 5 月 1 日"]}),
        (lambda d: d["projects"][0]["extra"].update(新栏="新内容"), {6: [1, "新栏", "新内容"]}),
        (lambda d: d["projects"][0]["extra"].pop("项目类型"), {5: [None, None, None]}),
        (lambda d: d.setdefault("extra", {}).update(填报单位="商务局"), {6: [None, "填报单位", "商务局"]}),
        (lambda d: d["projects"][0]["evaluation"]["class_weights"].update(产出指标="70"), {}),
        (lambda d: d["projects"][0]["evaluation"]["class_weights"].pop("效益指标"), {}),
    ],
    ids=["line-edited", "line-added", "line-removed", "unit-line-added", "class-points-edited", "class-points-removed"],
)
def test_extra_lines_and_class_points_saved_into_a_workbook(change, rows, tmp_path: Path) -> None:
    """A line of 其他栏目 edited, added (a row after the last) or taken off (its row emptied,
    not left with a blank 内容); 一级指标分值 rewritten whole in its one cell."""
    from openpyxl import load_workbook

    path = _book_of(tmp_path, "hubeistyle-shangwu-selfeval-2020.yaml")
    old = load_file(path).data
    new = copy.deepcopy(old)
    change(new)
    save_unit(path, old, new, Stamp.of(path))
    assert load_file(path).data == new
    ws = load_workbook(path)["其他栏目"]
    assert {r: [ws.cell(r, c).value for c in (1, 3, 4)] for r in rows} == rows
    weights = new["projects"][0]["evaluation"]["class_weights"]
    assert load_workbook(path)["项目"]["K2"].value == "；".join(f"{k}（{v}分）" for k, v in weights.items())


def test_a_line_saved_into_a_workbook_without_the_sheet_is_refused(tmp_path: Path) -> None:
    path = _book_of(tmp_path)  # shanghai-dpf-2022: no extra lines, so no 其他栏目 sheet
    before = path.read_bytes()
    old = load_file(path).data
    new = copy.deepcopy(old)
    new["projects"][0]["extra"] = {"填报日期": "2023 年 1 月 5 日"}
    with pytest.raises(SaveRefused) as info:
        save_unit(path, old, new, Stamp.of(path))
    assert "工作簿没有「其他栏目」表，无法写入栏目「填报日期」：请用 docgen workbook 重新生成工作簿，或在 YAML/JSON 文件中维护它；未写入" in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "change, rows",
    [
        (lambda d: d["labels"].update(overall_goal="总目标"), {2: [None, "项目总体目标", "总目标"]}),
        (lambda d: d["labels"].update(annual_goal="本年目标"), {4: [None, "年度总体目标", "本年目标"]}),
        (lambda d: d["projects"][0].pop("labels"), {3: [None, None, None]}),
    ],
    ids=["label-edited", "label-added", "project-label-removed"],
)
def test_labels_saved_into_a_workbook(change, rows, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from docgen.build.workbook import unit_workbook

    text = (EXAMPLES / "shanghai-sscard-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("forms:\n", "labels: {overall_goal: 项目总目标}\nforms:\n", 1)
    text = text.replace("  - name: 交换平台运行费\n", "  - name: 交换平台运行费\n    labels: {target: 指标值}\n", 1)
    source = tmp_path / "unit.yaml"
    source.write_text(text, encoding="utf-8")
    path = tmp_path / "本单位.xlsx"
    path.write_bytes(unit_workbook(source))
    old = load_file(path).data
    new = copy.deepcopy(old)
    change(new)
    save_unit(path, old, new, Stamp.of(path))
    assert load_file(path).data == new
    ws = load_workbook(path)["表单标签"]
    assert {r: [ws.cell(r, c).value for c in (1, 3, 4)] for r in rows} == rows


def test_a_projects_lines_set_whole_in_a_workbook(tmp_path: Path) -> None:
    """The project's whole `extra:` replaced (one line kept and changed, the others gone, one new)."""
    path = _book_of(tmp_path, "hubeistyle-shangwu-selfeval-2020.yaml")
    old = load_file(path).data
    new = copy.deepcopy(old)
    new["projects"][0]["extra"] = {"填报日期": "2021 年 6 月 1 日", "新栏": "新内容"}
    from docgen.build.merge import write_edits
    from docgen.inputs.importing.write_back import Edits

    edits = Edits(values={("projects", 0, "extra"): new["projects"][0]["extra"]}, added=[], removed=[], kinds={})
    data, loaded = write_edits(path, load_file(path), edits)
    assert loaded.data == new
