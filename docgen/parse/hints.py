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
            return (f"值以 > 或 = 开头时请加引号，如 \"≥40场\" / \">40场\"（YAML 把值开头的 {sign} 当作多行文字的标记）", n)
    for n in window:
        if _TAB_INDENT.match(lines[n - 1]):
            return ("这一行用 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（与上下行对齐）", n)
    for n in range(at, 0, -1):
        found = _FULL_WIDTH_KEY.match(lines[n - 1])
        if found and ":" not in lines[n - 1][: found.end()]:
            return (f"「{found.group(1)}」后面用了全角冒号「：」；字段名后面应为半角冒号加空格，如 {found.group(1)}: 值", n)
    return None
