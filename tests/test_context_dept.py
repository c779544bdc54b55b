"""The render context of the departmental document: goal numbering and each project's table."""

from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from docgen.forms.context import chinese_number
from docgen.forms.dept.context import dept_context, dept_project_context
from docgen.inputs.loader import load_unit
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "qinhuangdao-shanhaiguan-dpf-2020.yaml"
VERSION = default_registry().version("dept", "2020")
UNIT = load_unit(EXAMPLE)
RAW = YAML(typ="safe", pure=True).load(EXAMPLE.read_text(encoding="utf-8"))  # not through docgen's loader


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "一"),
        (2, "二"),
        (3, "三"),
        (4, "四"),
        (5, "五"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (45, "四十五"),
        (90, "九十"),
        (99, "九十九"),
        # outside 1..99 the number is left as digits
        (0, "0"),
        (100, "100"),
        (-3, "-3"),
    ],
)
def test_chinese_number(n, expected):
    assert chinese_number(n) == expected


def test_chinese_numbers_are_distinct_from_1_to_99():
    names = [chinese_number(n) for n in range(1, 100)]
    assert len(set(names)) == 99
    assert all(not any(c.isdigit() for c in name) for name in names)


# ------------------------------------------------------------------ the document


def contexts(pages=None):
    return [dept_project_context(UNIT, project, VERSION, n, pages[n - 1] if pages else None) for n, project in enumerate(UNIT.projects, start=1)]


def test_overall_goals_numbered_in_chinese():
    goals = dept_context(UNIT, VERSION, contexts())["goals"]
    assert [g["number"] for g in goals["overall"]] == ["一、", "二、", "三、", "四、"]
    assert [g["text"] for g in goals["overall"]] == RAW["department_goals"]["overall"]
    assert goals["overall"][0]["text"].startswith("残疾人基本公共服务体系基本完善")


def test_areas_numbered_in_chinese_and_their_points_in_arabic():
    areas = dept_context(UNIT, VERSION, contexts())["goals"]["areas"]
    raw = RAW["department_goals"]["areas"]
    assert [a["number"] for a in areas] == ["一、", "二、", "三、"]
    assert [a["text"] for a in areas] == [a["text"] for a in raw]
    assert [[p["number"] for p in a["points"]] for a in areas] == [
        ["1、", "2、"],
        ["1、", "2、", "3、", "4、"],
        ["1、"],
    ]
    assert [[p["text"] for p in a["points"]] for a in areas] == [a["items"] for a in raw]
    assert areas[1]["points"][3]["text"].startswith("残疾人宣传文体和志愿者助残")


def test_safeguards_intro_and_points():
    safeguards = dept_context(UNIT, VERSION, contexts())["goals"]["safeguards"]
    raw = RAW["department_goals"]["safeguards"]
    assert safeguards["intro"] == [raw["intro"].strip()]
    assert [p["number"] for p in safeguards["points"]] == ["1、", "2、", "3、", "4、", "5、"]
    assert [p["text"] for p in safeguards["points"]] == raw["items"]


def test_document_header_and_contents():
    ctx = dept_context(UNIT, VERSION, contexts([6, 7, 8, 9, 10, 11]))
    assert ctx["unit"] == {"name": "秦皇岛市山海关区残疾人联合会", "code": "762002", "year": 2020, "amount_unit": "元", "extra": {}}
    assert ctx["form"]["title"] == "部门整体绩效目标" and ctx["form"]["version"] == "2020"
    assert ctx["form"]["labels"]["form"] == "绩效目标表"
    assert [c["page"] for c in ctx["contents"]] == [6, 7, 8, 9, 10, 11]
    assert [c["text"] for c in ctx["contents"]] == [f"{n}、{p['name']}绩效目标表" for n, p in enumerate(RAW["projects"], start=1)]
    assert [p["number"] for p in ctx["projects"]] == [1, 2, 3, 4, 5, 6]
    assert ctx["projects"][2]["heading"] == "3、关于提前下达2020年残疾人基本公共服务预算指标的通知绩效目标表"


def test_without_department_goals_the_first_part_is_empty():
    unit = Unit.model_validate({"unit": "单位", "year": 2020, "projects": [{"name": "甲", "budget": {"total": 1}}]})
    ctx = dept_context(unit, VERSION, [dept_project_context(unit, unit.projects[0], VERSION, 1)])
    assert ctx["goals"] == {"overall": [], "areas": [], "safeguards": {"intro": [], "points": []}}
    assert ctx["contents"] == [{"text": "1、甲绩效目标表", "page": None}]


