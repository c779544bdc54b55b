"""The note (cell comment) on each header of the data-entry workbook: what the column
means, in the form's words, how to type its values, and which form prints it; never the
header's own text again, never a field name of the unit file."""

from __future__ import annotations

from typing import Any

from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.columns import Column
from docgen.model.fields import DATE_FORMS

HOW_TEXT = "填文字；以 = 开头的内容（如 =100%）也作为文字保存"
_HOW = {
    "amount": "填金额数字（单位见「单位」表的金额单位），可带千分位逗号，如 1,505,492.00",
    "number": "填数字，如 8 或 9.5",
    "percent": "填百分比，如 96.41%",
    "int": "填整数",
    "date": f"填日期，可写作 {DATE_FORMS}",
    "choice": "从下拉列表中选择",
    "text": HOW_TEXT,
}


def _meaning(column: Column, model: Any) -> str:
    """The field's title and description, less what only repeats the header."""
    from docgen.model.fields import field_at

    if column.note:
        return column.note
    info = field_at(model, column.path) if model is not None else None
    if info is None:
        return ""
    parts = [p for p in (info.title or "", info.description or "") if p and p != column.header and p not in column.header]
    return "；".join(parts)


def note(column: Column, model: Any, kind: str, forms: list[str], listed: str = "", sheet: str = "") -> str:
    """The note of `column` on `sheet`: `kind` is how its values are typed, `forms` the
    forms (with their versions) that print it, `listed` its drop-down list: "strict" (only
    its values), "open" (its values or another) or ""."""
    if column.path == ("#",):
        text = {
            c.INDICATOR_SHEET: "指标所属项目在「项目」表中的序号；填了序号，项目名称可不填",
            c.EXTRA_SHEET: "这一栏所属项目在「项目」表中的序号；序号和项目名称都不填的，是整个单位的栏目",
            c.LABEL_SHEET: "只改这个项目的表单时，填它在「项目」表中的序号；序号和项目名称都不填的，改写整个单位的表单（项目的改写优先）",
        }.get(sheet, "项目的序号（1、2、3…）；「指标」表用它指明每个指标属于哪个项目")
    elif column.path == ("#name",):
        owner = {c.EXTRA_SHEET: "这一栏", c.LABEL_SHEET: "这一标签"}.get(sheet, "指标")
        text = f"{owner}所属项目的名称，与「项目」表一致；只填项目序号时可不填，两者都填须是同一个项目"
    elif column.path[0].startswith("#"):
        text = f"填「是」为该项目生成{'、'.join(forms) or column.header}，填「否」或不填则不生成；从下拉列表中选择"
        return text
    elif column.path[0] == "forms":
        text = "该项目所用的表单版本（不填则用「单位」表的表单版本）"
    else:
        meaning = _meaning(column, model)
        how = {"strict": "从下拉列表中选择", "open": "从下拉列表中选择，或填列表外的值"}.get(listed) or _HOW.get(kind, _HOW["text"])
        text = "；".join(p for p in (meaning, how) if p)
    if forms:
        text += f"。印在：{'、'.join(forms)}"
    return text
