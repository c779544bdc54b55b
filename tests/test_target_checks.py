import copy

import pytest

from docgen.api import check_file
from docgen.errors import InputError
from docgen.forms.target.checks import check_declaration
from docgen.model.findings import Severity
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry

E = Severity.ERROR
VERSION = default_registry().version("target", "2023")

BASE = {
    "unit": "单位",
    "year": 2023,
    "projects": [
        {
            "name": "项目甲",
            "annual_goal": "目标",
            "declaration": {
                "nature": "经常性专项业务费",
                "category": "特定目标类",
                "start": "2023-01-01",
                "end": "2023-12-31",
                "funds": {"annual_total": "100.00", "annual_fiscal": "100.00", "annual_carryover": "0.00", "annual_other": "0.00"},
            },
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "次数", "target": "=5次"},
                {"level1": "效益指标", "level2": "社会效益指标", "name": "投诉率", "target": "=0.00(%)"},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90.00(%)"},
            ],
        }
    ],
}


def findings(change):
    data = copy.deepcopy(BASE)
    change(data["projects"][0])
    unit = Unit.model_validate(data)
    return [(f.severity, f.code, f.indicator, f.message) for f in check_declaration(unit.projects[0], 0, unit, VERSION)]


def decl(p):
    return p["declaration"]


CASES = [
    ("clean", lambda p: None, []),
    (
        "annual funds do not add up",
        lambda p: decl(p)["funds"].update(annual_carryover="5"),
        [(E, "declared-funds-sum", "", "年度资金申请总额 100 不等于 当年财政拨款 + 上年结转资金 + 其他资金 = 105")],
    ),
    (
        "project funds do not add up",
        lambda p: decl(p)["funds"].update(project_total="300", project_fiscal="200"),
        [(E, "declared-funds-sum", "", "项目资金总额 300 不等于 财政资金 + 其他资金 = 200")],
    ),
    (
        "a total without any breakdown has nothing to add up",
        lambda p: decl(p)["funds"].update(project_total="300"),
        [],
    ),
    (
        "start after end",
        lambda p: decl(p).update(start="2023-12-31", end="2023-06-30"),
        [(E, "dates-order", "", "计划开始日期 2023-12-31 晚于计划完成日期 2023-06-30")],
    ),
    (
        "dates outside the year",
        lambda p: decl(p).update(end="2024-03-31"),
        [(E, "dates-year", "", "计划完成日期 2024-03-31 不在 2023 年度内")],
    ),
    (
        "required fields missing",
        lambda p: (decl(p).pop("start"), p.pop("annual_goal")),
        [
            (E, "required", "", "「财政项目支出绩效目标申报表 2023」须填写年度总体目标"),
            (E, "required", "", "「财政项目支出绩效目标申报表 2023」须填写计划开始日期"),
        ],
    ),
    (
        "an older taxonomy class",
        lambda p: p["indicators"][0].update(level1="投入与管理", level2="投入管理"),
        [
            (E, "taxonomy", "次数", "一级指标「投入与管理」不在指标体系中（允许：产出指标、效益指标、满意度指标）"),
            (E, "level1-missing", "", "缺少一级指标「产出指标」"),
        ],
    ),
    (
        "a required class missing",
        lambda p: p["indicators"].pop(2),
        [(E, "level1-missing", "", "缺少一级指标「满意度指标」")],
    ),
    (
        "a quantitative target that does not parse",
        lambda p: p["indicators"][0].update(target="=五次"),
        [(E, "target-unparsed", "次数", "年度(/项目)指标值「=五次」以比较符开头，却无法读出数值和单位")],
    ),
    (
        "a blank target",
        lambda p: p["indicators"][0].update(target=""),
        [(E, "target-missing", "次数", "未填写年度(/项目)指标值")],
    ),
    (
        "duplicate indicators",
        lambda p: p["indicators"][1].update(name="次数"),
        [(E, "duplicate-indicator", "次数", "三级指标重复（与第 1 个指标同名）")],
    ),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_declaration_check(change, expected):
    assert findings(change) == expected


def test_the_published_2023_declarations_are_consistent(fixtures):
    checked = check_file(fixtures.parent.parent / "data" / "examples" / "shanghai-sscard-2023.yaml")
    assert [t.project.name for t in checked.of_kind("target")] == [
        "交换平台运行费",
        "敬老卡制作费",
        "申领、补换卡网点运行费",
        "市民服务平台运行费",
        "信息化运维项目",
        "正式居住证制作费",
        "制卡设备更新及维护费",
    ]
    assert [len(t.project.indicators) for t in checked.of_kind("target")] == [6, 10, 13, 8, 12, 10, 11]
    assert {t.version.version for t in checked.of_kind("target")} == {"2023"}
    assert checked.findings == []
    assert checked.of_kind("selfeval") == []


def test_unknown_form_version_is_an_input_error_with_its_line(tmp_path, fixtures):
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("amount_unit: 元\n", 'amount_unit: 元\nforms:\n  selfeval: "2031"\n')
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        check_file(path)
    problem = info.value.problems[0]
    assert problem.line == 5
    assert problem.field() == "forms.selfeval"
    assert "没有版本「2031」" in problem.text


@pytest.mark.parametrize("version, expected", [("2020", []), ("2023", ["taxonomy"] * 3 + ["level1-missing"] * 3)])
def test_validation_follows_the_version(version, expected):
    data = copy.deepcopy(BASE)
    project = data["projects"][0]
    project["overall_goal"] = "总目标"
    project["indicators"] = [
        {"level1": "投入与管理", "level2": "投入管理", "name": "资金到位率", "target": "=100%"},
        {"level1": "产出目标", "level2": "数量", "name": "制作数量", "target": "=65万"},
        {"level1": "效果目标", "level2": "社会效益", "name": "残疾人满意度", "target": ">=80%"},
    ]
    unit = Unit.model_validate(data)
    chosen = default_registry().version("target", version)
    assert [f.code for f in check_declaration(unit.projects[0], 0, unit, chosen)] == expected
