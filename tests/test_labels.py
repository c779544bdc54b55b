"""Printed labels as data (issue 17): `labels:` on a unit or a project overrides a
version's labels by name (the names in templates/manifest.yaml, shown by `docgen templates list`), in Word and Excel;
an unknown name is an input error with its line; `docgen templates check` flags a
template that prints an unregistered label; the import reads an overridden label back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import edited_copy
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.api import RenderOptions, render_file
from docgen.build.template_check import check_version
from docgen.build.workbook import unit_workbook
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import check_file
from docgen.registry.manifest import DEFAULT_TEMPLATES, default_registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
SSCARD = ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml"
SELFEVAL = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
FORMS_ONLY = RenderOptions(book=False, layout=False)
runner = CliRunner()


def _cells(docx: Path) -> list[str]:
    table = Document(str(docx)).tables[0]
    return [cell.text for row in table.rows for cell in row.cells]


def _sheet(xlsx: Path) -> list[str]:
    return [str(c.value) for row in load_workbook(xlsx).active.iter_rows() for c in row if c.value is not None]


def _labelled(tmp_path: Path) -> Path:
    """The 2023 申报表 example: the unit prints 「项目总目标」, its second project
    「项目总目标 ({period})」 with its own period."""
    return edited_copy(
        tmp_path,
        SSCARD,
        ("forms:\n", "labels: {overall_goal: 项目总目标}\nforms:\n"),
        ("  - name: 敬老卡制作费\n", '  - name: 敬老卡制作费\n    labels: {overall_goal: "项目总目标 ({period})"}\n'),
    )


def test_every_version_lists_the_labels_its_templates_print():
    registry = default_registry()
    names = {(k, v): set(version.labels or {}) for k, versions in registry.kinds.items() for v, version in versions.items()}
    assert {"level1", "level2", "name", "target", "overall_goal", "annual_goal"} <= names[("target", "2023")]
    assert registry.version("target", "2023").labels["overall_goal"] == "项目总体目标（{period}）"
    assert {"level1", "level2", "name", "target"} <= names[("selfeval", "2022")]
    assert {"level1", "level2", "name", "target"} <= names[("target", "2020")] and {"form"} <= names[("dept", "2020")]


def test_default_labels_print_as_before(tmp_path):
    files = render_file(SSCARD, tmp_path, options=FORMS_ONLY).files
    docx = next(f for f in files if f.name.startswith("1-") and f.suffix == ".docx")
    assert "项目总体目标（2023年-2023年）" in _cells(docx)
    assert "年度(/项目)指标值" in _cells(docx)
    assert "项目总体目标（2023年-2023年）" in _sheet(docx.with_suffix(".xlsx"))


def test_unit_and_project_labels_override_the_version(tmp_path):
    files = render_file(_labelled(tmp_path), tmp_path / "out", options=FORMS_ONLY).files
    first = next(f for f in files if f.name.startswith("1-") and f.suffix == ".docx")
    second = next(f for f in files if f.name.startswith("2-") and f.suffix == ".docx")
    assert "项目总目标" in _cells(first) and not any(c.startswith("项目总体目标") for c in _cells(first))
    assert "项目总目标 (2023年-2023年)" in _cells(second)
    assert "项目总目标" in _sheet(first.with_suffix(".xlsx"))
    assert "项目总目标 (2023年-2023年)" in _sheet(second.with_suffix(".xlsx"))
    assert "年度(/项目)指标值" in _cells(first)  # names not overridden keep the version's text


def test_selfeval_labels_in_word_and_excel(tmp_path):
    path = edited_copy(tmp_path, SELFEVAL, ("amount_unit: 元\n", "amount_unit: 元\nlabels: {target: 年度目标值}\n"))
    files = render_file(path, tmp_path / "out", options=FORMS_ONLY).files
    docx = next(f for f in files if f.name.startswith("1-") and f.suffix == ".docx")
    assert "年度目标值" in _cells(docx) and "年度指标值" not in _cells(docx)
    assert "年度目标值" in _sheet(docx.with_suffix(".xlsx"))


def test_unknown_label_name_is_an_input_error_with_its_line(tmp_path):
    path = edited_copy(tmp_path, SSCARD, ("forms:\n", "labels: {overal_goal: 项目总目标}\nforms:\n"))
    with pytest.raises(InputError) as info:
        check_file(path)
    problem = info.value.problems[0]
    assert problem.field() == "labels.overal_goal"
    assert problem.line == 7
    assert "未知的标签名「overal_goal」" in problem.text and "overall_goal" in problem.text
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "new.yaml:7" in result.output and "未知的标签名「overal_goal」" in result.output


def test_a_project_label_must_belong_to_its_own_forms(tmp_path):
    # `overall_goal` is a 申报表 label: a 自评表-only project may not set it.
    path = edited_copy(tmp_path, SELFEVAL, ("  - name: 残疾人权益保障经费\n", "  - name: 残疾人权益保障经费\n    labels: {overall_goal: 项目总目标}\n"))
    with pytest.raises(InputError) as info:
        check_file(path)
    assert info.value.problems[0].field() == "projects[0].labels.overall_goal"
    assert "项目「残疾人权益保障经费」" in info.value.problems[0].context


def test_templates_check_flags_an_unregistered_label(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, root)
    shutil.copytree(DEFAULT_TEMPLATES.parent / "data", tmp_path / "data")
    docx = root / "docx" / "target-2023.docx"
    doc = Document(str(docx))
    doc.tables[0].rows[0].cells[0].paragraphs[0].runs[0].text = "{{ form.labels.project_name }}"
    doc.save(str(docx))
    version = load_registry(root).version("target", "2023")
    issues = check_version(version, version.example)
    errors = [i.message for i in issues if i.severity == "error" and i.template == docx]
    assert errors[0] == "未登记的标签名「project_name」（manifest.yaml 中本版本的 labels: 有：target、level1、level2、name、overall_goal、annual_goal）"
    assert not [i for i in issues if i.severity == "error" and i.template != docx]  # the Excel template is fine


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_an_overridden_label_is_imported_and_renders_the_same(tmp_path, suffix):
    forms = [f for f in render_file(_labelled(tmp_path), tmp_path / "first", options=FORMS_ONLY).files if f.suffix == suffix]
    imported = import_forms(forms)
    assert "labels:\n" in imported.yaml and "overall_goal: 项目总目标\n" in imported.yaml
    unit = tmp_path / "imported.yaml"
    unit.write_text(imported.yaml, encoding="utf-8")
    projects = check_file(unit).unit.projects
    assert projects[0].labels == {"overall_goal": "项目总目标"}
    assert projects[1].labels == {"overall_goal": "项目总目标 (2023年-2023年)"}
    assert projects[2].labels == {"overall_goal": "项目总目标"}
    again = render_file(unit, tmp_path / "again", options=FORMS_ONLY).files
    assert [f.name for f in again if f.suffix == suffix] == [f.name for f in forms]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(forms, [f for f in again if f.suffix == suffix]))


def test_the_workbook_keeps_labels_and_renders_the_same(tmp_path):
    """The labels go to the workbook's 表单标签 sheet: the workbook is the same unit, and
    renders the same bytes as the YAML it came from."""
    source = _labelled(tmp_path)
    book = tmp_path / "labelled.xlsx"
    book.write_bytes(unit_workbook(source))
    assert check_file(book).unit == check_file(source).unit
    ours = render_file(source, tmp_path / "yaml", options=FORMS_ONLY).files
    theirs = render_file(book, tmp_path / "xlsx", options=FORMS_ONLY).files
    assert [f.name for f in ours] == [f.name for f in theirs] and len(ours) >= 2
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(ours, theirs))


def test_schema_knows_labels():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert '"labels"' in result.output and "表单标签" in result.output


def test_templates_list_shows_the_label_names():
    result = runner.invoke(app, ["templates", "list"])
    assert result.exit_code == 0
    assert (
        "标签（单位文件 labels: 可改写）：target=年度(/项目)指标值，level1=一级指标，level2=二级指标，name=三级指标，overall_goal=项目总体目标（{period}），annual_goal=年度总体目标"
        in result.output
    )
