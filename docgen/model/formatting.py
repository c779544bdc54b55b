"""How numbers are printed, and a long text quoted in a message: one place for the forms,
the findings and the CLI."""

from __future__ import annotations

from decimal import Decimal

from docgen.model.rounding import q2


def number_text(value: Decimal | None, blank: str = "") -> str:
    """96 / 9.95 / 7.2: scores and weights as the forms print them."""
    if value is None:
        return blank
    text = f"{value.copy_abs() if value.is_zero() else value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def amount_text(value: Decimal | None) -> str:
    """`#,##0.00`, rounded half up."""
    return "" if value is None else f"{q2(value):,.2f}"


def percent_text(value: Decimal | None, blank: str = "") -> str:
    """A fraction as a percentage with two decimals: 0.964132 -> 96.41%."""
    return blank if value is None else f"{q2(value * 100):.2f}%"


def fixed_text(value: Decimal | None) -> str:
    """Two decimals, no grouping (100000.00, 25.00): as the departmental form prints them."""
    return "" if value is None else f"{q2(value):.2f}"


def excerpt(text: str, limit: int = 40) -> str:
    """`text` as a message quotes it: its first `limit` characters, 「…」 after them if it
    is longer (a pasted page must not become a page of message)."""
    return text if len(text) <= limit else text[:limit] + "…"
