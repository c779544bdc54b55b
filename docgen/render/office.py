"""LibreOffice in headless mode: lays documents out to PDF, for the PDF outputs and to
learn on which page a heading lands.

One process converts a whole batch (`convert`); a layout split over the cores runs a
few at once (`convert_apart`).  Each run gets its own temporary user profile:
LibreOffice allows one process per profile, so a shared one would fail while a
desktop LibreOffice is open or when two renders run at once.  The fonts the
templates name (宋体, 仿宋, 黑体…) are mapped to installed CJK fonts through a
fontconfig file of the run's own, so no text comes out as boxes or in a sans face
where the form is printed in a serif one.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docgen.errors import DocgenError

TIMEOUT = 600  # seconds for one document; a 200-form book takes about 20
PER_FILE_TIMEOUT = 30  # seconds more per document of a batch
INSTALL = "sudo apt-get install libreoffice-writer libreoffice-calc fonts-noto-cjk"


class OfficeError(DocgenError):
    """LibreOffice is missing, failed or timed out."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def message(self) -> str:
        return f"LibreOffice：{self.text}"


def soffice() -> str | None:
    """The LibreOffice binary, or None: `$DOCGEN_SOFFICE` (empty disables it), else PATH."""
    configured = os.environ.get("DOCGEN_SOFFICE")
    if configured is not None:
        return configured or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def cjk_fonts() -> list[str]:
    """Installed font families that cover Chinese (fontconfig's view)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted({name.strip() for line in done.stdout.decode("utf-8", "replace").splitlines() for name in line.split(",") if name.strip()})


def fontconfig(fonts: dict[str, str]) -> str:
    rules = "".join(
        f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{escape(real)}</string></edit></match>\n'
        for name, real in fonts.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + rules + "</fontconfig>\n"
    )


_CREATED = re.compile(rb"/CreationDate\(D:[^)]*\)")
_IDS = re.compile(rb"/ID \[ <([0-9A-F]+)>\s*<([0-9A-F]+)> \]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-F]+)")


def normalize_pdf(pdf: bytes, stamp: datetime) -> bytes:
    """Pin what LibreOffice varies per run (creation time, file id, checksum) without
    moving a byte, so the cross-reference table stays valid."""

    def date(match: re.Match[bytes]) -> bytes:
        pinned = b"/CreationDate(D:" + stamp.strftime("%Y%m%d%H%M%S").encode() + b"Z')"
        return pinned if len(pinned) == len(match.group(0)) else match.group(0)

    def ids(value: bytes) -> Callable[[re.Match[bytes]], bytes]:
        return lambda m: b"/ID [ <" + value[: len(m.group(1))] + b">\n<" + value[: len(m.group(2))] + b"> ]"

    def checksum(value: bytes) -> Callable[[re.Match[bytes]], bytes]:
        return lambda m: b"/DocChecksum /" + value[: len(m.group(1))]

    pdf = _CREATED.sub(date, pdf)
    zeros = b"0" * 64
    blank = _CHECKSUM.sub(checksum(zeros), _IDS.sub(ids(zeros), pdf))
    digest = hashlib.md5(blank).hexdigest().upper().encode() * 2
    return _CHECKSUM.sub(checksum(digest), _IDS.sub(ids(digest), blank))


class Terminated(SystemExit):
    """SIGTERM arrived while LibreOffice was running: unwind (ending LibreOffice and
    removing its temporary folder) and exit as a terminated process would."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises `Terminated` instead of ending the process on
    the spot (which would leave soffice running and its temporary folder behind).  Only
    the main thread can install a handler, and only the default action is replaced (a
    program embedding docgen keeps its own handler); elsewhere the block runs unchanged
    and the `finally` clauses still end LibreOffice on every exception."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        if not fired:  # once: a second SIGTERM must not interrupt the cleaning up
            fired.append(signum)
            raise Terminated()

    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:  # ignored, or the embedding program's own
        yield
        return
    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the LibreOffice process and everything it started (its process group)."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break  # the group is gone
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # the leader has exited; give the rest of its group a moment, then check
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.05)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@dataclass
class _Run:
    """A LibreOffice conversion under way."""

    proc: subprocess.Popen[bytes]
    folder: Path
    names: list[str]
    sources: list[Path]
    timeout: int


