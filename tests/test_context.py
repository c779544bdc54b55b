from decimal import Decimal

import pytest

from docgen.forms.context import merge_flags, paragraphs, target_parts
from docgen.forms.selfeval.checks import check_unit
from docgen.forms.selfeval.context import selfeval_context
from docgen.inputs.loader import load_unit
from docgen.registry.manifest import default_registry


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("一段", ["一段"]),
        ("第一段\n第二段\n", ["第一段", "第二段"]),
        ("<p>甲</p> <p>乙</p>", ["甲", "乙"]),
        ("<p>甲<br>乙</p>", ["甲", "乙"]),
        ("<P class='x'>A &amp; B</P>", ["A & B"]),
        ("  \n\n  ", []),
    ],
)
def test_paragraphs(text, expected):
    assert paragraphs(text) == expected


@pytest.mark.parametrize(
    "keys, expected",
    [
        ([], []),
        (["a"], ["restart"]),
        (["a", "a", "b", "b", "b", "a"], ["restart", "continue", "restart", "continue", "continue", "restart"]),
    ],
)
def test_merge_flags(keys, expected):
    assert merge_flags(keys) == expected


def test_level2_runs_restart_at_each_level1_boundary(example):
    unit = load_unit(example)
    version = default_registry().version("selfeval")
    reports = check_unit(unit, version.profile)
    rows = selfeval_context(unit, reports[0], version)["project"]["indicators"]
    assert [(r["level1"], r["l1_merge"]) for r in rows if r["l1_merge"] == "restart"] == [
        ("产出指标", "restart"),
        ("效益指标", "restart"),
        ("满意度指标", "restart"),
    ]
    assert [r["l2_merge"] for r in rows] == [
        "restart",
        "continue",
        "continue",
        "continue",  # 数量指标
        "restart",
        "continue",  # 质量指标
        "restart",
        "continue",  # 时效指标
        "restart",
        "continue",  # 社会效益指标
        "restart",  # 可持续影响指标
        "restart",  # 服务对象满意度指标
    ]


@pytest.mark.parametrize(
    "text, comparator, value, unit",
    [
        ("=100%", "=", "100", "%"),
        ("≥95%", "≥", "95", "%"),
        ("﹦72890元", "﹦", "72890", "元"),  # the small equals sign the Yunnan form prints
        ("<=3天", "<=", "3", "天"),
        ("≥90.00(%)", "≥", "90.00", "(%)"),
        ("5.2万人次", "", "5.2", "万人次"),
        ("100", "", "100", ""),
        ("及时", "", "及时", ""),
        ("约90%", "", "约90%", ""),  # not a quantity: whole into 指标值
        ("", "", "", ""),
    ],
)
def test_target_parts_split_as_written(text, comparator, value, unit):
    assert target_parts(text) == {"comparator": comparator, "value": value, "unit": unit}


def _first_context(text: str, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    unit = load_unit(path)
    version = default_registry().version("selfeval")
    return selfeval_context(unit, check_unit(unit, version.profile)[0], version)["project"]


_REGIONAL = """\
unit: 测试单位
year: 2023
projects:
  - name: 工资性支出
    sign_off: {project_lead: 张三}
    evaluation:
      funds:
        total: {initial: 238.93, budget: 251.89, executed: 240}
        special_account: {initial: 0, budget: 0, executed: 0}
        unit_own: {budget: 10}
      conclusion: 总体完成。
      class_weights: {产出指标: 50}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 覆盖率, target: "=100%", actual: 100%, weight: 30}
      - {level1: 产出指标, level2: 质量指标, name: 合格率, target: ≥95%, actual: 96%, weight: 30}
      - {level1: 效益指标, level2: 社会效益指标, name: 保障率, target: ≥90%, actual: 95%, weight: 30}
"""


def test_regional_fields_reach_the_context(tmp_path):
    project = _first_context(_REGIONAL, tmp_path)
    funds = project["funds"]
    assert funds["total"]["rate"] == Decimal("0.9528")  # 240 / 251.89, half up to 0.01%
    assert funds["special_account"]["rate"] == Decimal(0)  # a budget of 0 prints 0.00%
    assert funds["unit_own"]["rate"] is None  # 执行数 blank: no rate
    assert funds["carryover"]["label"] == "上年结转资金"
    assert project["sign_off"]["project_lead"] == "张三" and project["sign_off"]["finance_lead"] == ""
    assert project["conclusion"] == ["总体完成。"] and project["problems"] == []
    # written class points win; a class without them sums its weights
    assert project["class_points"] == {"产出指标": Decimal(50), "效益指标": Decimal(30)}
    first = project["indicators"][0]
    assert first["target_parts"] == {"comparator": "=", "value": "100", "unit": "%"}
    assert first["class_points"] == Decimal(50)
