"""The Word adapter: docxtpl with a sandboxed environment and one extra tag.

`{% vmerge EXPR %}` in a table cell of a `{%tr for %}` row merges that cell
vertically with the cells of the following rows: EXPR evaluates to 'restart'
where a run begins and 'continue' inside it (the context decides the runs; see
`context.merge_flags`).  docxtpl's own `{% vm %}` merges a whole loop, which is
not what a form with one 一级指标 cell per run of equal values needs.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from ..errors import TemplateError
from .jinja import make_env, template_errors
from .package import normalize
from .tags import VMERGE

_VMERGE_TC = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)+%}.*?</w:tc>", re.DOTALL)
_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)(.*?)(</w:t>)", re.DOTALL)


def _vmerge_cell(match: re.Match[str]) -> str:
    cell = match.group(0)
    expr = VMERGE.search(cell).group(1)  # type: ignore[union-attr]
    cell = VMERGE.sub("", cell)
    merge = f'<w:vMerge w:val="{{{{ {expr} }}}}"/>'
    if "<w:vMerge" in cell:
        cell = re.sub(r"<w:vMerge[^>]*/>", merge, cell, count=1)
    elif "<w:tcPr>" in cell or "<w:tcPr " in cell:
        # Schema order inside tcPr: tcW, gridSpan, hMerge, vMerge, ...
        anchor = re.search(r"<w:gridSpan[^>]*/>|<w:tcW[^>]*/>", cell)
        if anchor:
            cell = cell[: anchor.end()] + merge + cell[anchor.end() :]
        else:
            cell = re.sub(r"(<w:tcPr[^>]*>)", r"\1" + merge.replace("\\", "\\\\"), cell, count=1)
    else:
        cell = re.sub(r"(<w:tc[^>]*>)", r"\1<w:tcPr>" + merge + "</w:tcPr>", cell, count=1)
    # Word hides the text of continued cells, but other readers may not: drop it.
    return _TEXT.sub(lambda m: f"{m.group(1)}{{% if ({expr}) != 'continue' %}}{m.group(2)}{{% endif %}}{m.group(3)}", cell)


class FormTemplate(DocxTemplate):
    def patch_xml(self, src_xml: str) -> str:
        xml = super().patch_xml(src_xml)
        return _VMERGE_TC.sub(_vmerge_cell, xml)


def _ensure_cell_paragraphs(body: Any) -> None:
    """A `{%p for %}` over an empty list leaves a cell with no paragraph, which Word
    rejects as unreadable content (every w:tc needs a block element): add an empty one."""
    for tc in body.iter(qn("w:tc")):
        if tc.find(qn("w:p")) is None and tc.find(qn("w:tbl")) is None:
            tc.append(OxmlElement("w:p"))


def render_docx(template: Path, context: dict[str, Any], stamp: datetime) -> bytes:
    """Render `template` with `context`; return the .docx bytes (nothing is written)."""
    if not template.is_file():
        raise TemplateError(template, "模板文件不存在")
    with template_errors(template):
        doc = FormTemplate(str(template))
        doc.render(context, jinja_env=make_env(), autoescape=True)
        _ensure_cell_paragraphs(doc.docx.element.body)
        core = doc.docx.core_properties
        core.created = core.modified = stamp
        core.last_printed = stamp
        buf = io.BytesIO()
        doc.save(buf)
    return normalize(buf.getvalue(), stamp)
