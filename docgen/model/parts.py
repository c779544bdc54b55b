"""The parts a form kind adds to the unit model: each kind's data is its own model
fragment (`docgen/forms/<kind>/model.py`), not a field of the shared `Project`.

A kind's fragment names the project field that holds its data (`declaration`,
`evaluation`, `budget`), for a kind with data of the whole unit a unit field
(`department_goals`), each with the pydantic model that validates it, and the columns it
adds to an indicator row (the 自评表's 实际完成值, 得分, 偏差原因…; the indicators
themselves are shared, so the 自评表 scores the targets the 申报表 declared).  `install`
makes them fields of `Indicator`, `Project` and `Unit`, so a unit file is validated (and
its mistakes are reported, field titles and all) exactly as if the fields were written on
the models; the registry of kinds (`docgen.forms.form_kinds`) installs the fragments of
the kinds the manifest registers.  Two kinds may add the same indicator column (the
申报表 and the departmental document both print 指标值确定依据) if they declare it alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from docgen.errors import RegistryError
from docgen.model.unit import Indicator, Project, Unit

_OPTIONAL: Any = object()  # a part without a default: an optional model, None when absent

__all__ = ["Fragment", "Part", "install", "installed", "own_fields", "unit_fields"]


@dataclass(frozen=True)
class Part:
    """One field a kind adds: its name, the type of its value (a model: None when absent,
    unless `default` is given), the title and description a clerk reads, and the field it
    follows (None: at the end)."""

    field: str
    model: Any
    title: str
    description: str | None = None
    after: str | None = None
    default: Any = _OPTIONAL

    def info(self) -> FieldInfo:
        if self.default is _OPTIONAL:
            return FieldInfo.from_annotated_attribute(self.model | None, Field(None, title=self.title, description=self.description))
        return FieldInfo.from_annotated_attribute(self.model, Field(self.default, title=self.title, description=self.description))


@dataclass(frozen=True)
class Fragment:
    """A kind's model fragment: its project part, where it has one its unit part, and the
    columns it adds to an indicator row."""

    project: Part
    unit: Part | None = None
    indicator: tuple[Part, ...] = ()


# The models' own fields, before any kind's: the parts are laid in between them.
_BASE: dict[type[BaseModel], dict[str, FieldInfo]] = {model: dict(model.model_fields) for model in (Indicator, Project, Unit)}
_installed: list[tuple[Fragment, ...]] = [()]


def _fields(base: dict[str, FieldInfo], parts: list[Part]) -> dict[str, FieldInfo]:
    """`base` with each part after the field it names (after the parts already put
    there), in order; a part whose field is missing goes at the end."""
    names = list(base)
    infos = dict(base)
    anchor: dict[str, str | None] = {}
    pending = list(parts)
    while pending:
        part = next((p for p in pending if p.after is None or p.after in infos), pending[0])
        pending.remove(part)
        after = part.after if part.after in infos else None  # the field it follows is no kind's: at the end
        position = len(names)
        if after is not None:
            position = names.index(after) + 1
            while position < len(names) and anchor.get(names[position]) == after:
                position += 1
        names.insert(position, part.field)
        infos[part.field] = part.info()
        anchor[part.field] = after
    return {name: infos[name] for name in names}


def _rebuild(model: type[BaseModel], fields: dict[str, FieldInfo]) -> None:
    # pydantic keeps a model's fields in `__pydantic_fields__` and builds its validator
    # from them on `model_rebuild(force=True)` (pydantic 2.x; pinned below 3).
    model.__pydantic_fields__ = fields
    model.model_rebuild(force=True)


def _columns(fragments: tuple[Fragment, ...]) -> list[Part]:
    """The indicator columns of every fragment, each once; one declared unlike another
    kind's column of the same name is a mistake in the kinds."""
    out: dict[str, Part] = {}
    for part in (p for f in fragments for p in f.indicator):
        if out.setdefault(part.field, part) != part:
            raise RegistryError(
                f"两种表单给指标行加了同名而不同的栏目「{part.field}」（{out[part.field].title} / {part.title}）：请在各种类的 model.py 中写成一样"
            )
    return list(out.values())


def install(fragments: tuple[Fragment, ...]) -> None:
    """Make `fragments` the kinds' parts of `Indicator`, `Project` and `Unit` (in place:
    every module that imported the models sees them); a no-op when they already are.
    The models are rebuilt inside out: a model's validator holds those of its fields."""
    if fragments == _installed[0]:
        return
    _rebuild(Indicator, _fields(_BASE[Indicator], _columns(fragments)))
    _rebuild(Project, _fields(_BASE[Project], [f.project for f in fragments]))
    _rebuild(Unit, _fields(_BASE[Unit], [f.unit for f in fragments if f.unit is not None]))
    _installed[0] = fragments


def installed() -> tuple[Fragment, ...]:
    """The fragments `Project` and `Unit` carry now."""
    return _installed[0]


def unit_fields() -> tuple[str, ...]:
    """The unit fields the installed kinds add (`department_goals`): data of the whole
    unit that a document prints, beside the unit's own header fields."""
    return tuple(f.unit.field for f in _installed[0] if f.unit is not None)


def own_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields `model` (`Indicator`, `Project`, `Unit`) has of its own, shared by every
    form: none of a kind's parts."""
    return tuple(_BASE[model])
