"""Forms as fifty clerks return them: each variant is a small edit (python-docx /
openpyxl) of a form docgen rendered from an example, imported again.  A variant either
reads as the original does (`SAME`: the validated unit is equal, amounts compared as
numbers), reads the values the edit means (a check of what the importer yields), or is
refused with a Chinese message naming the file and the cell or field (`refused`): never
a traceback, never a value silently wrong or an indicator row silently lost."""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from typer.testing import CliRunner

from docgen import render_file
from docgen.build.plan import RenderOptions
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.importing import import_forms
from docgen.model.validate import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
SELFEVAL, TARGET, TARGET_2020, DEPT = "shanghai-dpf-2022", "shanghai-sscard-2023", "shanghai-dpf-infocenter-2020", "qinhuangdao-shanhaiguan-dpf-2020"
runner = CliRunner()


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """`forms(example)` -> its first form (.docx, .xlsx), rendered once per module."""
    cache: dict[str, dict[str, Path]] = {}

    def first(example: str) -> dict[str, Path]:
        if example not in cache:
            out = tmp_path_factory.mktemp(example)
            files = render_file(EXAMPLES / f"{example}.yaml", out, options=RenderOptions(book=False, layout=False)).files
            cache[example] = {suffix: next(f for f in files if f.suffix == suffix) for suffix in (".docx", ".xlsx")}
        return cache[example]

    return first


# ------------------------------------------------------------------ Word edits


def _cells(table) -> list[tuple[int, Any]]:
    """(row index, cell) of each distinct cell, a merged one once."""
    out, seen = [], set()
    for r, row in enumerate(table.rows):
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                out.append((r, cell))
    return out


def _cell(doc, text: str, nth: int = 0):
    """The `nth` cell reading `text`, a label broken by hand (项目资金 / （元）) as one line."""
    return [c for t in doc.tables for _, c in _cells(t) if c.text.replace("\n", "").strip() == text][nth]


def _row(doc, text: str):
    """The row (python-docx) holding a cell whose text is `text`."""
    table = doc.tables[0]
    return next(table.rows[r] for r, c in _cells(table) if c.text.strip() == text)


def _set(cell, text: str) -> None:
    """Type `text` into a cell as a clerk would: the first run keeps its format."""
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    p = cell.paragraphs[0]
    if p.runs:
        p.runs[0].text = text
        for run in p.runs[1:]:
            run.text = ""
    else:
        p.add_run(text)


def relabel(old: str, new: str, nth: int = 0) -> Callable:
    return lambda doc: _set(_cell(doc, old, nth), new)


def value_at(label: str, new: str, offset: int = 1) -> Callable:
    """Type `new` into the cell `offset` cells right of the one labelled `label`."""

    def edit(doc):
        row = _row(doc, label)
        cells = list(dict.fromkeys(c._tc for c in row.cells))
        tc = cells[[c for c in cells].index(_cell(doc, label)._tc) + offset]
        _set(next(c for c in row.cells if c._tc is tc), new)

    return edit


def indicator_cell(name: str, column: int, new: str) -> Callable:
    """Column `column` (grid column, 0 = 绩效指标) of the indicator row named `name`."""
    return lambda doc: _set(_row(doc, name).cells[column], new)


def _copy_row_after(doc, name: str):
    row = _row(doc, name)
    tr = copy.deepcopy(row._tr)
    row._tr.addnext(tr)
    return tr


def blank_row_after(name: str) -> Callable:
    def edit(doc):
        tr = _copy_row_after(doc, name)
        for t in tr.iter(qn("w:t")):
            t.text = ""

    return edit


def copied_row(name: str, new: str) -> Callable:
    def edit(doc):
        tr = _copy_row_after(doc, name)
        texts = [t for t in tr.iter(qn("w:t")) if t.text == name]
        texts[0].text = new

    return edit


def _paragraph(text: str = "") -> Any:
    """A w:p holding `text` in one run (none when empty)."""
    paragraph = OxmlElement("w:p")
    if text:
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        run.append(t)
        paragraph.append(run)
    return paragraph


