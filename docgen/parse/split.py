"""A big unit file read over several processes: its `projects:` list cut between items and
each piece parsed in a worker, the rest of the file in this process, then put together
with every value's line number as one parse of the whole file gives.

YAML's pure-Python parser takes about 20 s for a 2,000-project file and the render
waits for it (libyaml, where `fast_parse` uses it, 5.6 s; its pieces too are parsed by
libyaml where it may, 4.5 s on two processes).  Only files
the cut cannot change are cut: one top-level `projects:` list in block style, and no
anchors, aliases, tags or document markers anywhere (an alias could point across a cut).
Anything else, and any piece that does not parse as exactly its items, is parsed whole
in one process, which also gives the usual messages for bad input.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from docgen.parse.fast import UNSAFE
from docgen.parse.text import LoadedFile, parse_text

_PROJECTS = re.compile(r"^projects:[ \t]*(?:#.*)?$", re.MULTILINE)
_ITEM = re.compile(r"( *)- ")


def _pieces(text: str, parts: int) -> tuple[int, list[str], list[tuple[int, int, str]]] | None:
    """The line of the `projects:` key, the file's lines with the project items blanked,
    and each piece of items (its first line number, how many items, its text under a
    `projects:` line); None when the file cannot be cut."""
    if UNSAFE.search(text) or len(_PROJECTS.findall(text)) != 1:  # a cut could change what an anchor, alias or tag means
        return None
    lines = text.split("\n")
    key = next(n for n, line in enumerate(lines) if _PROJECTS.fullmatch(line))
    first = next((n for n in range(key + 1, len(lines)) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    found = _ITEM.match(lines[first]) if first is not None else None
    if found is None:
        return None
    indent = len(found.group(1))
    starts, end = [], len(lines)
    for n in range(first, len(lines)):
        line = lines[n]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth == indent and stripped.startswith("- "):
            starts.append(n)
        elif depth < indent or (depth == indent and indent == 0):
            end = n  # the next top-level key: the list is over
            break
    if len(starts) < parts:
        return None
    size = sum(len(lines[n]) + 1 for n in range(first, end))
    pieces, begin, taken, count = [], starts[0], 0, 0
    bounds = starts[1:] + [end]
    for n, stop in zip(starts, bounds):
        taken += sum(len(lines[m]) + 1 for m in range(n, stop))
        count += 1
        if stop == end or taken >= size * (len(pieces) + 1) / parts:
            pieces.append((begin + 1, count, "projects:\n" + "\n".join(lines[begin:stop])))
            begin, count = stop, 0
    rest = lines[:first] + [""] * (end - first) + lines[end:]
    return key + 1, rest, pieces


def _parse_piece(piece: tuple[int, int, str]) -> tuple[int, int, Any, dict[Any, Any]] | None:
    first_line, count, text = piece
    try:
        loaded = parse_text(text, Path("piece"))
    except Exception:  # noqa: BLE001 - the whole file is parsed again and reports it
        return None
    return first_line, count, loaded.data, loaded.lines


def parse_split(text: str, path: Path, processes: int) -> LoadedFile | None:
    """`text` parsed as one parse gives it, over `processes` processes; None when the file
    cannot be cut safely or a piece does not parse (parse it whole instead)."""
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    cut = _pieces(text, processes)
    if cut is None:
        return None
    key_line, rest, pieces = cut
    with ProcessPoolExecutor(len(pieces), mp_context=multiprocessing.get_context("fork")) as pool:
        parsed = pool.map(_parse_piece, pieces)
        try:
            whole = parse_text("\n".join(rest), path)
        except Exception:  # noqa: BLE001 - as above
            return None
        results = list(parsed)
    if not isinstance(whole.data, dict) or any(r is None for r in results):
        return None
    if "projects" not in whole.data or whole.data["projects"] is not None or whole.lines.get(("projects",)) != key_line:
        return None  # the line that looked like the key is not the top-level key
    projects: list[Any] = []
    lines = {p: line for p, line in whole.lines.items() if p[:1] != ("projects",) or p == ("projects",)}
    for first_line, count, data, piece_lines in results:  # type: ignore[misc]
        items = data.get("projects") if isinstance(data, dict) else None
        if not isinstance(items, list) or list(data) != ["projects"] or len(items) != count:
            return None
        offset, base = first_line - 2, len(projects)  # the piece's line 2 is its first item
        for p, line in piece_lines.items():
            if len(p) >= 2 and p[0] == "projects":
                lines[("projects", p[1] + base, *p[2:])] = line + offset
        projects += items
    data = dict(whole.data)
    data["projects"] = projects
    return LoadedFile(path=path, data=data, lines=lines, text=text)
