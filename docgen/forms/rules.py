"""Rules every form kind shares (pure functions, no I/O): duplicate and taxonomy checks
of indicator lists, required 一级 classes and fields, blank or unreadable targets,
amounts that must add up, the amount unit, and 项目编码 across projects."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from docgen.model.fields import EXCEL_CELL_MAX, field_at
from docgen.model.findings import FieldPath, Finding, Severity, fmt
from docgen.model.rounding import ZERO
from docgen.model.unit import Indicator, Project, Unit
from docgen.model.values import Quantity, parse_value
from docgen.registry.manifest import FormVersion

# A target is "quantitative" when it names a comparator; a bare word such as 及时 is
# qualitative on purpose.  These start a quantity the clerk meant but mistyped.
_QUANTITATIVE_START = ("=", ">", "<", "≥", "≤", "＝", "＞", "＜", "≧", "≦")
_ASIDE = re.compile(r"（[^）]*）$")


def indicator_list_findings(project: str, indicators: list[Indicator], taxonomy: dict[str, tuple[str, ...]], base: FieldPath) -> list[Finding]:
    """Taxonomy and duplicate checks: the same for every form that lists indicators, in
    the same words, so that a slip two forms of a project share is reported once
    (`Checked.findings`); the message names the allowed values, not a rule's id."""
    out = []
    seen: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        path = base + ("indicators", i)

        def add(code: str, message: str, leaf: str) -> None:
            out.append(Finding(Severity.ERROR, code, project, message, indicator=ind.name, path=path + (leaf,)))

        if ind.name in seen:
            add("duplicate-indicator", f"三级指标重复（与第 {seen[ind.name] + 1} 个指标同名）", "name")
        else:
            seen[ind.name] = i
        allowed = taxonomy.get(ind.level1)
        if allowed is None:
            add("taxonomy", f"一级指标「{ind.level1}」不在指标体系中（允许：{'、'.join(taxonomy)}）", "level1")
        elif ind.level2 not in allowed:
            add("taxonomy", f"二级指标「{ind.level2}」不属于一级指标「{ind.level1}」（允许：{'、'.join(allowed)}）", "level2")
    return out


def indicator_findings(project: Project, index: int, version: FormVersion) -> list[Finding]:
    """Taxonomy, duplicates, required 一级 classes and blank or unreadable targets."""
    name = project.name
    base: FieldPath = ("projects", index)
    out = indicator_list_findings(name, project.indicators, version.taxonomy, base)
    target_label = (version.labels or {}).get("target", "年度指标值")
    present = {i.level1 for i in project.indicators}
    for level1 in version.required_level1:
        if level1 not in present:
            out.append(Finding(Severity.ERROR, "level1-missing", name, f"缺少一级指标「{level1}」", path=base + ("indicators",)))
    for i, ind in enumerate(project.indicators):
        text = ind.target.strip()
        if not text:
            out.append(Finding(Severity.ERROR, "target-missing", name, f"未填写{target_label}", indicator=ind.name, path=base + ("indicators", i, "target")))
        elif text.startswith(_QUANTITATIVE_START) and not isinstance(parse_value(text), Quantity):
            out.append(
                Finding(
                    Severity.ERROR,
                    "target-unparsed",
                    name,
                    f"{target_label}「{text}」以比较符开头，却无法读出数值和单位",
                    indicator=ind.name,
                    path=base + ("indicators", i, "target"),
                )
            )
    return out


def _title(model: type[BaseModel], dotted: str) -> str:
    """The title of the field at a dotted path, without a parenthesised aside
    (年度总体目标（自评表：预期目标） -> 年度总体目标)."""
    info = field_at(model, tuple(dotted.split(".")))
    return _ASIDE.sub("", info.title or dotted) if info is not None else dotted


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def required_findings(project: Project, index: int, version: FormVersion) -> list[Finding]:
    """Fields the version's form cannot do without (`requires` in the manifest)."""
    out = []
    for dotted in version.requires:
        value = _get(project, dotted)
        if value is None or (isinstance(value, str) and not value.strip()):
            out.append(
                Finding(
                    Severity.ERROR,
                    "required",
                    project.name,
                    f"「{version.title} {version.version}」须填写{_title(Project, dotted)}",  # the form's words, not the path
                    path=("projects", index) + tuple(dotted.split(".")),
                )
            )
    return out


def sum_finding(name: str, path: FieldPath, total_label: str, total: Decimal | None, parts: dict[str, Decimal | None]) -> list[Finding]:
    """A total that its declared parts do not add up to; nothing when no part is given
    (the 2020 申报表 has no breakdown)."""
    if all(v is None for v in parts.values()):
        return []
    summed = sum((v or ZERO for v in parts.values()), ZERO)
    if (total or ZERO) == summed:
        return []
    return [
        Finding(
            Severity.ERROR,
            "declared-funds-sum",
            name,
            f"{total_label} {fmt(total)} 不等于 {' + '.join(parts)} = {fmt(summed)}",
            path=path,
        )
    ]


