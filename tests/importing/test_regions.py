"""Forms of other regions (issue 24), typed into Word and Excel as clerks there would
(`region_forms`): each is recognised as its own version by its labels, read value by
value (amounts converted from 万元 exactly, targets split over three cells joined, points
in the class cells taken off), and checked: the published slips are found."""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from docgen.check.checking import check_source
from docgen.cli.app import app
from docgen.inputs.importing import import_forms
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry
from importing import region_forms as R

runner = CliRunner()
SUFFIXES = (".docx", ".xlsx")


def build(grid: R.Grid, folder, suffix: str, name: str = "表"):
    path = folder / f"{name}{suffix}"
    return R.docx_of(grid, path) if suffix == ".docx" else R.xlsx_of(grid, path)


def imported(grid: R.Grid, folder, suffix: str):
    result = import_forms([build(grid, folder, suffix)])
    checked = check_source(result.source, default_registry())
    unit = Unit.model_validate(result.source.data)
    return result, unit, checked.reports


def codes(reports) -> list[tuple[str, str]]:
    return sorted((f.severity.name, f.code) for r in reports for f in r.findings)


def read_line(result) -> str:
    assert len(result.read) == 1, result.read
    return result.read[0].split("：", 2)[2]  # after 「path：表格 1：」 / 「path：自评表：」


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_anhui_reads_本年财政拨款_and_finds_the_published_slip(tmp_path, suffix):
    result, unit, reports = imported(R.ANHUI, tmp_path, suffix)
    assert read_line(result) == "安徽 项目支出绩效自评表 2022「委托业务项目」（金额单位为万元，已换算为元）"
    assert (unit.unit, unit.year, unit.amount_unit, unit.forms) == ("219001-池州市贵池区棠溪镇人民政府", 2022, "元", {"selfeval": "anhui-2022"})
    project = unit.projects[0]
    funds = project.evaluation.funds
    assert (funds.total.initial, funds.total.budget, funds.total.executed) == (Decimal(0), Decimal(0), Decimal(0))
    assert (funds.fiscal.initial, funds.fiscal.budget, funds.fiscal.executed) == (Decimal(900000), Decimal(899740), Decimal(899740))
    # 「产出指标（50分）」 is class 产出指标 worth 50: no taxonomy error, the points kept and checked.
    assert project.evaluation.class_weights == {"产出指标": Decimal(50), "效益指标": Decimal(30)}
    assert [(i.level1, i.level2, i.name, i.weight) for i in project.indicators][:2] == [
        ("产出指标", "数量指标", "基建工程委托业务项目数量", Decimal(8)),
        ("产出指标", "质量指标", "委托业务报告合格率", Decimal(8)),
    ]
    assert len(project.indicators) == 9  # the blank 经济效益指标 template row is no indicator
    assert codes(reports) == [
        ("ERROR", "funds-sum"), ("ERROR", "funds-sum"), ("ERROR", "funds-sum"),
        ("ERROR", "rate-missing"),
        ("ERROR", "weights-total"),  # the page ends before the 满意度指标 row: 10 + 80
        ("WARNING", "unit-mismatch"),
    ]  # fmt: skip
    sums = [f.message for r in reports for f in r.findings if f.code == "funds-sum"]
    assert sums[0] == "项目资金「年初预算数」不平衡：年度资金总额 0，本年财政拨款 + 上年结转资金 + 其他资金 = 90"


