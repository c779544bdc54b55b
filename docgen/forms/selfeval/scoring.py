"""The 自评表's scores, computed by a rule profile (pure functions, no I/O).

Rounding points (all ROUND_HALF_UP, `Decimal` throughout):
- 执行率 is kept exact for scoring and printed rounded to 0.01% (4 places as a fraction);
- each computed 得分 (indicator or 预算执行) is rounded to 0.01;
- 总分 is the sum of the rounded scores in effect (declared where given, else computed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from docgen.model.unit import Indicator, Project
from docgen.registry.manifest import Profile
from docgen.model.rounding import ZERO, q2, round_rate
from docgen.model.formatting import number_text
from docgen.model.values import SCALES, Blank, Comparator, Quantity, parse_value


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    weight: Decimal | None
    computed: Decimal | None  # None: the rule cannot decide (e.g. qualitative shortfall)
    method: str  # how `computed` came about, in Chinese, for reports
    declared: Decimal | None
    note: str = ""  # the units of target and actual disagree: the rule's guess, reported as 提示

    @property
    def effective(self) -> Decimal | None:
        return self.declared if self.declared is not None else self.computed


@dataclass(frozen=True)
class ExecutionScore:
    weight: Decimal
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None  # exact fraction; None when 全年预算数 is blank or 0
    computed: Decimal | None
    declared_rate: Decimal | None
    declared: Decimal | None

    @property
    def rate_rounded(self) -> Decimal | None:
        return None if self.rate is None else round_rate(self.rate)

    @property
    def effective(self) -> Decimal | None:
        return self.declared if self.declared is not None else self.computed

    @property
    def shown_rate(self) -> Decimal | None:
        """The rate printed on the form: declared where given, else computed."""
        return self.declared_rate if self.declared_rate is not None else self.rate_rounded


@dataclass(frozen=True)
class ProjectScore:
    project: Project
    profile: Profile
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]

    @property
    def weight_total(self) -> Decimal:
        return self.execution.weight + sum((s.weight or ZERO for s in self.indicators), ZERO)

    @property
    def total(self) -> Decimal:
        """Sum of the scores in effect (declared overrides computed)."""
        parts = [self.execution.effective, *(s.effective for s in self.indicators)]
        return q2(sum((p or ZERO for p in parts), ZERO))

    @property
    def computed_total(self) -> Decimal:
        """What the rules alone give, where an indicator needs judgement its declared score."""
        parts = [self.execution.computed, *(s.computed if s.computed is not None else s.declared for s in self.indicators)]
        return q2(sum((p or ZERO for p in parts), ZERO))

    @property
    def declared_total(self) -> Decimal | None:
        return self.project.evaluation.total_score if self.project.evaluation else None

    @property
    def shown_total(self) -> Decimal:
        return self.declared_total if self.declared_total is not None else self.total

    @property
    def grade(self) -> str:
        return self.profile.grade(self.shown_total)


def score_execution(project: Project, profile: Profile) -> ExecutionScore:
    evaluation = project.evaluation
    execution = evaluation.execution if evaluation else None
    weight = execution.weight if execution and execution.weight is not None else profile.execution_weight
    total = evaluation.funds.total if evaluation else None
    budget = total.budget if total else None
    executed = total.executed if total else None
    rate = computed = None
    if budget:
        rate = (executed or ZERO) / budget
        computed = q2(max(min(rate, Decimal(1)), ZERO) * weight)
    return ExecutionScore(
        weight=weight,
        budget=budget,
        executed=executed,
        rate=rate,
        computed=computed,
        declared_rate=execution.rate if execution else None,
        declared=execution.score if execution else None,
    )


def _same_wording(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


_PER_SIGNS = ("%", "‰")


def reconcile(target: Quantity, actual: Quantity) -> tuple[Quantity | None, str]:
    """The actual as the rule compares it with the target, and a note when their units
    disagree (the rule's guess, for a 提示); None when they cannot be compared.

    A bare number against a unit borrows the unit, noted when the unit is % or ‰; a bare
    fraction (0.93) against a percent target above 1 (≥90%) is read as a percentage (93%).
    Scale words are applied exactly (5.2万人次 = 52000人次); for money (万元 against 元)
    the different writing is noted."""
    if target.unit == actual.unit and target.scale == actual.scale:
        return actual, ""
    if target.scale and not actual.unit and not actual.scale:
        return _scaled_guess(target, actual)
    if target.unit == actual.unit:
        if target.unit != "元":
            return actual, ""
        how = f"（{target.written_unit or '无单位'} 与 {actual.written_unit or '无单位'}），已换算为 {number_text(actual.number)}{actual.unit} 比较"
        return actual, f"年度指标值「{target.text}」与实际完成值「{actual.text}」的单位写法不同{how}"
    if not target.unit or not actual.unit:
        if (target.unit or actual.unit) not in _PER_SIGNS:  # =6次 against 6: the unit is plain
            return replace(actual, unit=target.unit or actual.unit), ""
    if target.unit and not actual.unit:
        number = actual.number
        if target.unit == "%" and ZERO < number <= 1 < target.number:
            number = number * 100
        guess = replace(actual, number=number, unit=target.unit)
        return guess, f"实际完成值 {actual.text.strip()} 未带 {target.unit}，按 {number_text(number)}{target.unit} 计？"
    if actual.unit and not target.unit:
        return actual, f"年度指标值 {target.text.strip()} 未带 {actual.unit}，按 {number_text(target.number)}{actual.unit} 计？"
    return None, f"年度指标值「{target.text}」与实际完成值「{actual.text}」的单位不一致（{target.written_unit} 与 {actual.written_unit}），无法按规则计算"


def _scaled_guess(target: Quantity, actual: Quantity) -> tuple[Quantity, str]:
    """A bare number against a target with a scale word (9.5 against ≥9万元): read in the
    target's scale when that is nearer the target than the bare number is, and noted."""
    factor = dict(SCALES)[target.scale]
    number = actual.number
    if number > 0 and target.number > 0:
        near = lambda n: max(n / target.number, target.number / n)  # noqa: E731
        if near(number * factor) < near(number):
            number = number * factor
    guess = replace(actual, number=number, unit=target.unit, scale=target.scale)
    shown = f"{number_text(number / factor)}{target.written_unit}" if number != actual.number else f"{number_text(number)}{target.unit}"
    return guess, f"实际完成值 {actual.text.strip()} 未带单位（年度指标值为 {target.text.strip()}），按 {shown} 计？"


def unit_note(target_text: str, actual_text: str) -> str:
    """The note `reconcile` makes for these texts ("" when the units agree)."""
    target, actual = parse_value(target_text), parse_value(actual_text)
    if not (isinstance(target, Quantity) and isinstance(actual, Quantity)) or _same_wording(target_text, actual_text):
        return ""
    return reconcile(target, actual)[1]


def compute_indicator(target_text: str, actual_text: str, weight: Decimal) -> tuple[Decimal | None, str]:
    """The rule score of one indicator and how it was reached."""
    target, actual = parse_value(target_text), parse_value(actual_text)
    if isinstance(actual, Blank):
        return ZERO, "实际完成值为空，计 0 分"
    if _same_wording(target_text, actual_text):
        return weight, "实际完成值与目标一致，得满分"
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        compared, note = reconcile(target, actual)
        if compared is None:
            return None, f"单位不一致（{target.unit or '无'} 与 {actual.unit or '无'}），无法按规则计算"
        t, a = target.number, compared.number
        if target.comparator.reverse:
            met = a < t if target.comparator is Comparator.LT else a <= t
            if met:
                return weight, "反向指标达标，得满分"
            if t <= 0:  # then 目标/实际 is no share of the target (a division by 0, or above 1)
                return None, "反向指标的目标不是正数且未达标，无法按规则计算"
            return q2(min(t / a, Decimal(1)) * weight), f"反向指标未达标：目标/实际×分值 = {t}/{a}×{weight}"
        if t == 0:
            if a <= 0:
                return weight, "目标为 0，实际 ≤ 0，得满分"
            return ZERO, "目标为 0，实际大于 0，计 0 分"
        if t < 0:
            return None, "目标为负数，无法按规则计算"
        met = a > t if target.comparator is Comparator.GT else a >= t
        if met:
            return weight, "达到目标，得满分"
        return q2(max(min(a / t, Decimal(1)), ZERO) * weight), f"未达目标：实际/目标×分值 = {a}/{t}×{weight}"
    return None, "定性指标与目标表述不一致，须填写得分"


def score_indicator(indicator: Indicator) -> IndicatorScore:
    weight = indicator.weight
    if weight is None:
        computed, method = None, "未填写分值"
    else:
        computed, method = compute_indicator(indicator.scored_target, indicator.actual, weight)
    note = unit_note(indicator.scored_target, indicator.actual)
    return IndicatorScore(indicator=indicator, weight=weight, computed=computed, method=method, declared=indicator.score, note=note)


def score_project(project: Project, profile: Profile) -> ProjectScore:
    return ProjectScore(
        project=project,
        profile=profile,
        execution=score_execution(project, profile),
        indicators=tuple(score_indicator(i) for i in project.indicators),
    )