@dataclass(frozen=True)
class Office:
    """A LibreOffice installation and the font map its conversions use."""

    binary: str
    fonts: dict[str, str] = field(default_factory=dict)  # family a template names -> installed family
    timeout: int = TIMEOUT
    parallel: int = 0  # LibreOffice processes a layout may run at once: 0 one per core (`-j`)

    def convert(self, files: dict[str, bytes], stamp: datetime | None = None) -> dict[str, bytes]:
        """Each .docx/.xlsx (name -> bytes) as PDF, all in one LibreOffice process."""
        if not files:
            return {}
        with _sigterm_raises():
            folder = Path(tempfile.mkdtemp(prefix="docgen-office-"))
            try:
                return self._convert(folder, files, stamp)
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    def _convert(self, folder: Path, files: dict[str, bytes], stamp: datetime | None) -> dict[str, bytes]:
        return self._finish(self._start(folder, files), stamp)

    def _start(self, folder: Path, files: dict[str, bytes]) -> _Run:
        sources = []
        for n, (name, data) in enumerate(files.items()):
            source = folder / f"{n:05d}{Path(name).suffix}"  # unique stems: a.docx and a.xlsx would both make a.pdf
            source.write_bytes(data)
            sources.append(source)
        (folder / "fonts.conf").write_text(fontconfig(self.fonts), encoding="utf-8")
        (folder / "tmp").mkdir()  # LibreOffice's own temporary files (lu*.tmp), removed with the folder
        env = {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf"), "TMPDIR": str(folder / "tmp")}
        profile = (folder / "profile").as_uri()
        export = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
        command = [self.binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", export]
        command += ["--outdir", str(folder / "pdf"), *map(str, sources)]
        try:
            # Its own session (process group), so that every process LibreOffice starts
            # can be ended together, whatever way this conversion ends.
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        except OSError as exc:
            raise OfficeError(f"无法启动 {self.binary}（{exc}）；安装：{INSTALL}") from exc
        return _Run(proc, folder, list(files), sources, self.timeout + PER_FILE_TIMEOUT * len(files))

    def _finish(self, run: _Run, stamp: datetime | None) -> dict[str, bytes]:
        proc = run.proc
        try:
            stdout, stderr = proc.communicate(timeout=run.timeout)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(f"转换超过 {run.timeout} 秒仍未完成，已停止") from exc
        finally:
            _end_group(proc)
        out = {}
        for name, source in zip(run.names, run.sources):
            pdf = run.folder / "pdf" / (source.stem + ".pdf")
            if proc.returncode != 0 or not pdf.is_file():
                detail = (stderr or stdout).decode("utf-8", "replace").strip()
                raise OfficeError(f"{name} 未能转换为 PDF（退出码 {proc.returncode}）：{detail[-300:]}")
            data = pdf.read_bytes()
            out[name] = normalize_pdf(data, stamp) if stamp else data
        return out

    def convert_apart(self, documents: list[bytes]) -> list[bytes]:
        """Each .docx as PDF, each in a LibreOffice process (and user profile) of its
        own, all running at once: a layout split over the cores."""
        if len(documents) == 1:
            return [self.to_pdf(documents[0])]
        with _sigterm_raises():
            folders: list[Path] = []
            runs: list[_Run] = []
            try:
                for data in documents:
                    folders.append(Path(tempfile.mkdtemp(prefix="docgen-office-")))
                    runs.append(self._start(folders[-1], {"document.docx": data}))
                return [self._finish(run, None)["document.docx"] for run in runs]
            finally:
                for run in runs:
                    _end_group(run.proc)
                for folder in folders:
                    shutil.rmtree(folder, ignore_errors=True)

    def to_pdf(self, docx: bytes) -> bytes:
        return self.convert({"document.docx": docx})["document.docx"]


def find(fonts: dict[str, str] | None = None, required: bool = False) -> Office | None:
    """LibreOffice as configured (see `soffice`), or None; with `required`, a missing
    LibreOffice or missing Chinese fonts is an `OfficeError` naming the install command."""
    binary = soffice()
    if binary is None:
        if required:
            raise OfficeError(f"未找到 LibreOffice（soffice），无法生成 PDF。请安装：{INSTALL}（或设置 DOCGEN_SOFFICE=/path/to/soffice）")
        return None
    if required and not cjk_fonts():
        raise OfficeError(f"未找到中文字体，PDF 中的文字会显示为方框。请安装：{INSTALL}")
    return Office(binary, dict(fonts or {}))


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Named destination -> 1-based page number."""
    return {name: page for name, (page, _) in destinations(pdf).items()}


def destinations(pdf: bytes) -> dict[str, tuple[int, float | None]]:
    """Named destination -> (1-based page number, its height on the page in points from
    the page's foot, when the destination names one)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for name, dest in reader.named_destinations.items():
        key = str(name).lstrip("/")
        # LibreOffice escapes a leading `_` as 5F (the PDF name escape without its #).
        for escaped in ("#5F", "5F"):
            if key.startswith(escaped):
                key = "_" + key[len(escaped) :]
        top = getattr(dest, "top", None)
        page = reader.get_destination_page_number(dest)
        if page is None:  # a destination on no page of this file
            continue
        found[key] = (page + 1, float(top) if top is not None else None)
    return found


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
