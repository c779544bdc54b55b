"""The values of one merge, field by field: what the form prints (`theirs`), what the
unit file holds (`ours`) and what the last render printed (`base`) decide each value:
taken, kept, or a conflict.  A cell the form prints blank clears a value the last render
printed (three-way only); 主管部门 and 实施单位, printed per project but often written
once on the unit, are written back where the value lives."""

from __future__ import annotations

import builtins
import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.check.diff import pair
from docgen.errors import Conflict, place
from docgen.forms import form_kind
from docgen.inputs.entrybook.columns import value_kind
from docgen.inputs.importing import Imported
from docgen.inputs.importing.write_back import Edits, number
from docgen.inputs.importing.write_back.workbook_names import _names, _shown, _title
from docgen.model.unit import Unit
from docgen.parse.text import LoadedFile

FieldPath = tuple[str | int, ...]
LIFTED = ("department", "executor")  # printed per project, often written once on the unit
_KEPT_BLANK = ("level1", "level2", "name", "target", "evaluated_target")  # an indicator's identity and targets: a blank is no edit
NO_BASE = object()
_NO_BASE = NO_BASE


def _same(a: Any, b: Any) -> bool:
    """Equal as the unit file means them: 1,505,492 and 1505492.00 are one amount."""
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    x, y = number(a), number(b)
    if x is not None and y is not None:
        return x == y
    if isinstance(a, date) or isinstance(b, date):
        return str(a) == str(b)
    return str(a).strip() == str(b).strip()


