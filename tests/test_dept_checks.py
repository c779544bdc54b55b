"""Checks of the departmental document (部门整体绩效目标 2020): each project's 绩效目标表
(`check_budget_project`) and the unit-wide rule on 项目编码 (`check_codes`)."""

import copy
from pathlib import Path

import pytest

from docgen import check_file
from docgen.forms.dept.checks import check_budget_project
from docgen.forms.rules import check_codes
from docgen.model.findings import Severity
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry

E = Severity.ERROR
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "qinhuangdao-shanhaiguan-dpf-2020.yaml"
VERSION = default_registry().version("dept", "2020")
RULES = "部门整体绩效目标 2020"
P = ("projects", 0)
PLAN = P + ("budget", "plan")

BASE = {
    "unit": "某区残联",
    "code": "762002",
    "year": 2020,
    "forms": {"dept": "2020"},
    "projects": [
        {
            "name": "项目甲",
            "code": "762-0502-YBN-3CSO",
            "annual_goal": "1、目标",
            "budget": {
                "total": "100,000.00",
                "fiscal": "100,000.00",
                "other": None,
                "use": "用途",
                "plan": {"march": 25, "june": "60.00", "october": "90%", "december": 100},
            },
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "人数", "target": "≥549人"},
                {"level1": "效果指标", "level2": "社会效益指标", "name": "服务水平", "target": "有所提高"},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90%"},
            ],
        }
    ],
}


def findings(change):
    data = copy.deepcopy(BASE)
    change(data["projects"][0])
    unit = Unit.model_validate(data)
    return [(f.severity, f.code, f.indicator, f.message, f.path) for f in check_budget_project(unit.projects[0], 0, VERSION)]


def plan(**values):
    return lambda p: p["budget"]["plan"].update(values)


def budget(**values):
    return lambda p: p["budget"].update(values)


def ind(i, **values):
    return lambda p: p["indicators"][i].update(values)


