"""Stage 5a: the plan of a render: which files the unit makes, the input hash of each,
and (from the folder's record of its last render) which of them must be written.

Nothing here renders or writes; `pipeline` carries the plan out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docgen.build.fingerprint import Fingerprints
from docgen.build.record import Manifest, Plan, check_owner, digest, plan, sha256
from docgen.check.checking import Checked
from docgen.errors import SelectionError
from docgen.forms import FormKind, form_kind
from docgen.model.findings import Report
from docgen.model.names import safe_name
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion, Registry

DEFAULT_OUTPUT = Path("output")
FORMATS = ("docx", "xlsx", "pdf")


@dataclass(frozen=True)
class RenderOptions:
    """What `render_file` writes: the single forms, the book, or both, for all projects
    or the selected ones (1-based numbers, names or 项目编码); `layout` lets LibreOffice,
    when installed, lay out documents with contents pages so their page numbers are exact."""

    forms: bool = True
    book: bool = True
    projects: tuple[str, ...] = ()
    layout: bool = True
    formats: tuple[str, ...] = ("docx", "xlsx")  # any of FORMATS (pdf: printed from the .docx by LibreOffice)
    jobs: int = 0  # processes rendering the forms: 0 one per core, 1 all in this process (`-j`)
    replace: bool = False  # this data file takes over a folder another file of the unit rendered (`--replace`)


def output_dir(unit: Unit, base: Path = DEFAULT_OUTPUT) -> Path:
    return Path(base) / safe_name(unit.unit) / str(unit.year)


def pdf_name(name: str) -> str:
    return str(Path(name).with_suffix(".pdf"))


def select_projects(checked: Checked, wanted: tuple[str, ...]) -> list[int]:
    """The projects `-p` chose (序号, 项目名称 or 项目编码), in file order; all when none."""
    unit = checked.unit
    if not wanted:
        return list(range(len(unit.projects)))
    chosen: list[int] = []
    for key in wanted:
        key = key.strip()
        hits = [i for i, p in enumerate(unit.projects) if key in (p.name, p.code) or key == str(i + 1)]
        if not hits:
            names = "、".join(f"{i + 1}.{p.name}" for i, p in enumerate(unit.projects))
            raise SelectionError(checked.source.path, f"没有项目「{key}」（可用序号、项目名称或项目编码；现有：{names}）")
        chosen += [i for i in hits if i not in chosen]
    return sorted(chosen)


@dataclass(frozen=True)
class FormFile:
    """One project's form of a project kind: its files' stem (`<序号>-<项目名称>-<表名>`)."""

    report: Report
    stem: str

    @property
    def docx(self) -> str:
        return f"{self.stem}.docx"

    @property
    def xlsx(self) -> str:
        return f"{self.stem}.xlsx"

    def label(self, unchanged: bool = False) -> str:
        """Its progress step."""
        return f"{self.report.index + 1}. {self.report.project.name}（{self.report.version.title}{'，未变' if unchanged else ''}）"


@dataclass(frozen=True)
class DocumentFile:
    """A document kind's files for the unit, covering the chosen projects `indexes`."""

    kind: FormKind
    version: FormVersion
    indexes: list[int]

    @property
    def docx(self) -> str:
        return f"{safe_name(self.version.title)}.docx"

    @property
    def xlsx(self) -> str:
        return f"{safe_name(self.version.title)}.xlsx"


@dataclass
class RenderPlan:
    folder: Path
    stamp: datetime  # every date inside the files: 31 December of the year
    indexes: list[int]  # the chosen projects
    forms: list[FormFile]  # the chosen projects' forms, in file order
    documents: list[DocumentFile]
    title: str | None  # the book's title (None: the unit makes no form)
    book: list[str]  # the book's .docx and .xlsx, when this render makes it
    wanted: dict[str, str]  # every file this render makes -> its input hash, in render order
    record: Manifest | None  # the folder's record of its last render
    todo: Plan
    needed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.needed = set(self.todo.write)

    def required(self, name: str) -> bool:
        """Is `name` written, or printed to a PDF that is?"""
        return name in self.needed or (name.endswith(".docx") and pdf_name(name) in self.needed)

    def reuse(self, name: str) -> bytes | None:
        """An unchanged file's bytes from disk, to bind into a book without rendering it."""
        if name not in self.todo.unchanged:
            return None
        data = (self.folder / name).read_bytes()
        return data if sha256(data) == self.todo.disk[name] else None  # unless it changed since the plan

    @property
    def need_book(self) -> bool:
        return any(self.required(name) for name in self.book)

    def document_needed(self, doc: DocumentFile) -> bool:
        return self.need_book or self.required(doc.docx) or self.required(doc.xlsx)

    def steps(self, laid_out: bool) -> int:
        """How many progress steps carrying out the plan takes: one per form, per
        document table and document, the book's (two more when laid out), the PDFs."""
        count = len(self.forms)
        count += sum(len(d.indexes) + self.required(d.docx) for d in self.documents if self.document_needed(d))
        count += (2 + 2 * laid_out) if self.need_book else 0
        return count + any(name.endswith(".pdf") for name in self.needed)


def _forms(checked: Checked) -> list[FormFile]:
    width = len(str(len(checked.unit.projects)))
    reports = [r for r in checked.reports if not form_kind(r.kind).unit_scope]
    return [FormFile(r, f"{r.index + 1:0{width}d}-{safe_name(r.project.name)}-{r.version.title}") for r in reports]


