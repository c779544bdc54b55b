"""Bootstrap: how the first form templates (.docx for docxtpl, .xlsx for docgen's xlsx
engine) were built.  Not part of the normal workflow.

The committed files under templates/ are the source of truth, as they are for a user
who edits them in Word and Excel (and a new version starts as a copy of one of them:
`docgen templates new`).  This script only writes into a folder you name, and never
over an existing file unless `--force`:

    python scripts/bootstrap_templates.py build/templates      # e.g. to compare a layout idea

Layout source: ../shared/reference/selfeval-2022-shanghai-dpf.txt (自评表 2022).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.render.package import normalize  # noqa: E402

STAMP = datetime(2022, 1, 1)
SONG = "宋体"
FANGSONG = "仿宋"
LATIN = "Times New Roman"

# ---------------------------------------------------------------- Word helpers


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """python-docx's font.name leaves the East Asian slot alone: set all four."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


def style_fonts(style, east_asia: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    set_fonts(style.element, east_asia)


def para(cell_or_doc, text: str, *, align=WD_ALIGN_PARAGRAPH.CENTER, style=None, first=True):
    """Write `text` into the first (existing) paragraph of a cell, or add one."""
    if first and hasattr(cell_or_doc, "paragraphs") and cell_or_doc.paragraphs and not cell_or_doc.paragraphs[0].text:
        p = cell_or_doc.paragraphs[0]
    else:
        p = cell_or_doc.add_paragraph()
    if style is not None:
        p.style = style
    p.alignment = align
    if text:
        p.add_run(text)
    return p


def vmerge(cell, val: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:vMerge")
    if val == "restart":
        el.set(qn("w:val"), "restart")
    # schema order: tcW, gridSpan, hMerge, vMerge, ...
    anchor = tcpr.find(qn("w:gridSpan"))
    if anchor is None:
        anchor = tcpr.find(qn("w:tcW"))
    if anchor is not None:
        anchor.addnext(el)
    else:
        tcpr.insert(0, el)


class Grid:
    """A fixed-layout Word table built row by row from (text, span) cells."""

    def __init__(self, doc, widths_cm: list[float]):
        self.widths = widths_cm
        self.table = doc.add_table(rows=0, cols=len(widths_cm))
        self.table.style = doc.styles["Table Grid"]
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        tblpr = self.table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tblpr.append(layout)
        for col, w in zip(self.table.columns, widths_cm):
            col.width = Cm(w)

    def row(self, cells: list[tuple[str, int] | tuple[str, int, dict]]):
        """Each cell: (text, span[, options]); options: align, vmerge, paras (list of lines)."""
        row = self.table.add_row()
        tcs = row.cells
        col = 0
        made = []
        for spec in cells:
            text, span = spec[0], spec[1]
            opts = spec[2] if len(spec) > 2 else {}
            cell = tcs[col]
            if span > 1:
                cell = cell.merge(tcs[col + span - 1])
            cell.width = Cm(sum(self.widths[col : col + span]))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = opts.get("align", WD_ALIGN_PARAGRAPH.CENTER)
            lines = opts.get("paras", [text])
            for i, line in enumerate(lines):
                para(cell, line, align=align, first=(i == 0))
            if "vmerge" in opts:
                vmerge(cell, opts["vmerge"])
            made.append(cell)
            col += span
        assert col == len(self.widths), f"row spans {col} columns, grid has {len(self.widths)}"
        return made


def new_document():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    style_fonts(normal, SONG, 9)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    # The document defaults (rPrDefault) still name Calibri/MS Mincho: point them at
    # our fonts too, so text outside any explicit style is Chinese-safe.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr, name in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", SONG)):
                fonts.set(qn(attr), name)
    title = doc.styles["Title"]
    style_fonts(title, SONG, 18, bold=True)
    title.font.color.rgb = None
    tpf = title.paragraph_format
    tpf.space_before, tpf.space_after = Pt(0), Pt(6)
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Word's built-in Title carries a bottom border and a theme font: drop both.
    ppr = title.element.find(qn("w:pPr"))
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts = title.element.rPr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    sub = doc.styles.add_style("表头年度", 1)
    sub.base_style = normal
    style_fonts(sub, FANGSONG, 12)
    sub.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.paragraph_format.space_after = Pt(6)
    core = doc.core_properties
    core.author = "docgen"
    core.created = core.modified = core.last_printed = STAMP
    core.revision = 1
    return doc


def save_docx(doc, path: Path) -> None:
    import io

    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize(buf.getvalue(), STAMP))


# ------------------------------------------------------------- 自评表 2022: Word

# 9 columns: label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
SELFEVAL_WIDTHS = [1.2, 1.6, 1.8, 2.9, 2.3, 2.3, 1.1, 1.1, 3.1]
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def build_selfeval_docx(path: Path) -> None:
    doc = new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    doc.add_paragraph("{{ form.title }}", style="Title")
    doc.add_paragraph("（{{ form.year }}年度）", style="表头年度")
    g = Grid(doc, SELFEVAL_WIDTHS)
    g.row([("项目名称", 1), ("{{ project.name }}", 8)])
    g.row([("主管部门", 1), ("{{ project.department }}", 3), ("实施单位", 1), ("{{ project.executor }}", 4)])
    g.row(
        [
            ("项目资金（{{ unit.amount_unit }}）", 1, {"vmerge": "restart"}),
            ("", 2),
            ("年初预算数", 1),
            ("全年预算数", 1),
            ("全年执行数", 1),
            ("分值", 1),
            ("执行率", 1),
            ("得分", 1),
        ]
    )
    amounts = lambda key: [  # noqa: E731
        (f"{{{{ project.funds.{key}.{col}|amount }}}}", 1, {"align": WD_ALIGN_PARAGRAPH.RIGHT}) for col in ("initial", "budget", "executed")
    ]
    g.row(
        [("", 1, {"vmerge": "continue"}), ("{{ project.funds.total.label }}", 2), *amounts("total")]
        + [("{{ project.execution.weight }}", 1), ("{{ project.execution.rate|pct }}", 1), ("{{ project.execution.score }}", 1)]
    )
    for key in ("fiscal", "carryover", "other"):
        g.row([("", 1, {"vmerge": "continue"}), (f"{{{{ project.funds.{key}.label }}}}", 2), *amounts(key)] + [("—", 1), ("", 1), ("", 1)])
    g.row([("年度总体目标", 1, {"vmerge": "restart"}), ("预期目标", 4), ("实际完成情况", 4)])
    loop = lambda name: {  # noqa: E731
        "align": JUSTIFY,
        "paras": [f"{{%p for para in project.{name} %}}", "{{ para }}", "{%p endfor %}"],
    }
    g.row([("", 1, {"vmerge": "continue"}), ("", 4, loop("goal")), ("", 4, loop("achieved"))])
    g.row(
        [
            ("绩效指标", 1, {"vmerge": "restart"}),
            ("一级指标", 1),
            ("二级指标", 1),
            ("三级指标", 1),
            ("年度指标值", 1),
            ("实际完成值", 1),
            ("分值", 1),
            ("得分", 1),
            ("偏差原因分析及改进措施", 1),
        ]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("{%tr for ind in project.indicators %}", 8)])
    g.row(
        [
            ("", 1, {"vmerge": "continue"}),
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1, {"vmerge": "restart"}),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": LEFT}),
            ("{{ ind.target }}", 1),
            ("{{ ind.actual }}", 1),
            ("{{ ind.weight }}", 1),
            ("{{ ind.score }}", 1),
            ("{{ ind.deviation }}", 1, {"align": LEFT}),
        ]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("{%tr endfor %}", 8)])
    g.row([("总分", 6), ("{{ project.weight_total }}", 1), ("{{ project.total_score }}", 1), ("", 1)])
    save_docx(doc, path)


