"""Stage 2: the data model of a unit file (pydantic v2).

One file per unit and year.  A project record carries what both forms need: the
declared side (name, goals, indicator targets: the 申报表) and, once the year is
over, its `evaluation` (funds, actual values, scores: the 自评表).  Indicators are
shared: declaration fields and evaluation fields sit on the same row, so the
自评表's 年度指标值 are the declared targets.

Unknown keys are rejected everywhere: a typo must never be silently ignored.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = [
    "Amount",
    "Budget",
    "Declaration",
    "DepartmentGoals",
    "DeclarationFunds",
    "Evaluation",
    "Execution",
    "Funds",
    "FundsLine",
    "GoalArea",
    "Indicator",
    "Project",
    "Safeguards",
    "SpendingPlan",
    "Unit",
]

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _to_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"应为{what}，不能是布尔值")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Only reachable from library callers passing Python floats; repr is the
        # shortest text that round-trips, so 0.1 becomes Decimal("0.1").
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为{what}，却是「{value}」") from None
    else:
        raise ValueError(f"应为{what}")
    if not number.is_finite():
        raise ValueError(f"应为{what}，却是「{value}」")
    return number


def _amount(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _to_decimal(value, "金额（数字，可带千分位逗号）")


def _score(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _to_decimal(value, "分数（数字）")
    if number < 0:
        raise ValueError(f"分数不能为负数：{value}")
    return number


def _percent(value: Any) -> Decimal | None:
    """`"96.41%"` or `96.41` -> Decimal("0.9641"): rates are stored as fractions."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        if text.endswith("%"):
            text = text[:-1]
        return _to_decimal(text, "百分比（如 96.41%）") / 100
    return _to_decimal(value, "百分比（如 96.41%）") / 100


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError("应为文字")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError("应为文字")


