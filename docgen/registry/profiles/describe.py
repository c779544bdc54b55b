"""A profile's rules in Chinese, numbered as a finance bureau publishes its 评分规则
(`docgen profiles show NAME`)."""

from __future__ import annotations

from decimal import Decimal

from docgen.model.formatting import number_text
from docgen.registry.profiles.schema import ROUNDING_WORDS, Formula, ProfileRules
from docgen.registry.profiles.store import Profile

_COLUMNS = {"年初": "年初预算数", "调整后": "调整后预算数", "全年": "全年预算数"}
_NUMERALS = "一二三四五六七八九十"


def _n(value: Decimal) -> str:
    return number_text(value)


def _band(low: Decimal, high: Decimal, top: Decimal, unit: str = "") -> str:
    if low == 0:
        return f"低于 {_n(high)}{unit}" + ("" if unit.startswith(" ") else " ")
    if high == top:
        return f"{_n(low)}{unit}及以上" if unit.startswith(" ") else f"{_n(low)}{unit} 及以上"
    return f"{_n(low)}{unit}（含）至 {_n(high)}{unit}"


def _formula(formula: Formula, reverse: bool) -> str:
    if formula.formula == "all_or_nothing":
        return "达标得满分，未达标得 0 分"
    if formula.formula == "linear":
        k = _n(formula.k or Decimal(0))
        if reverse:
            return f"达标得满分；未达标时得分随实际值超出目标线性递减，实际值达到目标的 {k} 倍时得 0 分"
        return f"达标得满分；未达标时得分随实际值低于目标线性递减，低于目标 {_n((formula.k or Decimal(0)) - 1)} 倍目标值时得 0 分"
    if reverse:
        return "达标得满分；未达标时 得分 = 年度指标值 ÷ 实际完成值 × 分值"
    return "达标得满分；未达标时 得分 = 实际完成值 ÷ 年度指标值 × 分值"


def _execution(rules: ProfileRules) -> list[str]:
    ex = rules.execution
    column = _COLUMNS[ex.denominator]
    executed = "预算执行数" if ex.denominator == "调整后" else "全年执行数"
    lines = [f"预算执行率（{_n(ex.weight)} 分）：预算执行率 = {executed} ÷ {column}。"]
    if ex.formula == "bands":
        lines.append(
            "得分按执行率分档："
            + "；".join(f"{_band(b.low, b.high, Decimal(100), '%')}得 {_n(b.points)} 分" for b in sorted(ex.bands, key=lambda b: b.low))
            + "。"
        )
    elif ex.cap:
        lines.append(f"得分 = 预算执行率 × {_n(ex.weight)} 分，执行率超过 100% 的按 100% 计。")
    else:
        lines.append(f"得分 = 预算执行率 × {_n(ex.weight)} 分（执行率不封顶）。")
    return lines


def describe(profile: Profile, source: bool = False) -> list[str]:
    """Every rule of `profile`, numbered, in Chinese (`source`: name its file too)."""
    rules = profile.rules
    ind = rules.indicators
    rounding = rules.rounding
    indicator_points = rules.total_weight - rules.execution.weight
    items: list[list[str]] = []
    items.append([f"总分 {_n(rules.total_weight)} 分：预算执行率 {_n(rules.execution.weight)} 分，绩效指标 {_n(indicator_points)} 分。"])
    if rules.level1_weights:
        split = "、".join(f"{k} {_n(v)} 分" for k, v in rules.level1_weights.items())
        word = "统一设置为" if rules.level1_weights_binding else "原则上设置为（可适当调整）"
        items[-1].append(f"一级指标分值{word}：{split}。")
    items.append(_execution(rules))
    quant = [
        f"正向指标（=、≥、>）：{_formula(ind.positive, False)}。",
        f"反向指标（≤、<）：{_formula(ind.reverse, True)}。",
        "年度指标值为 0 的指标：实际完成值不大于 0 得满分，否则得 0 分。",
        "超额完成的指标按比例得分，可超过该指标分值。" if ind.over_achievement else "得分不得超过该指标的分值。",
        "实际完成值为空的指标得 0 分。",
    ]
    items.append(["定量指标：" + quant[0], *quant[1:]])
    tiers = rules.qualitative.tiers
    bands = "、".join(f"{t} {_n(hi)}%–{_n(lo)}%" for t, (lo, hi) in sorted(tiers.items(), key=lambda kv: -kv[1][0]))
    qual = [f"定性指标：实际完成值与年度指标值表述一致的得满分；否则按完成档次在该指标分值的区间内确定得分：{bands}（含下限）。"]
    if rules.qualitative.tier_as_actual:
        qual.append("实际完成值可直接填写完成档次（达成 / 部分达成 / 未达成）。")
    items.append(qual)
    if rules.not_applicable != "none":
        scope = "所在一级指标的分值" if rules.not_applicable == "section" else "全部绩效指标的分值"
        items.append([f"实际完成值填「不适用」的指标不计分，其余指标得分按比例折算到{scope}。"])
    reasons = rules.reasons
    needed = []
    if reasons.execution_below is not None:
        needed.append(f"预算执行率未达到 {_n(reasons.execution_below)}% 的，须说明原因")
    if reasons.budget_adjusted:
        needed.append("年中发生预算调整（追加或调减）的，须单独说明理由")
    if reasons.deviation_above is not None:
        needed.append(f"实际完成值偏离年度指标值超过 {_n(reasons.deviation_above)}% 的，须分析偏差原因")
    if reasons.below_weight:
        needed.append("指标得分低于分值（未完成目标）的，须填写偏差原因分析及改进措施")
    if needed:
        items.append(["须说明原因的情形：" + "；".join(needed) + "。"])
    places = f"{rounding.score_places} 位小数" if rounding.score_places else "整数"
    rate = "按精确执行率计算得分" if rounding.rate_for_score == "exact" else "按印出的执行率计算得分"
    items.append([f"得分保留 {places}、执行率保留 {rounding.rate_places} 位小数（百分数），{ROUNDING_WORDS[rounding.mode]}；{rate}；总分为各项得分之和。"])
    grades = "、".join(f"{g} {_band(lo, hi, rules.total_weight, ' 分')}" for g, (lo, hi) in sorted(rules.grades.items(), key=lambda kv: -kv[1][0]))
    items.append([f"评价等级：{grades}。"])
    taxonomy = "；".join(f"{k}：{'、'.join(v)}" for k, v in rules.taxonomy.items())
    items.append([f"指标体系：{taxonomy}。"])
    out = [f"评分规则「{profile.name}」", profile.description] if profile.description else [f"评分规则「{profile.name}」"]
    if source and profile.source is not None:
        out.append(f"（配置文件：{profile.source}）")
    for i, item in enumerate(items):
        out.append(f"{_NUMERALS[i]}、{item[0]}")
        out.extend(f"    {line}" for line in item[1:])
    return out
