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
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from docgen.errors import TemplateError
from docgen.render.jinja import make_env, template_errors
from docgen.render.lines import Styles, keep_last_characters
from docgen.render.package import Entry, normalize, pin_core_dates, write_zip
from docgen.render.tags import VMERGE

_VMERGE_TC = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)+%}.*?</w:tc>", re.DOTALL)
_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)(.*?)(</w:t>)", re.DOTALL)
# A run that is only a label (`{{ form.labels.NAME }}`) prints as the fixed text it
# replaced did: without docxtpl's xml:space="preserve" (a label's inner spaces keep).
_LABEL_RUN = re.compile(r'<w:t xml:space="preserve">(\{\{ form\.labels\.\w+ \}\})</w:t>')


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
        xml = _LABEL_RUN.sub(r"<w:t>\1</w:t>", super().patch_xml(src_xml))
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
        keep_last_characters(doc.docx.element.body, Styles.of(doc.docx.styles.element))
        core = doc.docx.core_properties
        core.created = core.modified = stamp
        core.last_printed = stamp
        buf = io.BytesIO()
        doc.save(buf)
    return normalize(buf.getvalue(), stamp)


_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # the ones docxtpl renders
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass
class _Part:
    """A header or footer: its zip name, encoding and compiled template."""

    name: str
    encoding: str
    template: Any


class DocxForm:
    """A Word template prepared once per render, then rendered for many contexts with
    the same bytes `render_docx` gives: the file is read, patched (`vmerge`) and
    compiled to one Jinja template once, and every zip part a form does not change is
    kept compressed.  Per form only the body (and templated headers, footers and core
    properties) is rendered, parsed, fixed as docxtpl fixes it and serialized."""

    def __init__(self, template: Path, stamp: datetime):
        if not template.is_file():
            raise TemplateError(template, "模板文件不存在")
        self.template, self.stamp = template, stamp
        with template_errors(template):
            self._prepare()

    def _prepare(self) -> None:
        doc = FormTemplate(str(self.template))
        doc.render_init()
        env = make_env()
        self.doc, self.root = doc, doc.docx._element
        self.body = env.from_string(_jinja_source(doc.patch_xml(doc.get_xml())))
        self.parts: list[_Part] = []
        for uri in (doc.HEADER_URI, doc.FOOTER_URI):
            for _, part in doc.get_headers_footers(uri):
                xml = doc.get_part_xml(part)
                source = _jinja_source(doc.patch_xml(xml))
                self.parts.append(_Part(part.partname.lstrip("/"), doc.get_headers_footers_encoding(xml), env.from_string(source)))
        # docxtpl also renders footnotes; no form template has any, so such a template
        # simply takes the unprepared path (`render_docx`) form by form.
        self.unprepared = any(part.content_type == _FOOTNOTES for part in doc.docx.part.package.parts)
        core = doc.docx.core_properties
        self.properties = [(name, env.from_string(getattr(core, name))) for name in _PROPERTIES]
        self.document_name = doc.docx.part.partname.lstrip("/")
        self.styles = Styles.of(doc.docx.styles.element)
        buf = io.BytesIO()
        doc.docx.save(buf)
        with zipfile.ZipFile(buf) as package:
            self.names = [info.filename for info in package.infolist()]
            self.fixed = {name: Entry.of(name, package.read(name)) for name in self.names}
        self.rendered: dict[tuple[str, str], Entry] = {}  # (part name, rendered text) -> its entry

    def render(self, context: dict[str, Any]) -> bytes:
        """The .docx bytes of the form for `context`."""
        if self.unprepared:
            return render_docx(self.template, context, self.stamp)
        with template_errors(self.template):
            entries = {self.document_name: Entry.of(self.document_name, self._document(context))}
            for part in self.parts:
                entries[part.name] = self._entry(part.name, _rendered(self.doc, part.template, context), part.encoding)
            entries["docProps/core.xml"] = self._core(context)
        return write_zip(entries.get(name) or self.fixed[name] for name in self.names)

    def _document(self, context: dict[str, Any]) -> bytes:
        doc = self.doc
        doc.docx_ids_index = 1000
        tree = doc.fix_tables(_rendered(doc, self.body, context))
        doc.fix_docpr_ids(tree)
        _ensure_cell_paragraphs(tree)
        keep_last_characters(tree, self.styles)
        self.root.replace(self.root.body, tree)
        return serialize_part_xml(self.root)

    def _entry(self, name: str, text: str, encoding: str) -> Entry:
        key = (name, text)
        if key not in self.rendered:
            self.rendered[key] = Entry.of(name, serialize_part_xml(parse_xml(text.encode(encoding))))
        return self.rendered[key]

    def _core(self, context: dict[str, Any]) -> Entry:
        values = tuple(template.render(context) for _, template in self.properties)
        key = ("docProps/core.xml", "\0".join(values))
        if key not in self.rendered:
            core = self.doc.docx.core_properties
            for (name, _), value in zip(self.properties, values):
                setattr(core, name, value)
            core.created = core.modified = core.last_printed = self.stamp
            blob = self.doc.docx.part.package._core_properties_part.blob
            self.rendered[key] = Entry.of("docProps/core.xml", pin_core_dates(blob, self.stamp))
        return self.rendered[key]


def _jinja_source(xml: str) -> str:
    """What docxtpl hands Jinja for a patched part (see `DocxTemplate.render_xml_part`)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _rendered(doc: DocxTemplate, template: Any, context: dict[str, Any]) -> str:
    """docxtpl's `render_xml_part` with the template already compiled."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", template.render(context))
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return doc.resolve_listing(xml)
