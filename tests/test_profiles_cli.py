"""Choosing a profile (version, unit, project, `--profile`), a bureau's own profile files,
and the `docgen profiles` commands."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.loader import check_file
from docgen.registry.profiles.store import read_profile_file

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _unit(tmp_path: Path, head: str = "", project: str = "") -> Path:
    """minimal.yaml with lines added at the top of the unit and of its project."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("amount_unit: 元\n", f"amount_unit: 元\n{head}", 1)
    text = text.replace("  - name: 测试项目\n", f"  - name: 测试项目\n{project}", 1)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_version_names_the_profile_and_a_unit_or_project_another(tmp_path):
    assert check_file(_unit(tmp_path)).reports[0].score.profile.name == "shanghai-2022"
    unit = check_file(_unit(tmp_path, head="profile: hubei-style-2020\n")).reports[0]
    assert (unit.score.profile.name, str(unit.score.execution.computed)) == ("hubei-style-2020", "18.00")
    project = check_file(_unit(tmp_path, head="profile: hubei-style-2020\n", project="    profile: sichuan-2023\n")).reports[0]
    assert project.score.profile.name == "sichuan-2023"


def test_an_unknown_profile_is_an_error_naming_the_line_and_the_known_ones(tmp_path):
    path = _unit(tmp_path, project="    profile: hubei-2020\n")
    with pytest.raises(InputError) as info:
        check_file(path)
    assert info.value.message().splitlines() == [
        f"输入文件有误：{path}",
        f"  {path}:6: 第 6 行，项目「测试项目」 评分规则：没有评分规则「hubei-2020」；可用的规则："
        "shanghai-2022、hubei-style-2020、national-2020、sichuan-2023（docgen profiles 列出；自己的规则放在单位文件旁的 profiles/ 文件夹中）",
    ]
    result = run("check", path)
    assert result.exit_code == 2 and "没有评分规则「hubei-2020」" in result.output


def test_profiles_lists_the_shipped_and_the_users_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("profiles", "new", "某市-2024", "--from", "national-2020").exit_code == 0
    result = run("profiles")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "shanghai-2022（自带，财政项目支出绩效自评表 2022 默认）"
    assert lines[1].startswith("    上海市财政项目支出绩效自评评分规则（2022）：预算执行率得分 = min(执行率, 100%) × 分值；正向定量指标")
    assert [line for line in lines if not line.startswith(" ")] == [
        "shanghai-2022（自带，财政项目支出绩效自评表 2022 默认）",
        "hubei-style-2020（自带，湖北式 项目自评表 2020 默认）",
        "national-2020（自带，安徽 项目支出绩效自评表 2022、云南 项目支出绩效自评表 2020 默认）",
        "sichuan-2023（自带，四川 部门预算项目支出绩效自评表 2023 默认）",
        f"某市-2024（自己的：{Path('profiles') / '某市-2024.yaml'}）",
    ]
    assert lines[-1] == "    某市-2024（在 national-2020 的基础上修改）：" + lines[5].strip()


def test_profiles_show_prints_every_rule_as_a_bureau_publishes_it():
    result = run("profiles", "show", "sichuan-2023")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "评分规则「sichuan-2023」",
        "四川（一体化系统自评表，2023）：预算执行情况 10 分 = min(预算执行数/调整后预算数, 100%) × 10，执行率未达到 90% 须说明原因，"
        "年中调整预算（追加或调减）须单独说明理由；绩效指标 90 分，正向 实际/目标 × 权重、反向 目标/实际 × 权重，不超过权重；未完成须分析原因；"
        "定性 达成 100–80%、部分达成 80–60%、未达成 60–0%；优 ≥ 90、良 80–90、中 60–80、差 < 60。",
        "一、总分 100 分：预算执行率 10 分，绩效指标 90 分。",
        "二、预算执行率（10 分）：预算执行率 = 预算执行数 ÷ 调整后预算数。",
        "    得分 = 预算执行率 × 10 分，执行率超过 100% 的按 100% 计。",
        "三、定量指标：正向指标（=、≥、>）：达标得满分；未达标时 得分 = 实际完成值 ÷ 年度指标值 × 分值。",
        "    反向指标（≤、<）：达标得满分；未达标时 得分 = 年度指标值 ÷ 实际完成值 × 分值。",
        "    年度指标值为 0 的指标：实际完成值不大于 0 得满分，否则得 0 分。",
        "    得分不得超过该指标的分值。",
        "    实际完成值为空的指标得 0 分。",
        "四、定性指标：实际完成值与年度指标值表述一致的得满分；否则按完成档次在该指标分值的区间内确定得分：达成 100%–80%、部分达成 80%–60%、未达成 60%–0%（含下限）。",
        "五、须说明原因的情形：预算执行率未达到 90% 的，须说明原因；年中发生预算调整（追加或调减）的，须单独说明理由；指标得分低于分值（未完成目标）的，须填写偏差原因分析及改进措施。",
        "六、得分保留 2 位小数、执行率保留 2 位小数（百分数），四舍五入；按精确执行率计算得分；总分为各项得分之和。",
        "七、评价等级：优 90 分及以上、良 80 分（含）至 90 分、中 60 分（含）至 80 分、差 低于 60 分。",
        "八、指标体系：产出指标：数量指标、质量指标、时效指标、成本指标；效益指标：经济效益指标、社会效益指标、生态效益指标、可持续影响指标；满意度指标：服务对象满意度指标。",
    ]


