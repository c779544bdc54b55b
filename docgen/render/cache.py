"""The templates of one render, each read and prepared once (`DocxForm`, `XlsxForm`)
and then rendered for every form that uses it.

Prepared templates are also kept between renders in the same thread, by file content and
stamp: a batch worker renders unit after unit of the same year, a library caller renders
again after a correction.  An edited template has other content and is prepared anew.
Per thread, because a prepared Word template renders by swapping its own body."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from docgen.render.docx import DocxForm
from docgen.render.xlsx import XlsxForm

F = TypeVar("F", DocxForm, XlsxForm)

_KEPT = 16  # prepared templates a thread keeps (a form system has a handful)
_MEMO_LIMIT = 1024  # rendered headers, footers and properties a DocxForm remembers
_threads = threading.local()


def _prepared(kind: type[F], template: Path, stamp: datetime) -> F:
    try:
        digest = hashlib.sha256(template.read_bytes()).digest()
    except OSError:
        return kind(template, stamp)  # names what is wrong with the file
    kept: dict[tuple[Any, ...], Any] = _threads.__dict__.setdefault("kept", {})
    key = (kind, str(template.resolve()), digest, stamp)
    form = kept.pop(key, None)
    if form is None:
        form = kind(template, stamp)
        while len(kept) >= _KEPT:
            del kept[next(iter(kept))]
    elif isinstance(form, DocxForm) and len(form.rendered) > _MEMO_LIMIT:
        form.rendered.clear()
    kept[key] = form  # most recently used last
    return form


class Templates:
    """Prepared templates by file, for one stamp (the render's date)."""

    def __init__(self, stamp: datetime):
        self.stamp = stamp
        self._docx: dict[Path, DocxForm] = {}
        self._xlsx: dict[Path, XlsxForm] = {}

    def docx(self, template: Path, context: dict[str, Any]) -> bytes:
        if template not in self._docx:
            self._docx[template] = _prepared(DocxForm, template, self.stamp)
        return self._docx[template].render(context)

    def xlsx(self, template: Path, context: dict[str, Any]) -> bytes:
        if template not in self._xlsx:
            self._xlsx[template] = _prepared(XlsxForm, template, self.stamp)
        return self._xlsx[template].render(context)
