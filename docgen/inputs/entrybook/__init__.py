"""The data-entry workbook: a unit file in Excel, for people who do not write YAML.

`unit_workbook` writes a unit as a workbook, `blank_workbook` an example to fill in;
`read.read_workbook` (used by the loader for every .xlsx input) reads one back as the
same data a YAML file gives, each value located by its cell.
"""

from __future__ import annotations

from pathlib import Path

from docgen.check.checking import Checked
from docgen.inputs.loader import check_file
from docgen.errors import InputError, OverwriteError, Problem, RegistryError
from docgen.forms import FormKind, form_kinds
from docgen.build.output import write_atomic
from docgen.registry.manifest import FormVersion, Registry, default_registry
from docgen.inputs.entrybook.write import build

__all__ = ["blank_workbook", "checked_workbook", "unit_workbook", "write_workbook"]


def _kinds_of(checked: Checked) -> tuple[list[FormKind], dict[str, FormVersion]]:
    kinds = [k for k in form_kinds() if checked.of_kind(k.name) or k.name in checked.documents]
    versions = {k.name: checked.documents.get(k.name) or checked.of_kind(k.name)[0].version for k in kinds}
    return kinds, versions


def unit_workbook(path: str | Path, registry: Registry | None = None) -> bytes:
    """The unit file at `path` (YAML, JSON or a workbook) as a data-entry workbook."""
    return checked_workbook(check_file(path, registry))


def checked_workbook(checked: Checked) -> bytes:
    unit = checked.unit
    problems = []
    for key, what in (("extra", "自定义字段（extra）"), ("labels", "表单标签（labels）")):
        where = [(key,)] if getattr(unit, key) else []
        where += [("projects", i, key) for i, p in enumerate(unit.projects) if getattr(p, key)]
        text = f"{what}还不能写入数据录入工作簿；请在 YAML/JSON 文件中维护它们"
        problems += [Problem(w, text, line=checked.source.line_of(w)) for w in where]
    if problems:  # the workbook has no sheet for them yet: never drop data silently
        raise InputError(checked.path, problems)
    kinds, versions = _kinds_of(checked)
    return build(unit, kinds, versions)


def _chosen(registry: Registry, forms: dict[str, str]) -> dict[str, FormVersion]:
    wanted = forms or {k.name: "" for k in form_kinds() if not k.document}
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
    examples = {k.name: check_file(versions[k.name].example, registry) for k in kinds if versions[k.name].example}
    base_kind = max((k for k in kinds if k.name in examples), key=lambda k: len(k.indicator_fields()))
    base = examples[base_kind.name]
    project = next(p for p in base.unit.projects if base_kind.applies(p))
    update = {}
    for kind in kinds:
        other = next((p for p in examples[kind.name].unit.projects if kind.applies(p)), None) if kind.name in examples else None
        for field in {col.path[0] for col in kind.workbook_columns()}:
            update[field] = getattr(other, field) if other is not None else None
    project = project.model_copy(update={**update, "forms": None})
    goals = {k.sheet_field(): getattr(examples[k.name].unit, k.sheet_field()) for k in kinds if k.workbook_sheet and k.name in examples}
    unit = base.unit.model_copy(update={"projects": [project], "forms": {n: v.version for n, v in versions.items()}, **goals})
    return build(unit, kinds, versions, full=True)


def write_workbook(data: bytes, target: Path, force: bool = False, source: Path | None = None) -> None:
    """Write a workbook to `target`, never over an existing file (it may hold a clerk's
    work) unless `force`, and never over the unit file it was made from."""
    if source is not None and target.resolve() == Path(source).resolve():
        raise OverwriteError(target)
    if target.exists() and not force:
        raise OverwriteError(target)
    write_atomic(target, data)
