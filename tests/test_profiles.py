"""Scoring rule profiles as data: the schema's errors (a fixture file per mistake), each
shipped profile's formulas on tiny cases, and replays of the reference forms' scores."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from docgen.check.checking import check_source
from docgen.errors import InputError
from docgen.forms.selfeval.checks import evaluate_project
from docgen.forms.selfeval.scoring import compute_indicator, score_project
from docgen.model.findings import Severity
from docgen.model.unit import Unit
from docgen.parse.load import load_text
from docgen.registry.manifest import default_registry
from docgen.registry.profiles.schema import ProfileRules
from docgen.registry.profiles.store import Profile, read_profile_file

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
PROFILES = default_registry().profiles
E, W = Severity.ERROR, Severity.WARNING


def variant(base: str, **changes) -> Profile:
    """A profile made from a shipped one with some top-level fields replaced (the fields of
    a section merged into it)."""
    data = PROFILES[base].rules.model_dump()
    for key, value in changes.items():
        if key in ("execution", "indicators", "qualitative", "rounding", "reasons"):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Profile(name=f"{base}-变体", rules=ProfileRules.model_validate(data))


# --- the schema: a fixture file per mistake, the exact message with file, line and field


@pytest.mark.parametrize(
    "case, line, field, text",
    [
        (
            "unknown-field",
            10,
            "indicators.over_achievment",
            "未知字段「over_achievment」（拼写错误？）；此处允许：positive（正向指标（=、≥、>））、reverse（反向指标（≤、<））、"
            "zero_target（目标为 0 的指标）、over_achievement（超额完成可得超过分值的分）",
        ),
        ("grade-gap", 15, "grades.优", "等级「良」止于 88，「优」从 90 起：88 到 90 之间没有档次"),
        ("grade-overlap", 15, "grades.良", "等级「中」止于 85，「良」从 80 起：两档重叠"),
        ("tier-gap", 12, "qualitative.tiers.未达成", "完成档次从 10 起，0 到 10 之间没有档次（应从 0 开始）"),
        ("weights-sum", 4, "level1_weights", "预算执行 10 + 产出指标 50 + 效益指标 30 + 满意度指标 20 = 110，不等于总分值 100"),
        ("bad-formula", 8, "indicators.reverse.formula", "公式「倍数」不存在（可用：ratio、linear、all_or_nothing）"),
        ("linear-without-k", 8, "indicators.reverse.k", "linear（线性递减）须给出大于 1 的 k"),
        ("zero-target-ratio", 9, "indicators.zero_target.formula", "目标为 0 的指标只能用 all_or_nothing（无法按比例或倍数计算）"),
        ("bad-number", 3, "execution.weight", "应为数字，却是「十」"),
    ],
)
def test_a_mistake_in_a_profile_names_file_line_and_field(case, line, field, text):
    path = FIXTURES / case / "某市-2024.yaml"
    with pytest.raises(InputError) as info:
        read_profile_file(path)
    assert info.value.message().splitlines() == [
        f"输入文件有误：{path}",
        f"  {path}:{line}: 第 {line} 行，规则配置「某市-2024」 字段 {field}：{text}",
    ]
    assert info.value.exit_code == 2


def test_a_broken_profile_beside_a_unit_stops_before_any_unit_is_scored(tmp_path, fixtures):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "某市-2024.yaml").write_bytes((FIXTURES / "grade-gap" / "某市-2024.yaml").read_bytes())
    unit = tmp_path / "unit.yaml"
    unit.write_bytes((fixtures / "minimal.yaml").read_bytes())
    with pytest.raises(InputError) as info:
        check_source(load_text(unit.read_text(encoding="utf-8"), unit))
    assert info.value.file == tmp_path / "profiles" / "某市-2024.yaml"
    assert info.value.problems[0].line == 15


def test_shipped_profiles_are_valid_and_the_versions_name_them():
    assert sorted(PROFILES) == ["hubei-style-2020", "national-2020", "shanghai-2022", "sichuan-2023"]
    assert default_registry().version("selfeval").profile.name == "shanghai-2022"
    national = PROFILES["national-2020"].rules
    assert (national.execution.weight, dict(national.level1_weights), national.level1_weights_binding) == (
        D(10),
        {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)},
        False,
    )
    assert PROFILES["national-2020"].grades == ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))
    sichuan = PROFILES["sichuan-2023"].rules
    assert (sichuan.execution.denominator, sichuan.reasons.execution_below, sichuan.reasons.budget_adjusted) == ("调整后", D(90), True)
    hubei = PROFILES["hubei-style-2020"]
    assert (hubei.execution_weight, hubei.rules.execution.cap, hubei.tiers["部分达成"]) == (D(20), False, (D(50), D(80)))


# --- each formula on tiny cases, per profile


ALL = ["shanghai-2022", "national-2020", "sichuan-2023", "hubei-style-2020"]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("≥90%", "90%", "10", "10"),  # boundary: met
        ("≥90%", "45%", "10", "5.00"),  # 正向 权重 × B/A
        (">90%", "90%", "10", "10.00"),  # > not met at the boundary: 90/90 × 10
        ("≥16", "1", "10", "0.63"),  # 0.625 rounded half up
        ("≥16", "3", "10", "1.88"),  # 1.875 rounded half up
        ("≥10", "12", "10", "10"),  # over-achievement earns no more than the weight
        ("≤5", "10", "10", "5.00"),  # 反向 权重 × A/B
        ("≤1", "16", "10", "0.63"),  # 0.625 rounded half up
        ("≤5", "5", "10", "10"),  # boundary: met
        ("<5", "5", "10", "10.00"),  # < not met at the boundary: 5/5 × 10
        ("=0次", "0次", "10", "10"),  # zero target met
        ("=0次", "1次", "10", "0"),  # zero target missed: all or nothing
        ("=100%", "", "10", "0"),  # blank actual
    ],
)
def test_quantitative_formulas_of_every_shipped_profile(name, target, actual, weight, expected):
    score, method = compute_indicator(target, actual, D(weight), PROFILES[name].rules)
    assert str(score) == expected, method


LINEAR = variant(
    "national-2020",
    indicators={"positive": {"formula": "linear", "k": 1.5}, "reverse": {"formula": "linear", "k": 2}},
)
ALL_OR_NOTHING = variant("national-2020", indicators={"positive": {"formula": "all_or_nothing"}, "reverse": {"formula": "all_or_nothing"}})
OVER = variant("national-2020", indicators={"over_achievement": True})
HALF_EVEN = variant("national-2020", rounding={"mode": "half_even"})


@pytest.mark.parametrize(
    "profile, target, actual, expected",
    [
        (LINEAR, "≤10", "15", "5.00"),  # reverse: linearly down to 0 at 2 × target
        (LINEAR, "≤10", "20", "0.00"),
        (LINEAR, "≤10", "25", "0.00"),
        (LINEAR, "≤10", "10", "10"),
        (LINEAR, "≥10", "8", "6.00"),  # positive k = 1.5: 0 at 0.5 × target below it
        (LINEAR, "≥10", "5", "0.00"),
        (ALL_OR_NOTHING, "≥10", "9.99", "0"),
        (ALL_OR_NOTHING, "≤10", "10.01", "0"),
        (ALL_OR_NOTHING, "≥10", "10", "10"),
        (OVER, "≥10", "12", "12.00"),  # over-achievement earns more than the weight
        (OVER, "≤10", "8", "12.50"),
        (OVER, "≥10", "10", "10"),
        (HALF_EVEN, "≥16", "1", "0.62"),  # 0.625 rounded half to even
    ],
)
def test_formulas_a_bureau_may_choose(profile, target, actual, expected):
    assert str(compute_indicator(target, actual, D(10), profile.rules)[0]) == expected


def _unit(funds: dict, indicators: list[dict], execution: dict | None = None, **extra) -> Unit:
    return Unit.model_validate(
        {
            "unit": "测试单位",
            "year": 2023,
            "projects": [
                {
                    "name": "测试项目",
                    "indicators": indicators,
                    "evaluation": {"funds": {"total": funds, "fiscal": funds}, "execution": execution or {}, "achieved": "完成"},
                    **extra,
                }
            ],
        }
    )


MET = [{"level1": "产出指标", "level2": "数量指标", "name": "培训次数", "target": "=5次", "actual": "5次", "weight": 90}]
BANDS = variant(
    "national-2020",
    execution={
        "formula": "bands",
        "bands": [{"low": 0, "high": 60, "points": 0}, {"low": 60, "high": 90, "points": 5}, {"low": 90, "high": 100, "points": 10}],
    },
)
ANNUAL = variant("national-2020", execution={"denominator": "年初"})


@pytest.mark.parametrize(
    "profile, funds, rate, score",
    [
        (PROFILES["shanghai-2022"], {"initial": 100, "budget": 200, "executed": 150}, "0.7500", "7.50"),  # 全年预算数
        (PROFILES["sichuan-2023"], {"initial": 100, "budget": 200, "executed": 150}, "0.7500", "7.50"),  # 调整后预算数
        (ANNUAL, {"initial": 100, "budget": 200, "executed": 150}, "1.5000", "10.00"),  # 年初预算数, capped
        (PROFILES["hubei-style-2020"], {"budget": 100, "executed": 110}, "1.1000", "22.00"),  # 20 × B/A, no cap
        (PROFILES["hubei-style-2020"], {"budget": 100, "executed": 95}, "0.9500", "19.00"),
        (PROFILES["national-2020"], {"budget": 10000, "executed": 1225}, "0.1225", "1.23"),  # 1.225 half up
        (PROFILES["national-2020"], {"budget": 3, "executed": 2}, "0.6667", "6.67"),
        (BANDS, {"budget": 100, "executed": 85}, "0.8500", "5.00"),
        (BANDS, {"budget": 100, "executed": 90}, "0.9000", "10.00"),  # a band's low bound is in it
        (BANDS, {"budget": 100, "executed": 59.99}, "0.5999", "0.00"),
        (BANDS, {"budget": 100, "executed": 120}, "1.2000", "10.00"),  # capped at 100 %: the top band
    ],
)
def test_budget_execution_by_profile(profile, funds, rate, score):
    unit = _unit(funds, MET)
    execution = score_project(unit.projects[0], profile).execution
    assert (str(execution.rate_rounded), str(execution.computed)) == (rate, score)


def test_not_applicable_indicators_are_dropped_and_the_rest_rescaled():
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": "A", "target": "=1个", "actual": "1个", "weight": 30},
        {"level1": "产出指标", "level2": "数量指标", "name": "B", "target": "=1个", "actual": "不适用", "weight": 30},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "C", "target": "≥10", "actual": "5", "weight": 30, "deviation": "未达标"},
    ]
    unit = _unit({"budget": 100, "executed": 100}, indicators)
    by_section = score_project(unit.projects[0], variant("national-2020", not_applicable="section"))
    assert [str(s.computed) for s in by_section.indicators] == ["60.00", "0", "15.00"]
    assert str(by_section.computed_total) == "85.00"
    by_total = score_project(unit.projects[0], variant("national-2020", not_applicable="total"))
    assert [str(s.computed) for s in by_total.indicators] == ["45.00", "0", "22.50"]
    assert str(by_total.computed_total) == "77.50"
    assert by_total.indicators[0].method == "达到目标，得满分；因有不适用的指标，按 150% 折算"
    report = evaluate_project(unit, 0, variant("national-2020", not_applicable="total"))
    assert [f.code for f in report.findings if f.severity is E] == []  # 45 > 30 is the rescaled 45 of 45
    plain = evaluate_project(unit, 0, PROFILES["national-2020"])  # without rescaling 不适用 is a wording the rule cannot score
    assert ("score-required", "B") in [(f.code, f.indicator) for f in plain.findings]


def test_tier_word_as_actual_where_the_profile_allows_it():
    indicators = [
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "质量",
            "target": "优良",
            "actual": "部分达成",
            "weight": 90,
            "score": 50,
            "deviation": "部分完成",
        },
    ]
    unit = _unit({"budget": 100, "executed": 100}, indicators)
    allowed = evaluate_project(unit, 0, variant("hubei-style-2020", execution={"weight": 10}, qualitative={"tier_as_actual": True}))
    assert allowed.score.indicators[0].tier == "部分达成"
    assert allowed.findings == ()  # 50/90 = 55.56 % lies in hubei's 50–80 %
    national = evaluate_project(unit, 0, variant("national-2020", level1_weights={}, qualitative={"tier_as_actual": True}))
    assert [(f.code, f.message) for f in national.findings] == [
        ("tier-band", "完成档次「部分达成」的得分应在分值的 60%–80% 之间，而得分 50 是分值 90 的 55.56%"),
    ]
    unscored = _unit({"budget": 100, "executed": 100}, [{**indicators[0], "score": None}], {"weight": 10})
    (s,) = score_project(unscored.projects[0], variant("national-2020", qualitative={"tier_as_actual": True})).indicators
    assert (s.computed, s.method) == (None, "实际完成值为完成档次「部分达成」，须在分值的 60%–80% 之间填写得分")
    word = score_project(unscored.projects[0], PROFILES["national-2020"]).indicators[0]
    assert (word.tier, word.method) == (None, "定性指标与目标表述不一致，须填写得分")


# --- replays of the reference forms


def test_sichuan_2023_replay(tmp_path):
    """regions/sichuan-selfeval-2023.txt: 青神县发展和改革局, 工资性支出. The form prints
    年初预算 238.93, 调整后预算数 251.89, 预算执行数 251.89, 预算执行率 100.00%, 权重 10,
    indicators 60 + 30 with 完成值 and 得分 left blank, and its own prompt in place of
    年度目标完成情况. Scored by sichuan-2023: 执行 10 points against 调整后预算数; the
    mid-year adjustment wants a reason; the blanks and the prompt are found."""
    text = """\
