"""Stage 3b: consistency checks of a unit's self-evaluation (pure functions, no I/O).

Every finding names the project and, where there is one, the indicator in the
user's words, plus the field path so the CLI can point at the line.

Severity:
- error: a fact on the form is wrong or missing (sums, rates, totals, 分值 > 100,
  得分 > 分值, a shortfall without reason, taxonomy, duplicates, a score the rules
  cannot produce and nobody declared);
- warning: a declared indicator 得分 differs from the rule (allowed: the declared
  score is what the unit signs for, but the finance bureau will ask).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from .models import FundsLine, Indicator, Unit
from .formatting import number_text, percent_text
from .registry import FormVersion, Profile
from .scoring import ZERO, ProjectScore, q2, score_project

FieldPath = tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    project: str
    message: str
    indicator: str = ""
    path: FieldPath = field(default_factory=tuple)

    def where(self) -> str:
        return f"项目「{self.project}」" + (f"指标「{self.indicator}」" if self.indicator else "")

    def __str__(self) -> str:
        return f"[{self.severity.label}] {self.where()}：{self.message}"


def fmt(value: Decimal | None) -> str:
    return number_text(value, blank="空")


def fmt_rate(rate: Decimal | None) -> str:
    return percent_text(rate, blank="空")


_FUNDS_ROWS = {"fiscal": "其中：当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}
_FUNDS_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


def _check_funds(score: ProjectScore, base: FieldPath) -> list[Finding]:
    funds = score.project.evaluation.funds
    name = score.project.name
    out = []
    for column, label in _FUNDS_COLUMNS.items():
        total = getattr(funds.total, column)
        parts: list[Decimal | None] = [getattr(getattr(funds, row), column) for row in _FUNDS_ROWS]
        if total is None and all(p is None for p in parts):
            continue
        summed = sum((p or ZERO for p in parts), ZERO)
        if (total or ZERO) != summed:
            out.append(
                Finding(
                    Severity.ERROR,
                    "funds-sum",
                    name,
                    f"项目资金「{label}」不平衡：年度资金总额 {fmt(total)}，"
                    f"当年财政拨款 + 上年结转资金 + 其他资金 = {fmt(summed)}",
                    path=base + ("funds", "total", column),
                )
            )
    total: FundsLine = funds.total
    if total.executed is not None and total.budget is not None and total.executed > total.budget:
        out.append(
            Finding(
                Severity.WARNING,
                "executed-over-budget",
                name,
                f"全年执行数 {fmt(total.executed)} 超过全年预算数 {fmt(total.budget)}（执行率按 100% 计分）",
                path=base + ("funds", "total", "executed"),
            )
        )
    return out


def _check_execution(score: ProjectScore, base: FieldPath) -> list[Finding]:
    ex = score.execution
    name = score.project.name
    path = base + ("execution",)
    out = []
    if ex.rate is None:
        out.append(
            Finding(Severity.ERROR, "rate-missing", name, "全年预算数为空或为 0，无法计算预算执行率", path=base + ("funds", "total", "budget"))
        )
        return out
    if ex.declared_rate is not None and ex.declared_rate != ex.rate_rounded:
        out.append(
            Finding(
                Severity.ERROR,
                "rate-mismatch",
                name,
                f"执行率填报为 {fmt_rate(ex.declared_rate)}，按 全年执行数/全年预算数 = "
                f"{fmt(ex.executed or ZERO)}/{fmt(ex.budget)} 应为 {fmt_rate(ex.rate)}",
                path=path + ("rate",),
            )
        )
    if ex.declared is not None and ex.declared != ex.computed:
        out.append(
            Finding(
                Severity.ERROR,
                "execution-score-mismatch",
                name,
                f"预算执行率得分填报为 {fmt(ex.declared)}，按 min(执行率 {fmt_rate(ex.rate)}, 100%) × 分值 {fmt(ex.weight)} "
                f"应为 {fmt(ex.computed)}",
                path=path + ("score",),
            )
        )
    if ex.declared is not None and ex.declared > ex.weight:
        out.append(
            Finding(Severity.ERROR, "score-over-weight", name, f"预算执行率得分 {fmt(ex.declared)} 超过分值 {fmt(ex.weight)}", path=path + ("score",))
        )
    return out


def indicator_list_findings(
    project: str, indicators: list[Indicator], taxonomy: dict[str, tuple[str, ...]], rules: str, base: FieldPath
) -> list[Finding]:
    """Taxonomy and duplicate checks: the same for every form that lists indicators."""
    out = []
    seen: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        path = base + ("indicators", i)

        def add(code: str, message: str, leaf: str) -> None:
            out.append(Finding(Severity.ERROR, code, project, message, indicator=ind.name, path=path + (leaf,)))

        if ind.name in seen:
            add("duplicate-indicator", f"三级指标重复（与第 {seen[ind.name] + 1} 个指标同名）", "name")
        else:
            seen[ind.name] = i
        allowed = taxonomy.get(ind.level1)
        if allowed is None:
            add("taxonomy", f"一级指标「{ind.level1}」不在规则「{rules}」的指标体系中（允许：{'、'.join(taxonomy)}）", "level1")
        elif ind.level2 not in allowed:
            add("taxonomy", f"二级指标「{ind.level2}」不属于一级指标「{ind.level1}」（允许：{'、'.join(allowed)}）", "level2")
    return out


def _check_indicators(score: ProjectScore, profile: Profile, base: FieldPath) -> list[Finding]:
    name = score.project.name
    out = indicator_list_findings(name, [s.indicator for s in score.indicators], profile.taxonomy, profile.name, base)
    for i, s in enumerate(score.indicators):
        ind = s.indicator
        path = base + ("indicators", i)

        def add(severity: Severity, code: str, message: str, leaf: str | None = None) -> None:
            out.append(Finding(severity, code, name, message, indicator=ind.name, path=path + ((leaf,) if leaf else ())))

        if s.weight is None:
            add(Severity.ERROR, "weight-missing", "未填写分值", "weight")
            continue
        if s.computed is None and s.declared is None:
            add(Severity.ERROR, "score-required", f"{s.method}（目标「{ind.scored_target}」，实际「{ind.actual}」）", "score")
        if s.declared is not None and s.computed is not None and s.declared != q2(s.computed):
            add(
                Severity.WARNING,
                "score-mismatch",
                f"得分填报为 {fmt(s.declared)}，按规则应为 {fmt(s.computed)}（{s.method}）",
                "score",
            )
        if ind.tier is not None and s.effective is not None and s.weight:
            low, high = profile.tiers[ind.tier]
            share = s.effective / s.weight * 100
            upper_ok = share <= high if high >= 100 else share < high
            if not (share >= low and upper_ok):
                add(
                    Severity.ERROR,
                    "tier-band",
                    f"完成档次「{ind.tier}」的得分应在分值的 {fmt(low)}%–{fmt(high)}% 之间，"
                    f"而得分 {fmt(s.effective)} 是分值 {fmt(s.weight)} 的 {fmt(q2(share))}%",
                    "score",
                )
        if s.effective is not None and s.effective > s.weight:
            add(Severity.ERROR, "score-over-weight", f"得分 {fmt(s.effective)} 超过分值 {fmt(s.weight)}", "score")
        elif s.effective is not None and s.effective < s.weight and not ind.deviation.strip():
            add(
                Severity.ERROR,
                "deviation-missing",
                f"得分 {fmt(s.effective)} 低于分值 {fmt(s.weight)}，但未填写偏差原因分析及改进措施",
                "deviation",
            )
    return out


def check_project(score: ProjectScore, index: int) -> list[Finding]:
    base: FieldPath = ("projects", index, "evaluation")
    profile = score.profile
    name = score.project.name
    out = _check_funds(score, base) + _check_execution(score, base)
    out += _check_indicators(score, profile, ("projects", index))
    if score.weight_total != profile.total_weight:
        out.append(
            Finding(
                Severity.ERROR,
                "weights-total",
                name,
                f"分值合计为 {fmt(score.weight_total)}（预算执行率 {fmt(score.execution.weight)} + 绩效指标 "
                f"{fmt(score.weight_total - score.execution.weight)}），应为 {fmt(profile.total_weight)}",
                path=("projects", index, "indicators"),
            )
        )
    declared = score.declared_total
    if declared is not None and declared != score.total:
        out.append(
            Finding(
                Severity.ERROR,
                "total-mismatch",
                name,
                f"总分填报为 {fmt(declared)}，各项得分合计为 {fmt(score.total)}",
                path=base + ("total_score",),
            )
        )
    return out


def check_amount_unit(unit: Unit, index: int, version: FormVersion) -> list[Finding]:
    """A version printed in 元 cannot take amounts in 万元 without every figure being off."""
    if version.amount_unit and unit.amount_unit != version.amount_unit:
        return [
            Finding(
                Severity.ERROR,
                "amount-unit",
                unit.projects[index].name,
                f"「{version.kind_title} {version.version}」以「{version.amount_unit}」为金额单位，单位文件写的是「{unit.amount_unit}」",
                path=("amount_unit",),
            )
        ]
    return []


class CountsFindings:
    """Mixin for reports: how many of their `findings` have a given severity."""

    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass(frozen=True)
class ProjectReport(CountsFindings):
    index: int
    score: ProjectScore
    findings: tuple[Finding, ...]
    version: FormVersion | None = None  # the 自评表 version it renders with


def evaluate_project(unit: Unit, index: int, profile: Profile, version: FormVersion | None = None) -> ProjectReport:
    """Score project `index` by `profile` and check it (against `version` too, when given)."""
    score = score_project(unit.projects[index], profile)
    findings = (check_amount_unit(unit, index, version) if version else []) + check_project(score, index)
    return ProjectReport(index=index, score=score, findings=tuple(findings), version=version)


def check_unit(unit: Unit, profile: Profile) -> list[ProjectReport]:
    """Score and check every project that has an evaluation, in file order."""
    return [evaluate_project(unit, i, profile) for i, p in enumerate(unit.projects) if p.evaluation is not None]