# ------------------------------------------------------------- 自评表 2022: Excel

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
XLEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
XRIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
BODY = Font(name=SONG, charset=134, size=10)
AMOUNT = "#,##0.00"
RATE = "0.00%"
PLAIN2 = "0.00"  # the departmental form prints 100000.00 and 25.00: no grouping

# Widths in Excel character units; columns match the Word grid.
SELFEVAL_XLSX_WIDTHS = [7, 9, 11, 20, 13, 13, 7, 8, 24]


class Sheet:
    """Write a form grid row by row: (text, span[, align, number_format]) cells."""

    def __init__(self, ws, widths: list[int]):
        self.ws = ws
        self.ncols = len(widths)
        self.r = 0
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + i)].width = w

    def row(self, cells, *, border=True, font=BODY, height=None):
        self.r += 1
        c = 1
        for spec in cells:
            text, span = spec[0], spec[1]
            align = spec[2] if len(spec) > 2 else CENTER
            fmt = spec[3] if len(spec) > 3 else None
            for k in range(c, c + span):
                cell = self.ws.cell(self.r, k)
                cell.font = font
                cell.alignment = align
                if border:
                    cell.border = BOX
                if fmt:
                    cell.number_format = fmt
            if text:
                cell = self.ws.cell(self.r, c)
                cell.value = text
                cell.data_type = "s"
            if span > 1:
                self.ws.merge_cells(start_row=self.r, start_column=c, end_row=self.r, end_column=c + span - 1)
            c += span
        assert c - 1 == self.ncols, f"row {self.r} spans {c - 1} columns"
        if height:
            self.ws.row_dimensions[self.r].height = height
        return self.r

    def vmerge(self, col: int, first: int, last: int) -> None:
        self.ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def a4_fit_width(ws) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_options.horizontalCentered = True


