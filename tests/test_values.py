"""Tests for docgen.model.values: parsing indicator values and comparing units."""

from decimal import Decimal

import pytest

from docgen.model.values import (
    Blank,
    Comparator,
    Qualitative,
    Quantity,
    comparable,
    parse_value,
)

C = Comparator
D = Decimal

QUANTITIES = [
    # text, comparator, number, unit
    ("=100%", C.EQ, D("100"), "%"),
    (">=85%", C.GE, D("85"), "%"),
    ("≥90.00(%)", C.GE, D("90"), "%"),
    ("<=2%", C.LE, D("2"), "%"),
    ("=5次", C.EQ, D("5"), "次"),
    (">=3000人次", C.GE, D("3000"), "人次"),
    ("5.2万人次", C.NONE, D("52000"), "人次"),
    ("=0次", C.EQ, D("0"), "次"),
    ("0", C.NONE, D("0"), ""),
    ("0次", C.NONE, D("0"), "次"),
    ("=35.00(万张)", C.EQ, D("350000"), "张"),
    ("1.6", C.NONE, D("1.6"), ""),
    ("42.47%", C.NONE, D("42.47"), "%"),
    ("90", C.NONE, D("90"), ""),
    ("=365.00(天)", C.EQ, D("365"), "天"),
    ("≥98.00(%)", C.GE, D("98"), "%"),
    ("=0.00(%)", C.EQ, D("0"), "%"),
    ("=100.00(%)", C.EQ, D("100"), "%"),
    ("=65万", C.EQ, D("650000"), ""),
    ("=1.5亿元", C.EQ, D("150000000"), "元"),
    ("3千人", C.NONE, D("3000"), "人"),
    ("2千万元", C.NONE, D("20000000"), "元"),
    ("3,000人次", C.NONE, D("3000"), "人次"),
    ("1,505,492", C.NONE, D("1505492"), ""),
    ("1,505,492.50元", C.NONE, D("1505492.50"), "元"),
    ("＞＝８５％", C.GE, D("85"), "%"),
    ("＝１００％", C.EQ, D("100"), "%"),
    ("≧90%", C.GE, D("90"), "%"),
    ("≦5%", C.LE, D("5"), "%"),
    ("≤5天", C.LE, D("5"), "天"),
    ("==3个", C.EQ, D("3"), "个"),
    ("=>80%", C.GE, D("80"), "%"),
    ("=<10%", C.LE, D("10"), "%"),
    (">0", C.GT, D("0"), ""),
    ("<1‰", C.LT, D("1"), "‰"),
    ("≤3‰", C.LE, D("3"), "‰"),
    ("≥ 90 %", C.GE, D("90"), "%"),
    ("  =5次  ", C.EQ, D("5"), "次"),
    ("不低于90%", C.GE, D("90"), "%"),
    ("不少于10个", C.GE, D("10"), "个"),
    ("大于等于95%", C.GE, D("95"), "%"),
    ("至少3次", C.GE, D("3"), "次"),
    ("不高于5%", C.LE, D("5"), "%"),
    ("不超过100万元", C.LE, D("1000000"), "元"),
    ("不多于2次", C.LE, D("2"), "次"),
    ("小于等于1%", C.LE, D("1"), "%"),
    ("至多4天", C.LE, D("4"), "天"),
    ("大于80%", C.GT, D("80"), "%"),
    ("高于80%", C.GT, D("80"), "%"),
    ("多于5家", C.GT, D("5"), "家"),
    ("小于3%", C.LT, D("3"), "%"),
    ("低于3%", C.LT, D("3"), "%"),
    ("少于2起", C.LT, D("2"), "起"),
    ("等于100%", C.EQ, D("100"), "%"),
    ("=100%以上", C.GE, D("100"), "%"),
    ("90%及以上", C.GE, D("90"), "%"),
    ("≥90%以上", C.GE, D("90"), "%"),
    ("5%以下", C.LE, D("5"), "%"),
    ("3天以内", C.LE, D("3"), "天"),
    ("=5个百分点", C.EQ, D("5"), "个百分点"),
    ("=500m²", C.EQ, D("500"), "m²"),
    ("=(98%)", C.EQ, D("98"), "%"),
    ("=98【%】", C.EQ, D("98"), "%"),
    ("90%。", C.NONE, D("90"), "%"),
    ("-5%", C.NONE, D("-5"), "%"),
    ("=2个", C.EQ, D("2"), "个"),
    ("=12元/人", C.EQ, D("12"), "元/人"),
    (".5", C.NONE, D("0.5"), ""),
    ("=12345678万元", C.EQ, D("123456780000"), "元"),
]


@pytest.mark.parametrize("text,comparator,number,unit", QUANTITIES)
def test_quantity(text, comparator, number, unit):
    value = parse_value(text)
    assert isinstance(value, Quantity)
    assert value.comparator is comparator
    assert value.number == number
    assert isinstance(value.number, Decimal)
    assert value.unit == unit
    assert value.text == text


