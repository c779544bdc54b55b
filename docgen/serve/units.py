"""The units of the served folder, each known to the page by an id, never by a path.

`Folder.listing()` is the only way from an id to a file: the id is a hash of the file's
name inside the folder, and a request's id is looked up among the files actually there,
so no text from the browser is ever joined to a path.  An opened unit (`Opened`) keeps
the data as the page edits it, the data it was read as and the file's `Stamp`; each
change is journalled in `FOLDER/.docgen-drafts/<id>.json` (written atomically), so a tab
or a server killed mid-edit loses nothing: the next open restores the draft."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.build.output import write_atomic
from docgen.check.checking import Checked, check_source
from docgen.errors import DocgenError, InputError
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.loader import load_file
from docgen.parse.text import LoadedFile
from docgen.registry.manifest import Registry
from docgen.serve.save import Stamp

UNIT_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)
DRAFTS = ".docgen-drafts"


def unit_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


@dataclass
class Entry:
    """One unit file of the folder as the list shows it."""

    id: str
    path: Path
    unit: str = ""
    year: str = ""
    forms: str = ""
    projects: int = 0
    errors: int = 0
    warnings: int = 0
    problem: str = ""  # why it cannot be read, in the CLI's words
    draft: bool = False


@dataclass
class Opened:
    id: str
    path: Path
    stamp: Stamp
    original: Any  # the data as read from the file
    data: Any  # the data as edited
    restored: bool = False  # the data came from a draft journal
    fields: tuple[Any, dict[str, Any], dict[str, str]] | None = None  # (shape, the form's inputs, their anchors) of the data as last seen
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def workbook(self) -> bool:
        return self.path.suffix.lower() in WORKBOOK_SUFFIXES


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": format(value, "f")}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def check_data(path: Path, data: Any, registry: Registry) -> Checked:
    """The data as the page holds it, checked exactly as `docgen check` checks a file
    (validation builds its own model objects and leaves the data as it is)."""
    return check_source(LoadedFile(path=path, data=data, lines={}), registry)


class Folder:
    def __init__(self, root: Path, registry: Registry):
        self.root = root.resolve()
        self.registry = registry
        self.opened: dict[str, Opened] = {}
        self._summaries: dict[tuple[str, int, int], Entry] = {}
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- listing

    def files(self) -> list[Path]:
        out = []
        for path in sorted(self.root.iterdir()):
            if path.name.startswith((".", "~$")) or not path.is_file() or path.is_symlink():
                continue
            if path.suffix.lower() in UNIT_SUFFIXES:
                out.append(path)
        return out

    def find(self, uid: str) -> Path | None:
        return next((p for p in self.files() if unit_id(p.name) == uid), None)

    def listing(self) -> list[Entry]:
        return [self._entry(p) for p in self.files()]

    def _entry(self, path: Path) -> Entry:
        st = path.stat()
        key = (path.name, st.st_mtime_ns, st.st_size)
        if key not in self._summaries:
            entry = Entry(unit_id(path.name), path)
            try:
                checked = _checked_file(path, self.registry)
                unit = checked.unit
                entry.unit, entry.year, entry.projects = unit.unit, str(unit.year), len(unit.projects)
                kinds: dict[str, Any] = {}
                for r in checked.reports:
                    kinds[f"{r.version.title} {r.version.version}"] = kinds.get(f"{r.version.title} {r.version.version}", 0) + 1
                entry.forms = "、".join(f"{k}（{n}）" for k, n in kinds.items())
                entry.errors, entry.warnings = checked.errors, checked.warnings
            except DocgenError as exc:
                entry.problem = exc.message()
            self._summaries[key] = entry
        entry = copy.copy(self._summaries[key])
        entry.draft = self.draft_path(entry.id).exists()
        return entry

    # ---------------------------------------------------------------- opening and drafts

    def draft_path(self, uid: str) -> Path:
        return self.root / DRAFTS / f"{uid}.json"

    def open(self, uid: str) -> Opened:
        """The unit `uid`, opened (once per server); raises KeyError if no such file."""
        path = self.find(uid)
        if path is None:
            raise KeyError(uid)
        with self._lock:
            if uid in self.opened and self.opened[uid].path == path:
                return self.opened[uid]
            stamp = Stamp.of(path)
            original = load_file(path).data
            opened = Opened(uid, path, stamp, original, copy.deepcopy(original))
            draft = self._read_draft(uid)
            if draft is not None and draft.get("file") == path.name:
                opened.data = _decode(draft["data"])
                opened.restored = True
                if draft.get("sha256") != stamp.sha256:
                    # Opened before the file changed on disk: the draft's base is kept, so saving shows the conflict.
                    opened.stamp = Stamp(0, 0, draft.get("sha256", ""))
                    opened.original = _decode(draft.get("original", draft["data"]))
            self.opened[uid] = opened
            return opened

    def reopen(self, uid: str) -> Opened:
        """Drop the page's edits and its draft; read the file again."""
        with self._lock:
            self.opened.pop(uid, None)
            self.draft_path(uid).unlink(missing_ok=True)
        return self.open(uid)

    def _read_draft(self, uid: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.draft_path(uid).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def journal(self, opened: Opened) -> None:
        """Keep the page's data beside the file: restored if the server or tab dies."""
        if opened.data == opened.original:
            self.draft_path(opened.id).unlink(missing_ok=True)
            return
        record = {"file": opened.path.name, "sha256": opened.stamp.sha256, "original": _encode(opened.original), "data": _encode(opened.data)}
        folder = self.root / DRAFTS
        folder.mkdir(exist_ok=True)
        write_atomic(self.draft_path(opened.id), json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def saved(self, opened: Opened, stamp: Stamp) -> None:
        opened.stamp = stamp
        opened.original = copy.deepcopy(opened.data)
        opened.restored = False
        self.draft_path(opened.id).unlink(missing_ok=True)


def _checked_file(path: Path, registry: Registry) -> Checked:
    return check_source(load_file(path), registry)


def input_problems(exc: DocgenError) -> list[tuple[tuple[Any, ...], str]]:
    """An unusable unit's problems as (field path, text)."""
    if isinstance(exc, InputError):
        return [(tuple(p.path), (f"{p.context}：" if p.context else "") + p.text) for p in exc.problems]
    return [((), exc.message())]
