"""`docgen import`: printed forms (Word or Excel: single forms, books, folders of them)
read back into one unit file.  Each table or sheet is recognised by its title and
labels (`recognise`), read by its kind (`forms/<kind>/reader.py`, label by label, so
forms typed or re-saved by hand read too), and the forms are put together into one unit
(`assemble`); values the form printed because the rules computed them are left out."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.check.checking import check_source
from docgen.errors import InputError, Located, Problem
from docgen.forms import form_kind
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing.assemble import _key, assemble, distinct
from docgen.inputs.importing.file_types import FORMS, advice
from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import FormText, docx_forms, xlsx_forms
from docgen.inputs.importing.numbers import tidy
from docgen.inputs.importing.recognise import mixed, near_miss, recognise
from docgen.inputs.importing.yaml_out import unit_yaml
from docgen.inputs.package import unreadable
from docgen.parse.text import FieldPath, LoadedFile
from docgen.parse.text import read_bytes as _read_bytes
from docgen.registry.manifest import Registry, default_registry

FORM_SUFFIXES = (".docx", ".pdf", *WORKBOOK_SUFFIXES)
NOTHING_TO_IMPORT = "没有可导入的表单"
OLD_OFFICE = (".doc", ".xls", ".wps", ".et")


@dataclass
class Imported:
    """What an import found: the unit (as a loaded file, each value located by its cell),
    a line per form read, and a line per table or file that is not a form docgen knows."""

    source: LoadedFile
    printed: dict = field(default_factory=dict)  # the data as the forms print it, computed values included
    read: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kinds: list[set[str]] = field(default_factory=list)  # per project: the kinds of the forms read
    printed_units: list[str] = field(default_factory=list)  # the 单位名称 the forms print
    printed_years: list[int] = field(default_factory=list)  # the years their titles print

    @property
    def yaml(self) -> str:
        return unit_yaml(self.source.data)


def _files(paths: list[Path], notes: list[str]) -> list[Path]:
    """The files `paths` name, folders expanded; a FIFO, device or socket in a folder is
    left out with a line in `notes` (one named directly is kept: reading refuses it)."""
    out = []
    for path in paths:
        if path.is_dir():
            wanted = (*FORM_SUFFIXES, *OLD_OFFICE)
            for p in sorted(p for p in path.rglob("*") if p.suffix.lower() in wanted and not p.name.startswith(("~$", "."))):
                if p.is_file():
                    out.append(p)
                elif not p.is_dir() and p.exists():
                    notes.append(f"{p}：不是普通文件（是管道、设备或套接字），未读取")
        else:
            instead = advice(path, FORMS, _head(path)) if path.is_file() else None  # a FIFO is refused by reading it
            if instead is not None:  # a PDF, an .xls, a unit file…: what to do instead
                raise InputError(path, [Problem((), instead)])
            out.append(path)
    return out


def _head(path: Path) -> bytes:
    """The first bytes of `path` (what kind of file it is), or none if it cannot be read;
    a FIFO or device is never opened here (reading it refuses it)."""
    if not path.is_file():
        return b""
    try:
        with path.open("rb") as file:
            return file.read(16)
    except OSError:
        return b""


def _forms(path: Path) -> list[FormText]:
    data = _read_bytes(path)
    try:
        if path.suffix.lower() == ".pdf":
            from docgen.inputs.importing.pdf import pdf_forms  # pdfplumber is imported only for a PDF

            return pdf_forms(path, data)
        return docx_forms(path, data) if path.suffix.lower() == ".docx" else xlsx_forms(path, data)
    except InputError:
        raise
    except Exception as exc:  # a damaged or foreign Office file surfaces as many exception types
        suffix = path.suffix.lower()
        raise unreadable(path, exc, "docx" if suffix == ".docx" else "pdf" if suffix == ".pdf" else "xlsx") from exc


def _read(files: list[Path], registry: Registry, result: Imported) -> tuple[list[Found], list[Problem]]:
    """The forms read, and the problems of the forms recognised that cannot be read (a
    formula never calculated, 元 and 万元 mixed…): those stop the import, since their
    project would otherwise be missing from the unit without an error."""
    founds, refused = [], []
    for path in files:
        if path.suffix.lower() in OLD_OFFICE:
            result.skipped.append(f"{path}：{advice(path, FORMS)}")
            continue
        for form in _forms(path):
            version = recognise(form, registry)
            reader = form_kind(version.kind, registry).reader if version is not None else None
            found = reader.read(form, version) if reader is not None and version is not None else None
            if found is None:
                why = "不是已登记的表单" if version is None else f"「{version.kind_title}」暂不能导入"
                miss = near_miss(form, registry) if version is None else None
                if miss is not None:
                    refused.append(Problem((), miss, line=Located(path, form.label), what="表单"))
                    continue
                result.skipped.append(f"{path}：{form.label}：{why}")
                continue
            assert version is not None  # a form was found: its version was recognised
            tidy(found, version.amount_unit)
            year = found.unit.get("year")
            if year is not None and not 1990 <= int(year) <= 2100:
                found.problems.append(f"标题中的年度「（{int(year):04d}年度）」不是有效的年度（应在 1990 至 2100 之间）：请改正表单标题中的年度")
            if found.problems:
                name = found.project.get("name")
                title = version.display if version.region else version.kind_title
                context = f"{title}「{name}」" if name else title
                hint = mixed(form, version, registry)
                found.problems += [hint] if hint else []
                refused += [Problem((), text, line=Located(path, form.label), context=context, what="表单") for text in found.problems]
                continue
            converted = "（金额单位为万元，已换算为元）" if found.scale != 1 else ""
            result.read.append(f"{path}：{form.label}：{version.display}「{found.project.get('name', '')}」{converted}")
            founds.append(found)
    return founds, refused


def _one_unit(founds: list[Found], label: Path) -> None:
    """One unit file holds one unit and year: forms of several are imported one unit at a time."""
    units = {(f.unit.get("unit"), f.unit.get("year")) for f in founds if f.unit.get("unit") or f.unit.get("year")}
    names = {u for u, _ in units if u}
    years = {y for _, y in units if y}
    if len(names) > 1 or len(years) > 1:
        found = "、".join(sorted(f"{u or '?'} {y or '?'}年度" for u, y in units))
        raise InputError(label, [Problem((), f"这些表单属于不同的单位或年度（{found}），一个单位数据文件只能有一个单位和年度：请分别导入")])


def _founds(files: list[Path], registry: Registry, result: Imported, label: Path) -> list[Found]:
    """The forms in `files`, each once, of one unit and year; raises `InputError` when none
    is readable, when they belong to several units or years, or when two copies of a
    project's form differ."""
    founds, refused = _read(files, registry, result)
    if refused:
        raise InputError(label, refused)
    if not founds:
        raise InputError(
            label, [Problem((), f"{NOTHING_TO_IMPORT}：" + ("；".join(result.skipped) or ("文件中没有表格，不是表单" if files else "未找到 .docx/.xlsx 文件")))]
        )
    _one_unit(founds, label)
    founds, conflicts = distinct(founds, lambda kind: form_kind(kind).short_title or kind)
    if conflicts:
        raise InputError(label, conflicts)
    return founds