@dataclass
class Merge:
    unit_file: Path
    edited: Path
    ours: LoadedFile
    imported: Imported
    base: Any  # the data last rendered, or None
    resolve: str | None
    edits: Edits = field(default_factory=Edits)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    evaluated: bool = False

    def form_at(self, imp_path: FieldPath) -> str:
        cell = self.imported.source.line_of(imp_path)
        return place(self.edited, cell)

    def label(self, project: dict[str, Any], path: FieldPath, indicator: dict[str, Any] | None = None) -> str:
        where = f"项目「{project.get('name', '')}」"
        if indicator is not None:
            where += f"指标「{indicator.get('name', '')}」"
        return f"{where}{_title(path)}"

    def leaf(
        self, path: FieldPath, imp_path: FieldPath, theirs: Any, computed: bool, ours: Any, base: Any, label: str, target: FieldPath | None = None
    ) -> None:
        """One value: `theirs` the form prints (`computed`: the value the rules give, which
        the unit file need not hold), `ours` the unit file's, `base` the last render's.
        `target` is the field written (default `path`)."""
        target = target or path
        if _same(theirs, ours) or (computed and ours in (None, "")):
            return
        if base is not _NO_BASE:
            form_changed = not _same(theirs, base) if base not in (None, "") else not computed
            if not form_changed:
                self.kept.append(f"{label}：保留数据文件中的「{_shown(ours)}」（表单仍为上次生成的「{_shown(theirs)}」）")
                return
            if not _same(ours, base):
                if self.resolve == "ours":
                    return
                if self.resolve != "theirs":
                    at = place(self.unit_file, self.ours.line_of(target if target in self.ours.lines else path))
                    self.conflicts.append(Conflict(label, _shown(ours), _shown(theirs), _shown(base), at, self.form_at(imp_path)))
                    return
        self.set(target, theirs)

    def set(self, path: FieldPath, value: Any) -> None:
        self.edits.values[path] = value
        self.edits.kinds[path] = value_kind(Unit, _names(path))

    def fields(
        self, path: FieldPath, imp_path: FieldPath, printed: dict[str, Any], edited: dict[str, Any], ours: Any, base: Any, project: dict[str, Any]
    ) -> None:
        ours = ours if isinstance(ours, dict) else {}
        for key, theirs in printed.items():
            if key in ("indicators", "labels", "extra", "forms") or (key in LIFTED and not path[2:]):
                continue  # 主管部门 / 实施单位: where the value lives (`lifted`)
            sub_base = base.get(key) if isinstance(base, dict) else None if base is not _NO_BASE else _NO_BASE
            if isinstance(theirs, dict):
                found = edited.get(key)
                inner: dict[str, Any] = found if isinstance(found, dict) else {}
                self.fields(path + (key,), imp_path + (key,), theirs, inner, ours.get(key), sub_base if sub_base is not None else {}, project)
            elif not isinstance(theirs, list):
                self.leaf(path + (key,), imp_path + (key,), theirs, key not in edited, ours.get(key), sub_base, self.label(project, path + (key,)))

    def lifted(self, o: int, n: int, printed: dict[str, Any], base: Any) -> None:
        """主管部门 and 实施单位 of project `o` (the form's project `n`): printed per project,
        often written once on the unit as the default of every project.  A changed value
        goes where it lives: into the project when it has its own value or when the unit's
        default is shared by other projects (the default is left to them), else into the
        unit's default."""
        unit = self.ours.data
        projects = [p if isinstance(p, dict) else {} for p in unit.get("projects") or []]
        project = projects[o]
        base_unit = base if isinstance(base, dict) else {}
        base_project = _base_project(base_unit, project)
        for key in LIFTED:
            theirs = printed["projects"][n].get(key) or printed.get(key)
            if theirs in (None, ""):
                continue  # a blank 主管部门 never clears the unit's default
            own = project.get(key)
            shared = [p.get("name", "") for i, p in enumerate(projects) if i != o and p.get(key) in (None, "")]
            in_project = own not in (None, "") or bool(shared) or unit.get(key) in (None, "")
            target: FieldPath = ("projects", o, key) if in_project else (key,)
            lives: FieldPath = ("projects", o, key) if own not in (None, "") or unit.get(key) in (None, "") else (key,)
            ours = own or unit.get(key) or unit.get("unit")
            was = NO_BASE if base is NO_BASE else (base_project.get(key) or base_unit.get(key) or base_unit.get("unit"))
            title = _title(("projects", 0, key))
            label = f"项目「{project.get('name', '')}」{title}"
            if lives == (key,):
                label += f"（数据文件中写在单位上，是{f' {len(shared) + 1} 个项目' if shared else '所有项目'}共用的默认值）"
            count = len(self.edits.values)
            self.leaf(lives, ("projects", n, key), theirs, False, ours, was, label, target)
            if len(self.edits.values) > count and target != lives:
                self.kept.append(
                    f"{label}：表单为「{theirs}」，写入该项目（{key}:）；单位的默认{title}「{_shown(unit.get(key))}」"
                    f"仍用于其他 {len(shared)} 个项目（{'、'.join(shared[:3])}{'…' if len(shared) > 3 else ''}），未改"
                )
            elif len(self.edits.values) > count and target == (key,):
                self.kept.append(f"{label}：表单为「{theirs}」，写入单位的默认{title}（{key}:）")

    def indicators(
        self, path: FieldPath, imp_path: FieldPath, printed: dict[str, Any], edited: dict[str, Any], ours: dict[str, Any], base: Any, kinds: builtins.set[str]
    ) -> None:
        mine = list(ours.get("indicators") or [])
        theirs = list(printed.get("indicators") or [])
        if not theirs:
            return
        declared = list(edited.get("indicators") or [])
        before = list(base.get("indicators") or []) if isinstance(base, dict) else None
        key = lambda i: [(i.get("level1"), i.get("level2"), i.get("name"))]  # noqa: E731
        pairs = pair(mine, theirs, key)
        base_of_mine = {o: b for b, o in pair(before, mine, key) if o is not None and b is not None} if before is not None else {}
        base_of_theirs = {n: b for b, n in pair(before, theirs, key) if n is not None and b is not None} if before is not None else {}
        printed_targets = {form_kind(k).target_field for k in kinds}
        evaluation_only = printed_targets == {"evaluated_target"}  # only forms that print their own target
        self.evaluated = "evaluated_target" in printed_targets  # a 自评表 was read: its printed target is its own field
        list_path = path + ("indicators",)
        for o, n in pairs:
            if n is None:
                if before is None or o in base_of_mine:  # on the last render, taken off the form since
                    self.edits.removed.append(list_path + (o,))  # type: ignore[operator]
                continue
            row = theirs[n]
            if o is None:
                if before is not None and n in base_of_theirs:
                    self.kept.append(f"项目「{ours.get('name', '')}」指标「{row.get('name', '')}」：数据文件中已删除，不再加回")
                    continue
                nxt = next((po for po, pn in pairs if pn is not None and pn > n and po is not None), None)
                new = _typed_row(dict(declared[n]) if n < len(declared) else dict(row))
                self.edits.added.append((list_path, nxt, new))
                continue
            base_row = before[base_of_mine[o]] if o in base_of_mine and before is not None else ({} if before is not None else _NO_BASE)
            self.indicator(
                list_path + (o,), imp_path + ("indicators", n), row, declared[n] if n < len(declared) else {}, mine[o], base_row, ours, evaluation_only
            )

    def indicator(
        self,
        path: FieldPath,
        imp_path: FieldPath,
        printed: dict[str, Any],
        edited: dict[str, Any],
        ours: dict[str, Any],
        base: Any,
        project: dict[str, Any],
        evaluation_only: bool,
    ) -> None:
        def at(row: Any, key: str) -> Any:
            return row.get(key) if isinstance(row, dict) else None if row is not _NO_BASE else _NO_BASE

        label = lambda key: self.label(project, path + (key,), ours)  # noqa: E731
        for key, theirs in printed.items():
            if isinstance(theirs, (dict, list)) or key == "evaluated_target" or (key == "target" and evaluation_only):
                continue
            self.leaf(path + (key,), imp_path + (key,), theirs, key not in edited, ours.get(key), at(base, key), label(key))
        if not self.evaluated or not ("target" in printed or "evaluated_target" in printed):
            return  # a 申报表 prints the declared target only: the 自评表's override is not its to change
        # The 自评表's 年度指标值: its own field, set only where it differs from the declaration.
        declared = self.edits.values.get(path + ("target",), ours.get("target")) if not evaluation_only else ours.get("target")
        scored = printed.get("evaluated_target") or printed.get("target") if not evaluation_only else printed.get("target")
        if scored is None:
            return
        mine = ours.get("evaluated_target") or ours.get("target")
        was = _NO_BASE if base is _NO_BASE else (at(base, "evaluated_target") or at(base, "target"))
        if _same(scored, mine) and not (ours.get("evaluated_target") and _same(scored, declared)):
            return
        value = None if _same(scored, declared) else scored
        if value is None and not ours.get("evaluated_target"):
            return
        evaluated = path + ("evaluated_target",)
        title = f"项目「{project.get('name', '')}」指标「{ours.get('name', '')}」自评表年度指标值"
        if was is not _NO_BASE and _same(scored, was):
            self.kept.append(f"{title}：保留数据文件中的「{_shown(mine)}」（表单仍为上次生成的「{_shown(scored)}」）")
            return
        if was is not _NO_BASE and not _same(mine, was) and not _same(scored, mine):
            if self.resolve == "ours":
                return
            if self.resolve != "theirs":
                at_ours = place(self.unit_file, self.ours.line_of(evaluated if evaluated in self.ours.lines else path + ("target",)))
                self.conflicts.append(Conflict(title, _shown(mine), _shown(scored), _shown(was), at_ours, self.form_at(imp_path + ("target",))))
                return
        self.edits.values[evaluated] = value
        self.edits.kinds[evaluated] = "text"


