"""`docgen import EDITED --merge UNIT`: a form edited by hand, its edits written into the
unit file in place (comments, key order and formatting kept: ruamel's round trip), so
they survive the next render; the output folder's record then knows the edited file as
docgen's own, and the next render replaces it without `--force`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.util import load_yaml_guess_indent

from docgen.check.checking import Checked, check_source
from docgen.inputs.loader import check_file
from docgen.check.diff import UnitDiff, compare, pair
from docgen.errors import InputError, Problem
from docgen.parse.load import load_text
from docgen.build.output import write_atomic
from docgen.build.record import MANIFEST_NAME, Manifest, sha256
from docgen.registry.manifest import Registry
from docgen.inputs.importing import Imported, import_forms


def _yaml(text: str) -> YAML:
    """A round-trip parser that writes the file back in its own indentation."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    _, indent, offset = load_yaml_guess_indent(text)
    yaml.indent(mapping=offset or 2, sequence=indent or 4, offset=offset or 2)
    return yaml


def _same(a: Any, b: Any) -> bool:
    """Equal as the unit file means them: 1,505,492 and 1505492.00 are one amount."""
    from decimal import Decimal, InvalidOperation

    def number(v: Any) -> Decimal | None:
        try:
            return Decimal(str(v).replace(",", "").replace("，", "")) if v is not None and str(v).strip() else None
        except InvalidOperation:
            return None

    if a is None or b is None:
        return (a in (None, "")) and (b in (None, ""))
    if number(a) is not None and number(b) is not None:
        return number(a) == number(b)
    return str(a).strip() == str(b).strip()


def _merge_map(target: CommentedMap, edited: dict[str, Any], printed: dict[str, Any]) -> None:
    """Write `edited` into `target`; a value the form printed because the rules computed it
    (in `printed`, not in `edited`) replaces a different declared value only."""
    for key, value in printed.items():
        if key == "indicators":
            continue
        new = edited.get(key, value)
        if isinstance(new, dict):
            if not isinstance(target.get(key), dict):
                target[key] = CommentedMap()
            _merge_map(target[key], edited.get(key, {}), value if isinstance(value, dict) else {})
        elif key in edited and not _same(target.get(key), new):
            target[key] = new
        elif key not in edited and key in target and not _same(target.get(key), value):
            target[key] = value


def _merge_indicators(target: CommentedMap, edited: list[dict[str, Any]], printed: list[dict[str, Any]]) -> None:
    old = list(target.get("indicators") or [])
    key = lambda i: [(i.get("level1"), i.get("level2"), i.get("name"))]  # noqa: E731
    merged = []
    for o, n in pair(old, printed, key):
        if n is None:
            continue  # a row deleted in the form
        row = old[o] if o is not None else CommentedMap()
        _merge_map(row, edited[n] if n < len(edited) else {}, printed[n])
        merged.append(row)
    target["indicators"] = merged


def _project_of(projects: list[Any], record: dict[str, Any]) -> Any:
    for field in ("code", "name"):
        value = record.get(field)
        hit = next((p for p in projects if value and p.get(field) == value), None)
        if hit is not None:
            return hit
    return None


def merge(edited: Path, unit_file: Path, registry: Registry | None = None) -> tuple[UnitDiff, list[str]]:
    """Merge the edits of `edited` into `unit_file`; returns what changed and what the import read."""
    before = check_file(unit_file, registry)
    imported: Imported = import_forms([edited], registry)
    yaml = _yaml(before.source.text)
    data = yaml.load(before.source.text)
    for record, printed in zip(imported.source.data["projects"], imported.printed["projects"]):
        project = _project_of(data["projects"], printed)
        if project is None:
            raise InputError(unit_file, [Problem(("projects",), f"数据文件中没有项目「{printed.get('name', '')}」（按项目编码或名称查找）；请先在数据文件中添加该项目")])
        _merge_map(project, record, printed)
        _merge_indicators(project, record.get("indicators", []), printed.get("indicators", []))
    buf = io.StringIO()
    yaml.dump(data, buf)
    text = buf.getvalue()
    after: Checked = check_source(load_text(text, unit_file), registry)
    write_atomic(unit_file, text.encode("utf-8"))
    _adopt(edited)
    return compare(before, after, str(unit_file), f"{unit_file}（合并 {edited.name} 后）"), imported.read


def _adopt(edited: Path) -> None:
    """The edited form's bytes become docgen's own in its folder's record: its edits are in
    the data now, so the next render may replace it without `--force`."""
    record = Manifest.read(edited.parent)
    entry = record.files.get(edited.name) if record else None
    if record is None or entry is None:
        return
    entry.previous = (*entry.previous, sha256(edited.read_bytes()))
    write_atomic(edited.parent / MANIFEST_NAME, record.dumps())
