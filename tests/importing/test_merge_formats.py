"""`docgen import FORM --merge UNIT` into every input format, three-way, safely.

Each test renders project 1 of the example (its 自评表 as .xlsx only: quick), edits the
form as a clerk would (a cell typed in Excel), and merges it back into the unit file in
YAML, JSON or a data-entry workbook."""

from __future__ import annotations

import io
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.api import RenderOptions, render_file
from docgen.build import output
from docgen.build.merge import merge
from docgen.build.workbook import unit_workbook, write_workbook
from docgen.cli.app import app
from docgen.inputs.importing.write_back import CellWrite, workbook_bytes
from docgen.inputs.loader import load_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
ONE = RenderOptions(layout=False, projects=("1",), book=False, formats=("xlsx",), jobs=1)
runner = CliRunner()

# Project 1's 自评表 as rendered: 完成研究课题个数 is row 14 (target E14 「=2个」, actual F14
# 「1.6」, score H14 6); its row in the unit workbook's 指标 sheet is 3.
ACTUAL, TARGET, SCORE = "F14", "E14", "H14"


def unit_file(tmp_path: Path, fmt: str, text: str | None = None) -> Path:
    """The example as a unit file in `fmt` (yaml, json, xlsx); `text`: YAML to start from."""
    text = text if text is not None else EXAMPLE.read_text(encoding="utf-8")
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "source.yaml"
    source.write_text(text, encoding="utf-8")
    unit = tmp_path / f"unit.{fmt}"
    if fmt == "yaml":
        shutil.copy(source, unit)
    elif fmt == "json":
        data = load_file(source).data
        unit.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    else:
        write_workbook(unit_workbook(source), unit)
    source.unlink()
    return unit


def rendered(tmp_path: Path, fmt: str, text: str | None = None) -> tuple[Path, Path]:
    unit = unit_file(tmp_path, fmt, text)
    render_file(unit, tmp_path / "out", options=ONE)
    return unit, next((tmp_path / "out").glob("*/*/1-*.xlsx"))


def type_into(form: Path, **cells: str) -> None:
    """Type text into the form's cells as Excel stores it (text, never a formula)."""
    wb = load_workbook(form)
    for ref, text in cells.items():
        wb.active[ref].value = text
        wb.active[ref].data_type = "s"
    wb.save(form)


def merged(form: Path, unit: Path, *more: str):
    return runner.invoke(app, ["import", str(form), "--merge", str(unit), *more])


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if x != y]


def project1(unit: Path) -> dict:
    return load_file(unit).data["projects"][0]


def indicator(unit: Path, name: str = "完成研究课题个数") -> dict:
    return next(i for i in project1(unit)["indicators"] if i["name"] == name)


# ------------------------------------------------------------------ only the changed values