def test_first_project_table():
    ctx = dept_project_context(UNIT, UNIT.projects[0], VERSION, 1)
    project = ctx["project"]
    raw = RAW["projects"][0]
    assert project["heading"] == "1、残疾人精准康复经费绩效目标表"
    assert project["toc_text"] == "1、残疾人精准康复经费绩效目标表"
    assert project["number"] == 1 and project["page"] is None
    assert project["code"] == "762-0502-YBN-3CSO"
    assert project["name"] == "残疾人精准康复经费"
    assert project["budget"]["total"] == Decimal("100000.00")
    assert project["budget"]["fiscal"] == Decimal("100000")
    assert project["budget"]["other"] is None
    assert project["budget"]["use"] == [raw["budget"]["use"]]
    assert project["plan"] == [Decimal("25"), Decimal("60"), Decimal("90"), Decimal("100")]
    assert all(isinstance(v, Decimal) for v in project["plan"])
    assert project["goal"] == [raw["annual_goal"]]
    assert [i["l1_merge"] for i in project["indicators"]] == ["restart", "continue", "restart", "restart"]
    assert [(i["level1"], i["level2"], i["name"], i["target"]) for i in project["indicators"]] == [
        (i["level1"], i["level2"], i["name"], i["target"]) for i in raw["indicators"]
    ]
    assert [i["description"] for i in project["indicators"]] == [i["description"] for i in raw["indicators"]]
    assert [i["basis"] for i in project["indicators"]] == ["", "", "", ""]
    assert ctx["unit"]["code"] == "762002" and ctx["unit"]["name"] == "秦皇岛市山海关区残疾人联合会"


def test_page_and_number_are_passed_through():
    project = dept_project_context(UNIT, UNIT.projects[5], VERSION, 4, 13)["project"]
    assert project["heading"] == "4、专项补助(生活补助)绩效目标表"
    assert (project["number"], project["page"]) == (4, 13)
    assert project["budget"]["total"] == Decimal("1570000")


@pytest.mark.parametrize(
    "levels, expected",
    [
        (["产出指标", "产出指标", "效果指标", "满意度指标"], ["restart", "continue", "restart", "restart"]),
        (["产出指标", "产出指标", "产出指标", "效果指标", "效果指标", "满意度指标"], ["restart", "continue", "continue", "restart", "continue", "restart"]),
        (["产出指标", "效果指标", "产出指标"], ["restart", "restart", "restart"]),
        (["满意度指标"], ["restart"]),
        ([], []),
    ],
)
def test_level1_merges_follow_the_runs(levels, expected):
    indicators = [{"level1": l1, "level2": "x", "name": f"指标{n}"} for n, l1 in enumerate(levels)]
    unit = Unit.model_validate({"unit": "单位", "year": 2020, "projects": [{"name": "甲", "budget": {}, "indicators": indicators}]})
    rows = dept_project_context(unit, unit.projects[0], VERSION, 1)["project"]["indicators"]
    assert [r["l1_merge"] for r in rows] == expected


def test_a_straight_quote_cannot_end_the_contents_field_early():
    unit = Unit.model_validate({"unit": "单位", "year": 2020, "projects": [{"name": '"阳光"工程', "budget": {"total": 5}}]})
    project = dept_project_context(unit, unit.projects[0], VERSION, 2)["project"]
    assert project["heading"] == '2、"阳光"工程绩效目标表'
    assert project["toc_text"] == "2、＂阳光＂工程绩效目标表"


def test_a_backslash_cannot_escape_the_closing_quote_of_the_contents_field():
    from docgen.render.compose import _parse_tc

    unit = Unit.model_validate({"unit": "单位", "year": 2020, "projects": [{"name": "路径\\", "budget": {"total": 5}}]})
    project = dept_project_context(unit, unit.projects[0], VERSION, 3)["project"]
    assert project["toc_text"] == "3、路径\\\\绩效目标表"  # doubled, as Word reads field arguments
    assert _parse_tc(f'TC "{project["toc_text"]}" \\f C \\l 2').text == "3、路径\\绩效目标表"


def test_budget_use_and_goal_split_into_paragraphs():
    unit = Unit.model_validate(
        {"unit": "单位", "year": 2020, "projects": [{"name": "甲", "annual_goal": "<p>一</p><p>二</p>", "budget": {"use": "甲\n\n乙\n"}}]}
    )
    project = dept_project_context(unit, unit.projects[0], VERSION, 1)["project"]
    assert project["goal"] == ["一", "二"]
    assert project["budget"]["use"] == ["甲", "乙"]
    assert project["plan"] == [None, None, None, None]
