"""What a correction changed: two checked versions of a unit compared by project and
indicator, with the effect on 得分, 总分 and 等级 and the findings that appeared or went
away.  Pure: no I/O; the CLI prints the result as text or JSON.

Projects pair up by 项目编码, else by 项目名称, and what is left over by its place in
the file (so a corrected name reads as a change, not as one project gone and another
new); indicators pair up the same way by 一级/二级/三级指标.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from docgen.forms import form_kinds
from docgen.model.findings import Finding, Report
from docgen.model.formatting import number_text
from docgen.model.unit import Indicator, Project

if TYPE_CHECKING:
    from docgen.check.checking import Checked

BLANK = "（空）"
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One value before and after, labelled in the form's words."""

    label: str
    old: str
    new: str
    field: str = ""  # where it sits in the (new) unit file, e.g. projects[0].indicators[2].actual


@dataclass
class IndicatorDiff:
    name: str
    level1: str
    level2: str
    status: str  # changed / added / removed
    values: list[Change] = field(default_factory=list)
    scores: list[Change] = field(default_factory=list)


@dataclass
class ProjectDiff:
    name: str
    status: str  # changed / added / removed
    values: list[Change] = field(default_factory=list)
    indicators: list[IndicatorDiff] = field(default_factory=list)
    scores: list[Change] = field(default_factory=list)  # 执行率, 预算执行得分, 总分, 等级 (changed or not)
    appeared: list[str] = field(default_factory=list)  # findings new in the new version
    gone: list[str] = field(default_factory=list)

    @property
    def score_moved(self) -> bool:
        return any(c.old != c.new for c in self.scores)


@dataclass
class UnitDiff:
    old: str  # what was compared, for the heading
    new: str
    values: list[Change] = field(default_factory=list)  # unit-level fields (单位, 部门整体目标…)
    projects: list[ProjectDiff] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)  # findings across projects (项目编码…)
    gone: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.values or self.projects or self.appeared or self.gone)

    def counts(self) -> dict[str, int]:
        projects = self.projects
        return {
            "changed": sum(1 for p in projects if p.status == "changed"),
            "added": sum(1 for p in projects if p.status == "added"),
            "removed": sum(1 for p in projects if p.status == "removed"),
            "values": len(self.values) + sum(len(p.values) + sum(len(i.values) for i in p.indicators) for p in projects),
            "scores_moved": sum(1 for p in projects if p.score_moved),
            "appeared": len(self.appeared) + sum(len(p.appeared) for p in projects),
            "gone": len(self.gone) + sum(len(p.gone) for p in projects),
        }


# ------------------------------------------------------------------ values


def _text(value: Any) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return str(value.model_dump(mode="json"))
    if isinstance(value, (list, tuple)):
        return "；".join(_text(v) for v in value) or BLANK
    return str(value)


def flatten(model: BaseModel, skip: frozenset[str] | set[str] = frozenset(), label: str = "", path: str = "") -> dict[str, tuple[str, str]]:
    """Field path -> (label in the form's words, value as text), leaves only."""
    out: dict[str, tuple[str, str]] = {}
    for name, info in type(model).model_fields.items():
        if name in skip:
            continue
        value = getattr(model, name)
        title = info.title or name
        here = f"{label} › {title}" if label else title
        where = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            out.update(flatten(value, set(), here, where))
        elif isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
            for n, item in enumerate(value):
                out.update(flatten(item, set(), f"{here}第{n + 1}项", f"{where}[{n}]"))
        else:
            out[where] = (here, _text(value))
    return out


def _changes(old: BaseModel | None, new: BaseModel | None, skip: set[str], prefix: str) -> list[Change]:
    before = flatten(old, skip) if old is not None else {}
    after = flatten(new, skip) if new is not None else {}
    out = []
    for key in [*after, *(k for k in before if k not in after)]:
        label, was = before.get(key, (after.get(key, ("", ""))[0], BLANK))
        now = after.get(key, (label, BLANK))[1]
        if was != now:
            out.append(Change(label, was, now, f"{prefix}.{key}" if prefix else key))
    return out


