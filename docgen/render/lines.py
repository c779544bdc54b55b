"""No printed line of a Word form is one character alone (issue 27): the last line of a
text longer than its column (a 10-character 三级指标 name in a 9-character column, a
paragraph of a goal) would otherwise often hold a single 「数」 or 「成」.

Every paragraph (each line of it between manual breaks) that may not fit on one line of
its cell (or of the page) keeps its last two characters together: U+2060 WORD JOINER
between them (`docgen.model.joiner`), the joiner and the last character in a run of
their own whose East Asian language is x-none, so its last line holds at least two.
Whether a text may wrap is estimated on the safe side, from the cell's width in twips
(its grid columns less its margins and the paragraph's indents) and the font size: a
CJK character is one em, a Latin letter or digit at most one, and 1/4 em is added where
CJK meets Latin (Word's autoSpaceDE/DN); a text counts as wrapping when it comes within
1/8 em of the line's width.  Short values are left as they are, byte for byte.

Why U+2060: it is Unicode's zero-width no-break character (UAX #14 class WJ: no break
before or after it), and Word keeps the characters around it on one line (a docx filter
that puts U+2060 before em dashes for Word: github.com/prosegrinder/pandoc-templates
pull 19).  Word's own 「No-Width Non Break」 (Insert > Symbol > Special Characters,
word.tips.net T003882) is U+200D ZERO WIDTH JOINER (its 「No-Width Optional Break」 is
U+200C: rfpit.org/persianword/zwnj), but LibreOffice 7.4 breaks a line right after a
U+200D and prints it with a width of its own, so it is not used.  No source was found
on what WPS does with either.

Why x-none: LibreOffice breaks text of a Chinese or Japanese language with its own CJK
breaker, anywhere the forbidden characters (w:kinsoku, noLineBreaksBefore/After) allow,
and ignores a joiner there (tried with 7.4: 「保障天\u2060数」 in zh-CN still ends 「天 /
数」, the joiner in both forbidden lists too); text of another language or of none
(x-none, und, zxx; not zh-HK, zh-TW, ko-KR) is broken by the Unicode rules, which keep
the joiner (「保障 / 天数」).  x-none is what Word itself writes for 「no language」; it
changes nothing else of the run (fonts follow the characters' script) and no spelling
check looks at it.  LibreOffice leaves the joiner out of the PDF's text.
"""

from __future__ import annotations

import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.model.joiner import WORD_JOINER

_DEFAULT_SIZE = 20  # half-points: Word's 10 pt when neither the styles nor the run say
_DEFAULT_MARGIN = 108  # twips: Word's cell margin when neither the table nor its style says
_DEFAULT_TEXT_WIDTH = 11906 - 2 * 1800  # A4 less Word's default margins
# Closing punctuation a line may not start with (the forms' noLineBreaksBefore): it stays
# on the line of the character before it, so the joiner goes before that character.
_CLOSING = set("!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠")
# Opening brackets a line may not end with (noLineBreaksAfter): 「（元」 holds together already.
_OPENING = set("$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥")
_P, _R, _T, _TC, _TBL, _TR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tc"), qn("w:tbl"), qn("w:tr")
_VAL, _W = qn("w:val"), qn("w:w")
_RPR, _PPR, _SZ, _RSTYLE, _PSTYLE, _IND = (qn(f"w:{t}") for t in ("rPr", "pPr", "sz", "rStyle", "pStyle", "ind"))
_TAGS = {tag: qn(tag) for tag in ("w:rStyle", "w:pStyle", "w:tblStyle")}
_BREAKS = {qn("w:br"), qn("w:cr")}
_OTHER = {qn("w:tab"), qn("w:ptab"), qn("w:noBreakHyphen"), qn("w:sym")}  # one character each
_GONE = {qn("w:del"), qn("w:moveFrom")}


@cache
def _ems(ch: str) -> float:
    """A character's width in ems, on the safe side."""
    if ch == WORD_JOINER or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isascii():
        return 0.95 if ch.isupper() or ch in "mw@%" else 0.6
    return 1.0


