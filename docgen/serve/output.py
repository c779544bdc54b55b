"""The forms the page offers: rendered by `api.render_checked`, the same function as
`docgen render`, into a temporary folder, so a download is byte for byte what the
command writes for the same data; and a preview of a project's form as an HTML table
read from the rendered worksheet (its cells, merges and column widths)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from docgen.api import render_checked
from docgen.build.plan import RenderOptions
from docgen.check.checking import Checked
from docgen.registry.manifest import Registry

MEDIA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


@dataclass
class Made:
    name: str
    data: bytes

    @property
    def media(self) -> str:
        return MEDIA[Path(self.name).suffix.lower()]


def render(checked: Checked, registry: Registry, what: str, project: int | None = None, fmt: str = "") -> list[Made]:
    """`what`: "project" (the project's forms), "forms" (every form), "book" (the annual
    book) or "all" (forms and book); `fmt` docx, xlsx or pdf, or "" for docx and xlsx."""
    options = RenderOptions(
        forms=what in ("project", "forms", "all"),
        book=what in ("book", "all"),
        projects=(str(project + 1),) if project is not None else (),
        formats=(fmt,) if fmt else ("docx", "xlsx"),
        jobs=1,
    )
    with tempfile.TemporaryDirectory(prefix="docgen-serve-") as tmp:
        rendered = render_checked(checked, Path(tmp), registry, options)
        files = rendered.book if what == "book" else rendered.forms if what == "project" else rendered.files
        return [Made(p.name, p.read_bytes()) for p in files if not fmt or p.suffix.lower() == f".{fmt}"]


def zipped(made: list[Made]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for m in made:
            zf.writestr(m.name, m.data)
    return buf.getvalue()


def preview(made: Made) -> Markup:
    """The rendered worksheet of a form as an HTML table: each cell's text, merged cells
    as row/col spans, bold where the sheet is bold, widths from the sheet's columns."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(made.data))
    parts = []
    for sheet in book.worksheets:
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        hidden: set[tuple[int, int]] = set()
        for rng in sheet.merged_cells.ranges:
            spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
            hidden |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)} - {(rng.min_row, rng.min_col)}
        cols = sheet.max_column
        widths = [sheet.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, cols + 1)]
        total = sum(widths) or 1
        out = [f'<table class="sheet" aria-label="{escape(sheet.title)}"><colgroup>']
        out += [f'<col style="width:{w / total * 100:.1f}%">' for w in widths]
        out.append("</colgroup>")
        for r in range(1, sheet.max_row + 1):
            out.append("<tr>")
            for c in range(1, cols + 1):
                if (r, c) in hidden:
                    continue
                cell = sheet.cell(r, c)
                rs, cs = spans.get((r, c), (1, 1))
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                if cell.font is not None and cell.font.b:
                    attrs += ' class="b"'
                value = "" if cell.value is None else cell.value
                text = escape(_shown(value, cell.number_format)).replace("\n", Markup("<br>"))
                out.append(f"<td{attrs}>{text}</td>")
            out.append("</tr>")
        out.append("</table>")
        parts.append("".join(out))
    return Markup("".join(parts))


def _shown(value: object, number_format: str) -> str:
    from decimal import Decimal

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        if "%" in number_format:
            return f"{number * 100:.2f}%"
        if "0.00" in number_format:
            return f"{number:,.2f}" if "," in number_format else f"{number:.2f}"
        return str(value)
    return str(value)
