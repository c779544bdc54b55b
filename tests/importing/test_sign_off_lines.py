"""The lines a form prints outside its table (`read: lines:` in the manifest, issue 24):
「单位名称：区商务局　　填报日期：…」 over the 湖北式 table, 「填表人：…　　联系电话：…」 under
the 湖南 one, several label-and-value pairs on one line, as Word paragraphs, a sheet's row
or a PDF's text.  Each declared label's value is read into its field; what such a line
carries that is no declared label's value is refused, naming its place; a note under the
table (a sentence) is no sign-off and is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.inputs.importing import import_forms
from docgen.inputs.importing.grid import Cell, FormText
from docgen.inputs.importing.lines import parts, sign_off
from docgen.model.unit import Unit
from importing import region_forms as R

runner = CliRunner()
DECLARED = {"sign_off.filled_by": ("填表人", "填报人"), "sign_off.phone": ("联系电话",), "sign_off.filled_on": ("填报日期",)}
KNOWN = "（本版本的签署栏：填表人、联系电话、填报日期）"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("填表人：张三　　联系电话：123", [("填表人", "张三"), ("联系电话", "123")]),
        ("填表人：张三 联系电话：123", [("填表人", "张三"), ("联系电话", "123")]),  # a PDF keeps one space of the gap
        ("填报日期：2021 年 4 月 22 日", [("填报日期", "2021 年 4 月 22 日")]),
        ("填报日期：　　单位负责人签字：", [("填报日期", ""), ("单位负责人签字", "")]),
        ("填表人：张三　　13800000000", [("填表人", "张三"), (None, "13800000000")]),
        ("备注：1.预算数为调整后财政资金总额。", [(None, "备注：1.预算数为调整后财政资金总额。")]),  # a note, not a pair
        ("2023年项目支出绩效目标申报表", [(None, "2023年项目支出绩效目标申报表")]),
    ],
)
def test_a_line_is_cut_into_its_label_and_value_pairs(text, expected):
    assert [(p.label, p.value) for p in parts(text, "某处")] == expected


def _form(after=(), preamble=(), rows=()) -> FormText:
    grid = [[Cell(t, c, f"表!{chr(65 + c)}{r + 1}") for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return FormText(Path("表.docx"), "表格 1", grid or [[Cell("项目名称", 0, "表!A1"), Cell("甲", 1, "表!B1")]], list(preamble), None, list(after))


_BELOW = "表格 1 下方第 1 段文字"


@pytest.mark.parametrize(
    "form, values, problems",
    [
        pytest.param(_form(["填表人：张三　　联系电话：123　　填报日期：2024年1月5日"]),
                     {"sign_off.filled_by": "张三", "sign_off.phone": "123", "sign_off.filled_on": "2024年1月5日"}, [], id="one-line"),
        pytest.param(_form(preamble=["某表", "填报人：李四"]), {"sign_off.filled_by": "李四"}, [], id="above-synonym"),
        pytest.param(_form(["填表人：张三", "联系电话：123"]), {"sign_off.filled_by": "张三", "sign_off.phone": "123"}, [], id="two-lines"),
        pytest.param(_form(rows=[["项目名称", "甲"], ["填表人", "张三", "联系电话：123"]]),
                     {"sign_off.filled_by": "张三", "sign_off.phone": "123"}, [], id="grid-row-label-cell"),
        pytest.param(_form(["注：本表金额单位为万元。", "填表人：张三"]), {}, [], id="a-note-ends-the-block"),
        pytest.param(_form(["填表人 张三 联系电话 123"]), {"sign_off.filled_by": "张三", "sign_off.phone": "123"}, [], id="no-colon-spaced"),
        pytest.param(_form(["填表人 张三　　复核 李四"]), {"sign_off.filled_by": "张三"},
                     [f"{_BELOW}「复核 李四」不在签署栏的任何标签之后，无法读入：请写在「标签：」之后{KNOWN}"], id="no-colon-unknown"),
        pytest.param(_form(["填表人：张三　　审核人：李四"]), {"sign_off.filled_by": "张三"},
                     [f"{_BELOW}「审核人：李四」：「审核人」不是本表签署栏的项目，无法读入{KNOWN}"], id="unknown-label-beside"),
        pytest.param(_form(["填表人：张三　　13800000000"]), {"sign_off.filled_by": "张三"},
                     [f"{_BELOW}「13800000000」不在签署栏的任何标签之后，无法读入：请写在「标签：」之后{KNOWN}"], id="value-after-no-label"),
        pytest.param(_form(["填表人：张三", "审核人：李四"]), {"sign_off.filled_by": "张三"},
                     [f"表格 1 下方第 2 段文字「审核人：李四」：「审核人」不是本表签署栏的项目，无法读入{KNOWN}"], id="unknown-line-under"),
        pytest.param(_form(["填表人：张三　　审核人：" + "李" * 5000]), {"sign_off.filled_by": "张三"},
                     [f"{_BELOW}「审核人：{'李' * 36}…」：「审核人」不是本表签署栏的项目，无法读入{KNOWN}"], id="a-long-line-is-quoted-short"),
        pytest.param(_form(["填表人：" + "张" * 5000, "填报人：王五"]), {"sign_off.filled_by": "张" * 5000},
                     [f"表格 1 下方第 2 段文字「填报人」印了两处，内容不同：此处为「王五」，表格 1 下方第 1 段文字 为「{'张' * 40}…」：请删去其中一处"],
                     id="twice-long"),
        pytest.param(_form(preamble=["金额单位：万元"]), {}, [], id="unknown-line-above-left-alone"),
        pytest.param(_form(["填表人：张三", "填报人：王五"]), {"sign_off.filled_by": "张三"},
                     ["表格 1 下方第 2 段文字「填报人」印了两处，内容不同：此处为「王五」，表格 1 下方第 1 段文字 为「张三」：请删去其中一处"], id="twice"),
    ],
)  # fmt: skip
def test_sign_off_values_and_problems(form, values, problems):
    found, refused = sign_off(form, DECLARED)
    assert {k: p.value for k, p in found.items()} == values
    assert refused == problems


# ------------------------------------------------------------------ whole forms, Word and Excel


def _hunan(below: list[str], folder, suffix: str):
    grid = R.Grid(R.HUNAN.above, R.HUNAN.rows, below)
    path = folder / f"表{suffix}"
    return R.docx_of(grid, path) if suffix == ".docx" else R.xlsx_of(grid, path, sheet="申报表")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_every_sign_off_label_of_the_line_under_the_table_is_read(tmp_path, suffix):
    path = _hunan(["填表人：宋云花　　联系电话：16607326331　　填报日期：2023年6月1日　　单位负责人签字：王某"], tmp_path, suffix)
    sign = Unit.model_validate(import_forms([path]).source.data).projects[0].sign_off
    assert (sign.filled_by, sign.phone, sign.filled_on, sign.unit_lead) == ("宋云花", "16607326331", "2023年6月1日", "王某")


@pytest.mark.parametrize(
    "below, suffix, message",
    [
        (["填表人：宋云花　　审核人：李四"], ".docx", "表格 1 下方第 1 段文字「审核人：李四」：「审核人」不是本表签署栏的项目，无法读入（本版本的签署栏：填表人、联系电话、填报日期、单位负责人签字）"),
        (["填表人：宋云花　　审核人：李四"], ".xlsx", "申报表!B20「审核人：李四」：「审核人」不是本表签署栏的项目，无法读入"),
        (["填表人：宋云花　　16607326331"], ".docx", "表格 1 下方第 1 段文字「16607326331」不在签署栏的任何标签之后，无法读入"),
        (["填表人：宋云花", "复核人：李四"], ".docx", "表格 1 下方第 2 段文字「复核人：李四」：「复核人」不是本表签署栏的项目"),
        (["填表人：宋云花", "复核人：李四"], ".xlsx", "申报表!A21「复核人：李四」：「复核人」不是本表签署栏的项目"),
    ],
)  # fmt: skip
def test_a_sign_off_the_version_cannot_place_is_refused_naming_its_place(tmp_path, below, suffix, message):
    path = _hunan(below, tmp_path, suffix)
    out = tmp_path / "单位.yaml"
    result = runner.invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    assert message in result.output


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_note_under_the_table_is_no_sign_off(tmp_path, suffix):
    path = _hunan([*R.HUNAN.below, "注：1.本表金额单位为万元；2.绩效标准填计划标准、行业标准或历史标准。"], tmp_path, suffix)
    sign = Unit.model_validate(import_forms([path]).source.data).projects[0].sign_off
    assert (sign.filled_by, sign.phone) == ("宋云花", "16607326331")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_sign_off_line_under_another_versions_form_does_not_make_it_mixed(tmp_path, suffix):
    """「填表人：…　　联系电话：…」 (labels the 湖南 version declares) typed under the 安徽 form:
    still the 安徽 form, read as before; `templates check` (strict) names them."""
    from docgen.inputs.importing.grid import docx_forms, xlsx_forms
    from docgen.inputs.importing.recognise import fits
    from docgen.registry.manifest import default_registry

    grid = R.Grid(R.ANHUI.above, R.ANHUI.rows, ["填表人：张三　　联系电话：123"])
    path = tmp_path / f"表{suffix}"
    R.docx_of(grid, path) if suffix == ".docx" else R.xlsx_of(grid, path)
    (form,) = (docx_forms if suffix == ".docx" else xlsx_forms)(path, path.read_bytes())
    registry = default_registry()
    best = fits(form, registry)[0]
    assert (best.version.version, best.unexpected) == ("anhui-2022", [])
    strict = next(f for f in fits(form, registry, strict=True) if f.version.version == "anhui-2022")
    assert [(text, other.version) for text, _, other in strict.unexpected] == [("填表人", "hunan-2023"), ("联系电话", "hunan-2023")]
    plain = tmp_path / "plain"
    plain.mkdir()
    original = R.docx_of(R.ANHUI, plain / "表.docx") if suffix == ".docx" else R.xlsx_of(R.ANHUI, plain / "表.xlsx")
    assert import_forms([path]).source.data == import_forms([original]).source.data
