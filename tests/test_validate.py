from decimal import Decimal

import pytest

from docgen.errors import InputError
from docgen.inputs.loader import load_unit

BAD = [
    # file, line, field path, words in the message, project/indicator context
    ("syntax.yaml", 7, "", "语法错误", ""),
    ("empty.yaml", 1, "", "文件为空", ""),
    ("comment_only.yaml", 1, "", "文件为空", ""),
    ("top_list.yaml", 1, "", "顶层应为键值结构", ""),
    ("unknown_key.yaml", 13, "projects[0].indicators[0].wieght", "未知字段「wieght」", "项目「测试项目」，指标「培训次数」"),
    ("wrong_type.yaml", 19, "projects[0].indicators[1].weight", "应为分数（数字），却是「四十」", "指标「满意度」"),
    ("missing_field.yaml", 8, "projects[0].indicators[0].name", "缺少必填字段", "项目「测试项目」"),
    ("bad_amount.yaml", 23, "projects[0].evaluation.funds.fiscal.executed", "应为金额", "项目「测试项目」"),
    ("bad_year.yaml", 2, "year", "应为整数，却是「明年」", ""),
    ("wrong_type.json", 8, "projects[0].indicators[0].weight", "应为分数", "项目「项目乙」，指标「指标丙」"),
]


@pytest.mark.parametrize("name, line, field, words, context", BAD)
def test_bad_input_is_located(fixtures, name, line, field, words, context):
    path = fixtures / "bad" / name
    with pytest.raises(InputError) as info:
        load_unit(path)
    problem = info.value.problems[0]
    assert problem.line == line
    assert problem.field() == field
    assert words in problem.text
    assert context in problem.context
    message = info.value.message()
    assert str(path) in message and f":{line}" in message


def test_unknown_key_lists_the_allowed_keys(fixtures):
    with pytest.raises(InputError) as info:
        load_unit(fixtures / "bad" / "unknown_key.yaml")
    assert "weight（分值）" in info.value.problems[0].text


def test_every_problem_is_reported_not_just_the_first(tmp_path, fixtures):
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("weight: 50", "weight: 五十").replace("weight: 40", "weigth: 40")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_unit(path)
    fields = sorted(p.field() for p in info.value.problems)
    assert fields == ["projects[0].indicators[0].weight", "projects[0].indicators[1].weigth"]


def test_minimal_unit(fixtures):
    unit = load_unit(fixtures / "minimal.yaml")
    assert unit.unit == "测试单位" and unit.year == 2023
    project = unit.projects[0]
    assert unit.department_of(project) == "测试单位"  # falls back to the unit
    assert project.indicators[0].weight == Decimal("50")
    assert project.evaluation.funds.total.executed == Decimal("90")
    assert project.evaluation.funds.carryover.budget is None


def test_example_amounts_and_rates_are_exact(example):
    unit = load_unit(example)
    first = unit.projects[0].evaluation
    assert first.funds.total.initial == Decimal("1943200.00")
    assert first.funds.total.executed == Decimal("1505492")  # "1,505,492" in the file
    assert first.execution.rate == Decimal("0.9641")
    fourth = unit.projects[3]
    assert fourth.evaluation.total_score == Decimal("89.15")
    assert [i.score for i in fourth.indicators][2] == Decimal("7.2")


@pytest.mark.parametrize(
    "rate, expected",
    [("96.41%", Decimal("0.9641")), ("100％", Decimal("1")), (96.41, Decimal("0.9641")), ("", None)],
)
def test_rates_are_fractions(rate, expected):
    from docgen.forms.selfeval.model import Execution

    assert Execution(rate=rate).rate == expected


@pytest.mark.parametrize(
    "amount, expected",
    [("1,505,492", Decimal("1505492")), ("2,612,933.32", Decimal("2612933.32")), (0.1, Decimal("0.1")), ("  ", None)],
)
def test_amounts(amount, expected):
    from docgen.forms.selfeval.model import FundsLine

    assert FundsLine(executed=amount).executed == expected


@pytest.mark.parametrize("amount", ["1,50,5492", "一百", "12元", True])
def test_bad_amounts(amount):
    from pydantic import ValidationError

    from docgen.forms.selfeval.model import FundsLine

    with pytest.raises(ValidationError):
        FundsLine(executed=amount)
