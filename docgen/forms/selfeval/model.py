"""The 自评表's part of a project record: `evaluation` (funds, execution, what was
achieved), and its columns of an indicator row (实际完成值, 分值, 得分, 偏差原因…)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from docgen.model.fields import Amount, Name, Percent, Score, StrictModel, Text
from docgen.model.parts import Fragment, Part

if TYPE_CHECKING:
    from docgen.model.unit import Indicator

Tier = Literal["达成", "部分达成", "未达成"]


class FundsLine(StrictModel):
    """One row of the 项目资金 block; a blank cell is `None` (printed blank, summed as 0)."""

    initial: Amount = Field(None, title="年初预算数")
    budget: Amount = Field(None, title="全年预算数")
    executed: Amount = Field(None, title="全年执行数")


class Funds(StrictModel):
    total: FundsLine = Field(default_factory=FundsLine, title="年度资金总额")
    fiscal: FundsLine = Field(default_factory=FundsLine, title="其中：当年财政拨款")
    carryover: FundsLine = Field(default_factory=FundsLine, title="上年结转资金")
    special_account: FundsLine = Field(default_factory=FundsLine, title="财政专户管理资金", description="四川一体化等样式")
    unit_own: FundsLine = Field(default_factory=FundsLine, title="单位资金", description="四川一体化等样式")
    other: FundsLine = Field(default_factory=FundsLine, title="其他资金")


class Execution(StrictModel):
    """The 预算执行率 row as the unit declared it; every field is optional."""

    weight: Score = Field(None, title="分值", description="默认取规则配置（10 分）")
    rate: Percent = Field(None, title="执行率", description="如 96.41%")
    score: Score = Field(None, title="得分")
    reason: Text = Field("", title="原因", description="执行率偏低或年中调整预算的原因（规则配置要求时必填；四川一体化样式的「原因」）")


class Evaluation(StrictModel):
    """The self-evaluation (自评) of a project after the year."""

    funds: Funds = Field(default_factory=Funds, title="项目资金")
    execution: Execution = Field(default_factory=Execution, title="预算执行")
    achieved: Text = Field("", title="实际完成情况", description="每行一段；也可用 <p>…</p> 分段")
    implementation: Text = Field("", title="项目实施内容及过程概述", description="四川一体化样式")
    total_score: Score = Field(None, title="总分（申报值）")
    conclusion: Text = Field("", title="评价结论")
    problems: Text = Field("", title="存在问题")
    improvements: Text = Field("", title="改进措施", description="湖北式：改进措施及结果应用方案")
    deviation: Text = Field("", title="偏差大或目标未完成原因分析", description="全表一段（各指标的原因写在指标的 deviation）")
    class_weights: dict[Name, Score] = Field(
        default_factory=dict, title="一级指标分值", description="一级指标单元格写的分值，如 {产出指标: 50}（「产出指标（50分）」）"
    )


def scored_target(indicator: Indicator) -> str:
    """The 年度指标值 the 自评表 prints and scores against: the declared one unless overridden."""
    return indicator.evaluated_target or indicator.target


# The kind's part of a project: `evaluation`, after its indicators; its columns of an
# indicator row, after the shared 年度指标值 (in the order the 自评表 prints them).
FRAGMENT = Fragment(
    project=Part("evaluation", Evaluation, title="自评", after="indicators"),
    indicator=(
        Part("evaluated_target", Text, title="自评表年度指标值", description="仅当自评表的年度指标值与申报不同时填写", after="target", default=""),
        Part("actual", Text, title="实际完成值", after="evaluated_target", default=""),
        Part("weight", Score, title="分值", after="actual", default=None),
        Part("score", Score, title="得分（申报值）", description="不填则按规则计算", after="weight", default=None),
        Part("tier", Tier | None, title="完成档次", description="定性指标：达成 / 部分达成 / 未达成", after="score", default=None),
        Part("deviation", Text, title="偏差原因分析及改进措施", after="tier", default=""),
    ),
)
