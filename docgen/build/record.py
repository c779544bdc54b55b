"""What a render left in its output folder, and what the next render may do there.

`.docgen-manifest.json` records, for every file docgen wrote into the folder, a hash
of its inputs (the data that feeds it, its template, the docgen version) and a hash
of the bytes written, plus the unit file's text (so `docgen diff` can compare a
corrected file with what was last rendered).  From it a render decides, before it
writes anything, which files are new, changed, unchanged or gone, and which were
edited by hand since (those it refuses to overwrite unless forced).

While a render writes, the manifest also lists each file's previous bytes hash: an
interrupted render leaves every file either old or new, and both count as
docgen's own on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from docgen.errors import EditedFilesError, FolderOwnerError, OutputError, RecordError, SourceOwnerError

MANIFEST_NAME = ".docgen-manifest.json"
TEMP_PREFIX = ".docgen-tmp-"  # temporary files of an atomic write; a killed render may leave one
_OWNER = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-")  # `.docgen-tmp-<pid>-…`: the process writing it
FORMAT = 1
# The record holds the unit file's text (at most 50 MB, `loader.MAX_FILE_BYTES`) and a
# line per file written: anything much bigger was not written by docgen.
MAX_RECORD_BYTES = 128 * 1024 * 1024


def inside(folder: Path, name: str) -> bool:
    """Is `name` (from a record) a file inside `folder`, symlinks resolved?  Never an
    absolute path, a drive, `..`, a NUL, or a link that leads out of the folder."""
    if not name or "\0" in name or "\\" in name:
        return False
    pure = PurePosixPath(name)
    if pure.is_absolute() or PureWindowsPath(name).drive or ".." in pure.parts or not pure.parts:
        return False
    try:
        base = folder.resolve()
        target = (folder / name).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return target != base and target.is_relative_to(base)


def _record_bytes(path: Path) -> bytes | None:
    """The record's bytes (None: there is none); a record that is a link, a FIFO, a
    device or far too big is refused without reading it."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if path.is_symlink():
            raise RecordError(path, "它是一个符号链接（docgen 只写普通文件）") from exc
        raise RecordError(path, f"无法读取（{exc.strerror}）") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RecordError(path, "它不是普通文件（是目录、管道、设备或套接字）")
        if info.st_size > MAX_RECORD_BYTES:
            raise RecordError(path, f"它有 {info.st_size / (1 << 20):,.0f} MB，docgen 写的记录不会超过 {MAX_RECORD_BYTES >> 20} MB")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= MAX_RECORD_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_RECORD_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_RECORD_BYTES:
            raise RecordError(path, f"它超过 {MAX_RECORD_BYTES >> 20} MB，docgen 写的记录不会这么大")
        return b"".join(chunks)
    except OSError as exc:
        raise RecordError(path, f"无法读取（{exc.strerror}）") from exc
    finally:
        os.close(fd)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts (Decimal and dates as text)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return sha256(text.encode("utf-8"))


@dataclass
class Entry:
    inputs: str
    output: str
    previous: tuple[str, ...] = ()  # bytes hashes of the version a pending render replaces

    def known(self, output: str) -> bool:
        """Bytes docgen wrote itself (now or in an interrupted render)?"""
        return output == self.output or output in self.previous


@dataclass
class Manifest:
    files: dict[str, Entry] = field(default_factory=dict)  # file name in the folder -> entry
    source_name: str = ""  # the unit file last rendered
    source_text: str = ""
    docgen: str = ""
    owner: tuple[str, int] | None = None  # whose folder it is: the unit's name and year (None: an older record)
    source_path: str = ""  # the unit file last rendered, absolute, links resolved ("" in an older record)

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The folder's manifest; None when there is none or it is not a record (then
        every existing file counts as not docgen's, so nothing is overwritten unforced).
        A record that names a file outside the folder, or that is no regular file, far
        too big or nested too deep, raises `RecordError`: it was damaged or planted."""
        path = folder / MANIFEST_NAME
        data = _record_bytes(path)
        if data is None:
            return None
        try:
            raw = json.loads(data.decode("utf-8"))
        except RecursionError as exc:
            raise RecordError(path, "它嵌套过深，不是 docgen 写的记录") from exc
        except ValueError:
            return None
        try:
            files = {str(name): Entry(str(e["inputs"]), str(e["output"]), tuple(str(p) for p in e.get("previous", ()))) for name, e in raw["files"].items()}
            source = raw.get("source") or {}
            owner = raw.get("owner")
            whose = (str(owner["unit"]), int(owner["year"])) if owner else None
            record = cls(files, str(source.get("file", "")), str(source.get("text", "")), str(raw.get("docgen", "")), whose, str(source.get("path", "")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        outside = [name for name in record.files if not inside(folder, name)]
        if outside:
            shown = "、".join(f"「{name[:80]}」" for name in outside[:3]) + (f" 等 {len(outside)} 个" if len(outside) > 3 else "")
            raise RecordError(path, f"它列出了输出目录以外的文件{shown}（docgen 只在输出目录中写文件）")
        return record

    def dumps(self) -> bytes:
        files = {}
        for name in sorted(self.files):
            e = self.files[name]
            files[name] = {"inputs": e.inputs, "output": e.output, **({"previous": list(e.previous)} if e.previous else {})}
        raw = {
            "format": FORMAT,
            "docgen": self.docgen,
            **({"owner": {"unit": self.owner[0], "year": self.owner[1]}} if self.owner else {}),
            "source": {"file": self.source_name, **({"path": self.source_path} if self.source_path else {}), "text": self.source_text},
            "files": files,
        }
        return (json.dumps(raw, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass
class Plan:
    """What a render does in its folder.  `write` = `added` + `changed`, in render order."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by hand, inputs unchanged: left as the user made it
    edited: list[str] = field(default_factory=list)  # edited by hand, to be replaced or removed: refused unless forced
    foreign: list[str] = field(default_factory=list)  # in the way but not written by docgen (or no manifest)
    stale: list[str] = field(default_factory=list)  # among `removed`: another format of a file written, inputs changed since
    outdated: list[str] = field(default_factory=list)  # left out of this render (-p, --only), inputs changed since: kept
    disk: dict[str, str] = field(default_factory=dict)  # bytes hash of each file on disk now

    @property
    def write(self) -> list[str]:
        return self.added + self.changed

    def settle(self, files: dict[str, bytes]) -> None:
        """Inputs can change without the bytes changing (1.50 written as 1.5, a docgen
        update that leaves a form alone): such a file stays as it is and counts as unchanged."""
        for name in [n for n in self.changed if self.disk.get(n) == sha256(files[n])]:
            self.changed.remove(name)
            self.unchanged.append(name)


