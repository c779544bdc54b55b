"""Consistency checks of a project's self-evaluation (自评表; pure functions, no I/O).

Every finding names the project and, where there is one, the indicator in the
user's words, plus the field path so the CLI can point at the line.

Severity:
- error: a fact on the form is wrong or missing (sums, rates, totals, 分值 > 100,
  得分 > 分值, a shortfall without reason, taxonomy, duplicates, a score the rules
  cannot produce and nobody declared);
- warning: a declared indicator 得分 differs from the rule (allowed: the declared
  score is what the unit signs for, but the finance bureau will ask).

The rules follow the project's profile (denominator, cap, formulas, over-achievement,
the reasons it requires, its fixed 一级 points); the completeness checks regional forms
need (prompts left in place of answers, a project named as the form, a blank 完成值)
apply whatever the profile.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from docgen.forms.rules import _texts, _title, check_amount_unit, indicator_list_findings
from docgen.forms.selfeval.model import scored_target
from docgen.forms.selfeval.scoring import ZERO, ProjectScore, score_project
from docgen.model.findings import FieldPath, Finding, Report, Severity, fmt, fmt_rate
from docgen.model.formatting import number_text
from docgen.model.rounding import CENT, q2, round_places
from docgen.model.unit import Project, Unit
from docgen.model.values import Quantity, parse_value
from docgen.registry.manifest import FormVersion, Profile
from docgen.registry.profiles.schema import ROUNDING_MODES

_FUNDS_ROWS = {"fiscal": "当年财政拨款", "carryover": "上年结转资金", "special_account": "财政专户管理资金", "unit_own": "单位资金", "other": "其他资金"}
_FUNDS_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


_DENOMINATOR_LABELS = {"年初": ("年初预算数", "全年执行数"), "调整后": ("调整后预算数", "预算执行数"), "全年": ("全年预算数", "全年执行数")}


def _check_funds(score: ProjectScore, base: FieldPath, version: FormVersion | None = None) -> list[Finding]:
    """The sources add up to 年度资金总额, in each column (named in the version's words); a
    version whose funds table has no sources (湖北式: one 年度财政资金总额 row) has no sum."""
    evaluation = score.project.evaluation
    assert evaluation is not None  # the kind applies to projects with an evaluation
    funds = evaluation.funds
    name = score.project.name
    table = version.reading.funds if version is not None and version.reading is not None else None
    words = {row: labels[0].removeprefix("其中：") for row, labels in table.rows.items()} if table is not None else {}
    out: list[Finding] = []
    if table is not None and set(table.rows) <= {"total"}:
        return out
    for column, label in _FUNDS_COLUMNS.items():
        total = getattr(funds.total, column)
        parts: list[Decimal | None] = [getattr(getattr(funds, row), column) for row in _FUNDS_ROWS]
        if total is None and all(p is None for p in parts):
            continue
        summed = sum((p or ZERO for p in parts), ZERO)
        used = [
            words.get(row, label)
            for row, label in _FUNDS_ROWS.items()
            if (row in words if words else row in ("fiscal", "carryover", "other")) or getattr(getattr(funds, row), column) is not None
        ]
        if (total or ZERO) != summed:
            out.append(
                Finding(
                    Severity.ERROR,
                    "funds-sum",
                    name,
                    f"项目资金「{label}」不平衡：年度资金总额 {fmt(total)}，{' + '.join(used)} = {fmt(summed)}",
                    path=base + ("funds", "total", column),
                )
            )
    total = funds.total
    if total.executed is not None and total.budget is not None and total.executed > total.budget:
        out.append(
            Finding(
                Severity.WARNING,
                "executed-over-budget",
                name,
                f"全年执行数 {fmt(total.executed)} 超过全年预算数 {fmt(total.budget)}"
                + ("（执行率按 100% 计分）" if score.profile.rules.execution.cap else "（本规则执行率不封顶，按实际执行率计分）"),
                path=base + ("funds", "total", "executed"),
            )
        )
    return out


def _roundings(rate: Decimal, declared: Decimal) -> str:
    """When the declared rate is the exact one rounded another way (舍去 or 四舍六入五成双),
    show both roundings: the clerk's figure is not a typo, only not the form's rounding."""
    exact = rate * 100
    if abs(exact) >= 10**7:  # no rounding slip there (and no quantize beyond the precision)
        return ""
    others = {"舍去": ROUND_DOWN, "四舍六入五成双": ROUND_HALF_EVEN}
    for name, mode in others.items():
        if exact.quantize(CENT, rounding=mode) / 100 == declared:
            shown = number_text(exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))
            return f"（精确值约 {shown}%：四舍五入为 {fmt_rate(rate)}，{name}为 {fmt_rate(declared)}；本表按四舍五入保留两位小数）"
    return ""


def _formula_text(score: ProjectScore) -> str:
    ex, rule = score.execution, score.profile.rules.execution
    if rule.formula == "bands":
        return f"执行率 {fmt_rate(ex.rate)} 按分档表"
    if rule.cap:
        return f"min(执行率 {fmt_rate(ex.rate)}, 100%) × 分值 {fmt(ex.weight)}"
    return f"执行率 {fmt_rate(ex.rate)} × 分值 {fmt(ex.weight)}"


def _check_reasons(score: ProjectScore, base: FieldPath) -> list[Finding]:
    """The reasons the profile requires for the 预算执行 row (`reasons:`)."""
    ex = score.execution
    reasons = score.profile.rules.reasons
    evaluation = score.project.evaluation
    if evaluation is None or evaluation.execution.reason.strip():
        return []
    out = []
    path = base + ("execution", "reason")
    if reasons.execution_below is not None and ex.rate is not None and ex.rate * 100 < reasons.execution_below:
        out.append(
            Finding(
                Severity.ERROR,
                "execution-reason-missing",
                score.project.name,
                f"预算执行率 {fmt_rate(ex.rate)} 低于 {fmt(reasons.execution_below)}%，规则「{score.profile.name}」要求说明原因，但未填写原因",
                path=path,
            )
        )
    if reasons.budget_adjusted and ex.initial is not None and ex.adjusted is not None and ex.initial != ex.adjusted:
        out.append(
            Finding(
                Severity.ERROR,
                "adjustment-reason-missing",
                score.project.name,
                f"年初预算数 {fmt(ex.initial)} 年中调整为 {fmt(ex.adjusted)}，规则「{score.profile.name}」要求单独说明调整理由，但未填写原因",
                path=path,
            )
        )
    return out


def _check_execution(score: ProjectScore, base: FieldPath) -> list[Finding]:
    ex = score.execution
    name = score.project.name
    path = base + ("execution",)
    rule = score.profile.rules.execution
    budget_label, executed_label = _DENOMINATOR_LABELS[rule.denominator]
    out = _check_reasons(score, base)
    if ex.rate is None:
        column = "initial" if rule.denominator == "年初" else "budget"
        out.append(Finding(Severity.ERROR, "rate-missing", name, f"{budget_label}为空或为 0，无法计算预算执行率", path=base + ("funds", "total", column)))
        return out
    if ex.declared_rate is not None and ex.declared_rate != ex.rate_rounded:
        out.append(
            Finding(
                Severity.ERROR,
                "rate-mismatch",
                name,
                f"执行率填报为 {fmt_rate(ex.declared_rate)}，按 {executed_label}/{budget_label} = "
                f"{fmt(ex.executed or ZERO)}/{fmt(ex.budget)} 应为 {fmt_rate(ex.rate)}{_roundings(ex.rate, ex.declared_rate)}",
                path=path + ("rate",),
            )
        )
    if ex.declared is not None and ex.declared != ex.computed:
        out.append(
            Finding(
                Severity.ERROR,
                "execution-score-mismatch",
                name,
                f"预算执行率得分填报为 {fmt(ex.declared)}，按 {_formula_text(score)} 应为 {fmt(ex.computed)}",
                path=path + ("score",),
            )
        )
    if ex.declared is not None and ex.declared > ex.weight and rule.cap:
        out.append(Finding(Severity.ERROR, "score-over-weight", name, f"预算执行率得分 {fmt(ex.declared)} 超过分值 {fmt(ex.weight)}", path=path + ("score",)))
    return out


def _check_class_weights(score: ProjectScore, base: FieldPath) -> list[Finding]:
    """The points a form writes in its class cells (「产出指标（50分）」) against the 分值 of
    the indicators of that class."""
    out = []
    evaluation = score.project.evaluation
    assert evaluation is not None  # the kind applies to projects with an evaluation
    for level1, points in evaluation.class_weights.items():
        weights = [s.weight for s in score.indicators if s.indicator.level1 == level1]
        summed = sum((w or ZERO for w in weights), ZERO)
        if weights and summed != points:
            out.append(
                Finding(
                    Severity.ERROR,
                    "class-weight-sum",
                    score.project.name,
                    f"一级指标「{level1}（{fmt(points)}分）」下各三级指标分值合计为 {fmt(summed)}，应为 {fmt(points)}",
                    path=base + ("evaluation", "class_weights", level1),
                )
            )
    return out


def column_word(version: FormVersion | None, column: str, default: str) -> str:
    """What the version's indicator table calls `column` (its `read:` label: 四川's
    「未完成原因分析」 for the 偏差原因分析及改进措施), so a finding speaks the form's words."""
    table = version.reading.indicators if version is not None and version.reading is not None else None
    labels = table.columns.get(column, ()) if table is not None else ()
    return labels[0] if labels else default


