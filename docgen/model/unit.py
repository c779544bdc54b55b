"""Stage 2: the data model of a unit file (pydantic v2).

One file per unit and year.  A project record carries what every form needs (name,
goals, the indicators the forms share) plus one part per form kind: each kind's model
fragment (`docgen/forms/<kind>/model.py`) says which field holds its data and what model
validates it, and `docgen.model.parts.install` adds it to `Project` (and, for a kind with
data of the whole unit, to `Unit`) for the kinds the manifest registers: `declaration`
(申报表), `evaluation` (自评表, after the year), `budget` and the unit's
`department_goals` (部门整体绩效目标).  Indicators are shared: each kind adds its
columns to the same row, so the 自评表's 年度指标值 are the declared targets.

Unknown keys are rejected everywhere: a typo must never be silently ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from docgen.model.fields import Amount, Name, Percent, PlanPercent, Score, StrictModel, Text

if TYPE_CHECKING:  # the shipped kinds' parts, typed for the code that reads them
    from docgen.forms.dept.model import Budget, DepartmentGoals
    from docgen.forms.selfeval.model import Evaluation, Tier
    from docgen.forms.target.model import Declaration

__all__ = ["Amount", "Indicator", "Name", "Percent", "PlanPercent", "Project", "Score", "SignOff", "Text", "Unit"]

Forms = Annotated[
    dict[str, Text],
    Field(title="表单版本", description='表单种类 -> 版本，如 {target: "2023", selfeval: "2022"}'),
]

Extra = Annotated[
    dict[Name, Text],
    Field(
        title="自定义字段",
        description="表单上数据模型没有的行，如 {填报人: 张三, 联系电话: …}；模板中写 {{ unit.extra.填报人 }} / {{ project.extra.项目负责人 }}",
    ),
]

Labels = Annotated[
    dict[Name, Text],
    Field(
        title="表单标签",
        description="按名称改写表单版本印出的标签（名称见 docgen templates list 与 manifest.yaml 各版本的 labels:），"
        "如 {overall_goal: 项目总目标}；{period} 印为项目期间（2023年-2023年）。项目的 labels 优先于单位的",
    ),
]


class Indicator(StrictModel):
    """One indicator row, shared by the forms: the 申报表's targets are the ones the 自评表
    scores.  The columns only some kinds print (实际完成值, 得分… of the 自评表) are those
    kinds' fragments (`docgen.model.parts`)."""

    level1: Name = Field(title="一级指标")
    level2: Name = Field(title="二级指标")
    name: Name = Field(title="三级指标")
    target: Text = Field("", title="年度指标值", description="如 =100%、>=85%、≥90.00(%)、及时（申报表与自评表共用）")

    if TYPE_CHECKING:  # installed from the kinds' fragments (docgen.model.parts)
        evaluated_target: Text = ""
        actual: Text = ""
        weight: Score = None
        score: Score = None
        tier: Tier | None = None
        deviation: Text = ""
        description: Text = ""
        basis: Text = ""
        standard: Text = ""


class SignOff(StrictModel):
    """Who signs a form off, as it prints them (项目负责人：…, 填表人：…)."""

    project_lead: Text = Field("", title="项目负责人")
    finance_lead: Text = Field("", title="财务负责人")
    unit_lead: Text = Field("", title="单位负责人", description="湖北式：单位主要负责人签批意见")
    filled_by: Text = Field("", title="填表人")
    phone: Text = Field("", title="联系电话")
    filled_on: Text = Field("", title="填报日期")


class Project(StrictModel):
    name: Name = Field(title="项目名称")
    code: Text = Field("", title="项目编码", description="如 762-0502-YBN-3CSO")
    department: Name | None = Field(None, title="主管部门", description="不填则取单位的主管部门")
    executor: Name | None = Field(None, title="实施单位", description="不填则取单位的实施单位")
    annual_goal: Text = Field("", title="年度总体目标（自评表：预期目标）")
    overall_goal: Text = Field("", title="项目总体目标", description="2020 版：总目标及阶段性目标")
    forms: Forms | None = None
    profile: Name | None = Field(None, title="评分规则", description="自评表按哪个评分规则计分（填规则名称）；默认取单位的，再默认取表单版本的")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    sign_off: SignOff | None = Field(None, title="签字")
    labels: Labels = Field(default_factory=dict)
    extra: Extra = Field(default_factory=dict)

    if TYPE_CHECKING:  # installed from the kinds' fragments (docgen.model.parts)
        declaration: Declaration | None = None
        evaluation: Evaluation | None = None
        budget: Budget | None = None

    def part(self, field: str) -> Any:
        """A kind's part of the project (`evaluation`…), None when it has none."""
        return getattr(self, field, None)


class Unit(StrictModel):
    unit: Name = Field(title="单位名称")
    code: Text = Field("", title="单位编码", description="如 762002；部门整体绩效目标的项目表抬头打印为「编码+单位名称」")
    year: int = Field(ge=1990, le=2100, title="年度")
    department: Name | None = Field(None, title="主管部门（默认）")
    executor: Name | None = Field(None, title="实施单位（默认）")
    amount_unit: Literal["元", "万元"] = Field("元", title="金额单位")
    forms: Forms = Field(default_factory=dict)
    profile: Name | None = Field(None, title="评分规则", description="自评表按哪个规则配置计分（docgen profiles 列出可用的）；默认取表单版本的")
    projects: list[Project] = Field(min_length=1, title="项目")
    labels: Labels = Field(default_factory=dict)
    extra: Extra = Field(default_factory=dict)

    if TYPE_CHECKING:  # installed from the dept kind's fragment (docgen.model.parts)
        department_goals: DepartmentGoals | None = None

    def part(self, field: str) -> Any:
        """A kind's part of the whole unit (`department_goals`), None when it has none."""
        return getattr(self, field, None)

    def department_of(self, project: Project) -> str:
        return project.department or self.department or self.unit

    def executor_of(self, project: Project) -> str:
        return project.executor or self.executor or self.unit

    def version_of(self, project: Project, kind: str) -> str | None:
        """The form version a project asks for: its own, else the unit's, else None (the default)."""
        return (project.forms or {}).get(kind) or self.forms.get(kind)

    def labels_of(self, project: Project | None, version_labels: dict[str, str]) -> dict[str, str]:
        """The labels a form of `project` prints: the version's, overridden by the unit's,
        then the project's (names the version does not list are not its own)."""
        own = {**self.labels, **(project.labels if project is not None else {})}
        return {name: own.get(name, text) for name, text in version_labels.items()}
