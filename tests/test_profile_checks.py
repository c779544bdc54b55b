"""Checks that follow the profile (reasons, denominators, scores above the weight, fixed
一级 points) and the completeness checks every profile gets (prompts, a project named
as the form, a blank 完成值)."""

from __future__ import annotations

import pytest

from docgen.forms.selfeval.checks import evaluate_project, is_prompt
from docgen.model.findings import Severity
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry
from docgen.registry.profiles.schema import ProfileRules
from docgen.registry.profiles.store import Profile

PROFILES = default_registry().profiles
E, W = Severity.ERROR, Severity.WARNING


def _variant(base: str, section: str, **fields) -> Profile:
    data = PROFILES[base].rules.model_dump()
    data[section] = {**data[section], **fields} if isinstance(data[section], dict) else fields
    return Profile(name="某市-2024", rules=ProfileRules.model_validate(data))


def _unit(indicators, funds=None, execution=None, name="测试项目", **evaluation) -> Unit:
    funds = funds or {"budget": 100, "executed": 100}
    return Unit.model_validate(
        {
            "unit": "测试单位",
            "year": 2023,
            "projects": [
                {
                    "name": name,
                    "indicators": indicators,
                    "evaluation": {"funds": {"total": funds, "fiscal": funds}, "execution": execution or {"weight": 10}, "achieved": "完成", **evaluation},
                }
            ],
        }
    )


def _ind(target="≥100", actual="100", weight=90, **more):
    return {"level1": "产出指标", "level2": "数量指标", "name": "指标", "target": target, "actual": actual, "weight": weight, **more}


def _found(unit, profile):
    return [(f.severity, f.code, f.message) for f in evaluate_project(unit, 0, profile).findings]


@pytest.mark.parametrize(
    "actual, deviation, expected",
    [
        ("120", "", [(E, "deviation-reason-missing", "实际完成值 120 偏离年度指标值 ≥100 20%，超过规则「某市-2024」的 15%，须填写偏差原因分析")]),
        ("115", "", []),  # exactly 15 %: not above
        ("120", "超额完成", []),
    ],
)
def test_deviation_above_the_profiles_threshold_needs_a_reason(actual, deviation, expected):
    profile = _variant("national-2020", "reasons", deviation_above=15)
    profile = Profile(profile.name, ProfileRules.model_validate({**profile.rules.model_dump(), "level1_weights": {}}))
    assert _found(_unit([_ind(actual=actual, deviation=deviation)]), profile) == expected


def test_execution_is_checked_under_the_profiles_denominator():
    unit = _unit([_ind()], funds={"initial": 100, "budget": 125, "executed": 100}, execution={"weight": 10, "rate": "100%", "score": 10})
    assert _found(unit, PROFILES["sichuan-2023"]) == [
        (E, "execution-reason-missing", "预算执行率 80.00% 低于 90%，规则「sichuan-2023」要求说明原因，但未填写原因"),
        (E, "adjustment-reason-missing", "年初预算数 100 年中调整为 125，规则「sichuan-2023」要求单独说明调整理由，但未填写原因"),
        (E, "rate-mismatch", "执行率填报为 100.00%，按 预算执行数/调整后预算数 = 100/125 应为 80.00%"),
        (E, "execution-score-mismatch", "预算执行率得分填报为 10，按 min(执行率 80.00%, 100%) × 分值 10 应为 8"),
    ]
    annual = _variant("national-2020", "execution", denominator="年初")
    annual = Profile(annual.name, ProfileRules.model_validate({**annual.rules.model_dump(), "level1_weights": {}}))
    assert _found(unit, annual) == []  # 100/100 against 年初预算数


def test_a_score_above_the_weight_only_where_the_profile_allows_it():
    over = _unit([_ind(actual="120", score=99)], funds={"budget": 100, "executed": 110}, execution={"weight": 20, "score": 22})
    hubei = _found(over, PROFILES["hubei-style-2020"])
    assert (E, "score-over-weight", "得分 99 超过分值 90") in hubei
    assert not any(code == "score-over-weight" and "预算执行率" in text for _, code, text in hubei)  # 20 × 110 % is allowed there
    assert (W, "executed-over-budget", "全年执行数 110 超过全年预算数 100（本规则执行率不封顶，按实际执行率计分）") in hubei
    earns = Profile("某市-2024", ProfileRules.model_validate({**PROFILES["hubei-style-2020"].rules.model_dump(), "indicators": {"over_achievement": True}}))
    found = _found(over, earns)
    assert [code for _, code, _ in found if code == "score-over-weight"] == []
    assert (W, "score-mismatch", "得分填报为 99，按规则应为 108（超额完成：实际/目标×分值 = 120/100×90）") in found


def test_fixed_level1_points_are_an_error_suggested_ones_a_warning():
    unit = _unit([_ind(weight=60), {**_ind(weight=30), "level1": "效益指标", "level2": "社会效益指标", "name": "效益"}])
    assert _found(unit, PROFILES["national-2020"]) == [
        (W, "level1-weights", "产出指标的分值合计为 60，规则「national-2020」建议为 50"),
    ]
    fixed = Profile("某市-2024", ProfileRules.model_validate({**PROFILES["national-2020"].rules.model_dump(), "level1_weights_binding": True}))
    assert _found(unit, fixed) == [(E, "level1-weights", "产出指标的分值合计为 60，规则「某市-2024」规定为 50")]


@pytest.mark.parametrize(
    "text, prompt",
    [
        ("对照年度目标,说明相关任务目标的完成情况(100字以内)", True),
        ("结合自评情况,分析存在的问题及原因。(200字以内)", True),
        ("针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)", True),
        ("请填写项目实施内容（300字以内）", True),
        ("说明项目实施取得的成效（不超过 200 字）", True),
        ("对照年度目标，全部完成", False),  # an answer that starts like a prompt
        ("说明：已完成（详见附件）", False),
        ("完成培训 5 次（100字以内的简报 3 份）", False),
        ("", False),
    ],
)
def test_prompt_detector(text, prompt):
    assert is_prompt(text) is prompt


def test_completeness_checks_apply_whatever_the_profile():
    unit = _unit(
        [_ind(actual="", deviation="请填写偏差原因（100字以内）")],
        name="部门预算项目支出绩效自评表(2023年度)",
        achieved="结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)",
    )
    for name in ("shanghai-2022", "hubei-style-2020"):
        codes = [(code, text) for _, code, text in _found(unit, PROFILES[name]) if code in ("name-is-title", "prompt-left", "actual-missing")]
        assert codes == [
            ("actual-missing", "未填写实际完成值（完成值）"),
            ("name-is-title", "项目名称「部门预算项目支出绩效自评表(2023年度)」是表格的标题，不是项目名称"),
            ("prompt-left", "偏差原因分析及改进措施填的是表格的填写提示「请填写偏差原因（100字以内）」，请换成实际内容"),
            ("prompt-left", "实际完成情况填的是表格的填写提示「结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)」，请换成实际内容"),
        ]
    assert not any(code == "name-is-title" for _, code, _ in _found(_unit([_ind()], name="社保卡自评表制作经费"), PROFILES["shanghai-2022"]))
