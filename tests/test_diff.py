"""`docgen diff`: what a correction changed, and what it did to scores and findings."""

import json

import pytest
from conftest import EXAMPLE, FIXTURES, edited_copy
from typer.testing import CliRunner

from docgen import HistoryError, diff_files, render_file
from docgen.cli.app import app

runner = CliRunner()
MINIMAL = FIXTURES / "minimal.yaml"


def test_fixing_one_actual_value_in_the_example(tmp_path):
    new = edited_copy(tmp_path, EXAMPLE, ('actual: "1.6"', 'actual: "2"'))
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"比较：{EXAMPLE} → {new}",
        "项目「残疾人权益保障经费」",
        "  指标「完成研究课题个数」（产出指标/数量指标）",
        "    实际完成值：1.6 → 2",
        "    规则计算得分：8 → 10",
        "  总分：96（未变）；规则计算总分：97.64 → 99.64；等级：优（未变）",
        "  已消失：[提示] 指标「完成研究课题个数」：得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）",
        "  新出现：[提示] 指标「完成研究课题个数」：得分填报为 6，按规则应为 10（达到目标，得满分）",
        "共 1 个项目有变化（新增 0，删除 0），改动 1 处，得分有变化的项目 1 个；问题：新出现 1 条，已消失 1 条。",
    ]


def test_correcting_the_declared_scores_too(tmp_path):
    """The clerk fixes the value, the declared 得分 and 总分: the warning goes, nothing new appears."""
    new = edited_copy(
        tmp_path,
        EXAMPLE,
        ('actual: "1.6"\n        weight: 10\n        score: 6', 'actual: "2"\n        weight: 10\n        score: 10'),
        ("total_score: 96", "total_score: 100"),
    )
    result = diff_files(EXAMPLE, new)
    [project] = result.projects
    [indicator] = project.indicators
    assert [(c.label, c.old, c.new) for c in indicator.values] == [("实际完成值", "1.6", "2"), ("得分（申报值）", "6", "10")]
    assert [(c.label, c.old, c.new) for c in indicator.scores] == [("得分", "6", "10"), ("规则计算得分", "8", "10")]
    assert [(c.label, c.old, c.new) for c in project.scores] == [("总分", "96", "100"), ("规则计算总分", "97.64", "99.64"), ("等级", "优", "优")]
    assert project.appeared == []
    assert project.gone == ["[提示] 指标「完成研究课题个数」：得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）"]
    assert [(c.label, c.field) for c in project.values] == [("自评 › 总分（申报值）", "projects[0].evaluation.total_score")]


# (what, replacements in minimal.yaml) -> (project status, [(label, old, new)] of the project or indicator, 总分 old/new)
CASES = [
    ("weight", [("weight: 50", "weight: 40")], "changed", ("培训次数", [("分值", "50", "40")]), ("99", "89")),
    (
        "executed",
        [("executed: 90}\n        fiscal", "executed: 80}\n        fiscal")],
        "changed",
        (None, [("自评 › 项目资金 › 年度资金总额 › 全年执行数", "90", "80")]),
        ("99", "98"),
    ),
    ("shortfall", [('actual: "95%"', 'actual: "45%"')], "changed", ("满意度", [("实际完成值", "95%", "45%")]), ("99", "79")),
    ("renamed", [("name: 测试项目", "name: 测试项目（更正）")], "changed", (None, [("项目名称", "测试项目", "测试项目（更正）")]), None),
    ("target", [('target: "=5次"', 'target: "=6次"')], "changed", ("培训次数", [("年度指标值", "=5次", "=6次")]), ("99", "90.67")),
]


@pytest.mark.parametrize("what, replacements, status, changes, totals", CASES, ids=[c[0] for c in CASES])
def test_single_corrections(tmp_path, what, replacements, status, changes, totals):
    result = diff_files(MINIMAL, edited_copy(tmp_path, MINIMAL, *replacements))
    [project] = result.projects
    assert project.status == status
    indicator, values = changes
    if indicator is None:
        got = project.values
    else:
        [ind] = project.indicators
        assert ind.name == indicator
        got = ind.values
    assert [(c.label, c.old, c.new) for c in got] == values
    total = next(c for c in project.scores if c.label == "总分")
    assert (total.old, total.new) == (totals or (total.old, total.old))


