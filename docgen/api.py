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
from .errors import HistoryError, InputError, Problem, RegistryError, SelectionError
from .diff import UnitDiff, compare
from .loader import LoadedFile, load_file, load_text
from .models import Project, Unit
from .fingerprint import Fingerprints
from .manifest import MANIFEST_NAME, Manifest, digest, plan, sha256
from .output import safe_name, write_outputs
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

    def project_findings(self, index: int) -> list[Finding]:
        """The findings of project `index`: its budget table, declaration, evaluation, and
        the rules across projects that point at it."""
        reports = [r for r in (*self.budgets, *self.targets, *self.reports) if r.index == index]
        return [f for r in reports for f in r.findings] + [f for f in self.unit_findings if f.path[:2] == ("projects", index)]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass
class Rendered(Checked):
    files: list[Path] = field(default_factory=list)  # every file this render made, written or unchanged, in order
    book: list[Path] = field(default_factory=list)  # the annual book (.docx, .xlsx) among them
    added: list[Path] = field(default_factory=list)  # written, new in the folder
    changed: list[Path] = field(default_factory=list)  # written over an older version
    unchanged: list[Path] = field(default_factory=list)  # same inputs as last time: not rewritten
    removed: list[Path] = field(default_factory=list)  # made last time, no longer made by the data: deleted
    kept: list[Path] = field(default_factory=list)  # edited by hand since, inputs unchanged: left alone

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
    return check_source(load_file(Path(path)), registry)


def check_source(source: LoadedFile, registry: Registry | None = None) -> Checked:
    """`check_file` for data already loaded (e.g. the unit file kept in a manifest)."""
    path = source.path
    registry = registry or default_registry()
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
    formats: tuple[str, ...] = ("docx", "xlsx")  # any of docx, xlsx, pdf (printed from the .docx by LibreOffice)


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


@dataclass
class _Job:
    """One project form: where it goes and how to make it."""

    index: int
    project: Project
    version: FormVersion
    context: Callable[[], dict]
    stem: str

    @property
    def docx(self) -> str:
        return f"{self.stem}.docx"

    @property
    def xlsx(self) -> str:
        return f"{self.stem}.xlsx"


def _pdf(name: str) -> str:
    return str(Path(name).with_suffix(".pdf"))


