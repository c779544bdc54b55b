"""Field types shared by every part of the unit file: amounts, scores, rates and texts
read as exact decimals or stripped text, with Chinese messages for what cannot be read.

Unknown keys are rejected everywhere (`StrictModel`): a typo must never be silently ignored.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")

# Bounds on values (docs, "Limits"), far above any real form: beyond them a value is a
# slip or hostile input, refused with a message instead of overflowing the arithmetic.
MAX_AMOUNT = Decimal(10) ** 15  # |金额| < 10^15 (a thousand trillion)
MAX_SCORE = Decimal(1000)  # 分值, 得分, 总分 <= 1000
MAX_PERCENT = Decimal(10000)  # |执行率|, |支出计划%| <= 10000%
MAX_TEXT = 100_000  # characters in one text field
MAX_NAME = 500  # characters in a name (单位, 项目, 指标, 部门)
EXCEL_CELL_MAX = 32_767  # characters an Excel cell holds: longer text is a finding (`rules.check_text_lengths`)
_SURROGATES = re.compile("[\ud800-\udfff]")
_QUOTE = 40  # characters of a bad value quoted in a message


def quote(value: Any) -> str:
    """A value as a message quotes it: cut short, lone surrogates shown as escapes."""
    text = str(value)
    if len(text) > _QUOTE:
        text = text[:_QUOTE] + f"…（共 {len(text):,} 个字符）"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _surrogate(text: str) -> str | None:
    """The first lone surrogate (U+D800–U+DFFF) in `text`, as U+XXXX; None when there is none."""
    found = _SURROGATES.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def check_text(text: str) -> str:
    """Refuse what no output format can hold: a lone surrogate (a broken `\\ud800` escape
    in JSON) or a text beyond MAX_TEXT."""
    bad = _surrogate(text)
    if bad is not None:
        raise ValueError(f"含有无法保存的字符 {bad}（孤立的 UTF-16 代理码位，多为 JSON 里残缺的 \\u 转义），请删去或改正")
    if len(text) > MAX_TEXT:
        raise ValueError(f"文字过长：{len(text):,} 个字符，每个字段最多 {MAX_TEXT:,} 个字符")
    return text


def _to_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"应为{what}，不能是布尔值")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Only reachable from library callers passing Python floats; repr is the
        # shortest text that round-trips, so 0.1 becomes Decimal("0.1").
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为{what}，却是「{quote(value)}」") from None
    else:
        raise ValueError(f"应为{what}")
    if not number.is_finite():
        raise ValueError(f"应为{what}，却是「{quote(value)}」")
    if number.is_zero():
        number = number.copy_abs()  # -0 is 0: never printed as -0.00
    return number


def _bounded(number: Decimal, limit: Decimal, what: str, value: Any, unit: str = "") -> Decimal:
    if abs(number) > limit:
        raise ValueError(f"{what}「{quote(value)}」超出范围（绝对值不超过 {limit:,f}{unit}）")
    return number


def _amount(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _to_decimal(value, "金额（数字，可带千分位逗号）")
    if abs(number) >= MAX_AMOUNT:
        raise ValueError(f"金额「{quote(value)}」超出范围（绝对值应小于 10^15，即 1000 万亿）")
    return number


def _score(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _to_decimal(value, "分数（数字）")
    if number < 0:
        raise ValueError(f"分数不能为负数：{quote(value)}")
    return _bounded(number, MAX_SCORE, "分数", value)


def _percent(value: Any) -> Decimal | None:
    """`"96.41%"` or `96.41` -> Decimal("0.9641"): rates are stored as fractions."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        if text.endswith("%"):
            text = text[:-1]
        return _bounded(_to_decimal(text, "百分比（如 96.41%）"), MAX_PERCENT, "百分比", value, "%") / 100
    return _bounded(_to_decimal(value, "百分比（如 96.41%）"), MAX_PERCENT, "百分比", value, "%") / 100


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError("应为文字")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return check_text(value)
    raise ValueError("应为文字")


