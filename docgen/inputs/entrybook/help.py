"""The 说明 sheet: how to fill the workbook in, sheet by sheet and column by column, in
the words of the unit file's schema (field titles and descriptions)."""

from __future__ import annotations

from typing import Any

from docgen.model.unit import Unit
from docgen.inputs.entrybook import columns as c

_INTRO = [
    ("docgen 单位数据工作簿", None, None),
    (None, None, "每个单位、每个年度一个工作簿。填好后运行：docgen render 本文件.xlsx（生成 Word、Excel 表单与汇总表）；"
     "docgen check 本文件.xlsx 只检查。出错时提示会指出工作表和单元格，如「指标!F12」。"),
    (None, None, "「项目」表每行一个项目；「申报表」「自评表」「部门预算项目」等列填「是」表示生成该表。"
     "「指标」表每行一个指标，用「项目序号」（或项目名称）指明所属项目，同一项目的指标按行的先后排列。"),
    (None, None, "金额填数字（可带千分位），日期填日期；以 = 开头的指标值（如 =100%）照样作为文字保存。"
     "带下拉箭头的单元格请从列表中选择；表头单元格的批注说明该列的含义。不要改动表头文字和工作表名称。"),
    (None, None, None),
    ("工作表", "列 / 字段", "说明"),
]


def help_rows(sheets: list[str], tables: dict[str, list[tuple[c.Column, Any]]]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = list(_INTRO)
    for column in c.UNIT_ROWS:
        rows.append((c.UNIT_SHEET, column.header, column.description(Unit)))
    rows.append((c.UNIT_SHEET, c.VERSION_ROW + "…", "该表单使用的版本（不填则用默认版本）"))
    for sheet, columns in tables.items():
        for column, model in columns:
            text = column.description(model) if model is not None else ""
            if column.path == ("#",):
                text = "项目的序号（1、2、3…）" if sheet == c.PROJECT_SHEET else "指标所属项目在「项目」表中的序号"
            elif column.path == ("#name",):
                text = "所属项目名称（只填序号时可不填；两者都填须一致）"
            elif column.path[0].startswith("#"):
                text = f"填「是」则为该项目生成{column.header}"
            rows.append((sheet, column.header, text))
    for sheet in sheets:
        if sheet not in (c.HELP_SHEET, c.LISTS_SHEET, c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET):
            rows.append((sheet, "类别 / 分项序号 / 内容", "部门整体绩效目标第一部分：每行一条，编号（一、1、）自动生成；子目标的分项序号指其所属的分项绩效目标"))
    return rows