@pytest.mark.parametrize(
    "edit, line",
    [
        (
            {
                "execution: {weight: 10, denominator: 全年, formula: ratio, cap: true}": "execution: {weight: 10, denominator: 年初, formula: bands, cap: true, bands: [{low: 0, high: 90, points: 5}, {low: 90, high: 100, points: 10}]}"
            },
            "二、预算执行率（10 分）：预算执行率 = 全年执行数 ÷ 年初预算数。",
        ),
        (
            {"  reverse: {formula: ratio}": "  reverse: {formula: linear, k: 2}"},
            "    反向指标（≤、<）：达标得满分；未达标时得分随实际值超出目标线性递减，实际值达到目标的 2 倍时得 0 分。",
        ),
        ({"over_achievement: false": "over_achievement: true"}, "    超额完成的指标按比例得分，可超过该指标分值。"),
        ({"not_applicable: none": "not_applicable: section"}, "五、实际完成值填「不适用」的指标不计分，其余指标得分按比例折算到所在一级指标的分值。"),
        (
            {"deviation_above: null": "deviation_above: 15"},
            "五、须说明原因的情形：实际完成值偏离年度指标值超过 15% 的，须分析偏差原因；指标得分低于分值（未完成目标）的，须填写偏差原因分析及改进措施。",
        ),
        (
            {"  优: [90, 100]\n  良: [80, 90]\n  中: [60, 80]\n": "  优: [80, 100]\n  良: [70, 80]\n  中: [60, 70]\n"},
            "七、评价等级：优 80 分及以上、良 70 分（含）至 80 分、中 60 分（含）至 70 分、差 低于 60 分。",
        ),
    ],
)
def test_a_bureaus_own_profile_is_shown_with_its_rules(tmp_path, monkeypatch, edit, line):
    monkeypatch.chdir(tmp_path)
    assert run("profiles", "new", "某市-2024", "--from", "national-2020").exit_code == 0
    path = tmp_path / "profiles" / "某市-2024.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    result = run("profiles", "show", "某市-2024")
    assert result.exit_code == 0, result.output
    assert line in result.output.splitlines()
    if "formula: bands" in text:
        assert "    得分按执行率分档：低于 90% 得 5 分；90% 及以上得 10 分。" in result.output.splitlines()


def test_profiles_new_writes_a_valid_file_atomically_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o027)
    try:
        result = run("profiles", "new", "某市-2024", "--from", "hubei-style-2020")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    path = tmp_path / "profiles" / "某市-2024.yaml"
    assert result.output.splitlines()[0] == f"已写入 {Path('profiles') / '某市-2024.yaml'}（复制自「hubei-style-2020」）"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["某市-2024.yaml"]  # no temporary file left
    profile = read_profile_file(path)
    assert (profile.name, profile.execution_weight, profile.tiers["部分达成"]) == ("某市-2024", 20, (50, 80))
    assert path.read_text(encoding="utf-8").startswith("# 评分规则配置「某市-2024」（复制自「hubei-style-2020」）。\n")
    before = path.read_bytes()
    again = run("profiles", "new", "某市-2024", "--from", "national-2020")
    assert (again.exit_code, again.output.strip()) == (3, f"文件已存在，未覆盖：{Path('profiles') / '某市-2024.yaml'}")
    assert path.read_bytes() == before
    unknown = run("profiles", "new", "某县-2024", "--from", "national")
    assert unknown.exit_code == 2
    assert unknown.output.strip() == "没有评分规则「national」；可用的规则：shanghai-2022、hubei-style-2020、national-2020、sichuan-2023、某市-2024"
    clash = run("profiles", "new", "national-2020", "--from", "national-2020")
    assert (clash.exit_code, clash.output.strip()) == (2, "已有名为「national-2020」的评分规则，请换一个名称")
    bad = run("profiles", "new", "某/县", "--from", "national-2020")
    assert bad.exit_code == 2 and "不能含空格" in bad.output


