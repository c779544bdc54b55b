"""Templates of the regional 自评表 versions that follow the national layout (财预〔2020〕10号
附件「项目支出绩效自评表」, amounts in 万元): 安徽 (anhui-2022) and 云南 (yunnan-2020).

One builder for both, parametrised by `Layout`: the reference pages differ in the title
lines, the width of the funds rows' labels, the 其中 row's wording, the indicator header
(安徽: a 绩效指标 column beside one header row, the points written in the 一级 cells,
「产出指标（50分）」; 云南: 绩效指标 over the three levels and 年度指标值 over 指标性质 /
指标值 / 度量单位, two header rows) and how numbers are printed (安徽 as typed: 90,
89.974; 云南 with two decimals: 7.29, 10.00).  Both end in the national form's 总分 row,
which neither published page shows.

    python scripts/templates_national.py templates            # rewrite the four templates
    python scripts/templates_national.py build --only anhui-2022

Layout sources: ../shared/reference/regions/anhui-selfeval-2022-weituo.txt and
yunnan-selfeval-2020.txt.  The Word files get the shipped templates' Chinese
line-breaking rules, fonts and cell margins (scripts/template_widths.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bootstrap_templates as B  # noqa: E402
import template_widths as TW  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

TWIPS_PER_CM = 567
RIGHT = B.WD_ALIGN_PARAGRAPH.RIGHT


@dataclass(frozen=True)
class Layout:
    version: str
    above: tuple[tuple[str, str], ...]  # lines over the table: (text, Word style)
    widths: tuple[int, ...]  # Word grid, twips; the sheet's columns follow it
    label_span: int  # columns of a funds row's label (年度资金总额 …)
    department_span: int  # columns of 主管部门's value
    total_label: str
    fiscal_label: str
    number: str  # Word filter of amounts, weights and scores: num (as typed) or dec2
    excel_number: str  # their Excel number format
    split_target: bool  # 年度指标值 over 指标性质 | 指标值 | 度量单位, two header rows
    class_points: bool  # 「产出指标（50分）」 in the 一级 cells
    row_rates: bool  # each funds row prints its own 执行率
    name_column: int  # the 三级指标 column, wider in Excel: Calc breaks a name anywhere

    @property
    def ncols(self) -> int:
        return len(self.widths)


ANHUI = Layout(
    version="anhui-2022",
    above=(("附件：", "Normal"), ("项目支出绩效自评表", "Title"), ("（{{ form.year }}年度）", "表头年度")),
    widths=(830, 1340, 1360, 1800, 1300, 1260, 730, 600, 1240),
    label_span=1,
    department_span=3,
    total_label="年度资金总额：",
    fiscal_label="其中：本年财政拨款",
    number="num",
    excel_number="General",
    split_target=False,
    class_points=True,
    row_rates=False,
    name_column=3,
)
YUNNAN = Layout(
    version="yunnan-2020",
    above=(("{{ form.year }}年度项目支出绩效自评表", "Title"),),
    widths=(1000, 1360, 1610, 980, 980, 980, 980, 730, 600, 1240),
    label_span=2,
    department_span=4,
    total_label="年度资金总额",
    fiscal_label="其中：当年财政拨款",
    number="dec2",
    excel_number="0.00",
    split_target=True,
    class_points=False,
    row_rates=True,
    name_column=2,
)
LAYOUTS = {layout.version: layout for layout in (ANHUI, YUNNAN)}
FUNDS = (("total", None), ("fiscal", None), ("carryover", "上年结转资金"), ("other", "其他资金"))

# ------------------------------------------------------------------ the grid, once


@dataclass(frozen=True)
class Cell:
    text: str = ""
    span: int = 1
    kind: str = "label"  # label | text (left) | amount (right, number format) | rate | loop
    vmerge: str | None = None  # Word: restart / continue of a merge down the rows (not loops)
    lines: tuple[str, ...] = ()  # a label printed over lines of its own
    sheet_lines: tuple[str, ...] = ()  # the same in Excel, where they differ (Calc keeps no CJK line rules)


def _num(layout: Layout, expr: str) -> str:
    return f"{{{{ {expr}|{layout.number} }}}}"


def _pct(expr: str) -> str:
    return f"{{{{ {expr}|pct }}}}"


def _funds_rows(layout: Layout) -> list[list[Cell]]:
    n, span = layout.ncols, layout.label_span
    score_span = n - 1 - span - 5
    head = [Cell("项目资金（{{ unit.amount_unit }}）", lines=("项目资金", "（{{ unit.amount_unit }}）"), vmerge="restart"), Cell("", span)]
    head += [Cell(t) for t in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率")] + [Cell("得分", score_span)]
    rows = [head]
    for key, label in FUNDS:
        text = label or (layout.total_label if key == "total" else layout.fiscal_label)
        amounts = [Cell(_num(layout, f"project.funds.{key}.{c}"), kind="amount") for c in ("initial", "budget", "executed")]
        if key == "total":
            tail = [Cell(_num(layout, "project.execution.weight"), kind="number"), Cell(_pct("project.execution.rate"), kind="rate")]
            tail.append(Cell(_num(layout, "project.execution.score"), score_span, kind="number"))
        else:
            rate = Cell(_pct(f"project.funds.{key}.rate"), kind="rate") if layout.row_rates else Cell("")
            tail = [Cell(""), rate, Cell("", score_span)]
        rows.append([Cell("", vmerge="continue"), Cell(text, span), *amounts, *tail])
    return rows


def _top_rows(layout: Layout) -> list[list[Cell]]:
    n, d = layout.ncols, layout.department_span
    rows = [
        [Cell("项目名称"), Cell("{{ project.name }}", n - 1, "text")],
        [Cell("主管部门"), Cell("{{ project.department }}", d, "text"), Cell("实施单位"), Cell("{{ project.executor }}", n - 2 - d, "text")],
        *_funds_rows(layout),
    ]
    goal = ("年度", "总体", "目标") if layout.split_target else ()
    label = Cell("年度总体目标", vmerge="restart", lines=goal, sheet_lines=("年度总体", "目标"))
    rows.append([label, Cell("预期目标", 4), Cell("实际完成情况", n - 5)])
    rows.append([Cell("", vmerge="continue"), Cell("project.goal", 4, "paras"), Cell("project.achieved", n - 5, "paras")])
    return rows


def _indicator_cells(layout: Layout) -> list[Cell]:
    l1 = "{% vmerge ind.l1_merge %}{{ ind.level1 }}"
    cells = [Cell(l1, lines=(l1, "（{{ ind.class_points|num }}分）") if layout.class_points else ())]
    cells += [Cell("{% vmerge ind.l2_merge %}{{ ind.level2 }}"), Cell("{{ ind.name }}", kind="text")]
    if layout.split_target:
        cells += [Cell("{{ ind.target_parts.comparator }}"), Cell("{{ ind.target_parts.value }}"), Cell("{{ ind.target_parts.unit }}")]
    else:
        cells.append(Cell("{{ ind.target }}"))
    cells += [Cell("{{ ind.actual }}"), Cell(_num(layout, "ind.weight"), kind="number"), Cell(_num(layout, "ind.score"), kind="number")]
    cells.append(Cell("{{ ind.deviation }}", kind="text"))
    return cells


def _indicator_rows(layout: Layout) -> list[list[Cell]]:
    n = layout.ncols
    tail = ("实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    if layout.split_target:
        first = [Cell("绩效指标", 3), Cell("年度指标值", 3)] + [Cell(t, vmerge="restart") for t in tail]
        second = [Cell("一级指标", lines=("一级", "指标")), Cell("二级指标"), Cell("三级指标"), Cell("指标性质"), Cell("指标值"), Cell("度量单位")]
        head, left = [first, second + [Cell("", vmerge="continue")] * 4], []
    else:
        head = [[Cell("绩效指标", vmerge="restart")] + [Cell(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", *tail)]]
        left = [Cell("", vmerge="continue")]
    loop = n - len(left)
    rows = [*head, left + [Cell("{%tr for ind in project.indicators %}", loop, "loop")], left + _indicator_cells(layout)]
    rows.append(left + [Cell("{%tr endfor %}", loop, "loop")])
    total_span = n - 3
    totals = [Cell(_num(layout, f"project.{key}"), kind="number") for key in ("weight_total", "total_score")]
    rows.append([Cell("总分", total_span), *totals, Cell("")])
    return rows


def grid(layout: Layout) -> list[list[Cell]]:
    rows = _top_rows(layout) + _indicator_rows(layout)
    for row in rows:
        assert sum(c.span for c in row) == layout.ncols, row
    return rows


# ------------------------------------------------------------------------- Word


def _word_cell(cell: Cell) -> tuple[str, int, dict]:
    opts: dict = {}
    if cell.vmerge:
        opts["vmerge"] = cell.vmerge
    if cell.kind == "paras":
        opts.update(align=B.JUSTIFY, paras=[f"{{%p for para in {cell.text} %}}", "{{ para }}", "{%p endfor %}"])
        return "", cell.span, opts
    if cell.kind == "text":
        opts["align"] = B.LEFT
    elif cell.kind == "amount":
        opts["align"] = RIGHT
    if cell.lines:
        opts["paras"] = list(cell.lines)
    return cell.text, cell.span, opts


def build_docx(layout: Layout, path: Path) -> None:
    doc = B.new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    for text, style in layout.above:
        p = doc.add_paragraph(text, style=style)
        if style == "Normal":
            p.alignment = B.LEFT
    table = B.Grid(doc, [w / TWIPS_PER_CM for w in layout.widths])
    for row in grid(layout):
        # Word's l1/l2 cells take their merge from the loop's flags (`{% vmerge %}`).
        table.row([_word_cell(c) for c in row])
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / path.name
        B.save_docx(doc, raw)
        document = lambda x: TW.keep_rows_whole(TW.word_document(x, list(layout.widths)))  # noqa: E731
        data = TW.rewrite(raw, {"word/document.xml": document, **TW._WORD_PARTS})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ------------------------------------------------------------------------ Excel

TITLE_FONT = Font(name=B.SONG, charset=134, size=16, bold=True)
YEAR_FONT = Font(name=B.FANGSONG, charset=134, size=12)


def _excel_cell(layout: Layout, cell: Cell) -> tuple:
    """A sheet cell; a number (amount, rate, weight, score) is the bare value, printed by
    the cell's number format (Excel keeps it a number)."""
    text = "\n".join(cell.sheet_lines or cell.lines) if cell.lines or cell.sheet_lines else cell.text
    bare = text.replace(f"|{layout.number} ", " ").replace("|pct ", " ")
    if cell.kind == "paras":
        return (f'{{{{ {cell.text}|join("\\n") }}}}', cell.span, B.XLEFT)
    if cell.kind == "amount":
        return (bare, cell.span, B.XRIGHT, layout.excel_number)
    if cell.kind == "number":
        return (bare, cell.span, B.CENTER, layout.excel_number)
    if cell.kind == "rate":
        return (bare, cell.span, B.CENTER, B.RATE)
    return (text, cell.span, B.XLEFT if cell.kind == "text" else B.CENTER)


