"""Forms read back, put together as one unit file: a 申报表 and a 自评表 of the same
project become one record; fields every project shares move up to the unit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from docgen.errors import Located, Problem
from docgen.inputs.importing.found import FieldPath, Found
from docgen.model import parts
from docgen.registry.manifest import Registry

_SHARED = ("department", "executor")


def _key(project: dict[str, Any]) -> str:
    return str(project.get("code") or project.get("name") or "")


def _merge_indicators(into: dict[str, Any], other: dict[str, Any], other_is_evaluation: bool) -> None:
    """One indicator list for both forms: the 自评表's rows carry the evaluation; a target
    it prints differently from the declaration is its `evaluated_target`."""
    mine, theirs = into.get("indicators", []), other.get("indicators", [])
    evaluated, declared = (theirs, mine) if other_is_evaluation else (mine, theirs)
    merged = []
    for n, row in enumerate(evaluated):
        row = dict(row)
        twin = declared[n] if n < len(declared) and declared[n].get("name") == row.get("name") else None
        if twin is not None and twin.get("target", "") != row.get("target", ""):
            row["evaluated_target"] = row.get("target", "")
            row["target"] = twin.get("target", "")
        merged.append(row)
    into["indicators"] = merged if evaluated else declared


def assemble(founds: list[Found], registry: Registry, where: Any) -> tuple[dict[str, Any], dict[FieldPath, str]]:
    """The unit data of `founds` (forms of one unit and year) and the location of every
    field (`where(found, cell)` says how a location reads)."""
    projects: dict[str, dict[str, Any]] = {}
    cells: dict[FieldPath, str] = {}
    kinds_of: dict[str, list[str]] = {}
    for found in founds:
        key = _key(found.project)
        if key not in projects:
            projects[key] = dict(found.project)
            kinds_of[key] = [found.kind]
        else:
            record = projects[key]
            evaluation = "evaluation" in found.project
            _merge_indicators(record, found.project, evaluation)
            record.update({k: v for k, v in found.project.items() if k != "indicators" and k not in record})
            kinds_of[key].append(found.kind)
        index = list(projects).index(key)
        cells.update({("projects", index) + path: where(found, cell) for path, cell in found.cells.items()})
    records = list(projects.values())
    unit: dict[str, Any] = {}
    for field in _SHARED:
        values = {r.get(field) for r in records}
        if len(values) == 1 and None not in values:
            unit[field] = values.pop()
            for r in records:
                r.pop(field, None)
    for extra in ("code", *parts.unit_fields()):  # the unit fields a document prints
        value = next((f.unit[extra] for f in founds if f.unit.get(extra)), None)
        if value is not None:
            unit[extra] = value
    names = Counter(f.unit.get("unit") for f in founds if f.unit.get("unit"))
    unit["unit"] = names.most_common(1)[0][0] if names else unit.get("executor") or (records[0].get("executor") if records else "")
    years = Counter(f.unit.get("year") for f in founds if f.unit.get("year"))
    if not years:  # a form that prints no year (the departmental document): the year its file was made in
        years = Counter(f.form.created for f in founds if f.form.created)
    unit["year"] = years.most_common(1)[0][0] if years else None
    forms = {f.kind: f.version for f in founds if f.version != registry.defaults.get(f.kind)}
    if forms:
        unit["forms"] = forms
    unit["projects"] = records
    return {k: v for k, v in unit.items() if v is not None}, cells


def _leaves(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _leaves(item, path + (n,))
    else:
        yield path, value


def _at(found: Found, path: FieldPath) -> Located:
    """Where `found` prints `path` (or its nearest printed ancestor), its file named."""
    while path and path not in found.cells:
        path = path[:-1]
    return Located(found.form.source, found.cells.get(path) or found.form.label)


def _differences(one: Found, other: Found) -> list[FieldPath]:
    mine, theirs = dict(_leaves(one.project)), dict(_leaves(other.project))
    return [path for path in dict.fromkeys([*mine, *theirs]) if mine.get(path) != theirs.get(path)]


def distinct(founds: list[Found], title: Callable[[str], str]) -> tuple[list[Found], list[Problem]]:
    """One form per project and kind: the same form read twice (its Word and its Excel
    file, a copy, the book beside it) counts once; two that print different values are a
    conflict, each reported with both places (`title(kind)` names the form)."""
    first: dict[tuple[str, str], Found] = {}
    kept, problems = [], []
    for found in founds:
        key = (_key(found.project), found.kind)
        if key not in first:
            first[key] = found
            kept.append(found)
            continue
        differ = _differences(first[key], found)
        if not differ:
            continue
        path, one = differ[0], first[key]
        mine, theirs = dict(_leaves(one.project)).get(path), dict(_leaves(found.project)).get(path)
        more = f"（共 {len(differ)} 处不同）" if len(differ) > 1 else ""
        text = (
            f"项目「{found.project.get('name', key[0])}」的{title(found.kind)}有两份，内容不同：此处为「{mine or '（空）'}」，"
            f"{_at(found, path)} 为「{theirs or '（空）'}」{more}；同一项目的同一种表单只能有一份，请删去或改正其中一份"
        )
        problems.append(Problem((), text, line=_at(one, path)))
    return kept, problems
