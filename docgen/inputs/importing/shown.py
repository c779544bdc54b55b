"""The text of a Word paragraph or table cell as Word displays it (the final view of
tracked changes): insertions in, deletions and moved-away text out, hidden text
(`w:vanish`, directly or through a style) out, the content of content controls,
smart tags, custom XML and hyperlinks in, a field's shown result in (never its
instruction), and of an `mc:AlternateContent` the branch docgen can read.  Where
docgen cannot tell what Word shows (an element it does not know holding text, a
field left open, a tracked cell merge) it raises `Unclear`, and the import refuses
the file naming the cell, instead of reading the cell blank.

This is the only place Word text is read (`grid` calls it for every cell and every
paragraph above a table)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docgen.model.joiner import without_joiners

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


@cache
def w(tag: str) -> str:  # called for every element read: kept, not formatted each time
    return f"{{{W}}}{tag}"


class Unclear(Exception):
    """Word's display of this text cannot be told from the file."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


# Containers whose content Word shows as if they were not there.
_SHOWN = {w(t) for t in ("ins", "moveTo", "smartTag", "customXml", "hyperlink", "fldSimple", "dir", "bdo", "sdtContent")}
# What Word does not show (the final view of tracked changes).
_GONE = {w(t) for t in ("del", "moveFrom")}
# Elements that hold no text of a paragraph: properties, markers, ranges.
_SILENT = {
    w(t)
    for t in (
        "pPr",
        "rPr",
        "sdtPr",
        "sdtEndPr",
        "smartTagPr",
        "customXmlPr",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "customXmlInsRangeStart",
        "customXmlInsRangeEnd",
        "customXmlDelRangeStart",
        "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart",
        "customXmlMoveFromRangeEnd",
        "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd",
        "subDoc",
    )
}
# Run content that is not text: drawings and text boxes (not read, see README), notes' marks.
_NOT_TEXT = {
    w(t)
    for t in (
        "rPr",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "footnoteRef",
        "endnoteRef",
        "separator",
        "continuationSeparator",
        "lastRenderedPageBreak",
        "softHyphen",
        "instrText",
        "delInstrText",
        "delText",
        "dayShort",
        "monthShort",
        "yearShort",
        "dayLong",
        "monthLong",
        "yearLong",
        "pgNum",
        "contentPart",
        "sym",
    )
}
_OFF = ("0", "false", "off")


def _on(element: Any) -> bool:
    return element is not None and element.get(w("val"), "true").lower() not in _OFF


@dataclass
class Styles:
    """The styles whose run properties hide text (`w:vanish`), following `w:basedOn`."""

    hidden: set[str] = field(default_factory=set)
    default_hidden: bool = False

    @classmethod
    def of(cls, root: Any | None) -> Styles:
        if root is None:
            return cls()
        own: dict[str, bool | None] = {}
        based: dict[str, str] = {}
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"), "")
            vanish = style.find(f"{w('rPr')}/{w('vanish')}")
            own[sid] = None if vanish is None else _on(vanish)
            parent = style.find(w("basedOn"))
            if parent is not None:
                based[sid] = parent.get(w("val"), "")
        default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('vanish')}")
        hidden = set()
        for sid in own:
            seen, cur = set(), sid
            while cur in own and own[cur] is None and cur in based and cur not in seen:
                seen.add(cur)
                cur = based[cur]
            if own.get(cur):
                hidden.add(sid)
        return cls(hidden, _on(default))


def _understood(namespace: str) -> bool:
    return namespace in (W, M) or namespace.startswith("http://schemas.microsoft.com/office/word/")


def alternate(element: Any) -> Any | None:
    """Of an `mc:AlternateContent`, the first `mc:Choice` whose required namespaces docgen
    reads (Word's own extensions), else its `mc:Fallback`."""
    for choice in element.iterchildren(f"{{{MC}}}Choice"):
        required = (choice.get("Requires") or "").split()
        if required and all(_understood(choice.nsmap.get(prefix, "")) for prefix in required):
            return choice
    return element.find(f"{{{MC}}}Fallback")


