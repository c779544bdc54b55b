"""The 财政项目支出绩效自评表 (self-evaluation, after the year, scored out of 100)."""

from __future__ import annotations

from typing import Any

from docgen.forms.interface import BookRow, Change, Checks, FormKind, ProjectContext, Reader, Scores, Workbook
from docgen.forms.selfeval import reader, workbook
from docgen.forms.selfeval.checks import evaluate_project
from docgen.forms.selfeval.context import selfeval_context
from docgen.forms.selfeval.model import FRAGMENT
from docgen.forms.selfeval.score_report import score_json, score_text
from docgen.forms.selfeval.scoring import ProjectScore
from docgen.model.findings import Report, Severity
from docgen.model.formatting import number_text, percent_text
from docgen.model.unit import Unit
from docgen.registry.manifest import FormVersion


def _num(value: Any) -> str:
    return number_text(value, "—")


_SCORE_ROWS = (
    ("执行率", lambda s: percent_text(s.execution.shown_rate, "—")),
    ("预算执行得分", lambda s: _num(s.execution.effective)),
    ("总分", lambda s: _num(s.shown_total)),
    ("规则计算总分", lambda s: _num(s.computed_total)),
    ("等级", lambda s: s.grade),
)
_ALWAYS_SHOWN = ("总分", "等级")  # a reader sees that a correction left the total alone as clearly as that it moved it


def _check(unit: Unit, index: int, version: FormVersion) -> Report:
    assert version.profile is not None, "selfeval versions score by a profile"
    return evaluate_project(unit, index, version.profile, version)


def _context(unit: Unit, report: Report) -> dict[str, Any]:
    return selfeval_context(unit, report, report.version)


def _examples(unit: Unit, reports: list[Report], version: FormVersion) -> list[dict[str, Any]]:
    if version.profile is None:
        return []
    # Scored by the rules of the version under test, whatever version the example names.
    return [selfeval_context(unit, evaluate_project(unit, r.index, version.profile, version), version) for r in reports]


def _summary(report: Report) -> dict[str, Any]:
    score: ProjectScore = report.score
    ex = score.execution
    return {"funds": ex.budget, "executed": ex.executed, "rate": ex.rate_rounded, "score": score.shown_total, "grade": score.grade}


def _review(report: Report) -> dict[str, Any]:
    return {**_summary(report), "computed": report.score.computed_total, "profile": report.score.profile.name}


def _table(reports: list[Report]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("项目", "总分", "等级", "错误", "提示")]
    for r in reports:
        rows.append((r.project.name, number_text(r.score.shown_total), r.score.grade, str(r.count(Severity.ERROR)), str(r.count(Severity.WARNING))))
    return rows


def _score_changes(old: Report | None, new: Report | None) -> list[Change]:
    """执行率, 预算执行得分, 总分, 规则计算总分 and 等级: 执行率 and 规则计算总分 only when they moved."""
    if old is None and new is None:
        return []
    out = []
    for label, get in _SCORE_ROWS:
        was = get(old.score) if old is not None else "—"
        now = get(new.score) if new is not None else "—"
        if was != now or label in _ALWAYS_SHOWN:
            out.append((label, was, now))
    return out


def _indicator_score_changes(old: Report | None, new: Report | None, o: int | None, n: int | None) -> list[Change]:
    before = old.score.indicators[o] if old is not None and o is not None else None
    after = new.score.indicators[n] if new is not None and n is not None else None
    out = []
    for label, get in (("得分", lambda s: s.effective), ("规则计算得分", lambda s: s.computed)):
        was = _num(get(before)) if before is not None else "—"
        now = _num(get(after)) if after is not None else "—"
        if was != now:
            out.append((label, was, now))
    return out


KIND = FormKind(
    name="selfeval",
    short_title="自评表",
    count_label="自评表",
    fragment=FRAGMENT,
    checks=Checks(_check),
    target_field="evaluated_target",
    context=ProjectContext(_context, _examples),
    book=BookRow(summary=_summary, money_label="全年预算数", review=_review),
    table=_table,
    scores=Scores(json=score_json, text=score_text, changes=_score_changes, indicator_changes=_indicator_score_changes),
    workbook=Workbook(flag="自评表", columns=tuple(workbook.COLUMNS), indicator_columns=workbook.INDICATOR_COLUMNS),
    reader=Reader(reader.read, reader.prune),
)
