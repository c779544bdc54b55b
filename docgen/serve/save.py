"""Writing an edited unit back into its own file, in its own format.

`save_unit` is the one place the web app writes a unit file.  It takes the edits between
the data as read and the data as the page has it (`unit_edits`: changed values, rows
added and removed) and writes them with the writer of `docgen import --merge`
(`build.merge.write_edits`): in a YAML file only the changed scalars' text is replaced
(comments and layout kept), in a JSON file every other byte stays, in a data-entry
workbook the changed cells are rewritten in place (sheets, validations, notes and styles
kept), a project added gets a row after the last (its indicators rows of the 指标 sheet),
a project removed has its rows emptied (`_workbook_projects` pairs a workbook's projects
by 项目编码 and 项目名称, so every other project keeps its row).  What the writer cannot
write without losing something is refused (`SaveRefused`).

The file on disk must still be the one the page opened (`Stamp`: its size, mtime and
SHA-256); otherwise `SaveConflict` is raised and nothing is written.  The write itself
is atomic (`output.write_atomic`: a temporary file in the same folder, then
`os.replace`, keeping the file's mode)."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.build.merge import write_edits
from docgen.build.output import write_atomic
from docgen.errors import InputError
from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.importing.write_back import Edits, FieldPath, same_data
from docgen.inputs.importing.write_back.workbook_cells import _entry_workbook
from docgen.inputs.loader import load_file
from docgen.model.unit import Unit


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read: a change by anyone else changes the hash."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Stamp:
        data = path.read_bytes()
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


class SaveConflict(Exception):
    """The file changed on disk since it was opened."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path = path

    def message(self) -> str:
        return (
            f"{self.path.name} 在打开后已被修改（Excel、另一个标签页或 docgen import --merge）：未保存，以免覆盖别人的修改。请复制本页的修改后重新打开该文件。"
        )


class SaveRefused(Exception):
    """The file's format cannot be written back without losing what it holds."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def save_unit(path: Path, old_data: Any, new_data: Any, expected: Stamp) -> Stamp:
    """Write `new_data` into `path` (which held `old_data` when it was read, as stamped
    by `expected`), changing only what differs; returns the file's new stamp."""
    path = Path(path)
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != expected.sha256:
        raise SaveConflict(path)
    edits = unit_edits(old_data, new_data, in_place=path.suffix.lower() in WORKBOOK_SUFFIXES)
    if not edits.empty:
        try:
            source = load_file(path)
            if path.suffix.lower() in WORKBOOK_SUFFIXES and not _entry_workbook(path):
                raise SaveRefused(
                    f"{path.name} 不是 docgen workbook 生成的填报工作簿（是表单）：网页中不能写回。请用「另存为 YAML」把本页的数据存为单位数据文件。"
                )
            out, _ = write_edits(path, source, edits)
        except InputError as exc:
            instead = "。可用「另存为 YAML」把本页的数据存为单位数据文件。" if path.suffix.lower() in WORKBOOK_SUFFIXES else ""
            raise SaveRefused(f"{path.name} 未保存：{exc.message()}{instead}") from exc
    else:
        out = raw
    # Checked again right before the rename: a save by another tab in between loses nothing.
    if hashlib.sha256(path.read_bytes()).hexdigest() != expected.sha256:
        raise SaveConflict(path)
    write_atomic(path, out)
    return Stamp.of(path)


def unit_edits(old: Any, new: Any, in_place: bool = False) -> Edits:
    """The `Edits` that make `old` (the unit data as read) into `new`: changed scalars as
    values (None: removed), rows of a list of records added and removed (rows kept are
    paired in order, their own changes as values).  `in_place` (a workbook, whose new
    rows go after its last): rows paired by position, rows added only at the end."""
    edits = Edits()
    _diff(edits, (), old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, in_place)
    return edits


def _blank(value: Any) -> bool:
    return value in (None, "", {}, [])


def _set(edits: Edits, path: FieldPath, value: Any) -> None:
    edits.values[path] = None if _blank(value) else value
    kind = value_kind(Unit, tuple(p for p in path if isinstance(p, str)))
    number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    edits.kinds[path] = "number" if kind == "text" and number else kind  # a key the schema does not know: as its value is


def _diff(edits: Edits, path: FieldPath, old: Any, new: Any, in_place: bool = False) -> None:
    if isinstance(new, dict) and isinstance(old, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key in new:
                _diff(edits, path + (key,), old.get(key), new[key], in_place)
            elif not _blank(old[key]):
                _set(edits, path + (key,), None)
        return
    if isinstance(new, dict) and _blank(old):
        for key, value in new.items():
            _diff(edits, path + (key,), None, value)
        return
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(r, dict) for r in [*old, *new]) and (old or new):
        _rows(edits, path, old, new, in_place)
        return
    if isinstance(new, list) and all(isinstance(r, dict) for r in new) and new and _blank(old):
        edits.added += [(path, None, row) for row in new]
        return
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        if not same_data(old, new):
            _set(edits, path, new)
        return
    if not same_data(old, new):
        _set(edits, path, new)


def _key(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)


def _rows(edits: Edits, path: FieldPath, old: list[Any], new: list[Any], in_place: bool = False) -> None:
    """Rows equal on both sides are kept; within a changed stretch rows are paired in
    order (their changes as values), the rest added before the next row kept, or removed."""
    if in_place and path == ("projects",):
        _workbook_projects(edits, old, new)
        return
    matcher = difflib.SequenceMatcher(None, [_key(r) for r in old], [_key(r) for r in new], autojunk=False)
    opcodes = [("replace", 0, len(old), 0, len(new))] if in_place else matcher.get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            _diff(edits, path + (i1 + k,), old[i1 + k], new[j1 + k], in_place)
        edits.removed += [path + (i,) for i in range(i1 + paired, i2)]
        before = i2 if i2 < len(old) else None
        edits.added += [(path, before, new[j]) for j in range(j1 + paired, j2)]


def _project_key(row: Any) -> Any:
    return (row.get("code") or None, row.get("name") or None) if isinstance(row, dict) else None


def _workbook_projects(edits: Edits, old: list[Any], new: list[Any]) -> None:
    """A workbook's projects: each keeps its row.  Projects are paired by 项目编码 and
    项目名称, those left over in order (a renamed project keeps its row); a project no
    longer on the page has its row emptied, a new one goes after the last row."""
    left = {j: _project_key(r) for j, r in enumerate(new)}
    pairs: dict[int, int] = {}
    for i, row in enumerate(old):
        j = next((j for j, key in left.items() if key == _project_key(row)), None)
        if j is not None:
            pairs[i] = j
            del left[j]
    unpaired = [i for i in range(len(old)) if i not in pairs]
    pairs.update(zip(unpaired, list(left)))
    for i, j in sorted(pairs.items()):
        _diff(edits, ("projects", i), old[i], new[j], True)
    edits.removed += [("projects", i) for i in range(len(old)) if i not in pairs]
    edits.added += [(("projects",), None, new[j]) for j in sorted(set(range(len(new))) - set(pairs.values()))]
