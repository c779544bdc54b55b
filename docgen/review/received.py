"""Received printed forms in a batch: the .docx files, digital PDFs and form workbooks
among a batch's inputs (say fifty units' forms sent to a finance bureau, several files per unit, beside
unit files), grouped by the unit and year the forms print.  Each group is one unit of
the batch, read exactly as `docgen import` of its files reads it (`importing`); a
scanned PDF (no text layer) is an input that cannot be used, named with why.

A file's unit is the 单位名称 its forms print; a form that prints none (the 自评表)
belongs to the unit whose forms print its 实施单位 beside that name, else to its
实施单位, as `docgen import` names the unit.  The year is the one the forms print (or,
for a form that prints none, the year its file was made in).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import InputError, Problem
from docgen.inputs.entrybook.columns import PROJECT_SHEET, UNIT_SHEET
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing import FORM_SUFFIXES, OLD_OFFICE, FormFile, form_file, import_forms
from docgen.inputs.package import open_package, sheet_names
from docgen.parse.text import LoadedFile
from docgen.parse.text import read_bytes as _read_bytes

UNIT_SHEETS = (UNIT_SHEET, PROJECT_SHEET)  # a data-entry workbook has these, a form workbook does not


@dataclass(frozen=True)
class Forms:
    """Printed forms of one unit and year, in the order the batch found their files."""

    files: tuple[Path, ...]
    unit: str
    year: int | None

    @property
    def folder(self) -> Path:
        try:
            return Path(os.path.commonpath([f.parent for f in self.files]))
        except ValueError:  # files named both relative and absolute
            return self.files[0].parent

    @property
    def label(self) -> Path:
        """The unit's source in messages and in its output folder's record: the file
        itself when there is one, else the folder and whose forms they are."""
        if len(self.files) == 1:
            return self.files[0]
        return Path(f"{self.folder}（{self.unit} {self.year or '?'} 年度的表单，{len(self.files)} 个文件）")

    @property
    def name(self) -> str:  # a progress bar shows an input's name
        return self.label.name

    def __str__(self) -> str:
        return str(self.label)

    def listing(self) -> list[str]:
        """The line naming the files read (none for a single file: the label is the file)."""
        if len(self.files) == 1:
            return []
        folder = self.folder  # (worked out from every file: once, not once a file)
        return [f"表单文件 {len(self.files)} 个：" + "、".join(str(f.relative_to(folder) if f.is_relative_to(folder) else f) for f in self.files)]

    def source(self) -> LoadedFile:
        """The unit these forms make, as `docgen import FILES` reads it."""
        return import_forms(list(self.files), label=self.label).source


def maybe_forms(path: Path) -> bool:
    """Whether a batch input may hold printed forms (and must be read to tell whose)."""
    return path.suffix.lower() in (*FORM_SUFFIXES, *OLD_OFFICE)


def _entry_workbook(path: Path) -> bool:
    """A data-entry workbook (its 单位 and 项目 sheets), told from the sheet names alone; a
    file that is no workbook at all counts as one, so the loader reports it as it always did."""
    try:
        package = open_package(path, _read_bytes(path), "xlsx")
        names = set(sheet_names(package).values())
    except InputError:
        return True
    return all(sheet in names for sheet in UNIT_SHEETS)


def survey(path: Path) -> FormFile | None:
    """Whose forms `path` holds (runs in a batch worker); None for a unit file (a
    data-entry workbook); `InputError` for a file that holds no form docgen knows."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES and _entry_workbook(path):
        return None
    if not path.exists():
        raise InputError(path, [Problem((), "文件不存在")])
    return form_file(path)  # a FIFO or device is refused by the reader, never opened for reading


def group(found: list[FormFile]) -> list[Forms]:
    """Files of received forms grouped by unit and year, in the order found."""
    named = {(e, f.year): f.unit for f in found if f.unit for e in f.executors}

    def unit_of(f: FormFile) -> str:
        by_executor = next((named[e, f.year] for e in f.executors if (e, f.year) in named), None)
        return f.unit or by_executor or (f.executors[0] if f.executors else "")

    groups: dict[tuple[str, int | None], list[Path]] = {}
    for f in found:
        groups.setdefault((unit_of(f), f.year), []).append(f.path)
    return [Forms(tuple(files), unit, year) for (unit, year), files in groups.items()]
