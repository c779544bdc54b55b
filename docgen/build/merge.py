"""`docgen import EDITED --merge UNIT`: a form edited by hand, its edits written into the
unit file (YAML, JSON or a data-entry workbook) in place, so they survive the next render.

The merge is three-way.  The record of the form's output folder holds the data of the
last render (the base): a value changed only on the form is taken, a value changed only
in the unit file is kept, and a value changed on both sides differently is a conflict:
nothing is written unless `resolve` says which side wins (`theirs`: the form, `ours`:
the unit file).  Without a record of this unit file the merge is two-way (the form's
values are taken) and says so.

Each form writes back to its own fields: the 自评表's printed 年度指标值 is the
`evaluated_target` (set only where it differs from the declaration), never the
申报表's `target`.  The unit file is written atomically (a killed merge leaves it as it
was or fully merged), through a symbolic link to the file it names; then the output
folder's record knows the edited form as docgen's own, and the next render replaces it
without `--force`."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.build.merge_work import NO_BASE as _NO_BASE
from docgen.build.merge_work import Merge as _Merge
from docgen.build.merge_work import with_blanks
from docgen.build.output import write_atomic
from docgen.build.record import MANIFEST_NAME, Manifest, same_source, sha256, temp_prefix
from docgen.check.checking import Checked, check_source
from docgen.check.diff import UnitDiff, compare
from docgen.errors import InputError, MergeConflictError, Problem
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing import Imported, import_forms
from docgen.inputs.importing.write_back import Edits, expected, json_text, same_data, workbook_bytes, yaml_text
from docgen.inputs.importing.write_back.workbook_cells import _appended, _cell_writes, _entry_workbook
from docgen.inputs.loader import check_file
from docgen.parse.load import load_text
from docgen.parse.text import LoadedFile, decode
from docgen.parse.text import read_bytes as _read_bytes
from docgen.registry.manifest import Registry

FieldPath = tuple[str | int, ...]
TEXT_SUFFIXES = (".yaml", ".yml", ".json")
BLANK = "（空）"


@dataclass
class Merged:
    """What a merge did: the change (as `docgen diff` prints it), the forms read, and notes
    (two-way for want of a record, values kept from the unit file, conflicts resolved)."""

    diff: UnitDiff
    read: list[str]
    notes: list[str] = field(default_factory=list)
    written: bool = True


def _project_index(projects: list[Any], record: dict[str, Any]) -> int | None:
    for key in ("code", "name"):
        value = record.get(key)
        hit = next((i for i, p in enumerate(projects) if value and isinstance(p, dict) and p.get(key) == value), None)
        if hit is not None:
            return hit
    return None


def _format(unit_file: Path) -> str:
    suffix = unit_file.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    raise InputError(
        unit_file,
        [
            Problem(
                (),
                f"--merge 只能写回单位数据文件（.yaml、.yml、.json 或 docgen workbook 生成的 .xlsx 填报工作簿），不能写入「{unit_file.suffix or unit_file.name}」文件",
            )
        ],
    )


def _names_of(data: dict[str, Any]) -> set[str]:
    """The unit's own name and the 主管部门 / 实施单位 its records name."""
    names = {data.get("unit"), data.get("department"), data.get("executor")}
    for project in data.get("projects") or []:
        if isinstance(project, dict):
            names |= {project.get("department"), project.get("executor")}
    return {str(n).strip() for n in names if n not in (None, "")}


def _same_unit(imported: Imported, ours: dict[str, Any], unit_file: Path, edited: Path) -> None:
    """A form of another unit or year is not merged into this unit's file: the 单位名称 it
    prints, or (a form that prints none) its 主管部门 and 实施单位, must be the unit's."""
    names, years = imported.printed_units, imported.printed_years
    unit, year = ours.get("unit"), ours.get("year")
    other_name = next((n for n in names if str(n).strip() != str(unit).strip()), None)
    if not names:
        printed = _names_of(imported.printed)
        if printed and not printed & _names_of(ours):
            other_name = str(imported.printed.get("unit") or sorted(printed)[0])
    other_year = next((y for y in years if str(y) != str(year)), None)
    if other_name is not None or other_year is not None:
        form = f"单位「{other_name or unit}」{other_year or year} 年度"
        text = f"表单 {edited} 是{form}的，数据文件是单位「{unit}」{year} 年度的：不同单位或年度的表单不能合并进来，未写入"
        raise InputError(unit_file, [Problem((), text)])


