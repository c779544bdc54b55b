"""Worksheet names of the book and the departmental workbook: valid for Excel and unique."""

import re

import pytest

from docgen.render.workbook import SHEET_NAME_LIMIT, sheet_names

LONG = "关于提前下达2020年残疾人基本公共服务预算指标的通知绩效目标表"  # 32 characters
assert len(LONG) == 32


def valid(name: str) -> bool:
    """Excel's rules: 1–31 characters, none of []:*?/\\, not starting or ending with an
    apostrophe, not the reserved name History."""
    return (
        0 < len(name) <= 31
        and not re.search(r"[\[\]:*?/\\\x00-\x1f]", name)
        and not name.startswith("'")
        and not name.endswith("'")
        and name.casefold() != "history"
    )


CASES = [
    ("short names kept", ["汇总", "1-目标-甲"], (), ["汇总", "1-目标-甲"]),
    ("long Chinese name truncated to 31", [LONG], (), [LONG[:31]]),
    ("exactly 31 kept", [LONG[:31]], (), [LONG[:31]]),
    (
        "duplicates of a long name: suffix within 31",
        [LONG, LONG, LONG],
        (),
        [LONG[:31], LONG[:28] + "(2)", LONG[:28] + "(3)"],
    ),
    (
        "names that differ only after 31 characters clash",
        [LONG + "甲", LONG + "乙"],
        (),
        [LONG[:31], LONG[:28] + "(2)"],
    ),
    ("short duplicates", ["甲", "甲", "乙", "甲"], (), ["甲", "甲(2)", "乙", "甲(3)"]),
    ("a suffixed name already wanted", ["a", "a", "a(2)"], (), ["a", "a(2)", "a(2)(2)"]),
    ("forbidden characters replaced", ["a[b]c:d*e?f/g\\h"], (), ["a_b_c_d_e_f_g_h"]),
    ("control characters replaced", ["甲\x07乙\n丙"], (), ["甲_乙_丙"]),
    ("case-insensitive clash", ["Sheet", "SHEET", "sheet"], (), ["Sheet", "SHEET(2)", "sheet(3)"]),
    ("History is reserved", ["History"], (), ["History_"]),
    ("history is reserved in any case", ["history", "HISTORY"], (), ["history_", "HISTORY_(2)"]),
    ("History with more is fine", ["History2"], (), ["History2"]),
    ("empty name", [""], (), ["表"]),
    ("blank name", ["   "], (), ["表"]),
    ("only apostrophes", ["''"], (), ["表"]),
    ("surrounding apostrophes dropped", ["'甲'"], (), ["甲"]),
    ("apostrophe inside kept", ["甲'乙"], (), ["甲'乙"]),
    ("empty twice", ["", ""], (), ["表", "表(2)"]),
    ("taken names avoided", ["汇总", "汇总"], ("汇总",), ["汇总(2)", "汇总(3)"]),
    ("taken names compared case-insensitively", ["SUMMARY"], ("Summary",), ["SUMMARY(2)"]),
    ("taken names are not returned", ["甲"], ("乙",), ["甲"]),
]


@pytest.mark.parametrize("wanted, taken, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sheet_names(wanted, taken, expected):
    names = sheet_names(wanted, taken=taken)
    assert names == expected
    assert all(valid(n) for n in names)
    assert len({n.casefold() for n in [*names, *taken]}) == len(names) + len(taken)


def test_ten_duplicates_of_a_long_name_stay_within_31():
    names = sheet_names([LONG] * 12)
    assert names[9] == LONG[:27] + "(10)"
    assert names[11] == LONG[:27] + "(12)"
    assert SHEET_NAME_LIMIT == 31  # Excel's limit, not whatever the constant says
    assert all(len(n) <= 31 for n in names)
    assert len(set(names)) == 12


def test_the_book_sheet_names_of_the_departmental_example():
    names = sheet_names(
        [
            "1-目标-残疾人精准康复经费",
            "3-目标-关于提前下达2020年残疾人基本公共服务预算指标的通知",
            "5-目标-社区、村残疾人专职委员补贴（生活补助）",
            "6-目标-专项补助(生活补助)",
        ],
        taken=("汇总",),
    )
    assert names == [
        "1-目标-残疾人精准康复经费",
        "3-目标-关于提前下达2020年残疾人基本公共服务预算指标的通",
        "5-目标-社区、村残疾人专职委员补贴（生活补助）",
        "6-目标-专项补助(生活补助)",
    ]
    assert len(names[1]) == 31


@pytest.mark.parametrize("wanted", [" '甲' ", "a" * 30 + "'b"], ids=["apostrophes inside spaces", "apostrophe at the cut"])
def test_no_name_begins_or_ends_with_an_apostrophe(wanted):
    (name,) = sheet_names([wanted])
    assert valid(name), name