def _local(tag: Any) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else str(tag)


class Reader:
    """Reads paragraphs of one document, keeping complex fields open across runs and paragraphs."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.fields: list[bool] = []  # per open field: True once its result (after `separate`) is reached

    def shown(self) -> bool:
        return all(self.fields)

    def _unknown(self, element: Any) -> None:
        if next(element.iter(w("t")), None) is not None:
            raise Unclear(f"含有 docgen 不认识的 Word 元素 <{_local(element.tag)}>，无法确定 Word 显示的文字；请在 Word 中接受修订、取消内容控件后另存")

    def paragraph(self, p: Any) -> tuple[str, bool]:
        """The paragraph's shown text, and whether its mark is gone (deleted or hidden:
        Word runs it on into the next paragraph)."""
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        hidden = self.styles.default_hidden or (style is not None and style.get(w("val")) in self.styles.hidden)
        out: list[str] = []
        self._inline(p, hidden, out)
        mark = ppr.find(w("rPr")) if ppr is not None else None
        joined = mark is not None and (mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None or _on(mark.find(w("vanish"))))
        return "".join(out), joined

    def _inline(self, parent: Any, hidden: bool, out: list[str]) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SILENT or tag in _GONE:
                continue
            if tag == w("r"):
                self._run(child, hidden, out)
            elif tag in _SHOWN:
                self._inline(child, hidden, out)
            elif tag == w("sdt"):
                self._sdt(child, lambda content: self._inline(content, hidden, out))
            elif tag == f"{{{MC}}}AlternateContent":
                branch = alternate(child)
                if branch is not None:
                    self._inline(branch, hidden, out)
            elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
                if self.shown() and not hidden:
                    out.append("".join(t.text or "" for t in child.iter(f"{{{M}}}t")))
            else:
                self._unknown(child)

    def _sdt(self, sdt: Any, read: Any) -> None:
        """A content control: its content, unless it shows its placeholder (「单击此处输入文字」: nothing typed)."""
        if sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None:
            return
        content = sdt.find(w("sdtContent"))
        if content is not None:
            read(content)

    def _run(self, r: Any, hidden: bool, out: list[str]) -> None:
        rpr = r.find(w("rPr"))
        if rpr is not None:
            vanish = rpr.find(w("vanish"))
            style = rpr.find(w("rStyle"))
            if vanish is not None:
                hidden = _on(vanish)
            elif style is not None and style.get(w("val")) in self.styles.hidden:
                hidden = True
        self._run_content(r, hidden, out)

    def _run_content(self, r: Any, hidden: bool, out: list[str]) -> None:
        for child in r.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end":
                    if not self.fields:
                        raise Unclear(
                            "Word 域（fldChar）的结束标记没有开始标记，无法确定 Word 显示的文字；请在 Word 中选中该单元格按 Ctrl+Shift+F9 把域转为文字后另存"
                        )
                    self.fields.pop()
                continue
            if tag == f"{{{MC}}}AlternateContent":
                branch = alternate(child)
                if branch is not None:
                    self._run_content(branch, hidden, out)
                continue
            if tag == w("ruby"):  # phonetic guide: the base text shows, the guide above it is not the value
                base = child.find(w("rubyBase"))
                if base is not None:
                    self._inline(base, hidden, out)
                continue
            if hidden or not self.shown():
                if tag not in (w("t"), w("tab"), w("ptab"), w("br"), w("cr"), w("noBreakHyphen")):
                    self._unknown(child)
                continue
            if tag == w("t"):
                out.append(without_joiners(child.text or ""))  # the joiner docgen keeps a last line's two characters with
            elif tag in (w("tab"), w("ptab")):
                out.append("\t")
            elif tag == w("br"):
                out.append("\n" if child.get(w("type"), "textWrapping") == "textWrapping" else "")
            elif tag == w("cr"):
                out.append("\n")
            elif tag == w("noBreakHyphen"):
                out.append("-")
            else:
                self._unknown(child)

    def blocks(self, parent: Any) -> list[Any]:
        """The paragraphs and tables of a body or cell, content controls, custom XML and
        tracked insertions opened, deletions left out, in order."""
        found: list[Any] = []
        for child in parent.iterchildren():
            tag = child.tag
            if tag in (w("p"), w("tbl")):
                found.append(child)
            elif tag in (w("customXml"), w("ins"), w("moveTo"), w("sdtContent")):
                found += self.blocks(child)
            elif tag == w("sdt"):
                self._sdt(child, lambda content: found.extend(self.blocks(content)))
            elif tag == f"{{{MC}}}AlternateContent":
                branch = alternate(child)
                found += self.blocks(branch) if branch is not None else []
            elif isinstance(tag, str) and tag not in _GONE and tag not in _SILENT and tag not in (w("tcPr"), w("sectPr"), w("altChunk")):
                self._unknown(child)
        return found

    def text(self, parts: list[Any]) -> str:
        """Paragraphs' shown text, one line each (a paragraph whose mark is gone runs on)."""
        lines: list[str] = []
        run_on = False
        for p in parts:
            text, joined = self.paragraph(p)
            if run_on and lines:
                lines[-1] += text
            else:
                lines.append(text)
            run_on = joined
        return "\n".join(lines)

    def cell(self, tc: Any) -> str:
        """A table cell's shown text (its paragraphs; a table nested in it is read as a table)."""
        depth = len(self.fields)
        text = self.text([b for b in self.blocks(tc) if b.tag == w("p")])
        if len(self.fields) != depth:
            del self.fields[depth:]
            raise Unclear("单元格中的 Word 域（fldChar）没有结束，无法确定 Word 显示的文字；请在 Word 中选中该单元格按 Ctrl+Shift+F9 把域转为文字后另存")
        return text.strip()


