"""Make Office zip packages byte-for-byte reproducible, and write them fast.

Zip entries carry the time they were written and the core properties carry the
time of saving (openpyxl stamps `modified` itself), so the same data would give a
different file every run.  We pin both to a date derived from the data.

The package is written by `write_zip`, which lays out exactly the bytes
`zipfile.ZipFile.writestr` does (deflated, entry time 1980-01-01, mode 0644) but
takes each entry already compressed: the parts a template's forms share (styles,
theme, settings, …) are deflated once per process (`Entry.of` keeps them), not once
per form.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")

# What zipfile writes for a ZipInfo(name, date_time=_ZIP_TIME), ZIP_DEFLATED, mode 0644.
_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1
_VERSION = 20  # zipfile.DEFLATED_VERSION
_SYSTEM = 0 if sys.platform == "win32" else 3
_EXTERNAL = 0o644 << 16
_UTF8_NAME = 0x800
_CACHE_LIMIT = 256  # compressed parts kept per process
_CACHE_BODY_LIMIT = 1 << 20  # larger parts are not kept


@dataclass(frozen=True)
class Entry:
    """One zip member, already deflated."""

    name: str
    crc: int
    size: int
    data: bytes

    _cache = {}  # type: ignore[var-annotated]  # (name, crc, size) -> (body, Entry)

    @classmethod
    def of(cls, name: str, body: bytes) -> Entry:
        """`body` deflated as zipfile does it; a body seen before is not compressed again."""
        crc = zlib.crc32(body)
        key = (name, crc, len(body))
        hit = cls._cache.get(key)
        if hit is not None and hit[0] == body:
            return hit[1]
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        entry = cls(name, crc, len(body), compressor.compress(body) + compressor.flush())
        if len(body) > _CACHE_BODY_LIMIT:
            return entry  # a book's body: made once
        if len(cls._cache) >= _CACHE_LIMIT:
            cls._cache.pop(next(iter(cls._cache)))
        cls._cache[key] = (body, entry)
        return entry


def write_zip(entries: Iterable[Entry]) -> bytes:
    """The zip of `entries`, byte-identical to writing each with `zipfile.writestr`."""
    out = io.BytesIO()
    directory = []
    for entry in entries:
        try:
            name, flags = entry.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = entry.name.encode("utf-8"), _UTF8_NAME
        offset = out.tell()
        fields = (flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(name))
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\003\004", _VERSION, 0, *fields, 0))
        out.write(name)
        out.write(entry.data)
        directory.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", _VERSION, _SYSTEM, _VERSION, 0, *fields, 0, 0, 0, 0, _EXTERNAL, offset) + name)
    start = out.tell()
    for record in directory:
        out.write(record)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(directory), len(directory), size, start, 0))
    return out.getvalue()


def pin_core_dates(body: bytes, stamp: datetime) -> bytes:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return _DATES.sub(lambda m: m.group(1) + iso + m.group(3), body.decode("utf-8")).encode("utf-8")


def normalize(
    data: bytes,
    stamp: datetime,
    rewrite: dict[str, Callable[[str], str]] | None = None,
    raw: dict[str, Callable[[bytes], bytes]] | None = None,
    entries: dict[str, Entry] | None = None,
) -> bytes:
    """Pin zip entry times and core dates to `stamp`; `rewrite` maps entry names to a
    function applied to that entry's XML text on the way (e.g. cached formula results),
    `raw` to one applied to its bytes first; `entries` replaces entries outright."""
    rewrite, raw, ready = rewrite or {}, raw or {}, entries or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = []
    for info in src.infolist():
        if info.filename in ready:
            out.append(ready[info.filename])
            continue
        body = src.read(info.filename)
        if info.filename == _CORE:
            body = pin_core_dates(body, stamp)
        if info.filename in raw:
            body = raw[info.filename](body)
        if info.filename in rewrite:
            body = rewrite[info.filename](body.decode("utf-8")).encode("utf-8")
        out.append(Entry.of(info.filename, body))
    return write_zip(out)
