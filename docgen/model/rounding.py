"""Decimal rounding points shared by scoring, checks and printing (ROUND_HALF_UP)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def _quantize(value: Decimal, places: Decimal) -> Decimal:
    # Enough precision for any finite value (the default 28 digits would raise
    # InvalidOperation on a large one); -0 rounds to 0.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 8)
        result = value.quantize(places, rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result


def q2(value: Decimal) -> Decimal:
    return _quantize(value, CENT)


def round_rate(rate: Decimal) -> Decimal:
    """A rate kept as a fraction, rounded to 0.01% (4 places)."""
    return _quantize(rate, RATE_PLACES)
