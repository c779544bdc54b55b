"""The 说明 sheet: how to fill the workbook in, sheet by sheet and column by column, in
the words of the unit file's schema (field titles and descriptions)."""

from __future__ import annotations

from typing import Any

from docgen.inputs.entrybook import columns as c
from docgen.inputs.entrybook.notes import HOW_TEXT

_INTRO = [
    ("docgen 单位数据工作簿", None, None),
    (
        None,
        None,
        "每个单位、每个年度一个工作簿。填好后运行：docgen render 本文件.xlsx（生成 Word、Excel 表单与汇总表）；"
        "docgen check 本文件.xlsx 只检查。出错时提示会指出工作表和单元格，如「指标!F12」。",
    ),
    (
        None,
        None,
        "「项目」表每行一个项目；「申报表」「自评表」「部门预算项目」等列填「是」表示生成该表。"
        "「指标」表每行一个指标，用「项目序号」（或项目名称）指明所属项目，同一项目的指标按行的先后排列。",
    ),
    (
        None,
        None,
        "金额填数字（可带千分位）；日期可写 2023-12-31、2023/12/31、2023年12月31日 等，只写年月（2023年12月）时开始日期取该月第一天、"
        "完成日期取最后一天。文字列是「文本」格式：以 = 开头的指标值（如 =100%）照样作为文字保存。"
        "带下拉箭头的单元格请从列表中选择；表头单元格的批注说明该列的含义。不要改动表头文字和工作表名称。",
    ),
    (None, None, None),
    ("工作表", "列 / 字段", "说明"),
]
EXTRA_INTRO = (
    "「其他栏目」表写表单上印出、而上面各表没有的栏目（如填报日期、项目类别）：每行一栏，填所属项目的项目序号（或项目名称）、"
    "栏目名称和内容，同一项目的栏目按行的先后排列；项目序号和项目名称都不填的，是整个单位的栏目。印不印、印在哪里由表单模板决定。"
)
LABEL_INTRO = (
    "「表单标签」表改写表单上印的标签文字：每行一个，「标签」填版本原来印的文字（如 项目总体目标），「改印为」填要印的文字；"
    "项目序号和项目名称都不填的改写整个单位的表单，填了的只改该项目的表单。"
)
HELP_HEADING = "工作表"  # the first cell of the table's heading row


def brief(note: str) -> str:
    """A header's note as the 说明 sheet lists it: without the text columns' typing hint,
    which its introduction gives once."""
    return note.replace(f"；{HOW_TEXT}", "").replace(f"{HOW_TEXT}；", "").replace(HOW_TEXT, "填文字")


def help_rows(sheets: list[str], unit_rows: list[tuple[str, str]], tables: dict[str, list[tuple[str, str]]]) -> list[tuple[Any, ...]]:
    """The 说明 sheet's rows: the introduction, then (sheet, column, its note) for the
    单位 sheet's `unit_rows` and every column of `tables` (sheet -> (header, note))."""
    rows: list[tuple[Any, ...]] = list(_INTRO)
    if c.EXTRA_SHEET in sheets:  # before the blank row and the table's heading
        rows[-2:-2] = [(None, None, EXTRA_INTRO)]
    if c.LABEL_SHEET in sheets:
        rows[-2:-2] = [(None, None, LABEL_INTRO)]
    rows += [(c.UNIT_SHEET, header, brief(text)) for header, text in unit_rows]
    rows.append((c.UNIT_SHEET, c.VERSION_ROW + "…", "该表单使用的版本（不填则用默认版本）"))
    for sheet, columns in tables.items():
        rows += [(sheet, header, brief(text)) for header, text in columns]
    for sheet in sheets:
        if sheet not in (c.HELP_SHEET, c.LISTS_SHEET, c.UNIT_SHEET, c.PROJECT_SHEET, c.INDICATOR_SHEET, *tables):
            rows.append(
                (sheet, "类别 / 分项序号 / 内容", "部门整体绩效目标第一部分：每行一条，编号（一、1、）自动生成；子目标的分项序号指其所属的分项绩效目标")
            )
    return rows
