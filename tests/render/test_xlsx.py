"""docgen.render.xlsx: the rendered Excel forms, read back with openpyxl.

Numbers must be numbers (with the template's number formats), text that starts
with `=` must stay text, merges must follow the runs of 一级/二级指标, and the
template must render in a sandbox.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

import docgen

from .conftest import (
    EXAMPLE,
    FUND_COLS,
    FUND_KEYS,
    FUND_LABELS,
    REFERENCE,
    dec,
    level1_pattern,
    level2_pattern,
    paragraphs,
    rate_fraction,
)

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"

# ------------------------------------------------------------------ helpers


@cache
def open_sheet(path: Path) -> Worksheet:
    wb = load_workbook(path)
    assert len(wb.worksheets) == 1
    return wb.worksheets[0]


def row_of(ws: Worksheet, label: str, col: str = "A") -> int:
    """The only row whose cell in column `col` reads `label`."""
    found = [c.row for c in ws[col] if c.value == label]
    assert len(found) == 1, f"expected one row labelled {label!r} in column {col}, found {found}"
    return found[0]


def number(expected) -> float | None:
    d = dec(expected)
    return None if d is None else float(d)


def assert_number(cell, expected, fmt: str | None = None) -> None:
    """`cell` holds the number `expected` (a YAML value), stored as a number."""
    want = number(expected)
    if want is None:
        assert cell.value is None, cell.coordinate
        return
    assert cell.data_type == "n", cell.coordinate
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), cell.coordinate
    assert cell.value == want, cell.coordinate
    if fmt is not None:
        assert cell.number_format == fmt, cell.coordinate


def merged(ws: Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def indicator_first_row(ws: Worksheet) -> int:
    return row_of(ws, "绩效指标") + 1


def runs(pattern: list[str], first_row: int, col: str) -> list[str]:
    """Merged ranges (length > 1) in `col` for a restart/continue pattern starting at `first_row`."""
    out, start = [], None
    for i, flag in enumerate(pattern + ["restart"]):
        if flag == "restart":
            if start is not None and i - 1 > start:
                out.append(f"{col}{first_row + start}:{col}{first_row + i - 1}")
            start = i
    return out


# ---------------------------------------------------------------- layout


def test_six_workbooks_in_project_order(rendered_projects):
    assert [p.name for p in rendered_projects] == list(REFERENCE)
    for p in rendered_projects:
        assert p.xlsx.name == f"{p.index + 1}-{p.name}-财政项目支出绩效自评表.xlsx"


def test_title_rows_and_labels(project):
    ws = open_sheet(project.xlsx)
    n = len(project.data["indicators"])
    assert ws["A1"].value == "财政项目支出绩效自评表"
    assert ws["A2"].value == "（2022年度）"
    assert ws.max_column == 9
    assert ws.max_row == 2 + 11 + n
    assert [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)] == (
        ["项目名称", "主管部门", "项目资金（元）", None, None, None, None, "年度总体目标", None, "绩效指标"] + [None] * n + ["总分"]
    )
    header = row_of(ws, "绩效指标")
    assert [ws.cell(header, c).value for c in range(1, 10)] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析\n及改进措施",  # broken by hand (issue 27)
    ]  # fmt: skip
    funds = row_of(ws, "项目资金（元）")
    assert [ws.cell(funds, c).value for c in range(1, 10)] == [
        "项目资金（元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
    ]  # fmt: skip


# ---------------------------------------------------------------- values


def test_name_department_executor(project):
    ws = open_sheet(project.xlsx)
    r = row_of(ws, "项目名称")
    assert ws.cell(r, 2).value == project.name
    r = row_of(ws, "主管部门")
    assert [ws.cell(r, c).value for c in (2, 5, 6)] == [
        project.data.get("department") or project.unit["department"],
        "实施单位",
        project.data.get("executor") or project.unit["executor"],
    ]


def test_funds_block_numbers(project):
    ws = open_sheet(project.xlsx)
    funds = project.data["evaluation"]["funds"]
    for key in FUND_KEYS:
        r = row_of(ws, FUND_LABELS[key], col="B")
        for col, name in zip("DEF", FUND_COLS):
            cell = ws[f"{col}{r}"]
            assert_number(cell, funds[key].get(name), AMOUNT_FORMAT)
            assert cell.number_format == AMOUNT_FORMAT  # blank cells keep the format too
    r = row_of(ws, "年度资金总额", col="B")
    printed = REFERENCE[project.name][0]
    assert [ws[f"{c}{r}"].value for c in "DEF"] == [float(t.replace(",", "")) for t in printed]


def test_first_project_amounts_spelled_out(rendered_projects):
    ws = open_sheet(rendered_projects[0].xlsx)
    assert ws["B6"].value == "年度资金总额"
    assert [ws[c].value for c in ("D6", "E6", "F6", "G6", "H6", "I6")] == [1943200, 1561500, 1505492, 10, 0.9641, 10]
    assert ws["F7"].value == 1505492
    assert ws["F7"].number_format == "#,##0.00"
    assert ws["F8"].value is None  # 上年结转资金: 全年执行数 left blank, as published


def test_execution_row(project):
    ws = open_sheet(project.xlsx)
    r = row_of(ws, "年度资金总额", col="B")
    execution = project.data["evaluation"]["execution"]
    assert_number(ws[f"G{r}"], execution["weight"])
    rate = ws[f"H{r}"]
    assert rate.data_type == "n" and type(rate.value) in (int, float)  # 100.00% is stored as 1
    assert rate.value == float(rate_fraction(execution["rate"]))
    assert rate.number_format == RATE_FORMAT
    assert_number(ws[f"I{r}"], execution["score"])
    _, printed_rate, printed_score, _ = REFERENCE[project.name]
    assert rate.value == float(rate_fraction(printed_rate))
    assert ws[f"I{r}"].value == float(printed_score)
    for key in ("fiscal", "carryover", "other"):
        r = row_of(ws, FUND_LABELS[key], col="B")
        assert [ws[f"{c}{r}"].value for c in "GHI"] == ["—", None, None]


def test_goal_and_achieved_text(project):
    ws = open_sheet(project.xlsx)
    r = row_of(ws, "年度总体目标") + 1
    assert ws[f"B{r}"].value == "\n".join(paragraphs(project.data["annual_goal"]))
    assert ws[f"F{r}"].value == "\n".join(paragraphs(project.data["evaluation"]["achieved"]))
    assert ws[f"B{r}"].alignment.wrap_text


def test_every_indicator_row(project):
    ws = open_sheet(project.xlsx)
    indicators = project.data["indicators"]
    first = indicator_first_row(ws)
    level1 = level2 = None
    for offset, ind in enumerate(indicators):
        r = first + offset
        # After merging, only the first cell of a run holds 一级/二级; read it like a reader would.
        if ws[f"B{r}"].value is not None:
            level1 = ws[f"B{r}"].value
        if ws[f"C{r}"].value is not None:
            level2 = ws[f"C{r}"].value
        assert [level1, level2] == [ind["level1"], ind["level2"]], ind["name"]
        assert [ws[f"{c}{r}"].value for c in "DEF"] == [ind["name"], ind.get("target"), ind.get("actual")], ind["name"]
        assert_number(ws[f"G{r}"], ind["weight"])
        assert_number(ws[f"H{r}"], ind["score"])
        assert ws[f"I{r}"].value == (ind.get("deviation") or None), ind["name"]
    assert ws.cell(first + len(indicators), 1).value == "总分"


def test_total_row(project):
    ws = open_sheet(project.xlsx)
    r = row_of(ws, "总分")
    assert r == ws.max_row
    assert_number(ws[f"G{r}"], 100)
    assert_number(ws[f"H{r}"], project.data["evaluation"]["total_score"])
    assert ws[f"H{r}"].value == float(REFERENCE[project.name][3])
    assert ws[f"I{r}"].value is None


# ---------------------------------------------------------------- merges


def test_label_merges(project):
    ws = open_sheet(project.xlsx)
    m = merged(ws)
    funds = row_of(ws, "项目资金（元）")
    goal = row_of(ws, "年度总体目标")
    header = row_of(ws, "绩效指标")
    last = header + len(project.data["indicators"])
    total = row_of(ws, "总分")
    assert funds == 5
    assert f"A{funds}:A{funds + 4}" in m  # A5:A9
    assert f"A{goal}:A{goal + 1}" in m
    assert f"A{header}:A{last}" in m
    assert f"A{total}:F{total}" in m
    assert {"A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4"} <= m
    assert {f"B{goal}:E{goal}", f"F{goal}:I{goal}", f"B{goal + 1}:E{goal + 1}", f"F{goal + 1}:I{goal + 1}"} <= m
    assert {f"B{r}:C{r}" for r in range(funds, funds + 5)} <= m


def test_level_merges_follow_the_runs(project):
    ws = open_sheet(project.xlsx)
    indicators = project.data["indicators"]
    first = indicator_first_row(ws)
    last = first + len(indicators) - 1

    def in_indicator_rows(rng) -> bool:
        return rng.min_row >= first and rng.max_row <= last

    col_b = sorted(str(r) for r in ws.merged_cells.ranges if r.min_col == r.max_col == 2 and in_indicator_rows(r))
    col_c = sorted(str(r) for r in ws.merged_cells.ranges if r.min_col == r.max_col == 3 and in_indicator_rows(r))
    assert col_b == sorted(runs(level1_pattern(indicators), first, "B"))
    assert col_c == sorted(runs(level2_pattern(indicators), first, "C"))
    # No other merge reaches into the indicator rows except column A's 绩效指标 label.
    for rng in ws.merged_cells.ranges:
        if rng.max_row >= first and rng.min_row <= last and rng.min_col != 1:
            assert rng.min_col == rng.max_col and rng.min_col in (2, 3), str(rng)


def test_first_project_merges_spelled_out(rendered_projects):
    ws = open_sheet(rendered_projects[0].xlsx)
    assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(
        [
            "A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4",
            "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8", "B9:C9",
            "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11",
            "A12:A24",
            "B13:B20", "B21:B23",  # 产出指标 ×8, 效益指标 ×3, 满意度指标 ×1 (not merged)
            "C13:C16", "C17:C18", "C19:C20", "C21:C22",  # 数量 ×4, 质量 ×2, 时效 ×2, 社会效益 ×2
            "A25:F25",
        ]
    )  # fmt: skip
    assert [ws[f"B{r}"].value for r in (13, 21, 24)] == ["产出指标", "效益指标", "满意度指标"]
    assert [ws[f"C{r}"].value for r in (13, 17, 19, 21, 23, 24)] == [
        "数量指标", "质量指标", "时效指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标",
    ]  # fmt: skip


# ---------------------------------------------------------------- cell types


def test_no_formulas_anywhere(project):
    wb = load_workbook(project.xlsx)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    with zipfile.ZipFile(project.xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name


def test_text_starting_with_equals_is_text(project):
    ws = open_sheet(project.xlsx)
    indicators = project.data["indicators"]
    first = indicator_first_row(ws)
    expected = [
        (f"{col}{first + i}", text)
        for i, ind in enumerate(indicators)
        for col, text in (("E", ind.get("target")), ("F", ind.get("actual")))
        if isinstance(text, str) and text.startswith("=")
    ]
    assert expected, "every example project has an =… target"
    for coord, text in expected:
        assert ws[coord].data_type == "s", coord
        assert ws[coord].value == text, coord
    found = [c.coordinate for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert sorted(found) == sorted(coord for coord, _ in expected)


def test_number_cells_are_numbers_not_strings(project):
    ws = open_sheet(project.xlsx)
    first = indicator_first_row(ws)
    total = row_of(ws, "总分")
    funds = row_of(ws, "年度资金总额", col="B")
    coords = [f"{c}{r}" for r in range(first, total) for c in "GH"]
    coords += [f"{c}{funds}" for c in "DEFGHI"] + [f"G{total}", f"H{total}"]
    for coord in coords:
        cell = ws[coord]
        assert cell.data_type == "n", coord
        assert type(cell.value) in (int, float), coord


# ---------------------------------------------------------------- page, borders, fonts


def test_page_setup_a4_fit_to_width(project):
    ws = open_sheet(project.xlsx)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert int(ws.page_setup.fitToWidth) == 1
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_area == f"'自评表'!$A$1:$I${ws.max_row}"


def test_table_cells_have_thin_borders(project):
    ws = open_sheet(project.xlsx)
    total = row_of(ws, "总分")
    for coord in ("A3", "B3", "D6", "H6", f"D{indicator_first_row(ws)}", f"I{total}"):
        border = ws[coord].border
        assert [border.left.style, border.right.style, border.top.style, border.bottom.style] == ["thin"] * 4, coord
    # The title rows are not boxed.
    assert ws["A1"].border.left.style is None


def test_every_table_cell_is_boxed(project):
    """Each cell, or each merged range as a whole, has a thin line on all four sides."""
    ws = open_sheet(project.xlsx)
    region = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                region[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=9):
        for cell in row:
            r1, c1, r2, c2 = region.get((cell.row, cell.column), (cell.row, cell.column, cell.row, cell.column))
            b = cell.border
            sides = {"left": cell.column == c1, "right": cell.column == c2, "top": cell.row == r1, "bottom": cell.row == r2}
            for side, outer in sides.items():
                if outer:
                    assert getattr(b, side).style == "thin", f"{cell.coordinate} {side}"


def test_fonts_are_song(project):
    ws = open_sheet(project.xlsx)
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.b
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=9):
        for cell in row:
            if type(cell).__name__ == "MergedCell":
                continue  # a merged range shows the font of its first cell
            assert cell.font.name == "宋体", cell.coordinate


# ---------------------------------------------------------------- escaping


def test_escaped_name_and_text(escaping_rendered):
    xlsx = escaping_rendered.files[1]
    assert xlsx.suffix == ".xlsx"
    ws = load_workbook(xlsx).active
    assert ws[f"B{row_of(ws, '项目名称')}"].value == "A&B<C>\"D'"
    assert ws[f"B{row_of(ws, '主管部门')}"].value == "测试主管部门 & <局>"
    assert ws[f"B{row_of(ws, '年度总体目标') + 1}"].value == "第一段 <目标> & 说明\n第二段"


def test_control_character_dropped_and_formula_like_target_kept(escaping_rendered, escaping_data):
    ws = load_workbook(escaping_rendered.files[1]).active
    r = indicator_first_row(ws)
    assert escaping_data["projects"][0]["indicators"][0]["deviation"] == "响铃\x07字符]]>之后"
    assert ws[f"D{r}"].value == "计划完成率 <&>"
    assert ws[f"E{r}"].value == "=100%" and ws[f"E{r}"].data_type == "s"
    assert ws[f"I{r}"].value == "响铃字符]]>之后"
    assert [ws.cell(r + 1, c).value for c in range(2, 9)] == ["效益指标", "社会效益指标", "社会效益", "=5次", "=5次", 40, 40]
    assert ws.max_row == row_of(ws, "总分")


# ---------------------------------------------------------------- determinism


def test_rendering_twice_gives_identical_bytes(example_rendered, example_rendered_again):
    first = [f for f in example_rendered.files if f.suffix == ".xlsx"]
    second = [f for f in example_rendered_again.files if f.suffix == ".xlsx"]
    assert len(first) == 7  # six forms and the book
    assert [f.name for f in first] == [f.name for f in second]
    for a, b in zip(first, second):
        assert a.parent != b.parent
        assert a.read_bytes() == b.read_bytes(), a.name


# ---------------------------------------------------------------- sandbox


def _set_cell(template: Path, text: str) -> None:
    """Put `text` in the template's free cell I of the 总分 row (column I is not merged there)."""
    wb = load_workbook(template)
    ws = wb.active
    ws[f"I{row_of(ws, '总分')}"] = text
    wb.save(template)