def build_selfeval_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    s = Sheet(ws, SELFEVAL_XLSX_WIDTHS)
    s.row([("{{ form.title }}", 9)], border=False, font=Font(name=SONG, charset=134, size=16, bold=True), height=30)
    s.row([("（{{ form.year }}年度）", 9)], border=False, font=Font(name=FANGSONG, charset=134, size=12), height=20)
    s.row([("项目名称", 1), ("{{ project.name }}", 8)])
    s.row([("主管部门", 1), ("{{ project.department }}", 3), ("实施单位", 1), ("{{ project.executor }}", 4)])
    first = s.row(
        [("项目资金（{{ unit.amount_unit }}）", 1), ("", 2), ("年初预算数", 1), ("全年预算数", 1), ("全年执行数", 1), ("分值", 1), ("执行率", 1), ("得分", 1)]
    )
    amounts = lambda key: [(f"{{{{ project.funds.{key}.{c} }}}}", 1, XRIGHT, AMOUNT) for c in ("initial", "budget", "executed")]  # noqa: E731
    s.row(
        [("", 1), ("{{ project.funds.total.label }}", 2), *amounts("total")]
        + [("{{ project.execution.weight }}", 1), ("{{ project.execution.rate }}", 1, CENTER, RATE), ("{{ project.execution.score }}", 1)]
    )
    for key in ("fiscal", "carryover", "other"):
        last = s.row([("", 1), (f"{{{{ project.funds.{key}.label }}}}", 2), *amounts(key), ("—", 1), ("", 1), ("", 1)])
    s.vmerge(1, first, last)
    first = s.row([("年度总体目标", 1), ("预期目标", 4), ("实际完成情况", 4)])
    last = s.row([("", 1), ('{{ project.goal|join("\\n") }}', 4, XLEFT), ('{{ project.achieved|join("\\n") }}', 4, XLEFT)])
    s.vmerge(1, first, last)
    first = s.row(
        [
            ("绩效指标", 1),
            ("一级指标", 1),
            ("二级指标", 1),
            ("三级指标", 1),
            ("年度指标值", 1),
            ("实际完成值", 1),
            ("分值", 1),
            ("得分", 1),
            ("偏差原因分析及改进措施", 1),
        ]
    )
    s.row([("", 1), ("{%tr for ind in project.indicators %}", 8)])
    s.row(
        [
            ("", 1),
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1),
            ("{{ ind.name }}", 1, XLEFT),
            ("{{ ind.target }}", 1),
            ("{{ ind.actual }}", 1),
            ("{{ ind.weight }}", 1),
            ("{{ ind.score }}", 1),
            ("{{ ind.deviation }}", 1, XLEFT),
        ]
    )
    last = s.row([("", 1), ("{%tr endfor %}", 8)])
    s.vmerge(1, first, last)
    s.row([("总分", 6), ("{{ project.weight_total }}", 1), ("{{ project.total_score }}", 1), ("", 1)])
    save_xlsx(wb, path)


def save_xlsx(wb, path: Path) -> None:
    import io

    for ws in wb.worksheets:
        a4_fit_width(ws)
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = STAMP
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize(buf.getvalue(), STAMP))


# ----------------------------------------------------------- 申报表 2023: Word

# 6 columns: label | value/一级 | label/二级 | value/三级 | label/指标值 | value
TARGET_WIDTHS = [2.0, 2.6, 2.6, 3.6, 2.6, 4.0]


def build_target_2023_docx(path: Path) -> None:
    doc = new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    doc.add_paragraph("{{ form.title }}", style="Title")
    doc.add_paragraph("（{{ form.year }}年度）", style="表头年度")
    g = Grid(doc, TARGET_WIDTHS)
    g.row([("项目名称", 1), ("{{ project.name }}", 1), ("项目性质", 1), ("{{ project.nature }}", 1), ("项目类别", 1), ("{{ project.category }}", 1)])
    g.row([("主管部门", 1), ("{{ project.department }}", 2), ("实施单位", 1), ("{{ project.executor }}", 2)])
    g.row([("计划开始日期", 1), ("{{ project.start }}", 2), ("计划完成日期", 1), ("{{ project.end }}", 2)])
    right = {"align": WD_ALIGN_PARAGRAPH.RIGHT}
    amount = lambda key: (f"{{{{ project.funds.{key}|amount }}}}", 1, right)  # noqa: E731
    g.row(
        [
            ("项目资金（{{ unit.amount_unit }}）", 1, {"vmerge": "restart"}),
            ("项目资金总额", 1),
            amount("project_total"),
            ("年度资金申请总额", 1),
            (*amount("annual_total")[:1], 2, right),
        ]
    )
    g.row(
        [("", 1, {"vmerge": "continue"}), ("其中：财政资金", 1), amount("project_fiscal"), ("其中：当年财政拨款", 1), (*amount("annual_fiscal")[:1], 2, right)]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("", 1), ("", 1), ("上年结转资金", 1), (*amount("annual_carryover")[:1], 2, right)])
    g.row([("", 1, {"vmerge": "continue"}), ("其他资金", 1), amount("project_other"), ("其他资金", 1), (*amount("annual_other")[:1], 2, right)])
    g.row([("项目绩效目标", 1, {"vmerge": "restart"}), ("项目总体目标（{{ project.period }}）", 2), ("年度总体目标", 3)])
    loop = lambda name: {  # noqa: E731
        "align": JUSTIFY,
        "paras": [f"{{%p for para in project.{name} %}}", "{{ para }}", "{%p endfor %}"],
    }
    g.row([("", 1, {"vmerge": "continue"}), ("", 2, loop("overall_goal")), ("", 3, loop("goal"))])
    g.row([("绩效指标", 1, {"vmerge": "restart"}), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("年度(/项目)指标值", 2)])
    g.row([("", 1, {"vmerge": "continue"}), ("{%tr for ind in project.indicators %}", 5)])
    g.row(
        [
            ("", 1, {"vmerge": "continue"}),
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1, {"vmerge": "restart"}),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": LEFT}),
            ("{{ ind.target }}", 2),
        ]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("{%tr endfor %}", 5)])
    save_docx(doc, path)