unit: 青神县发展和改革局
year: 2023
amount_unit: 万元
profile: sichuan-2023
projects:
  - name: 工资性支出
    code: 51000021R000000019951
    department: 青神县发展和改革局本级
    annual_goal: 严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 发放(缴纳)覆盖率, target: "=100%", weight: 60}
      - {level1: 效益指标, level2: 社会效益指标, name: 足额保障率(参保率), target: "=100%", weight: 30}
    evaluation:
      funds:
        total: {initial: 238.93, budget: 251.89, executed: 251.89}
        fiscal: {initial: 238.93, budget: 251.89, executed: 251.89}
      execution: {weight: 10, rate: 100.00%}
      achieved: 对照年度目标,说明相关任务目标的完成情况(100字以内)
"""
    path = tmp_path / "青神县.yaml"
    path.write_text(text, encoding="utf-8")
    checked = check_source(load_text(text, path))
    (report,) = checked.reports
    score = report.score
    assert score.profile.name == "sichuan-2023"
    assert (str(score.execution.rate_rounded), str(score.execution.computed)) == ("1.0000", "10.00")
    assert score.weight_total == D(100)  # 10 + 60 + 30 = the form's 合计 100
    assert [str(s.computed) for s in score.indicators] == ["0", "0"]
    assert (str(score.computed_total), score.grade) == ("10.00", "差")
    got = [(f.code, f.indicator, f.message) for f in report.findings]
    assert got == [
        ("adjustment-reason-missing", "", "年初预算数 2389300 年中调整为 2518900，规则「sichuan-2023」要求单独说明调整理由，但未填写原因"),
        ("actual-missing", "发放(缴纳)覆盖率", "未填写实际完成值（完成值）"),
        ("deviation-missing", "发放(缴纳)覆盖率", "得分 0 低于分值 60，但未填写偏差原因分析及改进措施"),
        ("actual-missing", "足额保障率(参保率)", "未填写实际完成值（完成值）"),
        ("deviation-missing", "足额保障率(参保率)", "得分 0 低于分值 30，但未填写偏差原因分析及改进措施"),
        ("prompt-left", "", "实际完成情况填的是表格的填写提示「对照年度目标,说明相关任务目标的完成情况(100字以内)」，请换成实际内容"),
    ]
    assert checked.source.line_of(report.findings[0].path) == 17  # the execution row of the file


def test_sichuan_2023_reason_below_90_percent():
    unit = _unit({"initial": 100, "budget": 100, "executed": 89.99}, MET, {"weight": 10})
    got = [(f.code, f.message) for f in evaluate_project(unit, 0, PROFILES["sichuan-2023"]).findings]
    assert got == [("execution-reason-missing", "预算执行率 89.99% 低于 90%，规则「sichuan-2023」要求说明原因，但未填写原因")]
    explained = _unit({"initial": 100, "budget": 100, "executed": 89.99}, MET, {"weight": 10, "reason": "年末结余"})
    assert evaluate_project(explained, 0, PROFILES["sichuan-2023"]).findings == ()
    at_90 = _unit({"initial": 100, "budget": 100, "executed": 90}, MET, {"weight": 10})
    assert evaluate_project(at_90, 0, PROFILES["sichuan-2023"]).findings == ()
    # shanghai-2022 asks for no reason: the same unit is clean there
    assert evaluate_project(unit, 0, PROFILES["shanghai-2022"]).findings == ()


def _hubei_unit(text: str, tmp_path: Path):
    path = tmp_path / "湖北式.yaml"
    path.write_text(text, encoding="utf-8")
    return check_source(load_text(text, path))


def test_hubei_style_2020_replay_changjiang(tmp_path):
    """regions/rules-hubeistyle-2020.txt (1): 2020年度长江禁捕项目自评表, 渔业成品油价格改革补贴.
    Printed: 预算数 1.56 执行数 1.56 执行率 100% 得分 20; 补贴渔船数 6 → 6 20; 渔船补贴发放率
    100% → 100% 10; 12月底之前完成 100% → 100% 10; 退捕渔民抽样调查满意度 ≥90% → 90% 40;
    总分 100. The form has no 分值 column: each 分值 is the printed 得分 (all full)."""
    checked = _hubei_unit(
        """\
