"""A regional version's words in the data-entry workbook (issue 24): a column every form
of one version prints is headed by that version's label (`labels:` in the manifest);
the reader takes those headers, the default ones (a workbook written before) and the
`read:` synonyms, and the workbook reads back as the same unit either way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.build.workbook import blank_workbook, unit_workbook
from docgen.inputs.entrybook.headers import clean
from docgen.inputs.loader import check_file, load_file, load_unit
from docgen.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"

# example -> the label names of the columns its version heads, and the headers written:
# on the 项目 sheet after 序号, 项目名称, 项目编码; on the 指标 sheet after 项目序号, 项目名称.
REGIONAL = [
    ("sichuan-qingshen-selfeval-2023", ["annual_goal"], ["项目年度目标"], ["一级指标", "二级指标", "三级指标", "指标值"]),
    ("anhui-selfeval-2022", ["annual_goal"], ["年度总体目标"], ["一级指标", "二级指标", "三级指标", "年度指标值"]),
    ("yunnan-selfeval-2020", ["annual_goal"], ["年度总体目标"], ["一级指标", "二级指标", "三级指标", "年度指标值"]),
    ("hunan-target-2023", ["annual_goal", "overall_goal"], ["年度总体目标", "项目总体目标"], ["一级指标", "二级指标", "三级指标", "指标值及单位"]),
    ("hubeistyle-shangwu-selfeval-2020", [], [], ["一级指标", "二级指标", "三级指标", "年初目标值（A）"]),
]
DEFAULT = {"项目年度目标": "年度总体目标", "年度指标值": "指标值", "指标值及单位": "指标值", "年初目标值（A）": "指标值"}


def _book(tmp_path: Path, example: str) -> Path:
    path = tmp_path / f"{example}.xlsx"
    path.write_bytes(unit_workbook(EXAMPLES / f"{example}.yaml"))
    return path


def _headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


@pytest.mark.parametrize("example, names, project, indicator", REGIONAL, ids=[r[0] for r in REGIONAL])
def test_headers_are_the_versions_labels(example, names, project, indicator, tmp_path):
    wb = load_workbook(_book(tmp_path, example))
    assert _headers(wb["项目"])[3 : 3 + len(project)] == project
    assert _headers(wb["指标"])[2:6] == indicator
    (report,) = {r.version.version: r for r in check_file(EXAMPLES / f"{example}.yaml").reports}.values()
    labels = report.version.labels
    assert [clean(labels[n]) for n in names] == project  # the manifest's words, not the code's
    assert [clean(labels[n]) for n in ("level1", "level2", "name", "target")] == indicator


@pytest.mark.parametrize("example", [r[0] for r in REGIONAL])
def test_a_workbook_with_the_default_headers_reads_as_the_same_unit(example, tmp_path):
    """A workbook written before the versions' words (or typed by hand) still reads."""
    path = _book(tmp_path, example)
    wb = load_workbook(path)
    renamed = 0
    for sheet in ("项目", "指标"):
        for cell in wb[sheet][1]:
            if cell.value in DEFAULT:
                cell.value, renamed = DEFAULT[cell.value], renamed + 1
    wb.save(path)
    assert renamed == 1  # each example's version words one column its own way
    assert validate(load_file(path)) == load_unit(EXAMPLES / f"{example}.yaml")


def test_the_read_synonyms_of_a_version_head_its_columns(tmp_path):
    """What a received copy calls a field (`read:` in the manifest) is taken as its header."""
    path = _book(tmp_path, "sichuan-qingshen-selfeval-2023")
    wb = load_workbook(path)
    words = {
        "项目": {"项目名称": "项目支出名称", "实际完成情况": "年度目标完成情况"},
        "指标": {"实际完成值": "完成值", "偏差原因分析及改进措施": "未完成原因分析"},
    }
    for sheet, renames in words.items():
        for cell in wb[sheet][1]:
            cell.value = renames.get(cell.value, cell.value)
        assert set(renames.values()) <= set(_headers(wb[sheet]))
    wb.save(path)
    assert validate(load_file(path)) == load_unit(EXAMPLES / "sichuan-qingshen-selfeval-2023.yaml")


def test_versions_that_word_a_column_differently_keep_the_default_header(tmp_path):
    """申报表 2023 prints 「年度(/项目)指标值」, 自评表 2022 「年度指标值」: the header stays
    「指标值」, and its note says what each form prints."""
    wb = load_workbook(io.BytesIO(unit_workbook(EXAMPLES / "one-project-two-forms.yaml")))
    ws = wb["指标"]
    assert _headers(ws)[2:6] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert ws["F1"].comment.text.endswith("。印在：申报表（2023 版，印作「年度(/项目)指标值」）、自评表（2022 版，印作「年度指标值」）")
    assert ws["C1"].comment.text == "从下拉列表中选择。印在：申报表（2023 版）、自评表（2022 版）"  # both print 一级指标


def test_a_blank_workbook_of_a_regional_version(tmp_path):
    """`docgen workbook --new --forms target=2020`: the 2020 申报表's 一级目标 … 指标目标值,
    with its 一级目标 list and the dependent 二级目标 list, and its worked example reads back."""
    path = tmp_path / "new.xlsx"
    path.write_bytes(blank_workbook({"target": "2020"}))
    wb = load_workbook(path)
    ws = wb["指标"]
    assert _headers(ws)[2:6] == ["一级目标", "二级目标", "三级目标", "指标目标值"]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["C2"].error == "请从列表中选择一级目标" and lists["D2"].formula1.startswith("INDIRECT(")
    assert ws["C1"].comment.text == "一级指标；从下拉列表中选择。印在：申报表（2020 版）"  # the field, in the default words
    unit = validate(load_file(path))
    assert unit.projects[0].indicators[0].level1 in ("投入与管理", "产出目标", "效果目标", "影响力目标")


@pytest.mark.parametrize(
    "forms, target, points",
    [
        ({"selfeval": "sichuan-2023"}, "指标值", ()),  # prints no class points: no column
        ({"selfeval": "anhui-2022"}, "年度指标值", (None,)),  # its example sets none
        ({"selfeval": "yunnan-2020"}, "年度指标值", ()),
        ({"selfeval": "hubeistyle-2020"}, "年初目标值（A）", ("产出指标（60分）；效益指标（40分）",)),
        ({"target": "hunan-2023"}, "指标值及单位", ()),
    ],
    ids=["sichuan", "anhui", "yunnan", "hubeistyle", "hunan"],
)
def test_blank_workbooks_of_the_regional_versions_read(forms, target, points, tmp_path):
    """`--new` for a regional version: its words, an empty 一级指标分值 left blank (never
    「{}」), the 其他栏目 sheet offered, and the worked example reads back."""
    path = tmp_path / "new.xlsx"
    path.write_bytes(blank_workbook(forms))
    wb = load_workbook(path)
    assert _headers(wb["指标"])[5] == target and "其他栏目" in wb.sheetnames
    projects = wb["项目"]
    column = [n for n, h in enumerate(_headers(projects), start=1) if h == "一级指标分值"]
    assert tuple(projects.cell(2, n).value for n in column) == points
    assert validate(load_file(path)).projects[0].name