def test_projects_and_indicators_added_and_removed(tmp_path):
    extra = (
        '  - name: 新项目\n    indicators:\n      - {level1: 产出指标, level2: 数量指标, name: 次数, target: "=1次", actual: "1次", weight: 90}\n'
        "    evaluation:\n      funds:\n        total: {budget: 10, executed: 10}\n        fiscal: {budget: 10, executed: 10}\n"
    )
    text = MINIMAL.read_text(encoding="utf-8")
    drop = text[text.index("      - level1: 满意度指标") : text.index("    evaluation:")]
    new = tmp_path / "new.yaml"
    new.write_text(text.replace(drop, "") + extra, encoding="utf-8")
    result = diff_files(MINIMAL, new)
    first, added = result.projects
    assert (first.name, first.status, added.name, added.status) == ("测试项目", "changed", "新项目", "added")
    [gone] = first.indicators
    assert (gone.name, gone.status) == ("满意度", "removed")
    assert [(c.label, c.old, c.new) for c in gone.scores] == [("得分", "40", "—"), ("规则计算得分", "40", "—")]
    assert ("总分", "—", "100") in [(c.label, c.old, c.new) for c in added.scores]
    back = diff_files(new, MINIMAL)
    assert [p.status for p in back.projects] == ["changed", "removed"]


def test_duplicate_indicator_names_pair_in_order(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8")
    block = text[text.index("      - level1: 产出指标") : text.index("      - level1: 满意度指标")]
    twice = tmp_path / "old.yaml"
    twice.write_text(text.replace(block, block + block.replace('actual: "5次"', 'actual: "4次"')).replace("weight: 50", "weight: 25"), encoding="utf-8")
    new = edited_copy(tmp_path, twice, ('actual: "4次"', 'actual: "5次"'))
    [project] = diff_files(twice, new).projects
    [ind] = project.indicators
    assert ind.values[0].field == "projects[0].indicators[1].actual"
    assert (ind.values[0].old, ind.values[0].new) == ("4次", "5次")


def test_unit_level_changes(tmp_path):
    result = diff_files(MINIMAL, edited_copy(tmp_path, MINIMAL, ("unit: 测试单位", "unit: 测试单位\ndepartment: 主管部门甲")))
    assert [(c.label, c.old, c.new) for c in result.values] == [("主管部门（默认）", "（空）", "主管部门甲")]


def test_identical_files_exit_0(tmp_path):
    result = runner.invoke(app, ["diff", str(MINIMAL), str(MINIMAL)])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "没有差别。"


def test_json_output(tmp_path):
    new = edited_copy(tmp_path, EXAMPLE, ('actual: "1.6"', 'actual: "2"'))
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["counts"] == {"changed": 1, "added": 0, "removed": 0, "values": 1, "scores_moved": 1, "appeared": 1, "gone": 1}
    [project] = data["projects"]
    assert project["indicators"][0]["values"] == [{"label": "实际完成值", "old": "1.6", "new": "2", "field": "projects[0].indicators[1].actual"}]
    assert {"label": "规则计算总分", "old": "97.64", "new": "99.64", "field": ""} in project["scores"]


def test_against_the_last_render(tmp_path):
    render_file(MINIMAL, tmp_path / "out")
    new = edited_copy(tmp_path, MINIMAL, ("weight: 50", "weight: 40"))
    result = runner.invoke(app, ["diff", str(new), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    folder = tmp_path / "out" / "测试单位" / "2023"
    assert result.output.splitlines()[0] == f"比较：上次生成（{folder}） → {new}"
    assert "    分值：50 → 40" in result.output.splitlines()
    # An output folder (or its manifest) works as OLD too.
    assert diff_files(folder, new).projects[0].indicators[0].values[0].new == "40"
    assert diff_files(folder / ".docgen-manifest.json", MINIMAL).empty


def test_no_last_render_is_a_clear_error(tmp_path):
    with pytest.raises(HistoryError):
        diff_files(MINIMAL, None, tmp_path / "nothing")
    result = runner.invoke(app, ["diff", str(MINIMAL), "-o", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert result.output.startswith(f"没有上次生成的记录：{tmp_path / 'nothing' / '测试单位' / '2023'}：")


def test_bad_input_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit: [", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(MINIMAL), str(bad)])
    assert result.exit_code == 2
    assert "语法错误" in result.output
