"""Stage 5b-6: carrying out a render plan, one stage after another:
render forms -> the unit's documents -> the book and its summary workbook -> PDF -> write.

Each stage takes the plan and what earlier stages made, renders only what the plan
needs, and returns bytes by file name; nothing touches the folder before `write`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .book import DocumentPart, FormPart, render_book_docx, summary_rows
from .checking import Checked
from .forms import form_kind
from .output import write_outputs
from .plan import RenderPlan, pdf_name
from .registry import Registry
from .render.cache import Templates
from .render.office import Office
from .render.workbook import book_workbook, merge_workbooks

Step = Callable[[str], None]


@dataclass
class Made:
    """What the stages rendered: file name -> bytes, plus the pieces the book binds."""

    files: dict[str, bytes] = field(default_factory=dict)
    forms: list[FormPart] = field(default_factory=list)  # every chosen form, rendered or reused, for the book
    sheets: list[tuple[str, bytes]] = field(default_factory=list)  # the documents' sheets, for the book's workbook
    templates: Templates | None = None  # every template read and prepared once per render

    def prepared(self, plan: RenderPlan) -> Templates:
        if self.templates is None:
            self.templates = Templates(plan.stamp)
        return self.templates


def render_docx(templates: Templates, template: Path, context: dict[str, Any]) -> bytes:
    """One Word form from its prepared template."""
    return templates.docx(template, context)


def render_xlsx(templates: Templates, template: Path, context: dict[str, Any]) -> bytes:
    """One Excel form (or a document's sheet) from its prepared template."""
    return templates.xlsx(template, context)


def render_forms(plan: RenderPlan, checked: Checked, made: Made, step: Step) -> None:
    """Each chosen project's forms (.docx and .xlsx), reusing unchanged ones from disk."""
    for form in plan.forms:
        if not (plan.need_book or plan.required(form.docx) or plan.required(form.xlsx)):
            step(form.label(unchanged=True))
            continue
        step(form.label())
        docx, xlsx = plan.reuse(form.docx), plan.reuse(form.xlsx)
        if docx is None or xlsx is None:
            version = form.report.version
            context = form_kind(form.report.kind).context(checked.unit, form.report)
            templates = made.prepared(plan)
            docx = docx or render_docx(templates, version.docx, context)
            xlsx = xlsx or render_xlsx(templates, version.xlsx, context)
        made.forms.append(FormPart(form.report, docx, xlsx))
        made.files[form.docx], made.files[form.xlsx] = docx, xlsx


def render_documents(plan: RenderPlan, checked: Checked, registry: Registry, lo: Office | None, made: Made, step: Step) -> None:
    """The unit's documents (部门整体绩效目标): the Word document and a sheet per project."""
    unit = checked.unit
    for doc in plan.documents:
        if not plan.document_needed(doc):
            continue
        version = doc.version
        tag = registry.book.sheet_tags.get(doc.kind.name, "")
        sheets = []
        for index, context in zip(doc.indexes, doc.kind.sheet_contexts(unit, version, doc.indexes)):
            name = unit.projects[index].name
            step(f"{index + 1}. {name}（{version.labels.get('form', version.kind_title)}）")
            sheets.append((f"{index + 1}-{tag}-{name}", render_xlsx(made.prepared(plan), version.xlsx, context)))
        made.sheets += sheets
        if plan.required(doc.docx):
            step(version.kind_title)
            made.files[doc.docx] = doc.kind.render_document(unit, version, doc.indexes, plan.stamp, lo)
        if plan.required(doc.xlsx):
            made.files[doc.xlsx] = merge_workbooks(sheets, plan.stamp)


def render_book(plan: RenderPlan, checked: Checked, registry: Registry, lo: Office | None, made: Made, step: Step) -> None:
    """The annual book (.docx) and its summary workbook (.xlsx)."""
    if not plan.need_book:
        return
    assert plan.title is not None
    docx_name, xlsx_name = plan.book
    documents = [DocumentPart(d.kind, d.version, d.indexes) for d in plan.documents]
    made.files[docx_name] = render_book_docx(checked.unit, registry.book, plan.title, documents, made.forms, plan.stamp, lo, step)
    step("汇总表（Excel）")
    columns, rows, totals = summary_rows(checked, plan.indexes)
    tags = registry.book.sheet_tags
    sheets = made.sheets + [(f"{p.report.index + 1}-{tags.get(p.report.kind, p.report.kind)}-{p.report.project.name}", p.xlsx) for p in made.forms]
    made.files[xlsx_name] = book_workbook(plan.title, columns, rows, totals, sheets, plan.stamp)


def print_pdfs(plan: RenderPlan, printer: Office | None, made: Made, step: Step) -> None:
    """A PDF of every Word file whose PDF the plan writes, in one LibreOffice batch."""
    docx = {name: data for name, data in made.files.items() if name.endswith(".docx") and pdf_name(name) in plan.needed}
    if not docx:
        return
    assert printer is not None
    step(f"LibreOffice 生成 PDF（{len(docx)} 个）")
    made.files.update({pdf_name(name): pdf for name, pdf in printer.convert(docx, plan.stamp).items()})


def write(plan: RenderPlan, checked: Checked, made: Made, path: Path) -> None:
    """Write what the plan needs, delete what the data no longer makes, keep the record."""
    files = {name: made.files[name] for name in plan.needed}
    plan.todo.settle(files)
    write_outputs(plan.folder, plan.record, plan.todo, plan.wanted, {n: files[n] for n in plan.todo.write}, path, checked.source.text)