def _book_title(checked: Checked, registry: Registry, forms: list[FormFile], among: set[int]) -> str | None:
    kinds = list(checked.documents) + list(dict.fromkeys(f.report.kind for f in forms if f.report.index in among))
    return registry.book.title(checked.unit.unit, checked.unit.year, kinds) if kinds else None


def _expected(checked: Checked, registry: Registry, forms: list[FormFile], documents: list[DocumentFile]) -> set[str]:
    """Every file the whole unit makes, in every format: a record entry outside it is a
    file the data no longer produces (a renamed or deleted project)."""
    made = {name for f in forms for name in (f.docx, f.xlsx)} | {name for d in documents for name in (d.docx, d.xlsx)}
    title = _book_title(checked, registry, forms, set(range(len(checked.unit.projects))))
    if title:
        made |= {f"{safe_name(title)}.docx", f"{safe_name(title)}.xlsx"}
    return made | {pdf_name(name) for name in made if name.endswith(".docx")}


def _wanted(
    options: RenderOptions,
    prints: Fingerprints,
    registry: Registry,
    forms: list[FormFile],
    documents: list[DocumentFile],
    book: list[str],
    indexes: list[int],
    title: str | None,
) -> dict[str, str]:
    wanted: dict[str, str] = {}

    def want(name: str, inputs: str) -> None:
        """`name` (.docx or .xlsx) in the formats asked for; the PDF printed from a .docx."""
        if Path(name).suffix[1:] in options.formats:
            wanted[name] = inputs
        if name.endswith(".docx") and "pdf" in options.formats:
            wanted[pdf_name(name)] = digest("pdf", inputs, registry.fonts)

    if options.forms:
        for f in forms:
            version = f.report.version
            want(f.docx, prints.form(f.report.index, version, version.docx))
            want(f.xlsx, prints.form(f.report.index, version, version.xlsx))
        for d in documents:
            want(d.docx, prints.whole(d.kind.name, d.indexes, [d.version.docx]))
            want(d.xlsx, prints.whole(f"{d.kind.name}-sheets", d.indexes, [d.version.xlsx]))
    versions = [f.report.version for f in forms] + [d.version for d in documents]
    templates = sorted({p for v in versions for p in (v.docx, v.xlsx)}) + [registry.book.docx]
    for name in book:
        want(name, prints.whole(f"book-{Path(name).suffix}", indexes, templates, title))
    return wanted


def _stale(
    checked: Checked, registry: Registry, prints: Fingerprints, every: list[FormFile], record: Manifest, wanted: dict[str, str]
) -> tuple[set[str], list[str]]:
    """Files of the last render this one does not make whose inputs have changed since:
    left as they are they would show the old data (docs, "No stale output").  Those in
    another format of a file this render writes are returned first (to be deleted and
    listed); those outside its selection (a project `-p` left out, the book with
    `--only forms`) second (kept, listed as outdated)."""
    others = [name for name in record.files if name not in wanted]
    if not others:
        return set(), []
    everything = list(range(len(checked.unit.projects)))
    documents = [DocumentFile(form_kind(name), version, [r.index for r in checked.of_kind(name)]) for name, version in checked.documents.items()]
    title = _book_title(checked, registry, every, set(everything))
    book = [f"{safe_name(title)}.docx", f"{safe_name(title)}.xlsx"] if title else []
    now = _wanted(RenderOptions(formats=FORMATS), prints, registry, every, documents, book, everything, title)
    changed = [name for name in others if name in now and record.files[name].inputs != now[name]]
    stems = {Path(name).stem for name in wanted}
    return {n for n in changed if Path(n).stem in stems}, [n for n in changed if Path(n).stem not in stems]


def stale_label(name: str | Path) -> str:
    """How the CLI lists a stale file it deleted."""
    what = {".pdf": "PDF", ".xlsx": "Excel 文件", ".docx": "Word 文件"}.get(Path(name).suffix, "文件")
    return f"删除（数据已变，{what} 未重新生成）"


def plan_render(checked: Checked, registry: Registry, options: RenderOptions, out_dir: Path | None, laid_out: bool, force: bool) -> RenderPlan:
    """Which files this render makes and which it writes; raises `EditedFilesError`
    (nothing written) when it would overwrite a file edited by hand, unless `force`."""
    unit = checked.unit
    indexes = select_projects(checked, options.projects)
    chosen = set(indexes)
    folder = output_dir(unit, out_dir or DEFAULT_OUTPUT)
    every = _forms(checked)
    forms = [f for f in every if f.report.index in chosen]
    documents = [
        DocumentFile(form_kind(name), version, [r.index for r in checked.of_kind(name) if r.index in chosen]) for name, version in checked.documents.items()
    ]
    title = _book_title(checked, registry, every, chosen)
    book = [f"{safe_name(title)}.docx", f"{safe_name(title)}.xlsx"] if options.book and title else []
    prints = Fingerprints(registry, unit, laid_out=laid_out)
    wanted = _wanted(options, prints, registry, forms, documents, book, indexes, title)
    expected = _expected(checked, registry, every, documents)
    record = Manifest.read(folder)
    check_owner(folder, record, (unit.unit, unit.year), force, checked.source.path, options.replace)
    stale, outdated = _stale(checked, registry, prints, every, record, wanted) if record is not None else (set(), [])
    if options.projects and record is not None:
        expected |= set(record.files)
    todo = plan(folder, record, wanted, expected - stale, force)
    todo.stale = [name for name in todo.removed if name in stale]
    todo.outdated = [name for name in outdated if name not in todo.removed and (folder / name).exists()]
    stamp = datetime(unit.year, 12, 31)
    return RenderPlan(folder, stamp, indexes, forms, documents, title, book, wanted, record, todo)
