"""The review letter (审核意见) to one unit: the forms reviewed, every finding in plain
Chinese grouped by project, and a closing line; a unit with no findings gets a short
letter saying so.  Its template is registered under `letters: review` in the manifest."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.model.names import safe_name
from docgen.registry.manifest import LetterSpec
from docgen.render.docx import render_docx
from docgen.review.table import Issue, ReviewUnit, review_unit

_NUMBERS = "一二三四五六七八九十"
SIGNATURE = "财政局绩效管理部门"


def _chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (numbers up to 99; beyond that Arabic digits)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _NUMBERS[tens - 1] + "十"
    return head + (_NUMBERS[ones - 1] if ones else "")


def _entry_sheets() -> set[str]:
    from docgen.forms import form_kinds
    from docgen.inputs.entrybook.columns import INDICATOR_SHEET, PROJECT_SHEET, UNIT_SHEET  # the workbook's columns need the models

    return {
        UNIT_SHEET,
        PROJECT_SHEET,
        INDICATOR_SHEET,
        *(k.workbook.sheet.name for k in form_kinds() if k.workbook is not None and k.workbook.sheet is not None),
    }


def _place(issue: Issue) -> str:
    """`file:104` -> 数据文件第 104 行; `file.xlsx:项目!T2` -> 填报工作簿 项目!T2 单元格;
    a printed form's cell (`表.docx:表格 1 第 4 行第 9 列`, `表.xlsx:自评表!H6`) -> 表单 表.docx 表格 1 …."""
    head, sep, tail = issue.where.rpartition(":")
    if not sep:
        return ""
    if tail.isdigit():
        return f"（数据文件第 {tail} 行）"
    if head.lower().endswith(".docx") or ("!" in tail and tail.split("!")[0] not in _entry_sheets()):
        return f"（表单 {Path(head).name} {tail}）"
    return f"（填报工作簿 {tail} 单元格）" if "!" in tail else ""


def item_text(issue: Issue) -> str:
    """A finding as a sentence: an error must be corrected, a warning checked."""
    verb = "须更正" if issue.severity == "error" else "请核实"
    about = f"指标「{issue.indicator}」：" if issue.indicator else ""
    return f"{verb}：{about}{issue.text}{_place(issue)}"


def _scored_by(unit: ReviewUnit, title: str, version: str) -> str:
    profiles = unit.profiles_of(title, version)
    return f"，按评分规则「{'」「'.join(profiles)}」计分" if profiles else ""


def letter_context(unit: ReviewUnit, spec: LetterSpec) -> dict[str, Any]:
    projects: dict[str, list[str]] = {}
    for issue in unit.issues:
        projects.setdefault(issue.project, []).append(item_text(issue))
    forms = "、".join(f"{title}（{version} 版，{n} 个项目{_scored_by(unit, title, version)}）" for title, version, n in unit.forms) or "表单"
    errors = unit.errors
    warnings = len(unit.issues) - errors
    found = f"经审核，发现须更正的问题 {errors} 处、须核实的事项 {warnings} 处，分项目列示如下：" if unit.issues else ""
    closing = (
        "请对照上述意见更正「须更正」各项，对「请核实」各项核实后说明情况，重新生成并报送。"
        if errors
        else "请对上述事项核实后说明情况。"
        if warnings
        else "特此告知。"
    )
    return {
        "letter": {
            "title": f"{unit.unit}{unit.year}年度{spec.title}",
            "unit": unit.unit,
            "year": unit.year,
            "opening": f"你单位报送的{unit.year}年度{forms}已收悉。{found}",
            "clean": not unit.issues,
            "clean_text": "经审核，未发现需要更正或核实的问题。",
            "projects": [
                {
                    "heading": f"{_chinese_number(n)}、项目「{name}」" if name else f"{_chinese_number(n)}、单位整体",
                    "lines": [f"{i}. {t}" for i, t in enumerate(items, 1)],
                }
                for n, (name, items) in enumerate(projects.items(), start=1)
            ],
            "closing": closing,
            "signature": SIGNATURE,
        }
    }


def render_letter(unit: ReviewUnit, spec: LetterSpec) -> bytes:
    """The letter's .docx bytes (the same unit gives the same bytes)."""
    return render_docx(spec.docx, letter_context(unit, spec), datetime(unit.year, 12, 31))


def letter_names(units: list[ReviewUnit]) -> list[str]:
    """`<单位>-<年度>-审核意见.docx` per unit, made unique within the batch."""
    names, used = [], set()
    for unit in units:
        stem = f"{safe_name(unit.unit)}-{unit.year}-审核意见"
        name, n = f"{stem}.docx", 1
        while name in used:
            n += 1
            name = f"{stem}({n}).docx"
        used.add(name)
        names.append(name)
    return names


def check_letter(spec: LetterSpec, examples: list[Path]) -> list[str]:
    """Trial renders of the letter (`docgen templates check`): one per example unit file,
    with its findings, and one for a unit with none.  Returns the problems (none: fine)."""
    problems, units = [], []
    for example in dict.fromkeys(examples):
        try:
            units.append(review_unit(example))
        except DocgenError as exc:
            problems.append(f"示例数据无法使用：{exc.message()}")
    units.append(ReviewUnit(Path("（无问题的单位）"), "示例单位", 2024, []))
    for unit in units:
        try:
            render_letter(unit, spec)
        except DocgenError as exc:
            problems.append(exc.message())
            break
    return problems