def _check_indicators(
    score: ProjectScore, profile: Profile, base: FieldPath, taxonomy: dict[str, tuple[str, ...]] | None = None, version: FormVersion | None = None
) -> list[Finding]:
    name = score.project.name
    reason_word = column_word(version, "deviation", "偏差原因分析及改进措施")
    out = indicator_list_findings(name, [s.indicator for s in score.indicators], taxonomy or profile.taxonomy, base)
    for i, s in enumerate(score.indicators):
        ind = s.indicator
        path = base + ("indicators", i)

        def add(severity: Severity, code: str, message: str, leaf: str | None = None) -> None:
            out.append(Finding(severity, code, name, message, indicator=ind.name, path=path + ((leaf,) if leaf else ())))

        if s.weight is None:
            add(Severity.ERROR, "weight-missing", "未填写分值", "weight")
            continue
        if s.note and (s.computed is not None or s.declared is not None):
            add(Severity.WARNING, "unit-mismatch", s.note, "actual")
        if s.computed is None and s.declared is None:
            add(Severity.ERROR, "score-required", f"{s.method}（目标「{scored_target(ind)}」，实际「{ind.actual}」）", "score")
        if not ind.actual.strip():
            add(Severity.ERROR, "actual-missing", "未填写实际完成值（完成值）", "actual")
        if s.declared is not None and s.computed is not None and s.declared != _round(s.computed, profile):
            add(
                Severity.WARNING,
                "score-mismatch",
                f"得分填报为 {fmt(s.declared)}，按规则应为 {fmt(s.computed)}（{s.method}）",
                "score",
            )
        if s.tier is not None and s.effective is not None and s.points:
            low, high = profile.tiers[s.tier]
            share = s.effective / s.points * 100
            upper_ok = share <= high if high >= 100 else share < high
            if not (share >= low and upper_ok):
                add(
                    Severity.ERROR,
                    "tier-band",
                    f"完成档次「{s.tier}」的得分应在分值的 {fmt(low)}%–{fmt(high)}% 之间，"
                    f"而得分 {fmt(s.effective)} 是分值 {fmt(s.points)} 的 {fmt(q2(share))}%",
                    "score",
                )
        points = s.points if s.points is not None else s.weight
        if not s.applicable:
            continue
        over = s.effective is not None and s.effective > points
        if over and not profile.rules.indicators.over_achievement:
            add(Severity.ERROR, "score-over-weight", f"得分 {fmt(s.effective)} 超过分值 {fmt(points)}", "score")
        elif s.effective is not None and s.effective < points and not ind.deviation.strip() and profile.rules.reasons.below_weight:
            add(
                Severity.ERROR,
                "deviation-missing",
                f"得分 {fmt(s.effective)} 低于分值 {fmt(points)}，但未填写{reason_word}",
                "deviation",
            )
        elif not ind.deviation.strip():
            out.extend(_deviation_finding(score, i, base))
    return out