def build_xlsx(layout: Layout, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    widths = [max(6, round(w / TW.EXCEL_PER_UNIT * (1.35 if i == layout.name_column else 1.1))) for i, w in enumerate(layout.widths)]
    sheet = B.Sheet(ws, widths)
    for text, style in layout.above:
        font = TITLE_FONT if style == "Title" else YEAR_FONT if style == "表头年度" else B.BODY
        align = B.XLEFT if style == "Normal" else B.CENTER
        sheet.row([(text, layout.ncols, align)], border=False, font=font, height=30 if style == "Title" else 20)
    runs: dict[int, list[int]] = {}  # column -> [first row, last row] of a merge down
    for row in grid(layout):
        r = sheet.row([_excel_cell(layout, c) for c in row])
        starts = [sum(c.span for c in row[:i]) + 1 for i in range(len(row))]
        kept = {col for col, c in zip(starts, row) if c.vmerge == "continue" and col in runs}
        for col in kept:
            runs[col][1] = r
        for col in [c for c in runs if c not in kept]:
            _close(sheet, col, runs.pop(col))
        runs |= {col: [r, r] for col, c in zip(starts, row) if c.vmerge == "restart"}
    for col in list(runs):
        _close(sheet, col, runs.pop(col))
    B.save_xlsx(wb, path)


def _close(sheet: B.Sheet, col: int, run: list[int]) -> None:
    if run[1] > run[0]:
        sheet.vmerge(col, run[0], run[1])


BUILDERS = {f"docx/selfeval-{v}.docx": (build_docx, layout) for v, layout in LAYOUTS.items()}
BUILDERS |= {f"xlsx/selfeval-{v}.xlsx": (build_xlsx, layout) for v, layout in LAYOUTS.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the templates folder to write into (templates/ to rewrite the committed ones)")
    parser.add_argument("--only", choices=sorted(LAYOUTS), help="one version")
    args = parser.parse_args(argv[1:])
    for rel, (build, layout) in BUILDERS.items():
        if args.only in (None, layout.version):
            build(layout, args.folder / rel)
            print(f"built {args.folder / rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
