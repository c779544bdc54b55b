import copy

import pytest

from docgen.forms.selfeval.checks import check_unit
from docgen.inputs.loader import load_unit
from docgen.model.findings import Severity
from docgen.model.unit import Unit
from docgen.registry.manifest import default_registry

PROFILE = default_registry().version("selfeval").profile
E, W = Severity.ERROR, Severity.WARNING


def test_example_findings_are_the_published_slips(example):
    reports = check_unit(load_unit(example), PROFILE)
    got = [(f.severity, f.code, f.project, f.indicator, f.message) for r in reports for f in r.findings]
    assert got == [
        (E, "execution-score-mismatch", "残疾人权益保障经费", "", "预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64"),
        (W, "score-mismatch", "残疾人权益保障经费", "完成研究课题个数", "得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）"),
        (W, "unit-mismatch", "残疾人权益保障经费", "服务对象满意度", "实际完成值 90 未带 %，按 90% 计？"),
        (E, "execution-score-mismatch", "残疾人事业宣传经费", "", "预算执行率得分填报为 10，按 min(执行率 60.37%, 100%) × 分值 10 应为 6.04"),
        (W, "score-mismatch", "残疾人事业宣传经费", "长效管理制度健全性", "得分填报为 10，按规则应为 15（实际完成值与目标一致，得满分）"),
        (E, "execution-score-mismatch", "残疾人基层组织建设和助残工作经费", "", "预算执行率得分填报为 10，按 min(执行率 86.26%, 100%) × 分值 10 应为 8.63"),
        (W, "score-mismatch", "残疾人事业统计、监测和政策研究经费", "调研对象满意度", "得分填报为 6，按规则应为 10（实际完成值与目标一致，得满分）"),
        (E, "rate-mismatch", "残疾人基本保障和帮扶经费", "", "执行率填报为 96.34%，按 全年执行数/全年预算数 = 9835738/10210000 应为 96.33%"),
        (W, "score-mismatch", "残疾人基本保障和帮扶经费", "受益残疾人满意度", "得分填报为 6，按规则应为 10（实际完成值与目标一致，得满分）"),
    ]


BASE = {
    "unit": "单位",
    "year": 2023,
    "projects": [
        {
            "name": "项目甲",
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "次数", "target": "=5次", "actual": "5次", "weight": 50},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "及时", "actual": "及时", "weight": 40},
            ],
            "evaluation": {
                "funds": {
                    "total": {"initial": 100, "budget": 100, "executed": 100},
                    "fiscal": {"initial": 100, "budget": 100, "executed": 100},
                },
            },
        }
    ],
}


def findings(change):
    data = copy.deepcopy(BASE)
    change(data["projects"][0])
    (report,) = check_unit(Unit.model_validate(data), PROFILE)
    return [(f.severity, f.code, f.indicator, f.message) for f in report.findings]


def ind(p, i):
    return p["indicators"][i]


def test_clean_project_has_no_findings():
    assert findings(lambda p: None) == []


