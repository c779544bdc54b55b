"""Column widths (and cell padding) of the committed form templates, chosen so that the
widest value each column holds in the reference forms fits on one line (issue 17).

The committed templates/ stay the source of truth; this script is how the widths were
set, and it rewrites only what it names: in each .docx the table grid, the cell widths,
the table's cell margins, the line breaks of `BREAKS` and the rows kept whole on a page
(`KEEP_WHOLE`) (`word/document.xml`), the Chinese line-breaking rules (`word/styles.xml`'s
defaults, `word/settings.xml`; also in the book skeleton, with its cover title tag), every
other part and byte kept; in each .xlsx the column widths, those line breaks and the
indent of the amount and text cells (`xl/worksheets/sheet1.xml`, `xl/styles.xml`).
Run it again and nothing changes.

    python scripts/template_widths.py            # rewrite templates/ in place
    python scripts/template_widths.py --check    # exit 1 if a template differs

Sizes, at the forms' 9 pt (Word; Excel prints 10 pt, scaled to the page width): a CJK
character is 180 twips, a Latin digit 90, `,` and `.` 45, `%` 150.  A cell keeps 40
twips (0.7 mm) of padding each side, so a column of n CJK characters is n*180 + 80
twips wide.  `999,999,999.99` is 1170 twips of text, `100.00%` 645, `100` 270.
A column whose names wrap is sized in whole characters so that, as far as the page
allows, the names of the reference forms do not leave one character alone on a line
(服务对象满意度指标 as 7 + 2, 可持续影响指标 whole).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PAD = 40  # twips each side of a cell's text

# Word table grids (twips, summing to the old total: the page's text width).
# selfeval: 4-char labels (项目名称, 项目资金 / （元）, 绩效指标 as the reference prints them),
# 一级指标 5 chars (满意度指标), 二级指标 7 (可持续影响指标, 服务对象满意度 / 指标), both
# together hold 其中：当年财政拨款; 三级指标 9 chars (most names of the reference: 7 to 9);
# two amount columns (全年预算数 / 全年执行数 over 年度指标值, 实际完成值; 年初预算数 is over
# 三级指标), 分值 (100), 执行率 (100.00%) over 得分, and the rest (6 chars: 偏差原因分析 /
# 及改进措施).  The 二级指标 column's seventh character comes from the slack of the others.
WORD = {
    # The table is 10460 wide, 596 more than the page's text width and centred on it
    # (0.64 cm of the 1.8 cm margins each side, 1.27 cm left to the page edge: Word's
    # 「窄」 margins): the reason column takes that and the others' slack, 10 characters
    # (was 6), so a two-sentence reason (the reference's 44 characters) takes 5 lines,
    # not 9, and the form keeps to one page as the published one does.  The 二级指标
    # and 分值 columns keep a little room over their 7 and 2 characters (at exactly 1340
    # and 440 Writer broke 可持续影响指 / 标 and 分 / 值 in the wider table).
    "selfeval-2022": [830, 980, 1360, 1700, 1260, 1260, 460, 730, 1880],
    # label (计划开始日期 whole, 6 chars; 项目资金 / （元） broken by hand) | 项目名称 value
    # (11 chars: the reference's names on one line), 其中：财政资金, 一级 | 项目性质, amount,
    # 二级 (7 chars and a little room) | 项目性质 value, 计划完成日期, 其中：当年财政拨款,
    # 三级指标 (12 chars, as before: the reference's names of 10 to 12 whole) | 项目类别 |
    # its value (特定目标类), amount / 指标值 over the last two.  项目性质's value had 13
    # characters of room for its 8 while the name wrapped (正式居住证制作 / 费).
    "target-2023": [1160, 2100, 1360, 2300, 850, 2095],
    # 保证项目实施的制度、措施： (13 chars) on one line; the other columns as before.
    "target-2020": [2580, 2353, 2268, 2665],
    # 资金支出计划（%）/ 其中：财政资金 unbroken, the three amounts up to 999,999,999.99,
    # 二级指标 7 chars (可持续影响指标; the seventh from 指标值确定依据, still 7 chars).
    "dept-2020": [1200, 1340, 1000, 900, 1300, 100, 1360, 900, 100, 1436],
}
# Excel columns (character widths); the sheets mirror the Word grids column for column.
EXCEL_PER_UNIT = 84  # twips per Excel width unit at the sheets' 10 pt
# Excel (Calc) keeps no CJK line-break rules in a cell: a label column either holds the
# whole label (项目资金（元）) or breaks it where nothing dangles; a 二级指标 column holds
# 7 characters, as in the Word form (服务对象满意度 / 指标; at 8, 服务对象满意度指 / 标),
# or all 9 where it also holds the amounts (target-2023's C).
EXCEL_MIN = {
    "selfeval-2022": {"A": 14, "C": 14, "D": 16.5, "E": 16.5, "F": 16.5},
    "target-2023": {"A": 14, "C": 18.5, "E": 16.5},
    "dept-2020": {"A": 16.5, "B": 14, "G": 16.5},
}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Labels broken by hand where the column would break them mid-word (Word: a line break in
# the run; Excel: a line break in the cell).  Readers match labels whatever the spacing.
BREAKS = {
    "dept-2020": [("预算规模及", "资金用途")],
    "selfeval-2022": [("偏差原因分析", "及改进措施")],  # 10 chars a line: not 偏差原因分析及改进措 / 施
    "target-2023": [("项目资金", "（{{ unit.amount_unit }}）")],  # 6 chars a line: not 项目资金（ / 元）
}


def _ncr(text: str) -> str:
    """As openpyxl writes the inline strings of the sheets: non-ASCII as character references."""
    return "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in text)


# Rows that never split over a page break: the indicator heading, each indicator and the
# 总分 row.  A split indicator row leaves part of its names (「指标」 of 服务对象满意度指标)
# alone at the top of the next page, under no label; tall narrative rows may still split.
KEEP_WHOLE = ("{{ form.labels.level1 }}", "{{ ind.level1 }}", "<w:t>总分</w:t>")
_WHOLE = "<w:trPr><w:cantSplit/></w:trPr>"


def keep_rows_whole(xml: str) -> str:
    def row(m: re.Match) -> str:
        tr = m.group(0)
        if _WHOLE in tr or not any(key in tr for key in KEEP_WHOLE):
            return tr
        assert tr.startswith("<w:tr>") and "<w:trPr>" not in tr and "<w:tblPrEx>" not in tr, tr[:200]
        return "<w:tr>" + _WHOLE + tr[len("<w:tr>") :]

    return re.sub(r"<w:tr[ >].*?</w:tr>", row, xml, flags=re.S)


def word_breaks(xml: str, version: str) -> str:
    for head, tail in BREAKS.get(version, []):
        xml = xml.replace(f"<w:t>{head}{tail}</w:t>", f"<w:t>{head}</w:t><w:br/><w:t>{tail}</w:t>")
    return xml


def excel_breaks(xml: str, version: str) -> str:
    for head, tail in BREAKS.get(version, []):
        xml = xml.replace(f"<t>{_ncr(head + tail)}</t>", f"<t>{_ncr(head)}&#10;{_ncr(tail)}</t>")
    return xml


def excel_widths(version: str) -> dict[str, float]:
    letters = "ABCDEFGHIJ"
    out = {letters[i]: max(1.0, round(w / EXCEL_PER_UNIT, 1)) for i, w in enumerate(WORD[version])}
    out.update(EXCEL_MIN.get(version, {}))
    return out


def _grid(xml: str, widths: list[int]) -> str:
    cols = iter(widths)
    grid = re.sub(r'<w:gridCol w:w="\d+"/>', lambda m: f'<w:gridCol w:w="{next(cols)}"/>', xml.split("</w:tblGrid>")[0])
    return grid + "</w:tblGrid>" + xml.split("</w:tblGrid>", 1)[1]


def _rows(xml: str, widths: list[int]) -> str:
    def row(m: re.Match) -> str:
        at = 0

        def cell(c: re.Match) -> str:
            nonlocal at
            span = re.search(r'<w:gridSpan w:val="(\d+)"/>', c.group(0))
            n = int(span.group(1)) if span else 1
            width = sum(widths[at : at + n])
            at += n
            return re.sub(r'<w:tcW w:type="dxa" w:w="\d+"/>', f'<w:tcW w:type="dxa" w:w="{width}"/>', c.group(0), count=1)

        return re.sub(r"<w:tc>.*?</w:tcPr>", cell, m.group(0), flags=re.S)

    return re.sub(r"<w:tr\b.*?</w:tr>", row, xml, flags=re.S)


_MARGINS = f'<w:tblCellMar><w:left w:w="{PAD}" w:type="dxa"/><w:right w:w="{PAD}" w:type="dxa"/></w:tblCellMar>'


def word_document(xml: str, widths: list[int]) -> str:
    """The one form table of a template (the departmental document's project table)."""
    start = xml.index("<w:tbl>")
    end = xml.index("</w:tbl>", start) + len("</w:tbl>")
    table = xml[start:end]
    assert table.count("<w:gridCol ") == len(widths), "grid columns"
    table = _rows(_grid(table, widths), widths)
    table = re.sub(r"<w:tblCellMar>.*?</w:tblCellMar>", "", table)
    table = table.replace('<w:tblLayout w:type="fixed"/><w:tblLook', f'<w:tblLayout w:type="fixed"/>{_MARGINS}<w:tblLook', 1)
    assert _MARGINS in table, "tblCellMar"
    return xml[:start] + table + xml[end:]


def excel_sheet(xml: str, widths: dict[str, float]) -> str:
    def col(m: re.Match) -> str:
        first = re.search(r'min="(\d+)" max="(\d+)"', m.group(0))
        assert first and first.group(1) == first.group(2), m.group(0)
        width = widths["ABCDEFGHIJ"[int(first.group(1)) - 1]]
        return re.sub(r'width="[\d.]+"', f'width="{width:g}"', m.group(0))

    return re.sub(r"<col [^>]*/>", col, xml)


def excel_styles(xml: str) -> str:
    """Right-aligned amounts and left-aligned text keep an indent from the border, as the
    Word cells keep their padding."""

    def xf(m: re.Match) -> str:
        tag = m.group(0)
        if re.search(r'horizontal="(right|left)"', tag) and "indent=" not in tag:
            tag = tag.replace("<alignment ", '<alignment indent="1" ', 1)
        return tag

    head, rest = xml.split("<cellXfs", 1)
    body, tail = rest.split("</cellXfs>", 1)
    return head + "<cellXfs" + re.sub(r"<alignment [^>]*/>", xf, body) + "</cellXfs>" + tail


# Chinese line breaking in Word and WPS (the templates said en-US for East Asian text,
# which leaves the rules to the application's defaults): East Asian text is zh-CN, every
# paragraph applies the rules (kinsoku: no line starts with 「。」「）」…, none ends with
# 「（」「《」…), punctuation may hang into the margin rather than be pushed to a line of
# its own (overflowPunct), spacing between CJK and Latin text and digits is automatic
# (autoSpaceDE/DN), and the forbidden characters are Word's list for Simplified Chinese,
# stated rather than left to the installation.
_PPR_DEFAULT = "<w:kinsoku/><w:overflowPunct/><w:autoSpaceDE/><w:autoSpaceDN/>"
NO_BREAK_AFTER = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
NO_BREAK_BEFORE = "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"


def word_styles(xml: str) -> str:
    xml = re.sub(r'(<w:rPrDefault><w:rPr>.*?<w:lang [^>]*?)w:eastAsia="[^"]*"', r'\1w:eastAsia="zh-CN"', xml, count=1, flags=re.S)
    if _PPR_DEFAULT not in xml:
        xml = xml.replace("<w:pPrDefault><w:pPr>", "<w:pPrDefault><w:pPr>" + _PPR_DEFAULT, 1)
    assert 'w:eastAsia="zh-CN"' in xml and _PPR_DEFAULT in xml, "docDefaults"
    return xml


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def word_settings(xml: str) -> str:
    rules = f'<w:noLineBreaksAfter w:lang="zh-CN" w:val="{_attr(NO_BREAK_AFTER)}"/><w:noLineBreaksBefore w:lang="zh-CN" w:val="{_attr(NO_BREAK_BEFORE)}"/>'
    if "<w:noLineBreaksAfter" not in xml:
        xml = re.sub(r"(<w:characterSpacingControl [^>]*/>)", lambda m: m.group(1) + rules, xml, count=1)
    assert rules in xml, "settings"
    return xml


# Fonts WPS reads as written (issue 27): no theme fonts (WPS maps the theme's empty East
# Asian face to 等线 and reports it missing; the python-docx styles the templates grew
# from name the theme in their headings and table styles), and every font names its East
# Asian face (WPS gives a run without one its default Chinese font): the theme's major
# fonts become 黑体 / Times New Roman, the minor ones 宋体 / Times New Roman, a symbol
# font (the bullets' Symbol) keeps itself for East Asian text, any other font gets 宋体.
_THEME_FONTS = {
    "major": '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="黑体" w:cs="Times New Roman"/>',
    "minor": '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/>',
}
_SYMBOL_FONTS = {"Symbol", "Wingdings"}


def word_fonts(xml: str) -> str:
    def fonts(m: re.Match) -> str:
        tag = m.group(0)
        theme = re.search(r'w:asciiTheme="(major|minor)', tag)
        if theme:
            return _THEME_FONTS[theme.group(1)]
        if "w:eastAsia=" in tag:
            return tag
        face = re.search(r'w:ascii="([^"]+)"', tag) or re.search(r'w:hAnsi="([^"]+)"', tag)
        if not face:
            return tag
        east = face.group(1) if face.group(1) in _SYMBOL_FONTS else "宋体"
        return tag.replace("<w:rFonts ", f'<w:rFonts w:eastAsia="{east}" ', 1)

    xml = re.sub(r"<w:rFonts [^>]*/>", fonts, xml)
    assert not re.search(r"w:(ascii|hAnsi|eastAsia)Theme=|w:cstheme=", xml), "theme fonts"
    return xml


# The book's cover title is given in lines broken between words (`book.cover_title`,
# docgen/book.py `cover_lines`): Writer broke 「…2020 年度项 / 目绩效…」.
_COVER = '<w:pStyle w:val="封面标题"/></w:pPr><w:r><w:t>{{ book.'


def book_document(xml: str) -> str:
    xml = xml.replace(_COVER + "title }}</w:t>", _COVER + "cover_title }}</w:t>", 1)
    assert _COVER + "cover_title }}</w:t>" in xml, "cover title"
    return xml


def rewrite(path: Path, edits: dict[str, object]) -> bytes:
    """The package with the named parts edited, every other entry (and the entry order,
    names, dates, compression) as it was."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            edit = edits.get(info.filename)
            if edit is not None:
                data = edit(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            dst.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


_WORD_PARTS = {
    "word/styles.xml": lambda x: word_fonts(word_styles(x)),
    "word/stylesWithEffects.xml": word_fonts,
    "word/numbering.xml": word_fonts,
    "word/settings.xml": word_settings,
}


def planned() -> dict[Path, bytes]:
    out = {}
    for version, widths in WORD.items():
        docx = TEMPLATES / "docx" / f"{version}.docx"
        document = lambda x, w=widths, v=version: keep_rows_whole(word_breaks(word_document(x, w), v))  # noqa: E731
        out[docx] = rewrite(docx, {"word/document.xml": document, **_WORD_PARTS})
        xlsx = TEMPLATES / "xlsx" / f"{version}.xlsx"
        cols = excel_widths(version)
        sheet = lambda x, c=cols, v=version: excel_breaks(excel_sheet(x, c), v)  # noqa: E731
        out[xlsx] = rewrite(xlsx, {"xl/worksheets/sheet1.xml": sheet, "xl/styles.xml": excel_styles})
    book = TEMPLATES / "docx" / "book.docx"
    out[book] = rewrite(book, {"word/document.xml": book_document, **_WORD_PARTS})
    letter = TEMPLATES / "docx" / "review-letter.docx"
    out[letter] = rewrite(letter, dict(_WORD_PARTS))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    changed = [path for path, data in planned().items() if path.read_bytes() != data]
    if args.check:
        for path in changed:
            print(f"differs: {path.relative_to(ROOT)}")
        return 1 if changed else 0
    for path, data in planned().items():
        if path in changed:
            path.write_bytes(data)
            print(f"rewritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
