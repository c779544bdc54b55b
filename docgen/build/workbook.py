"""The data-entry workbook as an output: a unit file (YAML, JSON or a workbook) or an
import written as a workbook, or a blank one with a worked example to fill in; written
atomically, never over a clerk's file.  The workbook's layout is `inputs/entrybook/`."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Any

from docgen.build.output import write_atomic
from docgen.check.checking import Checked, check_source
from docgen.errors import InputError, OverwriteError, Problem, RegistryError
from docgen.forms import FormKind, form_kinds
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.read import read_workbook
from docgen.inputs.entrybook.write import build, get, unprinted_text
from docgen.inputs.importing import Imported
from docgen.inputs.loader import check_file
from docgen.model.unit import Unit
from docgen.model.validate import validate
from docgen.parse.text import LoadedFile
from docgen.registry.manifest import FormVersion, Registry, default_registry

__all__ = ["blank_workbook", "checked_workbook", "imported_workbook", "unit_workbook", "write_workbook"]


def _kinds_of(checked: Checked) -> tuple[list[FormKind], dict[str, list[FormVersion]]]:
    """The kinds the unit's projects get, each with every version they use."""
    kinds = [k for k in form_kinds() if checked.of_kind(k.name) or k.name in checked.documents]
    versions = {
        k.name: [checked.documents[k.name]] if k.name in checked.documents else list({r.version.version: r.version for r in checked.of_kind(k.name)}.values())
        for k in kinds
    }
    return kinds, versions


def _unprinted(checked: Checked, kinds: list[FormKind]) -> list[Problem]:
    """Values in columns no version of their project's forms prints: the workbook has only
    the versions' columns, so they would be lost (and a value typed there is refused)."""
    problems = []
    for report in checked.reports:
        kind = next(k for k in kinds if k.name == report.kind)
        project = checked.unit.projects[report.index]
        for column in kind.workbook_columns():
            if get(project, column.path) not in (None, "", {}) and not c.printed(column, [report.version]):
                where = ("projects", report.index, *column.path)
                text = unprinted_text(column.header, kind.short_title, report.version.version)
                problems.append(Problem(where, text, line=checked.source.line_of(where), context=f"项目「{project.name}」"))
    for index, project in enumerate(checked.unit.projects):
        used = [r.version for r in checked.reports if r.index == index]
        for column in c.PROJECT_COLUMNS:
            if column.versioned and used and get(project, column.path) not in (None, "", {}) and not c.printed(column, used):
                where = ("projects", index, *column.path)
                forms = "、".join(f"{v.kind_title.removeprefix('财政项目支出')} {v.version} 版" for v in used)
                text = f"「{column.header}」不印在本项目的表单（{forms}）上：数据录入工作簿没有这一列，请删去它，或改用印出它的表单版本"
                problems.append(Problem(where, text, line=checked.source.line_of(where), context=f"项目「{project.name}」"))
    return problems


def unit_workbook(path: str | Path, registry: Registry | None = None) -> bytes:
    """The unit file at `path` (YAML, JSON or a workbook) as a data-entry workbook."""
    return checked_workbook(check_file(path, registry))


def checked_workbook(checked: Checked) -> bytes:
    unit = checked.unit
    problems = []
    kinds, versions = _kinds_of(checked)
    for kind in (k for k in kinds if k.workbook is None):
        text = f"{kind.short_title}的数据还不能写入数据录入工作簿；请在 YAML/JSON 文件中维护它们"
        where = [("projects", r.index, kind.part) for r in checked.of_kind(kind.name)]
        problems += [Problem(w, text, line=checked.source.line_of(w)) for w in where]
    problems += _unprinted(checked, kinds)
    if problems:  # the workbook has no place for them: never drop data silently
        raise InputError(checked.path, problems)
    data = build(unit, kinds, versions)
    lost = _differences(unit.model_dump(), validate(read_workbook(checked.path.with_suffix(".xlsx"), data)).model_dump())
    if lost:  # a value the columns above did not foresee: refused, never left out
        text = "数据录入工作簿没有这一项的列，写入后会丢失；请在 YAML/JSON 文件中维护它"
        raise InputError(checked.path, [Problem(w, text, line=checked.source.line_of(w)) for w in lost[:20]])
    return data