# The national layout typed with the other words clerks' copies use for its labels (the
# kind's `synonyms:`), as a county of another province might: read as the closest version.
OTHER_WORDS = {
    "实施单位": "项目单位", "执行率": "预算执行率", "其中：本年财政拨款": "其中：财政拨款", "年度资金总额：": "资金总额",
    "年度指标值": "指标值", "实际完成值": "完成值", "分值": "权重", "偏差原因分析及改进措施": "偏差原因及改进措施",
    "预期目标": "年度目标", "实际完成情况": "目标完成情况",
}  # fmt: skip


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_form_in_other_words_reads_as_the_closest_version(tmp_path, suffix):
    grid = R.Grid(["项目绩效自评表", "（2023年度）"], [[OTHER_WORDS.get(c, c) for c in row] for row in R.ANHUI.rows])
    result, unit, reports = imported(grid, tmp_path, suffix)
    assert read_line(result) == "安徽 项目支出绩效自评表 2022「委托业务项目」（金额单位为万元，已换算为元）"
    assert (unit.year, unit.executor, unit.forms) == (2023, "219001-池州市贵池区棠溪镇人民政府", {"selfeval": "anhui-2022"})
    project = unit.projects[0]
    funds = project.evaluation.funds
    assert (funds.total.budget, funds.fiscal.initial, funds.fiscal.executed) == (Decimal(0), Decimal(900000), Decimal(899740))
    assert project.annual_goal.startswith("本项目共申请预算资金90万元") and project.evaluation.achieved.startswith("本项目共完成预算资金89.97万元")
    assert [(i.target, i.actual, i.weight) for i in project.indicators][:2] == [("≥50个", "50", Decimal(8)), ("≥100百分比", "100", Decimal(8))]
    assert codes(reports)[:3] == [("ERROR", "funds-sum")] * 3  # the published slip, found in the other words too


