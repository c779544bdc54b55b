"""One project record renders its 申报表 and, with an evaluation added, its 自评表."""

from conftest import ROOT
from docx import Document

EXAMPLE = ROOT / "data" / "examples" / "one-project-two-forms.yaml"


def indicator_rows(path, first_label):
    table = Document(str(path)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    start = next(i for i, r in enumerate(rows) if r[1] == "一级指标")
    body = rows[start + 1 :]
    return [r for r in body if r[0] == first_label]


def test_one_record_two_forms(rendered_once):
    result = rendered_once(EXAMPLE)  # the session's one render of the example: read only
    names = [p.name for p in result.forms]
    assert names == [
        "1-交换平台运行费-财政项目支出绩效目标申报表.docx",
        "1-交换平台运行费-财政项目支出绩效目标申报表.xlsx",
        "1-交换平台运行费-财政项目支出绩效自评表.docx",
        "1-交换平台运行费-财政项目支出绩效自评表.xlsx",
    ]
    assert result.findings == []
    (report,) = result.of_kind("selfeval")
    assert str(report.score.total) == "99.07"

    declared = [(r[3], r[4]) for r in indicator_rows(result.files[0], "绩效指标")]
    evaluated = [(r[3], r[4]) for r in indicator_rows(result.files[2], "绩效指标") if r[3] != "总分"]
    assert declared == [
        ("电费缴纳完成率", "=100.00(%)"),
        ("电费缴纳准确率", "=100.00(%)"),
        ("电费缴纳及时率", "=100.00(%)"),
        ("系统运行用电保障天数", "=365.00(天)"),
        ("长效管理机制健全性", "稳定"),
        ("市民满意度", "≥90.00(%)"),
    ]
    # the 自评表 takes its 年度指标值 from the declaration, except where evaluated_target overrides
    assert evaluated == declared[:4] + [("长效管理机制健全性", "健全"), ("市民满意度", "≥90.00(%)")]