def import_forms(paths: list[str | Path], registry: Registry | None = None, label: Path | None = None) -> Imported:
    """Read every form in `paths` (files or folders) into one unit; raises `InputError`
    when nothing readable is there, the forms belong to several units or years, or two
    copies of one project's form differ.  `label` names the unit's source (default: the
    path, or the paths joined); read from several files, every value is located with its
    file (`errors.Located`)."""
    registry = registry or default_registry()
    notes: list[str] = []
    files = _files([Path(p) for p in paths], notes)
    label = label or (Path(paths[0]) if len(paths) == 1 else Path(",".join(str(p) for p in paths)))
    result = Imported(LoadedFile(label, {}, {}), skipped=notes)
    founds = _founds(files, registry, result, label)
    one_file = len(files) == 1
    data, cells = assemble(founds, registry, lambda f, c: c if one_file else Located(f.form.source, c))
    kinds: dict[str, set[str]] = {}
    for found in founds:
        kinds.setdefault(_key(found.project), set()).add(found.kind)
    result.kinds = list(kinds.values())
    result.printed_units = sorted({str(f.unit["unit"]) for f in founds if f.unit.get("unit")})
    result.printed_years = sorted({int(f.unit["year"]) for f in founds if f.unit.get("year")})
    lines: dict[FieldPath, Any] = {(): cells.get(("projects", 0, "name"), "")}
    source = LoadedFile(label, data, lines | cells, json.dumps(data, ensure_ascii=False, default=str))
    result.printed = copy.deepcopy(data)
    checked = check_source(source, registry)
    for report in checked.reports:
        prune = form_kind(report.kind, registry).reader
        if prune is not None and prune.prune is not None:
            prune.prune(data["projects"][report.index], report)
    source.text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    result.source = source
    return result


@dataclass
class FormFile:
    """Whose forms one file holds, as they print it (a batch groups received files by
    unit and year): the 单位名称 if a form prints one, the 实施单位 of its projects, the year."""

    path: Path
    unit: str | None
    executors: tuple[str, ...]
    year: int | None


def form_file(path: Path, registry: Registry | None = None) -> FormFile:
    """Read the forms of one file for their unit and year; raises `InputError` when the
    file holds no form docgen knows (or forms of several units or years)."""
    registry = registry or default_registry()
    result = Imported(LoadedFile(path, {}, {}))
    founds = _founds([path], registry, result, path)
    data, _ = assemble(founds, registry, lambda f, c: c)
    names = sorted({str(f.unit["unit"]) for f in founds if f.unit.get("unit")})
    executors = {str(p["executor"]) for p in data["projects"] if p.get("executor")} | ({str(data["executor"])} if data.get("executor") else set())
    return FormFile(path, names[0] if names else None, tuple(sorted(executors)), data.get("year"))
