"""Templates of the 湖南 (湘潭市) 项目支出绩效目标申报表 2023 (version hunan-2023), as the
published page lays it out: title, a 填报单位 / 单位：万元 line in the table's first row,
项目支出名称 | 预算部门, 年度本级预算金额 | 该项目支出上级资金, 项目支出实施期, 实施期绩效目标,
本年度绩效目标, the 本年度绩效指标 block (一级 | 二级 | 三级 | 指标值及单位 | 绩效标准) with
the blank template rows of the 二级 the project has no indicator under
(`project.rows`), 财政部门审核意见, and the 填表人 / 联系电话 / 填报日期 / 单位负责人签字 line
under the table.

    python scripts/templates_hunan.py templates     # rewrite the two templates

Layout source: ../shared/reference/regions/hunan-target-2023.txt.  The Word file gets the
shipped templates' Chinese line-breaking rules, fonts and cell margins
(scripts/template_widths.py); the layout helpers are bootstrap_templates.py's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bootstrap_templates as B  # noqa: E402
import template_widths as TW  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

# label | 一级 (and values) | 二级 | 三级 (and 预算部门's label) | 指标值及单位 | 绩效标准
WIDTHS = [1160, 1100, 1640, 2800, 1500, 1665]
TITLE = "{{ form.year }}年项目支出绩效目标申报表"
HEAD = "填报单位：（盖章）　　单位：{{ unit.amount_unit }}"
SIGN = (
    "填表人：{{ project.sign_off.filled_by }}",
    "联系电话：{{ project.sign_off.phone }}",
    "填报日期：{{ project.sign_off.filled_on }}",
    "单位负责人签字：{{ project.sign_off.unit_lead }}",
)
# (label as published, its lines in the narrow label column)
LABELS = {
    "budget": ("年度本级预算金额", ("年度本级", "预算金额")),
    "period": ("项目支出实施期", ("项目支出", "实施期")),
    "overall": ("实施期绩效目标", ("实施期", "绩效目标")),
    "annual": ("本年度绩效目标", ("本年度", "绩效目标")),
    "indicators": ("本年度绩效指标", ("本年度", "绩效指标")),
    "review": ("财政部门审核意见", ("财政部门", "审核意见")),
}
ROW_LOOP = "{%tr for ind in project.rows %}"
L1 = "{% vmerge ind.l1_merge %}{{ ind.level1 }}"
L2 = "{% vmerge ind.l2_merge %}{{ ind.level2 }}"
RIGHT = B.WD_ALIGN_PARAGRAPH.RIGHT


def _paras(name: str) -> dict:
    return {"align": B.JUSTIFY, "paras": [f"{{%p for para in project.{name} %}}", "{{ para }}", "{%p endfor %}"]}


def _label(key: str, vmerge: str | None = None) -> tuple[str, int, dict]:
    opts: dict = {"paras": list(LABELS[key][1])}
    if vmerge:
        opts["vmerge"] = vmerge
    return (LABELS[key][0], 1, opts)


def build_docx(path: Path) -> None:
    doc = B.new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    doc.add_paragraph(TITLE, style="Title")
    g = B.Grid(doc, [w / 567 for w in WIDTHS])
    g.row([(HEAD, 6, {"align": B.LEFT})])
    g.row([("项目支出名称", 1), ("{{ project.name }}", 2), ("预算部门", 1), ("{{ project.department }}", 2)])
    amount = {"align": RIGHT}
    g.row(
        [
            _label("budget"),
            ("{{ project.funds.annual_total|num }}", 2, amount),
            ("该项目支出上级资金", 1),
            ("{{ project.funds.annual_superior|num }}", 2, amount),
        ]
    )
    g.row([_label("period"), ("{{ project.implementation_period }}", 5, {"align": B.LEFT})])
    g.row([_label("overall"), ("", 5, _paras("overall_goal"))])
    g.row([_label("annual"), ("", 5, _paras("goal"))])
    g.row([_label("indicators", "restart"), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("指标值及单位", 1), ("绩效标准", 1)])
    g.row([("", 1, {"vmerge": "continue"}), (ROW_LOOP, 5)])
    g.row(
        [
            ("", 1, {"vmerge": "continue"}),
            (L1, 1, {"vmerge": "restart"}),
            (L2, 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": B.LEFT}),
            ("{{ ind.target }}", 1),
            ("{{ ind.standard }}", 1),
        ]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("{%tr endfor %}", 5)])
    g.row([_label("review"), ("", 5, _paras("review"))])
    doc.add_paragraph("　　".join(SIGN)).alignment = B.LEFT
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / path.name
        B.save_docx(doc, raw)
        document = lambda x: TW.keep_rows_whole(TW.word_document(x, WIDTHS))  # noqa: E731
        data = TW.rewrite(raw, {"word/document.xml": document, **TW._WORD_PARTS})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _sheet_label(key: str) -> tuple:
    return ("\n".join(LABELS[key][1]), 1)


def build_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    s = B.Sheet(ws, [max(8, round(w / TW.EXCEL_PER_UNIT * (1.3 if i == 3 else 1.15))) for i, w in enumerate(WIDTHS)])
    s.row([(TITLE, 6)], border=False, font=Font(name=B.SONG, charset=134, size=16, bold=True), height=30)
    s.row([(HEAD, 6, B.XLEFT)])
    s.row([("项目支出名称", 1), ("{{ project.name }}", 2, B.XLEFT), ("预算部门", 1), ("{{ project.department }}", 2, B.XLEFT)])
    amount = lambda key: (f"{{{{ project.funds.{key} }}}}", 2, B.XRIGHT, "General")  # noqa: E731
    s.row([_sheet_label("budget"), amount("annual_total"), ("该项目支出上级资金", 1), amount("annual_superior")])
    s.row([_sheet_label("period"), ("{{ project.implementation_period }}", 5, B.XLEFT)])
    s.row([_sheet_label("overall"), ('{{ project.overall_goal|join("\\n") }}', 5, B.XLEFT)])
    s.row([_sheet_label("annual"), ('{{ project.goal|join("\\n") }}', 5, B.XLEFT)])
    first = s.row([_sheet_label("indicators"), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("指标值及单位", 1), ("绩效标准", 1)])
    s.row([("", 1), (ROW_LOOP, 5)])
    s.row([("", 1), (L1, 1), (L2, 1), ("{{ ind.name }}", 1, B.XLEFT), ("{{ ind.target }}", 1), ("{{ ind.standard }}", 1)])
    last = s.row([("", 1), ("{%tr endfor %}", 5)])
    s.vmerge(1, first, last)
    s.row([_sheet_label("review"), ('{{ project.review|join("\\n") }}', 5, B.XLEFT)])
    s.row([(SIGN[0], 1, B.XLEFT), (SIGN[1], 2, B.XLEFT), (SIGN[2], 1, B.XLEFT), (SIGN[3], 2, B.XLEFT)], border=False)
    B.save_xlsx(wb, path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the templates folder to write into (templates/ to rewrite the committed ones)")
    args = parser.parse_args(argv[1:])
    for rel, build in (("docx/target-hunan-2023.docx", build_docx), ("xlsx/target-hunan-2023.xlsx", build_xlsx)):
        build(args.folder / rel)
        print(f"built {args.folder / rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
