"""`docgen score`: a 自评表's scores per indicator, computed and declared, as text or JSON."""

from __future__ import annotations

from typing import Any

from docgen.forms.selfeval.model import scored_target
from docgen.model.findings import Report
from docgen.model.formatting import number_text, percent_text


def _dec(value: Any) -> str | None:
    return None if value is None else number_text(value)


def score_json(r: Report) -> dict[str, Any]:
    s = r.score
    ex = s.execution
    return {
        "name": s.project.name,
        "form": f"{r.version.kind}-{r.version.version}",
        "profile": s.profile.name,
        "execution": {
            "weight": _dec(ex.weight),
            "rate": percent_text(ex.rate) or None,
            "declared_rate": percent_text(ex.declared_rate) or None,
            "computed": _dec(ex.computed),
            "declared": _dec(ex.declared),
        },
        "indicators": [
            {
                "level1": i.indicator.level1,
                "level2": i.indicator.level2,
                "name": i.indicator.name,
                "target": scored_target(i.indicator),
                "actual": i.indicator.actual,
                "weight": _dec(i.weight),
                "computed": _dec(i.computed),
                "declared": _dec(i.declared),
                "method": i.method,
            }
            for i in s.indicators
        ],
        "total": _dec(s.total),
        "computed_total": _dec(s.computed_total),
        "declared_total": _dec(s.declared_total),
        "grade": s.grade,
        "findings": [{"severity": f.severity.value, "code": f.code, "indicator": f.indicator or None, "message": f.message} for f in r.findings],
    }


def score_text(r: Report) -> list[str]:
    s = r.score
    ex = s.execution
    lines = [
        f"{s.project.name}  总分 {number_text(s.shown_total)}（规则计算 {number_text(s.computed_total)}）  {s.grade}",
        f"  预算执行率 {percent_text(ex.rate, '空')}  分值 {number_text(ex.weight)}  "
        f"计算 {number_text(ex.computed, '—')}  填报 {number_text(ex.declared, '—')}",
    ]
    for i in s.indicators:
        lines.append(
            f"  {i.indicator.name}  分值 {number_text(i.weight, '—')}  计算 {number_text(i.computed, '—')}  填报 {number_text(i.declared, '—')}  {i.method}"
        )
    return lines
