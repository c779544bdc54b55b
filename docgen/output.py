"""Stage 6: write rendered files atomically.

Everything is rendered in memory first; only then is each file written to a
temporary name beside its target and renamed over it, so a failure never leaves
a half-written form or damages the previous one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, limit: int = 80) -> str:
    """A file-name fragment that is valid on Windows, macOS and Linux."""
    name = _UNSAFE.sub("_", text).strip(" .") or "未命名"
    return name[:limit]


def write_all(files: dict[Path, bytes]) -> list[Path]:
    written = []
    for target, data in files.items():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".docgen-", suffix=target.suffix, dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise OutputError(target, exc.strerror or str(exc)) from exc
        written.append(target)
    return written
