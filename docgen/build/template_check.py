"""`docgen templates check`: find what is wrong with a form version's templates before a
clerk meets it in the middle of a render.

For each template: tags split across Word runs, names the data model does not have,
fields of the model the template never prints, and a full render with example data.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from openpyxl import load_workbook

from docgen.errors import DocgenError, TemplateError
from docgen.forms import form_kind
from docgen.inputs.importing.grid import docx_forms, xlsx_forms
from docgen.inputs.importing.labels import squeeze
from docgen.inputs.importing.recognise import fits
from docgen.inputs.loader import check_file
from docgen.registry.manifest import FormVersion, default_registry
from docgen.render.docx import FormTemplate, render_docx
from docgen.render.jinja import make_env
from docgen.render.tags import sheet_source
from docgen.render.xlsx import render_xlsx

_SPLIT = re.compile(r"\{(?:<[^>]+>)+[{%]|\{[{%](?:(?![}%]\}).)*?</w:t>(?:(?![}%]\}).)*?[}%]\}", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_BUILTIN = {"loop"}


@dataclass(frozen=True)
class TemplateIssue:
    template: Path
    severity: str  # error / warning / info
    message: str

    def __str__(self) -> str:
        label = {"error": "错误", "warning": "提示", "info": "信息"}[self.severity]
        return f"[{label}] {self.template.name}：{self.message}"


def _docx_source(path: Path) -> tuple[str, str]:
    """The raw document XML (for split tags) and the Jinja source docxtpl would render."""
    with zipfile.ZipFile(path) as z:
        raw = z.read("word/document.xml").decode("utf-8")
    template = FormTemplate(str(path))
    template.init_docx()
    return raw, template.patch_xml(template.get_xml())


def _xlsx_source(path: Path) -> str:
    """The cells of every sheet as one Jinja source, row loops as for-blocks."""
    sheets = load_workbook(path).worksheets
    return "\n".join(sheet_source([c.value for c in row] for row in ws.iter_rows()) for ws in sheets)


def _chain(node: nodes.Node) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            parts.append("[]")
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return [node.name, *reversed(parts)]


def referenced_names(source: str) -> set[tuple[str, ...]]:
    """Every dotted name the template reads, loop variables resolved to their lists' items."""
    ast = make_env().parse(source)
    aliases: dict[str, list[str]] = {}
    for loop in ast.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name):
            chain = _chain(loop.iter)
            if chain:
                aliases[loop.target.name] = chain + ["[]"]
    found = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        chain = _chain(node)
        if not chain or (isinstance(node, nodes.Name) and node.ctx != "load"):
            continue
        while chain[0] in aliases:
            chain = aliases[chain[0]] + chain[1:]
        found.add(tuple(chain))
    return found


def _resolve(context: dict[str, Any], chain: tuple[str, ...]) -> bool | None:
    """True if `chain` exists in `context`, False if not, None if it cannot be told (empty list)."""
    value: Any = context
    for part in chain:
        if part == "[]":
            if not isinstance(value, list):
                return False
            if not value:
                return None
            value = value[0]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit():
            value = value[0] if value else None
        else:
            return False
    return True


def _fields(context: dict[str, Any]) -> set[tuple[str, ...]]:
    """The project's printable fields: project.x and project.<list>[].y."""
    out: set[tuple[str, ...]] = set()
    for key, value in context["project"].items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out |= {("project", key, "[]", sub) for sub in value[0]}
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            for name, row in value.items():
                out |= {("project", key, name, sub) for sub in row if sub != "label"}
        elif isinstance(value, dict):
            out |= {("project", key, sub) for sub in value}
        else:
            out.add(("project", key))
    return out


# Computed helpers a layout may legitimately leave out; not worth an "unused" line.
_QUIET = {"computed", "grade", "kind", "version", "labels", "l1_merge", "l2_merge", "number", "page", "toc_text"}


def example_contexts(version: FormVersion, example: Path) -> list[dict[str, Any]]:
    """Render contexts for `version` from the example file, whatever versions it names."""
    checked = check_file(example)
    kind = form_kind(version.kind)
    if kind.document is not None:
        return kind.document.examples(checked.unit, checked.of_kind(version.kind), version)
    return kind.context.example_contexts(checked.unit, checked.of_kind(version.kind), version) if kind.context is not None else []


def _unit_context(version: FormVersion, example: Path, projects: list[dict[str, Any]]) -> dict[str, Any]:
    """A unit-scope version's Word template renders the whole unit at once."""
    document = form_kind(version.kind).document
    assert document is not None  # only a unit-scope version gets here
    return document.context(check_file(example).unit, version, projects)