def source_path(source: Path | str) -> str:
    """The unit file as the folder's record names its owner: absolute, links resolved (the
    same file reached by another relative path or through a link is the same file)."""
    try:
        return str(Path(source).resolve())
    except (OSError, RuntimeError):
        return str(Path(source).absolute())


def same_source(manifest: Manifest, source: Path) -> bool:
    """Did `source` render the folder last?  (An older record names the file only as it was given.)"""
    if manifest.source_path:
        return manifest.source_path == source_path(source)
    return not manifest.source_name or Path(manifest.source_name).name == Path(source).name


def check_owner(folder: Path, manifest: Manifest | None, owner: tuple[str, int], force: bool, source: Path | None = None, replace: bool = False) -> None:
    """Two units whose names make the same folder name (`上海市/中心`, `上海市:中心`) must not
    share it: rendering one would delete the other's forms.  Refused unless `force`.
    A folder belongs to one data file: another file of the same unit and year (a copy, a
    second file with other projects) is refused unless `replace`, since its render would
    delete the forms of the first file's projects it does not have."""
    if manifest is not None and manifest.owner is not None and manifest.owner != owner and not force:
        raise FolderOwnerError(folder, manifest.owner, owner)
    same_unit = manifest is not None and manifest.owner in (None, owner)
    if manifest is not None and source is not None and not replace and same_unit and manifest.files and not same_source(manifest, source):
        raise SourceOwnerError(folder, manifest.source_name or manifest.source_path, Path(source))


def _disk_hash(path: Path) -> str | None:
    """The bytes hash of an output on disk (None: there is none); a FIFO or device where an
    output goes is refused, never opened for reading (it would block, or never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(path, "这不是普通文件（是目录、管道、设备或套接字），docgen 不读取也不替换它；请移走它，或用 -o 输出到其他目录")
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as fh:
            return sha256(fh.read())
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)


def plan(folder: Path, manifest: Manifest | None, wanted: dict[str, str], expected: set[str], force: bool) -> Plan:
    """Decide, per file name, what to do.  `wanted` maps the files this render makes to
    their inputs hash (in render order); `expected` holds every file the whole unit
    makes, so a manifest entry outside it is a file the data no longer produces.
    A file edited by hand since docgen wrote it is kept when its inputs did not change;
    when they did (or the data no longer makes it, or docgen never wrote it) this raises
    `EditedFilesError` before anything is written, unless `force`."""
    files = manifest.files if manifest else {}
    result = Plan()
    for name, inputs in wanted.items():
        entry = files.get(name)
        on_disk = _disk_hash(folder / name)
        if on_disk is not None:
            result.disk[name] = on_disk
        if on_disk is None:
            (result.changed if entry else result.added).append(name)
        elif entry is None:
            result.foreign.append(name)
            result.changed.append(name)
        elif not entry.known(on_disk):
            if entry.inputs == inputs and not force:
                result.kept.append(name)
            else:
                result.edited.append(name)
                result.changed.append(name)
        elif on_disk == entry.output and entry.inputs == inputs:
            result.unchanged.append(name)
        else:
            result.changed.append(name)
    for name in sorted(set(files) - expected):
        on_disk = _disk_hash(folder / name)
        if on_disk is None:
            continue
        result.disk[name] = on_disk
        if not files[name].known(on_disk):
            result.edited.append(name)
        result.removed.append(name)
    if (result.edited or result.foreign) and not force:
        raise EditedFilesError(folder, result.edited, result.foreign)
    return result


def temp_prefix() -> str:
    """The prefix of this process's temporary files: it names the owner."""
    return f"{TEMP_PREFIX}{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def clean_temporaries(folder: Path) -> None:
    """Remove temporary files a killed render left behind (never a finished output, and
    never the temporary file of a render still running: its name holds its process id)."""
    if folder.is_dir():
        for stale in folder.glob(TEMP_PREFIX + "*"):
            owner = _OWNER.match(stale.name)
            if owner is not None and _alive(int(owner.group(1))):
                continue
            if stale.is_file():
                stale.unlink(missing_ok=True)