@pytest.mark.parametrize(
    "fmt, lines",
    [
        ("yaml", [('        actual: "1.6"', '        actual: "2"'), ("        score: 6", "        score: 8")]),
        ("json", [('          "actual": "1.6",', '          "actual": "2",'), ('          "score": 6,', '          "score": 8,')]),
    ],
)
def test_text_files_change_only_the_changed_values_in_their_own_style(tmp_path, fmt, lines):
    unit, form = rendered(tmp_path, fmt)
    before = unit.read_text(encoding="utf-8")
    type_into(form, **{ACTUAL: "2", SCORE: "8"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert "    实际完成值：1.6 → 2" in result.output.splitlines()
    assert f"已写入：{unit}" in result.output.splitlines()
    assert changed_lines(before, unit.read_text(encoding="utf-8")) == lines  # a number stays a number
    assert indicator(unit)["score"] == 8 and indicator(unit)["actual"] == "2"


def _cells(wb) -> dict:
    """Every cell of every sheet: value, type, style (font, fill, format, alignment, protection, border)."""
    out = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                out[(ws.title, c.coordinate)] = (c.value, c.data_type, c.style_id, c.number_format)
    return out


def _furniture(wb) -> dict:
    """What a clerk relies on besides values: validations, notes, widths, frozen panes, hidden sheets."""
    out = {}
    for ws in wb:
        out[ws.title] = (
            sorted((dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment},
            {k: d.width for k, d in ws.column_dimensions.items()},
            ws.freeze_panes,
            ws.sheet_state,
        )
    return out


def test_a_workbook_changes_only_the_changed_cells(tmp_path):
    unit, form = rendered(tmp_path, "xlsx")
    before = unit.read_bytes()
    type_into(form, **{ACTUAL: "2", SCORE: "8"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    after = unit.read_bytes()
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    assert old.namelist() == new.namelist()
    assert [n for n in old.namelist() if old.read(n) != new.read(n)] == ["xl/worksheets/sheet4.xml"]  # the 指标 sheet only
    a, b = load_workbook(io.BytesIO(before)), load_workbook(io.BytesIO(after))
    assert _furniture(a) == _furniture(b)
    cells_a, cells_b = _cells(a), _cells(b)
    differ = {k for k in cells_a.keys() | cells_b.keys() if cells_a.get(k) != cells_b.get(k)}
    assert differ == {("指标", "G3"), ("指标", "I3")}
    assert (b["指标"]["G3"].value, b["指标"]["G3"].data_type) == ("2", "s")  # 实际完成值 is text
    assert (b["指标"]["I3"].value, b["指标"]["I3"].data_type) == (8, "n")  # 得分 is a number
    assert cells_a[("指标", "I3")][2:] == cells_b[("指标", "I3")][2:]  # its style kept
    check = runner.invoke(app, ["check", str(unit)])
    assert check.exit_code == 1, check.output  # read as a workbook (the example keeps its slips)
    assert indicator(unit)["actual"] == "2" and indicator(unit)["score"] == 8


def test_a_workbook_gets_a_column_it_did_not_have_yet(tmp_path):
    unit, form = rendered(tmp_path, "xlsx")
    type_into(form, **{TARGET: "=3个"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    ws = load_workbook(unit)["指标"]
    headers = [c.value for c in ws[1]]
    assert headers[-1] == "自评表年度指标值"
    assert ws.cell(3, len(headers)).value == "=3个" and ws.cell(3, len(headers)).data_type == "s"
    assert indicator(unit)["evaluated_target"] == "=3个" and indicator(unit)["target"] == "=2个"


# ------------------------------------------------------------------ three-way


def _edit_unit(unit: Path, fmt: str, score: int) -> None:
    """The clerk changes 完成研究课题个数's 得分 in the unit file after the render."""
    if fmt == "xlsx":
        unit.write_bytes(workbook_bytes(unit.read_bytes(), [CellWrite("指标", "I3", score, "number")], unit))
    else:
        text = unit.read_text(encoding="utf-8")
        old = "        score: 6\n" if fmt == "yaml" else '          "score": 6,\n'
        assert text.count(old) >= 1
        unit.write_text(text.replace(old, old.replace("6", str(score)), 1), encoding="utf-8")
    assert indicator(unit)["score"] == score


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_a_value_changed_only_in_the_unit_file_is_kept(tmp_path, fmt):
    unit, form = rendered(tmp_path, fmt)
    _edit_unit(unit, fmt, 7)
    type_into(form, **{ACTUAL: "2"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert (
        "说明：项目「残疾人权益保障经费」指标「完成研究课题个数」得分（申报值）：保留数据文件中的「7」（表单仍为上次生成的「6」）" in result.output.splitlines()
    )
    assert indicator(unit)["score"] == 7 and indicator(unit)["actual"] == "2"


@pytest.mark.parametrize("fmt, where", [("yaml", "unit.yaml:26"), ("json", "unit.json:28"), ("xlsx", "unit.xlsx:指标!I3")])
def test_a_value_changed_on_both_sides_is_a_conflict(tmp_path, fmt, where):
    unit, form = rendered(tmp_path, fmt)
    _edit_unit(unit, fmt, 7)
    type_into(form, **{SCORE: "8", ACTUAL: "2"})
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert f"未写入：{unit} 与表单在上次生成后都改了同一处，改得不同（1 处冲突）：" in lines
    assert "  项目「残疾人权益保障经费」指标「完成研究课题个数」得分（申报值）：上次生成为「6」" in lines
    assert f"    数据文件 {tmp_path / where}：「7」" in lines
    assert f"    表单 {form}:自评表!H14：「8」" in lines
    assert unit.read_bytes() == before  # nothing written, not even the value without a conflict

    assert merged(form, unit, "--ours").exit_code == 0
    assert indicator(unit)["score"] == 7 and indicator(unit)["actual"] == "2"
    unit.write_bytes(before)
    assert merged(form, unit, "--theirs").exit_code == 0
    assert indicator(unit)["score"] == 8 and indicator(unit)["actual"] == "2"


def test_theirs_and_ours_together_are_refused(tmp_path):
    result = runner.invoke(app, ["import", "x.xlsx", "--merge", "u.yaml", "--theirs", "--ours"])
    assert result.exit_code == 2 and "--theirs 与 --ours 只能选一个" in result.output


def test_without_a_record_the_merge_is_two_way_and_says_so(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    elsewhere = tmp_path / "收到" / form.name
    elsewhere.parent.mkdir()
    shutil.copy(form, elsewhere)
    _edit_unit(unit, "yaml", 7)
    type_into(elsewhere, **{ACTUAL: "2"})
    result = merged(elsewhere, unit)
    assert result.exit_code == 0, result.output
    note = f"说明：表单所在目录 {elsewhere.parent} 没有生成记录（.docgen-manifest.json），无法得知上次生成的数据：按两方合并（表单中与数据文件不同的值一律写入数据文件）"
    assert note in result.output.splitlines()
    assert indicator(unit)["score"] == 6 and indicator(unit)["actual"] == "2"  # the form's values, as it prints them


# ------------------------------------------------------------------ each form its own fields


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_self_evaluations_target_goes_to_evaluated_target(tmp_path, fmt):
    unit, form = rendered(tmp_path, fmt)
    before = unit.read_text(encoding="utf-8").splitlines()
    type_into(form, **{TARGET: "=3个"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert "    自评表年度指标值：（空） → =3个" in result.output.splitlines()
    after = unit.read_text(encoding="utf-8").splitlines()
    if fmt == "yaml":  # one line more, after the target in schema order; every other line as it was
        at = after.index('        evaluated_target: "=3个"')
        assert after[:at] + after[at + 1 :] == before and after[at - 1] == '        target: "=2个"'
    else:  # one member more, at the end of the indicator; the line before it gains its comma
        at = after.index('          "evaluated_target": "=3个"')
        assert after[:at] + after[at + 1 :] == before[: at - 1] + [before[at - 1] + ","] + before[at:]
    assert indicator(unit)["target"] == "=2个" and indicator(unit)["evaluated_target"] == "=3个"  # the 申报表's target untouched
    # Rendered again, then typed back as the declaration prints it: the override goes again.
    assert render_file(unit, tmp_path / "out", options=ONE).changed == [form]
    type_into(form, **{TARGET: "=2个"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert indicator(unit)["target"] == "=2个" and "evaluated_target" not in indicator(unit)


def test_the_issues_example_target_stable_to_sound(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    unit, form = rendered(tmp_path, "yaml", text)
    wb = load_workbook(form)
    ref = next(c.coordinate for row in wb.active.iter_rows() for c in row if c.value == "健全" and c.column == 5)
    type_into(form, **{ref: "完善"})
    assert merged(form, unit).exit_code == 0
    row = indicator(unit, "长效管理制度健全性")
    assert (row["target"], row["evaluated_target"]) == ("健全", "完善")


# ------------------------------------------------------------------ new rows


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_an_indicator_the_unit_file_lacks_is_added_in_its_layout(tmp_path, fmt):
    full = EXAMPLE.read_text(encoding="utf-8")
    _, form = rendered(tmp_path / "full", "yaml", full)
    cut = full.index("      - level1: 产出指标\n        level2: 数量指标\n        name: 完成研究课题个数")
    end = full.index("      - level1", cut + 10)
    unit = unit_file(tmp_path, fmt, full[:cut] + full[end:])  # no record of it: a two-way merge
    assert "完成研究课题个数" not in [i["name"] for i in project1(unit)["indicators"]]
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert "  指标「完成研究课题个数」（产出指标/数量指标）（新增）" in result.output.splitlines()
    row = indicator(unit)
    assert (row["level1"], row["level2"], row["target"], row["actual"], row["weight"], row["score"]) == ("产出指标", "数量指标", "=2个", "1.6", 10, 6)
    if fmt == "xlsx":
        old, new = load_workbook(io.BytesIO(before))["指标"], load_workbook(unit)["指标"]
        # the row after the last filled one (the workbook's empty rows below are formatted for typing)
        last = max(r for r in range(1, old.max_row + 1) if any(c.value is not None for c in old[r]))
        assert new.max_row == max(old.max_row, last + 1)
        assert [c.value for c in new[last + 1]][:6] == [
            1,
            "残疾人权益保障经费",
            "产出指标",
            "数量指标",
            "完成研究课题个数",
            "=2个",
        ]  # 项目序号 a number, as above
        assert [c.style_id for c in new[last + 1]] == [c.style_id for c in new[last]]  # the row above's styles
    elif fmt == "yaml":
        names = [i["name"] for i in project1(unit)["indicators"]]
        assert names[1] == "完成研究课题个数"  # where the form has it
        assert unit.read_text(encoding="utf-8").startswith(before.decode("utf-8")[:200])


# ------------------------------------------------------------------ refused


def test_a_target_that_is_not_a_unit_file_is_refused(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    type_into(form, **{ACTUAL: "2"})
    for name in ("unit.txt", "unit.docx"):
        target = tmp_path / name
        target.write_bytes(b"not a unit file")
        result = merged(form, target)
        assert result.exit_code == 2, result.output
        assert (
            f"--merge 只能写回单位数据文件（.yaml、.yml、.json 或 docgen workbook 生成的 .xlsx 填报工作簿），不能写入「{target.suffix}」文件" in result.output
        )
        assert target.read_bytes() == b"not a unit file"
    printed = tmp_path / "printed.xlsx"
    shutil.copy(form, printed)
    before = printed.read_bytes()
    result = merged(form, printed)
    assert result.exit_code == 2, result.output
    assert "这不是 docgen workbook 生成的填报工作簿（是表单）：--merge 只能写回单位数据文件" in result.output
    assert printed.read_bytes() == before


@pytest.mark.parametrize(
    "old, new, form_is",
    [
        ("上海市残疾人联合会", "某区财政局", "单位「某区财政局」2022 年度"),
        ("year: 2022", "year: 2019", "单位「上海市残疾人联合会」2019 年度"),
    ],
)
def test_a_form_of_another_unit_or_year_is_refused(tmp_path, old, new, form_is):
    _, form = rendered(tmp_path / "other", "yaml", EXAMPLE.read_text(encoding="utf-8").replace(old, new))
    unit = unit_file(tmp_path, "yaml")
    before = unit.read_bytes()
    type_into(form, **{ACTUAL: "2"})
    result = merged(form, unit)
    assert result.exit_code == 2, result.output
    assert f"表单 {form} 是{form_is}的，数据文件是单位「上海市残疾人联合会」2022 年度的：不同单位或年度的表单不能合并进来，未写入" in result.output
    assert unit.read_bytes() == before


def test_a_title_year_0000_is_refused(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    type_into(form, A2="（0000年度）")
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 2, result.output
    assert "标题中的年度「（0000年度）」不是有效的年度（应在 1990 至 2100 之间）：请改正表单标题中的年度" in result.output
    assert unit.read_bytes() == before
    result = runner.invoke(app, ["import", str(form)])
    assert result.exit_code == 2 and "（0000年度）" in result.output


# ------------------------------------------------------------------ safety


def test_a_symlinked_unit_file_is_written_through_its_link(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    real = tmp_path / "real" / "unit.yaml"
    real.parent.mkdir()
    shutil.move(unit, real)
    unit.symlink_to(real)
    type_into(form, **{ACTUAL: "2"})
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    assert unit.is_symlink() and os.readlink(unit) == str(real)
    assert indicator(real)["actual"] == "2"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".docgen-tmp-")] == []


def test_a_sigterm_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch):
    unit, form = rendered(tmp_path, "yaml")
    type_into(form, **{ACTUAL: "2"})
    before = unit.read_bytes()

    def terminated(fd):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the temporary file is open beside the unit file

    monkeypatch.setattr(output.os, "fsync", terminated)
    with pytest.raises(SystemExit) as stopped:
        merge(form, unit)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert unit.read_bytes() == before
    assert sorted(p.name for p in unit.parent.iterdir() if p.name.startswith(".docgen-tmp-")) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is put back


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_a_sigkill_at_any_moment_leaves_the_unit_file_old_or_merged(tmp_path, fmt):
    unit, form = rendered(tmp_path, fmt)
    type_into(form, **{ACTUAL: "2", SCORE: "8"})
    before = unit.read_bytes()
    command = [sys.executable, "-c", "from docgen.cli.app import main; main()", "import", str(form), "--merge", str(unit)]
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    took = time.monotonic() - start
    after = unit.read_bytes()
    assert after != before
    record = (form.parent / ".docgen-manifest.json").read_bytes()
    rng = random.Random(22)
    for _ in range(5):  # a bounded loop of kills at random points of the run
        unit.write_bytes(before)
        (form.parent / ".docgen-manifest.json").write_bytes(record)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * took, 1.1 * took))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = unit.read_bytes()
        assert now in (before, after)
        for stale in unit.parent.glob(".docgen-tmp-*"):
            stale.unlink()  # a killed run may leave its temporary file: never the unit file half-written


def test_nel_ls_and_ps_come_back_unchanged_through_import(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace('        deviation: "课题为跨越年项目', '        deviation: "甲\\N乙\\L丙\\P丁。课题为跨越年项目', 1)
    unit, form = rendered(tmp_path, "yaml", text)
    assert indicator(unit)["deviation"].startswith("甲\x85乙\u2028丙\u2029丁。")
    out = tmp_path / "u.yaml"
    result = runner.invoke(app, ["import", str(form), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert indicator(out)["deviation"] == indicator(unit)["deviation"]


def test_import_o_refuses_a_suffix_it_cannot_write(tmp_path):
    unit, form = rendered(tmp_path, "yaml")
    result = runner.invoke(app, ["import", str(form), "-o", str(tmp_path / "u.docx")])
    assert result.exit_code == 2
    assert "未写入：-o 只能写单位数据文件（.yaml、.yml、.json 或 .xlsx 填报工作簿），不能写「.docx」文件" in result.output
    assert not (tmp_path / "u.docx").exists()
    result = runner.invoke(app, ["import", str(form), "-o", str(tmp_path / "u.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "u.json").read_text(encoding="utf-8"))
    assert data["projects"][0]["name"] == "残疾人权益保障经费"


def test_a_kept_hand_edit_names_the_files_that_disagree_and_the_command(tmp_path):
    unit = unit_file(tmp_path, "yaml")
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(unit), "-o", str(out), "--no-layout", "-j", "1"]).exit_code == 1
    folder = next(out.glob("*/*"))
    form = next(folder.glob("1-*.xlsx"))
    type_into(form, **{ACTUAL: "2"})
    result = runner.invoke(app, ["render", str(unit), "-o", str(out), "--no-layout", "-j", "1"])
    assert result.exit_code == 1, result.output  # kept (data unchanged), the exit code of the findings
    lines = result.output.splitlines()
    book = sorted(folder.glob("*汇总表.*"))
    others = [form.with_suffix(".docx"), *book]
    assert f"注意：{form} 有手工修改，以下文件仍是原来的值，与它不一致：{'、'.join(str(p) for p in others)}" in lines
    q = lambda p: shlex.quote(str(p))  # noqa: E731 - to copy into a shell as it is
    assert f"  把修改写回数据文件并重新生成：docgen import {q(form)} --merge {q(unit)} && docgen render {q(unit)} -o {q(out)}" in lines
    # The command does what it says: the edit reaches the unit file, then every format.
    assert merged(form, unit).exit_code == 0
    again = runner.invoke(app, ["render", str(unit), "-o", str(out), "--no-layout", "-j", "1"])
    assert again.exit_code == 1 and "注意：" not in again.output
    assert load_workbook(form).active[ACTUAL].value == "2"


def test_each_of_two_forms_writes_back_to_its_own_target(tmp_path):
    """The issue's example: 系统运行稳定性 is 稳定 on the 申报表 and 健全 on the 自评表."""
    unit = tmp_path / "unit.yaml"
    shutil.copy(ROOT / "data" / "examples" / "one-project-two-forms.yaml", unit)
    render_file(unit, tmp_path / "out", options=RenderOptions(layout=False, book=False, formats=("xlsx",), jobs=1))
    declaration = next((tmp_path / "out").glob("*/*/1-*申报表.xlsx"))
    evaluation = next((tmp_path / "out").glob("*/*/1-*自评表.xlsx"))

    def row():
        return next(i for i in project1(unit)["indicators"] if i["target"] in ("稳定", "较稳定"))

    assert (row()["target"], row()["evaluated_target"]) == ("稳定", "健全")
    type_into(evaluation, E17="完善")
    assert merged(evaluation, unit).exit_code == 0
    assert (row()["target"], row()["evaluated_target"]) == ("稳定", "完善")  # never the 申报表's target
    type_into(declaration, E17="较稳定")
    result = merged(declaration, unit)
    assert result.exit_code == 0, result.output
    assert (row()["target"], row()["evaluated_target"]) == ("较稳定", "完善")  # nor the 自评表's own


def _soffice(tmp_path: Path, source: Path, outdir: Path) -> Path:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return outdir / source.name


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_by_libreoffice_takes_the_merge_and_opens_again(tmp_path):
    """LibreOffice writes its own sheet XML (shared strings, other attributes): the merge edits
    it in place the same way, and LibreOffice opens the merged file again."""
    written = unit_file(tmp_path / "written", "xlsx")
    unit = tmp_path / "unit.xlsx"
    shutil.move(_soffice(tmp_path, written, tmp_path / "resaved"), unit)
    render_file(unit, tmp_path / "out", options=ONE)
    form = next((tmp_path / "out").glob("*/*/1-*.xlsx"))
    type_into(form, **{ACTUAL: "2", SCORE: "8", TARGET: "=3个"})
    before = unit.read_bytes()
    result = merged(form, unit)
    assert result.exit_code == 0, result.output
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(unit)
    changed = [n for n in old.namelist() if old.read(n) != new.read(n)]
    assert len(changed) == 1 and changed[0].startswith("xl/worksheets/")
    row = indicator(unit)
    assert (row["actual"], row["score"], row["target"], row["evaluated_target"]) == ("2", 8, "=2个", "=3个")
    again = _soffice(tmp_path, unit, tmp_path / "opened")
    assert indicator(again) == row  # LibreOffice read the merged file and wrote the same data back


def test_a_batch_names_a_kept_edit_too(tmp_path):
    unit = unit_file(tmp_path, "yaml")
    other = tmp_path / "minimal.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "minimal.yaml", other)
    out = tmp_path / "out"
    command = ["render", str(unit), str(other), "-o", str(out), "--no-layout", "-j", "1", "--only", "forms", "-f", "xlsx"]
    assert runner.invoke(app, command).exit_code == 1
    form = next(out.glob("上海市残疾人联合会/*/1-*.xlsx"))
    type_into(form, **{ACTUAL: "2"})
    result = runner.invoke(app, command)
    assert result.exit_code == 1, result.output
    assert f"注意：{form} 有手工修改，数据文件中仍是原来的值" in result.output.splitlines()
    assert f"  把修改写回数据文件并重新生成：docgen import {shlex.quote(str(form))} --merge {shlex.quote(str(unit))}" in result.output