@cache
def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _twips(element: Any, name: str, tag: str) -> int | None:
    found = element.find(qn(tag)) if element is not None else None
    value = found.get(qn(name)) if found is not None else None
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


@dataclass
class Styles:
    """What the styles part says of font sizes, indents and table cell margins."""

    by_id: dict[str, Any] = field(default_factory=dict)
    paragraph: str | None = None  # the default paragraph style
    size: int = _DEFAULT_SIZE
    _sizes: dict[tuple[str | None, str | None], int] = field(default_factory=dict)  # (run style, paragraph style) -> size
    _indents: dict[tuple[str | None, int], int] = field(default_factory=dict)  # (paragraph style, size) -> its indents

    @classmethod
    def of(cls, root: Any | None) -> Styles:
        found = cls()
        if root is None:
            return found
        for style in root.iterchildren(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            found.by_id[sid] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                found.paragraph = sid
        defaults = root.find(qn("w:docDefaults"))
        size = _twips(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None, "w:val", "w:sz")
        found.size = size or _DEFAULT_SIZE
        return found

    def chain(self, sid: str | None) -> list[Any]:
        """A style and the styles it is based on, nearest first."""
        out: list[Any] = []
        while sid and sid in self.by_id and len(out) < 20:
            style = self.by_id[sid]
            out.append(style)
            based = style.find(qn("w:basedOn"))
            sid = based.get(_VAL) if based is not None else None
        return out

    def style_of(self, props: Any, tag: str) -> str | None:
        found = props.find(_TAGS[tag]) if props is not None else None
        return found.get(_VAL) if found is not None else None

    def run_size(self, p_props: Any, run: Any) -> int:
        props = run.find(_RPR)
        direct = _twips(props, "w:val", "w:sz")
        return direct or self.styled_size(self.style_of(props, "w:rStyle"), self.style_of(p_props, "w:pStyle"))

    def styled_size(self, run_style: str | None, paragraph_style: str | None) -> int:
        """The size the run style, else the paragraph style (else the default one), else the defaults give."""
        key = (run_style, paragraph_style)
        if key not in self._sizes:
            styles = self.chain(run_style) + self.chain(paragraph_style or self.paragraph)
            sizes = (_twips(style.find(_RPR), "w:val", "w:sz") for style in styles)
            self._sizes[key] = next((size for size in sizes if size), self.size)
        return self._sizes[key]

    def indent(self, p_props: Any, size: int) -> int:
        """The room a paragraph's indents take from its lines (twips), the first line's included."""
        direct = p_props.find(_IND) if p_props is not None else None
        if direct is not None:
            return _indents(direct, size)
        style = self.style_of(p_props, "w:pStyle")
        key = (style, size)
        if key not in self._indents:
            found = (s.find(_PPR) for s in self.chain(style or self.paragraph))
            inds = (props.find(_IND) for props in found if props is not None)
            ind = next((i for i in inds if i is not None), None)
            self._indents[key] = _indents(ind, size) if ind is not None else 0
        return self._indents[key]

    def margins(self, tbl: Any) -> int:
        """The left and right cell margins a table's cells keep (twips), from the table or its style."""
        props = tbl.find(qn("w:tblPr"))
        sources = [props] + [s.find(qn("w:tblPr")) for s in self.chain(self.style_of(props, "w:tblStyle"))]
        for source in sources:
            mar = source.find(qn("w:tblCellMar")) if source is not None else None
            if mar is not None:
                return _side(mar, ("w:left", "w:start")) + _side(mar, ("w:right", "w:end"))
        return 2 * _DEFAULT_MARGIN


_IND_SIDES = [
    (qn(twips), qn(chars))
    for twips, chars in (
        ("w:left", "w:leftChars"),
        ("w:start", "w:startChars"),
        ("w:right", "w:rightChars"),
        ("w:end", "w:endChars"),
        ("w:firstLine", "w:firstLineChars"),
    )
]


def _indents(ind: Any, size: int) -> int:
    """The twips a w:ind takes from a line (hundredths of a character count at `size`)."""
    total = 0
    for twips, chars in _IND_SIDES:
        value = ind.get(chars)
        if value is not None and value.lstrip("-").isdigit():
            total += max(0, int(value)) * size * 10 // 100
        else:
            value = ind.get(twips)
            total += max(0, int(value)) if value is not None and value.lstrip("-").isdigit() else 0
    return total


def _side(mar: Any, tags: tuple[str, ...]) -> int:
    for tag in tags:
        found = mar.find(qn(tag))
        if found is not None and (found.get(qn("w:type")) or "dxa") == "dxa":
            value = found.get(_W)
            return int(value) if value is not None and value.isdigit() else _DEFAULT_MARGIN
    return _DEFAULT_MARGIN


def _cell_widths(body: Any, styles: Styles) -> dict[Any, int]:
    """Each table cell -> the width its paragraphs' lines have (twips): its grid columns
    (or its tcW), less its margins."""
    widths: dict[Any, int] = {}
    for tbl in body.iter(_TBL):
        grid = [int(c.get(_W) or 0) for c in tbl.iterchildren(qn("w:tblGrid")) for c in c.iterchildren(qn("w:gridCol"))]
        margins = styles.margins(tbl)
        for tr in tbl.iterchildren(_TR):
            col = _twips(tr.find(qn("w:trPr")), "w:val", "w:gridBefore") or 0
            for tc in tr.iterchildren(_TC):
                props = tc.find(qn("w:tcPr"))
                span = max(1, _twips(props, "w:val", "w:gridSpan") or 1)
                width = sum(grid[col : col + span]) if col + span <= len(grid) else 0
                if not width:
                    width = _twips(props, "w:w", "w:tcW") or 0
                mar = props.find(qn("w:tcMar")) if props is not None else None
                own = _side(mar, ("w:left", "w:start")) + _side(mar, ("w:right", "w:end")) if mar is not None else margins
                widths[tc] = width - own if width else 0
                col += span
    return widths


def _text_width(body: Any) -> int:
    """The narrowest text width of the document's sections (twips)."""
    found = []
    for sect in body.iter(qn("w:sectPr")):
        page = _twips(sect, "w:w", "w:pgSz")
        mar = sect.find(qn("w:pgMar"))
        if page and mar is not None:
            sides = sum(int(mar.get(qn(k)) or 0) for k in ("w:left", "w:right", "w:gutter") if (mar.get(qn(k)) or "0").lstrip("-").isdigit())
            found.append(page - sides)
    return min(found) if found else _DEFAULT_TEXT_WIDTH


def _owner(p: Any, tag: str) -> Any | None:
    parent = p.getparent()
    while parent is not None and parent.tag != tag:
        if parent.tag == _P:  # a paragraph in a text box of another paragraph
            return None
        parent = parent.getparent()
    return parent


def _lines(p: Any, styles: Styles) -> list[list[tuple[str, Any, int, int]]]:
    """The paragraph's lines between manual breaks, each a list of (character, its w:t
    (None for a tab), its offset there, its size in half-points)."""
    props = p.find(_PPR)
    lines: list[list[tuple[str, Any, int, int]]] = [[]]
    for run in p.iter(_R):
        if _owner(run, _P) is not p or any(a.tag in _GONE for a in run.iterancestors()):
            continue
        size = styles.run_size(props, run)
        for child in run.iterchildren():
            if child.tag == _T:
                lines[-1] += [(ch, child, i, size) for i, ch in enumerate(child.text or "")]
            elif child.tag in _BREAKS:
                lines.append([])
            elif child.tag in _OTHER:
                lines[-1].append(("\t", None, 0, size))
    return lines


def _may_wrap(line: list[tuple[str, Any, int, int]], room: int) -> bool:
    """Might the line not fit in `room` twips?  On the safe side: within 1/8 em of filling
    it counts (Writer fits nine CJK characters in exactly their width; Word may round otherwise)."""
    width, before, largest = 0.0, None, 0
    for ch, _, _, size in line:
        em = size * 10  # half-points to twips
        largest = max(largest, em)
        width += _ems(ch) * em
        kind = _wide(ch) if ch.isalnum() else None
        if kind is not None and before is not None and kind != before:
            width += em / 4  # autoSpaceDE/DN between CJK and Latin or digits
        before = kind if kind is not None else before
    return width > room - largest / 8


def _join_last_two(line: list[tuple[str, Any, int, int]]) -> None:
    """Put a word joiner between the line's last character (closing punctuation after it
    aside) and the one before, unless the two hold together already (one Latin word, an opening bracket and what
    follows it) or a space parts them."""
    i = len(line) - 1
    while i >= 0 and (line[i][0].isspace() or line[i][0] in _CLOSING or line[i][0] == WORD_JOINER):
        i -= 1
    if i < 1 or line[i][0] in _OPENING:  # 「资金支出计划（%）」: the bracketed group ends the line whole
        return
    last, before = line[i][0], line[i - 1][0]
    if (
        before.isspace()
        or before == WORD_JOINER
        or before in _OPENING
        or line[i][1] is None
        or (last.isascii() and last.isalnum() and before.isascii() and before.isalnum())
    ):
        return
    _, t, offset, _ = line[i]
    _split_run(t, offset)


# rPr's children that come after w:lang (ECMA-376 CT_RPr's sequence)
_AFTER_LANG = {qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath"), qn("w:rPrChange")}


def _split_run(t: Any, offset: int) -> None:
    """The joiner and the rest of `t` from `offset` on in a run of their own whose East
    Asian language is x-none (what Word writes for 「no language」), the run's other
    formatting kept: LibreOffice breaks a zh-CN line anywhere its forbidden characters
    allow, joiner or not, and applies the Unicode rules (which keep the joiner) to text
    of no language.  Whatever followed `t` in its run goes on in a third run, as it was."""
    run = t.getparent()
    props = run.find(qn("w:rPr"))
    joined = deepcopy(run)
    for child in list(joined):
        joined.remove(child)
    own = deepcopy(props) if props is not None else OxmlElement("w:rPr")
    lang = own.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        after = next((c for c in own if c.tag in _AFTER_LANG), None)
        if after is not None:
            after.addprevious(lang)
        else:
            own.append(lang)
    lang.set(qn("w:eastAsia"), "x-none")
    text = OxmlElement("w:t")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = WORD_JOINER + (t.text or "")[offset:]
    joined.append(own)
    joined.append(text)
    rest = [c for c in t.itersiblings()]
    if rest:
        tail = deepcopy(joined)
        for child in list(tail):
            tail.remove(child)
        if props is not None:
            tail.append(deepcopy(props))
        for child in rest:
            tail.append(child)
        run.addnext(tail)
    run.addnext(joined)
    t.text = (t.text or "")[:offset]
    if not t.text:
        run.remove(t)
    if all(c.tag == qn("w:rPr") for c in run):
        run.getparent().remove(run)


def _fits_surely(p: Any, width: int, styles: Styles) -> bool:
    """A quick bound before the character by character estimate: the paragraph's characters
    at 1 1/4 em each, at the largest size its style or its runs name, fit its line."""
    count = sum(len(text) for text in p.itertext(_T, with_tail=False))
    if count < 2:
        return True
    props = p.find(_PPR)
    size = styles.styled_size(None, styles.style_of(props, "w:pStyle"))
    for element in p.iter(_SZ, _RSTYLE, *_OTHER):
        if element.tag != _SZ:
            return False  # a character style may be larger, a tab wider
        value = element.get(_VAL) or ""
        size = max(size, int(value)) if value.isdigit() else size
    return count * 1.25 * size * 10 + size * 10 / 8 < width - styles.indent(props, size)


def keep_last_characters(body: Any, styles: Styles) -> None:
    """Join the last two characters of every line of `body` that may wrap (see the module)."""
    cells = _cell_widths(body, styles)
    page = _text_width(body)
    for p in list(body.iter(_P)):
        tc = _owner(p, _TC)
        width = cells.get(tc, 0) if tc is not None else page
        if width <= 0:
            continue
        if _fits_surely(p, width, styles):
            continue
        lines = _lines(p, styles)
        if not any(len(line) > 1 for line in lines):
            continue
        size = max((c[3] for line in lines for c in line), default=styles.size)
        room = width - styles.indent(p.find(_PPR), size)
        for line in lines:
            if len(line) > 1 and _may_wrap(line, room):
                _join_last_two(line)
