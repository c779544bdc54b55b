"""Binding parts into one document gives the same bytes every time."""

import io
import re
import zipfile
from datetime import datetime

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.render import compose as wordbook


def numbered_part() -> Document:
    """A document whose paragraphs carry their own list numbering (numPr), which
    docxcompose copies into the book as a new list."""
    doc = Document()
    for text in ("一", "二"):
        p = doc.add_paragraph(text)
        num = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", "0"), ("w:numId", "1")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            num.append(el)
        p._p.get_or_add_pPr().append(num)
    buf = io.BytesIO()
    doc.save(buf)
    return Document(io.BytesIO(buf.getvalue()))


def test_copied_lists_get_stable_unique_ids():
    skeleton = io.BytesIO()
    Document().save(skeleton)
    books = [wordbook.compose(skeleton.getvalue(), [numbered_part(), numbered_part()], datetime(2022, 12, 31), True)[0] for _ in range(2)]
    assert books[0] == books[1]  # docxcompose alone draws a random w:nsid per copied list
    numbering = zipfile.ZipFile(io.BytesIO(books[0])).read("word/numbering.xml").decode("utf-8")
    ids = re.findall(r'<w:nsid w:val="([0-9A-F]{8})"/>', numbering)
    assert len(ids) == len(set(ids)) >= 2  # unique, so each part's list restarts at 1
