"""Decimal rounding points shared by scoring, checks and printing (ROUND_HALF_UP)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_rate(rate: Decimal) -> Decimal:
    """A rate kept as a fraction, rounded to 0.01% (4 places)."""
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