# ---------------------------------------------------------- 申报表 2023: Excel

TARGET_XLSX_WIDTHS = [10, 14, 14, 20, 14, 20]


def build_target_2023_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    s = Sheet(ws, TARGET_XLSX_WIDTHS)
    s.row([("{{ form.title }}", 6)], border=False, font=Font(name=SONG, charset=134, size=16, bold=True), height=30)
    s.row([("（{{ form.year }}年度）", 6)], border=False, font=Font(name=FANGSONG, charset=134, size=12), height=20)
    s.row([("项目名称", 1), ("{{ project.name }}", 1), ("项目性质", 1), ("{{ project.nature }}", 1), ("项目类别", 1), ("{{ project.category }}", 1)])
    s.row([("主管部门", 1), ("{{ project.department }}", 2), ("实施单位", 1), ("{{ project.executor }}", 2)])
    s.row([("计划开始日期", 1), ("{{ project.start }}", 2), ("计划完成日期", 1), ("{{ project.end }}", 2)])
    amount = lambda key, span=1: (f"{{{{ project.funds.{key} }}}}", span, XRIGHT, AMOUNT)  # noqa: E731
    first = s.row([("项目资金（{{ unit.amount_unit }}）", 1), ("项目资金总额", 1), amount("project_total"), ("年度资金申请总额", 1), amount("annual_total", 2)])
    s.row([("", 1), ("其中：财政资金", 1), amount("project_fiscal"), ("其中：当年财政拨款", 1), amount("annual_fiscal", 2)])
    s.row([("", 1), ("", 1), ("", 1), ("上年结转资金", 1), amount("annual_carryover", 2)])
    last = s.row([("", 1), ("其他资金", 1), amount("project_other"), ("其他资金", 1), amount("annual_other", 2)])
    s.vmerge(1, first, last)
    first = s.row([("项目绩效目标", 1), ("项目总体目标（{{ project.period }}）", 2), ("年度总体目标", 3)])
    last = s.row([("", 1), ('{{ project.overall_goal|join("\n") }}', 2, XLEFT), ('{{ project.goal|join("\n") }}', 3, XLEFT)])
    s.vmerge(1, first, last)
    first = s.row([("绩效指标", 1), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("年度(/项目)指标值", 2)])
    s.row([("", 1), ("{%tr for ind in project.indicators %}", 5)])
    s.row(
        [
            ("", 1),
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1),
            ("{{ ind.name }}", 1, XLEFT),
            ("{{ ind.target }}", 2),
        ]
    )
    last = s.row([("", 1), ("{%tr endfor %}", 5)])
    s.vmerge(1, first, last)
    save_xlsx(wb, path)


# ----------------------------------------------------------- 申报表 2020: Word

# 4 columns: label | value | label | value; indicator rows 一级 | 二级 | 三级 | 指标目标值
TARGET_2020_WIDTHS = [4.0, 4.7, 4.0, 4.7]
TARGET_2020_NARRATIVE = [
    ("项目概况：", "overview"),
    ("立项依据：", "basis"),
    ("项目设立的必要性：", "necessity"),
    ("保证项目实施的制度、措施：", "safeguards"),
    ("项目实施计划：", "plan"),
    ("总目标及阶段性目标：", "overall_goal"),
]


