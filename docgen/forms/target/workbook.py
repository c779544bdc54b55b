"""The 申报表's columns in the data-entry workbook (项目 sheet)."""

from docgen.inputs.entrybook.columns import Column


def _d(*path: str) -> tuple[str, ...]:
    return ("declaration", *path)


COLUMNS = [
    Column(_d("nature"), "项目性质", width=16, note="申报表「项目性质」栏，如经常性专项业务费"),
    Column(_d("category"), "项目类别", width=14, note="申报表「项目类别」栏，如特定目标类"),
    Column(_d("start"), "计划开始日期", width=12),
    Column(_d("end"), "计划完成日期", width=12),
    Column(_d("government_purchase"), "是否含有政府购买服务", core=False, note="项目是否含有政府购买服务：是或否"),
    Column(_d("performance_type"), "绩效类型", core=False, note="申报表「绩效类型」栏，如其他类"),
    Column(_d("overview"), "项目概况", core=False, width=40),
    Column(_d("basis"), "立项依据", core=False, width=40),
    Column(_d("necessity"), "项目设立的必要性", core=False, width=40),
    Column(_d("safeguards"), "保证项目实施的制度、措施", core=False, width=40),
    Column(_d("plan"), "项目实施计划", core=False, width=40),
    Column(_d("funds", "project_total"), "项目资金总额", width=16),
    Column(_d("funds", "project_fiscal"), "项目资金：其中财政资金", width=16),
    Column(_d("funds", "project_other"), "项目资金：其他资金", width=16),
    Column(_d("funds", "annual_total"), "年度资金申请总额", width=16),
    Column(_d("funds", "annual_fiscal"), "年度资金：其中当年财政拨款", width=16),
    Column(_d("funds", "annual_carryover"), "年度资金：上年结转资金", width=16, note="年度资金申请总额中上年结转的部分"),
    Column(_d("funds", "annual_other"), "年度资金：其他资金", width=16),
    Column(_d("funds", "last_year_budget"), "同名项目上年预算额", core=False, width=16),
    Column(_d("funds", "last_year_executed"), "同名项目上年预算执行数", core=False, width=16),
    # 湖南 (hunan-2023): 项目支出实施期, 该项目支出上级资金, 财政部门审核意见
    Column(_d("period"), "项目支出实施期", core=False, width=16, note="申报表「项目支出实施期」栏，如 2023.07-2024.01"),
    Column(_d("funds", "annual_superior"), "该项目支出上级资金", core=False, width=16),
    Column(_d("review"), "财政部门审核意见", core=False, width=40),
]
INDICATOR_COLUMNS = (Column(("standard",), "绩效标准", core=False, width=12),)  # the indicator column its fragment adds
