"""The 自评表's columns in the data-entry workbook (项目 sheet), and the indicator fields it uses."""

from docgen.forms.selfeval.model import FRAGMENT
from docgen.inputs.entrybook.columns import Column

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
INDICATOR_FIELDS = tuple(column.field for column in FRAGMENT.indicator)  # the indicator columns its fragment adds
