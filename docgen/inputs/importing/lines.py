"""The lines outside a form's table: what a form prints as 「label：value」 above or below
its table (「单位名称：区商务局　　填报日期：2021年4月22日」 over it, 「填表人：张三　　联系电话：123」
under it), as Word paragraphs, a PDF's text or a sheet's rows, split into one part per
label.  A version declares the fields it prints so (`read: lines:` in the manifest);
`sign_off` reads them, and refuses, naming its place, what such a line carries that is
no declared label's value (an unknown label, a value after no label)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from docgen.inputs.importing.grid import FormText, Row
from docgen.inputs.importing.labels import norm, squeeze
from docgen.model.formatting import excerpt
from docgen.registry.manifest import Labels

GAP = re.compile(r"[ \t\u3000]{2,}|\u3000")  # what separates two label-and-value pairs typed on one line
NEXT_LABEL = re.compile(r"\s+(?=[^\s:：]{1,12}[:：])")  # … a PDF's text keeps one space of the gap: 「区商务局 填报日期：…」
_PAIR = re.compile(r"^(?P<label>[^\s:：]{1,12}?)\s*[:：](?P<value>.*)$", re.DOTALL)
_PROSE = re.compile(r"[。；;！？!?]")  # a note or a sentence (备注：1.…。), not a label and its value


@dataclass(frozen=True)
class Part:
    """One piece of a line: 「填表人：张三」 (label 填表人, value 张三), or a text after no colon."""

    text: str
    where: str
    col: int
    label: str | None  # the normalised label before the colon; None when there is none
    value: str


Line = list[Part]


def parts(text: str, where: str, col: int = 0) -> Line:
    """`text` cut at the gaps between pairs and before each label typed after a space."""
    out = []
    for piece in (p.strip() for gap in GAP.split(text) for p in NEXT_LABEL.split(gap)):
        if not piece:
            continue
        pair = _PAIR.match(piece)
        label = norm(pair.group("label")) if pair and not _PROSE.search(piece) else None
        out.append(Part(piece, where, col, label or None, pair.group("value").strip() if pair and label else piece))
    return out


@lru_cache(maxsize=64)
def _spaced(wanted: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"\s+(?=(?:{names})\s)"), re.compile(rf"^(?P<label>{names})\s+(?P<value>\S.*)$", re.DOTALL)


def _colonless(line: Line, wanted: frozenset[str]) -> Line:
    """A wanted label typed with a space and no colon (「填表人 张三 联系电话 123」) read as
    its pair: the value a clerk typed after it is not lost."""
    if not wanted:
        return line
    split, head = _spaced(wanted)
    out = []
    for part in line:
        if part.label is not None or _PROSE.search(part.text):
            out.append(part)
            continue
        for piece in split.split(part.text):
            pair = head.match(piece)
            out.append(
                Part(piece, part.where, part.col, pair.group("label"), pair.group("value").strip()) if pair else Part(piece, part.where, part.col, None, piece)
            )
    return out


def _shaped(line: Line) -> bool:
    """A line of label-and-value pairs only (no note, no sentence)."""
    return bool(line) and all(p.label is not None for p in line)


def _carries(line: Line, wanted: frozenset[str]) -> bool:
    return any(p.label in wanted or norm(p.text) in wanted for p in line)


def _run(lines: Iterable[Line], wanted: frozenset[str]) -> list[Line]:
    """The lines next to the table (`lines` nearest first) while they are label-and-value
    lines or carry a wanted label: a title or a note ends the sign-off block."""
    out = []
    for line in lines:
        if not (_shaped(line) or _carries(line, wanted)):
            break
        out.append(line)
    return out


def around(form: FormText, wanted: frozenset[str] = frozenset()) -> tuple[list[Line], list[Line]]:
    """The label-and-value lines just above the table (the preamble's last ones) and just
    below it (the first paragraphs after it; in a book the next form's title ends them)."""
    above = [_colonless(parts(t, f"{form.label} 上方第 {n} 段文字"), wanted) for n, t in enumerate(form.preamble, start=1)]
    below = [_colonless(parts(t, f"{form.label} 下方第 {n} 段文字"), wanted) for n, t in enumerate(form.after, start=1)]
    return _run(reversed(above), wanted), _run(below, wanted)


def _row_line(row: Row, wanted: frozenset[str]) -> Line:
    return _colonless([p for cell in row if cell.text.strip() for p in parts(cell.text, cell.where, cell.col)], wanted)


def _grid_lines(rows: list[Row], wanted: frozenset[str]) -> tuple[list[Line], list[Line]]:
    """The rows of the grid that carry a wanted label (a sheet's sign-off row, a sign-off
    typed into the table), and the other label-and-value rows of the block that ends it
    (blank rows skipped)."""
    carrying = []
    for row in rows:
        if any(w in squeeze(cell.text) for cell in row if cell.text for w in wanted):
            line = _row_line(row, wanted)
            if _carries(line, wanted):
                carrying.append(line)
    others = []
    for row in reversed(rows):
        if not any(c.text.strip() for c in row):
            continue
        line = _row_line(row, wanted)
        if not (_shaped(line) or _carries(line, wanted)):
            break
        if not _carries(line, wanted):
            others.append(line)
    return carrying, others[::-1]


def trailing(rows: list[Row]) -> int:
    """How many of the grid's last rows are label-and-value lines (blank ones among them):
    a sheet's sign-off rows under its table."""
    n = 0
    for row in reversed(rows):
        if any(c.text.strip() for c in row) and not _shaped(_row_line(row, frozenset())):
            break
        n += 1
    return n


def _unknown(part: Part, known: str) -> str:
    return f"{part.where}「{excerpt(part.text)}」：「{part.label}」不是本表签署栏的项目，无法读入（本版本的签署栏：{known}）"


def sign_off(form: FormText, declared: dict[str, Labels]) -> tuple[dict[str, Part], list[str]]:
    """The declared fields found on the lines outside the table and in the grid's rows
    that carry their labels (dotted field -> the part holding its value), and the problems
    of those lines: a label no field declares beside them, a text after no label, a label
    printed twice with different values, or a label-and-value line in the block under the
    table that is none of the version's (a line above it may be anything: 金额单位：万元)."""
    field_of = {norm(label): dotted for dotted, labels in declared.items() for label in labels}
    wanted = frozenset(field_of)
    known = "、".join(labels[0] for labels in declared.values())
    above, below = around(form, wanted)
    carrying, others = _grid_lines(form.rows, wanted)
    found: dict[str, Part] = {}
    problems: list[str] = []
    for line in [*carrying, *reversed(above), *below, *others]:
        if not _carries(line, wanted):
            if line in below or line in others:  # under the table: a sign-off of labels the version has not
                problems += [_unknown(p, known) for p in line]
            continue
        n = 0
        while n < len(line):
            part = line[n]
            n += 1
            if part.label in wanted:
                label, value = part.label, part
            elif norm(part.text) in wanted:  # the label in its own cell, its value in the next
                label = norm(part.text)
                nxt = line[n] if n < len(line) and line[n].label is None and norm(line[n].text) not in wanted else None
                value = nxt if nxt is not None else Part(part.text, part.where, part.col, label, "")
                n += nxt is not None
            elif part.label is not None:
                problems.append(_unknown(part, known))
                continue
            else:
                problems.append(f"{part.where}「{excerpt(part.text)}」不在签署栏的任何标签之后，无法读入：请写在「标签：」之后（本版本的签署栏：{known}）")
                continue
            dotted = field_of[label]
            before = found.get(dotted)
            if before is None:
                found[dotted] = value
            elif before.value.strip() != value.value.strip():
                problems.append(
                    f"{value.where}「{label}」印了两处，内容不同：此处为「{excerpt(value.value) or '（空）'}」，{before.where} 为「{excerpt(before.value) or '（空）'}」：请删去其中一处"
                )
    return found, problems
