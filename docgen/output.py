"""Stage 6: write rendered files atomically, and keep the folder's manifest true.

Everything is rendered in memory first; only then is each file written to a
temporary name beside its target, flushed to disk and renamed over it, so a
failure or an interruption never leaves a half-written form or damages the
previous one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError
from .record import MANIFEST_NAME, TEMP_PREFIX, Entry, Manifest, Plan, clean_temporaries, sha256

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, limit: int = 80) -> str:
    """A file-name fragment that is valid on Windows, macOS and Linux."""
    name = _UNSAFE.sub("_", text).strip(" .") or "未命名"
    return name[:limit]


def write_atomic(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(target, exc.strerror or str(exc)) from exc


def write_outputs(
    folder: Path,
    manifest: Manifest | None,
    todo: Plan,
    inputs: dict[str, str],
    files: dict[str, bytes],
    source: Path,
    source_text: str,
) -> None:
    """Carry out `todo`: write `files` (name -> bytes), delete the removed files, and
    record it all in the manifest.  Before the first file is touched the manifest lists
    both the old and the new bytes hash of every file about to change, so whatever
    point a render is interrupted at, the next one still recognises every file."""
    from . import __version__

    old = manifest.files if manifest else {}
    final = {name: entry for name, entry in old.items() if name not in todo.removed}
    pending = dict(old)
    for name, data in files.items():
        written = sha256(data)
        before = old.get(name)
        previous = ((before.output, *before.previous) if before else ()) + ((todo.disk[name],) if name in todo.disk else ())
        pending[name] = Entry(inputs[name], written, tuple(dict.fromkeys(p for p in previous if p != written)))
        final[name] = Entry(inputs[name], written)
    for name in todo.unchanged:  # its inputs may have moved while its bytes did not
        final[name] = Entry(inputs[name], todo.disk[name])
    done = Manifest(final, str(source), source_text, __version__).dumps()
    if not files and not todo.removed and manifest is not None and manifest.dumps() == done:
        return
    target = folder / MANIFEST_NAME
    clean_temporaries(folder)
    if files or todo.removed:
        write_atomic(target, Manifest(pending, str(source), source_text, __version__).dumps())
    for name, data in files.items():
        write_atomic(folder / name, data)
    for name in todo.removed:
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(folder / name, exc.strerror or str(exc)) from exc
    write_atomic(target, done)
