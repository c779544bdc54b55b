"""Parse indicator values (年度指标值 / 实际完成值) written by finance clerks.

A cell of a fiscal performance form holds free text such as ``=100%``,
``≥90.00(%)``, ``5.2万人次``, ``不低于90%``, ``及时`` or ``2020年12月31日前``.
:func:`parse_value` turns that text into one of three values:

* :class:`Quantity` - an optional comparator, an exact ``Decimal`` number
  (already multiplied by any 万/亿/千 scale) and a unit;
* :class:`Qualitative` - anything that is not a clean quantity;
* :class:`Blank` - nothing written at all.

:func:`parse_value` never raises on any input string; when in doubt the text
is Qualitative.  Numbers are ``decimal.Decimal`` throughout, never binary
floats, so ``35.00万`` is exactly 350000.

Rule decisions beyond the obvious ones:

* The brackets ``()[]{}【】〔〕`` (full-width ones too, via NFKC) are deleted
  anywhere before parsing, so ``=35.00(万张)`` is ``=35.00万张`` and
  ``(≥90%)`` is ``≥90%``.  ``<>`` are comparators, never brackets.
* NFKC would turn ``m²`` into ``m2`` and so make it Qualitative; the
  superscripts ² and ³ are kept as they are and allowed in units.
* A trailing ``以上``/``及以上``/``含以上`` means ``>=`` and a trailing
  ``以下``/``及以下``/``含以下``/``以内``/``之内`` means ``<=``.  They override a
  missing comparator or ``=`` (``=100%以上`` is ``>= 100 %``), agree with a
  comparator of the same direction (``≥90%以上`` stays ``>=``) and make the
  text Qualitative when they contradict it (``≤5%以上``).
* Deadline and approximation wording after the number (前, 底, 末, 初, 旬, 后,
  左右) makes the text Qualitative: ``12月底前``, ``2020年底``, ``90%左右``.
  A leading ``约``/``≈`` is not a comparator, so ``约90%`` is Qualitative too.
* Scale prefixes: 万, 亿, 千 and the compounds 万亿, 千亿, 百亿, 千万, 百万.
  A bare 百 is not a scale, so ``5个百分点`` keeps its unit.  ``千米`` and
  ``千克`` therefore become 米 and 克 with the number scaled, which is
  numerically consistent.
* Extra comparator words beyond the required ones: 不小于/达到 (>=),
  不大于 (<=), 超过 (>), 不足 (<); extra symbols ⩾ and ⩽.
* A unit may not contain digits, comparator symbols, ``~``, ``+`` or ``-``
  and must be at most 8 characters (after the scale prefix is removed).
  Ranges such as ``90-100%`` or ``1~3天`` are therefore Qualitative.
* A ``%`` or ``‰`` must be the whole unit: ``=5%%`` and ``90%完成`` are
  Qualitative.
* Trailing sentence punctuation (``。`` ``,`` ``;`` ``、``) is ignored.
* Blank means nothing but whitespace; a cell holding only brackets or
  punctuation such as ``()`` or ``,`` is Qualitative.
* A bare year such as ``2021年`` is a Quantity (2021, 年); only the
  deadline wording above tells dates apart from durations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from enum import Enum

__all__ = [
    "Blank",
    "Comparator",
    "Qualitative",
    "Quantity",
    "Value",
    "comparable",
    "parse_value",
]


class Comparator(str, Enum):
    """How the number of a Quantity is meant: exact, a bound, or bare."""

    EQ = "="
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    NONE = ""

    @property
    def reverse(self) -> bool:
        """True when a lower actual value is better (an upper bound)."""
        return self in (Comparator.LE, Comparator.LT)

    def __str__(self) -> str:
        # Python 3.11 renders str-mixin enums as "Comparator.GE"; forms need "≥"-like text.
        return self.value


@dataclass(frozen=True)
class Quantity:
    """A number with comparator and unit, e.g. ``>=3000人次``."""

    comparator: Comparator
    number: Decimal
    unit: str
    text: str
    scale: str = ""  # the scale word written before the unit (万 in 5.2万人次), already applied to `number`

    @property
    def written_unit(self) -> str:
        return self.scale + self.unit


@dataclass(frozen=True)
class Qualitative:
    """A value that is not a clean quantity, e.g. ``及时``."""

    text: str


@dataclass(frozen=True)
class Blank:
    """An empty cell."""

    text: str = ""


Value = Quantity | Qualitative | Blank

_C = Comparator

# Longest first, so "大于等于" wins over "大于" and "==" over "=".
_PREFIXES: tuple[tuple[str, Comparator], ...] = tuple(
    sorted(
        [
            ("==", _C.EQ),
            ("=", _C.EQ),
            (">=", _C.GE),
            ("=>", _C.GE),
            ("≥", _C.GE),
            ("≧", _C.GE),
            ("⩾", _C.GE),
            (">", _C.GT),
            ("<=", _C.LE),
            ("=<", _C.LE),
            ("≤", _C.LE),
            ("≦", _C.LE),
            ("⩽", _C.LE),
            ("<", _C.LT),
            ("不低于", _C.GE),
            ("不少于", _C.GE),
            ("不小于", _C.GE),
            ("大于等于", _C.GE),
            ("至少", _C.GE),
            ("达到", _C.GE),
            ("不高于", _C.LE),
            ("不超过", _C.LE),
            ("不多于", _C.LE),
            ("不大于", _C.LE),
            ("小于等于", _C.LE),
            ("至多", _C.LE),
            ("大于", _C.GT),
            ("高于", _C.GT),
            ("多于", _C.GT),
            ("超过", _C.GT),
            ("小于", _C.LT),
            ("低于", _C.LT),
            ("少于", _C.LT),
            ("不足", _C.LT),
            ("等于", _C.EQ),
        ],
        key=lambda pair: -len(pair[0]),
    )
)

# Longest first: "及以上" must be removed whole, not leave a stray "及".
_SUFFIXES: tuple[tuple[str, Comparator], ...] = (
    ("及以上", _C.GE),
    ("含以上", _C.GE),
    ("以上", _C.GE),
    ("及以下", _C.LE),
    ("含以下", _C.LE),
    ("以下", _C.LE),
    ("以内", _C.LE),
    ("之内", _C.LE),
)

SCALES: tuple[tuple[str, int], ...] = (
    ("万亿", 10**12),
    ("千亿", 10**11),
    ("百亿", 10**10),
    ("千万", 10**7),
    ("百万", 10**6),
    ("亿", 10**8),
    ("万", 10**4),
    ("千", 10**3),
)

# A comma is a thousands separator only before exactly three digits, so
# "3,0000" or "12,34" fail here and end up Qualitative.
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")

_BRACKETS = str.maketrans("", "", "()[]{}【】〔〕")
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_TRAILING_PUNCT = "。,;、"
_PARK_SUPERSCRIPTS = str.maketrans("²³", "\ue000\ue001")
_UNPARK_SUPERSCRIPTS = str.maketrans("\ue000\ue001", "²³")
_DEADLINE_OR_APPROX = ("前", "底", "末", "初", "旬", "后", "左右")
_FORBIDDEN_IN_UNIT = frozenset("=<>≥≧⩾≤≦⩽~+-")
_MAX_UNIT_LEN = 8
_PER_SIGNS = ("%", "‰")


def _as_text(value: object) -> tuple[str, str]:
    """Return (text to keep, text to parse) for any input."""
    if isinstance(value, Decimal):
        original = str(value)
        # str() may give "1E+3"; fixed-point keeps the exponent out of the unit.
        return original, format(value, "f") if value.is_finite() else original
    return str(value), str(value)


def _normalise(text: str) -> str:
    """NFKC, without invisible characters and without any whitespace."""
    # Park ²/³ on private-use code points so NFKC cannot turn "m²" into "m2".
    text = text.translate(_PARK_SUPERSCRIPTS)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.translate(_UNPARK_SUPERSCRIPTS)
    # NFKC leaves U+2212 alone; clerks paste it from Word as a minus sign.
    text = text.replace("\u2212", "-")
    return "".join(text.split())


def _compact(normalised: str) -> str:
    """Drop brackets and trailing sentence punctuation."""
    return normalised.translate(_BRACKETS).rstrip(_TRAILING_PUNCT)


def _merge_suffix(prefix: Comparator, suffix: Comparator) -> Comparator | None:
    """Combine a leading comparator with a 以上/以下 suffix; None if they clash."""
    if prefix in (_C.NONE, _C.EQ):
        return suffix
    if suffix is _C.GE and prefix in (_C.GE, _C.GT):
        return prefix
    if suffix is _C.LE and prefix in (_C.LE, _C.LT):
        return prefix
    return None


def _parse_quantity(compact: str, original: str) -> Quantity | None:
    comparator = _C.NONE
    rest = compact
    for word, comp in _PREFIXES:
        if rest.startswith(word):
            comparator = comp
            rest = rest[len(word) :]
            break

    match = _NUMBER.match(rest)
    if match is None:
        return None
    digits = match.group().replace(",", "")
    unit = rest[match.end() :]

    for word, comp in _SUFFIXES:
        if unit.endswith(word):
            merged = _merge_suffix(comparator, comp)
            if merged is None:
                return None
            comparator = merged
            unit = unit[: -len(word)]
            break

    if any(word in unit for word in _DEADLINE_OR_APPROX):
        return None
    # A second 以上/以下 ("5以上以上") is noise, not a unit.
    if any(word in unit for word, _ in _SUFFIXES):
        return None
    if unit not in _PER_SIGNS and any(sign in unit for sign in _PER_SIGNS):
        return None
    # isdecimal, not isdigit: "²" in "m²" is a digit to Python but part of a unit.
    if any(ch.isdecimal() or ch in _FORBIDDEN_IN_UNIT for ch in unit):
        return None

    factor, scale_word = 1, ""
    for word, scale in SCALES:
        if unit.startswith(word):
            factor, scale_word = scale, word
            unit = unit[len(word) :]
            break

    if len(unit) > _MAX_UNIT_LEN:
        return None

    try:
        number = Decimal(digits)
    except InvalidOperation:
        return None
    if factor != 1:
        # Enough precision that the product is exact, never rounded.
        with localcontext() as ctx:
            ctx.prec = len(digits) + 20
            number = number * factor
    return Quantity(comparator, number, unit, original, scale_word)


def parse_value(text: str | int | Decimal | None) -> Value:
    """Parse a target or actual value; never raises on any input.

    Returns Blank for None/empty/whitespace, Quantity when the text is an
    optional comparator, a number and a short unit, and Qualitative otherwise.
    """
    if text is None:
        return Blank()
    original, source = _as_text(text)
    normalised = _normalise(source)
    if not normalised:
        return Blank()
    quantity = _parse_quantity(_compact(normalised), original)
    if quantity is not None:
        return quantity
    return Qualitative(original.strip())


def comparable(target: Quantity, actual: Quantity) -> bool:
    """True when both are quantities and their units agree.

    A missing unit on either side borrows the other's, because clerks often
    write the actual as a bare "90" against a target of ">=85%".
    """
    if not isinstance(target, Quantity) or not isinstance(actual, Quantity):
        return False
    return target.unit == actual.unit or not target.unit or not actual.unit
