"""A unit written as a data-entry workbook reads back as the same unit, and renders the
same bytes as the YAML it came from (the hashes pinned in fixtures/pinned)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.build.workbook import unit_workbook
from docgen.cli.app import app
from docgen.inputs.loader import load_file, load_unit
from docgen.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))
PINNED = json.loads((ROOT / "tests" / "fixtures" / "pinned" / "no-layout-sha256.json").read_text(encoding="utf-8"))
runner = CliRunner()
# The bytes test compares with the hashes pinned before the form-kind refactor: examples
# added since (the regional versions, issue 24) have none, and are rendered by their own tests.
PINNED_EXAMPLES = [p for p in EXAMPLES if any(key.startswith(f"{p.name}:") for key in PINNED)]


def _workbook(example: Path, folder: Path) -> Path:
    path = folder / (example.stem + ".xlsx")
    path.write_bytes(unit_workbook(example))
    return path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_workbook_reads_back_as_the_same_unit(example, tmp_path):
    assert validate(load_file(_workbook(example, tmp_path))) == load_unit(example)


@pytest.mark.parametrize("example", PINNED_EXAMPLES, ids=lambda p: p.stem)
def test_workbook_renders_the_same_bytes_as_its_yaml(example, tmp_path):
    book = _workbook(example, tmp_path)
    result = runner.invoke(app, ["render", str(book), "-o", str(tmp_path / "out"), "--no-layout"])
    assert result.exit_code in (0, 1), result.output
    got = {
        f"{example.name}:{p.relative_to(tmp_path / 'out')}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((tmp_path / "out").rglob("*"))
        if p.is_file() and p.name != ".docgen-manifest.json"
    }
    assert got == {k: v for k, v in PINNED.items() if k.startswith(f"{example.name}:")}


def test_findings_point_at_cells(tmp_path):
    book = _workbook(ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml", tmp_path)
    result = runner.invoke(app, ["check", str(book)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{book}:项目!T2: [错误] 项目「残疾人权益保障经费」：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64" in lines
    warning = [line for line in lines if "完成研究课题个数" in line]
    assert warning == [
        f"{book}:指标!I3: [提示] 项目「残疾人权益保障经费」指标「完成研究课题个数」：得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）"
    ]
    assert lines[-1] == "共 6 个项目（自评表 6 份），错误 4 条，提示 5 条。"


def test_diff_and_regenerate_from_a_workbook(tmp_path):
    """The manifest keeps the workbook's data: `docgen diff unit.xlsx` shows a correction made in Excel."""
    from openpyxl import load_workbook

    book = _workbook(ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml", tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(book), "-o", str(out), "--no-layout"]).exit_code == 1
    wb = load_workbook(book)
    ws = wb["指标"]
    actual = next(c.column for c in ws[1] if c.value == "实际完成值")
    assert ws.cell(3, actual).value == "1.6"
    ws.cell(3, actual).value = 2  # typed as a number into a text column
    wb.save(book)
    result = runner.invoke(app, ["diff", str(book), "-o", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "    实际完成值：1.6 → 2" in lines
    assert "    规则计算得分：8 → 10" in lines
    result = runner.invoke(app, ["render", str(book), "-o", str(out), "--no-layout"])
    assert "文件：新增 0 个，更新 4 个，未变 10 个，删除 0 个。" in result.output.splitlines()


def test_class_weights_the_version_does_not_print_are_refused(tmp_path):
    """`evaluation.class_weights` (「产出指标（50分）」 of the national forms) on a 2022 自评表,
    which prints no class points: the workbook has no such column for it, so `docgen
    workbook` refuses, naming the line."""
    source = ROOT / "tests" / "fixtures" / "workbook" / "class-weights.yaml"
    target = tmp_path / "本单位.xlsx"
    result = runner.invoke(app, ["workbook", str(source), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert f"{source}:8: 第 8 行，项目「甲项目」 自评 › 一级指标分值：「一级指标分值」不印在2022 版自评表上（只有自评表的其他版本有这一栏）" in result.output, (
        result.output
    )
    assert not target.exists()


def test_a_value_no_column_holds_is_refused_not_lost(tmp_path, monkeypatch):
    """The workbook read back must be the unit it was made from: a value no column holds
    (here the 一级指标分值 column taken away) is refused, naming the line, never left out."""
    from docgen.forms.interface import FormKind

    every = FormKind.workbook_columns
    monkeypatch.setattr(FormKind, "workbook_columns", lambda kind: tuple(c for c in every(kind) if c.path != ("evaluation", "class_weights")))
    source = ROOT / "data" / "examples" / "hubeistyle-shangwu-selfeval-2020.yaml"
    target = tmp_path / "本单位.xlsx"
    result = runner.invoke(app, ["workbook", str(source), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert f"{source}:41: 第 41 行，项目第1项 › 自评 › 一级指标分值：数据录入工作簿没有这一项的列，写入后会丢失" in result.output
    assert not target.exists()
