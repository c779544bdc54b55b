"""Scoring traps (issue 16): units that disagree are reported with the rule's guess, never
scored silently; duplicate project names; a rate off by rounding shows both roundings."""

from decimal import Decimal as D
from pathlib import Path

from docgen.check.checking import check_source
from docgen.forms.selfeval.scoring import compute_indicator, unit_note
from docgen.model.findings import Severity
from docgen.parse.load import load_text

HEAD = """unit: 测试单位
year: 2023
projects:
"""


def project(name: str, target: str, actual: str, extra: str = "", funds: str = "budget: 100, executed: 90", execution: str = "") -> str:
    return f"""  - name: {name}
    indicators:
      - {{level1: 产出指标, level2: 数量指标, name: 培训次数, target: "=5次", actual: "5次", weight: 50}}
      - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: "{target}", actual: "{actual}", weight: 40{extra}}}
    evaluation:
      funds:
        total: {{initial: 100, {funds}}}
        fiscal: {{initial: 100, {funds}}}
{execution}"""


def check(text: str):
    return check_source(load_text(text, Path("unit.yaml")))


def test_fraction_against_percent_target_is_read_as_percent_and_reported():
    checked = check(HEAD + project("甲", "≥90%", "0.93"))
    (score,) = [r.score for r in checked.reports]
    assert score.indicators[1].computed == D(40)  # 93% ≥ 90%: full, not 0.93/90 × 40
    (finding,) = [f for f in checked.findings if f.code == "unit-mismatch"]
    assert finding.severity is Severity.WARNING
    assert finding.message == "实际完成值 0.93 未带 %，按 93% 计？"
    assert finding.indicator == "满意度"
    assert checked.source.line_of(finding.path) == 7


def test_fraction_below_target_scores_by_the_guess():
    score, _ = compute_indicator("≥90%", "0.45", D(40))
    assert score == D(20)  # 45/90 × 40


def test_bare_number_against_percent_borrows_the_unit_with_a_note():
    assert compute_indicator("≥90%", "93", D(40))[0] == D(40)
    assert unit_note("≥90%", "93") == "实际完成值 93 未带 %，按 93% 计？"
    assert unit_note("≥90", "93%") == "年度指标值 ≥90 未带 %，按 90% 计？"
    assert unit_note("≥90%", "93%") == ""


def test_different_units_are_never_scored():
    score, method = compute_indicator("=5个", "5万人次", D(10))
    assert score is None and "单位不一致" in method
    assert unit_note("=5个", "5万人次") == "年度指标值「=5个」与实际完成值「5万人次」的单位不一致（个 与 万人次），无法按规则计算"
    checked = check(HEAD + project("甲", "=5个", "5万人次", extra=", score: 40"))
    assert [f.code for f in checked.findings] == ["unit-mismatch"]


def test_yuan_against_wan_yuan_is_converted_and_noted():
    assert compute_indicator("≥9万元", "95000元", D(10))[0] == D(10)
    assert compute_indicator("≥10万元", "50000元", D(10))[0] == D(5)
    assert "单位写法不同（万元 与 元）" in unit_note("≥9万元", "95000元")


def test_two_projects_with_one_name_are_an_error():
    checked = check(HEAD + project("甲", "≥90%", "95%") + project("甲", "≥90%", "95%"))
    (finding,) = [f for f in checked.findings if f.code == "duplicate-project"]
    assert finding.severity is Severity.ERROR
    assert finding.path == ("projects", 1, "name")
    assert "与第 1 个项目重复" in finding.message
    assert checked.errors == 1


def test_rate_off_by_rounding_is_an_error_showing_both_roundings():
    funds = "budget: 200000, executed: 192830"  # 96.415% exactly
    checked = check(HEAD + project("甲", "≥90%", "95%", funds=funds, execution='      execution: {rate: "96.41%"}\n'))
    (finding,) = [f for f in checked.findings if f.code == "rate-mismatch"]
    assert finding.severity is Severity.ERROR
    assert "应为 96.42%" in finding.message
    assert "精确值约 96.415%：四舍五入为 96.42%，舍去为 96.41%" in finding.message


def test_rate_plainly_wrong_has_no_rounding_note():
    checked = check(HEAD + project("甲", "≥90%", "95%", execution='      execution: {rate: "95%"}\n'))
    (finding,) = [f for f in checked.findings if f.code == "rate-mismatch"]
    assert finding.message.endswith("应为 90.00%")


def test_reverse_targets_that_are_not_positive_are_never_a_crash_or_above_the_weight():
    assert compute_indicator("≤-5", "0", D(10)) == (None, "反向指标的目标不是正数且未达标，无法按规则计算")
    assert compute_indicator("<0", "0", D(10))[0] is None
    assert compute_indicator("≤-10", "-5", D(10))[0] is None  # was 2 × 分值
    assert compute_indicator("≤0", "0", D(10))[0] == D(10)
    assert compute_indicator("≤5", "10", D(10))[0] == D(5)


def test_a_bare_number_against_a_scaled_target_is_read_in_its_scale_and_reported():
    assert compute_indicator("≥9万元", "9.5", D(10))[0] == D(10)  # 9.5万元, not 9.5元
    assert unit_note("≥9万元", "9.5") == "实际完成值 9.5 未带单位（年度指标值为 ≥9万元），按 9.5万元 计？"
    assert compute_indicator("≥9万元", "95000", D(10))[0] == D(10)
    assert unit_note("≥9万元", "95000") == "实际完成值 95000 未带单位（年度指标值为 ≥9万元），按 95000元 计？"
    assert unit_note("≥9万元", "9.5万元") == ""
