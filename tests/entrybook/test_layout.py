"""The data-entry workbook a clerk fills and prints (issue 27): Text cells for text,
header rows that fit, frozen name columns, notes on every header in the form's words,
only the chosen versions' columns, lists for fixed values, print set-up, and a worked
example that checks clean."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.build.workbook import blank_workbook, unit_workbook
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.loader import load_file
from docgen.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
runner = CliRunner()

FORMS = [
    {},
    {"target": "2023", "selfeval": "2022"},
    {"target": "2020"},
    {"target": "2023", "selfeval": "2022", "dept": "2020"},
]


def _book(tmp_path: Path, data: bytes, name: str = "unit.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _col(ws, header: str) -> int:
    return _headers(ws).index(header) + 1


@pytest.mark.parametrize("forms", FORMS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "default")
def test_every_header_has_its_own_note_in_the_forms_words(forms, tmp_path):
    wb = load_workbook(_book(tmp_path, blank_workbook(forms)))
    seen = 0
    for ws in wb:
        if ws.title in ("说明", "选项"):
            continue
        for cell in ws[1]:
            assert cell.comment is not None, f"{ws.title}!{cell.coordinate} {cell.value} has no note"
            text = cell.comment.text
            assert text != cell.value and not text.startswith(f"{cell.value}；"), (cell.value, text)
            assert not re.search(r"[a-z_]{3,}", text), (cell.value, text)  # no field names (department …)
            seen += 1
    assert seen >= 20


def test_notes_name_the_forms_that_print_a_column(tmp_path):
    wb = load_workbook(_book(tmp_path, blank_workbook({"target": "2023", "selfeval": "2022"})))
    notes = {c.value: c.comment.text for c in wb["项目"][1]}
    assert notes["序号"] == "项目的序号（1、2、3…）；「指标」表用它指明每个指标属于哪个项目"
    assert notes["申报表"] == "填「是」为该项目生成申报表（2023 版），填「否」或不填则不生成；从下拉列表中选择"
    assert notes["主管部门"] == "不填则取单位的主管部门；填文字；以 = 开头的内容（如 =100%）也作为文字保存"
    assert notes["年度资金总额（全年执行数）"] == (
        "自评表「项目资金」栏中「年度资金总额」一行的全年执行数；填金额数字（单位见「单位」表的金额单位），可带千分位逗号，如 1,505,492.00。印在：自评表（2022 版）"
    )
    assert notes["计划完成日期"].startswith("只写年月（2023年12月）时取该月最后一天；填日期，可写作 2023-12-31、2023/12/31")
    indicator = {c.value: c.comment.text for c in wb["指标"][1]}
    assert indicator["项目序号"] == "指标所属项目在「项目」表中的序号；填了序号，项目名称可不填"
    assert indicator["二级指标"] == "从下拉列表中选择。印在：申报表（2023 版）、自评表（2022 版）"


def test_text_columns_are_text_cells_in_every_row_a_clerk_may_fill(tmp_path):
    wb = load_workbook(_book(tmp_path, unit_workbook(EXAMPLES / "one-project-two-forms.yaml")))
    ws = wb["指标"]
    for header in ("项目名称", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因分析及改进措施"):
        col = _col(ws, header)
        assert {ws.cell(r, col).number_format for r in range(2, 501)} == {"@"}, header
    assert ws.cell(2, _col(ws, "分值")).number_format == "General" and ws.cell(300, _col(ws, "项目序号")).number_format == "General"
    projects = wb["项目"]
    for header in ("项目名称", "项目编码", "年度总体目标", "项目性质", "实际完成情况", "申报表"):
        assert projects.cell(499, _col(projects, header)).number_format == "@", header
    assert projects.cell(2, _col(projects, "年度资金申请总额")).number_format == "#,##0.00"
    assert projects.cell(2, _col(projects, "计划开始日期")).number_format == "yyyy-mm-dd"
    unit = {wb["单位"].cell(r, 1).value: wb["单位"].cell(r, 2) for r in range(2, wb["单位"].max_row + 1)}
    assert unit["单位名称"].number_format == "@" and unit["年度"].number_format != "@"


@pytest.mark.parametrize(
    "header, typed, message",
    [
        (
            "指标值",
            "=100%",
            "「指标值」应为文字，这里却是公式「=100%」（Excel、WPS 把以 = 开头的输入当作公式）：请改为输入 '=100%（前加英文单引号），或用全角的「＝100%」，它就作为文字保存",
        ),
        (
            "指标值",
            "=12个",
            "「指标值」应为文字，这里却是公式「=12个」（Excel、WPS 把以 = 开头的输入当作公式）：请改为输入 '=12个（前加英文单引号），或用全角的「＝12个」，它就作为文字保存",
        ),
        ("三级指标", "=A1", "「三级指标」应为文字，这里却是公式「=A1」"),
    ],
)
def test_a_formula_in_a_text_column_names_the_cell_and_the_fix(header, typed, message, tmp_path):
    path = _book(tmp_path, unit_workbook(EXAMPLES / "one-project-two-forms.yaml"))
    wb = load_workbook(path)
    ws = wb["指标"]
    cell = ws.cell(3, _col(ws, header))
    cell.value = typed  # openpyxl stores a string starting with = as a formula, as Excel does with what is typed
    assert cell.data_type == "f"
    wb.save(path)
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    assert [(p.line, p.text[: len(message)]) for p in info.value.problems] == [(f"指标!{cell.coordinate}", message)]
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 2 and f"指标!{cell.coordinate}" in result.output and not out.exists()


def test_header_rows_fit_and_name_columns_are_frozen(tmp_path):
    wb = load_workbook(_book(tmp_path, blank_workbook({"target": "2023", "selfeval": "2022", "dept": "2020"})))
    frozen = {ws.title: ws.freeze_panes for ws in wb if ws.title not in ("说明", "选项")}
    assert frozen == {"单位": "B2", "项目": "C2", "指标": "C2", "部门整体目标": "A2", "其他栏目": "C2"}
    assert _headers(wb["项目"])[:2] == ["序号", "项目名称"] and _headers(wb["指标"])[:2] == ["项目序号", "项目名称"]
    for name in ("项目", "指标"):
        ws = wb[name]
        for cell in ws[1]:
            width = ws.column_dimensions[cell.column_letter].width
            units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
            lines = -(-units // int(width - 1))
            assert ws.row_dimensions[1].height >= 15 * lines, (cell.value, width, ws.row_dimensions[1].height)
    assert wb["项目"].row_dimensions[1].height == 54  # 「预算执行率得分（填报）」 in a column 10 wide: three lines


def test_print_set_up_of_every_sheet(tmp_path):
    wb = load_workbook(_book(tmp_path, blank_workbook({})))
    for ws in wb:
        if ws.title == "选项":
            continue
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 1, 0, True), ws.title
    assert wb["项目"].print_title_rows == "$1:$1" and wb["项目"].print_title_cols == "$A:$B"
    assert wb["指标"].print_title_rows == "$1:$1" and wb["单位"].print_title_rows == "$1:$1"


def test_only_the_chosen_versions_columns(tmp_path):
    only_2020 = {
        "项目概况",
        "立项依据",
        "项目设立的必要性",
        "保证项目实施的制度、措施",
        "项目实施计划",
        "是否含有政府购买服务",
        "绩效类型",
        "同名项目上年预算额",
        "同名项目上年预算执行数",
    }
    only_2023 = {"项目性质", "项目资金：其中财政资金", "年度资金：其中当年财政拨款", "年度资金：上年结转资金"}
    headers = set(_headers(load_workbook(_book(tmp_path, blank_workbook({"target": "2023", "selfeval": "2022"}), "a.xlsx"))["项目"]))
    assert not headers & only_2020 and only_2023 <= headers and "年度总体目标" in headers
    headers = set(_headers(load_workbook(_book(tmp_path, blank_workbook({"target": "2020"}), "b.xlsx"))["项目"]))
    assert only_2020 <= headers and not headers & only_2023
    assert "年度总体目标" not in headers and "项目总体目标" in headers  # the 2020 申报表 prints only the latter


def test_a_value_typed_into_a_column_the_version_does_not_print_is_an_error(tmp_path):
    path = _book(tmp_path, blank_workbook({"target": "2020"}))
    wb = load_workbook(path)
    unit = wb["单位"]
    row = next(r for r in range(2, unit.max_row + 1) if unit.cell(r, 1).value == "表单版本：申报表")
    unit.cell(row, 2).value = "2023"  # the clerk switches to the 2023 form; the 2020-only cells are still filled
    wb.save(path)
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    found = {p.line: p.text for p in info.value.problems}
    ws = wb["项目"]
    cell = f"项目!{ws.cell(2, _col(ws, '项目概况')).coordinate}"
    assert found[cell] == "「项目概况」不印在2023 版申报表上（只有申报表的其他版本有这一栏）：请删去它，或在「单位」表的「表单版本：申报表」填印出它的版本"
    assert len(found) >= 6  # every filled 2020-only cell is named, none ignored


def test_a_unit_file_with_values_its_version_does_not_print_is_refused(tmp_path):
    text = (EXAMPLES / "one-project-two-forms.yaml").read_text(encoding="utf-8")
    path = tmp_path / "u.yaml"
    path.write_text(text.replace("      nature: 经常性专项业务费\n", "      nature: 经常性专项业务费\n      overview: 项目概况的文字\n"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        unit_workbook(path)
    assert [p.text for p in info.value.problems] == [
        "「项目概况」不印在2023 版申报表上（只有申报表的其他版本有这一栏）：请删去它，或在「单位」表的「表单版本：申报表」填印出它的版本"
    ]


def _validation(ws, column: int):
    letter = ws.cell(1, column).column_letter
    return next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).split(":")[0] == f"{letter}2")


def _listed(wb, formula: str) -> list[str]:
    cells = formula.split("!")[1].replace("$", "")
    first, last = cells.split(":")
    column = first.rstrip("0123456789")
    return [wb["选项"][f"{column}{r}"].value for r in range(int(first[len(column) :]), int(last[len(column) :]) + 1)]


def test_lists_come_from_the_versions_declaration(tmp_path):
    from docgen.registry.manifest import default_registry

    wb = load_workbook(_book(tmp_path, blank_workbook({"target": "2020", "selfeval": "2022"})))
    ws = wb["项目"]
    purchase = _validation(ws, _col(ws, "是否含有政府购买服务"))
    assert _listed(wb, purchase.formula1) == ["是", "否"] and purchase.errorStyle in (None, "stop")
    category = _validation(ws, _col(ws, "项目类别"))
    assert _listed(wb, category.formula1) == list(default_registry().version("target", "2020").suggestions["declaration.category"])
    assert category.errorStyle == "warning"  # usual values: another is accepted after a warning
    ws = wb["指标"]
    level1 = _listed(wb, _validation(ws, _col(ws, "一级指标")).formula1)
    assert level1 == ["投入与管理", "产出目标", "效果目标", "影响力目标", "产出指标", "效益指标", "满意度指标"]  # both versions' taxonomy
    assert _listed(wb, _validation(ws, _col(ws, "完成档次")).formula1) == ["达成", "部分达成", "未达成"]
    wb = load_workbook(_book(tmp_path, blank_workbook({"target": "2023", "dept": "2020"}), "d.xlsx"))
    goals = wb["部门整体目标"]
    assert _listed(wb, _validation(goals, 1).formula1) == ["总体绩效目标", "分项绩效目标", "子目标", "工作保障措施导语", "工作保障措施"]
    unit = wb["单位"]
    row = next(r for r in range(2, unit.max_row + 1) if unit.cell(r, 1).value == "金额单位")
    amount_unit = next(dv for dv in unit.data_validations.dataValidation if str(dv.sqref) == f"B{row}")
    assert _listed(wb, amount_unit.formula1) == ["元", "万元"]


@pytest.mark.parametrize("forms", [{}, {"target": "2023", "selfeval": "2022"}, {"selfeval": "2022"}, {"dept": "2020"}], ids=str)
def test_the_worked_example_checks_clean(forms, tmp_path):
    path = _book(tmp_path, blank_workbook(forms))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("错误 0 条，提示 0 条。") and result.output.count("\n") == 1, result.output


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (44927, 45291, (date(2023, 1, 1), date(2023, 12, 31))),  # date serials in General cells
        ("２０２３年１月１日", "2023.12.31", (date(2023, 1, 1), date(2023, 12, 31))),
        ("2023年1月", "2023年12月", (date(2023, 1, 1), date(2023, 12, 31))),  # a month: its first and last day
        (20230101, " 2023 / 12 / 31 ", (date(2023, 1, 1), date(2023, 12, 31))),  # eight digits in a General cell
    ],
)
def test_dates_typed_into_the_workbook(start, end, expected, tmp_path):
    path = _book(tmp_path, unit_workbook(EXAMPLES / "one-project-two-forms.yaml"))
    wb = load_workbook(path)
    ws = wb["项目"]
    for header, value in (("计划开始日期", start), ("计划完成日期", end)):
        cell = ws.cell(2, _col(ws, header))
        cell.value = value
        cell.number_format = "General" if isinstance(value, int) else cell.number_format
    wb.save(path)
    declaration = validate(load_file(path)).projects[0].declaration
    assert (declaration.start, declaration.end) == expected


def test_a_bad_date_in_the_workbook_names_the_cell_and_the_accepted_forms(tmp_path):
    from docgen.model.fields import DATE_FORMS

    path = _book(tmp_path, unit_workbook(EXAMPLES / "one-project-two-forms.yaml"))
    wb = load_workbook(path)
    ws = wb["项目"]
    cell = ws.cell(2, _col(ws, "计划完成日期"))
    cell.value = "年底"
    digits = ws.cell(2, _col(ws, "计划开始日期"))
    digits.value = 20230101  # eight digits typed into the date cell: no date Excel can show
    wb.save(path)
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    assert [(p.line, p.text) for p in info.value.problems] == [
        (f"项目!{digits.coordinate}", "日期格式的单元格里是一个不成日期的数字（如 20231231，Excel 显示为 ####）：请写作 2023-12-31 或 2023年12月31日"),
    ]
    digits.value = None
    wb.save(path)
    with pytest.raises(InputError) as info:
        validate(load_file(path))
    assert [(p.line, p.text) for p in info.value.problems] == [(f"项目!{cell.coordinate}", f"应为日期，却是「年底」；可写作 {DATE_FORMS}")]