def test_a_versions_own_label_for_another_field_is_not_its_synonym():
    """四川 reads 指标值 as the value part of its split target: the kind's synonym
    「指标值」 of a whole 年度指标值 is not added to it, nor 年度指标值 to its 指标值."""
    registry = default_registry()
    sichuan = registry.version("selfeval", "sichuan-2023").reading.indicators.columns
    assert "target" not in sichuan and sichuan["target_value"] == ("指标值",)
    yunnan = registry.version("selfeval", "yunnan-2020").reading.indicators.columns
    assert "指标值" not in yunnan["target"] and yunnan["target_value"] == ("指标值",)
    assert "指标值" in registry.version("selfeval", "anhui-2022").reading.indicators.columns["target"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_yunnan_reads_targets_through_the_two_row_header(tmp_path, suffix):
    result, unit, reports = imported(R.YUNNAN, tmp_path, suffix)
    assert read_line(result).startswith("云南 项目支出绩效自评表 2020「2020年省级自然资源卫片执法补助经费支出绩效自评表」")
    project = unit.projects[0]
    assert [(i.name, i.target, i.actual, i.weight, i.score) for i in project.indicators] == [
        ("卫片执法补助经费", "=72890元", "72890", Decimal(10), Decimal(9)),
        ("项目验收合格率", "=100%", "100", Decimal(20), Decimal(19)),
        ("项目完成及时率", "=100%", "100", Decimal(20), Decimal(19)),
        ("违法行为责停率", "≥95%", "95", Decimal(30), Decimal(27)),
        ("满意度", "≥95%", "95", Decimal(10), None),
    ]
    assert project.evaluation.funds.total.budget == Decimal(72900)
    score = reports[0].score
    assert (score.total, score.grade) == (Decimal("94.00"), "优")
    # Full marks by the rules where the unit declared less, with no reason written: the published slips.
    assert codes(reports).count(("WARNING", "score-mismatch")) == 4
    assert codes(reports).count(("ERROR", "deviation-missing")) == 4


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_sichuan_reads_its_sources_texts_and_split_targets(tmp_path, suffix):
    result, unit, reports = imported(R.SICHUAN, tmp_path, suffix)
    assert read_line(result) == "四川 部门预算项目支出绩效自评表 2023「51000021R000000019951-工资性支出」（金额单位为万元，已换算为元）"
    project = unit.projects[0]
    assert (unit.department_of(project), unit.executor_of(project)) == ("青神县发展和改革局本级", "青神县发展和改革局")
    ev = project.evaluation
    assert (ev.funds.total.initial, ev.funds.total.budget, ev.funds.total.executed) == (Decimal(2389300), Decimal(2518900), Decimal(2518900))
    assert ev.funds.fiscal.budget == Decimal(2518900)
    assert (ev.funds.special_account.budget, ev.funds.unit_own.budget, ev.funds.other.budget) == (Decimal(0), Decimal(0), None)
    printed = result.printed["projects"][0]["evaluation"]["execution"]  # the form's values, before the rules' own are dropped
    assert (printed["weight"], printed["rate"]) == ("10", "100.00%")
    assert (reports[0].score.execution.weight, reports[0].score.execution.rate) == (Decimal(10), Decimal(1))
    assert ev.execution.reason.startswith("1.预算执行率=预算执行数/调整后预算数")
    assert ev.conclusion.startswith("结合自评情况,说明项目自评总分")
    assert ev.problems == "结合自评情况,分析存在的问题及原因。(200字以内)"
    assert ev.improvements.startswith("针对项目自评中发现的问题")
    assert project.annual_goal.startswith("严格执行相关政策")
    assert [(i.level1, i.level2, i.name, i.target, i.weight) for i in project.indicators] == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", Decimal(60)),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", Decimal(30)),
    ]
    assert project.sign_off is None  # 项目负责人： and 财务负责人： left blank
    score = reports[0].score
    assert (score.execution.computed, score.total) == (Decimal("10.00"), Decimal("10.00"))  # no 完成值 typed: 0 分 each
    # The published form left 完成值 blank and its template prompts in place of the answers:
    # each a finding of the completeness checks every profile runs.
    assert codes(reports) == [("ERROR", "actual-missing")] * 2 + [("ERROR", "deviation-missing")] * 2 + [("ERROR", "prompt-left")] * 4


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_hubeistyle_weights_from_the_class_headings(tmp_path, suffix):
    result, unit, reports = imported(R.HUBEI, tmp_path, suffix)
    assert read_line(result) == "湖北式 项目自评表 2020「2020 年市级服务贸易发展资金」（金额单位为万元，已换算为元）"
    assert (unit.unit, unit.year) == ("区商务局", 2020)
    project = unit.projects[0]
    ev = project.evaluation
    assert (ev.funds.total.budget, ev.funds.total.executed) == (Decimal(2858400), Decimal(2858400))
    # 预算执行情况（20分）: the version's profile (hubei-style-2020) gives the same 20, so the
    # import leaves the printed weight out, as it does every value the rules compute.
    assert (ev.execution.weight, reports[0].score.execution.weight) == (None, Decimal(20))
    assert ev.class_weights == {"产出指标": Decimal(60), "效益指标": Decimal(40)}
    assert [i.weight for i in project.indicators] == [Decimal(10)] * 6 + [Decimal(20)] * 2
    assert [(i.level2, i.target, i.actual) for i in project.indicators][4] == ("时效指标", "90%", "100%")
    assert project.extra["项目类别"] == "1、部门预算项目 2、区直专项"
    assert project.sign_off.unit_lead == "签名：　　年　月　日"
    score = reports[0].score
    assert (score.execution.computed, score.total, ev.total_score) == (Decimal("20.00"), Decimal("120.00"), Decimal(100))
    # The published slip: 产出指标（60分）+ 效益指标（40分）= 100 under 年度绩效目标（80分）.
    assert codes(reports) == [("ERROR", "total-mismatch"), ("ERROR", "weights-total")]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_hunan_declaration_reads(tmp_path, suffix):
    result, unit, reports = imported(R.HUNAN, tmp_path, suffix)
    assert read_line(result) == "湖南 项目支出绩效目标申报表 2023「雾炮车降尘抑尘服务」（金额单位为万元，已换算为元）"
    assert (unit.unit, unit.year, unit.forms) == ("湘潭市环境卫生管理处", 2023, {"target": "hunan-2023"})
    project = unit.projects[0]
    d = project.declaration
    assert (d.period, d.funds.annual_total, d.funds.annual_superior) == ("2023.07-2024.01", Decimal(2500000), Decimal(0))
    assert project.overall_goal == project.annual_goal == R._GOAL
    assert [(i.level1, i.level2, i.name, i.target, i.standard) for i in project.indicators] == [
        ("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆", "计划标准"),
        ("产出指标", "数量指标", "雾炮车风炮射程", "≥80M", "计划标准"),
        ("产出指标", "质量指标", "服务周期内空气质量", "优良", "计划标准"),
        ("产出指标", "时效指标", "服务周期", "2023.07-2024.01", "计划标准"),
        ("产出指标", "成本指标", "控制在预算成本内", "250万", "计划标准"),
        ("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%", "计划标准"),
        ("效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%", "计划标准"),
    ]  # the blank template rows (经济、生态效益、可持续影响指标) are no indicators
    assert (project.sign_off.filled_by, project.sign_off.phone, project.sign_off.filled_on) == ("宋云花", "16607326331", "")
    assert codes(reports) == []


