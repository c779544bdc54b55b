"""The 自评表's columns in the data-entry workbook (项目 sheet), and the indicator fields it uses."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from docgen.inputs.entrybook.columns import Column

_CLASS_POINTS = re.compile(r"^(.+?)\s*(?:[（(]\s*([0-9.]+)\s*分?\s*[）)]|[：:]\s*([0-9.]+)\s*分?)$")
CLASS_WEIGHTS_HOW = "写作「产出指标（60分）；效益指标（40分）」，各一级指标之间用「；」分开"


def class_weights_text(weights: dict[str, Any]) -> str:
    """The 一级指标分值 as a clerk types them: as the form prints them, 「产出指标（60分）」."""
    return "；".join(f"{name}（{Decimal(str(points)).normalize():f}分）" for name, points in weights.items())


def class_weights(text: Any) -> dict[str, str]:
    """「产出指标（60分）；效益指标（40分）」 (or 「产出指标：60」, one a line) read back."""
    out: dict[str, str] = {}
    for item in re.split(r"[；;、，,\n]+", str(text)):
        item = item.strip()
        if not item:
            continue
        found = _CLASS_POINTS.match(item)
        points = (found.group(2) or found.group(3)) if found else None
        try:
            valid = points is not None and Decimal(points).is_finite()
        except InvalidOperation:
            valid = False
        if found is None or not valid:
            raise ValueError(f"里的「{item}」读不出一级指标和分值：{CLASS_WEIGHTS_HOW}")
        name = found.group(1).strip()
        if name in out:
            raise ValueError(f"里一级指标「{name}」写了两次：每个一级指标只写一次分值")
        out[name] = str(points)
    return out


_FUNDS = (("total", "年度资金总额"), ("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
_REGIONAL_FUNDS = (("special_account", "财政专户管理资金"), ("unit_own", "单位资金"))
_TEXTS = (
    ("implementation", "项目实施内容及过程概述"),
    ("conclusion", "评价结论"),
    ("problems", "存在问题"),
    ("improvements", "改进措施"),
    ("deviation", "偏差大或目标未完成原因分析"),
)
_STAGES = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))

COLUMNS = [
    *(
        Column(("evaluation", "funds", row, stage), f"{label}（{title}）", width=16, note=f"自评表「项目资金」栏中「{label}」一行的{title}")
        for row, label in _FUNDS
        for stage, title in _STAGES
    ),
    Column(("evaluation", "execution", "weight"), "预算执行率分值", core=False, width=10),
    Column(("evaluation", "execution", "rate"), "执行率（填报）", core=False, width=10),
    Column(("evaluation", "execution", "score"), "预算执行率得分（填报）", core=False, width=10),
    Column(("evaluation", "execution", "reason"), "预算执行原因", core=False, width=30),
    Column(("evaluation", "achieved"), "实际完成情况", width=40),
    Column(("evaluation", "total_score"), "总分（填报）", core=False, width=10),
    Column(
        ("evaluation", "class_weights"),
        "一级指标分值",
        core=False,
        versioned=True,
        width=24,
        note=f"写在一级指标单元格里的分值（如「产出指标（60分）」），不设分值列的表式按它分给各指标；{CLASS_WEIGHTS_HOW}",
        to_cell=class_weights_text,
        from_cell=class_weights,
    ),
    # What only some versions print (四川一体化, 湖北式): written when a project fills them
    # and a chosen version prints them (`fields:`), never dropped without a word.
    *(
        Column(
            ("evaluation", "funds", row, stage),
            f"{label}（{title}）",
            core=False,
            versioned=True,
            width=16,
            note=f"自评表「项目资金」栏中「{label}」一行的{title}",
        )
        for row, label in _REGIONAL_FUNDS
        for stage, title in _STAGES
    ),
    *(Column(("evaluation", field), title, core=False, versioned=True, width=40) for field, title in _TEXTS),
]
INDICATOR_COLUMNS = (  # the indicator columns its fragment adds, as the workbook heads them
    Column(("evaluated_target",), "自评表年度指标值", core=False, width=16),
    Column(("actual",), "实际完成值", width=16, note="该指标当年实际达到的值，写法与指标值一致（如 100%、12个）"),
    Column(("weight",), "分值", width=8),
    Column(("score",), "得分", width=8),
    Column(("tier",), "完成档次", core=False, width=10),
    Column(("deviation",), "偏差原因分析及改进措施", width=40, note="实际完成值未达到指标值时，写明原因和改进措施"),
)