unit: 农业工作科
year: 2020
amount_unit: 万元
profile: hubei-style-2020
projects:
  - name: 渔业成品油价格改革补贴
    department: 区市场监督管理局
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 补贴渔船数, target: "6", actual: "6", weight: 20}
      - {level1: 产出指标, level2: 质量指标, name: 渔船补贴发放率, target: "100%", actual: "100%", weight: 10}
      - {level1: 产出指标, level2: 时效指标, name: 12月底之前完成, target: "100%", actual: "100%", weight: 10}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 退捕渔民抽样调查满意度, target: "≥90%", actual: "90%", weight: 40}
    evaluation:
      funds:
        total: {budget: 1.56, executed: 1.56}
        fiscal: {budget: 1.56, executed: 1.56}
      execution: {rate: 100%, score: 20}
      total_score: 100
""",
        tmp_path,
    )
    (report,) = checked.reports
    score = report.score
    assert (score.execution.weight, str(score.execution.computed)) == (D(20), "20.00")
    assert [str(s.computed) for s in score.indicators] == ["20", "10", "10", "40"]
    assert (str(score.computed_total), str(score.shown_total), score.grade) == ("100.00", "100", "优")
    assert report.findings == ()


def test_hubei_style_2020_replay_service_trade(tmp_path):
    """regions/hubeistyle-selfeval-2020.txt: 2020年市级服务贸易发展资金, 区商务局. Printed:
    285.84 / 285.84 / 100% / 20; 产出指标(60分) six indicators of 10, 效益指标(40分) two of 20,
    总分 100. The quantitative ones replay as printed (权重×B/A, capped at the weight); the
    qualitative ones are declared. The form's sections add up to 20 + 100 = 120, not the
    100 it prints (its 年度绩效目标 says 80分): docgen finds the slip."""
    checked = _hubei_unit(
        """\