def render_file(
    path: str | Path,
    out_dir: str | Path | None = None,
    registry: Registry | None = None,
    options: RenderOptions = RenderOptions(),
    progress: Progress | None = None,
    force: bool = False,
) -> Rendered:
    """Render the unit's forms (.docx and .xlsx per project and form kind, the
    departmental document) and its annual book into `output_dir(unit, out_dir)`.

    Only files whose inputs changed since the folder's last render are rendered and
    written (see `manifest`); a file edited by hand since then stops the render with
    `EditedFilesError` before anything is written, unless `force`.  Each file is
    written atomically, so an interrupted render leaves every file old or new."""
    registry = registry or default_registry()
    checked = check_file(path, registry)
    unit = checked.unit
    step = progress or (lambda _label: None)
    indexes = select_projects(unit, options.projects, checked.source)
    chosen = set(indexes)
    folder = output_dir(unit, Path(out_dir) if out_dir else DEFAULT_OUTPUT)
    stamp = datetime(unit.year, 12, 31)
    width = len(str(len(unit.projects)))
    lo = office.find(registry.fonts) if options.layout else None
    printer = office.find(registry.fonts, required=True) if "pdf" in options.formats else None
    prints = Fingerprints(registry, unit, laid_out=lo is not None)

    jobs = [_Job(t.index, t.project, t.version, lambda t=t: target_context(unit, t.project, t.version), "") for t in checked.targets]
    jobs += [_Job(r.index, r.score.project, r.version, lambda r=r: selfeval_context(unit, r, r.version), "") for r in checked.reports]
    jobs.sort(key=lambda job: job.index)
    for job in jobs:
        job.stem = f"{job.index + 1:0{width}d}-{safe_name(job.project.name)}-{job.version.kind_title}"
    dept_version = checked.dept_version
    dept_names = (f"{safe_name(dept_version.kind_title)}.docx", f"{safe_name(dept_version.kind_title)}.xlsx") if dept_version else ()

    def book_title(among: set[int]) -> str | None:
        kinds = ([dept_version.kind] if dept_version else []) + list(dict.fromkeys(j.version.kind for j in jobs if j.index in among))
        return registry.book.title(unit.unit, unit.year, kinds) if kinds else None

    # Every file the whole unit makes, in every format: a manifest entry outside it is a
    # file the data no longer produces (a renamed or deleted project), removed unless
    # this render is limited to some projects.
    full_title = book_title(set(range(len(unit.projects))))
    made_by_data = {name for j in jobs for name in (j.docx, j.xlsx)} | set(dept_names)
    if full_title:
        made_by_data |= {f"{safe_name(full_title)}.docx", f"{safe_name(full_title)}.xlsx"}
    expected = made_by_data | {_pdf(name) for name in made_by_data if name.endswith(".docx")}

    chosen_jobs = [j for j in jobs if j.index in chosen]
    budget_indexes = [b.index for b in checked.budgets if b.index in chosen]
    title = book_title(chosen)
    wanted: dict[str, str] = {}

    def want(name: str, inputs: str) -> None:
        """`name` (.docx or .xlsx) in the formats asked for; the PDF printed from a .docx."""
        if Path(name).suffix[1:] in options.formats:
            wanted[name] = inputs
        if name.endswith(".docx") and "pdf" in options.formats:
            wanted[_pdf(name)] = digest("pdf", inputs, registry.fonts)

    if options.forms:
        for job in chosen_jobs:
            want(job.docx, prints.form(job.index, job.version, job.version.docx))
            want(job.xlsx, prints.form(job.index, job.version, job.version.xlsx))
        if dept_version is not None:
            want(dept_names[0], prints.whole("dept", budget_indexes, [dept_version.docx]))
            want(dept_names[1], prints.whole("dept-sheets", budget_indexes, [dept_version.xlsx]))
    book_names: list[str] = []
    if options.book and title:
        book_names = [f"{safe_name(title)}.docx", f"{safe_name(title)}.xlsx"]
        versions = [j.version for j in chosen_jobs] + ([dept_version] if dept_version else [])
        templates = sorted({p for v in versions for p in (v.docx, v.xlsx)}) + [registry.book.docx]
        for name in book_names:
            want(name, prints.whole(f"book-{Path(name).suffix}", indexes, templates, title))

    manifest = Manifest.read(folder)
    if options.projects and manifest is not None:
        expected |= set(manifest.files)
    todo = plan(folder, manifest, wanted, expected, force)
    needed = set(todo.write)

    def required(name: str) -> bool:
        """Is `name` written, or printed to a PDF that is?"""
        return name in needed or (name.endswith(".docx") and _pdf(name) in needed)

    def reuse(name: str) -> bytes | None:
        """An unchanged form's bytes from disk, to bind into a book without rendering it."""
        if name not in todo.unchanged:
            return None
        data = (folder / name).read_bytes()
        return data if sha256(data) == todo.disk[name] else None  # unless it changed since the plan

    need_book = any(required(name) for name in book_names)
    made: dict[str, bytes] = {}
    parts: list[book.FormPart] = []
    for job in chosen_jobs:
        if not (need_book or required(job.docx) or required(job.xlsx)):
            step(f"{job.index + 1}. {job.project.name}（{job.version.kind_title}，未变）")
            continue
        step(f"{job.index + 1}. {job.project.name}（{job.version.kind_title}）")
        docx, xlsx = reuse(job.docx), reuse(job.xlsx)
        if docx is None or xlsx is None:
            ctx = job.context()
            docx = docx or render_docx(job.version.docx, ctx, stamp)
            xlsx = xlsx or render_xlsx(job.version.xlsx, ctx, stamp)
        parts.append(book.FormPart(job.index, job.project, job.version, docx, xlsx))
        made[job.docx], made[job.xlsx] = docx, xlsx

    dept_sheets: list[tuple[str, bytes]] = []
    if dept_version is not None and (need_book or any(required(name) for name in dept_names)):
        version = dept_version
        tag = registry.book.sheet_tags.get("dept", "")
        for n, ctx in enumerate(book.dept_projects(unit, version, budget_indexes, None)):
            project = unit.projects[budget_indexes[n]]
            step(f"{budget_indexes[n] + 1}. {project.name}（{version.labels.get('form', version.kind_title)}）")
            dept_sheets.append((f"{budget_indexes[n] + 1}-{tag}-{project.name}", render_xlsx(version.xlsx, ctx, stamp)))
        if required(dept_names[0]):
            step(version.kind_title)
            made[dept_names[0]] = book.render_dept(unit, version, budget_indexes, stamp, lo)[0]
        if required(dept_names[1]):
            made[dept_names[1]] = merge_workbooks(dept_sheets, stamp)

    if need_book:
        dept = (dept_version, budget_indexes) if dept_version is not None else None
        made[book_names[0]] = book.render_book_docx(unit, registry.book, title, dept, parts, stamp, lo, step)[0]
        step("汇总表（Excel）")
        columns, rows, totals = book.summary_rows(unit, checked, indexes)
        sheets = dept_sheets + [
            (f"{p.index + 1}-{registry.book.sheet_tags.get(p.version.kind, p.version.kind)}-{p.project.name}", p.xlsx) for p in parts
        ]
        made[book_names[1]] = book_workbook(title, columns, rows, totals, sheets, stamp)

    pdfs = {name: made[name] for name in made if name.endswith(".docx") and _pdf(name) in needed}
    if pdfs:
        assert printer is not None
        step(f"LibreOffice 生成 PDF（{len(pdfs)} 个）")
        made.update({_pdf(name): pdf for name, pdf in printer.convert(pdfs, stamp).items()})
    files = {name: made[name] for name in needed}

    # Inputs can change without the bytes changing (1.50 written as 1.5, a docgen
    # update that leaves a form alone): such a file stays as it is and counts as unchanged.
    for name in [n for n in todo.changed if todo.disk.get(n) == sha256(files[n])]:
        todo.changed.remove(name)
        todo.unchanged.append(name)
    write_outputs(folder, manifest, todo, wanted, {name: files[name] for name in todo.write}, Path(path), checked.source.text)
    where = lambda names: [folder / n for n in names]  # noqa: E731
    return Rendered(
        **vars(checked),
        files=where(wanted),
        book=where(book_names),
        added=where(todo.added),
        changed=where(todo.changed),
        unchanged=where(todo.unchanged),
        removed=where(todo.removed),
        kept=where(todo.kept),
    )