def build_target_2020_docx(path: Path) -> None:
    doc = new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    doc.add_paragraph("{{ form.title }}", style="Title")
    doc.add_paragraph("（{{ form.year }}）年度　　申报单位名称：{{ unit.name }}", style="表头年度")
    g = Grid(doc, TARGET_2020_WIDTHS)
    g.row([("项目名称：", 1), ("{{ project.name }}", 1), ("项目类别：", 1), ("{{ project.category }}", 1)])
    g.row([("计划开始日期：", 1), ("{{ project.start }}", 1), ("计划完成日期：", 1), ("{{ project.end }}", 1)])
    g.row([("是否含有政府购买服务：", 1), ("{{ project.government_purchase }}", 1), ("绩效类型：", 1), ("{{ project.performance_type }}", 1)])
    for label, key in TARGET_2020_NARRATIVE:
        g.row(
            [
                (label, 1),
                ("", 3, {"align": JUSTIFY, "paras": [f"{{%p for para in project.{key} %}}", "{{ para }}", "{%p endfor %}"]}),
            ]
        )
    g.row([("本项目上年度市级财政资金使用情况", 4)])
    right = {"align": WD_ALIGN_PARAGRAPH.RIGHT}
    g.row(
        [
            ("项目总预算（{{ unit.amount_unit }}）：", 1),
            ("{{ project.funds.project_total|amount }}", 1, right),
            ("项目当年预算（{{ unit.amount_unit }}）：", 1),
            ("{{ project.funds.annual_total|amount }}", 1, right),
        ]
    )
    g.row(
        [
            ("同名项目上年预算额（{{ unit.amount_unit }}）：", 1),
            ("{{ project.funds.last_year_budget|amount }}", 1, right),
            ("同名项目上年预算执行数（{{ unit.amount_unit }}）：", 1),
            ("{{ project.funds.last_year_executed|amount }}", 1, right),
        ]
    )
    g.row([("{{ form.year }}年绩效目标", 4)])
    g.row([("一级目标", 1), ("二级目标", 1), ("三级目标", 1), ("指标目标值", 1)])
    g.row([("{%tr for ind in project.indicators %}", 4)])
    g.row(
        [
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1, {"vmerge": "restart"}),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1, {"vmerge": "restart"}),
            ("{{ ind.name }}", 1, {"align": LEFT}),
            ("{{ ind.target }}", 1),
        ]
    )
    g.row([("{%tr endfor %}", 4)])
    save_docx(doc, path)


# ---------------------------------------------------------- 申报表 2020: Excel

TARGET_2020_XLSX_WIDTHS = [24, 28, 24, 28]


def build_target_2020_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    s = Sheet(ws, TARGET_2020_XLSX_WIDTHS)
    s.row([("{{ form.title }}", 4)], border=False, font=Font(name=SONG, charset=134, size=16, bold=True), height=30)
    s.row([("（{{ form.year }}）年度　　申报单位名称：{{ unit.name }}", 4)], border=False, font=Font(name=FANGSONG, charset=134, size=12), height=20)
    s.row([("项目名称：", 1), ("{{ project.name }}", 1), ("项目类别：", 1), ("{{ project.category }}", 1)])
    s.row([("计划开始日期：", 1), ("{{ project.start }}", 1), ("计划完成日期：", 1), ("{{ project.end }}", 1)])
    s.row([("是否含有政府购买服务：", 1), ("{{ project.government_purchase }}", 1), ("绩效类型：", 1), ("{{ project.performance_type }}", 1)])
    for label, key in TARGET_2020_NARRATIVE:
        s.row([(label, 1), (f'{{{{ project.{key}|join("\n") }}}}', 3, XLEFT)])
    s.row([("本项目上年度市级财政资金使用情况", 4)])
    amount = lambda key: (f"{{{{ project.funds.{key} }}}}", 1, XRIGHT, AMOUNT)  # noqa: E731
    s.row([("项目总预算（{{ unit.amount_unit }}）：", 1), amount("project_total"), ("项目当年预算（{{ unit.amount_unit }}）：", 1), amount("annual_total")])
    s.row(
        [
            ("同名项目上年预算额（{{ unit.amount_unit }}）：", 1),
            amount("last_year_budget"),
            ("同名项目上年预算执行数（{{ unit.amount_unit }}）：", 1),
            amount("last_year_executed"),
        ]
    )
    s.row([("{{ form.year }}年绩效目标", 4)])
    s.row([("一级目标", 1), ("二级目标", 1), ("三级目标", 1), ("指标目标值", 1)])
    s.row([("{%tr for ind in project.indicators %}", 4)])
    s.row(
        [
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 1),
            ("{% vmerge ind.l2_merge %}{{ ind.level2 }}", 1),
            ("{{ ind.name }}", 1, XLEFT),
            ("{{ ind.target }}", 1),
        ]
    )
    s.row([("{%tr endfor %}", 4)])
    save_xlsx(wb, path)


# ------------------------------------------------------- Word fields and styles

HEITI = "黑体"


def field(paragraph, instr: str, result: str | None = None):
    """Append a complex field (begin, instruction, [separate, result], end) to `paragraph`."""
    field_begin(paragraph, instr, separate=result is not None)
    if result is not None:
        paragraph.add_run(result)
    field_end(paragraph)