def check_amount_unit(unit: Unit, index: int, version: FormVersion) -> list[Finding]:
    """A version printed in 元 cannot take amounts in 万元 without every figure being off."""
    if version.amount_unit and unit.amount_unit != version.amount_unit:
        return [
            Finding(
                Severity.ERROR,
                "amount-unit",
                unit.projects[index].name,
                f"「{version.title} {version.version}」以「{version.amount_unit}」为金额单位，单位文件写的是「{unit.amount_unit}」",
                path=("amount_unit",),
            )
        ]
    return []


def _repeated(unit: Unit, field: str, code: str, message: Callable[[str, int], str]) -> list[Finding]:
    """A project `field` that must differ from project to project: each repeat an error
    naming the first project that has the value (`message(value, first index)`)."""
    out = []
    seen: dict[str, int] = {}
    for i, project in enumerate(unit.projects):
        value = str(getattr(project, field)).strip()
        if not value:
            continue
        if value in seen:
            out.append(Finding(Severity.ERROR, code, project.name, message(value, seen[value]), path=("projects", i, field)))
        else:
            seen[value] = i
    return out


def check_codes(unit: Unit) -> list[Finding]:
    """项目编码 identifies a project in the budget system: two projects may not share one."""
    return _repeated(unit, "code", "duplicate-code", lambda code, first: f"项目编码「{code}」与第 {first + 1} 个项目「{unit.projects[first].name}」重复")


def check_names(unit: Unit) -> list[Finding]:
    """Two projects of one unit may not share a name: forms, the book and `-p` tell them apart by it."""
    return _repeated(unit, "name", "duplicate-project", lambda _name, first: f"项目名称与第 {first + 1} 个项目重复（同一单位的项目名称不能相同）")


def _texts(value: Any, path: FieldPath) -> list[tuple[FieldPath, str]]:
    """Every text inside a record, with its field path."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in _texts(getattr(value, name), path + (name,))]
    if isinstance(value, (list, tuple)):
        return [t for i, item in enumerate(value) for t in _texts(item, path + (i,))]
    if isinstance(value, dict):
        return [t for key, item in value.items() for t in _texts(item, path + (str(key),))]
    return []


def check_text_lengths(unit: Unit) -> list[Finding]:
    """A text longer than an Excel cell holds (32,767 characters) is cut in the .xlsx forms
    (the Word forms keep it whole): never silently."""
    out = []
    for path, text in _texts(unit, ()):
        if len(text) <= EXCEL_CELL_MAX:
            continue
        owner = unit.projects[int(path[1])].name if path[:1] == ("projects",) and len(path) > 1 else unit.unit
        inner = path[2:] if path[:1] == ("projects",) else path
        dotted = ".".join(str(p) for p in inner if not isinstance(p, int))
        title = _title(Project if path[:1] == ("projects",) else Unit, dotted)
        message = (
            f"{title}（{dotted}）有 {len(text):,} 个字符，超过 Excel 单元格的上限 {EXCEL_CELL_MAX:,} 个字符："
            f"Excel 表中只保留前 {EXCEL_CELL_MAX:,} 个字符（Word 表完整保留）；请精简，或以 Word 表为准"
        )
        out.append(Finding(Severity.ERROR, "text-too-long", owner, message, path=path))
    return out


def check_name_characters(unit: Unit) -> list[Finding]:
    """Invisible characters in a name that becomes a file or folder name (the unit's, a
    project's): a right-to-left override can make `残联\u202excod.exe` look like another
    file type.  They are removed from the names of the files written; reported here."""
    from docgen.model.names import hidden_characters, visible

    named: list[tuple[FieldPath, str, str, str]] = [(("unit",), "单位名称", unit.unit, visible(unit.unit))]
    named += [(("projects", i, "name"), "项目名称", p.name, visible(p.name)) for i, p in enumerate(unit.projects)]
    out = []
    for path, label, text, shown in named:
        codes = hidden_characters(text)
        if codes:
            message = (
                f"{label}「{shown}」含有不可见的格式字符 {'、'.join(codes)}（如 U+202E 从右至左覆盖，会让文件名看起来像另一种文件）："
                "生成的文件名与文件夹名中已去掉这些字符；请从数据中删去"
            )
            out.append(Finding(Severity.WARNING, "hidden-characters", visible(unit.unit) if path == ("unit",) else shown, message, path=path))
    return out
