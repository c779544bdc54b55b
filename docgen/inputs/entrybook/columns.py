"""The columns of the data-entry workbook: which field of the unit file each holds,
its header, and what kind of value it takes (read off the pydantic models, so a
field's title, description and type are written once, in `models.py` and the kinds'
model fragments)."""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from docgen.forms import form_kinds
from docgen.model import fields as f
from docgen.model.fields import field_at
from docgen.model.unit import Indicator, Project, Unit

FieldPath = tuple[str, ...]

# How a value is typed into a cell, by the validator of its field type.
_KINDS = {f._amount: "amount", f._score: "number", f._percent: "percent", f._plan_percent: "number", f._text: "text", f._name: "text"}


@dataclass(frozen=True)
class Column:
    """One column: `path` is the field under a project (or an indicator, or the unit)."""

    path: FieldPath
    header: str
    core: bool = True  # always written; otherwise only when some record fills it (or for a blank workbook)
    width: float = 14
    versioned: bool = False  # a project column only some form versions print (`fields:` in templates/manifest.yaml)
    note: str = ""  # what the column means, for its header's note (default: its field's title and description)
    # A value the unit file holds as more than one cell's text (a mapping): how it is
    # typed into its cell, and read back (raising ValueError with a message in the form's words).
    to_cell: Callable[[Any], str] | None = None
    from_cell: Callable[[Any], Any] | None = None

    def kind(self, model: type[BaseModel]) -> str:
        return value_kind(model, self.path)

    def description(self, model: type[BaseModel]) -> str:
        info = field_at(model, self.path)
        parts = [info.title or "", info.description or ""] if info is not None else []
        return "；".join(p for p in parts if p)


def printed(column: Column, versions: list[Any]) -> bool:
    """Does any of the form versions `versions` print `column`?  (A version that lists no
    `fields:` in templates/manifest.yaml prints all its kind's columns.)"""
    dotted = ".".join(column.path)
    return any(v.fields is None or dotted in v.fields for v in versions)


@lru_cache(maxsize=4096)
def value_kind(model: type[BaseModel], path: FieldPath) -> str:
    """amount / number / percent / date / choice / int / text (a model's fields never
    change, so each path is worked out once: reading a form asks it of every value)."""
    info = field_at(model, path)
    if info is None:
        return "text"
    for meta in info.metadata:
        func = getattr(meta, "func", None)
        kind = _KINDS.get(func) if func is not None else None
        if kind:
            return kind
    args = typing.get_args(info.annotation) or (info.annotation,)
    if date in args:
        return "date"
    if info.annotation is int:
        return "int"
    if any(typing.get_origin(a) is typing.Literal for a in args):
        return "choice"
    return "text"


def choices(model: type[BaseModel], path: FieldPath) -> list[str]:
    info = field_at(model, path)
    args = typing.get_args(info.annotation) if info is not None else ()
    literal = next((a for a in (info.annotation, *args) if typing.get_origin(a) is typing.Literal), None) if info else None
    return [str(v) for v in typing.get_args(literal)] if literal is not None else []


# ------------------------------------------------------------------ sheets and their fixed columns

UNIT_SHEET = "单位"
PROJECT_SHEET = "项目"
INDICATOR_SHEET = "指标"
HELP_SHEET = "说明"
LISTS_SHEET = "选项"  # hidden: the drop-down lists

UNIT_ROWS = [
    Column(("unit",), "单位名称"),
    Column(("code",), "单位编码"),
    Column(("year",), "年度"),
    Column(("department",), "主管部门"),
    Column(("executor",), "实施单位"),
    Column(("amount_unit",), "金额单位"),
]
PROFILE_ROW = Column(("profile",), "评分规则")  # written only when the unit names a profile
VERSION_ROW = "表单版本："  # + the kind's title, one row per kind the unit names a version of

NUMBER = Column(("#",), "序号", width=6)
SIGN_OFF = (
    ("project_lead", "项目负责人"),
    ("finance_lead", "财务负责人"),
    ("unit_lead", "单位负责人"),
    ("filled_by", "填表人"),
    ("phone", "联系电话"),
    ("filled_on", "填报日期"),
)
PROJECT_COLUMNS = [
    Column(("name",), "项目名称", width=30, note="项目的全称，各表的「项目名称」栏照印；「指标」表可用它指明指标所属的项目"),
    Column(("code",), "项目编码", width=20),
    Column(("department",), "主管部门", core=False, width=20),
    Column(("executor",), "实施单位", core=False, width=20),
    Column(("annual_goal",), "年度总体目标", width=40, versioned=True),
    Column(("overall_goal",), "项目总体目标", core=False, width=40, versioned=True),
    Column(("profile",), "评分规则", core=False, width=16),
    # who signs the form off, for the versions that print it (`fields: [sign_off.filled_by, …]`)
    *(Column(("sign_off", key), title, core=False, width=14, versioned=True) for key, title in SIGN_OFF),
]
VERSION_COLUMN = "版本："  # + the kind's title: a project's own form version

INDICATOR_PROJECT = Column(("#",), "项目序号", width=8)
INDICATOR_PROJECT_NAME = Column(("#name",), "项目名称", width=24)
INDICATOR_COLUMNS = [
    Column(("level1",), "一级指标", width=14),
    Column(("level2",), "二级指标", width=16),
    Column(("name",), "三级指标", width=30, note="指标的名称，同一项目内不要重复"),
    Column(("target",), "指标值", width=16),
]


def indicator_fields() -> dict[str, Column]:
    """The indicator columns the registered kinds add (each kind's `Workbook.indicator_columns`,
    beside its fragment's indicator fields), by field, in the order of the indicator row."""
    found = {column.path[0]: column for kind in form_kinds() if kind.workbook is not None for column in kind.workbook.indicator_columns}
    order = list(Indicator.model_fields)
    return dict(sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


# The 其他栏目 sheet: the lines a form prints that the data model has none for (`extra:` of
# the unit and of each project), one a row, in the order the unit file gives them.
EXTRA_SHEET = "其他栏目"
EXTRA_PROJECT = Column(("#",), "项目序号", width=8)
EXTRA_PROJECT_NAME = Column(("#name",), "项目名称", width=30)
EXTRA_NAME = Column(
    ("line",), "栏目", width=20, note="表单上这一栏的名称，与表单模板所印的一致，如「填报日期」「项目类别」；同一项目（或单位）每个栏目只写一行"
)
EXTRA_TEXT = Column(("text",), "内容", width=60, note="这一栏印出的文字，如「2021 年 4 月 22 日」")
EXTRA_COLUMNS = [EXTRA_PROJECT, EXTRA_PROJECT_NAME, EXTRA_NAME, EXTRA_TEXT]
# The 表单标签 sheet: the unit's and the projects' `labels:`, each label by the words its
# version prints (「项目总体目标」), what to print instead beside it; the same layout.
LABEL_SHEET = "表单标签"
LABEL_NAME = Column(("line",), "标签", width=24, note="要改写的表单标签，按表单版本原来印的文字填写，如「项目总体目标」「年度指标值」")
LABEL_TEXT = Column(("text",), "改印为", width=40, note="表单上改印的文字，如「项目总目标」；写 {period} 处印出项目期间（2023年-2023年）")
LABEL_COLUMNS = [EXTRA_PROJECT, EXTRA_PROJECT_NAME, LABEL_NAME, LABEL_TEXT]

MODELS = {UNIT_SHEET: Unit, PROJECT_SHEET: Project, INDICATOR_SHEET: Indicator}