def raw_run(paragraph, tag: str):
    """A run holding only a docxtpl run-level tag such as {%r if loop.first %}."""
    paragraph.add_run(tag)


def field_begin(paragraph, instr: str, separate: bool = True) -> None:
    for kind, inner in (("begin", None), (None, instr)) + ((("separate", None),) if separate else ()):
        r = OxmlElement("w:r")
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {inner} "
        r.append(el)
        paragraph._p.append(r)


def field_end(paragraph) -> None:
    r = OxmlElement("w:r")
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    r.append(el)
    paragraph._p.append(r)


def paragraph_style(
    doc, name: str, east_asia: str, size: float, *, bold=False, align=None, indent_chars=0, before=0, after=0, line=1.0, page_break=False, keep_next=False
):
    style = doc.styles.add_style(name, 1)
    style.base_style = doc.styles["Normal"]
    style_fonts(style, east_asia, size, bold=bold)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.line_spacing = line
    pf.page_break_before = page_break
    pf.keep_with_next = keep_next
    if indent_chars:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(int(indent_chars * size * 20)))
        style.element.get_or_add_pPr().append(ind)
    return style


def toc_style(doc, width_cm: float):
    """Word's own "toc 1" style (regenerated contents use it too): a dotted tab to the right margin."""
    style = doc.styles.add_style("toc 1", 1)
    style.base_style = doc.styles["Normal"]
    style_fonts(style, SONG, 12)
    style.paragraph_format.space_after = Pt(4)
    style.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), alignment=2, leader=1)  # right, dots
    return style


def toc_entries(doc, style, instr: str, loop: str) -> None:
    """A contents field whose result is one paragraph per entry of `loop` (a Jinja for
    clause over items with .text and .page); the field opens in the first entry and
    closes in the last, as Word writes it."""
    p = doc.add_paragraph(f"{{%p for entry in {loop} %}}")
    p = doc.add_paragraph(style=style)
    raw_run(p, "{%r if loop.first %}")
    field_begin(p, instr)
    raw_run(p, "{%r endif %}")
    p.add_run("{{ entry.text }}")
    p.add_run("\t")
    p.add_run("{{ entry.page }}")
    raw_run(p, "{%r if loop.last %}")
    field_end(p)
    raw_run(p, "{%r endif %}")
    doc.add_paragraph("{%p endfor %}")


def no_borders(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tcpr.append(borders)


class EdgeGrid(Grid):
    """A Grid whose rows name where each cell ends (cm from the left edge), so rows
    with different cell counts share one table, as the departmental form does."""

    def __init__(self, doc, edges: list[float]):
        self.edges = sorted(set(edges))
        widths = [b - a for a, b in zip([0.0] + self.edges[:-1], self.edges)]
        super().__init__(doc, widths)

    def erow(self, cells):
        specs, col = [], 0
        for spec in cells:
            text, end = spec[0], spec[1]
            stop = self.edges.index(end) + 1
            specs.append((text, stop - col, *spec[2:]))
            col = stop
        return self.row(specs)


# -------------------------------------------- 部门整体绩效目标 2020: Word

# Cell edges (cm) of the project table: 一级 | 二级 | 三级 | 绩效指标描述 | 指标值 | 指标值确定依据,
# 预算数 / 财政资金 / 其他资金 pairs and the four 资金支出计划 dates all end on these.
DEPT_ROW_INDICATORS = [2.2, 4.6, 7.8, 11.6, 13.8, 17.0]
DEPT_ROW_BUDGET = [2.2, 4.6, 7.8, 9.8, 11.6, 13.8, 17.0]
DEPT_ROW_PLAN = [2.2, 5.9, 9.6, 13.3, 17.0]
DEPT_ROW_CODE = [2.2, 7.8, 9.8, 17.0]


def dept_project_table(doc) -> None:
    g = EdgeGrid(doc, DEPT_ROW_INDICATORS + DEPT_ROW_BUDGET + DEPT_ROW_PLAN + DEPT_ROW_CODE)
    right = {"align": WD_ALIGN_PARAGRAPH.RIGHT}
    head = g.erow([("{{ unit.code }}{{ unit.name }}", 11.6, {"align": LEFT}), ("单位：{{ unit.amount_unit }}", 17.0, right)])
    for cell in head:
        no_borders(cell)
    g.erow([("项目编码", 2.2), ("{{ project.code }}", 7.8), ("项目名称", 9.8), ("{{ project.name }}", 17.0)])
    amount = lambda key, end: (f"{{{{ project.budget.{key}|dec2 }}}}", end, right)  # noqa: E731
    g.erow(
        [
            ("预算规模及资金用途", 2.2, {"vmerge": "restart"}),
            ("预算数", 4.6),
            amount("total", 7.8),
            ("其中：财政资金", 9.8),
            amount("fiscal", 11.6),
            ("其他资金", 13.8),
            amount("other", 17.0),
        ]
    )
    g.erow(
        [("", 2.2, {"vmerge": "continue"}), ("", 17.0, {"align": JUSTIFY, "paras": ["{%p for para in project.budget.use %}", "{{ para }}", "{%p endfor %}"]})]
    )
    g.erow([("资金支出计划（%）", 2.2, {"vmerge": "restart"}), ("3月底", 5.9), ("6月底", 9.6), ("10月底", 13.3), ("12月底", 17.0)])
    g.erow([("", 2.2, {"vmerge": "continue"})] + [(f"{{{{ project.plan[{i}]|dec2 }}}}", end) for i, end in enumerate(DEPT_ROW_PLAN[1:])])
    g.erow([("绩效目标", 2.2), ("", 17.0, {"align": JUSTIFY, "paras": ["{%p for para in project.goal %}", "{{ para }}", "{%p endfor %}"]})])
    g.erow([("一级指标", 2.2), ("二级指标", 4.6), ("三级指标", 7.8), ("绩效指标描述", 11.6), ("指标值", 13.8), ("指标值确定依据", 17.0)])
    g.erow([("{%tr for ind in project.indicators %}", 17.0)])
    g.erow(
        [
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 2.2, {"vmerge": "restart"}),
            ("{{ ind.level2 }}", 4.6),
            ("{{ ind.name }}", 7.8, {"align": LEFT}),
            ("{{ ind.description }}", 11.6, {"align": LEFT}),
            ("{{ ind.target }}", 13.8),
            ("{{ ind.basis }}", 17.0, {"align": LEFT}),
        ]
    )
    g.erow([("{%tr endfor %}", 17.0)])


