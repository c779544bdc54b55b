"""Messages speak the form's words (issue 27): no field path (`projects[0].declaration.end`)
and no English field name reaches the user, whether the input is a YAML/JSON unit file or
a data-entry workbook; and a slip two forms of a project share is reported once."""

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel
from typer.testing import CliRunner

from docgen.build.workbook import unit_workbook
from docgen.cli.app import app
from docgen.model.fields import inner_model
from docgen.model.labels import field_label
from docgen.model.unit import Unit

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TWO_FORMS = Path(__file__).resolve().parents[1] / "data" / "examples" / "one-project-two-forms.yaml"


def _field_names(model: type[BaseModel], seen: set) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        inner = inner_model(info.annotation)
        if inner is not None and inner not in seen:
            seen.add(inner)
            names |= _field_names(inner, seen)
    return names


FIELD_NAMES = sorted(_field_names(Unit, set()), key=len, reverse=True)
PATHS = re.compile(r"\[\d+\]|\.declaration|\.evaluation|\.indicators|projects|\bfunds\.")


def _workbook(tmp_path: Path, sheet: str, header: str, value: object) -> Path:
    path = tmp_path / "本单位.xlsx"
    path.write_bytes(unit_workbook(TWO_FORMS))
    wb = load_workbook(path)
    ws = wb[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.cell(2, column).value = value
    wb.save(path)
    return path


def _yaml(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "本单位.yaml"
    text = TWO_FORMS.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# a bad input, and the words the message must contain (the field as the form names it)
BAD = [
    (
        "date in a workbook",
        lambda t: _workbook(t, "项目", "计划完成日期", "明年年底"),
        "项目「交换平台运行费」 申报 › 计划完成日期：应为日期，却是「明年年底」；可写作 2023-12-31",
        2,
    ),
    (
        "amount in a workbook",
        lambda t: _workbook(t, "项目", "年度资金申请总额", "四十四万"),
        "项目「交换平台运行费」 申报 › 项目资金 › 年度资金申请总额：应为金额",
        2,
    ),
    ("score in a workbook", lambda t: _workbook(t, "指标", "分值", "十"), "分值：应为分数（数字），却是「十」", 2),
    ("amount in YAML", lambda t: _yaml(t, 'executed: "438,120.50"}', "executed: 一百万}"), "自评 › 项目资金 › 年度资金总额 › 全年执行数：应为金额", 2),
    ("year in YAML", lambda t: _yaml(t, "year: 2023", "year: 明年"), "第 6 行，年度：应为整数，却是「明年」", 2),
    ("blank name in YAML", lambda t: _yaml(t, "name: 电费缴纳完成率", "name:"), "项目「交换平台运行费」，指标「第1个」 三级指标：不能为空", 2),
    ("JSON fixture", lambda t: FIXTURES / "bad" / "wrong_type.json", "项目「项目乙」，指标「指标丙」 分值：应为分数", 2),
    ("bad amount fixture", lambda t: FIXTURES / "bad-workbooks" / "bad_amount.xlsx", "申报 › 项目资金 › 年度资金申请总额：应为金额", 2),
    ("required by the form", lambda t: _yaml(t, "annual_goal:", "overall_goal:"), "须填写年度总体目标", 1),
    ("missing file", lambda t: t / "没有.yaml", "没有.yaml: 文件不存在", 2),
]


@pytest.mark.parametrize("make, words, code", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_messages_name_fields_in_the_forms_words(tmp_path, make, words, code):
    path = make(tmp_path)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == code, result.output
    assert words in result.output, result.output
    text = result.output.replace(str(path), "")
    assert not PATHS.search(text), text
    for name in FIELD_NAMES:  # no English field name, as a word of its own
        assert not re.search(rf"(?<![A-Za-z_]){name}(?![A-Za-z_])", text), (name, text)


@pytest.mark.parametrize(
    "path, label",
    [
        (("projects", 0, "declaration", "end"), "申报 › 计划完成日期"),
        (("projects", 2, "indicators", 1, "weight"), "分值"),
        (("projects", 0, "evaluation", "execution", "rate"), "自评 › 预算执行 › 执行率"),
        (("department_goals", "areas", 1, "text"), "部门整体绩效目标 › 分项绩效目标第2项 › 分项目标"),
        (("projects", 0, "indicators", 0, "wieght"), ""),  # the text names the unknown key
        (("projects", 0, "extra", "填报人"), "自定义字段"),
        (("year",), "年度"),
    ],
)
def test_field_label(path, label):
    assert field_label(path) == label


def test_unnamed_items_are_counted():
    assert field_label(("projects", 0, "indicators", 1, "weight"), named=False) == "项目第1项 › 绩效指标第2项 › 分值"


def test_a_typo_two_forms_share_is_reported_once(tmp_path):
    path = _yaml(tmp_path, "level1: 产出指标", "level1: 产出指示")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "产出指示" in line]
    assert lines == [
        f"{path}:28: [错误] 项目「交换平台运行费」指标「电费缴纳完成率」：一级指标「产出指示」不在指标体系中（允许：产出指标、效益指标、满意度指标）"
    ]
    assert "错误 1 条" in result.output and "shanghai" not in result.output