def test_a_unit_finds_the_profiles_folder_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("profiles", "new", "某市-2024", "--from", "national-2020").exit_code == 0
    path = _unit(tmp_path, head="profile: 某市-2024\n")
    elsewhere = tmp_path / "其他"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    report = check_file(path).reports[0]
    assert (report.score.profile.name, report.score.profile.source) == ("某市-2024", tmp_path / "profiles" / "某市-2024.yaml")
    # --profiles DIR for a unit kept elsewhere
    other = tmp_path / "单位" / "unit.yaml"
    other.parent.mkdir()
    other.write_bytes(path.read_bytes())
    with pytest.raises(InputError):
        check_file(other)
    assert check_file(other, profile_dirs=(tmp_path / "profiles",)).reports[0].score.profile.name == "某市-2024"
    monkeypatch.setenv("DOCGEN_PROFILES", str(tmp_path / "profiles"))
    assert check_file(other).reports[0].score.profile.name == "某市-2024"


def test_a_user_profile_may_not_take_a_shipped_name(tmp_path):
    (tmp_path / "profiles").mkdir()
    source = (Path(__file__).parent.parent / "templates" / "profiles" / "national-2020.yaml").read_bytes()
    (tmp_path / "profiles" / "national-2020.yaml").write_bytes(source)
    with pytest.raises(InputError) as info:
        check_file(_unit(tmp_path))
    assert info.value.problems[0].text == "规则配置「national-2020」与 docgen 自带的同名；请改用其他文件名（如 national-2020-本地）"


def test_score_under_another_profile_shows_old_and_new_per_project(tmp_path):
    path = _unit(tmp_path)
    result = run("score", "--profile", "hubei-style-2020", path)
    lines = result.output.splitlines()
    assert lines[:2] == ["测试项目  总分 108（规则计算 108）  优", "  预算执行率 90.00%  分值 20  计算 18  填报 —"]
    assert lines[-2:] == [
        "按评分规则「hubei-style-2020」重新计分（规则计算总分 等级，原 → 新）：",
        "  测试项目：99 优（shanghai-2022）→ 108 优（hubei-style-2020）",
    ]
    assert result.exit_code == 1  # 20 + 50 + 40 is not 100: the weights do not add up under hubei-style-2020
    same = run("score", "--profile", "shanghai-2022", path)
    assert (same.exit_code, same.output.splitlines()[-1]) == (0, "  测试项目：99 优（shanghai-2022）→ 99 优（shanghai-2022）（未变）")
    as_json = run("score", "--json", "--profile", "national-2020", path)
    import json

    data = json.loads(as_json.output)
    assert data["projects"][0]["profile"] == "national-2020"
    assert data["rescored"] == [
        {"project": "测试项目", "old_profile": "shanghai-2022", "old_total": "99", "old_grade": "优", "profile": "national-2020", "total": "99", "grade": "优"}
    ]
    unknown = run("score", "--profile", "nope", path)
    assert unknown.exit_code == 2
    assert unknown.output.strip().startswith("选项 --profile 有误：没有评分规则「nope」；可用的规则：shanghai-2022、")


def test_the_data_entry_workbook_keeps_the_profiles_and_the_reason(tmp_path):
    from openpyxl import load_workbook

    from docgen.build.workbook import unit_workbook
    from docgen.inputs.loader import load_file

    # the 2023 Sichuan form prints 原因 (the 2022 Shanghai one has no such cell)
    path = _unit(tmp_path, head="profile: sichuan-2023\nforms: {selfeval: sichuan-2023}\n", project="    profile: national-2020\n")
    text = path.read_text(encoding="utf-8").replace("      achieved: 完成", "      execution: {reason: 年中追加预算}\n      achieved: 完成")
    path.write_text(text, encoding="utf-8")
    book = tmp_path / "unit.xlsx"
    book.write_bytes(unit_workbook(path))
    wb = load_workbook(book)
    assert [r for r in wb["单位"].iter_rows(values_only=True) if r[0] == "评分规则"][0][1] == "sichuan-2023"
    data = load_file(book).data
    assert data["profile"] == "sichuan-2023"
    assert data["projects"][0]["profile"] == "national-2020"
    assert data["projects"][0]["evaluation"]["execution"]["reason"] == "年中追加预算"
    report = check_file(book).reports[0]
    assert report.score.profile.name == "national-2020"
