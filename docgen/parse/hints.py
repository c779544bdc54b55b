"""Slips a clerk makes in YAML, and the fix in words: the parser's own message names
what it met, a line or two after the slip; `hint` names the slip."""

from __future__ import annotations

import re

_BLOCK_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s#'\"][^:#]*:\s+([>|])(?![-+1-9]*\s*(?:#.*)?$)")
_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*：")
_TAB_INDENT = re.compile(r"^ *\t")


def hint(text: str, line: int | None) -> tuple[str, int | None] | None:
    """A Chinese explanation (and its line) of a YAML error at `line`, when the cause is
    a slip we recognise: `>`/`|` starting a value, a full-width colon after a key, a tab
    used for indentation."""
    lines = text.split("\n")
    if line is None or not lines:
        return None
    at = min(max(line, 1), len(lines))
    # The parser often notices a slip a line or two after it: look back a little.
    window = range(at, max(at - 3, 0), -1)
    for n in window:
        found = _BLOCK_VALUE.match(lines[n - 1])
        if found:
            sign = found.group(1)
            return (f'值以 > 或 = 开头时请加引号，如 "≥40场" / ">40场"（YAML 把值开头的 {sign} 当作多行文字的标记）', n)
    for n in window:
        if _TAB_INDENT.match(lines[n - 1]):
            return ("这一行用 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（与上下行对齐）", n)
    for n in range(at, 0, -1):
        found = _FULL_WIDTH_KEY.match(lines[n - 1])
        if found and ":" not in lines[n - 1][: found.end()]:
            return (f"「{found.group(1)}」后面用了全角冒号「：」；字段名后面应为半角冒号加空格，如 {found.group(1)}: 值", n)
    return None


# The parser's own problems (ruamel.yaml's scanner, parser and composer), in Chinese:
# (a pattern over its English problem, the explanation; {0} is the character it names).
_QUOTE_IT = "请给这个值加引号"
_PROBLEMS = (
    (r"found character '(.)' that cannot start any token", None),  # worded by `_start`
    (
        r"mapping values are not allowed here",
        "这里不应出现「: 」（冒号加空格）：值里含冒号时" + _QUOTE_IT + '，如 "说明: 见附件"；或这一行的缩进与上一行的不一致',
    ),
    (r"could not find expected ':'", "缺少「:」：字段名后面应为半角冒号加空格（如 name: 值）；若值有多行，后续行要比字段名多缩进"),
    (r"found unexpected end of stream", "引号或括号没有配对：缺少结尾的引号、「]」或「}」"),
    (r"found unknown escape character", "双引号中的反斜杠 \\ 后面是不认识的字符：要写反斜杠本身请改用单引号，或写成 \\\\"),
    (r"expected <block end>, but found '<scalar>'", "这一行的值后面还有内容：引号外面不能再写文字，请把整个值放进引号里"),
    (r"expected <block end>, but found '<block sequence start>'", "列表项「- 」的缩进不对：同一列表的各项要对齐，且比它的字段名多缩进"),
    (r"expected <block end>", "缩进不一致：这一行与同级的字段没有对齐（只能用空格缩进）"),
    (r"expected ',' or '\}'", "花括号 { } 里的各项之间应以逗号分隔，并以「}」结尾；值里含逗号或冒号时" + _QUOTE_IT),
    (r"expected ',' or '\]'", "方括号 [ ] 里的各项之间应以逗号分隔，并以「]」结尾；值里含逗号时" + _QUOTE_IT),
    (r"sequence entries are not allowed here", "这里不能开始列表项「- 」：列表项应另起一行，并与同一列表的其他项对齐"),
    (r"mapping keys are not allowed here", "这里不能出现「? 」：以 ? 开头的值" + _QUOTE_IT),
    (r"found undefined alias '?([^']*)", "别名「*{0}」没有对应的锚点「&{0}」：以 * 开头的值" + _QUOTE_IT),
    (r"found duplicate anchor", "锚点「&」重复定义：以 & 开头的值" + _QUOTE_IT),
    (r"expected alphabetic or numeric character", "以 & 或 * 开头的值" + _QUOTE_IT + "（YAML 把它们当作锚点或别名）"),
    (r"expected a comment or a line break", "这一行的值后面还有内容：" + _QUOTE_IT + "，或把其余内容移到下一行"),
    (r"expected chomping or indentation indicators", "值以 > 或 | 开头时" + _QUOTE_IT + '，如 ">40场"（YAML 把值开头的 > 和 | 当作多行文字的标记）'),
    (r"found undefined tag handle|expected URI|while parsing a tag|while scanning a tag", "以 ! 开头的值" + _QUOTE_IT + "（YAML 把它当作标签）"),
    (r"expected the node content", "这里缺少值：请补上值，或删去多余的符号"),
    (r"found unexpected ':'", "多余的「:」：值里含冒号时" + _QUOTE_IT),
    (
        r"found unexpected document separator|expected a single document|but found another document",
        "文件中有「---」分隔的多份文档：一个单位数据文件只能有一份（删去多余的 ---）",
    ),
    (r"directive", "以 % 开头的行是 YAML 的指令：删去这一行；若是值，请给它加引号"),
    (r"expected '<document start>'", "数据到这里已经结束，后面还有多余的内容（多了「}」或「]」？）：请删去"),
    (r"while scanning a simple key", "缺少「:」：字段名后面应为半角冒号加空格（如 name: 值）"),
)
_STARTS = {
    ">": '值以 > 开头时请加引号，如 ">40场"（YAML 把值开头的 > 当作多行文字的标记）',
    "|": '值以 | 开头时请加引号，如 "|说明"（YAML 把值开头的 | 当作多行文字的标记）',
    "@": '值以 @ 开头时请加引号，如 "@市民"（YAML 保留了 @，不能作值的开头）',
    "`": "值以 ` 开头时请加引号（YAML 保留了 `，不能作值的开头）",
    "%": '值以 % 开头时请加引号，如 "%90"',
    "\t": "这里用了 Tab 键：YAML 只能用空格缩进或分隔，请把 Tab 换成空格",
}


def unclosed_quote(problem: str | None, context: str | None) -> bool:
    """A quoted value that never closes: the parser's error is where the file ends, the
    slip where the quote opens (its context mark)."""
    return "quoted scalar" in str(context) and "escape" not in str(problem)


def explain(problem: str | None, context: str | None) -> str:
    """The parser's problem (and the context it was in) in Chinese; never its English."""
    if unclosed_quote(problem, context):  # the parser only noticed at the end of the file
        return "引号没有配对：这个值缺少结尾的引号"
    for text in (problem or "", context or ""):
        for pattern, words in _PROBLEMS:
            found = re.search(pattern, text)
            if found is None:
                continue
            if words is None:  # a character that cannot start a value
                sign = found.group(1)
                return _STARTS.get(sign, f"值以「{sign}」开头时请加引号")
            return words.format(*found.groups()) if found.groups() else words
    return "无法解析这一行：请检查引号是否配对、冒号后是否有空格、缩进是否与同级对齐"
