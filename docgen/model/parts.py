"""The parts a form kind adds to the unit model: each kind's data is its own model
fragment (`docgen/forms/<kind>/model.py`), not a field of the shared `Project`.

A kind's fragment names the project field that holds its data (`declaration`,
`evaluation`, `budget`) and, for a kind with data of the whole unit, a unit field
(`department_goals`), each with the pydantic model that validates it.  `install` makes
them fields of `Project` and `Unit`, so a unit file is validated (and its mistakes are
reported, field titles and all) exactly as if the fields were written on the models; the
registry of kinds (`docgen.forms.form_kinds`) installs the fragments of the kinds the
manifest registers.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from docgen.model.unit import Project, Unit

__all__ = ["Fragment", "Part", "install", "installed"]


@dataclass(frozen=True)
class Part:
    """One field a kind adds: its name, the model of its value (None when absent), the
    title and description a clerk reads, and the field it follows (None: at the end)."""

    field: str
    model: type[BaseModel]
    title: str
    description: str | None = None
    after: str | None = None

    def info(self) -> FieldInfo:
        return FieldInfo.from_annotated_attribute(self.model | None, Field(None, title=self.title, description=self.description))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Fragment:
    """A kind's model fragment: its project part and, where it has one, its unit part."""

    project: Part
    unit: Part | None = None


# The models' own fields, before any kind's: the parts are laid in between them.
_BASE: dict[type[BaseModel], dict[str, FieldInfo]] = {Project: dict(Project.model_fields), Unit: dict(Unit.model_fields)}
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


def install(fragments: tuple[Fragment, ...]) -> None:
    """Make `fragments` the kinds' parts of `Project` and `Unit` (in place: every module
    that imported the models sees them); a no-op when they already are."""
    if fragments == _installed[0]:
        return
    _rebuild(Project, _fields(_BASE[Project], [f.project for f in fragments]))
    _rebuild(Unit, _fields(_BASE[Unit], [f.unit for f in fragments if f.unit is not None]))
    _installed[0] = fragments


def installed() -> tuple[Fragment, ...]:
    """The fragments `Project` and `Unit` carry now."""
    return _installed[0]
