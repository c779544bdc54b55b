"""Saving: only the changed values written, comments kept; a file changed on disk is
never overwritten; a draft journal restores the page after the server dies; a
workbook is refused rather than rewritten."""

from __future__ import annotations

import difflib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.inputs.loader import load_file
from docgen.serve.save import SaveConflict, SaveRefused, Stamp, save_unit, yaml_text

from .conftest import EXAMPLES, Client

UNIT = "one-project-two-forms.yaml"


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]


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


def test_a_workbook_is_refused_and_can_be_saved_as_yaml(client: Client) -> None:
    from docgen.build.workbook import blank_workbook

    book = client.folder / "本单位.xlsx"
    book.write_bytes(blank_workbook({"selfeval": "2022"}))
    before = book.read_bytes()
    uid = client.uid(book.name)
    form = client.form(uid)
    response = client.post(f"/u/{uid}/save", form)
    assert response.status_code == 409
    assert "本单位.xlsx 是 Excel 填报工作簿：网页中暂不能写回工作簿（会丢失工作簿的格式与手工修改）" in response.text
    assert book.read_bytes() == before
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


def test_save_unit_refuses_a_workbook(tmp_path: Path) -> None:
    with pytest.raises(SaveRefused):
        save_unit(tmp_path / "a.xlsx", {}, {}, Stamp(0, 0, ""))


@pytest.mark.parametrize(
    "source, new, expected",
    [
        ("a: 1  # one\nb: x\n", {"a": 2, "b": "x"}, "a: 2  # one\nb: x\n"),
        ("a: 1\n", {"a": 1, "c": "=100%"}, "a: 1\nc: =100%\n"),
        ("list:\n  - x: 1   # first\n  - x: 2\n", {"list": [{"x": 2}, {"x": 1}]}, "list:\n  - x: 2   # first\n  - x: 1\n"),
        ("list:\n- x: 1\n", {"list": [{"x": 1}, {"x": 3}]}, "list:\n- x: 1\n- x: 3\n"),
        ("a: 1\nb: 2  # gone\nc: 3\n", {"a": 1, "c": 3}, "a: 1\nc: 3\n"),
    ],
)
def test_yaml_round_trip(source: str, new: dict, expected: str) -> None:
    assert yaml_text(source, new) == expected
