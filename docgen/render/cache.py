"""The templates of one render, each read and prepared once (`DocxForm`, `XlsxForm`)
and then rendered for every form that uses it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .docx import DocxForm
from .xlsx import XlsxForm


class Templates:
    """Prepared templates by file, for one stamp (the render's date)."""

    def __init__(self, stamp: datetime):
        self.stamp = stamp
        self._docx: dict[Path, DocxForm] = {}
        self._xlsx: dict[Path, XlsxForm] = {}

    def docx(self, template: Path, context: dict[str, Any]) -> bytes:
        if template not in self._docx:
            self._docx[template] = DocxForm(template, self.stamp)
        return self._docx[template].render(context)

    def xlsx(self, template: Path, context: dict[str, Any]) -> bytes:
        if template not in self._xlsx:
            self._xlsx[template] = XlsxForm(template, self.stamp)
        return self._xlsx[template].render(context)
