"""Stage 5b-6: carrying out a render plan, one stage after another:
render forms -> the unit's documents -> the book and its summary workbook -> PDF -> write.

Each stage takes the plan and what earlier stages made, renders only what the plan
needs, and returns bytes by file name; nothing touches the folder before `write`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.build.book import DocumentPart, FormPart, form_splits, render_book_docx, summary_rows
from docgen.build.output import write_outputs
from docgen.build.plan import FormFile, RenderPlan, pdf_name
from docgen.build.workers import ordered_map
from docgen.check.checking import Checked
from docgen.forms import form_kind
from docgen.registry.manifest import Registry
from docgen.render.cache import Templates
from docgen.render.layout import split_document
from docgen.render.office import Office
from docgen.render.workbook import book_workbook, merge_workbooks, text_workbook

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


@dataclass
class _Shared:
    """What rendering a form needs, shared with the worker processes (`workers`)."""

    checked: Checked
    forms: list[FormFile]
    templates: Templates  # each process fills its own copy


def _render_form(shared: _Shared, job: tuple[int, bool, bool]) -> tuple[bytes | None, bytes | None]:
    """The plan's form `n`: its .docx and/or .xlsx, as asked."""
    n, want_docx, want_xlsx = job
    report = shared.forms[n].report
    version = report.version
    kind = form_kind(report.kind)
    assert kind.context is not None  # a project-scope kind has its context
    context = kind.context.context(shared.checked.unit, report)
    docx = render_docx(shared.templates, version.docx, context) if want_docx else None
    xlsx = render_xlsx(shared.templates, version.xlsx, context) if want_xlsx else None
    return docx, xlsx


def render_forms(plan: RenderPlan, checked: Checked, made: Made, step: Step, jobs: int = 1) -> None:
    """Each chosen project's forms (.docx and .xlsx), reusing unchanged ones from disk;
    rendered over `jobs` processes (see `workers`), taken in plan order."""
    needed = [plan.need_book or plan.required(f.docx) or plan.required(f.xlsx) for f in plan.forms]
    reused = {n: (plan.reuse(f.docx), plan.reuse(f.xlsx)) for n, f in enumerate(plan.forms) if needed[n]}
    todo = [(n, docx is None, xlsx is None) for n, (docx, xlsx) in reused.items() if docx is None or xlsx is None]
    with ordered_map(_render_form, _Shared(checked, plan.forms, made.prepared(plan)), todo, jobs) as results:
        for n, form in enumerate(plan.forms):
            if not needed[n]:
                step(form.label(unchanged=True))
                continue
            step(form.label())
            docx, xlsx = reused[n]
            if docx is None or xlsx is None:
                new_docx, new_xlsx = next(results)
                docx, xlsx = docx or new_docx, xlsx or new_xlsx
            assert docx is not None and xlsx is not None
            made.forms.append(FormPart(form.report, docx, xlsx))
            made.files[form.docx], made.files[form.xlsx] = docx, xlsx


def render_documents(plan: RenderPlan, checked: Checked, registry: Registry, lo: Office | None, made: Made, step: Step) -> None:
    """The unit's documents (部门整体绩效目标): the Word document and a sheet per project."""
    unit = checked.unit
    for doc in plan.documents:
        if not plan.document_needed(doc):
            continue
        version = doc.version
        document = doc.kind.document
        assert document is not None  # a unit-scope kind has its document
        tag = registry.book.sheet_tags.get(doc.kind.name, "")
        sheets = []
        first = document.first_sheet(unit, version)
        if first is not None:
            sheets.append((first[0], text_workbook(first[1], plan.stamp)))
        for index, context in zip(doc.indexes, document.sheets(unit, version, doc.indexes)):
            name = unit.projects[index].name
            step(f"{index + 1}. {name}（{(version.labels or {}).get('form', version.title)}）")
            sheets.append((f"{index + 1}-{tag}-{name}", render_xlsx(made.prepared(plan), version.xlsx, context)))
        made.sheets += sheets
        if plan.required(doc.docx):
            step(version.title)
            made.files[doc.docx] = document.render(unit, version, doc.indexes, plan.stamp, lo)
        if plan.required(doc.xlsx):
            made.files[doc.xlsx] = merge_workbooks(sheets, plan.stamp)


def render_book(plan: RenderPlan, checked: Checked, registry: Registry, lo: Office | None, made: Made, step: Step) -> None:
    """The annual book (.docx) and its summary workbook (.xlsx)."""
    if not plan.need_book:
        return
    assert plan.title is not None
    docx_name, xlsx_name = plan.book
    documents = [DocumentPart(d.kind, d.version, d.indexes) for d in plan.documents]
    made.files[docx_name], splits = render_book_docx(checked.unit, registry.book, plan.title, documents, made.forms, plan.stamp, lo, step)
    _split_forms(plan, made, splits)
    step("汇总表（Excel）")
    columns, rows, totals = summary_rows(checked, plan.indexes)
    tags = registry.book.sheet_tags
    sheets = made.sheets + [(f"{p.report.index + 1}-{tags.get(p.report.kind, p.report.kind)}-{p.report.project.name}", p.xlsx) for p in made.forms]
    made.files[xlsx_name] = book_workbook(plan.title, columns, rows, totals, sheets, plan.stamp)


def lay_out_forms(plan: RenderPlan, checked: Checked, registry: Registry, lo: Office | None, made: Made) -> None:
    """Without a book to lay out, the Word forms this render writes (or prints) are laid
    out on their own, for their indicator tables to name their labels again where a page
    break falls inside a merge (the book does this for the forms it binds)."""
    if lo is None or plan.need_book:
        return
    parts = {id(p.report): p for p in made.forms}
    chosen = [(f, parts[id(f.report)]) for f in plan.forms if plan.required(f.docx) and id(f.report) in parts]
    if not chosen:
        return
    splits = form_splits(checked.unit, registry.book, plan.title or "", [part for _, part in chosen], plan.stamp, lo)
    for (form, _), at in zip(chosen, splits):
        if at and form.docx in made.files:
            made.files[form.docx] = split_document(made.files[form.docx], at, plan.stamp)


def _split_forms(plan: RenderPlan, made: Made, splits: list[list[int]]) -> None:
    """The single Word forms this render writes (or prints) split where the book's layout
    split them (a form taken unchanged from disk was split when it was written)."""
    by_report = {id(f.report): f for f in plan.forms}
    for part, at in zip(made.forms, splits):
        form = by_report.get(id(part.report))
        if at and form is not None and plan.required(form.docx) and form.docx in made.files:
            made.files[form.docx] = split_document(made.files[form.docx], at, plan.stamp)


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
    owner = (checked.unit.unit, checked.unit.year)
    write_outputs(plan.folder, plan.record, plan.todo, plan.wanted, {n: files[n] for n in plan.todo.write}, path, checked.source.text, owner)
