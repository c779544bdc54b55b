"""Stage 4: the render context, the only thing templates see; what every form kind's
context shares (each kind builds the rest in `forms/<kind>/context.py`).

Plain dicts, lists, strings and `Decimal`s: the docx adapter formats numbers with
filters, the xlsx adapter stores them as numbers with the template's formats.
Run-grouping for merged cells is decided here, in Python, never in a template.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docgen.model.unit import Indicator, Project, SignOff, Unit
from docgen.model.values import Quantity, parse_value
from docgen.registry.manifest import FormVersion

_PARA_SPLIT = re.compile(r"</p\s*>|<p(?:\s[^>]*)?>|<br\s*/?>|\r?\n", re.IGNORECASE)


def paragraphs(text: str) -> list[str]:
    """Split rich text from the budget system (`<p>…</p>`, `<br>`) or plain lines into paragraphs."""
    parts = (html.unescape(p).strip() for p in _PARA_SPLIT.split(text or ""))
    return [p for p in parts if p]


def merge_flags(keys: list[Any]) -> list[str]:
    """'restart' where a run of equal keys begins, 'continue' inside a run."""
    return ["restart" if i == 0 or keys[i] != keys[i - 1] else "continue" for i in range(len(keys))]


def merge_runs(indicators: list[Indicator]) -> tuple[list[str], list[str]]:
    """vMerge flags for the 一级 and 二级 columns; 二级 runs never cross an 一级 boundary."""
    l1 = merge_flags([i.level1 for i in indicators])
    l2 = merge_flags([(i.level1, i.level2) for i in indicators])
    return l1, ["restart" if a == "restart" else b for a, b in zip(l1, l2)]


# A target written in one cell (`≥95%`) printed over three (指标性质 | 指标值 | 度量单位):
# the comparator as written, the number as written, the rest (unit, 以上…).
_TARGET_SPLIT = re.compile(r"^\s*(?P<comparator>[^\d+\-.]*?)\s*(?P<value>[+\-]?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>.*?)\s*$", re.DOTALL)


def target_parts(text: str) -> dict[str, str]:
    """The 指标性质 / 指标值 / 度量单位 cells of a target, for versions that print it split.
    A quantity (`≥95%`, `=100%`, `5.2万人次`) splits as written; anything else (a
    qualitative target such as 及时, a blank) goes whole into 指标值."""
    text = text or ""
    match = _TARGET_SPLIT.match(text) if isinstance(parse_value(text), Quantity) else None
    if match is None:
        return {"comparator": "", "value": text.strip(), "unit": ""}
    return {key: match.group(key) for key in ("comparator", "value", "unit")}


def sign_off_context(project: Project) -> dict[str, str]:
    """Who signs the form off (项目负责人, 填表人 …): blank where the unit file leaves them out."""
    return (project.sign_off or SignOff()).model_dump()


class Extra(dict):
    """The `extra:` fields of the unit or a project: a line a unit file leaves out prints blank
    (`{{ unit.extra.填报人 }}` in a template works for every unit file)."""

    def __missing__(self, key: str) -> str:
        return ""


def unit_context(unit: Unit) -> dict[str, Any]:
    return {"name": unit.unit, "code": unit.code, "year": unit.year, "amount_unit": unit.amount_unit, "extra": Extra(unit.extra)}


def printed_labels(labels: dict[str, str], **values: str) -> dict[str, str]:
    """Labels with their placeholders filled in: `{period}` -> 2023年-2023年."""
    out = {}
    for name, text in labels.items():
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        out[name] = text
    return out


def base_context(unit: Unit, project: Project, version: FormVersion) -> dict[str, Any]:
    return {
        "form": {
            "title": version.kind_title,
            "kind": version.kind,
            "version": version.version,
            "year": unit.year,
            "labels": printed_labels(unit.labels_of(project if version.scope == "project" else None, version.labels or {})),
        },
        "unit": {"name": unit.unit, "year": unit.year, "amount_unit": unit.amount_unit, "extra": Extra(unit.extra)},
        "project": {
            "name": project.name,
            "extra": Extra(project.extra),
            "department": unit.department_of(project),
            "executor": unit.executor_of(project),
            "goal": paragraphs(project.annual_goal),
            "overall_goal": paragraphs(project.overall_goal),
            "sign_off": sign_off_context(project),
        },
    }


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (goal numbering 一、二、…)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def numbered(texts: list[str], style: str) -> list[dict[str, str]]:
    mark = chinese_number if style == "chinese" else str
    return [{"number": f"{mark(i)}、", "text": text} for i, text in enumerate(texts, start=1)]
