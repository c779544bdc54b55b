"""The 自评表's part of a project record: `evaluation` (funds, execution, what was achieved)."""

from __future__ import annotations

from pydantic import Field

from docgen.model.fields import Amount, Percent, Score, StrictModel, Text


class FundsLine(StrictModel):
    """One row of the 项目资金 block; a blank cell is `None` (printed blank, summed as 0)."""

    initial: Amount = Field(None, title="年初预算数")
    budget: Amount = Field(None, title="全年预算数")
    executed: Amount = Field(None, title="全年执行数")


class Funds(StrictModel):
    total: FundsLine = Field(default_factory=FundsLine, title="年度资金总额")
    fiscal: FundsLine = Field(default_factory=FundsLine, title="其中：当年财政拨款")
    carryover: FundsLine = Field(default_factory=FundsLine, title="上年结转资金")
    other: FundsLine = Field(default_factory=FundsLine, title="其他资金")


class Execution(StrictModel):
    """The 预算执行率 row as the unit declared it; every field is optional."""

    weight: Score = Field(None, title="分值", description="默认取规则配置（10 分）")
    rate: Percent = Field(None, title="执行率", description="如 96.41%")
    score: Score = Field(None, title="得分")


class Evaluation(StrictModel):
    """The self-evaluation (自评) of a project after the year."""

    funds: Funds = Field(default_factory=Funds, title="项目资金")
    execution: Execution = Field(default_factory=Execution, title="预算执行")
    achieved: Text = Field("", title="实际完成情况", description="每行一段；也可用 <p>…</p> 分段")
    total_score: Score = Field(None, title="总分（申报值）")
