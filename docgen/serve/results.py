"""The live check's answer: the page's data checked as `docgen check` checks a file, per
project its score, 等级 and findings, each finding with the id of the input it is about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docgen.errors import DocgenError
from docgen.model.findings import Severity
from docgen.model.formatting import number_text
from docgen.registry.manifest import Registry
from docgen.serve import editor
from docgen.serve.units import check_data, input_problems


def check_results(registry: Registry, opened: Any, names: dict[str, str], page: Sequence[tuple[int | None, str, str]] = ()) -> dict[str, Any]:
    """`names`: `editor.anchors` of the form's inputs; `page`: what the page itself finds
    wrong (project index or None, input id, text), such as an `extra:` name given twice."""
    panels: dict[int, dict[str, Any]] = {i: {"scores": [], "findings": []} for i in range(len(opened.data.get("projects") or []))}
    unit_findings: list[dict[str, str]] = []
    fields: list[dict[str, str]] = []
    for at, anchor, text in page:
        item = {"level": "错误", "severity": "error", "text": f"[错误] {text}", "field": anchor}
        (panels[at]["findings"] if at is not None and at in panels else unit_findings).append(item)
        fields.append(item)
    try:
        checked = check_data(opened.path, opened.data, registry)
    except DocgenError as exc:
        for path, text in input_problems(exc):
            item = {"level": "错误", "severity": "error", "text": f"数据有误：{text}", "field": editor.field_of(path, names) or ""}
            target = panels.get(path[1]) if len(path) > 1 and path[0] == "projects" and isinstance(path[1], int) else None
            (target["findings"] if target else unit_findings).append(item)
            if item["field"]:
                fields.append(item)
        return {"panels": panels, "unit_findings": unit_findings, "fields": fields, "usable": False}
    for r in checked.reports:
        panel = panels.setdefault(r.index, {"scores": [], "findings": []})
        score = r.score
        panel["scores"].append(
            {
                "form": r.version.title,
                "total": number_text(score.shown_total) if getattr(score, "shown_total", None) is not None else "",
                "grade": getattr(score, "grade", "") if score is not None else "",
                "errors": r.count(Severity.ERROR),
                "warnings": r.count(Severity.WARNING),
            }
        )
    for f in checked.findings:
        item = {"level": f.severity.label, "severity": f.severity.value, "text": str(f), "field": editor.field_of(f.path, names) or ""}
        index = f.path[1] if len(f.path) > 1 and f.path[0] == "projects" else None
        if isinstance(index, int) and index in panels:
            if item not in panels[index]["findings"]:
                panels[index]["findings"].append(item)
        else:
            unit_findings.append(item)
        if item["field"]:
            fields.append(item)
    return {"panels": panels, "unit_findings": unit_findings, "fields": fields, "usable": True, "counts": (checked.errors, checked.warnings)}
