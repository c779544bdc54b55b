"""The library behind every CLI command: load -> validate -> score/check -> plan ->
render -> write, each stage a function of its own (`checking`, `plan`, `pipeline`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.build import pipeline
from docgen.build.plan import DEFAULT_OUTPUT, RenderOptions, output_dir, plan_render
from docgen.build.record import MANIFEST_NAME, Manifest
from docgen.build.workers import cores, in_child
from docgen.check.checking import Checked, check_source
from docgen.check.diff import UnitDiff, compare
from docgen.errors import HistoryError
from docgen.inputs.loader import check_file
from docgen.parse.load import load_text
from docgen.registry.manifest import Registry, default_registry
from docgen.render import office

__all__ = ["Checked", "RenderOptions", "Rendered", "check_file", "check_source", "diff_files", "output_dir", "render_checked", "render_file"]

# Called once per step of a render with the step's label and the number of steps in all.
Progress = Callable[[str, int], None]


@dataclass
class Rendered(Checked):
    files: list[Path] = field(default_factory=list)  # every file this render made, written or unchanged, in order
    book: list[Path] = field(default_factory=list)  # the annual book (.docx, .xlsx) among them
    added: list[Path] = field(default_factory=list)  # written, new in the folder
    changed: list[Path] = field(default_factory=list)  # written over an older version
    unchanged: list[Path] = field(default_factory=list)  # same inputs as last time: not rewritten
    removed: list[Path] = field(default_factory=list)  # made last time, no longer made by the data: deleted
    kept: list[Path] = field(default_factory=list)  # edited by hand since, inputs unchanged: left alone
    stale: list[Path] = field(default_factory=list)  # among `removed`: another format of a file written, inputs changed: deleted
    outdated: list[Path] = field(default_factory=list)  # left out by -p / --only, inputs changed: kept, listed

    @property
    def forms(self) -> list[Path]:
        """The single forms and the departmental document: every file but the book."""
        return [f for f in self.files if f not in self.book]


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
    written (see `record`); a file edited by hand since then stops the render with
    `EditedFilesError` before anything is written, unless `force`.  Each file is
    written atomically, so an interrupted render leaves every file old or new."""
    registry = registry or default_registry()
    return render_checked(_check(Path(path), registry, options.jobs or cores()), out_dir, registry, options, progress, force)


def render_checked(
    checked: Checked,
    out_dir: str | Path | None = None,
    registry: Registry | None = None,
    options: RenderOptions = RenderOptions(),
    progress: Progress | None = None,
    force: bool = False,
) -> Rendered:
    """`render_file` of a unit already read and checked (received forms read as one
    unit, for instance); its record names `checked.path` as the source."""
    registry = registry or default_registry()
    options = _with_pdf_again(checked, registry, options, Path(out_dir) if out_dir else None)
    lo = office.find(registry.fonts) if options.layout else None
    if lo is not None:
        lo = replace(lo, parallel=options.jobs)
    printer = office.find(registry.fonts, required=True) if "pdf" in options.formats else None
    plan = plan_render(checked, registry, options, Path(out_dir) if out_dir else None, lo is not None, force)
    total = plan.steps(lo is not None)

    def step(label: str) -> None:
        if progress is not None:
            progress(label, total)

    made = pipeline.Made()
    pipeline.render_forms(plan, checked, made, step, options.jobs or cores())
    pipeline.render_documents(plan, checked, registry, lo, made, step)
    pipeline.render_book(plan, checked, registry, lo, made, step)
    pipeline.lay_out_forms(plan, checked, registry, lo, made)
    pipeline.print_pdfs(plan, printer, made, step)
    pipeline.write(plan, checked, made, Path(checked.path))
    where = lambda names: [plan.folder / n for n in names]  # noqa: E731
    todo = plan.todo
    return Rendered(
        **vars(checked),
        files=where(plan.wanted),
        book=where(plan.book),
        added=where(todo.added),
        changed=where(todo.changed),
        unchanged=where(todo.unchanged),
        removed=where(todo.removed),
        kept=where(todo.kept),
        stale=where(todo.stale),
        outdated=where(todo.outdated),
    )


def _with_pdf_again(checked: Checked, registry: Registry, options: RenderOptions, out_dir: Path | None) -> RenderOptions:
    """PDFs are made again when the folder holds PDFs docgen made and LibreOffice (with
    Chinese fonts) is here, so a correction never leaves an old PDF beside a new .docx;
    without LibreOffice an outdated PDF is deleted and listed instead (`plan._stale`)."""
    if "pdf" in options.formats:
        return options
    record = Manifest.read(output_dir(checked.unit, out_dir or DEFAULT_OUTPUT))
    if record is None or not any(name.endswith(".pdf") for name in record.files):
        return options
    try:
        if office.find(registry.fonts, required=True) is None:
            return options
    except office.OfficeError:
        return options
    return replace(options, formats=(*options.formats, "pdf"))


# A unit file this large (about 500 projects) is read and checked in a child process: the
# YAML parser's tree of it takes ten times the memory of the checked data it becomes.
BIG_UNIT_FILE = 1 << 20


def _check(path: Path, registry: Registry, jobs: int = 1) -> Checked:
    if path.is_file() and path.stat().st_size >= BIG_UNIT_FILE:
        return in_child(check_file, path, registry, jobs)
    return check_file(path, registry)


def last_rendered(folder: Path, registry: Registry | None = None) -> Checked:
    """The unit data the render into `folder` was made from, as its record keeps it."""
    manifest = Manifest.read(folder)
    if manifest is None or not manifest.source_text:
        raise HistoryError(folder, f"{MANIFEST_NAME} 不存在或无法读取（先用 docgen render 生成，或给出两个数据文件比较）")
    return check_source(load_text(manifest.source_text, Path(f"{manifest.source_name}（{folder} 上次生成时）")), registry)


def diff_files(old: str | Path, new: str | Path | None = None, out_dir: str | Path | None = None, registry: Registry | None = None) -> UnitDiff:
    """Compare two unit files; with one file, compare the last render of it (the record
    in its output folder under `out_dir`) with the file.  `old` may also be an output
    folder or its record, to compare what was rendered there with `new`."""
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