def last_rendered(folder: Path, registry: Registry | None = None) -> Checked:
    """The unit data the render into `folder` was made from, as its manifest keeps it."""
    manifest = Manifest.read(folder)
    if manifest is None or not manifest.source_text:
        raise HistoryError(folder, f"{MANIFEST_NAME} 不存在或无法读取（先用 docgen render 生成，或给出两个数据文件比较）")
    return check_source(load_text(manifest.source_text, Path(f"{manifest.source_name}（{folder} 上次生成时）")), registry)


def diff_files(
    old: str | Path, new: str | Path | None = None, out_dir: str | Path | None = None, registry: Registry | None = None
) -> UnitDiff:
    """Compare two unit files; with one file, compare the last render of it (the manifest
    in its output folder under `out_dir`) with the file.  `old` may also be an output
    folder or its manifest, to compare what was rendered there with `new`."""
    registry = registry or default_registry()
    if new is None:
        after = check_file(old, registry)
        folder = output_dir(after.unit, Path(out_dir) if out_dir else DEFAULT_OUTPUT)
        before = last_rendered(folder, registry)
        return compare(before, after, f"上次生成（{folder}）", str(old))
    after = check_file(new, registry)
    old = Path(old)
    if old.is_dir() or old.name == MANIFEST_NAME:
        folder = old if old.is_dir() else old.parent
        return compare(last_rendered(folder, registry), after, f"上次生成（{folder}）", str(new))
    return compare(check_file(old, registry), after, str(old), str(new))


def planned_steps(checked: Checked, options: RenderOptions = RenderOptions()) -> int:
    """How many `progress` calls `render_file` makes at most (for a progress bar)."""
    chosen = set(select_projects(checked.unit, options.projects, checked.source))
    count = sum(1 for r in [*checked.targets, *checked.reports] if r.index in chosen)
    count += sum(1 for b in checked.budgets if b.index in chosen) + (1 if checked.budgets and options.forms else 0)
    return count + (4 if options.book else 0) + (1 if "pdf" in options.formats else 0)
