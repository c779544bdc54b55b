"""Build the 湖北式 项目自评表 templates (version `hubeistyle-2020`):
templates/docx/selfeval-hubeistyle-2020.docx and templates/xlsx/selfeval-hubeistyle-2020.xlsx.

Layout source: ../shared/reference/regions/hubeistyle-selfeval-2020.txt (a district unit's
2020年市级服务贸易发展资金项目自评表) and rules-hubeistyle-2020.txt (the same template
filled by another unit): seven columns, the cells as the grid typed in
tests/importing/region_forms.py `HUBEI`; 预算执行情况（万元）（20分） one row, 年度绩效目标
（80分） without a 分值 column, the class points in the 一级指标 cells, one 偏差大或目标
未完成原因分析 and one 改进措施及结果应用方案 for the form, 单位主要负责人签批意见.  The
scoring rules the form prints under it (备注) are printed too, as the reference has them.
The committed templates are the source of truth; this script is how they were made:

    python scripts/templates_hubeistyle.py [OUT_DIR]      # default: templates/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from region_templates import ROOT, excel_form, vmerge_block, word_form  # noqa: E402

AMOUNT = "#,##0.00"
RATE = "0.00%"
# ASCII spaces: ideographic ones print 年 / 月 / 日 as words apart (pdftotext reads three lines)
SIGN = "签名：    年  月  日"
# The options of the three choice rows, as the blank template prints them.
OPTIONS = {
    "项目类别": "1、部门预算项目　2、区直专项",
    "项目属性": "1、持续性项目　2、新增性项目",
    "项目类型": "1、常年性项目　2、延续性项目　3、一次性项目",
}
# 备注 under the form (rules-hubeistyle-2020.txt, OCR slips mended: ≥X, ≤X, B/A, A/B, ≥80%, <50%).
NOTES = [
    "备注：1.预算执行情况口径：预算数为调整后财政资金总额（包括上年结余结转），执行数为资金使用单位财政资金实际支出数。",
    "2.定量指标完成数汇总原则：绝对值直接累加计算，相对值按照资金额度加权平均计算。定量指标计分原则：正向指标（即目标值为≥X，"
    "得分=权重*B/A），反向指标（即目标值为≤X，得分=权重*A/B），得分不得突破权重总额。定量指标先汇总完成数，再计算得分。",
    "3.定性指标计分原则：达成预期指标、部分达成预期指标、未达成预期指标三档，分别按照该指标对应分值区间100%-80%（≥80%）、"
    "80%-50%（[50%,80%)）、50%-0%（<50%）合理确定分值。",
]

# Twips, 10460 in all (the 2022 form's width, centred on the page).  label (情况（万元）,
# 结果应用方案: 6 chars, the labels broken by hand as published) | 一级 (产出指标 / （60分）,
# 满意度指标) | 二级 (7 chars: 可持续影响指标 whole, 服务对象满意度 / 指标; the published page's
# 4 left 可持续影 / 响指标 and would leave 服务对象满意度指标's 标 alone) | 三级 (8 chars and room:
# 企业国际质量提升, 服务外包在岸(万美元) whole) | 年初目标值（A） | 实际完成值（B） (10 chars: 受目的国受众欢迎显著
# whole, the qualitative targets of 20 in 10 + 10) | 得分 (得分 / （20分*执行率）, 8 chars).
WORD_WIDTHS = [1180, 1000, 1360, 1560, 1900, 1900, 1560]
# Excel: 二级 7 characters wide as in Word, 三级 15 (Calc breaks CJK text anywhere: the
# reference's names whole).
EXCEL_WIDTHS = [14, 10, 14, 29, 25, 25, 17]


def _lines(*lines: str, span: int = 1, **opts) -> tuple:
    """A label broken by hand: Word paragraphs, Excel lines."""
    return ("".join(lines), span, {"paras": list(lines), "xlsx": "\n".join(lines), **opts})


def _text(expr: str, span: int) -> tuple:
    paras = [f"{{%p for para in {expr} %}}", "{{ para }}", "{%p endfor %}"]
    return ("", span, {"align": "justify", "paras": paras, "xlsx": f'{{{{ {expr}|join("\\n") }}}}'})


def _choice(name: str) -> list:
    value = f"project.extra.{name}"
    word = f'{{{{ {value} if {value} else "{OPTIONS[name]}" }}}}'
    return [(name, 1), (word, 6, {"align": "left"})]


def rows() -> list[list]:
    cont = ("", 1, {"vmerge": "continue"})
    level1 = "{{ ind.level1 }}{% if ind.class_points is not none %}（{{ ind.class_points }}分）{% endif %}"
    return [
        [("项目名称", 1), ("{{ project.name }}", 6, {"align": "left"})],
        [("主管部门", 1), ("{{ project.department }}", 2, {"align": "left"}), ("项目实施单位", 1), ("{{ project.executor }}", 3, {"align": "left"})],
        _choice("项目类别"),
        _choice("项目属性"),
        _choice("项目类型"),
        [
            _lines("预算执行", "情况（万元）", "（20分）", vmerge="restart"),
            ("", 2),
            ("预算数（A）", 1),
            ("执行数（B）", 1),
            ("执行率（B/A）", 1),
            _lines("得分", "（20分*执行率）"),
        ],
        [
            cont,
            _lines("年度财政", "资金总额", span=2),
            ("{{ project.funds.total.budget|amount }}", 1, {"align": "right", "xlsx": "{{ project.funds.total.budget }}", "fmt": AMOUNT}),
            ("{{ project.funds.total.executed|amount }}", 1, {"align": "right", "xlsx": "{{ project.funds.total.executed }}", "fmt": AMOUNT}),
            ("{{ project.execution.rate|pct }}", 1, {"xlsx": "{{ project.execution.rate }}", "fmt": RATE}),
            ("{{ project.execution.score }}", 1),
        ],
        [
            _lines("年度绩效", "目标", "（80分）", vmerge="restart"),
            ("{{ form.labels.level1 }}", 1),
            ("{{ form.labels.level2 }}", 1),
            ("{{ form.labels.name }}", 1),
            _lines("年初目标值", "（A）"),
            _lines("实际完成值", "（B）"),
            ("得分", 1),
        ],
        [cont, ("{%tr for ind in project.indicators %}", 6)],
        [
            cont,
            ("{% vmerge ind.l1_merge %}" + level1, 1, {"vmerge": "restart", "xlsx": "{% vmerge ind.l1_merge %}" + level1.replace("（", "\n（")}),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": "left"}),
            ("{{ ind.target }}", 1),
            ("{{ ind.actual }}", 1),
            ("{{ ind.score }}", 1),
        ],
        [cont, ("{%tr endfor %}", 6)],
        [("总分", 6), ("{{ project.total_score }}", 1)],
        [_lines("偏差大或", "目标未完成", "原因分析"), _text("project.deviation", 6)],
        [_lines("改进措施及", "结果应用方案"), _text("project.improvements", 6)],
        [
            _lines("单位主要", "负责人", "签批意见"),
            (
                "",
                6,
                {
                    "align": "left",
                    "paras": [f'{{{{ project.sign_off.unit_lead if project.sign_off.unit_lead else "{SIGN}" }}}}'],
                    "xlsx": f'{{{{ project.sign_off.unit_lead if project.sign_off.unit_lead else "{SIGN}" }}}}',
                },
            ),
        ],
    ]


ABOVE = [
    ("{{ project.name }}{{ form.labels.title }}", {"style": "Title", "xsize": 16, "bold": True, "height": 30}),
    (
        "单位名称：{{ unit.name }}　　填报日期：{{ project.extra.填报日期 }}",
        {"align": "left", "size": 10.5, "xparts": [("单位名称：{{ unit.name }}", 4), ("填报日期：{{ project.extra.填报日期 }}", 3)]},
    ),
]


def build(out: Path) -> list[Path]:
    docx = out / "docx" / "selfeval-hubeistyle-2020.docx"
    xlsx = out / "xlsx" / "selfeval-hubeistyle-2020.xlsx"
    word = rows()
    # rows never split over a page: the indicator heading, each indicator, 总分
    word_form(docx, WORD_WIDTHS, ABOVE, word, whole=(7, 9, 11), below=[(line, {"align": "justify", "size": 8}) for line in NOTES])
    sheet = rows()
    for row in sheet:  # Excel has no vmerge option: the merges below do it
        for i, cell in enumerate(row):
            if len(cell) > 2 and "vmerge" in cell[2]:
                row[i] = (cell[0], cell[1], {k: v for k, v in cell[2].items() if k != "vmerge"})
    merges = [vmerge_block(sheet, 0, 5, 6), vmerge_block(sheet, 0, 7, 10)]
    excel_form(xlsx, EXCEL_WIDTHS, ABOVE, sheet, merges, below=[(line, {"align": "left", "xsize": 9}) for line in NOTES])
    return [docx, xlsx]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates"
    for path in build(target):
        print(f"written: {path}")
