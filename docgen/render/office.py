"""LibreOffice in headless mode: lays documents out to PDF, the only way to know on
which page a heading lands.

Each conversion gets its own temporary user profile: LibreOffice allows one process
per profile, so a shared one would fail while a desktop LibreOffice is open or when
two renders run at once.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import DocgenError

TIMEOUT = 600  # seconds for one conversion; a 200-form book takes about 20


class OfficeError(DocgenError):
    """LibreOffice is missing, failed or timed out."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def message(self) -> str:
        return f"LibreOffice 转换失败：{self.text}"


def soffice() -> str | None:
    """The LibreOffice binary, or None: `$DOCGEN_SOFFICE` (empty disables it), else PATH."""
    configured = os.environ.get("DOCGEN_SOFFICE")
    if configured is not None:
        return configured or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, binary: str, timeout: int = TIMEOUT) -> bytes:
    """Convert .docx bytes to PDF, exporting Word bookmarks as named PDF destinations."""
    with tempfile.TemporaryDirectory(prefix="docgen-office-") as tmp:
        folder = Path(tmp)
        source = folder / "book.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        export = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", export, "--outdir", str(folder), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(f"超过 {timeout} 秒仍未完成") from exc
        except OSError as exc:
            raise OfficeError(f"无法启动 {binary}（{exc}）") from exc
        pdf = folder / "book.pdf"
        if done.returncode != 0 or not pdf.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise OfficeError(f"退出码 {done.returncode}：{detail[-300:]}")
        return pdf.read_bytes()


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Named destination -> 1-based page number."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, dest in reader.named_destinations.items():
        key = str(name).lstrip("/")
        # LibreOffice escapes a leading `_` as 5F (the PDF name escape without its #).
        for escaped in ("#5F", "5F"):
            if key.startswith(escaped):
                key = "_" + key[len(escaped) :]
        pages[key] = reader.get_destination_page_number(dest) + 1
    return pages


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
