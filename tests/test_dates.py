"""Dates as clerks write them, in YAML, JSON and the workbook: every accepted form gives
the same date, a month alone is its first day for a start and its last for an end, and
anything else is a Chinese message naming the field and the accepted forms."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from docgen.errors import InputError
from docgen.inputs.loader import load_unit
from docgen.model.fields import DATE_FORMS, parse_date


@pytest.mark.parametrize(
    "value, start, end",
    [
        ("2023-12-31", date(2023, 12, 31), date(2023, 12, 31)),
        ("2023/12/31", date(2023, 12, 31), date(2023, 12, 31)),
        ("2023.12.31", date(2023, 12, 31), date(2023, 12, 31)),
        ("2023年12月31日", date(2023, 12, 31), date(2023, 12, 31)),
        ("2023年12月31号", date(2023, 12, 31), date(2023, 12, 31)),
        ("2023年2月", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        ("20231231", date(2023, 12, 31), date(2023, 12, 31)),
        (20231231, date(2023, 12, 31), date(2023, 12, 31)),
        (45291, date(2023, 12, 31), date(2023, 12, 31)),  # an Excel date serial
        (Decimal("45292"), date(2024, 1, 1), date(2024, 1, 1)),
        ("２０２３年１２月３１日", date(2023, 12, 31), date(2023, 12, 31)),
        ("２０２３／１２／３１", date(2023, 12, 31), date(2023, 12, 31)),
        (" 2023 / 1 / 5 ", date(2023, 1, 5), date(2023, 1, 5)),
        ("2023 年 1 月 5 日", date(2023, 1, 5), date(2023, 1, 5)),
        ("2023-1-5", date(2023, 1, 5), date(2023, 1, 5)),
        (datetime(2023, 6, 30, 0, 0), date(2023, 6, 30), date(2023, 6, 30)),
        (date(2023, 6, 30), date(2023, 6, 30), date(2023, 6, 30)),
        ("", None, None),
        (None, None, None),
    ],
)
def test_accepted_forms(value, start, end):
    assert parse_date(value) == start and parse_date(value, end=True) == end


@pytest.mark.parametrize(
    "value, message",
    [
        ("12/31/2023", f"应为日期，却是「12/31/2023」；可写作 {DATE_FORMS}"),
        ("2023", f"应为日期，却是「2023」；可写作 {DATE_FORMS}"),
        (2023, f"应为日期，却是数字「2023」；可写作 {DATE_FORMS}"),
        ("2023-12", f"应为日期，却是「2023-12」；可写作 {DATE_FORMS}"),
        ("2023/12-31", f"应为日期，却是「2023/12-31」；可写作 {DATE_FORMS}"),
        ("明年年底", f"应为日期，却是「明年年底」；可写作 {DATE_FORMS}"),
        ("2023-13-01", "「2023-13-01」不是有效日期：没有 13 月"),
        ("2023年2月29日", "「2023年2月29日」不是有效日期：2023年2月没有 29 日"),
        ("20230230", "「20230230」不是有效日期：2023年2月没有 30 日"),
        (True, f"应为日期，不能是布尔值；可写作 {DATE_FORMS}"),
        (["2023-01-01"], f"应为日期；可写作 {DATE_FORMS}"),
    ],
)
def test_refused_forms(value, message):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    assert str(info.value) == message


UNIT = """unit: 测试单位
year: 2023
projects:
  - name: 测试项目
    declaration:
      start: {start}
      end: {end}
"""


@pytest.mark.parametrize(
    "start, end",
    [
        ("2023-01-01", "2023-12-31"),
        ("2023/01/01", "2023/12/31"),
        ("2023.01.01", "2023.12.31"),
        ("2023年1月1日", "2023年12月31日"),
        ("2023年1月", "2023年12月"),
        ("20230101", "20231231"),
        ("２０２３年１月１日", "２０２３年１２月３１日"),
        ("'2023 / 01 / 01'", "'2023 / 12 / 31'"),
    ],
)
def test_yaml_and_json_dates(tmp_path, start, end):
    path = tmp_path / "u.yaml"
    path.write_text(UNIT.format(start=start, end=end), encoding="utf-8")
    declaration = load_unit(path).projects[0].declaration
    assert (declaration.start, declaration.end) == (date(2023, 1, 1), date(2023, 12, 31))
    data = {"unit": "测试单位", "year": 2023, "projects": [{"name": "测试项目", "declaration": {"start": start.strip("'"), "end": end.strip("'")}}]}
    path = tmp_path / "u.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    declaration = load_unit(path).projects[0].declaration
    assert (declaration.start, declaration.end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_a_bad_date_names_its_line_and_field(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(UNIT.format(start="2023年13月", end="年底"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_unit(path)
    found = [(p.line, p.label(), p.text) for p in info.value.problems]
    assert found == [
        (6, "申报 › 计划开始日期", "「2023年13月」不是有效日期：没有 13 月"),
        (7, "申报 › 计划完成日期", f"应为日期，却是「年底」；可写作 {DATE_FORMS}"),
    ]