unit: 区商务局
year: 2020
amount_unit: 万元
profile: hubei-style-2020
projects:
  - name: 2020年市级服务贸易发展资金
    executor: 投资促进中心
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 服务外包在岸(万美元), target: "20000", actual: "23333.56", weight: 10}
      - {level1: 产出指标, level2: 数量指标, name: 服务外包离岸(万美元), target: "4500", actual: "4557.51", weight: 10}
      - {level1: 产出指标, level2: 数量指标, name: 支持服务贸易、服务外包企业数量, target: "3", actual: "3", weight: 10}
      - {level1: 产出指标, level2: 质量指标, name: 企业国际质量提升, target: 获得目的国（地区）受众欢迎, actual: 受目的国受众欢迎显著, weight: 10, score: 10}
      - {level1: 产出指标, level2: 时效指标, name: 预算资金执行率, target: "90%", actual: "100%", weight: 10}
      - {level1: 产出指标, level2: 时效指标, name: 资金拨付及时性, target: 98%以上, actual: "100%", weight: 10, score: 10}
      - {level1: 效益指标, level2: 社会效益指标, name: 企业把握政治导向和文化方向情况, target: 企业把握正确政治导向和文化方向情况的评价, actual: 企业较好把握正确政治导向和文化方向情况的评价, weight: 20, score: 20}
      - {level1: 效益指标, level2: 可持续影响指标, name: 推动企业走出去方面发挥的作用, target: 是否利于企业走出去, actual: 有利于推动企业走出去, weight: 20, score: 20}
    evaluation:
      funds:
        total: {budget: 285.84, executed: 285.84}
        fiscal: {budget: 285.84, executed: 285.84}
      execution: {rate: 100%, score: 20}
      total_score: 100
""",
        tmp_path,
    )
    (report,) = checked.reports
    score = report.score
    assert str(score.execution.computed) == "20.00"
    assert [str(s.effective) for s in score.indicators] == ["10", "10", "10", "10", "10", "10", "20", "20"]
    assert [(f.code, f.message) for f in report.findings] == [
        ("weights-total", "分值合计为 120（预算执行率 20 + 绩效指标 100），应为 100"),
        ("total-mismatch", "总分填报为 100，各项得分合计为 120"),
    ]