_TR, _TC, _TRPR, _TCPR, _CUSTOM, _CONTENT, _SDT = (w(t) for t in ("tr", "tc", "trPr", "tcPr", "customXml", "sdtContent", "sdt"))
_ALT = f"{{{MC}}}AlternateContent"
_DEL, _CELL_DEL, _CELL_MERGE = w("del"), w("cellDel"), w("cellMerge")


def rows(tbl: Any, reader: Reader) -> list[Any]:
    """A table's rows, content controls and custom XML around rows opened; a row deleted
    with tracked changes left out."""
    out = []
    for child in tbl.iterchildren():
        tag = child.tag
        if tag == _TR:
            props = child.find(_TRPR)
            if props is None or props.find(_DEL) is None:
                out.append(child)
        elif tag in (_CUSTOM, _CONTENT):
            out += rows(child, reader)
        elif tag == _SDT:
            reader._sdt(child, lambda content: out.extend(rows(content, reader)))
        elif tag == _ALT:
            branch = alternate(child)
            out += rows(branch, reader) if branch is not None else []
    return out


def cells(tr: Any, reader: Reader) -> list[Any]:
    """A row's cells, content controls and custom XML around cells opened; a cell deleted
    with tracked changes left out; a tracked cell merge refused."""
    out = []
    for child in tr.iterchildren():
        tag = child.tag
        if tag == _TC:
            props = child.find(_TCPR)
            if props is not None and props.find(_CELL_MERGE) is not None:
                raise Unclear("单元格的合并被修订跟踪（尚未接受），无法确定 Word 显示的表格；请在 Word 中接受或拒绝修订后另存")
            if props is None or props.find(_CELL_DEL) is None:
                out.append(child)
        elif tag in (_CUSTOM, _CONTENT):
            out += cells(child, reader)
        elif tag == _SDT:
            reader._sdt(child, lambda content: out.extend(cells(content, reader)))
        elif tag == _ALT:
            branch = alternate(child)
            out += cells(branch, reader) if branch is not None else []
    return out
