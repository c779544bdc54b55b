"""The indicator table every form kind prints: a header row of labels, then one row per
indicator until the table ends (or a row the kind names, such as 总分)."""

from __future__ import annotations

from typing import Any

from .found import Found
from .grid import Row
from .labels import find, header, norm, pick


def read_indicators(found: Found, rows: list[Row], labels: dict[str, str], stop: str = "", start: int = 0) -> int | None:
    """Fill `found.project["indicators"]` from the table headed by `labels` (field -> label;
    the first is the 一级 column); returns the row of `stop` (e.g. 总分) if met."""
    first = next(iter(labels.values()))
    at = find(rows, first, start=start)
    if at is None:
        found.problems.append(f"找不到绩效指标表头（{'、'.join(labels.values())}）")
        return None
    columns = header(rows[at[0]], labels)
    indicators: list[dict[str, Any]] = found.project.setdefault("indicators", [])
    for r in range(at[0] + 1, len(rows)):
        row = rows[r]
        if stop and any(norm(c.text) == norm(stop) for c in row):
            return r
        sub = Found(found.form, found.kind, found.version)
        for key, column in columns.items():
            sub.put((key,), pick(row, column))
        name = sub.project.get("name")
        if not name or norm(name) == norm(labels.get("name", "")):
            continue  # a blank row, or the header repeated after a page break
        n = len(indicators)
        indicators.append(sub.project)
        found.cells.update({("indicators", n) + path: where for path, where in sub.cells.items()})
    return None