def _differences(ours: Any, back: Any, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The paths where the workbook read back differs from the unit it was made from."""
    if isinstance(ours, dict) and isinstance(back, dict):
        return [d for key in ours.keys() | back.keys() for d in _differences(ours.get(key), back.get(key), (*at, key))]
    if isinstance(ours, list) and isinstance(back, list) and len(ours) == len(back):
        return [d for i, (a, b) in enumerate(zip(ours, back)) for d in _differences(a, b, (*at, i))]
    return [] if ours == back else [at]


def _chosen(registry: Registry, forms: dict[str, str]) -> dict[str, FormVersion]:
    wanted = forms or {k.name: "" for k in form_kinds() if not k.unit_scope}
    try:
        return {name: registry.version(name, version or None) for name, version in wanted.items()}
    except RegistryError as exc:
        raise InputError(Path("--forms"), [Problem(("forms",), exc.text)]) from exc


def blank_workbook(forms: dict[str, str] | None = None, registry: Registry | None = None) -> bytes:
    """A workbook to fill in for the form kinds and versions `forms` (kind -> version, ""
    for the default; default: every per-project kind), with one worked example project
    taken from the versions' own example files."""
    registry = registry or default_registry()
    versions = _chosen(registry, forms or {})
    kinds = [k for k in form_kinds() if k.name in versions]
    # The example richest in indicator fields gives the project; the others lend their form's part.
    examples = {k.name: check_file(example, registry) for k in kinds if (example := versions[k.name].example) is not None}
    base_kind = max((k for k in kinds if k.name in examples), key=lambda k: len(k.indicator_fields()))
    base = examples[base_kind.name]
    project = next(p for p in base.unit.projects if base_kind.applies(p))
    update = {}
    for kind in kinds:
        other = next((p for p in examples[kind.name].unit.projects if kind.applies(p)), None) if kind.name in examples else None
        for field in {col.path[0] for col in kind.workbook_columns()}:
            update[field] = getattr(other, field) if other is not None else None
    project = project.model_copy(update={**update, "forms": None})
    goals = {k.unit_part: examples[k.name].unit.part(k.unit_part) for k in kinds if k.unit_sheet is not None and k.name in examples}
    unit = base.unit.model_copy(update={"projects": [project], "forms": {n: v.version for n, v in versions.items()}, **goals})
    return build(_clean(unit, registry), kinds, versions, full=True)


def _clean(unit: Unit, registry: Registry) -> Unit:
    """The worked example as it should be typed: its parts come from the versions' own
    examples (other years, published forms with their slips), so its dates are moved into
    the unit's year, a declared score the rules compute otherwise is left blank (the form
    then prints the computed one, as a clerk who leaves it blank gets), and an actual value
    written without its unit takes the reading the check proposes (「90」 -> 「90%」)."""
    project = unit.projects[0]
    if project.declaration is not None:
        dates = {k: _in_year(getattr(project.declaration, k), unit.year) for k in ("start", "end")}
        unit = _set(unit, ("projects", 0, "declaration"), project.declaration.model_copy(update=dates))
    for _ in range(3):
        checked = check_source(LoadedFile(path=Path("示例.yaml"), data=unit.model_dump(mode="python"), lines={}), registry)
        changes: list[tuple[tuple[str | int, ...], Any]] = []
        for finding in checked.findings:
            proposed = _PROPOSED.search(finding.message)
            if finding.path and finding.path[-1] in ("score", "total_score"):
                changes.append((finding.path, None))
            elif finding.path and finding.path[-1] == "actual" and proposed:
                changes.append((finding.path, proposed.group(1)))
        if not changes:
            return unit
        for path, value in changes:
            unit = _set(unit, path, value)
    return unit


_PROPOSED = re.compile(r"未带 \S+，按 (\S+) 计？$")


def _set(model: Any, path: tuple[Any, ...], value: Any) -> Any:
    """`model` with the field at `path` set to `value` (already of the field's type), copying the models on the way."""
    head, rest = path[0], path[1:]
    if isinstance(model, list):
        return [_set(m, rest, value) if i == head else m for i, m in enumerate(model)] if rest else [value if i == head else m for i, m in enumerate(model)]
    inner = _set(getattr(model, head), rest, value) if rest else value
    return model.model_copy(update={head: inner})


def _in_year(day: date | None, year: int) -> date | None:
    if day is None:
        return None
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def write_workbook(data: bytes, target: Path, force: bool = False, source: Path | None = None) -> None:
    """Write a workbook to `target`, never over an existing file (it may hold a clerk's
    work) unless `force`, and never over the unit file it was made from."""
    if source is not None and target.resolve() == Path(source).resolve():
        raise OverwriteError(target)
    if target.exists() and not force:
        raise OverwriteError(target)
    write_atomic(target, data)


def imported_workbook(result: Imported, registry: Registry | None = None) -> bytes:
    """An import written as a data-entry workbook instead of YAML."""
    from docgen.build.workbook import checked_workbook

    return checked_workbook(check_source(result.source, registry))