CASES = [
    ("clean", lambda p: None, []),
    (
        "plan falls (60 then 50)",
        plan(march=60, june=50),
        [(E, "plan-falls", "", "资金支出计划是累计进度，「6月底」50% 低于「3月底」60%", PLAN + ("june",))],
    ),
    (
        "plan falls late (90 then 80 at 12月底, which is not 100 either)",
        plan(october=90, december=80),
        [
            (E, "plan-falls", "", "资金支出计划是累计进度，「12月底」80% 低于「10月底」90%", PLAN + ("december",)),
            (E, "plan-end", "", "资金支出计划「12月底」应为 100%，填的是 80%", PLAN + ("december",)),
        ],
    ),
    (
        "plan does not end at 100",
        plan(december="95.5"),
        [(E, "plan-end", "", "资金支出计划「12月底」应为 100%，填的是 95.5%", PLAN + ("december",))],
    ),
    (
        "plan value below 0",
        plan(march=-1),
        [(E, "plan-range", "", "资金支出计划「3月底」为 -1%，应在 0–100 之间", PLAN + ("march",))],
    ),
    (
        "plan value above 100",
        plan(december=101),
        [
            (E, "plan-range", "", "资金支出计划「12月底」为 101%，应在 0–100 之间", PLAN + ("december",)),
            (E, "plan-end", "", "资金支出计划「12月底」应为 100%，填的是 101%", PLAN + ("december",)),
        ],
    ),
    (
        "0 and 100 are within range",
        plan(march=0, june=0, october=100, december=100),
        [],
    ),
    (
        "a missing plan value (later values compare with the last one given)",
        plan(june=None, october=20),
        [
            (E, "plan-missing", "", "资金支出计划「6月底」未填写", PLAN + ("june",)),
            (E, "plan-falls", "", "资金支出计划是累计进度，「10月底」20% 低于「3月底」25%", PLAN + ("october",)),
        ],
    ),
    (
        "a blank 12月底 is missing, not a wrong end",
        plan(december=""),
        [(E, "plan-missing", "", "资金支出计划「12月底」未填写", PLAN + ("december",))],
    ),
    (
        "all plan values blank",
        plan(march=None, june="", october=None, december=" "),
        [(E, "plan-missing", "", "未填写资金支出计划（%）", PLAN)],
    ),
    (
        "no plan at all",
        lambda p: p["budget"].pop("plan"),
        [(E, "plan-missing", "", "未填写资金支出计划（%）", PLAN)],
    ),
    (
        "财政资金 + 其他资金 ≠ 预算数",
        budget(fiscal="80,000.00", other="10,000.00"),
        [(E, "declared-funds-sum", "", "预算数 100000 不等于 财政资金 + 其他资金 = 90000", P + ("budget", "total"))],
    ),
    (
        "财政资金 alone above 预算数",
        budget(fiscal="100,000.01"),
        [(E, "declared-funds-sum", "", "预算数 100000 不等于 财政资金 + 其他资金 = 100000.01", P + ("budget", "total"))],
    ),
    ("财政资金 + 其他资金 = 预算数", budget(fiscal=80000, other="20,000.00"), []),
    ("only 其他资金, equal to 预算数", budget(fiscal=None, other="100000"), []),
    ("blank breakdown: nothing to add up", budget(fiscal=None, other=""), []),
    (
        "required fields missing",
        lambda p: (p.update(code=" ", annual_goal=""), p["budget"].update(total=None, fiscal=None)),
        [
            (E, "required", "", f"「{RULES}」须填写项目编码", P + ("code",)),
            (E, "required", "", f"「{RULES}」须填写年度总体目标", P + ("annual_goal",)),
            (E, "required", "", f"「{RULES}」须填写预算数", P + ("budget", "total")),
        ],
    ),
    (
        "预算数 blank while 财政资金 is given",
        budget(total=""),
        [
            (E, "required", "", f"「{RULES}」须填写预算数", P + ("budget", "total")),
            (E, "declared-funds-sum", "", "预算数 空 不等于 财政资金 + 其他资金 = 100000", P + ("budget", "total")),
        ],
    ),
    (
        "效益指标 is the 2022 class; dept 2020 has 效果指标",
        ind(1, level1="效益指标"),
        [
            (
                E,
                "taxonomy",
                "服务水平",
                "一级指标「效益指标」不在指标体系中（允许：产出指标、效果指标、满意度指标）",
                P + ("indicators", 1, "level1"),
            ),
            (E, "level1-missing", "", "缺少一级指标「效果指标」", P + ("indicators",)),
        ],
    ),
    (
        "二级指标 not under its 一级指标",
        ind(1, level2="社会效益"),
        [
            (
                E,
                "taxonomy",
                "服务水平",
                "二级指标「社会效益」不属于一级指标「效果指标」（允许：经济效益指标、社会效益指标、生态效益指标、可持续影响指标）",
                P + ("indicators", 1, "level2"),
            ),
        ],
    ),
    (
        "a required 一级 class missing",
        lambda p: p["indicators"].pop(2),
        [(E, "level1-missing", "", "缺少一级指标「满意度指标」", P + ("indicators",))],
    ),
    (
        "no indicators: every required 一级 class missing, in manifest order",
        lambda p: p.update(indicators=[]),
        [
            (E, "level1-missing", "", "缺少一级指标「产出指标」", P + ("indicators",)),
            (E, "level1-missing", "", "缺少一级指标「效果指标」", P + ("indicators",)),
            (E, "level1-missing", "", "缺少一级指标「满意度指标」", P + ("indicators",)),
        ],
    ),
    (
        "duplicate 三级指标",
        ind(2, name="人数"),
        [(E, "duplicate-indicator", "人数", "三级指标重复（与第 1 个指标同名）", P + ("indicators", 2, "name"))],
    ),
    (
        "a blank 指标值 (the version's own label)",
        ind(0, target="  "),
        [(E, "target-missing", "人数", "未填写指标值", P + ("indicators", 0, "target"))],
    ),
    (
        "a quantitative 指标值 that does not parse",
        ind(0, target="≥五百人"),
        [(E, "target-unparsed", "人数", "指标值「≥五百人」以比较符开头，却无法读出数值和单位", P + ("indicators", 0, "target"))],
    ),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_budget_project_check(change, expected):
    assert findings(change) == expected


def test_findings_name_the_project_and_are_errors():
    data = copy.deepcopy(BASE)
    data["projects"][0]["budget"]["plan"]["june"] = 10
    unit = Unit.model_validate(data)
    (finding,) = check_budget_project(unit.projects[0], 0, VERSION)
    assert finding.project == "项目甲"
    assert finding.severity is Severity.ERROR
    assert str(finding) == "[错误] 项目「项目甲」：资金支出计划是累计进度，「6月底」10% 低于「3月底」25%"


def test_the_path_carries_the_project_index():
    data = copy.deepcopy(BASE)
    second = copy.deepcopy(data["projects"][0])
    second.update(name="项目乙", code="B")
    second["budget"]["plan"]["december"] = 99
    data["projects"].append(second)
    unit = Unit.model_validate(data)
    assert check_budget_project(unit.projects[0], 0, VERSION) == []
    assert [(f.code, f.project, f.path) for f in check_budget_project(unit.projects[1], 1, VERSION)] == [
        ("plan-end", "项目乙", ("projects", 1, "budget", "plan", "december"))
    ]


# ------------------------------------------------------------------ 项目编码


def unit_with_codes(codes):
    projects = [{"name": f"项目{i + 1}", "code": code} for i, code in enumerate(codes)]
    return Unit.model_validate({"unit": "单位", "year": 2020, "projects": projects})


CODE_CASES = [
    ("distinct", ["A-1", "A-2", "A-3"], []),
    ("two the same", ["A-1", "A-1"], [("项目2", "项目编码「A-1」与第 1 个项目「项目1」重复", ("projects", 1, "code"))]),
    (
        "three the same: each later one points at the first",
        ["A-1", "X", "A-1", "A-1"],
        [
            ("项目3", "项目编码「A-1」与第 1 个项目「项目1」重复", ("projects", 2, "code")),
            ("项目4", "项目编码「A-1」与第 1 个项目「项目1」重复", ("projects", 3, "code")),
        ],
    ),
    (
        "two pairs",
        ["A", "B", "A", "B"],
        [
            ("项目3", "项目编码「A」与第 1 个项目「项目1」重复", ("projects", 2, "code")),
            ("项目4", "项目编码「B」与第 2 个项目「项目2」重复", ("projects", 3, "code")),
        ],
    ),
    ("surrounding spaces do not make a code different", [" A-1", "A-1 "], [("项目2", "项目编码「A-1」与第 1 个项目「项目1」重复", ("projects", 1, "code"))]),
    ("blank codes never duplicate", ["", "", "A", ""], []),
    ("whitespace-only codes are blank", ["  ", " ", "\t"], []),
    ("codes are compared exactly (case matters)", ["a-1", "A-1"], []),
]


@pytest.mark.parametrize("codes, expected", [c[1:] for c in CODE_CASES], ids=[c[0] for c in CODE_CASES])
def test_check_codes(codes, expected):
    found = check_codes(unit_with_codes(codes))
    assert [(f.project, f.message, f.path) for f in found] == expected
    assert all(f.code == "duplicate-code" and f.severity is E and f.indicator == "" for f in found)


# ------------------------------------------------------------- through check_file


def test_the_published_document_has_exactly_its_duplicated_indicator():
    checked = check_file(EXAMPLE)
    assert [b.project.name for b in checked.of_kind("dept")] == [
        "残疾人精准康复经费",
        "第三代智能化残疾人证换证工作",
        "关于提前下达2020年残疾人基本公共服务预算指标的通知",
        "全国残疾人基本服务状况和需求信息数据动态更新经费",
        "社区、村残疾人专职委员补贴（生活补助）",
        "专项补助(生活补助)",
    ]
    assert {(b.version.kind, b.version.version) for b in checked.of_kind("dept")} == {("dept", "2020")}
    assert checked.of_kind("target") == [] and checked.of_kind("selfeval") == [] and checked.unit_findings == []
    assert [(f.severity, f.code, f.project, f.indicator, f.message, f.path) for f in checked.findings] == [
        (
            E,
            "duplicate-indicator",
            "全国残疾人基本服务状况和需求信息数据动态更新经费",
            "残疾人基本服务状况和需求专项调查数据动态更新培训率",
            "三级指标重复（与第 1 个指标同名）",
            ("projects", 3, "indicators", 1, "name"),
        )
    ]
    assert (checked.errors, checked.warnings) == (1, 0)
    assert [b.count(E) for b in checked.of_kind("dept")] == [0, 0, 0, 1, 0, 0]


def _write(tmp_path, change):
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "unit.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


def test_a_duplicated_code_in_a_unit_file_is_a_unit_finding(tmp_path):
    path = _write(tmp_path, lambda d: d["projects"][5].update(code="762-0502-YBN-3CSO"))
    checked = check_file(path)
    assert [(f.code, f.project, f.message, f.path) for f in checked.unit_findings] == [
        ("duplicate-code", "专项补助(生活补助)", "项目编码「762-0502-YBN-3CSO」与第 1 个项目「残疾人精准康复经费」重复", ("projects", 5, "code"))
    ]
    assert [f.code for f in checked.findings] == ["duplicate-indicator", "duplicate-code"]
    assert checked.errors == 2


def test_amounts_in_wan_yuan_are_converted_for_the_dept_form(tmp_path):
    before = check_file(_write(tmp_path, lambda d: None))
    checked = check_file(_write(tmp_path, lambda d: d.update(amount_unit="万元")))
    assert [f for f in checked.findings if f.code == "amount-unit"] == []
    assert [f.code for f in checked.findings] == [f.code for f in before.findings]
    was, now = before.unit.projects[0].budget, checked.unit.projects[0].budget
    assert (now.total, now.fiscal) == (was.total * 10000, was.fiscal * 10000)
    assert checked.unit.amount_unit == "元"
