"""Reading a printed 自评表 (Word or Excel) back into a project record, by its labels."""

from __future__ import annotations

from typing import Any

from docgen.inputs.importing.found import Found, title_texts, year_of
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.indicators import read_indicators
from docgen.inputs.importing.labels import after, find, header, norm, pick
from docgen.registry.manifest import FormVersion

_FUNDS_ROWS = {norm(k): v for k, v in {"年度资金总额": "total", "其中：当年财政拨款": "fiscal", "上年结转资金": "carryover", "其他资金": "other"}.items()}
_STAGES = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数", "weight": "分值", "rate": "执行率", "score": "得分"}
_INDICATOR = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
    "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施",
}  # fmt: skip


def read(form: FormText, version: FormVersion) -> Found:
    found = Found(form, version.kind, version.version)
    rows = form.rows
    found.put(("name",), after(rows, "项目名称"))
    for key, label in (("department", "主管部门"), ("executor", "实施单位")):
        found.put((key,), after(rows, label))
    found.unit["year"] = year_of(title_texts(form))
    _funds(found, rows)
    at = find(rows, "预期目标")
    if at is not None and at[0] + 1 < len(rows):
        columns = header(rows[at[0]], {"goal": "预期目标", "achieved": "实际完成情况"})
        values = rows[at[0] + 1]
        found.put(("annual_goal",), pick(values, columns["goal"]) if "goal" in columns else None)
        found.put(("evaluation", "achieved"), pick(values, columns["achieved"]) if "achieved" in columns else None)
    _indicators(found, rows, version)
    found.project.setdefault("evaluation", {})
    return found


def _funds(found: Found, rows: list[Any]) -> None:
    at = find(rows, "年初预算数")
    if at is None:
        found.problems.append("找不到「项目资金」表头（年初预算数 / 全年预算数 / 全年执行数）")
        return
    columns = header(rows[at[0]], _STAGES)
    for row in rows[at[0] + 1 : at[0] + 6]:
        line = next((_FUNDS_ROWS[norm(c.text)] for c in row if norm(c.text) in _FUNDS_ROWS), None)
        if line is None:
            continue
        for stage in ("initial", "budget", "executed"):
            if stage in columns:
                found.put(("evaluation", "funds", line, stage), pick(row, columns[stage]))
        if line == "total":
            for key in ("weight", "rate", "score"):
                if key in columns:
                    found.put(("evaluation", "execution", key), pick(row, columns[key]))


def _indicators(found: Found, rows: list[Any], version: FormVersion) -> None:
    labels = {**_INDICATOR, **{k: v for k, v in (version.labels or {}).items() if k in _INDICATOR}}
    total = read_indicators(found, rows, labels, stop="总分")
    if total is not None:
        columns = header(rows[find(rows, labels["level1"])[0]], labels)  # type: ignore[index]
        if "score" in columns:
            found.put(("evaluation", "total_score"), pick(rows[total], columns["score"]))


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