def _assert_nothing_written(out: Path) -> None:
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__ }}",  # a whole-cell expression (stored as a value)
        "备注：{{ ''.__class__.__mro__ }}",  # a tag inside text (rendered as a string)
        "{{ project.name.__class__.__base__.__subclasses__() }}",
    ],
)
def test_template_cannot_reach_python_internals(templates_copy, tmp_path, tag):
    template = templates_copy / "xlsx" / "selfeval-2022.xlsx"
    _set_cell(template, tag)
    registry = docgen.load_registry(templates_copy)
    out = tmp_path / "out"
    with pytest.raises(docgen.TemplateError) as info:
        docgen.render_file(EXAMPLE, out, registry=registry)
    assert info.value.template == template
    _assert_nothing_written(out)


@pytest.mark.parametrize("tag", ["{{ project.nmae }}", "名称：{{ project.nmae }}"])
def test_unknown_variable_is_an_error(templates_copy, tmp_path, tag):
    _set_cell(templates_copy / "xlsx" / "selfeval-2022.xlsx", tag)
    registry = docgen.load_registry(templates_copy)
    out = tmp_path / "out"
    with pytest.raises(docgen.TemplateError) as info:
        docgen.render_file(EXAMPLE, out, registry=registry)
    assert "nmae" in str(info.value)
    _assert_nothing_written(out)