CASES = [
    (
        "funds rows do not add up",
        lambda p: p["evaluation"]["funds"].update(carryover={"budget": 5}),
        [(E, "funds-sum", "", "项目资金「全年预算数」不平衡：年度资金总额 100，当年财政拨款 + 上年结转资金 + 其他资金 = 105")],
    ),
    (
        "declared rate differs",
        lambda p: p["evaluation"].update(execution={"rate": "99%"}),
        [(E, "rate-mismatch", "", "执行率填报为 99.00%，按 全年执行数/全年预算数 = 100/100 应为 100.00%")],
    ),
    (
        "declared total differs from the sum",
        lambda p: p["evaluation"].update(total_score="90.78999999999999"),
        [(E, "total-mismatch", "", "总分填报为 90.78999999999999，各项得分合计为 100")],
    ),
    (
        "weights do not total 100",
        lambda p: ind(p, 0).update(weight=45),
        [(E, "weights-total", "", "分值合计为 95（预算执行率 10 + 绩效指标 85），应为 100")],
    ),
    (
        "score above weight",
        lambda p: ind(p, 1).update(score=41),
        [
            (W, "score-mismatch", "满意度", "得分填报为 41，按规则应为 40（实际完成值与目标一致，得满分）"),
            (E, "score-over-weight", "满意度", "得分 41 超过分值 40"),
        ],
    ),
    (
        "shortfall without a reason",
        lambda p: ind(p, 0).update(actual="4次"),
        [(E, "deviation-missing", "次数", "得分 40 低于分值 50，但未填写偏差原因分析及改进措施")],
    ),
    (
        "shortfall with a reason is fine",
        lambda p: ind(p, 0).update(actual="4次", deviation="疫情影响"),
        [],
    ),
    (
        "level1 outside the taxonomy",
        lambda p: ind(p, 0).update(level1="投入与管理"),
        [(E, "taxonomy", "次数", "一级指标「投入与管理」不在指标体系中（允许：产出指标、效益指标、满意度指标）")],
    ),
    (
        "level2 under the wrong level1",
        lambda p: ind(p, 0).update(level2="社会效益指标"),
        [(E, "taxonomy", "次数", "二级指标「社会效益指标」不属于一级指标「产出指标」（允许：数量指标、质量指标、时效指标、成本指标）")],
    ),
    (
        "duplicate indicators",
        lambda p: ind(p, 1).update(name="次数"),
        [(E, "duplicate-indicator", "次数", "三级指标重复（与第 1 个指标同名）")],
    ),
    (
        "qualitative shortfall needs a declared score",
        lambda p: ind(p, 1).update(actual="不够及时", deviation="原因"),
        [(E, "score-required", "满意度", "定性指标与目标表述不一致，须填写得分（目标「及时」，实际「不够及时」）")],
    ),
    (
        "tier band respected",
        lambda p: ind(p, 1).update(actual="不够及时", deviation="原因", tier="部分达成", score=30),
        [],
    ),
    (
        "tier band violated",
        lambda p: ind(p, 1).update(actual="不够及时", deviation="原因", tier="部分达成", score=36),
        [(E, "tier-band", "满意度", "完成档次「部分达成」的得分应在分值的 60%–80% 之间，而得分 36 是分值 40 的 90%")],
    ),
    (
        "declared execution score differs",
        lambda p: p["evaluation"].update(execution={"score": 9}),
        [(E, "execution-score-mismatch", "", "预算执行率得分填报为 9，按 min(执行率 100.00%, 100%) × 分值 10 应为 10")],
    ),
    (
        "missing budget",
        lambda p: p["evaluation"]["funds"].update(total={"initial": 100}, fiscal={"initial": 100}),
        [(E, "rate-missing", "", "全年预算数为空或为 0，无法计算预算执行率")],
    ),
    (
        "execution above budget",
        lambda p: p["evaluation"]["funds"].update(
            total={"initial": 100, "budget": 100, "executed": 110}, fiscal={"initial": 100, "budget": 100, "executed": 110}
        ),
        [(W, "executed-over-budget", "", "全年执行数 110 超过全年预算数 100（执行率按 100% 计分）")],
    ),
]


@pytest.mark.parametrize("change, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_check(change, expected):
    assert findings(change) == expected


def test_findings_carry_field_paths():
    data = copy.deepcopy(BASE)
    data["projects"][0]["indicators"][0]["level1"] = "投入与管理"
    (report,) = check_unit(Unit.model_validate(data), PROFILE)
    assert report.findings[0].path == ("projects", 0, "indicators", 0, "level1")


@pytest.mark.parametrize(
    "version, word",
    [
        ("sichuan-2023", "未完成原因分析"),  # the Sichuan form's column
        ('"2022"', "偏差原因分析及改进措施"),  # the same data on the Shanghai form
    ],
)
def test_a_missing_reason_is_named_in_the_versions_words(tmp_path, version, word):
    from pathlib import Path

    from docgen.inputs.loader import check_file

    text = (Path(__file__).parent.parent / "data" / "examples" / "sichuan-qingshen-selfeval-2023.yaml").read_text(encoding="utf-8")
    path = tmp_path / "u.yaml"
    path.write_text(text.replace("forms: {selfeval: sichuan-2023}", f"forms: {{selfeval: {version}}}"), encoding="utf-8")
    checked = check_file(path)
    messages = [f.message for r in checked.reports for f in r.findings if f.code == "deviation-missing"]
    assert len(messages) == 2 and all(m.endswith(f"但未填写{word}") for m in messages), messages
