"""Reading a printed 申报表 (either layout, Word or Excel) back into a project record, by its labels."""

from __future__ import annotations

import re

from docgen.forms.context import printed_labels
from docgen.inputs.importing.found import Found, title_texts, year_of
from docgen.inputs.importing.grid import FormText
from docgen.inputs.importing.indicators import read_indicators
from docgen.inputs.importing.labels import after, find, find_prefix, header, norm, pick
from docgen.registry.manifest import FormVersion

_D = "declaration"
_F = (_D, "funds")
# label -> field; a label a layout does not print is simply not found.
_PAIRS = [
    ("项目名称", ("name",)),
    ("项目性质", (_D, "nature")),
    ("项目类别", (_D, "category")),
    ("主管部门", ("department",)),
    ("实施单位", ("executor",)),
    ("计划开始日期", (_D, "start")),
    ("计划完成日期", (_D, "end")),
    ("是否含有政府购买服务", (_D, "government_purchase")),
    ("绩效类型", (_D, "performance_type")),
    ("项目概况", (_D, "overview")),
    ("立项依据", (_D, "basis")),
    ("项目设立的必要性", (_D, "necessity")),
    ("保证项目实施的制度、措施", (_D, "safeguards")),
    ("项目实施计划", (_D, "plan")),
    ("总目标及阶段性目标", ("overall_goal",)),
    ("项目资金总额", _F + ("project_total",)),
    ("其中：财政资金", _F + ("project_fiscal",)),
    ("年度资金申请总额", _F + ("annual_total",)),
    ("其中：当年财政拨款", _F + ("annual_fiscal",)),
    ("上年结转资金", _F + ("annual_carryover",)),
    ("项目总预算（元）", _F + ("project_total",)),
    ("项目当年预算（元）", _F + ("annual_total",)),
    ("同名项目上年预算额（元）", _F + ("last_year_budget",)),
    ("同名项目上年预算执行数（元）", _F + ("last_year_executed",)),
]
_UNIT = re.compile(r"申报单位名称[:：]\s*(.+)$")


def read(form: FormText, version: FormVersion) -> Found:
    found = Found(form, version.kind, version.version)
    rows = form.rows
    for label, path in _PAIRS:
        found.put(path, after(rows, label))
    # 其他资金 twice in one row: the project's, then the year's.
    found.put(_F + ("project_other",), after(rows, "其他资金", nth=0) if find(rows, "其他资金", nth=1) else None)
    found.put(_F + ("annual_other",), after(rows, "其他资金", nth=1) or after(rows, "其他资金"))
    titles = title_texts(form)
    found.unit["year"] = year_of(titles)
    _goals(found, rows, version)
    unit = next((m.group(1).strip() for t in titles for m in [_UNIT.search(t)] if m), None)
    if unit:
        found.unit["unit"] = unit
    labels = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值", **(version.labels or {})}
    read_indicators(found, rows, {k: labels[k] for k in ("level1", "level2", "name", "target")})
    found.project.setdefault(_D, {})
    return found


def _goals(found: Found, rows: list, version: FormVersion) -> None:
    """项目总体目标（2023年-2023年） | 年度总体目标 over a row of their texts.  The overall
    goal's label is the cell left of 年度总体目标 (a unit may print 「项目总目标」 there: read
    back into `labels:` when it is not the version's own)."""
    own = version.labels or {}
    at = find(rows, own.get("annual_goal", "年度总体目标"))
    if at is None or at[0] + 1 >= len(rows):
        return
    labels = {"annual": rows[at[0]][at[1]].text}
    overall = find_prefix(rows, "项目总体目标")
    if "overall_goal" in own and at[1] >= 2:
        left = at[1] - 1
        while left > 1 and not rows[at[0]][left].text.strip():
            left -= 1  # merged cells undone (Excel) leave blanks between the label and 年度总体目标
        overall = (at[0], left)
    if overall is not None and overall[0] == at[0]:
        labels["overall"] = rows[overall[0]][overall[1]].text
    columns = header(rows[at[0]], labels)
    values = rows[at[0] + 1]
    found.put(("annual_goal",), pick(values, columns["annual"]))
    if "overall" in columns:
        found.put(("overall_goal",), pick(values, columns["overall"]))
        _label(found, "overall_goal", labels["overall"], own)


def _label(found: Found, name: str, text: str, own: dict[str, str]) -> None:
    """A printed label that is not the version's default (its `{period}` the project's) goes into `labels:`."""
    if name not in own:
        return
    declaration = found.project.get(_D, {})
    year = found.unit.get("year")
    first, last = (str(declaration.get(k, ""))[:4] or str(year) for k in ("start", "end"))
    default = printed_labels({name: own[name]}, period=f"{first}年-{last}年")[name]
    if norm(text) != norm(default):
        found.project.setdefault("labels", {})[name] = text