def pair(old: Sequence[T], new: Sequence[T], keys: Callable[[T], list[Any]]) -> list[tuple[int | None, int | None]]:
    """Index pairs (old, new): by the first key that matches, then leftovers by place."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for n, item in enumerate(new):
        for key in keys(item):
            hit = next((o for o, cand in enumerate(old) if o not in taken and key and key in keys(cand)), None)
            if hit is not None:
                pairs[n] = hit
                taken.add(hit)
                break
    for n in range(len(new)):
        if n not in pairs and n < len(old) and n not in taken:
            pairs[n] = n
            taken.add(n)
    out: list[tuple[int | None, int | None]] = [(pairs.get(n), n) for n in range(len(new))]
    out += [(o, None) for o in range(len(old)) if o not in taken]
    return out


def _project_keys(project: Project) -> list[Any]:
    return [("code", project.code) if project.code else None, ("name", project.name)]


def _indicator_keys(*sides: Sequence[Indicator]) -> Callable[[Indicator], list[Any]]:
    def keys(indicator: Indicator) -> list[Any]:
        # The n-th indicator of a name pairs with the n-th of that name on the other side.
        own = next((side for side in sides if any(i is indicator for i in side)), ())
        same = [i for i in own if (i.level1, i.level2, i.name) == (indicator.level1, indicator.level2, indicator.name)]
        nth = next((n for n, i in enumerate(same) if i is indicator), 0)
        return [(indicator.level1, indicator.level2, indicator.name, nth)]

    return keys


# ------------------------------------------------------------------ scores


def _reports(checked: Checked, index: int | None) -> dict[str, Report]:
    return {} if index is None else {r.kind: r for r in checked.reports if r.index == index}


def _score_changes(old: dict[str, Report], new: dict[str, Report]) -> list[Change]:
    """What each form kind says a correction did to the project's scores."""
    return [Change(*c) for k in form_kinds() if k.scores is not None for c in k.scores.changes(old.get(k.name), new.get(k.name))]


def _indicator_scores(old: dict[str, Report], new: dict[str, Report], o: int | None, n: int | None) -> list[Change]:
    return [Change(*c) for k in form_kinds() if k.scores is not None for c in k.scores.indicator_changes(old.get(k.name), new.get(k.name), o, n)]


# ------------------------------------------------------------------ findings


def _findings_of(checked: Checked, index: int | None) -> list[Finding]:
    return [] if index is None else checked.project_findings(index)


def _finding_text(finding: Finding) -> str:
    where = f"指标「{finding.indicator}」：" if finding.indicator else ""
    return f"[{finding.severity.label}] {where}{finding.message}"


def _moved(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    appeared = [t for t in dict.fromkeys(new) if t not in old]
    gone = [t for t in dict.fromkeys(old) if t not in new]
    return appeared, gone


# ------------------------------------------------------------------ the whole


def compare(old: Checked, new: Checked, old_label: str = "", new_label: str = "") -> UnitDiff:
    """Everything that differs between two checked versions of a unit."""
    result = UnitDiff(old_label or str(old.path), new_label or str(new.path))
    result.values = _changes(old.unit, new.unit, {"projects"}, "")
    old_projects, new_projects = old.unit.projects, new.unit.projects
    for o, n in pair(old_projects, new_projects, _project_keys):
        before = old_projects[o] if o is not None else None
        after = new_projects[n] if n is not None else None
        status = "changed" if before is not None and after is not None else ("added" if after is not None else "removed")
        diff = ProjectDiff((after or before).name, status)  # type: ignore[union-attr]
        diff.values = _changes(before, after, {"indicators"}, f"projects[{n if n is not None else o}]")
        old_reports, new_reports = _reports(old, o), _reports(new, n)
        diff.indicators = _indicator_diffs(before, after, old_reports, new_reports, n if n is not None else o)
        diff.scores = _score_changes(old_reports, new_reports)
        old_found = [_finding_text(f) for f in _findings_of(old, o)]
        new_found = [_finding_text(f) for f in _findings_of(new, n)]
        diff.appeared, diff.gone = _moved(old_found, new_found)
        if status != "changed" or diff.values or diff.indicators or diff.appeared or diff.gone or diff.score_moved:
            result.projects.append(diff)
    unit_old = [_finding_text(f) for f in old.unit_findings if f.path[:1] != ("projects",)]
    unit_new = [_finding_text(f) for f in new.unit_findings if f.path[:1] != ("projects",)]
    result.appeared, result.gone = _moved(unit_old, unit_new)
    return result


def _indicator_diffs(
    before: Project | None, after: Project | None, old_reports: dict[str, Report], new_reports: dict[str, Report], index: int | None
) -> list[IndicatorDiff]:
    old_list = before.indicators if before else []
    new_list = after.indicators if after else []
    out = []
    for o, n in pair(old_list, new_list, _indicator_keys(old_list, new_list)):
        was = old_list[o] if o is not None else None
        now = new_list[n] if n is not None else None
        shown = now or was
        status = "changed" if was is not None and now is not None else ("added" if now is not None else "removed")
        diff = IndicatorDiff(shown.name, shown.level1, shown.level2, status)  # type: ignore[union-attr]
        diff.values = _changes(was, now, set(), f"projects[{index}].indicators[{n if n is not None else o}]")
        diff.scores = _indicator_scores(old_reports, new_reports, o, n)
        if status != "changed" or diff.values or diff.scores:
            out.append(diff)
    return out
