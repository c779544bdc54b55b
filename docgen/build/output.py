"""Stage 6: write rendered files atomically, and keep the folder's manifest true.

Everything is rendered in memory first; only then is each file written to a
temporary name beside its target, flushed to disk and renamed over it, so a
failure or an interruption never leaves a half-written form or damages the
previous one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.build.record import MANIFEST_NAME, Entry, Manifest, Plan, _disk_hash, clean_temporaries, sha256, source_path, temp_prefix
from docgen.errors import OutputError
from docgen.model.names import MAX_NAME_BYTES
from docgen.version import __version__


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, flush it and rename it over
    `target`.  The file gets the mode a plain write would give it (0o666 less the
    umask; mkstemp's own is 0600), or keeps the mode of the file it replaces."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=target.suffix, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                if hasattr(os, "fchmod"):
                    os.fchmod(fh.fileno(), mode)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(target, exc.strerror or str(exc)) from exc


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder (`flock` on the folder itself, so no
    lock file appears among the outputs); a second render into the same folder waits
    here until the first has written everything.  Where the system has no `flock`
    (Windows) or the file system refuses it, renders are not serialised."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only file system, a folder without write permission, a file in the way
        raise OutputError(folder, exc.strerror or str(exc)) from exc
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError(folder, exc.strerror or str(exc)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # e.g. a network file system without flock
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def _check_names(folder: Path, names: list[str]) -> None:
    """Refuse, before anything is written, a name no file system can hold."""
    for name in names:
        for part in Path(name).parts:
            if len(part.encode("utf-8")) > MAX_NAME_BYTES:
                raise OutputError(folder / name, f"文件名超过 {MAX_NAME_BYTES} 字节（UTF-8），无法保存；未写入任何文件")


def write_outputs(
    folder: Path,
    manifest: Manifest | None,
    todo: Plan,
    inputs: dict[str, str],
    files: dict[str, bytes],
    source: Path,
    source_text: str,
    owner: tuple[str, int] | None = None,
) -> None:
    """Carry out `todo`: write `files` (name -> bytes), delete the removed files, and
    record it all in the manifest.  Before the first file is touched the manifest lists
    both the old and the new bytes hash of every file about to change, so whatever
    point a render is interrupted at, the next one still recognises every file; when
    a write fails (or is interrupted by an exception) the manifest is rewritten to
    record only what was written.

    The folder is locked while this runs: a second render into it waits, then builds
    on the manifest the first one left."""
    _check_names(folder, [*files, *todo.removed])
    if not files and not todo.removed and manifest is not None:
        final = {name: entry for name, entry in manifest.files.items()}
        for name in todo.unchanged:
            final[name] = Entry(inputs[name], todo.disk[name])
        if manifest.dumps() == Manifest(final, str(source), source_text, __version__, owner, source_path(source)).dumps():
            return
    with folder_lock(folder):
        current = Manifest.read(folder)
        if current is not None and (manifest is None or current.dumps() != manifest.dumps()):
            manifest = current  # another render finished while this one rendered
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
            entry = old.get(name)
            if entry is not None and entry.output != todo.disk[name] and _disk_hash(folder / name) == entry.output:
                final[name] = entry  # rewritten by the render that finished meanwhile
            else:
                final[name] = Entry(inputs[name], todo.disk[name])
        done = Manifest(final, str(source), source_text, __version__, owner, source_path(source)).dumps()
        if not files and not todo.removed and manifest is not None and manifest.dumps() == done:
            return
        target = folder / MANIFEST_NAME
        clean_temporaries(folder)
        written_names: set[str] = set()
        removed_names: set[str] = set()
        try:
            if files or todo.removed:
                write_atomic(target, Manifest(pending, str(source), source_text, __version__, owner, source_path(source)).dumps())
            for name, data in files.items():
                write_atomic(folder / name, data)
                written_names.add(name)
            for name in todo.removed:
                try:
                    (folder / name).unlink(missing_ok=True)
                except OSError as exc:
                    raise OutputError(folder / name, exc.strerror or str(exc)) from exc
                removed_names.add(name)
        except BaseException:
            _record_what_was_written(folder, manifest, old, pending, final, files, todo, written_names, removed_names, source, source_text, owner)
            raise
        write_atomic(target, done)


def _record_what_was_written(
    folder: Path,
    manifest: Manifest | None,
    old: dict[str, Entry],
    pending: dict[str, Entry],
    final: dict[str, Entry],
    files: dict[str, bytes],
    todo: Plan,
    written: set[str],
    removed: set[str],
    source: Path,
    source_text: str,
    owner: tuple[str, int] | None = None,
) -> None:
    """After a failed write: a manifest of the folder as it is.  A file written gets its
    new entry; one not reached keeps its old entry (none when it is new and absent); one
    whose write may or may not have landed keeps both hashes (the pending entry)."""
    truth = {name: entry for name, entry in old.items() if name not in removed}
    for name in files:
        if name in written:
            truth[name] = final[name]
        elif (folder / name).exists() and name in pending:
            truth[name] = pending[name]
    for name in todo.unchanged:
        truth[name] = final[name]
    if not written and not removed and manifest is not None:
        record = Manifest(truth, manifest.source_name, manifest.source_text, manifest.docgen, manifest.owner, manifest.source_path)
    else:
        record = Manifest(truth, str(source), source_text, __version__, owner, source_path(source))
    try:
        write_atomic(folder / MANIFEST_NAME, record.dumps())
    except OutputError:
        pass  # the pending manifest stays: it still recognises every file
