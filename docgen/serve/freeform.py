"""The edit form's free parts: the printed labels a unit or project overrides (`labels:`)
and its own lines (`extra:`, printed by templates as `{{ unit.extra.填报人 }}`).

A label is a field like any other (`labels.target`, `projects.0.labels.target`): one
input per label the unit's form versions print, its placeholder the text printed now.

The `extra:` lines are a mapping whose keys the clerk types, so an input cannot be named
by a key: each line is named by its place (`extra.*key.0`, `extra.*value.0`).  The page
sends every line of a mapping together (`Field.group`) and the mapping is made anew from
them, in the page's order; an unchanged value keeps the file's own spelling.  A finding
about `extra.填报人` is shown at the value input of the line whose key is 填报人
(`Field.path`)."""

from __future__ import annotations

import re
import typing
from typing import Any

from docgen.registry.manifest import FormVersion, Registry
from docgen.serve.fields import Field, Group, kind_parts

EXTRA_NAME = re.compile(r"^(?:projects\.(\d+)\.)?extra\.\*(key|value)\.(\d+)$")


def _mapping(owner: dict[str, Any], key: str) -> dict[Any, Any]:
    value = owner.get(key)
    return value if isinstance(value, dict) else {}


def versions_of(registry: Registry, data: dict[str, Any], projects: typing.Iterable[Any]) -> list[FormVersion]:
    """The form versions `projects` are printed with (each kind whose part a project has)."""
    out: list[FormVersion] = []
    for project in projects:
        if not isinstance(project, dict):
            continue
        forms = {**(data.get("forms") or {}), **(project.get("forms") or {})}
        for kind, part in kind_parts().items():
            if part not in project or kind not in registry.kinds:
                continue
            try:
                version = registry.version(kind, str(forms[kind]) if forms.get(kind) else None)
            except Exception:  # noqa: BLE001 - an unknown version is the check's finding, not the form's
                continue
            if version not in out:
                out.append(version)
    return out


def label_fields(registry: Registry, data: dict[str, Any], index: int | None) -> list[Any]:
    """One input per label the versions print (the unit's: every project's versions;
    a project's: its own), then any other label the data already overrides."""
    projects = data.get("projects") or []
    owner = data if index is None else projects[index]
    versions = versions_of(registry, data, projects if index is None else [owner])
    printed: dict[str, list[str]] = {}
    for version in versions:
        for name, text in (version.labels or {}).items():
            known = printed.setdefault(name, [])
            if text not in known:
                known.append(text)
    own = _mapping(owner, "labels")
    unit_own = _mapping(data, "labels")
    head = "labels" if index is None else f"projects.{index}.labels"
    out = []
    for name in [*printed, *(str(k) for k in own if str(k) not in printed)]:
        texts = printed.get(name, [])
        label = "／".join(texts) if texts else name
        now = unit_own.get(name) if index is not None and unit_own.get(name) else (texts[0] if texts else "")
        value = own.get(name)
        f = Field(f"{head}.{name}", label, "text", "" if value is None else str(value), raw=value)
        f.placeholder = str(now)
        out.append(f)
    return out


def extra_lines(data: dict[str, Any], index: int | None) -> list[tuple[Any, Any]]:
    """The (key, value) inputs of each `extra:` line, then a blank line for a new one."""
    owner = data if index is None else data["projects"][index]
    extra = _mapping(owner, "extra")
    head = "extra" if index is None else f"projects.{index}.extra"
    out = []
    for n, (key, value) in enumerate([*extra.items(), ("", None)]):
        text = "" if value is None else str(value)
        name = Field(f"{head}.*key.{n}", "名称", "text", str(key), raw=key, group=head)
        name.aria = f"自定义字段 {n + 1} 名称"
        line = Field(f"{head}.*value.{n}", "内容", "text", text, raw=value, group=head, path=f"{head}.{key}" if key != "" else "")
        line.aria = f"自定义字段 {n + 1}「{key}」内容" if key != "" else f"自定义字段 {n + 1} 内容"
        out.append((name, line))
    return out


def apply_extra(data: dict[str, Any], form: typing.Mapping[str, Any]) -> None:
    """Each `extra:` mapping the form sends lines of, made anew from them (in place)."""
    sent: dict[int | None, dict[int, dict[str, str]]] = {}
    for name, text in form.items():
        match = EXTRA_NAME.match(name)
        if match:
            index = int(match[1]) if match[1] is not None else None
            sent.setdefault(index, {}).setdefault(int(match[3]), {})[match[2]] = str(text)
    projects: list[Any] = data["projects"] if isinstance(data.get("projects"), list) else []
    for index, lines in sent.items():
        owner = data if index is None else (projects[index] if index < len(projects) else None)
        if not isinstance(owner, dict):
            continue
        old = _mapping(owner, "extra")
        items = list(old.items())
        new: dict[str, Any] = {}
        for n in sorted(lines):
            line = lines[n]
            was_key, was = items[n] if n < len(items) else ("", None)
            key = line["key"].strip() if "key" in line else str(was_key)
            text = line["value"].strip() if "value" in line else ("" if was is None else str(was))
            if not key and not text:
                continue
            if key in new:
                continue  # the same name twice: the first line's (the check cannot see the second)
            kept = old.get(key) if key in old else None
            new[key] = kept if kept is not None and str(kept) == text else text
        for n, (key, value) in enumerate(items):  # lines the form did not send stay
            if n not in lines and key not in new:
                new[key] = value
        if new:
            owner["extra"] = new
        else:
            owner.pop("extra", None)  # the last line removed: no `extra: {}` left in the file


def free_groups(registry: Registry, data: dict[str, Any], index: int | None) -> list[Any]:
    """The labels and the `extra:` lines of the unit (`index` None) or of a project."""
    labels = label_fields(registry, data, index)
    head = "" if index is None else f"projects.{index}."
    whose = "单位" if index is None else "本项目"
    out = []
    if labels:
        note = ("留空则印表单版本的文字" if index is None else "留空则印单位的或表单版本的文字") + "；{period} 印为项目期间"
        out.append(Group(f"表单标签（{whose}改写）", fields=labels, note=note))
    out.append(
        Group(
            f"自定义字段（{whose}）",
            lines=extra_lines(data, index),
            target=f"{head}extra",
            note="模板中印作 {{ " + ("unit" if index is None else "project") + ".extra.名称 }}",
        )
    )
    return out


def duplicates(form: typing.Mapping[str, Any]) -> list[tuple[int | None, str, str]]:
    """Each `extra:` name the form gives twice (the mapping keeps the first line only):
    (project index or None, the later name input's id, what to say)."""
    seen: dict[tuple[int | None, str], int] = {}
    out = []
    for name, text in sorted(form.items(), key=lambda item: _place(item[0])):
        match = EXTRA_NAME.match(name)
        if not match or match[2] != "key" or not str(text).strip():
            continue
        index = int(match[1]) if match[1] is not None else None
        key = (index, str(text).strip())
        if key in seen:
            whose = "单位" if index is None else f"项目 {index + 1} "
            out.append((index, Field(name, "", "text").id, f"{whose}的自定义字段「{key[1]}」与第 {seen[key] + 1} 行同名：只保存第一行，请改名或删去一行"))
        else:
            seen[key] = int(match[3])
    return out


def _place(name: str) -> tuple[int, int]:
    match = EXTRA_NAME.match(name)
    return (int(match[1]) if match and match[1] is not None else -1, int(match[3]) if match else 0)