def test_error_in_a_later_project_writes_nothing(templates_copy, tmp_path):
    """项目 5 has 7 indicators: the tag works for 项目 1-4 and fails on 项目 5; no form may be written."""
    _set_cell(templates_copy / "xlsx" / "selfeval-2022.xlsx", "{{ project.indicators[7].name }}")
    registry = docgen.load_registry(templates_copy)
    out = tmp_path / "out"
    with pytest.raises(docgen.TemplateError):
        docgen.render_file(EXAMPLE, out, registry=registry)
    _assert_nothing_written(out)


def test_template_copy_renders_when_untouched(templates_copy, tmp_path):
    """Control for the sandbox tests: a harmless tag in the same cell renders."""
    _set_cell(templates_copy / "xlsx" / "selfeval-2022.xlsx", "备注：{{ project.name }}")
    registry = docgen.load_registry(templates_copy)
    result = docgen.render_file(EXAMPLE, tmp_path / "out", registry=registry)
    ws = load_workbook(result.files[1]).active
    assert ws[f"I{row_of(ws, '总分')}"].value == "备注：残疾人权益保障经费"


# ---------------------------------------------------------------- computed scores


def test_computed_scores_are_numbers(computed_rendered):
    """Nothing declared: the computed 执行率 (rounded to 0.01%), 得分 and 总分 stored as numbers."""
    ws = load_workbook(computed_rendered.files[1]).active
    r = row_of(ws, "年度资金总额", col="B")
    assert [ws[f"{c}{r}"].value for c in "DEFGHI"] == [1943200, 1561500, 1505492, 10, 0.9641, 9.64]
    assert ws[f"H{r}"].number_format == RATE_FORMAT
    first = indicator_first_row(ws)
    assert [[ws[f"{c}{first + i}"].value for c in "GH"] for i in range(3)] == [[30, 27], [30, 24], [30, 30]]
    total = row_of(ws, "总分")
    assert [ws[f"G{total}"].value, ws[f"H{total}"].value] == [100, 90.64]
    for coord in (f"I{r}", f"H{first}", f"H{total}"):
        assert ws[coord].data_type == "n", coord