def _edited(grid: R.Grid, edits: dict[tuple[int, int], str]) -> R.Grid:
    rows = [list(r) for r in grid.rows]
    for (r, c), text in edits.items():
        rows[r][c] = text
    return R.Grid(list(grid.above), rows, list(grid.below))


def _refused(grid: R.Grid, folder, suffix: str = ".docx") -> str:
    path = build(grid, folder, suffix)
    out = folder / "单位.yaml"
    result = runner.invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    return result.output


@pytest.mark.parametrize(
    "grid, edits, suffix, message",
    [
        pytest.param(R.ANHUI, {(4, 1): "其中：本年拨款"}, ".docx",
                     "表格 1 第 5 行第 2 列「其中：本年拨款」不是本表资金表的行，无法读入（本版本的行：年度资金总额、其中：本年财政拨款、上年结转资金、其他资金）",
                     id="funds-row-unknown"),
        pytest.param(R.ANHUI, {(4, 1): "其中：本年拨款"}, ".xlsx", "自评表!B8「其中：本年拨款」不是本表资金表的行", id="funds-row-unknown-xlsx"),
        pytest.param(R.YUNNAN, {(9, 9): "备注", (10, 9): "备注"}, ".docx",
                     "表格 1 第 10 行第 10 列「备注」不是本版本绩效指标表的列，无法读入", id="indicator-column-unknown"),
        pytest.param(R.SICHUAN, {(7, 9): "说明"}, ".docx", "表格 1 第 8 行第 10 列「说明」不是本表资金表的列", id="funds-column-unknown"),
        # A value in the wrong place: 全年执行数 typed in the row label's cell.
        pytest.param(R.YUNNAN, {(5, 1): "7.29"}, ".docx", "表格 1 第 6 行第 2 列「7.29」不是本表资金表的行", id="value-in-label-cell"),
    ],
)  # fmt: skip
def test_a_row_or_column_the_version_does_not_have_is_refused_naming_its_cell(tmp_path, grid, edits, suffix, message):
    assert message in _refused(_edited(grid, edits), tmp_path, suffix)


def test_a_form_of_no_registered_version_is_a_near_miss(tmp_path):
    """A 自评表 whose funds and indicator headers use words no version declares."""
    edits = {
        (0, 0): "名称", (1, 0): "部门", (1, 5): "承办方", (2, 3): "期初数", (2, 4): "核定数", (2, 5): "支出数",
        (2, 6): "满分", (2, 7): "比率", (2, 8): "分数", (7, 1): "目标", (7, 5): "完成", (9, 3): "目标值",
        (10, 3): "比较", (10, 4): "数值", (10, 5): "计量", (9, 6): "实际", (9, 7): "满分", (9, 9): "说明",
    }  # fmt: skip
    output = _refused(_edited(R.YUNNAN, edits), tmp_path)
    assert (
        "表格 1: 表单：看似绩效表单，但与已登记的版本都不够相符：最接近的是「安徽 项目支出绩效自评表 2022」（selfeval/anhui-2022，相符 9/23 个标签）" in output
    )
    assert "缺少：项目名称、主管部门、实施单位、预期目标、实际完成情况、年初预算数、全年预算数、全年执行数 等" in output
    assert "请在 templates/manifest.yaml 中登记" in output


def test_a_form_mixing_two_versions_labels_names_the_other_versions_label(tmp_path):
    """A 四川 form whose indicator table has the 云南 two-row heading 年度指标值 over its split target."""
    rows = [list(r) for r in R.SICHUAN.rows]
    rows[13:14] = [
        ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "年度指标值", "<", "<", "完成值", "权重", "得分", "未完成原因分析"],
        ["^", "^", "^", "^", "指标性质", "指标值", "度量单位", "^", "^", "^", "^"],
    ]
    output = _refused(R.Grid(R.SICHUAN.above, rows), tmp_path)
    assert "表格 1 第 14 行第 5 列「年度指标值」不是本版本绩效指标表的列，无法读入" in output
    assert "表中混有其他版本的标签：「年度指标值」（表格 1 第 14 行第 5 列，属于「" in output
    assert "本表按「四川 部门预算项目支出绩效自评表 2023」读取" in output


