"""The template tag grammar, defined once for the Word adapter, the Excel adapter and
`docgen templates check`, so the checker reads a template exactly as the renderer does.

- `{{ expr }}` prints a value; in Excel, a cell that is exactly one `{{ expr }}` keeps
  numbers as numbers (`whole_expression`);
- `{%tr for x in items %}` … `{%tr endfor %}` repeat table rows per item (Word: docxtpl's
  own tag; Excel: marker rows, `row_loop` / `row_end`);
- `{%p for x in items %}` repeats a Word paragraph (docxtpl's own tag);
- `{% vmerge EXPR %}` merges a cell of a repeated row down while EXPR is 'continue'
  (Word: anywhere in the cell, `VMERGE`; Excel: at the start of the cell, `split_vmerge`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VMERGE = re.compile(r"{%\s*vmerge\s+((?:(?!%}).)+?)\s*%}")
_ROW_FOR = re.compile(r"^\s*{%\s*tr\s+for\s+(\w+)\s+in\s+(.+?)\s*%}\s*$")
_ROW_ENDFOR = re.compile(r"^\s*{%\s*tr\s+endfor\s*%}\s*$")
_CELL_VMERGE = re.compile(r"^\s*{%\s*vmerge\s+(.+?)\s*%}")
_WHOLE = re.compile(r"^\s*{{\s*((?:(?!}}).)+?)\s*}}\s*$", re.DOTALL)


def has_tags(text: str) -> bool:
    return "{{" in text or "{%" in text


def row_loop(texts: Iterable[object]) -> tuple[str, str] | None:
    """(variable, list expression) of a `{%tr for %}` marker in any cell of a row."""
    for text in texts:
        found = _ROW_FOR.match(text) if isinstance(text, str) else None
        if found:
            return found.group(1), found.group(2)
    return None


def row_end(texts: Iterable[object]) -> bool:
    """Does a cell of the row hold `{%tr endfor %}`?"""
    return any(isinstance(t, str) and _ROW_ENDFOR.match(t) for t in texts)


def split_vmerge(text: str) -> tuple[str | None, str]:
    """An Excel cell's `{% vmerge EXPR %}` prefix (EXPR or None) and the rest of its text."""
    found = _CELL_VMERGE.match(text)
    return (found.group(1), text[found.end() :]) if found else (None, text)


def whole_expression(text: str) -> str | None:
    """EXPR when the cell is exactly `{{ EXPR }}` (and EXPR applies no filter): the cell
    then takes the value itself, not its text."""
    found = _WHOLE.match(text)
    return found.group(1) if found and "|" not in found.group(1) else None


def sheet_source(rows: Iterable[list[object]]) -> str:
    """An Excel sheet's cells as the one Jinja source the Excel adapter renders: row loops
    as for-blocks, vmerge prefixes as expressions (for `templates check`)."""
    lines = []
    for texts in rows:
        loop = row_loop(texts)
        if loop:
            lines.append("{% for " + loop[0] + " in " + loop[1] + " %}")
        elif row_end(texts):
            lines.append("{% endfor %}")
        else:
            for text in (t for t in texts if isinstance(t, str)):
                merge, rest = split_vmerge(text)
                lines.append(("{{ " + merge + " }}" if merge else "") + rest)
    return "\n".join(lines)