def test_declared_values_win_on_the_form(computed_rendered):
    """Declared 执行率 91.00% / 得分 9.5 / 25 / 总分 95 are stored, not the rule's 0.9 / 9 / 27 / 94.5."""
    ws = load_workbook(computed_rendered.files[3]).active
    assert ws["B3"].value == "申报值项目"
    r = row_of(ws, "年度资金总额", col="B")
    assert [ws[f"{c}{r}"].value for c in "GHI"] == [10, 0.91, 9.5]
    first = indicator_first_row(ws)
    assert [[ws[f"{c}{first + i}"].value for c in "GH"] for i in range(2)] == [[30, 25], [60, 60]]
    total = row_of(ws, "总分")
    assert [ws[f"G{total}"].value, ws[f"H{total}"].value] == [100, 95]


def test_rich_text_paragraphs_are_joined_by_newlines(computed_rendered):
    ws = load_workbook(computed_rendered.files[1]).active
    r = row_of(ws, "年度总体目标") + 1
    assert ws[f"B{r}"].value == "第一段目标\n第二段&目标"
    assert ws[f"F{r}"].value == "完成情况\n第二行"


def test_empty_goal_and_achieved_cells_are_blank(empty_text_rendered):
    ws = load_workbook(empty_text_rendered.files[1]).active
    r = row_of(ws, "年度总体目标") + 1
    assert [ws[f"B{r}"].value, ws[f"F{r}"].value] == [None, None]
    assert ws[f"D{r + 2}"].value == "活动次数"
