"""Amounts in the unit a form prints: a unit file kept in 万元 rendered and checked on
forms printed in 元 is converted exactly (Decimal ×10000), before any check or render."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from pydantic import BaseModel, BeforeValidator

from docgen.model.fields import _amount
from docgen.model.unit import Unit

FACTORS = {"元": Decimal(1), "万元": Decimal(10000)}


def _is_amount(info: Any) -> bool:
    return any(isinstance(m, BeforeValidator) and m.func is _amount for m in info.metadata)


def _scaled(value: Decimal, factor: Decimal) -> Decimal:
    with localcontext() as ctx:  # enough digits that the product is exact, never rounded
        ctx.prec = len(value.as_tuple().digits) + len(factor.as_tuple().digits) + 10
        return value * factor


def _convert(value: Any, factor: Decimal) -> Any:
    """`value` with every `Amount` field inside it multiplied by `factor` (the same object when none)."""
    if isinstance(value, BaseModel):
        updates = {}
        for name, info in type(value).model_fields.items():
            current = getattr(value, name)
            if _is_amount(info):
                if current is not None:
                    updates[name] = _scaled(current, factor)
            else:
                new = _convert(current, factor)
                if new is not current:
                    updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, (list, tuple)):
        items = [_convert(v, factor) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    return value


def in_unit(unit: Unit, target: str | None) -> Unit:
    """`unit` with its amounts in `target` (元 or 万元); unchanged when it already is, or
    when no form fixes the unit (`target` None)."""
    if target is None or target == unit.amount_unit or target not in FACTORS:
        return unit
    factor = FACTORS[unit.amount_unit] / FACTORS[target]
    return _convert(unit, factor).model_copy(update={"amount_unit": target})