def signed_off(*texts: str) -> Callable:
    """A row typed under the indicator table to sign the form off, its cells spanning the
    grid evenly (填报人：张三 | 联系电话：… | 填报日期：…)."""

    def edit(doc):
        tbl = doc.tables[0]._tbl
        width = len(tbl.tblGrid.findall(qn("w:gridCol")))
        tr = OxmlElement("w:tr")
        for n, text in enumerate(texts):
            span = width // len(texts) + (width % len(texts) if n == len(texts) - 1 else 0)
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            grid_span = OxmlElement("w:gridSpan")
            grid_span.set(qn("w:val"), str(span))
            tcpr.append(grid_span)
            tc.append(tcpr)
            tc.append(_paragraph(text))
            tr.append(tc)
        tbl.append(tr)

    return edit


def signed_off_sheet(*texts: str) -> Callable:
    def edit(ws):
        row = ws.max_row + 1
        for n, text in enumerate(texts):
            ws.cell(row, 1 + 2 * n).value = text

    return edit


def deleted_row(name: str) -> Callable:
    def edit(doc):
        tr = _row(doc, name)._tr
        tr.getparent().remove(tr)

    return edit


def _unmerge_column(doc, column: int, repeat: bool) -> None:
    """Vertical merges of grid column `column` undone: each row its own cell, the label
    repeated (`repeat`) or left blank below the first row, as a clerk may type them."""
    above = ""
    for row in doc.tables[0].rows:
        tcs = row._tr.findall(qn("w:tc"))
        tc = row.cells[column]._tc
        if tc not in tcs:
            continue
        merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        text = "".join(t.text for t in tc.iter(qn("w:t")))
        if merge is None:
            above = text
            continue
        tc.tcPr.remove(merge)
        if merge.get(qn("w:val")) != "restart" and repeat:
            paragraph = tc.find(qn("w:p"))
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = above
            run.append(t)
            paragraph.append(run)
        above = text or above


def unmerged(column: int, repeat: bool) -> Callable:
    return lambda doc: _unmerge_column(doc, column, repeat)


def split_table_before(name: str, note: str = "") -> Callable:
    """The table split in two before the row named `name` (Word: 拆分表格), a paragraph
    (`note`, or blank as Word leaves it) between the halves."""

    def edit(doc):
        table = doc.tables[0]._tbl
        tr = _row(doc, name)._tr
        new = OxmlElement("w:tbl")
        for part in (table.tblPr, table.find(qn("w:tblGrid"))):
            new.append(copy.deepcopy(part))
        rows = table.findall(qn("w:tr"))
        for moved in rows[rows.index(tr) :]:
            new.append(moved)
        paragraph = _paragraph(note)
        table.addnext(paragraph)
        paragraph.addnext(new)

    return edit


def merged_into_above(name: str, column: int) -> Callable:
    """Grid column `column` of the row named `name` merged into the cell above it (Word: 合并单元格)."""

    def edit(doc):
        tc = _row(doc, name).cells[column]._tc
        merge = tc.tcPr.find(qn("w:vMerge"))
        if merge is None:
            merge = OxmlElement("w:vMerge")
            tc.tcPr.append(merge)
        merge.attrib.pop(qn("w:val"), None)

    return edit


def header_repeated_before(name: str) -> Callable:
    """The header row typed again above the row named `name` (a page's first row)."""

    def edit(doc):
        header = _row(doc, "三级指标")._tr
        _row(doc, name)._tr.addprevious(copy.deepcopy(header))

    return edit


def nested_in_layout_table(doc) -> None:
    """The form table put inside a one-cell table (a clerk's frame around the form)."""
    table = doc.tables[0]._tbl
    outer = doc.add_table(rows=1, cols=1)._tbl
    table.addprevious(outer)
    cell = outer.find(qn("w:tr")).find(qn("w:tc"))
    cell.insert(len(cell) - 1, table)  # before the paragraph a cell must end with


def cover_note(*lines: str) -> Callable:
    def edit(doc):
        first = doc.element.body[0]
        for line in lines:
            first.addprevious(doc.add_paragraph(line)._p)

    return edit


def title_one_line(title: str) -> Callable:
    """The title and year paragraphs typed as one paragraph."""

    def edit(doc):
        paragraphs = [p for p in doc.paragraphs if p.text.strip()]
        paragraphs[0].runs[0].text = title
        for run in paragraphs[0].runs[1:]:
            run.text = ""
        paragraphs[1]._p.getparent().remove(paragraphs[1]._p)

    return edit


