"""Hostile values (issue 16): numbers beyond the bounds, lone surrogates, huge names —
each refused with a Chinese message, exit 2 and nothing written; -0 prints as 0."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.forms.selfeval.model import FundsLine
from docgen.model.fields import MAX_AMOUNT, MAX_NAME, MAX_TEXT, quote
from docgen.model.formatting import amount_text, number_text
from docgen.model.rounding import q2, round_rate
from docgen.model.unit import Indicator

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"


def refused(path: Path, tmp_path: Path, command: str, *words: str) -> str:
    out = tmp_path / "out"
    args = [command, str(path)] + (["-o", str(out)] if command == "render" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "InvalidOperation" not in result.output and "模板有误" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert not out.exists()
    return result.output


@pytest.mark.parametrize(
    "name, words",
    [
        ("big_amount.json", ["自评 › 项目资金 › 年度资金总额 › 全年预算数", "金额「1e26」超出范围"]),
        ("big_weight.json", ["分值", "分数「1e30」超出范围"]),
        ("big_rate.json", ["自评 › 预算执行 › 执行率", "百分比「1e400%」超出范围"]),
        ("lone_surrogate.json", ["U+D800", "孤立的 UTF-16 代理码位"]),
    ],
)
@pytest.mark.parametrize("command", ["check", "render"])
def test_hostile_values_are_input_errors(name, words, command, tmp_path):
    refused(BAD / name, tmp_path, command, name, *words)


def test_a_ten_megabyte_project_name_is_refused_and_not_echoed(tmp_path):
    data = json.loads((BAD / "big_weight.json").read_text(encoding="utf-8"))
    data["projects"][0]["indicators"][0]["weight"] = 50
    data["projects"][0]["name"] = "项" * (10 * 1024 * 1024 // 3)
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    output = refused(path, tmp_path, "render", "项目名称：文字过长", "文字过长", f"{MAX_TEXT:,}")
    assert len(output) < 2000  # the name is quoted cut short


def test_bounds_at_the_edge():
    assert FundsLine(budget=MAX_AMOUNT - 1).budget == MAX_AMOUNT - 1
    with pytest.raises(ValidationError, match="超出范围"):
        FundsLine(budget=-MAX_AMOUNT)
    assert Indicator(level1="a", level2="b", name="c", weight=1000).weight == 1000
    with pytest.raises(ValidationError, match="分数「1000.01」超出范围"):
        Indicator(level1="a", level2="b", name="c", weight="1000.01")
    with pytest.raises(ValidationError, match="名称过长"):
        Indicator(level1="a", level2="b", name="名" * (MAX_NAME + 1))
    assert len(Indicator(level1="a", level2="b", name="c", deviation="字" * MAX_TEXT).deviation) == MAX_TEXT
    with pytest.raises(ValidationError, match="文字过长"):
        Indicator(level1="a", level2="b", name="c", deviation="字" * (MAX_TEXT + 1))
    with pytest.raises(ValidationError, match="U\\+DC00"):
        Indicator(level1="a", level2="b", name="c", actual="x\udc00")


def test_minus_zero_is_zero():
    assert FundsLine(budget="-0").budget.is_signed() is False
    assert Indicator(level1="a", level2="b", name="c", score="-0.00").score.is_signed() is False
    assert number_text(Decimal("-0")) == "0"
    assert number_text(Decimal("-0.00")) == "0"
    assert amount_text(Decimal("-0.001")) == "0.00"
    assert str(q2(Decimal("-0.004"))) == "0.00"


def test_rounding_never_overflows():
    assert q2(Decimal("1e40")) == Decimal("1e40")
    assert round_rate(Decimal("123456789012345678901234567890.123456")) == Decimal("123456789012345678901234567890.1235")


def test_quote_cuts_and_escapes():
    assert quote("a\ud800b") == "a\\ud800b"
    assert quote("x" * 100).startswith("x" * 40 + "…（共 100 个字符）")


def test_a_tiny_budget_gives_findings_not_a_crash(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(BAD / "tiny_budget.yaml"), "-o", str(out), "--no-layout"])
    assert result.exit_code == 1, result.output  # forms written, findings reported
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "执行率填报为 96.41%" in result.output and "超过全年预算数" in result.output
    assert len(list(out.rglob("*.xlsx"))) == 2
