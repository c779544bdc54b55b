"""Amounts, scores and rates as clerks type them into a form, read as the form means
them: full-width digits (１９４３２００), spaces, a unit after the number (1943200.00元,
194.32万元), a dash or 无 for nothing; amounts of a form whose labels say 万元
(「项目资金（万元）」, 「单位：万元」) converted exactly to the 元 every form version prints.
A text that still is no number is left as typed: the check names its cell."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.importing.found import Found
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.labels import squeeze
from docgen.model.formatting import amount_text
from docgen.model.rounding import q2
from docgen.model.unit import Project

WAN = Decimal(10000)
_BLANK = {"-", "－", "—", "–", "——", "--", "/", "／", "无"}  # what a clerk types for "nothing here"
_POINTS = r"(\(\d+(\.\d+)?分\))?"  # 「预算执行情况（万元）（20分）」
_WAN_LABEL = re.compile(r"(\(万元\)|单位:万元)" + _POINTS + "$")
_YUAN_LABEL = re.compile(r"(\(元\)|单位:元)" + _POINTS + "$")
_LABEL = 30  # characters: a longer text is not a label but a sentence that may mention 万元
_SUFFIX = re.compile(r"^(?P<number>.*?)(?P<unit>万元|万|元)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def amount_scale(form: FormText, declared: str | None = None) -> tuple[Decimal, str | None]:
    """How many 元 one amount of the form is (1, or 10000 when its labels say 万元; when
    they say nothing, the version's `amount_unit`), or a message when some labels say 元
    and others 万元 (no one can tell which amounts are which)."""
    wan: set[str] = set()
    yuan: set[str] = set()
    for text in form.texts():
        label = squeeze(text).rstrip(":")
        if len(label) <= _LABEL:
            (wan if _WAN_LABEL.search(label) else yuan if _YUAN_LABEL.search(label) else set()).add(text.strip())
    if wan and yuan:
        return Decimal(1), f"金额单位不一致：「{'」「'.join(sorted(wan))}」为万元，「{'」「'.join(sorted(yuan))}」为元；请把表中的金额单位统一后再导入"
    return (WAN if wan or (not yuan and declared == "万元") else Decimal(1)), None


def _decimal(text: str) -> Decimal | None:
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def amount(text: str, scale: Decimal) -> str | None:
    """An amount cell's text in 元 (None: nothing typed); unchanged when it is no number."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded in _BLANK:
        return None
    compact = re.sub(r"\s+", "", folded)
    suffix = _SUFFIX.match(compact)
    digits = suffix.group("number") if suffix else compact
    if suffix:
        scale = WAN if suffix.group("unit") in ("万元", "万") else Decimal(1)  # the cell's own unit wins (250万)
    number = _decimal(digits)
    if number is None:
        return text
    if scale != 1:
        value = number * scale
        return amount_text(value) if q2(value) == value else f"{value.normalize():,f}"
    return digits if suffix or compact != text else text


def _number(text: str) -> str | None:
    """A score, rate or percentage: full-width forms folded (９６．４１％ -> 96.41%)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return None if folded in _BLANK else folded


def _walk(node: Any, path: tuple[str, ...], scale: Decimal) -> None:
    for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
        sub = path + ((key,) if isinstance(key, str) else ())
        if isinstance(value, (dict, list)):
            _walk(value, sub, scale)
            continue
        kind = value_kind(Project, sub) if isinstance(value, str) else "text"
        if kind not in ("amount", "number", "percent"):
            continue
        new = amount(value, scale) if kind == "amount" else _number(value)
        if new is not None:
            node[key] = new
        elif isinstance(node, dict):
            del node[key]


def tidy(found: Found, declared: str | None = None) -> None:
    """Read the numbers of `found` as its form means them (see the module's words);
    `declared`: the amount unit of its version (`amount_unit`), for a form whose labels
    do not say."""
    scale, problem = amount_scale(found.form, declared)
    if problem is not None:
        found.problems.append(problem)
        return
    _walk(found.project, (), scale)
    found.scale = scale
