"""File and folder names made from a unit's or a project's name: characters a file
system refuses, control, bidirectional and other invisible characters (which can make
`残联\u202excod.exe` look like another file type) left out, reserved names avoided, and
the length kept within what a file system allows."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029]+')
# Invisible characters that change how a name looks without showing themselves: the
# Bidi_Control characters (U+202E makes `残联\u202excod.exe` read as `残联exe.docx`),
# zero-width and other format characters (category Cf), fillers that show as blank,
# variation selectors.  They are removed from file and folder names (`hidden_characters`
# finds them for the check, which reports them).
_FILLERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
# Names Windows cannot hold (also with any extension, and with trailing spaces).
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)

NAME_BYTES = 180  # a name fragment in UTF-8 bytes: `序号-<项目名称>-<表名>.docx` stays within 255
MAX_NAME_BYTES = 255  # one path component on Linux, macOS and Windows file systems


def cut_utf8(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _disguising(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or code in _FILLERS or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def hidden_characters(text: str) -> list[str]:
    """The invisible characters in `text` that `safe_name` removes, each once (`U+202E`)."""
    return list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if _disguising(ch)))


def visible(text: str) -> str:
    """`text` with each invisible character shown as its code (`残联<U+202E>xcod.exe`), to quote it safely."""
    return "".join(f"<U+{ord(ch):04X}>" if _disguising(ch) else ch for ch in text)


def safe_name(text: str, limit: int = NAME_BYTES) -> str:
    """A file-name fragment that is valid on Windows, macOS and Linux: no separators or
    characters Windows refuses, no control characters, no invisible characters that
    disguise a name (removed), at most `limit` UTF-8 bytes (an extension such as
    `.docx` is kept whole), no trailing space or dot, not a reserved device name."""
    text = "".join(ch for ch in text if not _disguising(ch))
    name = _UNSAFE.sub("_", text).strip(" .") or "未命名"
    ext = _EXTENSION.search(name)
    suffix = ext.group(0) if ext and ext.start() > 0 else ""
    stem = cut_utf8(name[: len(name) - len(suffix)], max(limit - len(suffix), 1)).rstrip(" .") or "未命名"
    if _RESERVED.match(stem.split(".")[0].rstrip(" ")):
        stem = cut_utf8("_" + stem, max(limit - len(suffix), 1))
    return stem + suffix
