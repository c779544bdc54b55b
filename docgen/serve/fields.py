"""The inputs of the edit form (`Field`: one input, named by its field path; `Group`: a
fieldset of them), and which project part carries each form kind's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docgen.forms import form_kinds


@dataclass
class Field:
    name: str  # the field path joined with dots: the input's name
    label: str
    kind: str  # text, textarea, amount, number, date, select
    value: str = ""
    options: tuple[str, ...] = ()
    required: bool = False
    raw: Any = None  # the value in the data, as read
    aria: str = ""  # the input's accessible name where its label is a table's heading
    group: str = ""  # inputs the page sends together (the lines of an `extra:` mapping)
    path: str | None = None  # the field path findings name, where the input is not named by it
    placeholder: str = ""

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("*", "")


@dataclass
class Group:
    title: str
    fields: list[Field] = field(default_factory=list)
    rows: list[tuple[str, list[Field]]] = field(default_factory=list)  # a block of lines of one model (项目资金), shown as a table
    lines: list[tuple[Field, Field]] = field(default_factory=list)  # the (key, value) lines of an `extra:` mapping
    target: str = ""  # the mapping's field path (`extra`, `projects.0.extra`): where its lines are removed
    note: str = ""

    @property
    def inputs(self) -> list[Field]:
        return [*self.fields, *(f for _, line in self.rows for f in line), *(f for line in self.lines for f in line)]


def kind_parts() -> dict[str, str]:
    """Form kind -> the project field that carries its data (each kind says so:
    `FormKind.part`), so the page names no kind of its own; the kinds of the templates
    in use now (`form_kinds` caches them per templates folder)."""
    return {kind.name: kind.part for kind in form_kinds() if kind.part}
