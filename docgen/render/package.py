"""Make Office zip packages byte-for-byte reproducible.

Zip entries carry the time they were written and the core properties carry the
time of saving (openpyxl stamps `modified` itself), so the same data would give a
different file every run.  We pin both to a date derived from the data.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Callable

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize(data: bytes, stamp: datetime, rewrite: dict[str, Callable[[str], str]] | None = None) -> bytes:
    """Pin zip entry times and core dates to `stamp`; `rewrite` maps entry names to a
    function applied to that entry's XML text on the way (e.g. cached formula results)."""
    rewrite = rewrite or {}
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == _CORE:
                body = _DATES.sub(lambda m: m.group(1) + iso + m.group(3), body.decode("utf-8")).encode("utf-8")
            if info.filename in rewrite:
                body = rewrite[info.filename](body.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
