"""Field types shared by every part of the unit file: amounts, scores, rates and texts
read as exact decimals or stripped text, with Chinese messages for what cannot be read.

Unknown keys are rejected everywhere (`StrictModel`): a typo must never be silently ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


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
            raise ValueError(f"应为{what}，却是「{value}」") from None
    else:
        raise ValueError(f"应为{what}")
    if not number.is_finite():
        raise ValueError(f"应为{what}，却是「{value}」")
    return number


def _amount(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _to_decimal(value, "金额（数字，可带千分位逗号）")


def _score(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _to_decimal(value, "分数（数字）")
    if number < 0:
        raise ValueError(f"分数不能为负数：{value}")
    return number


def _percent(value: Any) -> Decimal | None:
    """`"96.41%"` or `96.41` -> Decimal("0.9641"): rates are stored as fractions."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        if text.endswith("%"):
            text = text[:-1]
        return _to_decimal(text, "百分比（如 96.41%）") / 100
    return _to_decimal(value, "百分比（如 96.41%）") / 100


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError("应为文字")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError("应为文字")


def _name(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise ValueError("不能为空")
    return text


def _plan_percent(value: Any) -> Decimal | None:
    """`25`, `25.00` or `"25%"` -> Decimal("25"): 资金支出计划 prints percentages as numbers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().replace("％", "%").removesuffix("%")
    return _to_decimal(value, "百分比数字（如 25.00）")


Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
PlanPercent = Annotated[Decimal | None, BeforeValidator(_plan_percent)]
Score = Annotated[Decimal | None, BeforeValidator(_score)]
Percent = Annotated[Decimal | None, BeforeValidator(_percent)]
Text = Annotated[str, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_name)]


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
