"""Build the first review letter template (`templates/docx/review-letter.docx`) with
python-docx: `python scripts/build_review_letter.py OUT.docx [--force]`.

The committed template is the source of truth and is edited in Word; this script only
shows how it was made.  It writes into the file you name and never over an existing
file unless `--force`.  Tags are docxtpl's: `{{ letter.… }}`, and `{%p … %}` paragraphs
that repeat (per project, per finding) or choose (a unit with or without findings).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def _font(target, name: str, size: float, bold: bool = False) -> None:
    """Latin and East Asian faces both: Word picks w:eastAsia for Chinese characters."""
    target.font.name = name
    target.font.size = Pt(size)
    target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, align=None, bold: bool = False, size: float = 14, face: str = "仿宋", indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.line_spacing = Pt(28)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), face, size, bold)
    return p


def build(target: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(3.7)
    section.left_margin = section.right_margin = Cm(2.8)
    _font(doc.styles["Normal"], "仿宋", 14)
    _para(doc, "{{ letter.title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18, face="黑体")
    _para(doc, "{{ letter.unit }}：")
    _para(doc, "{{ letter.opening }}", indent=True)
    _para(doc, "{%p if letter.clean %}")
    _para(doc, "{{ letter.clean_text }}", indent=True)
    _para(doc, "{%p else %}")
    _para(doc, "{%p for project in letter.projects %}")
    _para(doc, "{{ project.heading }}", bold=True, face="黑体", indent=True)
    _para(doc, "{%p for item in project.lines %}")
    _para(doc, "{{ item }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ letter.closing }}", indent=True)
    _para(doc, "")
    _para(doc, "{{ letter.signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "年    月    日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.core_properties.author = "docgen"
    doc.core_properties.title = "绩效表单审核意见"
    doc.save(str(target))


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    target = Path(argv[1])
    if target.exists() and "--force" not in argv:
        print(f"{target} exists; --force to overwrite")
        return 3
    build(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