def _name(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise ValueError("不能为空")
    if len(text) > MAX_NAME:
        raise ValueError(f"名称过长：{len(text):,} 个字符，最多 {MAX_NAME} 个字符（「{quote(text)}」）")
    return text


def _plan_percent(value: Any) -> Decimal | None:
    """`25`, `25.00` or `"25%"` -> Decimal("25"): 资金支出计划 prints percentages as numbers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().replace("％", "%").removesuffix("%")
    return _bounded(_to_decimal(value, "百分比数字（如 25.00）"), MAX_PERCENT, "百分比", value, "%")


# Dates as clerks write them (docs, "Dates"): ISO, slashes, dots, 年月日, eight digits,
# an Excel date cell or serial number, full-width digits, spaces around separators.
# 「2023年12月」 alone means that month: its first day for a start date, its last for an end.
DATE_FORMS = "2023-12-31、2023/12/31、2023.12.31、2023年12月31日、20231231，或只写年月（2023年12月）"
_WIDE = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")
_YMD = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's phantom 1900-02-29
_SERIALS = ((date(1990, 1, 1) - _EXCEL_EPOCH).days, (date(2100, 12, 31) - _EXCEL_EPOCH).days)


def _day(year: int, month: int, day: int | None, end: bool, value: Any) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"「{quote(value)}」不是有效日期：没有 {month} 月")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last if end else 1
    if not 1 <= day <= last:
        raise ValueError(f"「{quote(value)}」不是有效日期：{year}年{month}月没有 {day} 日")
    return date(year, month, day)


def parse_date(value: Any, end: bool = False) -> date | None:
    """A date as a clerk writes it (see DATE_FORMS); `end`: a month alone is its last day."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"应为日期，不能是布尔值；可写作 {DATE_FORMS}")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int):
        if len(str(value)) == 8:
            value = str(value)  # 20231231
        elif _SERIALS[0] <= value <= _SERIALS[1]:
            return date.fromordinal(_EXCEL_EPOCH.toordinal() + value)  # an Excel date serial
        else:
            raise ValueError(f"应为日期，却是数字「{quote(value)}」；可写作 {DATE_FORMS}")
    if not isinstance(value, str):
        raise ValueError(f"应为日期；可写作 {DATE_FORMS}")
    text = value.translate(_WIDE).strip()
    if not text:
        return None
    for pattern in (_YMD, _CHINESE, _DIGITS):
        found = pattern.fullmatch(text)
        if found:
            groups = [g for g in found.groups() if g is None or g.isdigit()]
            year, month, day = int(groups[0]), int(groups[1]), None if groups[2] is None else int(groups[2])
            return _day(year, month, day, end, value)
    raise ValueError(f"应为日期，却是「{quote(value)}」；可写作 {DATE_FORMS}")


def _start_date(value: Any) -> date | None:
    return parse_date(value, end=False)


def _end_date(value: Any) -> date | None:
    return parse_date(value, end=True)


Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
PlanPercent = Annotated[Decimal | None, BeforeValidator(_plan_percent)]
Score = Annotated[Decimal | None, BeforeValidator(_score)]
Percent = Annotated[Decimal | None, BeforeValidator(_percent)]
Text = Annotated[str, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_name)]
StartDate = Annotated[date | None, BeforeValidator(_start_date)]  # 「2023年12月」 -> 2023-12-01
EndDate = Annotated[date | None, BeforeValidator(_end_date)]  # 「2023年12月」 -> 2023-12-31


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, optional, or in a list (`list[Project] | None`)."""
    import typing

    todo = [annotation]
    while todo:
        current = todo.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            return current
        todo += typing.get_args(current)
    return None


def field_at(model: type[BaseModel] | None, path: tuple[Any, ...]) -> Any:
    """The pydantic FieldInfo at a dotted path of field names (list indexes skipped); None if there is none."""
    info = None
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            return None
        model = inner_model(info.annotation)
    return info