def runs_split(label: str) -> Callable:
    """A label typed in pieces (each its own run, as Word's autocorrect or a paste leaves it)."""

    def edit(doc):
        p = _cell(doc, label).paragraphs[0]
        for run in p.runs:
            run.text = ""
        for piece in (label[:1], label[1:3], label[3:]):
            p.add_run(piece)

    return edit


def edits(*steps: Callable) -> Callable:
    def edit(target):
        for step in steps:
            step(target)

    return edit


# ------------------------------------------------------------------ Excel edits


def xcell(ref: str, value: Any) -> Callable:
    def edit(ws):
        ws[ref].value = value

    return edit


def xformat(ref: str, number_format: str) -> Callable:
    def edit(ws):
        ws[ref].number_format = number_format

    return edit


def xtitle(name: str) -> Callable:
    def edit(ws):
        ws.title = name

    return edit


def _reshape(ws, insert: Callable, shift: Callable) -> None:
    ranges = [r.coord for r in ws.merged_cells.ranges]
    for coord in ranges:
        ws.unmerge_cells(coord)
    insert(ws)
    for coord in ranges:
        ws.merge_cells(shift(coord))


def _shifted(coord: str, rows: int, cols: int) -> str:
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(coord)
    return f"{get_column_letter(c1 + cols)}{r1 + rows}:{get_column_letter(c2 + cols)}{r2 + rows}"


def xinsert_col(ws) -> None:
    _reshape(ws, lambda w: w.insert_cols(1), lambda c: _shifted(c, 0, 1))
    ws["A5"].value = "备注"


def xinsert_row(ws) -> None:
    _reshape(ws, lambda w: w.insert_rows(1), lambda c: _shifted(c, 1, 0))
    ws["A1"].value = "附件2"


def xunmerge(ws) -> None:
    for coord in [r.coord for r in ws.merged_cells.ranges]:
        ws.unmerge_cells(coord)


def xunmerge_repeat(ws) -> None:
    """Merges undone, each cell of a merge holding the merge's text (copy-pasted down)."""
    for merged in list(ws.merged_cells.ranges):
        value = ws.cell(merged.min_row, merged.min_col).value
        ws.unmerge_cells(merged.coord)
        for row in ws.iter_rows(min_row=merged.min_row, max_row=merged.max_row, min_col=merged.min_col, max_col=merged.min_col):
            row[0].value = value


def xrow_copied(source: int, name: str) -> Callable:
    """An indicator row copied below row `source` (Excel: 插入复制的单元格), renamed `name`."""

    def edit(ws):
        values = [c.value for c in ws[source]]
        _reshape(ws, lambda w: w.insert_rows(source + 1), lambda c: _grown(c, source))
        for cell, value in zip(ws[source + 1], values):
            if not isinstance(cell, MergedCell):  # a merge grown over the new row
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # copied text stays text (`=2个` is a target, not a formula)
        ws.cell(source + 1, 4).value = name

    return edit