@pytest.mark.parametrize(
    "count, text",
    [
        (1_200, "自评表!A1013：绩效指标超过 1,000 行，不像一张表单"),  # the indicator table's bound
        (10_000, "自评表!A10017：工作表有 10,017 行，超过一张表单的上限 10,000 行，不像表单"),  # the received sheet's, before it is read
    ],
)
def test_a_table_of_ten_thousand_rows_is_refused(tmp_path, count, text):
    rows = [list(r) for r in R.YUNNAN.rows]
    rows += [["效益指标", "社会效益指标", f"指标{n}", "≥", "95", "%", "95", "1", "1", _] for n in range(count)]
    output = _refused(R.Grid(R.YUNNAN.above, rows), tmp_path, ".xlsx")
    assert text in output


_ = ""


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_labels_renamed_to_synonyms_and_columns_reordered_still_read(tmp_path, suffix):
    """The 安徽 form typed with other clerks' words (项目支出名称, 预算部门, 其中：当年财政拨款,
    权重, 完成值, 未完成原因分析) and 实际完成值 / 年度指标值 swapped: the same values."""
    rows = [list(r) for r in R.ANHUI.rows]
    rows[0][0], rows[1][0], rows[4][1] = "项目支出名称", "预算部门", "其中：当年财政拨款"
    for r in range(9, len(rows)):
        rows[r][4], rows[r][5] = rows[r][5], rows[r][4]
    rows[9][5], rows[9][4] = "年度指标值", "完成值"
    rows[9][6], rows[9][8] = "权重", "未完成原因分析"
    result, unit, reports = imported(R.Grid(R.ANHUI.above, rows), tmp_path, suffix)
    _, original, _ = imported(R.ANHUI, tmp_path / "..", suffix)
    assert unit.projects[0].indicators == original.projects[0].indicators
    assert unit.projects[0].evaluation.funds == original.projects[0].evaluation.funds
    assert codes(reports).count(("ERROR", "funds-sum")) == 3


# ------------------------------------------------------------------ printed PDFs

_EMPTY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 23>>stream\n0 0 m 100 100 l S\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)  # one page with a line drawn and no text: what a scanner's PDF holds besides its image


def test_a_pdf_without_text_is_refused(tmp_path):
    path = tmp_path / "某单位2022年度自评表.pdf"
    path.write_bytes(_EMPTY_PDF)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "是扫描件或图片 PDF（没有文字层），无法读取：请提供 Word/Excel 原件，或可以复制文字的 PDF" in result.output


def _spaced(value):
    if isinstance(value, dict):
        return {k: _spaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_spaced(v) for v in value]
    return " ".join(value.split()) if isinstance(value, str) else value


@pytest.mark.office
@pytest.mark.parametrize("grid", ["ANHUI", "YUNNAN", "SICHUAN", "HUBEI", "HUNAN"])
def test_a_printed_pdf_reads_as_its_word_form(tmp_path, grid):
    """The Word form printed to PDF by LibreOffice imports through the same reader to the
    same unit (values, findings), its cells named by page and table."""
    import subprocess

    from docx import Document
    from docx.shared import Pt

    docx = build(getattr(R, grid), tmp_path, ".docx")
    doc = Document(docx)
    doc.styles["Normal"].font.size = Pt(7)  # one page: a row split over two pages is not read back (README, PDF)
    doc.save(docx)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = docx.with_suffix(".pdf")
    from_docx = import_forms([docx])
    from_pdf = import_forms([pdf])
    assert from_pdf.read[0].split("：", 2)[2].replace("第 1 页", "") == from_docx.read[0].split("：", 2)[2]
    assert _spaced(from_pdf.source.data) == _spaced(from_docx.source.data)  # a PDF's text has one space where 「　　」 was typed
    checked = check_source(from_pdf.source, default_registry())
    assert codes(checked.reports) == codes(check_source(from_docx.source, default_registry()).reports)