def _round(value: Decimal, profile: Profile) -> Decimal:
    return round_places(value, profile.rules.rounding.score_places, ROUNDING_MODES[profile.rules.rounding.mode])


def _deviation_finding(score: ProjectScore, i: int, base: FieldPath) -> list[Finding]:
    """A quantitative result further from its target than the profile's `deviation_above`
    (either way) without a reason."""
    limit = score.profile.rules.reasons.deviation_above
    ind = score.indicators[i].indicator
    if limit is None:
        return []
    target, actual = parse_value(scored_target(ind)), parse_value(ind.actual)
    if not (isinstance(target, Quantity) and isinstance(actual, Quantity)) or target.number == 0:
        return []
    deviation = abs(actual.number - target.number) / abs(target.number) * 100
    if deviation <= limit:
        return []
    return [
        Finding(
            Severity.ERROR,
            "deviation-reason-missing",
            score.project.name,
            f"实际完成值 {ind.actual.strip()} 偏离年度指标值 {scored_target(ind).strip()} {fmt(q2(deviation))}%，"
            f"超过规则「{score.profile.name}」的 {fmt(limit)}%，须填写偏差原因分析",
            indicator=ind.name,
            path=base + ("indicators", i, "deviation"),
        )
    ]


# A template's prompt left where the answer belongs: 「对照年度目标,说明相关任务目标的完成情况(100字以内)」,
# 「请填写…」, 「结合自评情况，分析存在的问题及原因。（200字以内）」.
_PROMPT = re.compile(
    r"^\s*(请|对照|说明|填写|结合|针对|简述|简要|概述|根据|按照|列明|描述)[^\n]{0,120}?"
    r"([（(]\s*\d+\s*字(以内|以下|左右)\s*[)）]|[（(]\s*不超过\s*\d+\s*字\s*[)）])\s*[。.;；]?\s*$"
)
_FORM_TITLES = (
    "项目支出绩效自评表",
    "部门预算项目支出绩效自评表",
    "财政项目支出绩效自评表",
    "项目自评表",
    "绩效自评表",
    "项目支出绩效目标申报表",
    "财政项目支出绩效目标申报表",
    "绩效目标申报表",
)
_YEAR = re.compile(r"[（(]?\s*\d{4}\s*年度?\s*[)）]?")


