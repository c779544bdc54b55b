import pytest

from docgen.forms.context import merge_flags, paragraphs
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