def build_dept_2020_docx(path: Path) -> None:
    doc = new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    part = paragraph_style(doc, "部分标题", HEITI, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6, keep_next=True)
    part_break = paragraph_style(
        doc, "部分标题分页", HEITI, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6, keep_next=True, page_break=True
    )
    section = paragraph_style(doc, "节标题", HEITI, 16, align=LEFT, indent_chars=2, before=12, after=6, line=1.5, keep_next=True)
    body = paragraph_style(doc, "正文", FANGSONG, 16, align=JUSTIFY, indent_chars=2, line=1.5)
    table_head = paragraph_style(doc, "项目表标题", HEITI, 14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6, page_break=True, keep_next=True)
    toc = toc_style(doc, 17.4)
    doc.add_paragraph("第一部分", style=part)
    doc.add_paragraph("部门整体绩效目标", style=part)

    def heading(text: str, entry: str) -> None:
        p = doc.add_paragraph(text, style=section)
        field(p, f'TC "{entry}" \\f A \\l 1')

    def numbered(loop: str, item: str = "item") -> None:
        doc.add_paragraph(f"{{%p for {item} in {loop} %}}", style=body)
        doc.add_paragraph(f"{{{{ {item}.number }}}}{{{{ {item}.text }}}}", style=body)
        doc.add_paragraph("{%p endfor %}", style=body)

    heading("一、总体绩效目标", "总体绩效目标")
    numbered("goals.overall")
    heading("二、分项绩效目标", "分项绩效目标")
    doc.add_paragraph("{%p for area in goals.areas %}", style=body)
    doc.add_paragraph("{{ area.number }}{{ area.text }}", style=body)
    numbered("area.points")
    doc.add_paragraph("{%p endfor %}", style=body)
    heading("三、工作保障措施", "工作保障措施")
    doc.add_paragraph("{%p for para in goals.safeguards.intro %}", style=body)
    doc.add_paragraph("{{ para }}", style=body)
    doc.add_paragraph("{%p endfor %}", style=body)
    numbered("goals.safeguards.points")
    doc.add_paragraph("第二部分", style=part_break)
    doc.add_paragraph("预算项目绩效目标", style=part)
    toc_entries(doc, toc, "TOC \\f C \\h \\z", "contents")
    doc.add_paragraph("{%p for project in projects %}")
    p = doc.add_paragraph("{{ project.heading }}", style=table_head)
    field(p, 'TC "{{ project.toc_text }}" \\f C \\l 1')
    dept_project_table(doc)
    doc.add_paragraph("{%p endfor %}")
    save_docx(doc, path)


# ------------------------------------------- 部门整体绩效目标 2020: Excel

# One sheet per project: the columns follow the Word table's cell edges.
DEPT_XLSX_EDGES = sorted(set(DEPT_ROW_INDICATORS + DEPT_ROW_BUDGET + DEPT_ROW_PLAN + DEPT_ROW_CODE))