def _base(edited: Path, unit_file: Path) -> tuple[Any, str]:
    """The data of the last render of `unit_file` into the form's folder, or None with why not."""
    record = Manifest.read(edited.parent)
    if record is None or not record.source_text:
        return (
            None,
            f"表单所在目录 {edited.parent} 没有生成记录（.docgen-manifest.json），无法得知上次生成的数据：按两方合并（表单中与数据文件不同的值一律写入数据文件）",
        )
    if not _same_file(record, unit_file, edited.parent):
        return None, f"表单所在目录的生成记录来自数据文件 {record.source_name}，不是 {unit_file}：按两方合并（表单中与数据文件不同的值一律写入数据文件）"
    try:
        return load_text(record.source_text, Path(record.source_name or "record")).data, ""
    except InputError:
        return None, "表单所在目录的生成记录中的数据无法读取：按两方合并"


def _same_file(record: Manifest, unit_file: Path, folder: Path) -> bool:
    return same_source(record, unit_file)


def merge(edited: Path, unit_file: Path, registry: Registry | None = None, resolve: str | None = None) -> Merged:
    """Merge the edits of `edited` into `unit_file`; raises `InputError` (exit 2) for a file
    that cannot take them or a form of another unit, `MergeConflictError` (exit 3) for
    values changed on both sides since the last render (unless `resolve`)."""
    kind = _format(unit_file)
    before = check_file(unit_file, registry)
    if kind == "workbook" and not _entry_workbook(unit_file):
        raise InputError(unit_file, [Problem((), "这不是 docgen workbook 生成的填报工作簿（是表单）：--merge 只能写回单位数据文件")])
    imported: Imported = import_forms([edited], registry)
    _same_unit(imported, before.source.data, unit_file, edited)
    base, note = _base(edited, unit_file)
    work = _Merge(unit_file, edited, before.source, imported, base if base is not None else _NO_BASE, resolve)
    ours_projects = before.source.data.get("projects") or []
    base_projects = (base or {}).get("projects") or [] if base is not None else None
    for n, (record, printed) in enumerate(zip(imported.source.data["projects"], imported.printed["projects"])):
        o = _project_index(ours_projects, printed)
        if o is None:
            raise InputError(
                unit_file, [Problem(("projects",), f"数据文件中没有项目「{printed.get('name', '')}」（按项目编码或名称查找）；请先在数据文件中添加该项目")]
            )
        b = _project_index(base_projects, printed) if base_projects is not None else None
        base_project = (base_projects[b] if b is not None else {}) if base_projects is not None else _NO_BASE
        path: FieldPath = ("projects", o)
        imp_path: FieldPath = ("projects", n)
        if base is not None:
            printed = with_blanks(printed, imported.source.lines, n)  # three-way: a cell cleared on the form clears the value
        work.fields(path, imp_path, printed, record, ours_projects[o], base_project, ours_projects[o])
        work.lifted(o, n, imported.printed, base if base is not None else _NO_BASE)
        work.indicators(path, imp_path, printed, record, ours_projects[o], base_project, imported.kinds[n] if n < len(imported.kinds) else set())
    if work.conflicts:
        raise MergeConflictError(unit_file, work.conflicts)
    notes = [note] if note else []
    notes += work.kept
    if work.edits.empty:
        diff = compare(before, before, str(unit_file), f"{unit_file}（合并 {edited.name} 后）")
        _adopt(edited)
        return Merged(diff, imported.read, notes, written=False)
    data, after = _written(kind, unit_file, before, work.edits, registry)
    with _terminated_cleanly(unit_file):
        write_atomic(_real(unit_file), data)
    _adopt(edited)
    return Merged(compare(before, after, str(unit_file), f"{unit_file}（合并 {edited.name} 后）"), imported.read, notes)


