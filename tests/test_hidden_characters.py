"""Names that do not deceive: invisible characters of a unit's or project's name (the
Bidi_Control characters such as U+202E, zero-width and other format characters,
fillers, variation selectors) never reach a file or folder name, and the check reports
them (quoted as their codes, so the message cannot be disguised either)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import edited_copy
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.model.names import hidden_characters, safe_name, visible

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "shanghai-sscard-2023.yaml"
runner = CliRunner()

BIDI_CONTROL = ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
OTHER_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u115f", "\ufe0f", "\U000e0041", "\u034f"]


@pytest.mark.parametrize("ch", BIDI_CONTROL + OTHER_INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_is_removed_from_a_name(ch):
    assert safe_name(f"残联{ch}xcod.exe") == "残联xcod.exe"
    assert hidden_characters(f"a{ch}b{ch}") == [f"U+{ord(ch):04X}"]
    assert visible(f"a{ch}b") == f"a<U+{ord(ch):04X}>b"


def test_every_bidi_control_character_is_covered():
    """Bidi_Control (Unicode's PropList) is exactly these twelve; all are format characters."""
    assert len(BIDI_CONTROL) == 12 and all(unicodedata.category(c) == "Cf" for c in BIDI_CONTROL)


@pytest.mark.parametrize("ch, shown", [("\x85", "_"), ("\u2028", "_"), ("\u2029", "_"), ("\x9b", "_"), ("\x07", "_")])
def test_control_characters_and_line_separators_become_underscores(ch, shown):
    assert safe_name(f"甲{ch}乙") == f"甲{shown}乙"


def test_plain_names_are_left_alone():
    assert safe_name("上海市残疾人联合会") == "上海市残疾人联合会" and hidden_characters("一、项目（2023）") == []


def test_a_disguised_unit_and_project_name_render_plain_file_names_and_are_reported(tmp_path):
    unit = edited_copy(
        tmp_path,
        EXAMPLE,
        ("unit: 上海市社会保障卡服务中心", "unit: 残联\u202excod.exe"),
        ("name: 交换平台运行费", "name: 交换平台\u2066运行费\u200b"),
    )
    result = runner.invoke(app, ["render", str(unit), "-o", str(tmp_path / "out"), "--no-layout", "--only", "forms"])
    assert result.exit_code in (0, 1), result.output
    names = [str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*")]
    assert names and not any(hidden_characters(n) for n in names)
    assert (tmp_path / "out" / "残联xcod.exe" / "2023").is_dir()
    assert any(n.endswith("交换平台运行费-财政项目支出绩效目标申报表.docx") for n in names), names
    assert "单位名称「残联<U+202E>xcod.exe」含有不可见的格式字符 U+202E" in result.output
    assert "项目名称「交换平台<U+2066>运行费<U+200B>」含有不可见的格式字符 U+2066、U+200B" in result.output
    reported = [line for line in result.output.splitlines() if "含有不可见的格式字符" in line]
    assert len(reported) == 2 and not any(hidden_characters(line) for line in reported)
    assert not any(hidden_characters(line) for line in result.output.splitlines() if "[提示]" in line or "[错误]" in line)


def test_review_letters_get_plain_names(tmp_path):
    unit = edited_copy(tmp_path, EXAMPLE, ("unit: 上海市社会保障卡服务中心", "unit: 残联\u202excod.exe"))
    result = runner.invoke(app, ["review", str(unit), "-o", str(tmp_path / "审核.xlsx"), "--letters", str(tmp_path / "letters")])
    assert result.exit_code in (0, 1), result.output
    letters = [p.name for p in (tmp_path / "letters").iterdir()]
    assert letters == ["残联xcod.exe-2023-审核意见.docx"], letters
