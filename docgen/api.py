"""The library behind every CLI command: load -> validate -> score/check -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from . import book
from .checks import Finding, ProjectReport, Severity, check_amount_unit, evaluate_project
from .context import selfeval_context, target_context
from .dept_checks import check_budget_project, check_codes
from .errors import InputError, Problem, RegistryError, SelectionError
from .loader import LoadedFile, load_file
from .models import Project, Unit
from .output import safe_name, write_all
from .registry import FormVersion, Registry, default_registry
from .render import office
from .render.docx import render_docx
from .render.workbook import book_workbook, merge_workbooks
from .render.xlsx import render_xlsx
from .target_checks import TargetReport, check_declaration
from .validate import validate

DEFAULT_OUTPUT = Path("output")


@dataclass
class Checked:
    """A validated unit: every evaluated project scored and checked (`reports`, the
    自评表) and every declared project checked (`targets`, the 申报表)."""

    path: Path
    source: LoadedFile  # keeps the line numbers for findings
    unit: Unit
    reports: list[ProjectReport]
    targets: list[TargetReport] = field(default_factory=list)
    budgets: list[TargetReport] = field(default_factory=list)  # 部门整体绩效目标 project tables
    unit_findings: list[Finding] = field(default_factory=list)  # rules across projects (项目编码)

    @property
    def skipped(self) -> list[str]:
        """Projects with no declaration, evaluation or budget: no form can be made."""
        return [p.name for p in self.unit.projects if p.evaluation is None and p.declaration is None and p.budget is None]

    @property
    def dept_version(self) -> FormVersion | None:
        return self.budgets[0].version if self.budgets else None

    @property
    def findings(self) -> list[Finding]:
        """All findings in file order: by project, its budget table, declaration, then evaluation."""
        ordered = sorted([*self.budgets, *self.targets, *self.reports], key=lambda r: r.index)
        return [f for r in ordered for f in r.findings] + self.unit_findings

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass
class Rendered(Checked):
    files: list[Path] = field(default_factory=list)  # everything written, in order
    book: list[Path] = field(default_factory=list)  # the annual book (.docx, .xlsx) among them

    @property
    def forms(self) -> list[Path]:
        """The single forms and the departmental document: every file but the book."""
        return [f for f in self.files if f not in self.book]


def _version(registry: Registry, unit: Unit, project: Project, index: int, kind: str, source: LoadedFile) -> FormVersion:
    try:
        return registry.version(kind, unit.version_of(project, kind))
    except RegistryError as exc:
        where = ("projects", index, "forms", kind) if (project.forms or {}).get(kind) else ("forms", kind)
        raise InputError(source.path, [Problem(where, exc.text, line=source.line_of(where), context=f"项目「{project.name}」")]) from exc


def check_file(path: str | Path, registry: Registry | None = None) -> Checked:
    """Load, validate, score and check; raises `InputError` for unusable input."""
    path = Path(path)
    registry = registry or default_registry()
    source = load_file(path)
    unit = validate(source)
    reports, targets, budgets = [], [], []
    dept = None
    if unit.department_goals is not None or any(p.budget is not None for p in unit.projects):
        try:
            dept = registry.version("dept", unit.forms.get("dept"))
        except RegistryError as exc:
            where = ("forms", "dept")
            raise InputError(source.path, [Problem(where, exc.text, line=source.line_of(where))]) from exc
    for index, project in enumerate(unit.projects):
        if project.budget is not None:
            assert dept is not None
            findings = tuple(check_amount_unit(unit, index, dept) + check_budget_project(project, index, dept))
            budgets.append(TargetReport(index=index, project=project, version=dept, findings=findings))
        if project.declaration is not None:
            version = _version(registry, unit, project, index, "target", source)
            findings = tuple(check_amount_unit(unit, index, version) + check_declaration(project, index, unit, version))
            targets.append(TargetReport(index=index, project=project, version=version, findings=findings))
        if project.evaluation is not None:
            version = _version(registry, unit, project, index, "selfeval", source)
            assert version.profile is not None, "selfeval versions score by a profile"
            reports.append(evaluate_project(unit, index, version.profile, version))
    return Checked(path=path, source=source, unit=unit, reports=reports, targets=targets, budgets=budgets, unit_findings=check_codes(unit))


def output_dir(unit: Unit, base: Path = DEFAULT_OUTPUT) -> Path:
    return Path(base) / safe_name(unit.unit) / str(unit.year)


@dataclass(frozen=True)
class RenderOptions:
    """What `render_file` writes: the single forms, the book, or both, for all projects
    or the selected ones (1-based numbers, names or 项目编码); `layout` lets LibreOffice,
    when installed, lay out documents with contents pages so their page numbers are exact."""

    forms: bool = True
    book: bool = True
    projects: tuple[str, ...] = ()
    layout: bool = True


def select_projects(unit: Unit, wanted: tuple[str, ...], source: LoadedFile) -> list[int]:
    if not wanted:
        return list(range(len(unit.projects)))
    chosen = []
    for key in wanted:
        key = key.strip()
        hits = [i for i, p in enumerate(unit.projects) if key in (p.name, p.code) or key == str(i + 1)]
        if not hits:
            names = "、".join(f"{i + 1}.{p.name}" for i, p in enumerate(unit.projects))
            raise SelectionError(source.path, f"没有项目「{key}」（可用序号、项目名称或项目编码；现有：{names}）")
        chosen += [i for i in hits if i not in chosen]
    return sorted(chosen)


Progress = Callable[[str], None]


def render_file(
    path: str | Path,
    out_dir: str | Path | None = None,
    registry: Registry | None = None,
    options: RenderOptions = RenderOptions(),
    progress: Progress | None = None,
) -> Rendered:
    """Render the unit's forms (.docx and .xlsx per project and form kind, the
    departmental document) and its annual book; nothing is written unless all render."""
    registry = registry or default_registry()
    checked = check_file(path, registry)
    unit = checked.unit
    step = progress or (lambda _label: None)
    indexes = select_projects(unit, options.projects, checked.source)
    chosen = set(indexes)
    folder = output_dir(unit, Path(out_dir) if out_dir else DEFAULT_OUTPUT)
    stamp = datetime(unit.year, 12, 31)
    width = len(str(len(unit.projects)))
    binary = office.soffice() if options.layout else None

    jobs = [(t.index, t.project, t.version, lambda t=t: target_context(unit, t.project, t.version)) for t in checked.targets]
    jobs += [(r.index, r.score.project, r.version, lambda r=r: selfeval_context(unit, r, r.version)) for r in checked.reports]
    jobs = sorted((j for j in jobs if j[0] in chosen), key=lambda job: job[0])
    files: dict[Path, bytes] = {}
    book_files: list[Path] = []
    parts: list[book.FormPart] = []
    for index, project, version, context in jobs:
        step(f"{index + 1}. {project.name}（{version.kind_title}）")
        ctx = context()
        part = book.FormPart(index, project, version, render_docx(version.docx, ctx, stamp), render_xlsx(version.xlsx, ctx, stamp))
        parts.append(part)
        if options.forms:
            stem = f"{index + 1:0{width}d}-{safe_name(project.name)}-{version.kind_title}"
            files[folder / f"{stem}.docx"] = part.docx
            files[folder / f"{stem}.xlsx"] = part.xlsx

    dept = None
    dept_sheets: list[tuple[str, bytes]] = []
    if checked.dept_version is not None:
        version = checked.dept_version
        budget_indexes = [b.index for b in checked.budgets if b.index in chosen]
        dept = (version, budget_indexes)
        tag = registry.book.sheet_tags.get("dept", "")
        for n, ctx in enumerate(book.dept_projects(unit, version, budget_indexes, None)):
            step(f"{budget_indexes[n] + 1}. {unit.projects[budget_indexes[n]].name}（{version.labels.get('form', version.kind_title)}）")
            dept_sheets.append((f"{budget_indexes[n] + 1}-{tag}-{unit.projects[budget_indexes[n]].name}", render_xlsx(version.xlsx, ctx, stamp)))
        if options.forms:
            step(version.kind_title)
            docx, _ = book.render_dept(unit, version, budget_indexes, stamp, binary)
            files[folder / f"{safe_name(version.kind_title)}.docx"] = docx
            files[folder / f"{safe_name(version.kind_title)}.xlsx"] = merge_workbooks(dept_sheets, stamp)

    if options.book and (parts or dept):
        kinds = ([dept[0].kind] if dept else []) + list(dict.fromkeys(p.version.kind for p in parts))
        title = registry.book.title(unit.unit, unit.year, kinds)
        docx, _exact = book.render_book_docx(unit, registry.book, title, dept, parts, stamp, binary, step)
        files[folder / f"{safe_name(title)}.docx"] = docx
        step("汇总表（Excel）")
        columns, rows, totals = book.summary_rows(unit, checked, indexes)
        sheets = dept_sheets + [
            (f"{p.index + 1}-{registry.book.sheet_tags.get(p.version.kind, p.version.kind)}-{p.project.name}", p.xlsx) for p in parts
        ]
        files[folder / f"{safe_name(title)}.xlsx"] = book_workbook(title, columns, rows, totals, sheets, stamp)
        book_files = [folder / f"{safe_name(title)}.docx", folder / f"{safe_name(title)}.xlsx"]
    return Rendered(**vars(checked), files=write_all(files), book=book_files)


def planned_steps(checked: Checked, options: RenderOptions = RenderOptions()) -> int:
    """How many `progress` calls `render_file` makes at most (for a progress bar)."""
    chosen = set(select_projects(checked.unit, options.projects, checked.source))
    count = sum(1 for r in [*checked.targets, *checked.reports] if r.index in chosen)
    count += sum(1 for b in checked.budgets if b.index in chosen) + (1 if checked.budgets and options.forms else 0)
    return count + (4 if options.book else 0)