def build_dept_2020_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    widths = [round((b - a) * 5.2) for a, b in zip([0.0] + DEPT_XLSX_EDGES[:-1], DEPT_XLSX_EDGES)]
    s = Sheet(ws, widths)
    col = lambda end: DEPT_XLSX_EDGES.index(end) + 1  # noqa: E731

    def erow(cells, **kw):
        specs, start = [], 1
        for spec in cells:
            stop = col(spec[1]) + 1
            specs.append((spec[0], stop - start, *spec[2:]))
            start = stop
        return s.row(specs, **kw)

    erow([("{{ project.heading }}", 17.0)], border=False, font=Font(name=HEITI, charset=134, size=14), height=28)
    erow([("{{ unit.code }}{{ unit.name }}", 11.6, XLEFT), ("单位：{{ unit.amount_unit }}", 17.0, XRIGHT)], border=False)
    erow([("项目编码", 2.2), ("{{ project.code }}", 7.8), ("项目名称", 9.8), ("{{ project.name }}", 17.0)])
    amount = lambda key, end: (f"{{{{ project.budget.{key} }}}}", end, XRIGHT, PLAIN2)  # noqa: E731
    first = erow(
        [
            ("预算规模及资金用途", 2.2),
            ("预算数", 4.6),
            amount("total", 7.8),
            ("其中：财政资金", 9.8),
            amount("fiscal", 11.6),
            ("其他资金", 13.8),
            amount("other", 17.0),
        ]
    )
    last = erow([("", 2.2), ('{{ project.budget.use|join("\\n") }}', 17.0, XLEFT)])
    s.vmerge(1, first, last)
    first = erow([("资金支出计划（%）", 2.2), ("3月底", 5.9), ("6月底", 9.6), ("10月底", 13.3), ("12月底", 17.0)])
    last = erow([("", 2.2)] + [(f"{{{{ project.plan[{i}] }}}}", end, CENTER, PLAIN2) for i, end in enumerate(DEPT_ROW_PLAN[1:])])
    s.vmerge(1, first, last)
    erow([("绩效目标", 2.2), ('{{ project.goal|join("\\n") }}', 17.0, XLEFT)])
    erow([("一级指标", 2.2), ("二级指标", 4.6), ("三级指标", 7.8), ("绩效指标描述", 11.6), ("指标值", 13.8), ("指标值确定依据", 17.0)])
    erow([("{%tr for ind in project.indicators %}", 17.0)])
    erow(
        [
            ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", 2.2),
            ("{{ ind.level2 }}", 4.6),
            ("{{ ind.name }}", 7.8, XLEFT),
            ("{{ ind.description }}", 11.6, XLEFT),
            ("{{ ind.target }}", 13.8),
            ("{{ ind.basis }}", 17.0, XLEFT),
        ]
    )
    erow([("{%tr endfor %}", 17.0)])
    save_xlsx(wb, path)


# ------------------------------------------------------------ the annual book


def build_book_docx(path: Path) -> None:
    """Cover, contents and the header/footer every page of the book shares.  The forms
    are appended after this skeleton by docgen (render/compose.py)."""
    doc = new_document()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    cover = paragraph_style(doc, "封面标题", HEITI, 26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=180, after=36, line=1.3)
    cover_line = paragraph_style(doc, "封面单位", FANGSONG, 16, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    contents = paragraph_style(doc, "目录标题", HEITI, 18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=18, page_break=True)
    toc = toc_style(doc, 17.4)
    doc.add_paragraph("{{ book.title }}", style=cover)
    doc.add_paragraph("{{ book.unit }}", style=cover_line)
    doc.add_paragraph("{{ book.year }}年度", style=cover_line)
    doc.add_paragraph("目　录", style=contents)
    toc_entries(doc, toc, "TOC \\f B \\h \\z", "book.contents")
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # the cover carries no header or footer
    header = section.header.paragraphs[0]
    header.text = "{{ book.title }}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = header._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")
    for p in (header, footer):
        for run in p.runs:
            set_fonts(run._r, SONG)
            run.font.size = Pt(9)
    save_docx(doc, path)


BUILDERS = {
    "docx/selfeval-2022.docx": build_selfeval_docx,
    "xlsx/selfeval-2022.xlsx": build_selfeval_xlsx,
    "docx/target-2023.docx": build_target_2023_docx,
    "xlsx/target-2023.xlsx": build_target_2023_xlsx,
    "docx/target-2020.docx": build_target_2020_docx,
    "xlsx/target-2020.xlsx": build_target_2020_xlsx,
    "docx/dept-2020.docx": build_dept_2020_docx,
    "xlsx/dept-2020.xlsx": build_dept_2020_xlsx,
    "docx/book.docx": build_book_docx,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where to write the templates (their paths relative to templates/)")
    parser.add_argument("--force", action="store_true", help="overwrite files that exist (edited templates are lost)")
    args = parser.parse_args(argv[1:])
    existing = [args.folder / rel for rel in BUILDERS if (args.folder / rel).exists()]
    if existing and not args.force:
        print("refusing to overwrite (use --force): " + ", ".join(map(str, existing)), file=sys.stderr)
        return 2
    for rel, build in BUILDERS.items():
        build(args.folder / rel)
        print(f"built {args.folder / rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