def _typed_row(row: dict[str, Any]) -> dict[str, Any]:
    """A new indicator as the unit file holds it: 分值 and 得分 as numbers, text as text."""
    from decimal import Decimal

    out: dict[str, Any] = {}
    for key, value in row.items():
        kind = value_kind(Unit, ("projects", "indicators", key))
        amount = number(value) if kind in ("number", "int", "amount") and isinstance(value, str) else None
        out[key] = (int(amount) if amount == amount.to_integral_value() and "." not in str(value) else Decimal(amount)) if amount is not None else value
    return out


def _base_project(base: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    rows = [p for p in base.get("projects") or [] if isinstance(p, dict)]
    for key in ("code", "name"):
        hit = next((p for p in rows if project.get(key) and p.get(key) == project.get(key)), None)
        if hit is not None:
            return hit
    return {}


def with_blanks(printed: dict[str, Any], lines: dict[FieldPath, Any], n: int) -> dict[str, Any]:
    """The form's project `n` as printed, with None for each field the form has a cell
    for but prints blank: a value cleared on the form (a field the form never prints
    stays absent, and clears nothing)."""
    out = copy.deepcopy(printed)
    for path in lines:
        if path[:2] != ("projects", n) or len(path) < 3 or path[2] in (*LIFTED, "name", "code"):
            continue
        sub = path[2:]
        if sub[0] == "indicators":
            rows = out.get("indicators") or []
            if len(sub) == 3 and isinstance(sub[1], int) and sub[1] < len(rows) and sub[2] not in _KEPT_BLANK:
                rows[sub[1]].setdefault(sub[2], None)
            continue
        if not all(isinstance(part, str) for part in sub):
            continue
        parent: Any = out
        for part in sub[:-1]:
            parent = parent.setdefault(part, {}) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and parent.get(sub[-1]) in (None, ""):
            parent[sub[-1]] = None
    return out
