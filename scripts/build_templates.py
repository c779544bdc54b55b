"""Build the committed form templates (.docx for docxtpl, .xlsx for docgen's xlsx engine).

Run `make templates` (or `python scripts/build_templates.py`) after changing this
file.  The output is ordinary Word/Excel files: a user can open and edit them, and
a new form version usually starts as a copy of one of them, not as a change here.

Layout source: ../shared/reference/selfeval-2022-shanghai-dpf.txt (自评表 2022).
"""

from __future__ import annotations

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
        (f"{{{{ project.funds.{key}.{col}|amount }}}}", 1, {"align": WD_ALIGN_PARAGRAPH.RIGHT})
        for col in ("initial", "budget", "executed")
    ]
    g.row(
        [("", 1, {"vmerge": "continue"}), ("{{ project.funds.total.label }}", 2), *amounts("total")]
        + [("{{ project.execution.weight }}", 1), ("{{ project.execution.rate|pct }}", 1), ("{{ project.execution.score }}", 1)]
    )
    for key in ("fiscal", "carryover", "other"):
        g.row(
            [("", 1, {"vmerge": "continue"}), (f"{{{{ project.funds.{key}.label }}}}", 2), *amounts(key)]
            + [("—", 1), ("", 1), ("", 1)]
        )
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
        [("绩效指标", 1), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("年度指标值", 1), ("实际完成值", 1), ("分值", 1), ("得分", 1), ("偏差原因分析及改进措施", 1)]
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
        [("项目资金（{{ unit.amount_unit }}）", 1, {"vmerge": "restart"}), ("项目资金总额", 1), amount("project_total"), ("年度资金申请总额", 1), (*amount("annual_total")[:1], 2, right)]
    )
    g.row([("", 1, {"vmerge": "continue"}), ("其中：财政资金", 1), amount("project_fiscal"), ("其中：当年财政拨款", 1), (*amount("annual_fiscal")[:1], 2, right)])
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
        [("项目总预算（{{ unit.amount_unit }}）：", 1), ("{{ project.funds.project_total|amount }}", 1, right),
         ("项目当年预算（{{ unit.amount_unit }}）：", 1), ("{{ project.funds.annual_total|amount }}", 1, right)]
    )
    g.row(
        [("同名项目上年预算额（{{ unit.amount_unit }}）：", 1), ("{{ project.funds.last_year_budget|amount }}", 1, right),
         ("同名项目上年预算执行数（{{ unit.amount_unit }}）：", 1), ("{{ project.funds.last_year_executed|amount }}", 1, right)]
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
        [("同名项目上年预算额（{{ unit.amount_unit }}）：", 1), amount("last_year_budget"),
         ("同名项目上年预算执行数（{{ unit.amount_unit }}）：", 1), amount("last_year_executed")]
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


BUILDERS = {
    "docx/selfeval-2022.docx": build_selfeval_docx,
    "xlsx/selfeval-2022.xlsx": build_selfeval_xlsx,
    "docx/target-2023.docx": build_target_2023_docx,
    "xlsx/target-2023.xlsx": build_target_2023_xlsx,
    "docx/target-2020.docx": build_target_2020_docx,
    "xlsx/target-2020.xlsx": build_target_2020_xlsx,
}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "templates"
    for rel, build in BUILDERS.items():
        build(out / rel)
        print(f"built {out / rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
