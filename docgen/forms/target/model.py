"""The 申报表's part of a project record: `declaration` (nature, dates, narrative fields, funds)."""

from __future__ import annotations

from pydantic import Field

from docgen.model.fields import Amount, EndDate, StartDate, StrictModel, Text
from docgen.model.parts import Fragment, Part


class DeclarationFunds(StrictModel):
    """项目资金 as declared before the year (申报表)."""

    project_total: Amount = Field(None, title="项目资金总额", description="2020 版：项目总预算")
    project_fiscal: Amount = Field(None, title="其中：财政资金")
    project_other: Amount = Field(None, title="其他资金（项目资金）")
    annual_total: Amount = Field(None, title="年度资金申请总额", description="2020 版：项目当年预算")
    annual_fiscal: Amount = Field(None, title="其中：当年财政拨款")
    annual_carryover: Amount = Field(None, title="上年结转资金")
    annual_other: Amount = Field(None, title="其他资金（年度资金）")
    annual_superior: Amount = Field(None, title="该项目支出上级资金", description="湖南等样式")
    last_year_budget: Amount = Field(None, title="同名项目上年预算额")
    last_year_executed: Amount = Field(None, title="同名项目上年预算执行数")


class Declaration(StrictModel):
    """The declaration (申报) of a project before the year: what its 申报表 prints."""

    nature: Text = Field("", title="项目性质")
    category: Text = Field("", title="项目类别")
    start: StartDate = Field(None, title="计划开始日期", description="只写年月（2023年1月）时取该月第一天")
    end: EndDate = Field(None, title="计划完成日期", description="只写年月（2023年12月）时取该月最后一天")
    period: Text = Field("", title="实施期", description="如 2023.07-2024.01（湖南等样式的「项目支出实施期」）")
    government_purchase: Text = Field("", title="是否含有政府购买服务")
    performance_type: Text = Field("", title="绩效类型")
    overview: Text = Field("", title="项目概况")
    basis: Text = Field("", title="立项依据")
    necessity: Text = Field("", title="项目设立的必要性")
    safeguards: Text = Field("", title="保证项目实施的制度、措施")
    plan: Text = Field("", title="项目实施计划")
    funds: DeclarationFunds = Field(default_factory=DeclarationFunds, title="项目资金")
    review: Text = Field("", title="财政部门审核意见")


# The kind's part of a project: `declaration`, after the project's `profile`.
FRAGMENT = Fragment(
    project=Part("declaration", Declaration, title="申报", after="profile"),
    indicator=(Part("standard", Text, title="绩效标准", description="如 计划标准、行业标准（湖南等样式的申报表）", after="basis", default=""),),
)