def _grown(coord: str, at: int) -> str:
    """A merge after inserting a row below row `at`: below it moves, across it grows."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(coord)
    r1, r2 = r1 + (r1 > at), r2 + (r2 > at)
    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


# ------------------------------------------------------------------ expectations

SAME = "same"


def refused(text: str) -> tuple[str, str]:
    return ("refused", text)


def _unit(path: Path) -> dict:
    return validate(import_forms([path]).source).model_dump()


_ORIGINALS: dict[Path, dict] = {}


def _original(path: Path) -> dict:
    """`_unit` of a form as rendered, read once per module (the forms are module-scoped)."""
    if path not in _ORIGINALS:
        _ORIGINALS[path] = _unit(path)
    return copy.deepcopy(_ORIGINALS[path])


def _printed(path: Path) -> dict:
    return import_forms([path]).printed


def _variant(tmp_path: Path, source: Path, edit: Callable, xlsx_post: Callable | None = None) -> Path:
    path = tmp_path / source.name
    shutil.copy(source, path)
    if source.suffix == ".docx":
        doc = Document(str(path))
        edit(doc)
        doc.save(str(path))
    else:
        wb = load_workbook(path)
        edit(next(ws for ws in wb.worksheets if ws.max_column > 2))  # the form, not the departmental 第一部分
        wb.save(path)
    if xlsx_post is not None:
        xlsx_post(path)
    return path


def cached(ref: str, value: str) -> Callable:
    """Give the formula in `ref` the value Excel would have cached on saving."""

    def post(path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        name = "xl/worksheets/sheet1.xml"
        xml = parts[name].decode("utf-8")
        xml, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\1\2<v>{value}</v>", xml)
        assert n == 1, xml[:200]
        parts[name] = xml.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in parts.items():
                z.writestr(n, data)

    return post


def _indicators(p: dict) -> list[dict]:
    return p["projects"][0]["indicators"]


def names(*expected: str, at: int = 0) -> Callable:
    return lambda p: [i["name"] for i in _indicators(p)][at : at + len(expected)] == list(expected)


def count(n: int) -> Callable:
    return lambda p: len(_indicators(p)) == n


def field(path: str, value: Any) -> Callable:
    def check(p: dict) -> bool:
        """`path` under the first project; `unit.` names a unit field."""
        node: Any = p if path.startswith("unit.") else p["projects"][0]
        for part in path.removeprefix("unit.").split("."):
            node = node[int(part)] if part.isdigit() else node.get(part)
            if node is None:
                break
        return node == value

    return check


def both(*checks: Callable) -> Callable:
    return lambda p: all(c(p) for c in checks)


FUNDS = "evaluation.funds.total"
TO_WAN_2020 = [
    relabel(f"{label}（元）{colon}", f"{label}（万元）{colon}")
    for label, colon in (("项目总预算", "："), ("项目当年预算", "："), ("同名项目上年预算额", "："), ("同名项目上年预算执行数", "："))
]
V = pytest.param
# (example, suffix, edit, expected); `expected`: SAME, refused(text), or a check of the
# project as the import read it (`Imported.printed`, before computed values are left out).
VARIANTS = [
    # --- labels: spacing, colons, brackets, runs
    V(SELFEVAL, ".docx", relabel("项目名称", "项 目 名 称"), SAME, id="label-spaces"),
    V(SELFEVAL, ".docx", relabel("项目名称", "项目名称："), SAME, id="label-fullwidth-colon"),
    V(SELFEVAL, ".docx", relabel("项目名称", "项目名称:"), SAME, id="label-ascii-colon"),
    V(SELFEVAL, ".docx", relabel("项目名称", " 项目名称 \n"), SAME, id="label-trailing-space-newline"),
    V(SELFEVAL, ".docx", relabel("一级指标", "一级\n指标"), SAME, id="header-label-two-lines"),
    V(SELFEVAL, ".docx", runs_split("三级指标"), SAME, id="header-label-split-runs"),
    V(SELFEVAL, ".docx", relabel("项目资金（元）", "项目资金(元)"), SAME, id="funds-label-ascii-brackets"),
    V(SELFEVAL, ".docx", relabel("其中：当年财政拨款", "其中:当年财政拨款"), SAME, id="funds-row-ascii-colon"),
    V(SELFEVAL, ".docx", relabel("年初预算数", "年初 预算数"), SAME, id="funds-header-space"),
    V(TARGET, ".docx", relabel("项目资金（元）", "项目资金(元)"), SAME, id="target-funds-label-ascii-brackets"),
    V(TARGET_2020, ".docx", relabel("项目总预算（元）：", "项目总预算(元):"), SAME, id="target2020-label-ascii"),
    # --- amounts as clerks type them
    V(SELFEVAL, ".docx", value_at("年度资金总额", "1943200", 1), SAME, id="amount-plain"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "1,943,200", 1), SAME, id="amount-thousands"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "1943200.00元", 1), field(FUNDS + ".initial", "1943200.00"), id="amount-yuan-suffix"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "１９４３２００", 1), field(FUNDS + ".initial", "1943200"), id="amount-fullwidth-digits"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "1 943 200.00", 1), field(FUNDS + ".initial", "1943200.00"), id="amount-spaces"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "194.32万元", 1), field(FUNDS + ".initial", "1,943,200.00"), id="amount-wan-suffix"),
    V(SELFEVAL, ".docx", value_at("上年结转资金", "", 1), field("evaluation.funds.carryover.initial", None), id="amount-blank"),
    V(SELFEVAL, ".docx", value_at("上年结转资金", "—", 1), field("evaluation.funds.carryover.initial", None), id="amount-dash"),
    V(SELFEVAL, ".docx", value_at("上年结转资金", "-", 1), field("evaluation.funds.carryover.initial", None), id="amount-hyphen"),
    V(SELFEVAL, ".docx", value_at("上年结转资金", "无", 1), field("evaluation.funds.carryover.initial", None), id="amount-none-word"),
    V(SELFEVAL, ".docx", value_at("上年结转资金", "/", 2), field("evaluation.funds.carryover.budget", None), id="amount-slash"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "-", 5), field("evaluation.execution.rate", None), id="rate-hyphen"),
    V(
        SELFEVAL,
        ".docx",
        value_at("年度资金总额", "约194万", 1),
        refused("单元格 表格 1 第 4 行第 4 列，项目「残疾人权益保障经费」 自评 › 项目资金 › 年度资金总额 › 年初预算数：应为金额"),
        id="amount-unreadable",
    ),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "96.41 %", 5), SAME, id="rate-space-percent"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "９６．４１％", 5), SAME, id="rate-fullwidth"),
    V(SELFEVAL, ".docx", value_at("年度资金总额", "10.0", 6), SAME, id="score-decimal"),
    V(SELFEVAL, ".docx", indicator_cell("开展名律师咨询次数", 6, "5.0"), SAME, id="weight-decimal"),
    V(SELFEVAL, ".docx", indicator_cell("开展名律师咨询次数", 6, "５"), SAME, id="weight-fullwidth"),
    # --- 万元
    V(
        SELFEVAL,
        ".docx",
        edits(relabel("项目资金（元）", "项目资金（万元）"), value_at("年度资金总额", "194.32", 1)),
        field(FUNDS + ".initial", "1,943,200.00"),
        id="funds-in-wan",
    ),
    V(SELFEVAL, ".docx", relabel("项目资金（元）", "项目资金（万元）"), field(FUNDS + ".budget", "15,615,000,000.00"), id="funds-in-wan-scales-every-amount"),
    V(
        TARGET,
        ".docx",
        edits(relabel("项目资金（元）", "项目资金（万元）"), value_at("年度资金申请总额", "44.6048")),
        field("declaration.funds.annual_total", "446,048.00"),
        id="target-funds-in-wan",
    ),
    V(
        TARGET_2020,
        ".docx",
        edits(*TO_WAN_2020, value_at("项目总预算（万元）：", "980")),
        field("declaration.funds.project_total", "9,800,000.00"),
        id="target2020-labels-in-wan",
    ),
    V(
        TARGET_2020,
        ".docx",
        TO_WAN_2020[0],
        refused("金额单位不一致：「项目总预算（万元）：」为万元，「同名项目上年预算执行数（元）：」「同名项目上年预算额（元）：」「项目当年预算（元）：」为元"),
        id="target2020-one-label-in-wan-refused",
    ),
    V(
        SELFEVAL,
        ".docx",
        edits(relabel("项目资金（元）", "项目资金（万元）"), relabel("年初预算数", "年初预算数（元）")),
        refused("金额单位"),
        id="funds-wan-and-yuan-refused",
    ),
    # --- structure: rows
    V(SELFEVAL, ".docx", blank_row_after("服务对象满意度"), SAME, id="blank-row-at-end"),
    V(SELFEVAL, ".docx", blank_row_after("开展名律师咨询次数"), SAME, id="blank-row-between"),
    V(SELFEVAL, ".docx", copied_row("完成研究课题个数", "新增的指标"), both(count(13), names("完成研究课题个数", "新增的指标", at=1)), id="row-copied"),
    V(SELFEVAL, ".docx", deleted_row("完成研究课题个数"), both(count(11), names("开展名律师咨询次数", "全市性法宣活动计划完成率")), id="row-deleted"),
    V(SELFEVAL, ".docx", edits(blank_row_after("开展名律师咨询次数"), indicator_cell("开展名律师咨询次数", 4, "=5次")), SAME, id="blank-row-then-edit"),
    V(SELFEVAL, ".docx", indicator_cell("完成研究课题个数", 3, ""), refused("指标「第2个」 三级指标：缺少必填字段"), id="indicator-name-blank-refused"),
    V(TARGET, ".docx", signed_off("填报人：张三", "联系电话：021-12345678", "填报日期：2023年1月5日"), SAME, id="sign-off-row"),
    V(TARGET, ".docx", signed_off("填 表 人（签字）：", "审核人：", "单位（盖章）"), SAME, id="sign-off-row-signatures"),
    V(TARGET, ".docx", signed_off("注：指标值按年度填报。"), SAME, id="note-row"),
    V(TARGET, ".xlsx", signed_off_sheet("填报人：张三", "联系电话：021-12345678"), SAME, id="xlsx-sign-off-row"),
    V(TARGET_2020, ".docx", signed_off("联系人：李四", "电话：12345678"), SAME, id="target2020-sign-off-row"),
    V(SELFEVAL, ".docx", unmerged(1, repeat=True), SAME, id="level1-repeated"),
    V(SELFEVAL, ".docx", edits(unmerged(1, repeat=True), unmerged(2, repeat=True)), SAME, id="level1-level2-repeated"),
    V(SELFEVAL, ".docx", unmerged(1, repeat=False), SAME, id="level1-unmerged-blank-below"),
    V(SELFEVAL, ".docx", unmerged(2, repeat=False), SAME, id="level2-unmerged-blank-below"),
    V(
        SELFEVAL,
        ".docx",
        indicator_cell("服务热线有责投诉数", 2, "数量指标"),
        field("indicators.8.level2", "数量指标"),
        id="level2-typed-across-level1-boundary",
    ),
    V(
        SELFEVAL,
        ".docx",
        merged_into_above("服务热线有责投诉数", 2),
        both(field("indicators.8.level1", "效益指标"), field("indicators.8.level2", "时效指标"), count(12)),
        id="level2-merged-across-level1-boundary",
    ),
    V(SELFEVAL, ".docx", header_repeated_before("全市性法宣活动完成及时性"), SAME, id="header-row-repeated"),
    V(
        SELFEVAL,
        ".docx",
        edits(header_repeated_before("全市性法宣活动完成及时性"), split_table_before("全市性法宣活动完成及时性")),
        SAME,
        id="table-split-header-repeated",
    ),
    # --- structure: tables and paragraphs
    V(SELFEVAL, ".docx", split_table_before("全市性法宣活动完成及时性"), SAME, id="table-split"),
    V(SELFEVAL, ".docx", split_table_before("全市性法宣活动完成及时性", "（续表）"), SAME, id="table-split-with-note"),
    V(SELFEVAL, ".docx", split_table_before("年度总体目标"), SAME, id="table-split-before-goals"),
    V(SELFEVAL, ".docx", nested_in_layout_table, SAME, id="nested-in-layout-table"),
    V(
        SELFEVAL,
        ".docx",
        cover_note("关于报送2021年度项目绩效自评表的说明", "根据2021年度绩效管理办法，现报送如下。"),
        both(count(12), field("name", "残疾人权益保障经费"), field("unit.year", 2022)),
        id="cover-note",
    ),
    V(SELFEVAL, ".docx", title_one_line("2022年度财政项目支出绩效自评表"), SAME, id="title-one-line-year-first"),
    V(SELFEVAL, ".docx", title_one_line("财政项目支出绩效自评表（2022年度）"), SAME, id="title-one-line-year-after"),
    V(SELFEVAL, ".docx", title_one_line("上海市残疾人联合会2022年度财政项目支出绩效自评表"), SAME, id="title-with-unit-name"),
    V(TARGET, ".docx", blank_row_after("市民满意度"), SAME, id="target-blank-row-at-end"),
    V(TARGET, ".docx", deleted_row("电费缴纳准确率"), count(5), id="target-row-deleted"),
    V(DEPT, ".docx", blank_row_after("得到基本康复服务的残疾人人数"), SAME, id="dept-blank-row"),
    V(DEPT, ".docx", relabel("单位：元", "单位：万元"), field("budget.total", "1,000,000,000.00"), id="dept-in-wan"),
    # --- Excel
    V(SELFEVAL, ".xlsx", xtitle("Sheet1"), SAME, id="xlsx-sheet-renamed"),
    V(SELFEVAL, ".xlsx", xinsert_col, SAME, id="xlsx-column-inserted"),
    V(SELFEVAL, ".xlsx", xinsert_row, SAME, id="xlsx-row-inserted"),
    V(SELFEVAL, ".xlsx", xunmerge, SAME, id="xlsx-unmerged"),
    V(SELFEVAL, ".xlsx", xunmerge_repeat, SAME, id="xlsx-unmerged-repeated"),
    V(SELFEVAL, ".xlsx", edits(xcell("D6", "1943200"), xcell("G13", "5"), xcell("H6", "96.41%")), SAME, id="xlsx-numbers-as-text"),
    V(SELFEVAL, ".xlsx", edits(xcell("D6", 1943200), xformat("D6", "General")), SAME, id="xlsx-number-general-format"),
    V(SELFEVAL, ".xlsx", xcell("D6", "１９４３２００元"), field(FUNDS + ".initial", "1943200"), id="xlsx-fullwidth-text-amount"),
    V(SELFEVAL, ".xlsx", xrow_copied(14, "新增的指标"), both(count(13), names("完成研究课题个数", "新增的指标", at=1)), id="xlsx-row-copied"),
    V(
        SELFEVAL,
        ".xlsx",
        edits(xcell("D14", None), xcell("E14", None), xcell("F14", None), xcell("G14", None), xcell("H14", None), xcell("I14", None)),
        count(11),
        id="xlsx-row-cleared",
    ),
    V(SELFEVAL, ".xlsx", edits(xcell("H6", 96.41), xformat("H6", "General")), SAME, id="xlsx-rate-as-number"),
    V(SELFEVAL, ".xlsx", edits(xcell("A1", "2022年度财政项目支出绩效自评表"), xcell("A2", None)), SAME, id="xlsx-title-one-line"),
    V(SELFEVAL, ".xlsx", xcell("D6", "=SUM(D7:D9)"), refused("自评表!D6 的公式「=SUM(D7:D9)」没有保存计算结果"), id="xlsx-formula-no-cached-value"),
    V(SELFEVAL, ".xlsx", xcell("H25", "=SUM(H13:H24)+I6"), refused("自评表!H25"), id="xlsx-formula-total-no-cached-value"),
    V(SELFEVAL, ".xlsx", xcell("H13", "=2+3"), refused("自评表!H13 的公式「=2+3」没有保存计算结果"), id="xlsx-formula-in-an-indicator-no-cached-value"),
    V(SELFEVAL, ".xlsx", xcell("D6", "=SUM(D7:D9)"), field(FUNDS + ".initial", "1,943,200.00"), id="xlsx-formula-cached"),
    V(TARGET, ".xlsx", xunmerge, SAME, id="xlsx-target-unmerged"),
    V(DEPT, ".xlsx", xcell("H2", "单位：万元"), field("budget.total", "1,000,000,000.00"), id="xlsx-dept-in-wan"),
]

POST = {"xlsx-formula-cached": cached("D6", "1943200")}


@pytest.mark.parametrize("example, suffix, edit, expected", VARIANTS)
def test_variant(example, suffix, edit, expected, forms, tmp_path, request):
    source = forms(example)[suffix]
    path = _variant(tmp_path, source, edit, POST.get(request.node.callspec.id))
    if isinstance(expected, tuple):
        with pytest.raises(InputError) as caught:
            validate(import_forms([path]).source)
        assert expected[1] in str(caught.value)
        result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "u.yaml")])
        assert result.exit_code != 0 and "Traceback" not in result.output and "内部错误" not in result.output
        assert expected[1] in result.output and str(path) in result.output
    elif expected == SAME:
        assert _unit(path) == _original(source)
    else:
        printed = _printed(path)
        assert expected(printed), printed
        validate(import_forms([path]).source)  # and the unit it makes is a valid one


def test_an_unreadable_form_among_readable_ones_stops_the_import(forms, tmp_path):
    """Among several files, a form docgen recognises but cannot read (a formula never
    calculated) stops the import: its project must not go missing from the unit file
    with exit 0.  Nothing is written; the message names the file, the form and the cell."""
    good = forms(SELFEVAL)[".docx"]  # the same unit and year: alone, `good` imports
    bad = _variant(tmp_path, forms(SELFEVAL)[".xlsx"], xcell("D6", "=SUM(D7:D9)"))
    out = tmp_path / "unit.yaml"
    with pytest.raises(InputError) as caught:
        import_forms([good, bad])
    (problem,) = caught.value.problems
    assert problem.line == f"{bad}:{problem.line.cell}" and problem.what == "表单"
    assert "自评表!D6 的公式「=SUM(D7:D9)」没有保存计算结果" in problem.text and "「残疾人权益保障经费」" in problem.context
    result = runner.invoke(app, ["import", str(good), str(bad), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert f"{bad}:{problem.line.cell}: 表单（财政项目支出绩效自评表「残疾人权益保障经费」）：自评表!D6 的公式" in result.output
