"""The departmental document's parts: a project's `budget` and the unit's `department_goals`."""

from __future__ import annotations

from pydantic import Field

from docgen.model.fields import Amount, Name, PlanPercent, StrictModel, Text
from docgen.model.parts import Fragment, Part


class SpendingPlan(StrictModel):
    """资金支出计划（%）: the cumulative share of the budget spent by each date."""

    march: PlanPercent = Field(None, title="3月底")
    june: PlanPercent = Field(None, title="6月底")
    october: PlanPercent = Field(None, title="10月底")
    december: PlanPercent = Field(None, title="12月底")


class Budget(StrictModel):
    """预算规模及资金用途 and 资金支出计划 of a project in the departmental document (部门整体绩效目标)."""

    total: Amount = Field(None, title="预算数")
    fiscal: Amount = Field(None, title="其中：财政资金")
    other: Amount = Field(None, title="其他资金")
    use: Text = Field("", title="资金用途", description="每行一段")
    plan: SpendingPlan = Field(default_factory=SpendingPlan, title="资金支出计划（%）")


class GoalArea(StrictModel):
    """One numbered 分项绩效目标 (一、…) with its numbered sub-goals (1、…)."""

    text: Name = Field(title="分项目标", description="不含编号；编号「一、」自动生成")
    items: list[Name] = Field(default_factory=list, title="子目标", description="不含编号；编号「1、」自动生成")


class Safeguards(StrictModel):
    intro: Text = Field("", title="导语")
    items: list[Name] = Field(default_factory=list, title="措施", description="不含编号；编号「1、」自动生成")


class DepartmentGoals(StrictModel):
    """第一部分 部门整体绩效目标 of the departmental document."""

    overall: list[Name] = Field(default_factory=list, title="总体绩效目标", description="每项一段，不含编号；编号「一、」自动生成")
    areas: list[GoalArea] = Field(default_factory=list, title="分项绩效目标")
    safeguards: Safeguards = Field(default_factory=Safeguards, title="工作保障措施")


# The kind's parts: a project's `budget` (after its `evaluation`, or at the end of the
# kinds' parts) and the unit's `department_goals` (after the unit's `profile`).
FRAGMENT = Fragment(
    project=Part("budget", Budget, title="部门预算项目", description="部门整体绩效目标中本项目的预算规模、资金用途与支出计划", after="evaluation"),
    unit=Part("department_goals", DepartmentGoals, title="部门整体绩效目标", after="profile"),
    indicator=(
        Part("description", Text, title="绩效指标描述", description="部门整体绩效目标的项目表", after="deviation", default=""),
        Part("basis", Text, title="指标值确定依据", description="部门整体绩效目标的项目表", after="description", default=""),
    ),
)
