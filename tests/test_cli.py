import json

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_check_example_reports_the_slips_and_exits_1(example):
    result = run("check", example)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (f"{example}:104: [错误] 项目「残疾人权益保障经费」：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64")
    assert lines[-1] == "共 6 个项目（自评表 6 份），错误 4 条，提示 5 条。"


def test_check_clean_file_exits_0(fixtures):
    result = run("check", fixtures / "minimal.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "共 1 个项目（自评表 1 份），错误 0 条，提示 0 条。"


def test_render_writes_forms_and_summary(example, tmp_path):
    result = run("render", example, "-o", tmp_path)
    assert result.exit_code == 1  # the example keeps the published slips
    folder = tmp_path / "上海市残疾人联合会" / "2022"
    names = sorted(p.name for p in folder.iterdir() if p.name != ".docgen-manifest.json")
    assert len(names) == 14  # 6 projects × (.docx, .xlsx) + the book in both
    assert names[0] == "1-残疾人权益保障经费-财政项目支出绩效自评表.docx"
    assert names[11] == "6-综合行政服务平台（运维）-财政项目支出绩效自评表.xlsx"
    assert names[12:] == ["上海市残疾人联合会2022年度项目支出绩效自评汇总表.docx", "上海市残疾人联合会2022年度项目支出绩效自评汇总表.xlsx"]
    table = [line.split() for line in result.output.splitlines() if line.startswith(("项目", "残疾人", "综合"))]
    assert table[0] == ["项目", "总分", "等级", "错误", "提示"]
    assert table[1:] == [
        ["残疾人权益保障经费", "96", "优", "1", "2"],
        ["残疾人事业宣传经费", "95", "优", "1", "1"],
        ["残疾人基层组织建设和助残工作经费", "96", "优", "1", "0"],
        ["残疾人事业统计、监测和政策研究经费", "89.15", "良", "0", "1"],
        ["残疾人基本保障和帮扶经费", "95.63", "优", "1", "1"],
        ["综合行政服务平台（运维）", "95", "优", "0", "0"],
    ]


def test_render_clean_file_exits_0(fixtures, tmp_path):
    result = run("render", fixtures / "minimal.yaml", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "测试单位" / "2023").glob("*.*x"))) == 4  # the form and the book


def test_score_json(example):
    result = run("score", example, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    first = data["projects"][0]
    assert (first["form"], first["profile"]) == ("selfeval-2022", "shanghai-2022")
    assert first["execution"] == {
        "weight": "10",
        "rate": "96.41%",
        "declared_rate": "96.41%",
        "computed": "9.64",
        "declared": "10",
    }
    topic = first["indicators"][1]
    assert (topic["name"], topic["computed"], topic["declared"]) == ("完成研究课题个数", "8", "6")
    assert [p["total"] for p in data["projects"]] == ["96", "95", "96", "89.15", "95.63", "95"]
    assert [p["computed_total"] for p in data["projects"]] == ["97.64", "96.04", "94.63", "93.15", "99.63", "95"]
    assert [len(p["findings"]) for p in data["projects"]] == [3, 2, 1, 1, 2, 0]


def test_score_text(example):
    result = run("score", example)
    assert "残疾人事业统计、监测和政策研究经费  总分 89.15（规则计算 93.15）  良" in result.output
    assert "  部分区残疾人家庭收入状况调查完成率  分值 8  计算 7.2  填报 7.2" in result.output


def test_schema_is_json_schema_with_chinese_titles():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"unit", "year", "projects"}
    indicator = schema["$defs"]["Indicator"]
    assert indicator["properties"]["target"]["title"] == "年度指标值"
    assert indicator["additionalProperties"] is False


BAD = ["syntax.yaml", "empty.yaml", "unknown_key.yaml", "wrong_type.yaml", "missing_field.yaml", "bad_amount.yaml", "top_list.yaml", "wrong_type.json"]


@pytest.mark.parametrize("name", BAD)
@pytest.mark.parametrize("command", ["render", "check", "score"])
def test_bad_input_exits_2_without_traceback_or_output(fixtures, tmp_path, name, command):
    path = fixtures / "bad" / name
    args = [command, path] + (["-o", tmp_path / "out"] if command == "render" else [])
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:" in result.output
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path):
    result = run("check", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "文件不存在" in result.output


def test_bad_input_leaves_previous_outputs_untouched(fixtures, tmp_path):
    good = fixtures / "minimal.yaml"
    assert run("render", good, "-o", tmp_path).exit_code == 0
    folder = tmp_path / "测试单位" / "2023"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    broken = tmp_path / "broken.yaml"
    broken.write_text(good.read_text(encoding="utf-8").replace("executed: 90}", "executed: 九十}"), encoding="utf-8")
    result = run("render", broken, "-o", tmp_path)
    assert result.exit_code == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_project_without_evaluation_is_named(fixtures, tmp_path):
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8")
    text += "  - name: 尚未自评的项目\n    annual_goal: 目标\n"
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("render", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"{path}: [提示] 项目「尚未自评的项目」既无申报表、自评表的数据，也无部门预算数据，不生成表单" in result.output
    assert len(list((tmp_path / "out" / "测试单位" / "2023").glob("*.*x"))) == 4


def test_render_declarations(tmp_path):
    from conftest import ROOT

    result = run("render", ROOT / "data" / "examples" / "shanghai-sscard-2023.yaml", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["申报表项目", "版本", "年度资金申请总额", "指标数", "错误", "提示"]
    assert lines[1].split() == ["交换平台运行费", "2023", "446,048.00", "6", "0", "0"]
    assert lines[-1] == "共 7 个项目（申报表 7 份），错误 0 条，提示 0 条。"
    names = sorted(p.name for p in (tmp_path / "上海市社会保障卡服务中心" / "2023").glob("*.*x"))
    assert names[0] == "1-交换平台运行费-财政项目支出绩效目标申报表.docx"
    assert len(names) == 16  # 7 forms in both formats and the book
