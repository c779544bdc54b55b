"""Stage 1, one dispatch by file type: a data-entry workbook to `entrybook`, a printed
form (.docx, a workbook of forms) to `importing`, anything else to the unit-text parser
(`docgen.parse`).  Each gives the same `LoadedFile`: plain data, every value located;
`load_unit` validates it, `check_file` checks it too."""

from __future__ import annotations

from pathlib import Path

from docgen.check.checking import Checked, check_source
from docgen.errors import InputError, Problem
from docgen.forms import form_kinds
from docgen.inputs.entrybook.read import NotEntryWorkbook, read_workbook
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing import NOTHING_TO_IMPORT, import_forms
from docgen.inputs.importing.file_types import UNIT, advice
from docgen.model.unit import Unit
from docgen.model.validate import validate
from docgen.parse.load import load_text
from docgen.parse.text import LoadedFile, decode, read_bytes
from docgen.registry.manifest import Registry


def load_file(path: str | Path, jobs: int = 1) -> LoadedFile:
    """Read `path`; raise `InputError` (never a parser traceback) when it is unreadable."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        try:
            return read_workbook(path, read_bytes(path))
        except NotEntryWorkbook as exc:
            return _printed_forms(path, exc.missing)
    if path.suffix.lower() in (".docx", ".pdf"):  # a printed form (a digital PDF too), read back
        return import_forms([path]).source
    data = read_bytes(path)
    instead = advice(path, UNIT, data[:16])  # a PDF, an .xls, a CSV…: what to do instead
    if instead is not None:
        raise InputError(path, [Problem((), instead)])
    return load_text(decode(data, path), path, jobs)


def _printed_forms(path: Path, missing: list[str]) -> LoadedFile:
    """Not a data-entry workbook: printed forms (a form, or a book's summary workbook), read back."""
    try:
        return import_forms([path]).source
    except InputError as exc:
        if not any(p.text.startswith(NOTHING_TO_IMPORT) for p in exc.problems):
            raise  # forms, read: what is wrong is in them, cell by cell
        why = "；".join(p.text for p in exc.problems)
        text = f"不是 docgen 单位数据工作簿（缺少工作表「{'」「'.join(missing)}」），也不是可导入的表单（{why}）；可用 docgen workbook --new 生成空白工作簿"
        raise InputError(path, [Problem((), text)]) from exc


def load_unit(path: str | Path) -> Unit:
    """Read and validate a unit file; raises `InputError` with file, line and field."""
    form_kinds()  # their fragments are the unit model's parts
    return validate(load_file(path))


def check_file(path: str | Path, registry: Registry | None = None, jobs: int = 1, profile_dirs: tuple[Path, ...] = (), profile: str | None = None) -> Checked:
    """Load (a big unit file over `jobs` processes), validate, score and check; raises
    `InputError` for unusable input. `profile_dirs`: more folders of rule profiles;
    `profile`: score every 自评表 by that profile (`docgen score --profile`)."""
    return check_source(load_file(Path(path), jobs), registry, profile_dirs, profile)
