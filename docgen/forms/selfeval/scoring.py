"""The 自评表's scores: an interpreter of the project's rule profile (pure functions, no
I/O).  Every rule comes from the profile (`docgen/profiles/schema.py`); `Decimal`
throughout, rounded by the profile's `rounding` (shanghai-2022: half up) at these points:
- 执行率 is kept exact for scoring (unless `rate_for_score: printed`) and printed rounded
  to `rate_places` of a percentage (0.01%: 4 places as a fraction);
- each computed 得分 (indicator or 预算执行) is rounded to `score_places` (0.01), after
  any rescaling of indicators that do not apply;
- 总分 is the sum of the rounded scores in effect (declared where given, else computed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from docgen.forms.selfeval.model import scored_target
from docgen.model.formatting import number_text
from docgen.model.rounding import ZERO, q2, round_places
from docgen.model.unit import Indicator, Project
from docgen.model.values import SCALES, Blank, Comparator, Quantity, parse_value
from docgen.registry.profiles.schema import ROUNDING_MODES, TIERS, Formula, ProfileRules
from docgen.registry.profiles.store import Profile


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    weight: Decimal | None
    computed: Decimal | None  # None: the rule cannot decide (e.g. qualitative shortfall)
    method: str  # how `computed` came about, in Chinese, for reports
    declared: Decimal | None
    note: str = ""  # the units of target and actual disagree: the rule's guess, reported as 提示
    factor: Decimal = Decimal(1)  # the rescaling for indicators marked 不适用 (profile `not_applicable`)
    tier: str | None = None  # the 完成档次: declared, or the tier word standing in 实际完成值
    applicable: bool = True  # False: 不适用, dropped and the others rescaled

    @property
    def effective(self) -> Decimal | None:
        return self.declared if self.declared is not None else self.computed

    @property
    def points(self) -> Decimal | None:
        """The 分值 the indicator is worth after rescaling (its 分值 when nothing is rescaled)."""
        if self.weight is None:
            return None
        return self.weight if self.factor == 1 else self.weight * self.factor


@dataclass(frozen=True)
class ExecutionScore:
    weight: Decimal
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None  # exact fraction; None when 全年预算数 is blank or 0
    computed: Decimal | None
    declared_rate: Decimal | None
    declared: Decimal | None
    rate_places: int = 4  # places of the rate as a fraction (the profile's rate_places + 2)
    rounding: str = ROUNDING_MODES["half_up"]
    initial: Decimal | None = None  # 年初预算数
    adjusted: Decimal | None = None  # 全年（调整后）预算数

    @property
    def rate_rounded(self) -> Decimal | None:
        return None if self.rate is None else round_places(self.rate, self.rate_places, self.rounding)

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


_DENOMINATOR = {"年初": "initial", "调整后": "budget", "全年": "budget"}


def _rounder(rules: ProfileRules) -> Callable[[Decimal], Decimal]:
    mode, places = ROUNDING_MODES[rules.rounding.mode], rules.rounding.score_places
    return lambda value: round_places(value, places, mode)


def execution_share(rate: Decimal, rules: ProfileRules, weight: Decimal) -> Decimal:
    """The 预算执行 score before rounding, from a rate (a fraction) by the profile."""
    ex = rules.execution
    counted = min(rate, Decimal(1)) if ex.cap else rate
    counted = max(counted, ZERO)
    if ex.formula == "bands":
        percent = counted * 100
        bands = sorted(ex.bands, key=lambda b: b.low)
        for band in reversed(bands):
            if percent >= band.low:
                return band.points if weight == ex.weight else band.points * weight / ex.weight
        return bands[0].points
    return counted * weight


def score_execution(project: Project, profile: Profile) -> ExecutionScore:
    rules = profile.rules
    evaluation = project.evaluation
    execution = evaluation.execution if evaluation else None
    weight = execution.weight if execution and execution.weight is not None else profile.execution_weight
    total = evaluation.funds.total if evaluation else None
    budget = getattr(total, _DENOMINATOR[rules.execution.denominator]) if total else None
    executed = total.executed if total else None
    places, mode = rules.rounding.rate_places + 2, ROUNDING_MODES[rules.rounding.mode]
    rate = computed = None
    if budget:
        rate = (executed or ZERO) / budget
        used = round_places(rate, places, mode) if rules.rounding.rate_for_score == "printed" else rate
        computed = _rounder(rules)(execution_share(used, rules, weight))
    return ExecutionScore(
        weight=weight,
        budget=budget,
        executed=executed,
        rate=rate,
        computed=computed,
        declared_rate=execution.rate if execution else None,
        declared=execution.score if execution else None,
        rate_places=places,
        rounding=mode,
        initial=total.initial if total else None,
        adjusted=total.budget if total else None,
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


NOT_APPLICABLE = "不适用"
_SHANGHAI = ProfileRules.model_validate(
    {
        "execution": {"weight": 10},
        "qualitative": {"tiers": {"达成": [80, 100], "部分达成": [60, 80], "未达成": [0, 60]}},
        "grades": {"优": [90, 100], "良": [80, 90], "中": [60, 80], "差": [0, 60]},
        "taxonomy": {"产出指标": ["数量指标"]},
    }
)  # the defaults of every field: the rules of shanghai-2022, for callers without a profile


def _shortfall(formula: Formula, share: Decimal) -> Decimal:
    """The share of 分值 a target missed by `share` (actual/target, or target/actual for a
    reverse one, below 1) earns by `formula`."""
    if formula.formula == "all_or_nothing":
        return ZERO
    if formula.formula == "linear":
        assert formula.k is not None
        return max(ZERO, 1 - (1 - share) / (formula.k - 1))
    return max(min(share, Decimal(1)), ZERO)


def _linear_reverse(formula: Formula, t: Decimal, a: Decimal) -> Decimal:
    assert formula.k is not None
    return max(ZERO, 1 - (a - t) / ((formula.k - 1) * t))


def _raw_indicator(target_text: str, actual_text: str, weight: Decimal, rules: ProfileRules) -> tuple[Decimal | None, str, bool]:
    """The score of one indicator before rounding, how it was reached, and whether it was
    computed by a formula (rounded then) rather than given whole (分值 or 0)."""
    target, actual = parse_value(target_text), parse_value(actual_text)
    ind = rules.indicators
    if isinstance(actual, Blank):
        return (ZERO, "实际完成值为空，计 0 分", False)
    if _same_wording(target_text, actual_text):
        return (weight, "实际完成值与目标一致，得满分", False)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        compared, note = reconcile(target, actual)
        if compared is None:
            return (None, f"单位不一致（{target.unit or '无'} 与 {actual.unit or '无'}），无法按规则计算", False)
        t, a = target.number, compared.number
        if target.comparator.reverse:
            formula = ind.reverse
            met = a < t if target.comparator is Comparator.LT else a <= t
            if met:
                if ind.over_achievement and formula.formula == "ratio" and a > 0 and t > 0:
                    return (t / a * weight, f"反向指标超额完成：目标/实际×分值 = {t}/{a}×{weight}", True)
                return (weight, "反向指标达标，得满分", False)
            if formula.formula == "all_or_nothing":
                return (ZERO, "反向指标未达标，计 0 分", False)
            if t <= 0:  # then 目标/实际 is no share of the target (a division by 0, or above 1)
                return (None, "反向指标的目标不是正数且未达标，无法按规则计算", False)
            if formula.formula == "linear":
                return (
                    _linear_reverse(formula, t, a) * weight,
                    f"反向指标未达标：按线性递减，实际达到目标的 {formula.k} 倍时为 0 分（目标 {t}，实际 {a}）",
                    True,
                )
            return (min(t / a, Decimal(1)) * weight, f"反向指标未达标：目标/实际×分值 = {t}/{a}×{weight}", True)
        if t == 0:
            if a <= 0:
                return (weight, "目标为 0，实际 ≤ 0，得满分", False)
            return (ZERO, "目标为 0，实际大于 0，计 0 分", False)
        if t < 0:
            return (None, "目标为负数，无法按规则计算", False)
        formula = ind.positive
        met = a > t if target.comparator is Comparator.GT else a >= t
        if met:
            if ind.over_achievement and formula.formula == "ratio" and a > t:
                return (a / t * weight, f"超额完成：实际/目标×分值 = {a}/{t}×{weight}", True)
            return (weight, "达到目标，得满分", False)
        if formula.formula == "all_or_nothing":
            return (ZERO, "未达目标，计 0 分", False)
        if formula.formula == "linear":
            k = formula.k
            assert k is not None  # the schema requires k for linear
            return (
                _shortfall(formula, a / t) * weight,
                f"未达目标：按线性递减，偏离达到目标的 {k - 1} 倍（{k - 1}×{t}）时为 0 分（目标 {t}，实际 {a}）",
                True,
            )
        return (_shortfall(formula, a / t) * weight, f"未达目标：实际/目标×分值 = {a}/{t}×{weight}", True)
    if rules.qualitative.tier_as_actual and actual_text.strip() in TIERS:
        low, high = rules.qualitative.tiers[actual_text.strip()]
        return (None, f"实际完成值为完成档次「{actual_text.strip()}」，须在分值的 {number_text(low)}%–{number_text(high)}% 之间填写得分", False)
    return (None, "定性指标与目标表述不一致，须填写得分", False)


def compute_indicator(target_text: str, actual_text: str, weight: Decimal, rules: ProfileRules | None = None) -> tuple[Decimal | None, str]:
    """The rule score of one indicator and how it was reached (`rules`: the profile's,
    by default those of shanghai-2022)."""
    rules = rules or _SHANGHAI
    raw, method, formula = _raw_indicator(target_text, actual_text, weight, rules)
    return (_rounder(rules)(raw) if raw is not None and formula else raw), method


def is_not_applicable(indicator: Indicator) -> bool:
    return "".join(indicator.actual.split()) == NOT_APPLICABLE


def _tier(indicator: Indicator, rules: ProfileRules) -> str | None:
    if indicator.tier is not None:
        return indicator.tier
    word = indicator.actual.strip()
    return word if rules.qualitative.tier_as_actual and word in TIERS else None


def _factors(indicators: list[Indicator], rules: ProfileRules) -> list[Decimal]:
    """Per indicator, the factor its score is rescaled by when indicators marked 不适用 are
    dropped (`not_applicable: section`: to the points of its 一级指标; `total`: to the
    points of all indicators)."""
    one = Decimal(1)
    if rules.not_applicable == "none" or not any(is_not_applicable(i) for i in indicators):
        return [one] * len(indicators)

    def group(ind: Indicator) -> str:
        return ind.level1 if rules.not_applicable == "section" else ""

    whole: dict[str, Decimal] = {}
    kept: dict[str, Decimal] = {}
    for ind in indicators:
        whole[group(ind)] = whole.get(group(ind), ZERO) + (ind.weight or ZERO)
        if not is_not_applicable(ind):
            kept[group(ind)] = kept.get(group(ind), ZERO) + (ind.weight or ZERO)
    out = []
    for ind in indicators:
        g = group(ind)
        out.append(ZERO if is_not_applicable(ind) else (whole[g] / kept[g] if kept.get(g) else one))
    return out


def score_indicator(indicator: Indicator, profile: Profile | None = None, factor: Decimal = Decimal(1)) -> IndicatorScore:
    rules = profile.rules if profile is not None else _SHANGHAI
    weight = indicator.weight
    applicable = not (rules.not_applicable != "none" and is_not_applicable(indicator))
    if weight is None:
        computed, method = None, "未填写分值"
    elif not applicable:
        computed, method = ZERO, f"指标不适用，不计分（其余指标按比例折算到{'本一级指标' if rules.not_applicable == 'section' else '全部指标'}的分值）"
    else:
        raw, method, formula = _raw_indicator(scored_target(indicator), indicator.actual, weight, rules)
        computed = _rounder(rules)(raw * factor) if raw is not None and (formula or factor != 1) else raw
        if factor != 1 and raw is not None:
            method += f"；因有不适用的指标，按 {number_text(q2(factor * 100))}% 折算"
    note = unit_note(scored_target(indicator), indicator.actual)
    return IndicatorScore(
        indicator=indicator,
        weight=weight,
        computed=computed,
        method=method,
        declared=indicator.score,
        note=note,
        factor=factor if applicable else ZERO,
        tier=_tier(indicator, rules),
        applicable=applicable,
    )


def score_project(project: Project, profile: Profile) -> ProjectScore:
    factors = _factors(project.indicators, profile.rules)
    return ProjectScore(
        project=project,
        profile=profile,
        execution=score_execution(project, profile),
        indicators=tuple(score_indicator(i, profile, f) for i, f in zip(project.indicators, factors)),
    )
