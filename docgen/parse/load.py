"""A unit text loaded: a file read and decoded, or a text parsed, with the parses of small
texts kept for the next caller and a big unit's projects parsed over several processes."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

from docgen.parse import split
from docgen.parse.text import LoadedFile, decode, parse_text, read_bytes


def load_path(path: str | Path, jobs: int = 1) -> LoadedFile:
    """A YAML or JSON file read and parsed; `InputError` (never a parser traceback) when it
    is unreadable."""
    path = Path(path)
    return load_text(decode(read_bytes(path), path), path, jobs)


# Small texts parsed in this process (text -> what it gave): a render reads its unit file
# and the data its folder last rendered, a library caller or a test session checks the
# same files again, and parsing is the slow part of reading.  Each caller gets its own
# copy of the data.  A big unit is not kept: its render dwarfs the parse, and two copies
# of its data would count against the memory a big render may take.
_PARSED: dict[bytes, LoadedFile] = {}
_PARSED_KEPT = 16
_PARSED_MAX_CHARS = 256 * 1024


SPLIT_MIN_CHARS = 1 << 20  # a unit this big (about 300 projects) is parsed over `jobs` processes


def load_text(text: str, path: Path, jobs: int = 1) -> LoadedFile:
    """`text` (the file `path`) as plain data with its line numbers; a big unit's projects
    are parsed over `jobs` processes (`docgen.parse.split`)."""
    if len(text) > _PARSED_MAX_CHARS:
        if jobs > 1 and len(text) >= SPLIT_MIN_CHARS:  # its pieces are parsed by libyaml where it may
            pieces = split.parse_split(text, path, jobs)
            if pieces is not None:
                return pieces
        return parse_text(text, path)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()  # the path only names errors, which are not kept
    parsed = _PARSED.pop(key, None) or parse_text(text, path)
    while len(_PARSED) >= _PARSED_KEPT:
        del _PARSED[next(iter(_PARSED))]
    _PARSED[key] = parsed  # most recently used last
    return LoadedFile(path=Path(path), data=copy.deepcopy(parsed.data), lines=dict(parsed.lines), text=text)
