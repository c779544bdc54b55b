"""Reading a printed 申报表 (either layout, Word or Excel) back into a project record, by its labels."""

from __future__ import annotations

import re

from docgen.forms.context import printed_labels
from docgen.inputs.importing.declared import read_fields, read_lines
from docgen.inputs.importing.found import Found, title_texts, year_of
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.indicators import read_indicators
from docgen.inputs.importing.labels import find, find_prefix, header, norm, pick
from docgen.registry.manifest import FormVersion

_D = "declaration"
_F = (_D, "funds")
_UNIT = re.compile(r"申报单位名称[:：]\s*(.+)$")


def read(form: FormText, version: FormVersion) -> Found:
    found = Found(form, version.kind, version.version)
    rows = form.rows
    reading = version.reading
    assert reading is not None, "target versions declare how they are read (`read:`)"
    read_fields(found, rows, reading.fields)
    read_lines(found, reading.lines)
    titles = title_texts(form)
    found.unit["year"] = year_of(titles)
    _goals(found, rows, version)
    unit = next((m.group(1).strip() for t in titles for m in [_UNIT.search(t)] if m), None)
    if unit:
        found.unit["unit"] = unit
    table = reading.indicators
    printed = {k: v for k, v in (version.labels or {}).items() if k in table.columns}
    labels = {k: tuple(dict.fromkeys((printed[k], *v))) if k in printed else v for k, v in table.columns.items()}
    read_indicators(found, rows, labels, stop=table.stop, table=table)
    found.project.setdefault(_D, {})
    return found


def _goals(found: Found, rows: list, version: FormVersion) -> None:
    """项目总体目标（2023年-2023年） | 年度总体目标 over a row of their texts.  The overall
    goal's label is the cell left of 年度总体目标 (a unit may print 「项目总目标」 there: read
    back into `labels:` when it is not the version's own)."""
    own = version.labels or {}
    at = find(rows, own.get("annual_goal", "年度总体目标"))
    if at is None or at[0] + 1 >= len(rows):
        return
    labels = {"annual": rows[at[0]][at[1]].text}
    overall = find_prefix(rows, "项目总体目标")
    if "overall_goal" in own and at[1] >= 2:
        left = at[1] - 1
        while left > 1 and not rows[at[0]][left].text.strip():
            left -= 1  # merged cells undone (Excel) leave blanks between the label and 年度总体目标
        overall = (at[0], left)
    if overall is not None and overall[0] == at[0]:
        labels["overall"] = rows[overall[0]][overall[1]].text
    columns = header(rows[at[0]], labels)
    values = rows[at[0] + 1]
    found.put(("annual_goal",), pick(values, columns["annual"]))
    if "overall" in columns:
        found.put(("overall_goal",), pick(values, columns["overall"]))
        _label(found, "overall_goal", labels["overall"], own)


def _label(found: Found, name: str, text: str, own: dict[str, str]) -> None:
    """A printed label that is not the version's default (its `{period}` the project's) goes into `labels:`."""
    if name not in own:
        return
    declaration = found.project.get(_D, {})
    year = found.unit.get("year")
    first, last = (str(declaration.get(k, ""))[:4] or str(year) for k in ("start", "end"))
    default = printed_labels({name: own[name]}, period=f"{first}年-{last}年")[name]
    if norm(text) != norm(default):
        found.project.setdefault("labels", {})[name] = text
