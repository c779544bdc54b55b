from decimal import Decimal as D

import pytest

from docgen.forms.selfeval.model import Evaluation, Execution, Funds, FundsLine
from docgen.forms.selfeval.scoring import compute_indicator, score_project
from docgen.model.unit import Indicator, Project
from docgen.registry.manifest import default_registry

PROFILE = default_registry().version("selfeval").profile


@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        # positive quantitative targets
        ("=5次", "6", "5", "5"),
        ("=2个", "1.6", "10", "8.00"),
        ("=100%", "100%", "8", "8"),
        ("=100%", "=100%", "9", "9"),
        ("=100%", "90%", "10", "9.00"),
        ("=100%", "90%", "8", "7.20"),
        ("=100%", "80%", "10", "8.00"),
        (">=85%", "90", "10", "10"),
        (">=85%", "80%", "10", "9.41"),  # 80/85*10 = 9.4117… rounds to 9.41
        (">=90%", ">=90%", "10", "10"),
        ("≥90.00(%)", "89.5%", "10", "9.94"),  # 9.9444…
        (">=3000人次", "5.2万人次", "5", "5"),
        (">=3000人次", "2,400人次", "5", "4.00"),
        (">90%", "90%", "10", "10.00"),  # not met, but actual/target caps at full
        ("=35.00(万张)", "31.5万张", "20", "18.00"),
        ("=3次", "1次", "10", "3.33"),
        ("=3次", "2次", "10", "6.67"),  # half-up at the cent
        # zero targets
        ("=0次", "0", "10", "10"),
        ("=0次", "0次", "15", "15"),
        ("=0.00(%)", "0%", "10", "10"),
        ("=0次", "1次", "10", "0"),
        # reverse targets
        ("<=2%", "1.5%", "10", "10"),
        ("<=2%", "2%", "10", "10"),
        ("<=2%", "4%", "10", "5.00"),
        ("<2%", "2%", "10", "10.00"),
        ("≤3天", "0天", "10", "10"),
        # qualitative
        ("及时", "及时", "5", "5"),
        ("健全", "健 全", "15", "15"),
        ("提升", "提升", "15", "15"),
        # blank actual
        ("=100%", "", "10", "0"),
        ("及时", "   ", "10", "0"),
    ],
)
def test_indicator_rules(target, actual, weight, expected):
    score, method = compute_indicator(target, actual, D(weight))
    assert score == D(expected)
    assert str(score) == expected  # exact Decimal, rounded to cents where computed
    assert method


@pytest.mark.parametrize(
    "target, actual, why",
    [
        ("及时", "不够及时", "须填写得分"),
        ("健全", "不够健全", "须填写得分"),
        ("提高", "未能有效提高", "须填写得分"),
        ("=5次", "5人", "单位不一致"),
        ("=100%", "基本完成", "须填写得分"),
    ],
)
def test_indicator_rules_that_need_a_declared_score(target, actual, why):
    score, method = compute_indicator(target, actual, D(10))
    assert score is None
    assert why in method


def project(budget, executed, weight=None, score=None, rate=None, indicators=(), total=None):
    return Project(
        name="项目",
        indicators=list(indicators),
        evaluation=Evaluation(
            funds=Funds(total=FundsLine(budget=budget, executed=executed)),
            execution=Execution(weight=weight, score=score, rate=rate),
            total_score=total,
        ),
    )


@pytest.mark.parametrize(
    "budget, executed, rate, score",
    [
        ("1561500", "1505492", "0.9641", "9.64"),
        ("4328240", "2612933.32", "0.6037", "6.04"),
        ("2187145", "1886570.62", "0.8626", "8.63"),
        ("1810940", "1801330", "0.9947", "9.95"),
        ("10210000", "9835738", "0.9633", "9.63"),
        ("53500", "53500", "1.0000", "10.00"),
        ("100", "120", "1.2000", "10.00"),  # capped at 100%
        ("100", None, "0.0000", "0.00"),  # blank 执行数 is 0
    ],
)
def test_budget_execution(budget, executed, rate, score):
    result = score_project(project(budget, executed), PROFILE).execution
    assert str(result.rate_rounded) == rate
    assert str(result.computed) == score
    assert result.weight == D(10)


def test_execution_needs_a_budget():
    result = score_project(project(None, "5"), PROFILE).execution
    assert result.rate is None and result.computed is None


def test_declared_scores_override_and_total_sums_them():
    inds = [
        Indicator(level1="产出指标", level2="数量指标", name="甲", target="=2个", actual="1.6", weight=50, score=30),
        Indicator(level1="产出指标", level2="数量指标", name="乙", target="=100%", actual="90%", weight=40),
    ]
    s = score_project(project("100", "95", indicators=inds), PROFILE)
    assert [i.computed for i in s.indicators] == [D("40.00"), D("36.00")]
    assert [i.effective for i in s.indicators] == [D("30"), D("36.00")]
    assert s.execution.computed == D("9.50")
    assert s.total == D("75.50")
    assert s.computed_total == D("85.50")
    assert s.grade == "中"


@pytest.mark.parametrize(
    "total, grade",
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")],
)
def test_grades(total, grade):
    assert PROFILE.grade(D(total)) == grade


def test_example_totals(example):
    from docgen.forms.selfeval.checks import check_unit
    from docgen.inputs.loader import load_unit

    reports = check_unit(load_unit(example), PROFILE)
    got = [(r.score.total, r.score.computed_total, r.score.grade) for r in reports]
    assert got == [
        (D("96.00"), D("97.64"), "优"),
        (D("95.00"), D("96.04"), "优"),
        (D("96.00"), D("94.63"), "优"),
        (D("89.15"), D("93.15"), "良"),
        (D("95.63"), D("99.63"), "优"),
        (D("95.00"), D("95.00"), "优"),
    ]
