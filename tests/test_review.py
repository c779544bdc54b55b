"""`docgen review`: the finance bureau's review workbook and the 审核意见 letters."""

from decimal import Decimal

import pytest
from conftest import EXAMPLE, FIXTURES, ROOT
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.registry.manifest import DEFAULT_TEMPLATES, load_registry
from docgen.review.letters import letter_context
from docgen.review.table import review_unit, review_workbook

runner = CliRunner()
MINIMAL = FIXTURES / "minimal.yaml"
SSCARD = ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml"
DPF_LETTER = "上海市残疾人联合会-2022-审核意见.docx"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The example (six 自评表 with slips), a clean unit named `=1+1`, the declarations
    example and an unusable file, reviewed with letters."""
    folder = tmp_path_factory.mktemp("review")
    formula = folder / "formula.yaml"
    formula.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("unit: 测试单位", 'unit: "=1+1"'),
        encoding="utf-8",
    )
    bad = FIXTURES / "bad" / "bad_amount.yaml"
    result = run("review", EXAMPLE, formula, SSCARD, bad, "-o", folder / "审核汇总.xlsx", "--letters", folder / "letters")
    return folder, result, formula, bad


def test_review_exit_code_and_lines(reviewed):
    folder, result, formula, bad = reviewed
    assert result.exit_code == 2, result.output  # an unusable input
    assert "Traceback" not in result.output
    assert f"【4/4】{bad}：已跳过" in result.output
    assert f"已写入审核汇总：{folder / '审核汇总.xlsx'}（单位 3 个，项目表单 14 份，问题 9 条）" in result.output
    assert f"已写入审核意见：{folder / 'letters' / DPF_LETTER}" in result.output
    assert result.output.splitlines()[-1] == "共 4 个单位：完成 3 个，无法使用或未生成 1 个；项目 14 个，错误 4 条，提示 5 条。"


def test_summary_sheet(reviewed):
    folder = reviewed[0]
    wb = load_workbook(folder / "审核汇总.xlsx")
    assert wb.sheetnames == ["汇总", "项目", "问题"]
    ws = wb["汇总"]
    assert [c.value for c in ws[2]] == ["单位", "年度", "表单", "项目数", "资金合计（元）", "执行率", "平均总分", "优", "良", "中", "差", "错误", "提示"]
    dpf = [c.value for c in ws[3]]
    assert dpf[:5] == ["上海市残疾人联合会", 2022, "财政项目支出绩效自评表（2022 版）", 6, 20151325]
    assert round(dpf[5], 6) == round(17695563.94 / 20151325, 6)
    assert dpf[6:] == [94.46, 5, 1, 0, 0, 4, 5]
    # the clean unit: its name `=1+1` kept as text
    assert [c.value for c in ws[4]] == ["=1+1", 2023, "财政项目支出绩效自评表（2022 版）", 1, 100, 0.9, 99, 1, 0, 0, 0, 0, 0]
    assert ws["A4"].data_type == "s"
    assert [c.value for c in ws[5]][:5] == ["上海市社会保障卡服务中心", 2023, "财政项目支出绩效目标申报表（2023 版）", 7, 23513907]
    assert ws["A6"].value == "合计"
    assert ws["D6"].value == "=SUM(D3:D5)"
    assert ws["E6"].value == "=SUM(E3:E5)"
    assert ws["F6"].value == ("=IF(SUMIF('项目'!F3:F16,\"<>\",'项目'!E3:E16)=0,\"\",SUM('项目'!F3:F16)/SUMIF('项目'!F3:F16,\"<>\",'项目'!E3:E16))")
    assert ws["G6"].value == "=IF(COUNT('项目'!H3:H16)=0,\"\",ROUND(AVERAGE('项目'!H3:H16),2))"
    assert ws["L6"].value == "=SUM(L3:L5)"
    assert (ws["E3"].number_format, ws["F3"].number_format, ws["G3"].number_format, ws["L3"].number_format) == ("#,##0.00", "0.00%", "0.00", "0")
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:M5"
    assert [(str(r.sqref), rule.formula) for r in ws.conditional_formatting for rule in r.rules] == [("A3:M5", ["$L3>0"])]
    cached = load_workbook(folder / "审核汇总.xlsx", data_only=True)["汇总"]
    assert [cached[f"{c}6"].value for c in "DEHIJKLM"] == [14, 43665332, 6, 1, 0, 0, 4, 5]
    assert round(cached["F6"].value, 6) == round((17695563.94 + 90) / (20151325 + 100), 6)
    assert cached["G6"].value == 95.11  # the average of the seven 自评表' 总分


def test_project_sheet(reviewed):
    ws = load_workbook(reviewed[0] / "审核汇总.xlsx")["项目"]
    assert [c.value for c in ws[2]] == [
        "单位",
        "项目",
        "项目编码",
        "表单",
        "年度资金/全年预算数（元）",
        "全年执行数（元）",
        "执行率",
        "填报总分（合计行为平均分）",
        "规则计算总分（合计行为平均分）",
        "等级",
        "评分规则",
        "错误",
        "提示",
    ]
    first = [c.value for c in ws[3]]
    assert first == [
        "上海市残疾人联合会",
        "残疾人权益保障经费",
        None,
        "财政项目支出绩效自评表（2022 版）",
        1561500,
        1505492,
        0.9641,
        96,
        97.64,
        "优",
        "shanghai-2022",
        1,
        2,
    ]
    assert [c.value for c in ws[6]][7:10] == [89.15, 93.15, "良"]
    assert [c.value for c in ws[9]][:8] == ["=1+1", "测试项目", None, "财政项目支出绩效自评表（2022 版）", 100, 90, 0.9, 99]
    assert ws["A9"].data_type == "s"
    sscard = [c.value for c in ws[10]]
    assert sscard[:6] == ["上海市社会保障卡服务中心", "交换平台运行费", None, "财政项目支出绩效目标申报表（2023 版）", 446048, None]
    assert sscard[10] is None  # a 申报表 is not scored: no profile
    assert ws.max_row == 17 and ws["A17"].value == "合计"
    assert ws["E17"].value == "=SUM(E3:E16)"
    assert ws["H17"].value == '=IF(COUNT(H3:H16)=0,"",ROUND(AVERAGE(H3:H16),2))'
    assert ws["L17"].value == "=SUM(L3:L16)"
    assert ws.auto_filter.ref == "A2:M16" and ws.freeze_panes == "A3"
    rules = [(str(r.sqref), rule.formula) for r in ws.conditional_formatting for rule in r.rules]
    assert rules == [("A3:M16", ["$L3>0"])]
    cached = load_workbook(reviewed[0] / "审核汇总.xlsx", data_only=True)["项目"]
    assert [cached[f"{c}17"].value for c in "EFHILM"] == [43665332, 17695653.94, 95.11, 96.44, 4, 5]


def test_amounts_in_wan_yuan_are_stated_in_yuan(tmp_path):
    wan = tmp_path / "wan.yaml"
    wan.write_text(MINIMAL.read_text(encoding="utf-8").replace("amount_unit: 元", "amount_unit: 万元"), encoding="utf-8")
    row = review_unit(wan).rows[0]
    assert (row.funds, row.executed, row.rate) == (Decimal("1000000.00"), Decimal("900000.00"), Decimal("0.9"))


def test_issue_sheet(reviewed):
    folder, _, formula, bad = reviewed
    ws = load_workbook(folder / "审核汇总.xlsx")["问题"]
    assert [c.value for c in ws[2]] == ["单位", "项目", "指标", "级别", "内容", "文件:行 / 文件:单元格"]
    assert [c.value for c in ws[3]] == [
        "上海市残疾人联合会",
        "残疾人权益保障经费",
        None,
        "错误",
        "预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64",
        f"{EXAMPLE}:104",
    ]
    assert [c.value for c in ws[4]][2:4] == ["完成研究课题个数", "提示"]
    assert ws.max_row == 12  # 9 findings, the unusable file, no totals row
    last = [c.value for c in ws[12]]
    assert (last[3], last[5]) == ("无法读取", str(bad)) and last[4].startswith(f"输入文件有误：{bad}")
    assert ws.auto_filter.ref == "A2:F12" and ws.freeze_panes == "A3"
    rules = [(str(r.sqref), rule.formula, rule.dxf.fill.fgColor.rgb) for r in ws.conditional_formatting for rule in r.rules]
    assert rules == [("A3:F12", ['OR($D3="错误",$D3="无法读取")'], "00FFC7CE")]


def test_same_inputs_same_bytes():
    units = [review_unit(EXAMPLE), review_unit(SSCARD)]
    assert review_workbook(units) == review_workbook([review_unit(EXAMPLE), review_unit(SSCARD)])


def test_workbook_unit_file_findings_name_the_cell(tmp_path):
    book = tmp_path / "unit.xlsx"
    assert run("workbook", EXAMPLE, "-o", book).exit_code == 0
    unit = review_unit(book)
    assert unit.issues[0].where == f"{book}:项目!T2"
    assert letter_context(unit, load_registry(DEFAULT_TEMPLATES).letter("review"))["letter"]["projects"][0]["lines"][0].endswith(
        "（填报工作簿 项目!T2 单元格）"
    )


def _texts(path):
    return [p.text for p in Document(str(path)).paragraphs]


def test_letter_lists_every_finding_by_project(reviewed):
    texts = _texts(reviewed[0] / "letters" / DPF_LETTER)
    assert texts[:4] == [
        "上海市残疾人联合会2022年度绩效表单审核意见",
        "上海市残疾人联合会：",
        "你单位报送的2022年度财政项目支出绩效自评表（2022 版，6 个项目，按评分规则「shanghai-2022」计分）已收悉。经审核，发现须更正的问题 4 处、须核实的事项 5 处，分项目列示如下：",
        "一、项目「残疾人权益保障经费」",
    ]
    assert texts[4] == "1. 须更正：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64（数据文件第 104 行）"
    assert texts[5] == "2. 请核实：指标「完成研究课题个数」：得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）（数据文件第 26 行）"
    assert "五、项目「残疾人基本保障和帮扶经费」" in texts
    assert sum(1 for t in texts if t[:1].isdigit()) == 9
    assert "请对照上述意见更正「须更正」各项，对「请核实」各项核实后说明情况，重新生成并报送。" in texts


def test_letter_without_findings_is_short(reviewed):
    texts = [t for t in _texts(reviewed[0] / "letters" / "=1+1-2023-审核意见.docx") if t.strip()]
    assert texts[1:5] == [
        "=1+1：",
        "你单位报送的2023年度财政项目支出绩效自评表（2022 版，1 个项目，按评分规则「shanghai-2022」计分）已收悉。",
        "经审核，未发现需要更正或核实的问题。",
        "特此告知。",
    ]


def test_letter_template_is_registered_with_east_asian_fonts():
    spec = load_registry(DEFAULT_TEMPLATES).letter("review")
    assert (spec.kind, spec.version, spec.docx.name) == ("review", "2024", "review-letter.docx")
    doc = Document(str(spec.docx))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    title = doc.paragraphs[0].runs[0]
    assert title.text == "{{ letter.title }}" and title._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_existing_outputs_are_not_overwritten_without_force(tmp_path):
    target = tmp_path / "审核汇总.xlsx"
    assert run("review", MINIMAL, "-o", target).exit_code == 0
    before = target.read_bytes()
    target.write_bytes(b"notes")
    result = run("review", MINIMAL, "-o", target, "--letters", tmp_path / "letters")
    assert result.exit_code == 3
    assert f"文件已存在，未写入：{target}" in result.output
    assert target.read_bytes() == b"notes" and not (tmp_path / "letters").exists()
    result = run("review", MINIMAL, "-o", target, "--force")
    assert result.exit_code == 0 and target.read_bytes() == before


def test_review_of_units_with_errors_exits_1(tmp_path):
    result = run("review", EXAMPLE, MINIMAL, "-o", tmp_path / "r.xlsx", "-j", "2")
    assert result.exit_code == 1
    assert load_workbook(tmp_path / "r.xlsx")["汇总"]["A3"].value == "上海市残疾人联合会"


def test_missing_letter_template_is_reported(tmp_path, monkeypatch):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    (templates / "docx" / "review-letter.docx").unlink()
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(templates))
    result = run("review", MINIMAL, "-o", tmp_path / "r.xlsx", "--letters", tmp_path / "letters")
    assert result.exit_code == 2
    assert f"模板有误：{templates / 'docx' / 'review-letter.docx'}：模板文件不存在" in result.output
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "letters").exists()


def test_templates_list_shows_the_letter_and_flags_it_missing(tmp_path, monkeypatch):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(templates))
    result = run("templates", "list")
    assert result.exit_code == 0, result.output
    assert "* review 2024  绩效表单审核意见  （文书，docgen review --letters）" in result.output.splitlines()
    (templates / "docx" / "review-letter.docx").unlink()
    result = run("templates", "list")
    assert result.exit_code == 1
    assert f"{templates / 'docx' / 'review-letter.docx'}  （缺失）" in result.output


def test_same_bytes_whatever_the_number_of_workers(tmp_path):
    for jobs in ("1", "2"):
        assert run("review", EXAMPLE, SSCARD, MINIMAL, "-o", tmp_path / f"j{jobs}.xlsx", "-j", jobs).exit_code == 1
    assert (tmp_path / "j1.xlsx").read_bytes() == (tmp_path / "j2.xlsx").read_bytes()


def test_the_review_workbook_in_the_folder_reviewed_is_not_an_input(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "m.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("review", folder, "-o", folder / "审核汇总.xlsx").exit_code == 0
    result = run("review", folder, "-o", folder / "审核汇总.xlsx", "--force")
    assert result.exit_code == 0, result.output
    assert "单位 1 个" in result.output


def test_an_existing_letter_is_not_overwritten_without_force(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "测试单位-2023-审核意见.docx").write_bytes(b"edited")
    result = run("review", MINIMAL, "-o", tmp_path / "r.xlsx", "--letters", letters)
    assert result.exit_code == 3
    assert f"文件已存在，未写入：{letters / '测试单位-2023-审核意见.docx'}" in result.output
    assert not (tmp_path / "r.xlsx").exists()
    assert run("review", MINIMAL, "-o", tmp_path / "r.xlsx", "--letters", letters, "--force").exit_code == 0
    assert Document(str(letters / "测试单位-2023-审核意见.docx")).paragraphs[0].text == "测试单位2023年度绩效表单审核意见"


def test_a_finding_about_a_project_without_a_form_is_listed_and_counted(tmp_path):
    path = tmp_path / "codes.yaml"
    path.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("  - name: 测试项目\n", "  - name: 测试项目\n    code: A-1\n")
        + "  - name: 无表单项目\n    code: A-1\n    annual_goal: 目标\n",
        encoding="utf-8",
    )
    unit = review_unit(path)
    assert [(i.project, i.text, i.where) for i in unit.unit_issues] == [("无表单项目", "项目编码「A-1」与第 1 个项目「测试项目」重复", f"{path}:27")]
    assert unit.errors == 1
    ws = load_workbook(__import__("io").BytesIO(review_workbook([review_unit(MINIMAL), unit])))
    assert [c.value for c in ws["汇总"][4]][-2:] == [1, 0]  # the unit's own row, not the one before
    assert [c.value for c in ws["汇总"][3]][-2:] == [0, 0]
    assert [c.value for c in ws["问题"][3]][:4] == ["测试单位", "无表单项目", None, "错误"]


def test_templates_check_renders_the_letter_with_and_without_findings(tmp_path, monkeypatch):
    import shutil

    result = run("templates", "check", "review")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["review 2024：", "  通过"]
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    doc = Document(str(templates / "docx" / "review-letter.docx"))
    doc.paragraphs[0].runs[0].text = "{{ letter.nonexistent.name }}"
    doc.save(str(templates / "docx" / "review-letter.docx"))
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(templates))
    result = run("templates", "check", "review")
    assert result.exit_code == 1
    assert f"模板有误：{templates / 'docx' / 'review-letter.docx'}" in result.output
