"""What a correction changed: two checked versions of a unit compared by project and
indicator, with the effect on 得分, 总分 and 等级 and the findings that appeared or went
away.  Pure: no I/O; the CLI prints the result as text or JSON.

Projects pair up by 项目编码, else by 项目名称, and what is left over by its place in
the file (so a corrected name reads as a change, not as one project gone and another
new); indicators pair up the same way by 一级/二级/三级指标.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

from pydantic import BaseModel

from .formatting import number_text, percent_text
from .models import Indicator, Project

if TYPE_CHECKING:
    from .api import Checked
    from .checks import Finding
    from .scoring import IndicatorScore, ProjectScore

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


def flatten(model: BaseModel, skip: set[str] = frozenset(), label: str = "", path: str = "") -> dict[str, tuple[str, str]]:
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


def _num(value: Decimal | None) -> str:
    return number_text(value, "—")


def _score_changes(old: ProjectScore | None, new: ProjectScore | None) -> list[Change]:
    """执行率, 预算执行得分, 总分, 规则计算总分 and 等级: every one, moved or not, so a
    reader sees that a correction left the total alone as clearly as that it moved it."""
    if old is None and new is None:
        return []

    def pick(score: ProjectScore | None, get: Callable[[ProjectScore], str]) -> str:
        return get(score) if score is not None else "—"

    rows = [
        ("执行率", lambda s: percent_text(s.execution.shown_rate, "—")),
        ("预算执行得分", lambda s: _num(s.execution.effective)),
        ("总分", lambda s: _num(s.shown_total)),
        ("规则计算总分", lambda s: _num(s.computed_total)),
        ("等级", lambda s: s.grade),
    ]
    out = [Change(label, pick(old, get), pick(new, get)) for label, get in rows]
    # 执行率 and 规则计算总分 only matter when they moved; 总分 and 等级 always show.
    return [c for c in out if c.old != c.new or c.label in ("总分", "等级")]


def _indicator_scores(old: IndicatorScore | None, new: IndicatorScore | None) -> list[Change]:
    out = []
    for label, get in (("得分", lambda s: s.effective), ("规则计算得分", lambda s: s.computed)):
        was = _num(get(old)) if old is not None else "—"
        now = _num(get(new)) if new is not None else "—"
        if was != now:
            out.append(Change(label, was, now))
    return out


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
    old_scores = {r.index: r.score for r in old.reports}
    new_scores = {r.index: r.score for r in new.reports}
    old_projects, new_projects = old.unit.projects, new.unit.projects
    for o, n in pair(old_projects, new_projects, _project_keys):
        before = old_projects[o] if o is not None else None
        after = new_projects[n] if n is not None else None
        status = "changed" if before is not None and after is not None else ("added" if after is not None else "removed")
        diff = ProjectDiff((after or before).name, status)  # type: ignore[union-attr]
        diff.values = _changes(before, after, {"indicators"}, f"projects[{n if n is not None else o}]")
        old_score, new_score = old_scores.get(o) if o is not None else None, new_scores.get(n) if n is not None else None
        diff.indicators = _indicator_diffs(before, after, old_score, new_score, n if n is not None else o)
        diff.scores = _score_changes(old_score, new_score)
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
    before: Project | None, after: Project | None, old_score: ProjectScore | None, new_score: ProjectScore | None, index: int | None
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
        old_is = old_score.indicators[o] if old_score is not None and o is not None else None
        new_is = new_score.indicators[n] if new_score is not None and n is not None else None
        diff.scores = _indicator_scores(old_is, new_is)
        if status != "changed" or diff.values or diff.scores:
            out.append(diff)
    return out
