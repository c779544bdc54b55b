"""Build the 四川 一体化 自评表 templates (version `sichuan-2023`):
templates/docx/selfeval-sichuan-2023.docx and templates/xlsx/selfeval-sichuan-2023.xlsx.

Layout source: ../shared/reference/regions/sichuan-selfeval-2023.txt, 部门预算项目支出
绩效自评表(2023年度), 报表编号 510000_0013zp of the province's budget system (四川 眉山
青神县): eleven columns, the cells as the publishing site drew them (the grid typed in
tests/importing/region_forms.py `SICHUAN`).  The committed templates are the source of
truth; this script is how they were made and rewrites them when run:

    python scripts/templates_sichuan.py [OUT_DIR]      # default: templates/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from region_templates import ROOT, excel_form, vmerge_block, word_form  # noqa: E402

# The rules the form prints in its 原因 cell, as published (shown when no reason is given).
RULES = (
    "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
    "2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款."
)
AMOUNT = "#,##0.00"
RATE = "0.00%"

# Twips, 10460 in all (the 2022 form's width, centred on the page).  label (4 chars:
# 项目基本 / 情况, 预算执行 / 情况 / (10分) broken by hand) | 一级 (满意度指标, 5) | 二级
# (可持续影响指标, 7; 服务对象满意度 / 指标) | 三级 / 年初预算 (9 chars: 足额保障率(参保率) whole) | 指标性质
# (指标 / 性质) / 调整后预算数 (amounts to 9,999.99) | 指标值 / 预算执行数 | 度量单位 (度量 /
# 单位) / 预算执行率 (100.00%) | 完成值 / 权重 | 权重 / 得分 | 得分 / 原因 | 未完成原因分析
# (7 chars, a reason of 40 characters in 6 lines) / 原因.  Headings wider than their
# column are broken by hand between words, never leaving one character alone.
WORD_WIDTHS = [800, 980, 1340, 1700, 760, 820, 760, 640, 620, 680, 1360]
# Excel character widths (10 pt, the sheet fitted to the page width; Calc breaks CJK text
# anywhere, so a column holds its longest word whole; 二级 holds 7 characters, 服务对象满意度 /
# 指标, as the 2022 sheet's).
EXCEL_WIDTHS = [10, 12, 14, 19, 9.5, 10, 9.5, 9, 7.5, 8.5, 18]
FUNDS_LABELS = {"total": "总额", "fiscal": "其中:财政资金", "special_account": "财政专户管理资金", "unit_own": "单位资金", "other": "其他资金"}


def _lines(*lines: str, **opts) -> tuple:
    """A heading broken by hand: Word paragraphs, Excel lines."""
    return ("".join(lines), 1, {"paras": list(lines), "xlsx": "\n".join(lines), **opts})


def _paras(expr: str) -> dict:
    return {"align": "justify", "paras": [f"{{%p for para in {expr} %}}", "{{ para }}", "{%p endfor %}"], "xlsx": f'{{{{ {expr}|join("\\n") }}}}'}


def _funds_row(key: str, first: bool, excel: bool) -> list:
    cells: list = [("", 1, {"vmerge": "continue"}), (FUNDS_LABELS[key], 2)]
    for col in ("initial", "budget", "executed"):
        cells.append((f"{{{{ project.funds.{key}.{col}|amount }}}}", 1, {"align": "right", "xlsx": f"{{{{ project.funds.{key}.{col} }}}}", "fmt": AMOUNT}))
    if first:
        cells.append(("{{ project.execution.rate|pct }}", 1, {"xlsx": "{{ project.execution.rate }}", "fmt": RATE}))
        cells += [("{{ project.execution.weight }}", 1), ("{{ project.execution.score }}", 1)]
    else:
        cells.append((f"{{{{ project.funds.{key}.rate|pct }}}}", 1, {"xlsx": f"{{{{ project.funds.{key}.rate }}}}", "fmt": RATE}))
        cells += [("/", 1), ("/", 1)]
    reason = {
        "align": "left",
        "size": 8,
        "xsize": 9,
        "vmerge": "restart" if first else "continue",
        "paras": [
            "{%p if project.execution.reason %}",
            "{%p for para in project.execution.reason %}",
            "{{ para }}",
            "{%p endfor %}",
            "{%p else %}",
            RULES,
            "{%p endif %}",
        ]
        if first
        else [""],
        "xlsx": ('{{ project.execution.reason|join("\\n") if project.execution.reason else "' + RULES + '" }}') if first else "",
    }
    if excel:
        cells += [("", 1, reason), ("", 1)]  # the block is merged in `build`
    else:
        cells.append(("", 2, reason))
    return cells


def rows(excel: bool) -> list[list]:
    cont = ("", 1, {"vmerge": "continue"})
    out: list[list] = [
        [("项目名称", 1), ("{{ project.name }}", 10, {"align": "left"})],
        [("主管部门", 1), ("{{ project.department }}", 4, {"align": "left"}), ("实施单位 (盖章)", 2), ("{{ project.executor }}", 4, {"align": "left"})],
        [_lines("项目基本", "情况", vmerge="restart"), ("1.项目年度目标完成情况", 10, {"align": "left"})],
        [cont, ("{{ form.labels.annual_goal }}", 5), ("年度目标完成情况", 5)],
        [cont, ("", 5, _paras("project.goal")), ("", 5, _paras("project.achieved"))],
        [cont, ("2.项目实施内容及过程概述", 10, {"align": "left"})],
        [cont, ("", 10, _paras("project.implementation"))],
        [
            _lines("预算执行", "情况", "(10分)", vmerge="restart"),
            ("年度预算数(万元)", 2),
            ("年初预算", 1),
            _lines("调整后", "预算数"),
            _lines("预算", "执行数"),
            _lines("预算", "执行率"),
            ("权重", 1),
            ("得分", 1),
            ("原因", 2),
        ],
        _funds_row("total", True, excel),
    ]
    out += [_funds_row(key, False, excel) for key in ("fiscal", "special_account", "unit_own", "other")]
    out += [
        [
            _lines("绩效指标", "(90分)", vmerge="restart"),
            ("{{ form.labels.level1 }}", 1),
            ("{{ form.labels.level2 }}", 1),
            ("{{ form.labels.name }}", 1),
            _lines("指标", "性质"),
            ("指标值", 1),
            _lines("度量", "单位"),
            ("完成值", 1),
            ("权重", 1),
            ("得分", 1),
            ("未完成原因分析", 1),
        ],
        [cont, ("{%tr for ind in project.indicators %}", 10)],
        [
            cont,
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1, {"vmerge": "restart"}),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": "left"}),
            ("{{ ind.target_parts.comparator }}", 1),
            ("{{ ind.target_parts.value }}", 1),
            ("{{ ind.target_parts.unit }}", 1),
            ("{{ ind.actual }}", 1),
            ("{{ ind.weight }}", 1),
            ("{{ ind.score }}", 1),
            ("{{ ind.deviation }}", 1, {"align": "left"}),
        ],
        [cont, ("{%tr endfor %}", 10)],
        [("合计", 8), ("{{ project.weight_total }}", 1), ("{{ project.total_score }}", 1), ("", 1)],
        [("评价结论", 1), ("", 10, _paras("project.conclusion"))],
        [("存在问题", 1), ("", 10, _paras("project.problems"))],
        [("改进措施", 1), ("", 10, _paras("project.improvements"))],
        [
            ("项目负责人:{{ project.sign_off.project_lead }}", 5, {"align": "left"}),
            ("财务负责人:{{ project.sign_off.finance_lead }}", 6, {"align": "left"}),
        ],
    ]
    return out


ABOVE = [
    ("报表编号:510000_0013zp", {"align": "left", "size": 9}),
    ("{{ form.labels.title }}({{ form.year }}年度)", {"style": "Title", "xsize": 16, "bold": True, "height": 30}),
]


def build(out: Path) -> list[Path]:
    docx = out / "docx" / "selfeval-sichuan-2023.docx"
    xlsx = out / "xlsx" / "selfeval-sichuan-2023.xlsx"
    word = rows(excel=False)
    # rows never split over a page: the indicator heading, each indicator, 合计
    word_form(docx, WORD_WIDTHS, ABOVE, word, whole=(13, 15, 17))
    sheet = rows(excel=True)
    merges = [
        vmerge_block(sheet, 0, 2, 6),  # 项目基本情况
        vmerge_block(sheet, 0, 7, 12),  # 预算执行情况(10分)
        (9, 10, 13, 11),  # 原因 over the five rows of sources, two columns wide
        vmerge_block(sheet, 0, 13, 16),  # 绩效指标(90分) over the heading and the loop rows
    ]
    for row in sheet:  # Excel has no vmerge option: the merges above do it
        for i, cell in enumerate(row):
            if len(cell) > 2 and "vmerge" in cell[2]:
                row[i] = (cell[0], cell[1], {k: v for k, v in cell[2].items() if k != "vmerge"})
    excel_form(xlsx, EXCEL_WIDTHS, ABOVE, sheet, merges, heights={row: 22 for row in range(8, 13)})
    return [docx, xlsx]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates"
    for path in build(target):
        print(f"written: {path}")
