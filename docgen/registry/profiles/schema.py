"""A scoring rule profile as data: the pydantic schema every profile (shipped in
`templates/manifest.yaml` / `templates/profiles/*.yaml`, or a bureau's own file) must
match, with unknown keys forbidden and every band and weight checked.

The fields (documented for users in docs/scoring.md):

- `description`, `total_weight` (100);
- `execution`: the 预算执行 row: `weight`, `denominator` (年初 / 调整后 / 全年: the budget
  column the rate divides by), `formula` (`ratio`: rate × weight; `bands`: a table of rate
  ranges and points), `cap` (the rate counts at most 100 %), `bands`;
- `level1_weights` (一级指标 -> 分值) and `level1_weights_binding` (a fixed split, or a
  suggested one reported as 提示);
- `indicators`: `positive` / `reverse` / `zero_target` formulas, each one of `FORMULAS`,
  and `over_achievement` (a score may exceed the weight);
- `qualitative`: `tiers` (tier -> [low %, high %] of 分值) and `tier_as_actual`;
- `rounding`: `mode`, `score_places`, `rate_places`, `rate_for_score`;
- `grades` (grade -> [low, high] of the total);
- `not_applicable` (an indicator whose 实际完成值 is 不适用: `none`, `section`, `total`);
- `reasons`: `execution_below`, `deviation_above`, `budget_adjusted`, `below_weight`;
- `taxonomy` (一级指标 -> its 二级指标).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMULAS = {
    "ratio": "按比例：正向 实际/目标 × 分值，反向 目标/实际 × 分值",
    "linear": "线性递减：偏离目标越多得分越少，偏离达到 (k − 1) × 目标时为 0",
    "all_or_nothing": "达标得满分，未达标 0 分",
}
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
ROUNDING_WORDS = {"half_up": "四舍五入", "half_even": "四舍六入五成双", "down": "舍去"}
TIERS = ("达成", "部分达成", "未达成")  # the words models.Tier allows


class ProfileError(ValueError):
    """One mistake in a profile, at `path` (inside the profile) in Chinese."""

    def __init__(self, path: tuple[str | int, ...], text: str):
        super().__init__(text)
        self.path, self.text = path, text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("应为数字")
    if isinstance(value, float):  # never from docgen's loader (floats are Decimal there)
        return Decimal(str(value))
    return value


class Formula(_Strict):
    formula: Literal["ratio", "linear", "all_or_nothing"] = Field(title="计分公式")
    k: Decimal | None = Field(None, title="线性递减的倍数 k", description="linear：偏离达到 (k − 1) × 目标时得 0 分，须大于 1")

    _num = field_validator("k", mode="before")(_number)

    @model_validator(mode="after")
    def _k(self) -> Formula:
        if self.formula == "linear" and (self.k is None or self.k <= 1):
            raise ProfileError(("k",), "linear（线性递减）须给出大于 1 的 k")
        if self.formula != "linear" and self.k is not None:
            raise ProfileError(("k",), f"只有 linear 公式有 k，{self.formula} 没有")
        return self


class ExecutionBand(_Strict):
    low: Decimal = Field(title="执行率下限 %（含）")
    high: Decimal = Field(title="执行率上限 %（不含；最后一档含）")
    points: Decimal = Field(title="得分")

    _num = field_validator("low", "high", "points", mode="before")(_number)


class ExecutionRule(_Strict):
    weight: Decimal = Field(title="预算执行分值")
    denominator: Literal["年初", "调整后", "全年"] = Field("全年", title="执行率的分母（预算数列）")
    formula: Literal["ratio", "bands"] = Field("ratio", title="计分方式")
    cap: bool = Field(True, title="执行率按不超过 100% 计分")
    bands: tuple[ExecutionBand, ...] = Field((), title="分档表（formula: bands）")

    _num = field_validator("weight", mode="before")(_number)


class IndicatorRules(_Strict):
    positive: Formula = Field(Formula(formula="ratio"), title="正向指标（=、≥、>）")
    reverse: Formula = Field(Formula(formula="ratio"), title="反向指标（≤、<）")
    zero_target: Formula = Field(Formula(formula="all_or_nothing"), title="目标为 0 的指标")
    over_achievement: bool = Field(False, title="超额完成可得超过分值的分")


class QualitativeRules(_Strict):
    tiers: dict[str, tuple[Decimal, Decimal]] = Field(title="完成档次 -> 分值的 [下限 %, 上限 %]")
    tier_as_actual: bool = Field(False, title="实际完成值可直接写档次（达成 / 部分达成 / 未达成）")


class Rounding(_Strict):
    mode: Literal["half_up", "half_even", "down"] = Field("half_up", title="舍入方式")
    score_places: int = Field(2, ge=0, le=6, title="得分保留的小数位")
    rate_places: int = Field(2, ge=0, le=6, title="执行率（百分数）保留的小数位")
    rate_for_score: Literal["exact", "printed"] = Field("exact", title="得分按精确执行率还是印出的执行率计算")


class Reasons(_Strict):
    execution_below: Decimal | None = Field(None, title="执行率低于此 % 须说明原因")
    deviation_above: Decimal | None = Field(None, title="完成值偏离目标超过此 % 须说明原因")
    budget_adjusted: bool = Field(False, title="年中调整预算（年初预算数 ≠ 调整后预算数）须说明原因")
    below_weight: bool = Field(True, title="得分低于分值须填写偏差原因")

    _num = field_validator("execution_below", "deviation_above", mode="before")(_number)


class ProfileRules(_Strict):
    """The body of one profile (its name is its key in the manifest, or its file's stem)."""

    description: str = Field("", title="说明")
    total_weight: Decimal = Field(Decimal(100), title="总分值")
    execution: ExecutionRule = Field(title="预算执行")
    level1_weights: dict[str, Decimal] = Field(default_factory=dict, title="一级指标分值")
    level1_weights_binding: bool = Field(True, title="一级指标分值为固定（否则为建议）")
    indicators: IndicatorRules = Field(IndicatorRules(), title="定量指标计分")
    qualitative: QualitativeRules = Field(title="定性指标")
    rounding: Rounding = Field(Rounding(), title="舍入")
    grades: dict[str, tuple[Decimal, Decimal]] = Field(title="等级 -> 总分的 [下限, 上限]")
    not_applicable: Literal["none", "section", "total"] = Field("none", title="不适用的指标")
    reasons: Reasons = Field(Reasons(), title="须说明原因的情形")
    taxonomy: dict[str, tuple[str, ...]] = Field(title="指标体系（一级 -> 二级）")

    _num = field_validator("total_weight", mode="before")(_number)

    @model_validator(mode="after")
    def _consistent(self) -> ProfileRules:
        check_profile(self)
        return self


def _bands(path: tuple[str | int, ...], bands: list[tuple[str, Decimal, Decimal]], top: Decimal, what: str) -> None:
    """Bands [low, high) that together cover 0..top once: no gap, no overlap."""
    ordered = sorted(bands, key=lambda b: (b[1], b[2]))
    for name, low, high in ordered:
        if low >= high:
            raise ProfileError(path + (name,), f"{what}「{name}」的下限 {low} 不小于上限 {high}")
    first, last = ordered[0], ordered[-1]
    if first[1] != 0:
        raise ProfileError(path + (first[0],), f"{what}从 {first[1]} 起，0 到 {first[1]} 之间没有档次（应从 0 开始）")
    if last[2] != top:
        raise ProfileError(path + (last[0],), f"{what}止于 {last[2]}，应止于 {top}")
    for (a, _, a_high), (b, b_low, _) in zip(ordered, ordered[1:]):
        if a_high < b_low:
            raise ProfileError(path + (b,), f"{what}「{a}」止于 {a_high}，「{b}」从 {b_low} 起：{a_high} 到 {b_low} 之间没有档次")
        if a_high > b_low:
            raise ProfileError(path + (b,), f"{what}「{a}」止于 {a_high}，「{b}」从 {b_low} 起：两档重叠")


def check_profile(rules: ProfileRules) -> None:
    """Bands without gaps or overlaps, weights that add up, names the schema knows."""
    ex = rules.execution
    if ex.formula == "bands":
        if not ex.bands:
            raise ProfileError(("execution", "bands"), "formula 为 bands（分档）时须给出 bands 分档表")
        _bands(("execution", "bands"), [(str(i), b.low, b.high) for i, b in enumerate(ex.bands)], Decimal(100), "执行率分档")
        for i, band in enumerate(ex.bands):
            if band.points > ex.weight or band.points < 0:
                raise ProfileError(("execution", "bands", i, "points"), f"执行率分档的得分 {band.points} 应在 0 到分值 {ex.weight} 之间")
    elif ex.bands:
        raise ProfileError(("execution", "bands"), "只有 formula: bands 才用分档表（formula 为 ratio）")
    if ex.weight < 0 or ex.weight > rules.total_weight:
        raise ProfileError(("execution", "weight"), f"预算执行分值 {ex.weight} 应在 0 到总分值 {rules.total_weight} 之间")
    if rules.level1_weights:
        unknown = [k for k in rules.level1_weights if k not in rules.taxonomy]
        if unknown:
            raise ProfileError(("level1_weights", unknown[0]), f"一级指标「{unknown[0]}」不在指标体系 taxonomy 中（有：{'、'.join(rules.taxonomy)}）")
        summed = ex.weight + sum(rules.level1_weights.values(), Decimal(0))
        if summed != rules.total_weight:
            parts = " + ".join(f"{k} {v}" for k, v in rules.level1_weights.items())
            raise ProfileError(("level1_weights",), f"预算执行 {ex.weight} + {parts} = {summed}，不等于总分值 {rules.total_weight}")
    for key in ("positive", "reverse", "zero_target"):
        formula = getattr(rules.indicators, key)
        if key == "zero_target" and formula.formula != "all_or_nothing":
            raise ProfileError(("indicators", key, "formula"), "目标为 0 的指标只能用 all_or_nothing（无法按比例或倍数计算）")
    tiers = rules.qualitative.tiers
    unknown_tiers = [t for t in tiers if t not in TIERS]
    if unknown_tiers:
        raise ProfileError(("qualitative", "tiers", unknown_tiers[0]), f"完成档次「{unknown_tiers[0]}」不存在（应为 {'、'.join(TIERS)}）")
    missing = [t for t in TIERS if t not in tiers]
    if missing:
        raise ProfileError(("qualitative", "tiers"), f"缺少完成档次「{missing[0]}」")
    _bands(("qualitative", "tiers"), [(t, lo, hi) for t, (lo, hi) in tiers.items()], Decimal(100), "完成档次")
    if not rules.grades:
        raise ProfileError(("grades",), "至少需要一个等级")
    _bands(("grades",), [(g, lo, hi) for g, (lo, hi) in rules.grades.items()], rules.total_weight, "等级")
    if not rules.taxonomy:
        raise ProfileError(("taxonomy",), "指标体系 taxonomy 不能为空")