QUALITATIVES = [
    # text, expected Qualitative.text
    ("及时", "及时"),
    ("不够及时", "不够及时"),
    ("健全", "健全"),
    ("提升", "提升"),
    ("有效", "有效"),
    ("2020年12月31日前", "2020年12月31日前"),
    ("12月底前", "12月底前"),
    ("2020年底", "2020年底"),
    ("90%左右", "90%左右"),
    ("约90%", "约90%"),
    ("  及时 ", "及时"),
    ("=", "="),
    ("≥", "≥"),
    ("不低于", "不低于"),
    ("=>=<", "=>=<"),
    ("%%", "%%"),
    ("=1.2.3", "=1.2.3"),
    ("abc", "abc"),
    ("—", "—"),
    ("-", "-"),
    ("90-100%", "90-100%"),
    ("1~3天", "1~3天"),
    ("3,0000人", "3,0000人"),
    ("12,34", "12,34"),
    ("≤5%以上", "≤5%以上"),
    (">=90%以下", ">=90%以下"),
    ("=5abcdefghi", "=5abcdefghi"),
    ("满意度≥90%", "满意度≥90%"),
    ("1e5", "1e5"),
    ("≥=90", "≥=90"),
    ("=5%%", "=5%%"),
    ("90%完成", "90%完成"),
    ("5以上以上", "5以上以上"),
    ("()", "()"),
    (",", ","),
    ("【】", "【】"),
]


@pytest.mark.parametrize("text,expected", QUALITATIVES)
def test_qualitative(text, expected):
    value = parse_value(text)
    assert value == Qualitative(expected)


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n", "\u3000", "\u200b"])
def test_blank(text):
    assert parse_value(text) == Blank()


@pytest.mark.parametrize(
    "raw,comparator,number,unit,text",
    [
        (0, C.NONE, D("0"), "", "0"),
        (90, C.NONE, D("90"), "", "90"),
        (-3, C.NONE, D("-3"), "", "-3"),
        (D("1.60"), C.NONE, D("1.6"), "", "1.60"),
        (D("1E+3"), C.NONE, D("1000"), "", "1E+3"),
    ],
)
def test_non_string_input(raw, comparator, number, unit, text):
    value = parse_value(raw)
    assert isinstance(value, Quantity)
    assert (value.comparator, value.number, value.unit, value.text) == (
        comparator,
        number,
        unit,
        text,
    )


def test_decimal_nan_is_qualitative():
    assert parse_value(D("NaN")) == Qualitative("NaN")


def test_scaled_number_is_exact():
    value = parse_value("=1234567890123456789012345.678万元")
    assert value.number == D("12345678901234567890123456780")


def test_comparator_values_and_reverse():
    assert [c.value for c in Comparator] == ["=", ">=", ">", "<=", "<", ""]
    assert [c for c in Comparator if c.reverse] == [C.LE, C.LT]
    assert str(C.GE) == ">="


@pytest.mark.parametrize(
    "target,actual,expected",
    [
        ("=5次", "6", True),
        (">=3000人次", "5.2万人次", True),
        (">=85%", "90", True),
        ("=2个", "1.6", True),
        ("=5次", "5人", False),
        ("=100%", "=100%", True),
        ("=100%", "≥98.00(%)", True),
        ("90", "90", True),
        ("=35.00(万张)", "36万张", True),
        ("≤3‰", "2%", False),
        ("=5次", "5人次", False),
    ],
)
def test_comparable(target, actual, expected):
    assert comparable(parse_value(target), parse_value(actual)) is expected


@pytest.mark.parametrize("other", ["及时", "", None])
def test_comparable_with_non_quantity_is_false(other):
    assert comparable(parse_value("=5次"), parse_value(other)) is False
    assert comparable(parse_value(other), parse_value("=5次")) is False


ODD_STRINGS = [
    "=>=<",
    "%%",
    "=1.2.3",
    "abc",
    "—",
    "——",
    "－",
    "+",
    "-",
    ".",
    ",",
    "...",
    "=.",
    "=-",
    "+-5",
    "--5",
    "5..5",
    "1,",
    ",000",
    "1,,000",
    "1,000,",
    "(",
    ")",
    "()",
    "(%)",
    "【】",
    "=(",
    "≥≤",
    "><",
    "<>5",
    "=5%%%",
    "5%5",
    "万",
    "=万",
    "亿亿亿",
    "5亿亿亿亿亿亿亿亿亿",
    "0" * 500,
    "9" * 400 + "亿",
    "\x00",
    "\ufffd",
    "😀",
    "=😀",
    "5😀",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999999",
    "٣٤",
    "=٣٤%",
    "①②",
    "⑴",
    "²",
    "5²",
    "\ue000",
    "不",
    "不低于不低于90",
    "以上",
    "5以上以上",
    "     =     ",
    "=\n5\n次",
    "null",
    "None",
    "N/A",
    "/",
    "无",
]


@pytest.mark.parametrize("text", ODD_STRINGS)
def test_odd_strings_never_raise(text):
    value = parse_value(text)
    assert isinstance(value, (Quantity, Qualitative, Blank))
    if isinstance(value, Quantity):
        assert isinstance(value.number, Decimal)
        assert not any(ch.isdecimal() for ch in value.unit)
        assert len(value.unit) <= 8


def test_values_are_frozen_and_hashable():
    value = parse_value("=5次")
    with pytest.raises(AttributeError):
        value.unit = "人"  # type: ignore[misc]
    assert len({parse_value("=5次"), parse_value("=5次"), parse_value("及时")}) == 2
