from decimal import Decimal
from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.parse.load import load_text


def load(text: str, name: str = "unit.yaml"):
    return load_text(text, Path(name))


@pytest.mark.parametrize(
    "source, expected",
    [
        ("a: 1943200.00", Decimal("1943200.00")),
        ("a: 0.1", Decimal("0.1")),
        ("a: 7.2", Decimal("7.2")),
        ("a: 1_000.5", Decimal("1000.5")),
        ("a: 96", 96),
        ("a: 1,505,492", "1,505,492"),
        ("a: 96.41%", "96.41%"),
        ('a: "=100%"', "=100%"),
        ("a: ≥90.00(%)", "≥90.00(%)"),
        ("a: .inf", ".inf"),
    ],
)
def test_scalars_keep_their_exact_value(source, expected):
    value = load(source).data["a"]
    assert value == expected
    assert type(value) is type(expected)


def test_line_numbers_for_nested_fields():
    loaded = load("unit: 甲\nprojects:\n  - name: 项目\n    indicators:\n      - name: 指标\n        weight: 5\n")
    assert loaded.line_of(("unit",)) == 1
    assert loaded.line_of(("projects", 0)) == 3
    assert loaded.line_of(("projects", 0, "indicators", 0, "weight")) == 6
    # a path that does not exist falls back to its nearest located ancestor
    assert loaded.line_of(("projects", 0, "indicators", 0, "score")) == 5


def test_json_is_read_with_line_numbers_and_decimals():
    loaded = load('{\n\t"unit": "甲",\n\t"amount": 1.10,\n\t"projects": [\n\t\t{"name": "乙"}\n\t]\n}', "unit.json")
    assert loaded.data == {"unit": "甲", "amount": Decimal("1.10"), "projects": [{"name": "乙"}]}
    assert loaded.line_of(("amount",)) == 3
    assert loaded.line_of(("projects", 0)) == 5


@pytest.mark.parametrize(
    "source, line, words",
    [
        ("", 1, "文件为空"),
        ("   \n\n", 1, "文件为空"),
        ("# comment only\n", 1, "文件为空"),
        ("a: [1, 2\n", 2, "语法错误"),
        ("a: 1\na: 2\n", 2, "语法错误"),
        ("a:\n  b: 1\n c: 2\n", 3, "语法错误"),
    ],
)
def test_unreadable_text_names_the_line(source, line, words):
    with pytest.raises(InputError) as info:
        load(source)
    (problem,) = info.value.problems
    assert problem.line == line
    assert words in problem.text
    assert "unit.yaml" in info.value.message()


def test_missing_file(tmp_path):
    from docgen.inputs.loader import load_file

    with pytest.raises(InputError) as info:
        load_file(tmp_path / "nope.yaml")
    assert "文件不存在" in info.value.message()


def test_non_utf8_file(tmp_path):
    from docgen.inputs.loader import load_file

    path = tmp_path / "gbk.yaml"
    path.write_bytes("unit: 测试".encode("gbk"))
    with pytest.raises(InputError) as info:
        load_file(path)
    assert "UTF-8" in info.value.message()