def is_prompt(text: str) -> bool:
    """A form's fill-in prompt (starts 请/对照/说明/填写…, ends with a word limit), not an answer."""
    return bool(_PROMPT.match(text))


def _is_form_title(name: str, title: str) -> bool:
    bare = _YEAR.sub("", "".join(name.split()))
    return bare in (title, *_FORM_TITLES)


def check_completeness(project: Project, index: int, version: FormVersion | None) -> list[Finding]:
    """Prompts left in place of answers and a project named as the form, whatever the profile."""
    out = []
    title = version.title if version is not None else "财政项目支出绩效自评表"
    if _is_form_title(project.name, title):
        out.append(
            Finding(Severity.ERROR, "name-is-title", project.name, f"项目名称「{project.name}」是表格的标题，不是项目名称", path=("projects", index, "name"))
        )
    for path, text in _texts(project, ("projects", index)):
        if isinstance(text, str) and is_prompt(text):
            dotted = ".".join(str(p) for p in path[2:] if not isinstance(p, int))
            indicator = ""
            if len(path) > 3 and path[2] == "indicators" and isinstance(path[3], int):
                indicator = project.indicators[path[3]].name
            out.append(
                Finding(
                    Severity.ERROR,
                    "prompt-left",
                    project.name,
                    f"{_title(Project, dotted)}填的是表格的填写提示「{text.strip()}」，请换成实际内容",
                    indicator=indicator,
                    path=path,
                )
            )
    return out


def _check_sections(score: ProjectScore, index: int) -> list[Finding]:
    """The 一级指标 points a profile fixes (`level1_weights`): an error when binding, else 提示."""
    rules = score.profile.rules
    out = []
    for level1, fixed in rules.level1_weights.items():
        given = [s.weight for s in score.indicators if s.indicator.level1 == level1]
        if not given:
            continue
        summed = sum((w or ZERO for w in given), ZERO)
        if summed != fixed:
            severity = Severity.ERROR if rules.level1_weights_binding else Severity.WARNING
            word = "规定" if rules.level1_weights_binding else "建议"
            out.append(
                Finding(
                    severity,
                    "level1-weights",
                    score.project.name,
                    f"{level1}的分值合计为 {fmt(summed)}，规则「{score.profile.name}」{word}为 {fmt(fixed)}",
                    path=("projects", index, "indicators"),
                )
            )
    return out


def check_project(score: ProjectScore, index: int, taxonomy: dict[str, tuple[str, ...]] | None = None, version: FormVersion | None = None) -> list[Finding]:
    """The findings of a scored project; `taxonomy`: the form version's classes (default: the profile's)."""
    base: FieldPath = ("projects", index, "evaluation")
    profile = score.profile
    name = score.project.name
    out = _check_funds(score, base, version) + _check_execution(score, base)
    out += _check_indicators(score, profile, ("projects", index), taxonomy, version)
    out += _check_sections(score, index)
    out += _check_class_weights(score, ("projects", index))
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


def evaluate_project(unit: Unit, index: int, profile: Profile, version: FormVersion | None = None) -> Report:
    """Score project `index` by `profile` and check it (against `version` too, when given)."""
    score = score_project(unit.projects[index], profile)
    findings = (check_amount_unit(unit, index, version) if version else []) + check_project(score, index, version.taxonomy if version else None, version)
    findings += check_completeness(unit.projects[index], index, version)
    return Report(index=index, project=score.project, version=version, findings=tuple(findings), score=score)  # type: ignore[arg-type]


def check_unit(unit: Unit, profile: Profile) -> list[Report]:
    """Score and check every project that has an evaluation, in file order."""
    return [evaluate_project(unit, i, profile) for i, p in enumerate(unit.projects) if p.evaluation is not None]
