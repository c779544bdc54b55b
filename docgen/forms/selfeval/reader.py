"""Reading a printed 自评表 (Word or Excel) back into a project record, by its labels."""

from __future__ import annotations

from typing import Any

from docgen.inputs.importing.declared import read_fields, read_funds, read_goals, read_lines
from docgen.inputs.importing.found import Found, title_texts, year_of
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.indicators import read_indicators
from docgen.inputs.importing.labels import find_any, header_any, pick
from docgen.registry.manifest import FormVersion


def read(form: FormText, version: FormVersion) -> Found:
    """The 自评表 by its version's declaration (`read:` in the manifest): fields, goals,
    the funds table and the indicators."""
    reading = version.reading
    assert reading is not None, "selfeval versions declare how they are read (`read:`)"
    found = Found(form, version.kind, version.version)
    rows = form.rows
    read_fields(found, rows, reading.fields)
    read_lines(found, reading.lines)
    found.unit["year"] = year_of(title_texts(form))
    if reading.funds is not None:
        read_funds(found, rows, reading.funds)
    read_goals(found, rows, reading.goals)
    _indicators(found, rows, version)
    evaluation = found.project.setdefault("evaluation", {})
    if found.class_points:
        evaluation["class_weights"] = dict(found.class_points)
    return found


def _indicators(found: Found, rows: list[Any], version: FormVersion) -> None:
    table = version.reading.indicators  # type: ignore[union-attr]
    printed = {k: v for k, v in (version.labels or {}).items() if k in table.columns}
    labels = {k: tuple(dict.fromkeys((printed[k], *v))) if k in printed else v for k, v in table.columns.items()}
    total = read_indicators(found, rows, labels, stop=table.stop, table=table)
    if total is not None and table.total:
        columns = header_any(rows[find_any(rows, labels["level1"])[0]], labels)  # type: ignore[index]
        if "score" in columns:
            found.put(table.total, pick(rows[total], columns["score"]))


def prune(project: dict[str, Any], report: Any) -> None:
    """Drop the scores, rate and 分值 the form printed because the rules computed them
    (or the profile's default 分值): what stays is what the unit declared differently."""
    score = report.score
    evaluation = project.get("evaluation", {})
    execution = evaluation.get("execution", {})
    ex = score.execution
    for key, computed in (("weight", score.profile.execution_weight), ("rate", ex.rate_rounded), ("score", ex.computed)):
        declared = {"weight": ex.weight, "rate": ex.declared_rate, "score": ex.declared}[key]
        if key in execution and computed is not None and declared == computed:
            del execution[key]
    if not execution:
        evaluation.pop("execution", None)
    for data, s in zip(project.get("indicators", []), score.indicators):
        if "score" in data and s.computed is not None and s.declared == s.computed:
            del data["score"]
    if "total_score" in evaluation and score.declared_total == score.total:
        del evaluation["total_score"]