def _real(unit_file: Path) -> Path:
    """The file a symbolic link names (the link itself is kept)."""
    return Path(os.path.realpath(unit_file)) if unit_file.is_symlink() else unit_file


def _raw_text(unit_file: Path) -> tuple[str, str, bool]:
    """The unit file's text (newlines as `\\n`), its newline and whether it had a BOM."""
    raw = _read_bytes(unit_file)
    text = decode(raw, unit_file)
    newline = "\r\n" if b"\r\n" in raw else "\n"
    return text, newline, raw.startswith(b"\xef\xbb\xbf")


def _written(kind: str, unit_file: Path, before: Checked, edits: Edits, registry: Registry | None) -> tuple[bytes, Checked]:
    """The unit file's new bytes, read back and checked: the data must be what the edits
    make it, every other value unchanged."""
    data, loaded = write_edits(unit_file, before.source, edits, kind)
    return data, check_source(loaded, registry)


def write_edits(unit_file: Path, source: LoadedFile, edits: Edits, kind: str | None = None) -> tuple[bytes, LoadedFile]:
    """The new bytes of `unit_file` (read as `source`) with `edits` written in its own
    format (YAML, JSON or a data-entry workbook), and the file they make, read back: the
    data must be what the edits make it, every other value unchanged (else `InputError`).
    The one writer of `docgen import --merge` and of `docgen serve`'s save."""
    kind = kind or _format(unit_file)
    want = expected(source.data, edits)
    if kind == "workbook":
        raw = _read_bytes(unit_file)
        data = workbook_bytes(raw, _cell_writes(source, edits, raw, unit_file), unit_file)
        from docgen.inputs.entrybook.read import read_workbook

        loaded = read_workbook(unit_file, data)
        if not same_data(loaded.data, expected(source.data, _appended(edits))):
            raise InputError(unit_file, [Problem((), "无法把改动就地写入工作簿（写入后读回的数据与预期不符）；未写入")])
        return data, loaded
    text, newline, bom = _raw_text(unit_file)
    what = "YAML" if kind == "yaml" else "JSON"
    try:
        candidates = [yaml_text(text, edits, unit_file)] if kind == "yaml" else [json_text(text, edits, unit_file)]
        if kind == "yaml" and (edits.added or edits.removed or None in edits.values.values()):
            candidates.append(yaml_text(text, edits, unit_file, textual=False))  # the round trip, if the lines did not read back right
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a file laid out in a way the writer cannot edit: refused, never a traceback
        raise InputError(unit_file, [Problem((), f"无法在保留原有格式的前提下把改动写入这个 {what} 文件（{type(exc).__name__}）；未写入")]) from exc
    for new in candidates:
        try:
            loaded = load_text(new, unit_file)
        except InputError:
            continue
        if same_data(loaded.data, want):
            encoded = (("\ufeff" if bom else "") + new.replace("\n", newline)).encode("utf-8")
            return encoded, loaded
    raise InputError(unit_file, [Problem((), f"无法在保留原有格式的前提下把改动写入这个 {what} 文件（写入后读回的数据与预期不符）；未写入")])


@contextmanager
def _terminated_cleanly(unit_file: Path) -> Iterator[None]:
    """A SIGTERM while the unit file is written ends the merge without leaving the
    temporary file beside it (the unit file stays as it was, or fully merged)."""
    folder = _real(unit_file).parent

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: no handler can be installed
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        for stale in folder.glob(temp_prefix() + "*"):
            stale.unlink(missing_ok=True)


def _adopt(edited: Path) -> None:
    """The edited form's bytes become docgen's own in its folder's record: its edits are in
    the data now, so the next render may replace it without `--force`."""
    record = Manifest.read(edited.parent)
    entry = record.files.get(edited.name) if record else None
    if record is None or entry is None:
        return
    entry.previous = (*entry.previous, sha256(edited.read_bytes()))
    write_atomic(edited.parent / MANIFEST_NAME, record.dumps())