def check_version(version: FormVersion, example: Path | None) -> list[TemplateIssue]:
    issues: list[TemplateIssue] = []
    contexts: list[dict[str, Any]] = []
    if example is not None:
        try:
            contexts = example_contexts(version, example)
        except DocgenError as exc:
            issues.append(TemplateIssue(example, "error", f"示例数据无法使用：{exc.message()}"))
        if not contexts and not issues:
            issues.append(TemplateIssue(example, "warning", f"示例数据中没有可用于「{version.kind}」的项目，未试渲染"))
    for path, kind in ((version.docx, "docx"), (version.xlsx, "xlsx")):
        if not path.is_file():
            issues.append(TemplateIssue(path, "error", "模板文件不存在"))
            continue
        try:
            if kind == "docx":
                raw, source = _docx_source(path)
                literal = _TAGS.sub("", raw)
                for match in _SPLIT.finditer(raw):
                    text = _TAGS.sub("", match.group(0))
                    issues.append(TemplateIssue(path, "warning", f"标签「{text}」被 Word 拆成了多个文字段，建议删除后一次性重新输入"))
            else:
                source = literal = _xlsx_source(path)
            names = referenced_names(source)
        except TemplateSyntaxError as exc:
            issues.append(TemplateIssue(path, "error", f"模板标签语法有误（第 {exc.lineno} 处附近）：{exc.message}"))
            continue
        except Exception as exc:  # a file Word/Excel saved badly surfaces as many types
            issues.append(TemplateIssue(path, "error", f"无法读取模板（{type(exc).__name__}: {exc}）"))
            continue
        targets = contexts
        if contexts and kind == "docx" and version.scope == "unit":
            targets = [_unit_context(version, example, contexts)]  # type: ignore[arg-type]
        if targets:
            sample = targets[0]
            for chain in sorted(names):
                if chain[0] in _BUILTIN:
                    continue
                if "extra" in chain:  # `unit.extra.填报人`: any name; a unit file without it prints blank
                    chain = chain[: chain.index("extra") + 1]
                if chain[:2] == ("form", "labels") and len(chain) > 2 and chain[2] not in (version.labels or {}):
                    known = "、".join(version.labels or {}) or "（无）"
                    issues.append(TemplateIssue(path, "error", f"未登记的标签名「{chain[2]}」（manifest.yaml 中本版本的 labels: 有：{known}）"))
                elif _resolve(sample, chain) is False:
                    issues.append(TemplateIssue(path, "error", f"引用了数据中没有的名称「{'.'.join(chain).replace('.[]', '[]')}」"))
            project_names = names
            if "project" not in sample:  # a unit-scope document loops `for project in projects`
                project_names = {("project",) + n[2:] for n in names if n[:2] == ("projects", "[]")} | names
                sample = contexts[0]
            unused = {f for f in _fields(sample) if f[-1] not in _QUIET} - project_names
            for chain in sorted(unused):
                issues.append(TemplateIssue(path, "info", f"未使用的字段「{'.'.join(chain).replace('.[]', '[]')}」"))
            render = render_docx if kind == "docx" else render_xlsx
            for n, context in enumerate(targets):
                try:
                    data = render(path, context, datetime(2000, 1, 1))
                except TemplateError as exc:
                    what = context["project"]["name"] if "project" in context else context["unit"]["name"]
                    issues.append(TemplateIssue(path, "error", f"用示例数据渲染「{what}」失败：{exc.text}"))
                    break
                if n == 0:
                    issues += read_back(version, path, data, literal)
    return issues


def read_back(version: FormVersion, path: Path, data: bytes, literal: str | None = None) -> list[TemplateIssue]:
    """The version's template rendered, then read as `docgen import` reads a received copy:
    the labels of its `read:` the print does not carry (import would not find those
    fields), the labels of other versions it prints that its `read:` does not know, and
    whether the print is recognised as this version at all.  `literal`, the template's own
    text: a label of another version counts only when the template prints it, not when
    the example's data does (an indicator named 预算执行率)."""
    if version.reading is None:
        return []
    printed = squeeze(" ".join([literal, *(version.labels or {}).values()])) if literal is not None else None
    registry = default_registry()
    reader = docx_forms if path.suffix.lower() == ".docx" else xlsx_forms
    fitted = [
        (f, next((x for x in fits(form, registry, strict=True) if x.version.kind == version.kind and x.version.version == version.version), None), form)
        for form in reader(path, data)
        for f in fits(form, registry, strict=True)[:1]
    ]
    ours = [(best, fit, form) for best, fit, form in fitted if fit is not None]
    if not ours:
        return [TemplateIssue(path, "warning", "用示例数据渲染后，按 read: 读回时找不到表格")]
    best, fit, form = max(ours, key=lambda t: len(t[1].matched))
    out = []
    reading = version.reading
    unprinted = {labels[0] for labels in reading.labels().values() if set(labels) & set(reading.unprinted)}
    missing = [label for label in fit.missing if label not in unprinted]
    if missing:
        out.append(TemplateIssue(path, "warning", f"read: 登记的标签模板没有印出（docgen import 读不到）：{'、'.join(missing)}"))
    printed_after_all = [label for label in fit.matched if label in unprinted]
    if printed_after_all:
        out.append(TemplateIssue(path, "warning", f"read: 的 unprinted: 登记为模板不印的标签，模板却印出了：{'、'.join(printed_after_all)}"))
    unexpected = [u for u in fit.unexpected if printed is None or u[0] in printed]
    if unexpected:
        shown = "、".join(f"「{text}」（{where}，是「{other.display}」的标签）" for text, where, other in unexpected[:8])
        out.append(TemplateIssue(path, "warning", f"模板印出了 read: 不认识的标签：{shown}"))
    if best.version is not fit.version:
        got = f"「{best.version.display}」（{best.version.kind}/{best.version.version}）" if best.recognised else "未登记的表单"
        out.append(TemplateIssue(path, "warning", f"用示例数据渲染后再导入，{form.label} 被认作{got}，不是本版本"))
    return out