def _name(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise ValueError("不能为空")
    return text


def _plan_percent(value: Any) -> Decimal | None:
    """`25`, `25.00` or `"25%"` -> Decimal("25"): 资金支出计划 prints percentages as numbers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().replace("％", "%").removesuffix("%")
    return _to_decimal(value, "百分比数字（如 25.00）")


Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
PlanPercent = Annotated[Decimal | None, BeforeValidator(_plan_percent)]
Score = Annotated[Decimal | None, BeforeValidator(_score)]
Percent = Annotated[Decimal | None, BeforeValidator(_percent)]
Text = Annotated[str, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_name)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FundsLine(_Model):
    """One row of the 项目资金 block; a blank cell is `None` (printed blank, summed as 0)."""

    initial: Amount = Field(None, title="年初预算数")
    budget: Amount = Field(None, title="全年预算数")
    executed: Amount = Field(None, title="全年执行数")


class Funds(_Model):
    total: FundsLine = Field(default_factory=FundsLine, title="年度资金总额")
    fiscal: FundsLine = Field(default_factory=FundsLine, title="其中：当年财政拨款")
    carryover: FundsLine = Field(default_factory=FundsLine, title="上年结转资金")
    other: FundsLine = Field(default_factory=FundsLine, title="其他资金")


class Execution(_Model):
    """The 预算执行率 row as the unit declared it; every field is optional."""

    weight: Score = Field(None, title="分值", description="默认取规则配置（10 分）")
    rate: Percent = Field(None, title="执行率", description="如 96.41%")
    score: Score = Field(None, title="得分")


class Evaluation(_Model):
    """The self-evaluation (自评) of a project after the year."""

    funds: Funds = Field(default_factory=Funds, title="项目资金")
    execution: Execution = Field(default_factory=Execution, title="预算执行")
    achieved: Text = Field("", title="实际完成情况", description="每行一段；也可用 <p>…</p> 分段")
    total_score: Score = Field(None, title="总分（申报值）")


class DeclarationFunds(_Model):
    """项目资金 as declared before the year (申报表)."""

    project_total: Amount = Field(None, title="项目资金总额", description="2020 版：项目总预算")
    project_fiscal: Amount = Field(None, title="其中：财政资金")
    project_other: Amount = Field(None, title="其他资金（项目资金）")
    annual_total: Amount = Field(None, title="年度资金申请总额", description="2020 版：项目当年预算")
    annual_fiscal: Amount = Field(None, title="其中：当年财政拨款")
    annual_carryover: Amount = Field(None, title="上年结转资金")
    annual_other: Amount = Field(None, title="其他资金（年度资金）")
    last_year_budget: Amount = Field(None, title="同名项目上年预算额")
    last_year_executed: Amount = Field(None, title="同名项目上年预算执行数")


class Declaration(_Model):
    """The declaration (申报) of a project before the year: what its 申报表 prints."""

    nature: Text = Field("", title="项目性质")
    category: Text = Field("", title="项目类别")
    start: date | None = Field(None, title="计划开始日期")
    end: date | None = Field(None, title="计划完成日期")
    government_purchase: Text = Field("", title="是否含有政府购买服务")
    performance_type: Text = Field("", title="绩效类型")
    overview: Text = Field("", title="项目概况")
    basis: Text = Field("", title="立项依据")
    necessity: Text = Field("", title="项目设立的必要性")
    safeguards: Text = Field("", title="保证项目实施的制度、措施")
    plan: Text = Field("", title="项目实施计划")
    funds: DeclarationFunds = Field(default_factory=DeclarationFunds, title="项目资金")


class SpendingPlan(_Model):
    """资金支出计划（%）: the cumulative share of the budget spent by each date."""

    march: PlanPercent = Field(None, title="3月底")
    june: PlanPercent = Field(None, title="6月底")
    october: PlanPercent = Field(None, title="10月底")
    december: PlanPercent = Field(None, title="12月底")


class Budget(_Model):
    """预算规模及资金用途 and 资金支出计划 of a project in the departmental document (部门整体绩效目标)."""

    total: Amount = Field(None, title="预算数")
    fiscal: Amount = Field(None, title="其中：财政资金")
    other: Amount = Field(None, title="其他资金")
    use: Text = Field("", title="资金用途", description="每行一段")
    plan: SpendingPlan = Field(default_factory=SpendingPlan, title="资金支出计划（%）")


Forms = Annotated[
    dict[str, Annotated[str, BeforeValidator(_text)]],
    Field(title="表单版本", description="表单种类 -> 版本，如 {target: \"2023\", selfeval: \"2022\"}"),
]

Tier = Literal["达成", "部分达成", "未达成"]


class Indicator(_Model):
    level1: Name = Field(title="一级指标")
    level2: Name = Field(title="二级指标")
    name: Name = Field(title="三级指标")
    target: Text = Field("", title="年度指标值", description="如 =100%、>=85%、≥90.00(%)、及时（申报表与自评表共用）")
    evaluated_target: Text = Field("", title="自评表年度指标值", description="仅当自评表的年度指标值与申报不同时填写")
    actual: Text = Field("", title="实际完成值")
    weight: Score = Field(None, title="分值")
    score: Score = Field(None, title="得分（申报值）", description="不填则按规则计算")
    tier: Tier | None = Field(None, title="完成档次", description="定性指标：达成 / 部分达成 / 未达成")
    deviation: Text = Field("", title="偏差原因分析及改进措施")
    description: Text = Field("", title="绩效指标描述", description="部门整体绩效目标的项目表")
    basis: Text = Field("", title="指标值确定依据", description="部门整体绩效目标的项目表")

    @property
    def scored_target(self) -> str:
        """The 年度指标值 the 自评表 prints and scores against: the declared one unless overridden."""
        return self.evaluated_target or self.target


class Project(_Model):
    name: Name = Field(title="项目名称")
    code: Text = Field("", title="项目编码", description="如 762-0502-YBN-3CSO")
    department: Name | None = Field(None, title="主管部门", description="默认取单位的 department")
    executor: Name | None = Field(None, title="实施单位", description="默认取单位的 executor")
    annual_goal: Text = Field("", title="年度总体目标（自评表：预期目标）")
    overall_goal: Text = Field("", title="项目总体目标", description="2020 版：总目标及阶段性目标")
    forms: Forms | None = None
    declaration: Declaration | None = Field(None, title="申报")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    evaluation: Evaluation | None = Field(None, title="自评")
    budget: Budget | None = Field(None, title="部门预算项目", description="部门整体绩效目标中本项目的预算规模、资金用途与支出计划")


class GoalArea(_Model):
    """One numbered 分项绩效目标 (一、…) with its numbered sub-goals (1、…)."""

    text: Name = Field(title="分项目标", description="不含编号；编号「一、」自动生成")
    items: list[Annotated[str, BeforeValidator(_name)]] = Field(default_factory=list, title="子目标", description="不含编号；编号「1、」自动生成")


class Safeguards(_Model):
    intro: Text = Field("", title="导语")
    items: list[Annotated[str, BeforeValidator(_name)]] = Field(default_factory=list, title="措施", description="不含编号；编号「1、」自动生成")


class DepartmentGoals(_Model):
    """第一部分 部门整体绩效目标 of the departmental document."""

    overall: list[Annotated[str, BeforeValidator(_name)]] = Field(default_factory=list, title="总体绩效目标", description="每项一段，不含编号；编号「一、」自动生成")
    areas: list[GoalArea] = Field(default_factory=list, title="分项绩效目标")
    safeguards: Safeguards = Field(default_factory=Safeguards, title="工作保障措施")


class Unit(_Model):
    unit: Name = Field(title="单位名称")
    code: Text = Field("", title="单位编码", description="如 762002；部门整体绩效目标的项目表抬头打印为「编码+单位名称」")
    year: int = Field(ge=1990, le=2100, title="年度")
    department: Name | None = Field(None, title="主管部门（默认）")
    executor: Name | None = Field(None, title="实施单位（默认）")
    amount_unit: Literal["元", "万元"] = Field("元", title="金额单位")
    forms: Forms = Field(default_factory=dict)
    department_goals: DepartmentGoals | None = Field(None, title="部门整体绩效目标")
    projects: list[Project] = Field(min_length=1, title="项目")

    def department_of(self, project: Project) -> str:
        return project.department or self.department or self.unit

    def executor_of(self, project: Project) -> str:
        return project.executor or self.executor or self.unit

    def version_of(self, project: Project, kind: str) -> str | None:
        """The form version a project asks for: its own, else the unit's, else None (the default)."""
        return (project.forms or {}).get(kind) or self.forms.get(kind)
