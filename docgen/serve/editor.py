"""The edit form of a unit: which fields it shows, read from the data model's own titles
(`docgen/models.py` and each form kind's model), and how a submitted form becomes the
unit's data again.

Every input is named by its field path in the unit file (`projects.0.indicators.2.target`),
so a finding (whose `path` is that field path) is shown next to the input it is about,
and a submitted name that is not a field of the form is ignored: the form never sets a
key the page did not show."""

from __future__ import annotations

import copy
import functools
import re
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from docgen.forms import form_kinds
from docgen.model import parts
from docgen.model.unit import Indicator, Project, Unit
from docgen.registry.manifest import Registry
from docgen.serve.fields import Field, Group, kind_parts
from docgen.serve.freeform import apply_extra, free_groups

Path_ = tuple[str | int, ...]

UNIT_FIELDS = ("unit", "code", "year", "department", "executor", "amount_unit")
PROJECT_FIELDS = ("name", "code", "department", "executor", "annual_goal", "overall_goal")
LONG_TEXT = {
    "annual_goal",
    "overall_goal",
    "achieved",
    "overview",
    "basis",
    "necessity",
    "safeguards",
    "plan",
    "deviation",
    "description",
    "use",
}
AMOUNT_TYPES = {"Amount"}


def _kind_of(model: type[BaseModel], key: str) -> tuple[str, tuple[str, ...]]:
    info = model.model_fields[key]
    annotation = info.annotation
    args = [annotation] if get_origin(annotation) is Literal else [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    target = args[0]
    if get_origin(target) is Literal:
        return "select", tuple(str(a) for a in get_args(target))
    if target is date:
        return "date", ()
    if target is Decimal:
        metadata = " ".join(repr(m) for m in info.metadata)
        return ("amount" if "_amount" in metadata else "number"), ()
    if target is int:
        return "number", ()
    return ("textarea" if key in LONG_TEXT else "text"), ()


def date_text(value: Any) -> str:
    """A date as clerks write it: 2023年1月1日."""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> date | str:
    """2023年1月1日, 2023-01-01, 2023/1/1 or 2023.1.1 -> a date; anything else stays text
    (the check then says what is wrong with it, like for a unit file)."""
    match = _DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
    return text


def shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return date_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _get(data: Any, path: Path_) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


@functools.cache
def _spec(model: type[BaseModel], keys: tuple[str, ...]) -> tuple[tuple[str, str, str, tuple[str, ...], bool], ...]:
    """(key, label, kind, options, required) of each field: the model's, once."""
    out = []
    for key in keys:
        kind, options = _kind_of(model, key)
        info = model.model_fields[key]
        out.append((key, info.title or key, kind, options, info.is_required()))
    return tuple(out)


def _fields(model: type[BaseModel], keys: typing.Iterable[str], data: Any, prefix: Path_) -> list[Field]:
    base = _get(data, prefix) if prefix else data
    head = ".".join(map(str, prefix))
    out = []
    for key, label, kind, options, required in _spec(model, tuple(keys)):
        value = base.get(key) if isinstance(base, dict) else None
        out.append(Field(f"{head}.{key}" if head else key, label, kind, shown(value, kind), options, required, value))
    return out


def _nested(model: type[BaseModel], data: Any, prefix: Path_, title: str) -> list[Group]:
    """A form part (declaration, evaluation): its own fields, then one group per nested
    model, titled in the model's words; a model made of lines of one model (the 自评表's
    项目资金: 年度资金总额, 其中：当年财政拨款… each with 年初预算数/全年预算数/全年执行数) is one
    table, as the form prints it."""
    own, groups = [], []
    for key, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            lines = {f.annotation for f in annotation.model_fields.values()}
            if len(lines) == 1 and all(isinstance(t, type) and issubclass(t, BaseModel) for t in lines):
                line = lines.pop()
                assert isinstance(line, type) and issubclass(line, BaseModel)  # checked just above
                rows = [
                    (sub.title or name, _fields(line, tuple(line.model_fields), data, (*prefix, key, name))) for name, sub in annotation.model_fields.items()
                ]
                for row_title, row in rows:
                    for f in row:
                        f.aria = f"{row_title} {f.label}"
                groups.append(Group(f"{title} · {info.title or key}", rows=rows))
            else:
                groups += _nested(annotation, data, (*prefix, key), f"{title} · {info.title or key}")
        else:
            own.append(key)
    return [Group(title, _fields(model, own, data, prefix)), *groups] if own else groups


@dataclass
class ProjectForm:
    index: int
    name: str
    groups: list[Group]
    columns: list[Field]  # the indicator table's header (labels, kinds)
    rows: list[list[Field]]
    taxonomy: dict[str, tuple[str, ...]]
    free: list[Group] = field(default_factory=list)  # its labels and `extra:` lines


def unit_fields(data: dict[str, Any]) -> list[Field]:
    return _fields(Unit, UNIT_FIELDS, data, ())


def taxonomy_of(registry: Registry, data: dict[str, Any], project: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """一级 -> its 二级 of the versions the project's forms use (their union, in order)."""
    from docgen.forms import form_kinds

    out: dict[str, list[str]] = {}
    forms = {**(data.get("forms") or {}), **(project.get("forms") or {})}
    for kind in form_kinds():
        if kind_parts().get(kind.name) not in project:
            continue
        try:
            version = registry.version(kind.name, str(forms[kind.name]) if forms.get(kind.name) else None)
        except Exception:  # noqa: BLE001 - an unknown version is the check's finding, not the form's
            continue
        for level1, level2s in version.taxonomy.items():
            known = out.setdefault(level1, [])
            known += [x for x in level2s if x not in known]
    return {k: tuple(v) for k, v in out.items()}


def project_form(registry: Registry, data: dict[str, Any], index: int) -> ProjectForm:
    project = data["projects"][index]
    prefix: Path_ = ("projects", index)
    groups = [Group("项目", _fields(Project, PROJECT_FIELDS, data, prefix))]
    shown = set(parts.own_fields(Indicator))  # an indicator row shows what every form shares, then each kind's columns
    for kind in form_kinds():
        part = kind.fragment.project
        if isinstance(project.get(part.field), dict):  # each form part the project has, field by field
            groups += _nested(part.model, data, (*prefix, part.field), f"{part.title}（{kind.short_title}）")
            shown |= {column.field for column in kind.fragment.indicator}
    keys = [key for key in Indicator.model_fields if key in shown]  # in the order the model has them
    columns = _fields(Indicator, keys, {}, ())
    taxonomy = taxonomy_of(registry, data, project)
    rows = []
    for i, _ in enumerate(project.get("indicators") or []):
        row = _fields(Indicator, keys, data, (*prefix, "indicators", i))
        for f in row[:2]:
            f.kind = "select"
        row[0].options = tuple(taxonomy)
        row[1].options = taxonomy.get(row[0].value, ())
        rows.append(row)
    return ProjectForm(index, str(project.get("name") or f"项目 {index + 1}"), groups, columns, rows, taxonomy, free_groups(registry, data, index))


def unit_groups(registry: Registry, data: dict[str, Any]) -> list[Group]:
    """The unit's own labels and `extra:` lines, below its fields."""
    return free_groups(registry, data, None)


def all_fields(registry: Registry, data: dict[str, Any]) -> dict[str, Field]:
    fields = {f.name: f for f in unit_fields(data)}
    for group in unit_groups(registry, data):
        fields.update({f.name: f for f in group.inputs})
    for index, _ in enumerate(data.get("projects") or []):
        form = project_form(registry, data, index)
        for group in [*form.groups, *form.free]:
            fields.update({f.name: f for f in group.inputs})
        for row in form.rows:
            fields.update({f.name: f for f in row})
    return fields


def anchors(fields: dict[str, Field]) -> dict[str, str]:
    """Field path -> the id of the input a finding at that path is shown at."""
    out = {name: f.id for name, f in fields.items() if not f.group}
    for name in [n for n in out if re.fullmatch(r"projects\.\d+\.name", n)]:
        head = name.removesuffix(".name")
        out.setdefault(head, out[name])  # the project as a whole: its name
        out.setdefault(f"{head}.indicators", "f-" + head.replace(".", "-") + "-indicators")  # the table: its 添加指标 button
    for f in fields.values():
        if f.group:
            out.setdefault(f.group, f.id)  # the mapping itself: its first line
            if f.path:
                out[f.path] = f.id
    return out


def _path(name: str) -> Path_:
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


def _typed(text: str, kind: str, old: Any) -> Any:
    text = text.strip() if kind != "textarea" else text.replace("\r\n", "\n")
    if kind == "date":
        return parse_date(text)
    if kind in ("number", "amount"):
        if re.fullmatch(r"-?\d+", text) and not (isinstance(old, str) and kind == "amount"):
            return int(text)
        if re.fullmatch(r"-?\d+\.\d+", text) and not isinstance(old, str):
            return Decimal(text)
        return text
    return text


def _keys(owner: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(map(str, owner[k])) if isinstance(owner.get(k), dict) else () for k in ("labels", "extra"))


def shape(data: dict[str, Any]) -> tuple[Any, ...]:
    """What decides which inputs the form has: each project's parts and its rows, the
    labels and `extra:` lines of the unit and each project."""
    projects = tuple(
        (tuple(k for k in kind_parts().values() if isinstance(p.get(k), dict)), len(p.get("indicators") or []), _keys(p))
        for p in (data.get("projects") or [])
        if isinstance(p, dict)
    )
    return (_keys(data), projects)


def apply_form(
    registry: Registry, data: dict[str, Any], form: typing.Mapping[str, Any], in_place: bool = False, fields: dict[str, Field] | None = None
) -> dict[str, Any]:
    """`data` (a copy, unless `in_place`) with the submitted fields set: a blank input
    removes the key (the field's default applies, as when it is left out of the file).
    Only the fields submitted change (the live check sends the inputs typed in since
    the last one).  `fields`: `all_fields` of data of the same `shape`, if the caller has them."""
    fields = fields if fields is not None else all_fields(registry, data)
    out = data if in_place else copy.deepcopy(data)
    apply_extra(out, form)
    for name, text in form.items():
        f = fields.get(name)
        if f is None or f.group:
            continue
        text = str(text)
        path = _path(name)
        key = path[-1]
        parent = _get(out, path[:-1])
        old = parent.get(key) if isinstance(parent, dict) else None
        if (old is not None and shown(old, f.kind) == text.strip()) or (old is None and not text.strip()):
            continue  # unchanged: keep the file's own value (its type and spelling)
        parent = out
        for step in path[:-1]:  # a part the file leaves out (execution:) is made when a value is typed into it
            parent = parent[step] if isinstance(parent, list) else parent.setdefault(step, {})  # type: ignore[index,arg-type]  # a dict's step is a key (str)
        if not text.strip():
            if key in parent and f.kind in ("text", "textarea") and f.required:
                parent[key] = ""
            else:
                parent.pop(key, None)
                if not parent and path[-2] == "labels":  # the last label cleared: no `labels: {}` left in the file
                    grand = _get(out, path[:-2])
                    if isinstance(grand, dict):
                        grand.pop("labels", None)
            continue
        parent[key] = _typed(text, f.kind, old)
    return out


def field_of(path: Path_, anchored: typing.Mapping[str, str]) -> str | None:
    """The id of the input a finding at `path` belongs to (`anchored`: `anchors` of the
    form's fields): the nearest field on the page."""
    path = tuple(path)
    while path:
        found = anchored.get(".".join(map(str, path)))
        if found is not None:
            return found
        path = path[:-1]
    return None


# --- rows ------------------------------------------------------------------------------


def change_rows(data: dict[str, Any], op: str, target: str) -> dict[str, Any]:
    """Indicator rows and projects added, removed, moved: `target` is the list item's path
    (`projects.0.indicators.2`) or, for `add`, the list's (`projects.0.indicators`)."""
    out = copy.deepcopy(data)
    path = _path(target)
    if "extra" in path[-2:] and path[: path.index("extra")] in ((), ("projects", path[1] if len(path) > 1 else None)):
        owner = _get(out, path[: path.index("extra")]) if path[0] != "extra" else out
        extra = owner.get("extra") if isinstance(owner, dict) else None
        if op == "remove" and isinstance(extra, dict) and isinstance(path[-1], int) and 0 <= path[-1] < len(extra):
            del extra[list(extra)[path[-1]]]  # `add`: the page shows a blank line after the last one anyway
        return out
    if not path or path[0] != "projects" or any(not isinstance(k, (int, str)) for k in path):
        return out
    if op == "add":
        items = _get(out, path)
        if path == ("projects",):
            first = (out.get("projects") or [{}])[0]
            new: dict[str, Any] = {"name": f"新项目{len(items) + 1}"}
            new.update({part: {} for part in kind_parts().values() if part in first})  # the forms the first project has
            new["indicators"] = []
        elif len(path) == 3 and path[2] == "indicators":
            project = _get(out, path[:2])
            if not isinstance(project, dict):
                return out
            items = project.setdefault("indicators", [])
            new = {"level1": "", "level2": "", "name": ""}
        else:
            return out
        if isinstance(items, list):
            items.append(new)
        return out
    items = _get(out, path[:-1])
    index = path[-1]
    if not isinstance(items, list) or not isinstance(index, int) or not 0 <= index < len(items):
        return out
    if op == "remove":
        if path[:-1] == ("projects",) and len(items) == 1:
            return out  # a unit has at least one project
        del items[index]
    elif op in ("up", "down"):
        other = index - 1 if op == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
    return out
