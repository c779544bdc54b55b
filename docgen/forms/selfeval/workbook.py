"""The 自评表's columns in the data-entry workbook (项目 sheet), and the indicator fields it uses."""

from docgen.inputs.entrybook.columns import Column

_FUNDS = (("total", "年度资金总额"), ("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
_STAGES = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))

COLUMNS = [
    *(Column(("evaluation", "funds", row, stage), f"{label}（{title}）", width=16) for row, label in _FUNDS for stage, title in _STAGES),
    Column(("evaluation", "execution", "weight"), "预算执行率分值", core=False, width=10),
    Column(("evaluation", "execution", "rate"), "执行率（填报）", core=False, width=10),
    Column(("evaluation", "execution", "score"), "预算执行率得分（填报）", core=False, width=10),
    Column(("evaluation", "achieved"), "实际完成情况", width=40),
    Column(("evaluation", "total_score"), "总分（填报）", core=False, width=10),
]
INDICATOR_FIELDS = ("evaluated_target", "actual", "weight", "score", "tier", "deviation")
