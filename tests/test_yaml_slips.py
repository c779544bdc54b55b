"""Every parser error in Chinese with its line and column (issue 27): a slip inside a
flow mapping (`- {name: 场次, target: >40场}`) is explained as the same slip in block
style is, and none of ruamel.yaml's English reaches the user (docgen/yaml_hints.py)."""

import re
from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.parse.load import load_text

QUOTE_GT = '值以 > 开头时请加引号，如 ">40场"（YAML 把值开头的 > 当作多行文字的标记）'

SLIPS = [
    # name, text, where (line, or line and column), the explanation after 语法错误：
    ("flow-mapping >", "projects:\n- {name: 场次, target: >40场}\n", "第 2 行第 22 列", QUOTE_GT),
    ("flow-sequence |", "a: [|x, 2]\n", "第 1 行第 5 列", '值以 | 开头时请加引号，如 "|说明"（YAML 把值开头的 | 当作多行文字的标记）'),
    ("block >", "target: >40场\nname: 场次\n", "第 1 行", '值以 > 或 = 开头时请加引号，如 "≥40场" / ">40场"（YAML 把值开头的 > 当作多行文字的标记）'),
    ("@", "name: @市民\n", "第 1 行第 7 列", '值以 @ 开头时请加引号，如 "@市民"（YAML 保留了 @，不能作值的开头）'),
    ("%", "rate: %90\n", "第 1 行第 7 列", '值以 % 开头时请加引号，如 "%90"'),
    (
        "colon in a value",
        "name: 说明: 见附件\n",
        "第 1 行第 9 列",
        '这里不应出现「: 」（冒号加空格）：值里含冒号时请给这个值加引号，如 "说明: 见附件"；或这一行的缩进与上一行的不一致',
    ),
    ("unclosed double quote", 'name: "甲\nyear: 1\n', "第 1 行第 7 列", "引号没有配对：这个值缺少结尾的引号"),
    ("unclosed single quote", "name: '甲\n", "第 1 行第 7 列", "引号没有配对：这个值缺少结尾的引号"),
    ("unclosed {", "a: {b: 1\n", "第 2 行第 1 列", "花括号 { } 里的各项之间应以逗号分隔，并以「}」结尾；值里含逗号或冒号时请给这个值加引号"),
    ("missing comma in {}", "a: {b: 1 c: 2}\n", "第 1 行第 11 列", "花括号 { } 里的各项之间应以逗号分隔，并以「}」结尾；值里含逗号或冒号时请给这个值加引号"),
    ("unclosed [", "a: [1, 2\n", "第 2 行第 1 列", "方括号 [ ] 里的各项之间应以逗号分隔，并以「]」结尾；值里含逗号时请给这个值加引号"),
    ("backslash", 'path: "C:\\d"\n', "第 1 行第 11 列", "双引号中的反斜杠 \\ 后面是不认识的字符：要写反斜杠本身请改用单引号，或写成 \\\\"),
    ("indentation", "a:\n  b: 1\n c: 2\n", "第 3 行第 2 列", "缩进不一致：这一行与同级的字段没有对齐（只能用空格缩进）"),
    ("list item indentation", "a:\n  b: 1\n - c\n", "第 3 行第 2 列", "列表项「- 」的缩进不对：同一列表的各项要对齐，且比它的字段名多缩进"),
    ("text after a quote", 'name: "甲" 乙\n', "第 1 行第 11 列", "这一行的值后面还有内容：引号外面不能再写文字，请把整个值放进引号里"),
    ("alias", "name: *甲\n", "第 1 行第 7 列", "别名「*甲」没有对应的锚点「&甲」：以 * 开头的值请给这个值加引号"),
    ("anchor", "name: &\n", "第 1 行第 8 列", "以 & 或 * 开头的值请给这个值加引号（YAML 把它们当作锚点或别名）"),
    ("two documents", "a: 1\n---\nb: 2\n", "第 2 行第 1 列", "文件中有「---」分隔的多份文档：一个单位数据文件只能有一份（删去多余的 ---）"),
    ("directive", "%YAML 1.2\n%YAML 1.2\n---\na: 1\n", "第 2 行第 1 列", "以 % 开头的行是 YAML 的指令：删去这一行；若是值，请给它加引号"),
    ("tab", "a:\n\tb: 1\n", "第 2 行", "这一行用 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（与上下行对齐）"),
    ("full-width colon", "unit：甲\n", "第 1 行", "「unit」后面用了全角冒号「：」；字段名后面应为半角冒号加空格，如 unit: 值"),
    ("JSON: missing comma", '{"a": 1 "b": 2}', "第 1 行第 12 列", "花括号 { } 里的各项之间应以逗号分隔，并以「}」结尾；值里含逗号或冒号时请给这个值加引号"),
    ("JSON: one } too many", '{"a": 1}}', "第 1 行第 9 列", "数据到这里已经结束，后面还有多余的内容（多了「}」或「]」？）：请删去"),
]

RUAMEL = re.compile(r"found|expected|while|scanning|parsing|token|scalar|mapping|block|stream|character", re.I)


@pytest.mark.parametrize("name, text, where, words", SLIPS, ids=[s[0] for s in SLIPS])
def test_every_slip_is_explained_in_chinese(name, text, where, words):
    with pytest.raises(InputError) as info:
        load_text(text, Path("本单位.yaml"))
    (problem,) = info.value.problems
    assert problem.located_text() == f"{where}：语法错误：{words}"
    line = int(where.split()[1])
    assert info.value.message().splitlines()[1] == f"  本单位.yaml:{line}: {where}：语法错误：{words}"
    assert not RUAMEL.search(info.value.message()), info.value.message()
