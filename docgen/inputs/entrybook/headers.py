"""The words a column of the data-entry workbook is headed by: its default header, or the
label a form version prints for its field (`labels:` in templates/manifest.yaml) when
every form that prints the column is of that one version; and every header the reader
takes for a column: the default, each version's label and the synonyms of its `read:`
(a workbook written for one region, or an older one with the default words, reads the same).

A label names a column by its field: a label named as an indicator field (`level1`,
`name`, `target`…) heads that column of the 指标 sheet, another one named as a project
field (`annual_goal`, `overall_goal`…) that column of the 项目 sheet; the other labels
(`title`, `form`) name no column.  Which forms print a column (`printers`) decides both
its header and its note's 「印在：…」."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docgen.forms import FormKind, form_kinds
from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import Column
from docgen.model.unit import Indicator
from docgen.registry.manifest import FormVersion, default_registry

_PLACEHOLDER = re.compile(r"[（(][^（）()]*\{[^}]*\}[^（）()]*[）)]|\{[^}]*\}")  # 「项目总体目标（{period}）」: the period is no header's


def clean(label: str) -> str:
    """A printed label as a header: without what the form fills in ({period}), on one line."""
    return " ".join(_PLACEHOLDER.sub("", label).split())


def label_name(column: Column, sheet: str) -> str:
    """The name a version's `labels:` gives `column` by ("": none can)."""
    if sheet == c.INDICATOR_SHEET:
        return column.path[0] if len(column.path) == 1 and column.path[0] in Indicator.model_fields else ""
    if sheet == c.PROJECT_SHEET and not column.path[0].startswith("#") and column.path[0] != "forms":
        dotted = ".".join(column.path)
        return "" if dotted in Indicator.model_fields else dotted
    return ""


def version_label(column: Column, sheet: str, version: Any) -> str | None:
    """The header `version` prints for `column` (None: it declares none)."""
    name = label_name(column, sheet)
    text = (version.labels or {}).get(name) if name else None
    return clean(text) if text else None


def shown(column: Column, sheet: str, versions: list[Any]) -> str:
    """The header of `column` in a workbook whose forms that print it are `versions`:
    their label when they all print the same one, else the default header."""
    labels = {version_label(column, sheet, v) for v in versions}
    if len(labels) == 1 and None not in labels:
        return str(next(iter(labels)))
    return column.header


def _synonyms(column: Column, sheet: str, version: Any) -> tuple[str, ...]:
    """The labels of `column`'s field in `version`'s `read:` (what its printed form calls it)."""
    reading = getattr(version, "reading", None)
    if reading is None:
        return ()
    if sheet == c.INDICATOR_SHEET:
        return tuple(reading.indicators.columns.get(column.path[0], ())) if len(column.path) == 1 else ()
    dotted = ".".join(column.path)
    return (*reading.fields.get(dotted, ()), *reading.goals.get(dotted, ()))


def label_names(versions: Iterable[Any]) -> dict[str, str]:
    """A label as the 表单标签 sheet names it (the words a version prints, or its name) ->
    its name; words two names share are left out (the name itself still says it)."""
    found: dict[str, set[str]] = {}
    for v in versions:
        for name, text in (v.labels or {}).items():
            found.setdefault(clean(text), set()).add(name)
    out = {text: next(iter(names)) for text, names in found.items() if len(names) == 1}
    return out | {name: name for v in versions for name in (v.labels or {})}


def label_words(name: str, versions: Iterable[Any]) -> str:
    """How the 表单标签 sheet names label `name`: the words the first of `versions` that
    has it prints, or the name (where those words could be another label's too)."""
    words = next((clean(v.labels[name]) for v in versions if name in (v.labels or {})), name)
    return words if label_names(every_version()).get(words) == name else name


def every_version() -> list[Any]:
    """Every registered version of the kinds the workbook holds: the words a reader of any
    workbook takes."""
    registry = default_registry()
    return [v for k in form_kinds() if k.workbook is not None for v in registry.kinds.get(k.name, {}).values()]


def accepted(defaults: Iterable[Column], sheet: str, versions: Iterable[Any]) -> dict[str, Column]:
    """Header text -> column for a sheet whose columns are `defaults`: their default
    headers, then each version's label for a column, then its synonyms; a label or a
    synonym two columns share is left out (it could not say which is meant), and none
    takes a default header from its column."""
    columns = list(defaults)
    out: dict[str, Column] = {col.header: col for col in columns}
    every = list(versions)
    for words in (
        lambda col, v: (version_label(col, sheet, v) or "",),
        lambda col, v: tuple(clean(s) for s in _synonyms(col, sheet, v)),
    ):
        found: dict[str, set[Column]] = {}
        for col in columns:
            for v in every:
                for text in words(col, v):
                    if text and text not in out:
                        found.setdefault(text, set()).add(col)
        out |= {text: next(iter(cols)) for text, cols in found.items() if len(cols) == 1}
    return out


def printers(kinds: list[FormKind], versions: dict[str, list[FormVersion]], column: Column, sheet: str) -> list[tuple[FormKind, FormVersion]]:
    """The forms (kind and version) that print `column`; none for the columns every form
    prints (项目名称 …)."""
    out = []
    for kind in kinds:
        if sheet == c.INDICATOR_SHEET:
            own = kind.workbook.indicator_columns if kind.workbook is not None else ()
            mine = [v for v in versions[kind.name] if column in c.INDICATOR_COLUMNS or column in own]
        elif column.path[0] == "#" + kind.name or column.path == ("forms", kind.name):
            mine = versions[kind.name]
        elif column in kind.workbook_columns() or column.versioned:
            mine = [v for v in versions[kind.name] if c.printed(column, [v]) and (column in kind.workbook_columns() or v.fields is not None)]
        else:
            mine = []
        out += [(kind, v) for v in mine]
    return out


def shown_headers(kinds: list[FormKind], versions: dict[str, list[FormVersion]], columns: list[tuple[Column, Any]], sheet: str) -> dict[Column, str]:
    """Column -> its header: the label of the one version that prints it, if that
    version declares one (`labels:`), else the default header."""
    return {column: shown(column, sheet, [v for _, v in printers(kinds, versions, column, sheet)]) for column, _ in columns}


def printed_by(kinds: list[FormKind], versions: dict[str, list[FormVersion]], columns: list[tuple[Column, Any]], sheet: str) -> dict[Column, list[str]]:
    """Column -> the forms (with their versions) that print it, for its note: where they
    print it in other words than its header (two versions' labels differ), with the
    words each prints."""
    out: dict[Column, list[str]] = {}
    for column, _ in columns:
        found = printers(kinds, versions, column, sheet)
        header = shown(column, sheet, [v for _, v in found])
        names = []
        for kind, v in found:
            label = version_label(column, sheet, v)
            said = f"，印作「{label}」" if label and label != header else ""
            names.append(f"{kind.short_title}（{v.version} 版{said}）")
        out[column] = names
    return out
