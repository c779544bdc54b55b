"""Writing an edited unit back into its own file, in its own format.

`save_unit` is the one place the web app writes a unit file.  Until the lossless merge
writer of `docgen import --merge` (docgen/importing/merge.py) takes over, it writes YAML
through ruamel's round-trip mode (comments, key order and layout of the lines not
changed are kept; only changed values are set) and JSON with its key order and
indentation kept.  A data-entry workbook is refused: the entrybook writer makes a new
workbook from the data, which would drop a clerk's own formatting and any change made in
Excel, so it does not "change only what changed".

The file on disk must still be the one the page opened (`Stamp`: its size, mtime and
SHA-256); otherwise `SaveConflict` is raised and nothing is written.  The write itself
is atomic (`output.write_atomic`: a temporary file in the same folder, then
`os.replace`, keeping the file's mode)."""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.build.output import write_atomic


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read: a change by anyone else changes the hash."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "Stamp":
        data = path.read_bytes()
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


class SaveConflict(Exception):
    """The file changed on disk since it was opened."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path = path

    def message(self) -> str:
        return f"{self.path.name} 在打开后已被修改（Excel、另一个标签页或 docgen import --merge）：未保存，以免覆盖别人的修改。请复制本页的修改后重新打开该文件。"


class SaveRefused(Exception):
    """The file's format cannot be written back without losing what it holds."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def save_unit(path: Path, old_data: Any, new_data: Any, expected: Stamp) -> Stamp:
    """Write `new_data` into `path` (which held `old_data` when it was read, as stamped
    by `expected`), changing only what differs; returns the file's new stamp."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise SaveRefused(
            f"{path.name} 是 Excel 填报工作簿：网页中暂不能写回工作簿（会丢失工作簿的格式与手工修改）。"
            "请在 Excel/WPS 中修改该工作簿，或用「另存为 YAML」把本页的数据存为单位数据文件。"
        )
    text = path.read_bytes()
    if hashlib.sha256(text).hexdigest() != expected.sha256:
        raise SaveConflict(path)
    source = text.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        out = _json_text(source, new_data)
    else:
        out = yaml_text(source, new_data)
    # Checked again right before the rename: a save by another tab in between loses nothing.
    if hashlib.sha256(path.read_bytes()).hexdigest() != expected.sha256:
        raise SaveConflict(path)
    write_atomic(path, out.encode("utf-8"))
    return Stamp.of(path)


# --- YAML -----------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the clerk wrote on one
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _indent_of(source: str) -> tuple[int, int]:
    """(mapping indent, dash offset) as the file uses them, so rewritten lines match:
    the indent of the first key nested under a top-level key, and of the first dash."""
    dash = re.search(r"^( *)- ", source, re.M)
    nested = re.search(r"^\S[^\n]*:[ \t]*(#[^\n]*)?\n( +)[^\s-]", source, re.M)
    return (len(nested.group(2)) if nested else 2), (len(dash.group(1)) if dash else 2)


def yaml_text(source: str, new_data: Any) -> str:
    """`source` with `new_data` set into its round-trip tree.  Lines ruamel would
    respell without a change of value (the alignment spaces of `total:  {…}`) stay as
    the file has them: only the lines the change makes differ are taken from the dump."""
    yaml = _yaml()
    mapping, offset = _indent_of(source)
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)

    def dump(tree: Any) -> str:
        buf = io.StringIO()
        yaml.dump(tree, buf)
        return buf.getvalue()

    if not source.strip():
        return dump(_fresh(new_data))
    base = dump(yaml.load(source))
    changed = dump(_apply(yaml.load(source), new_data))
    ours, theirs, base_lines = source.splitlines(True), changed.splitlines(True), base.splitlines(True)
    if base == source or len(base_lines) != len(ours):
        return changed
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base_lines, theirs, autojunk=False).get_opcodes():
        out += ours[i1:i2] if tag == "equal" else theirs[j1:j2]
    return "".join(out)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float, Decimal)) and isinstance(new, (int, float, Decimal)):
        return Decimal(str(old)) == Decimal(str(new)) and type(new) is not str
    if isinstance(old, date) and isinstance(new, date):
        return old == new
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == new
    return False


def _apply(node: Any, new: Any) -> Any:
    """`node` (a round-trip tree) changed in place to hold `new`, keeping what is equal."""
    if isinstance(new, dict):
        if not isinstance(node, dict):
            return _fresh(new)
        for key in [k for k in node if k not in new]:
            del node[key]
        for position, (key, value) in enumerate(new.items()):
            if key in node:
                if not _same(node[key], value):
                    node[key] = _apply(node[key], value)
            else:
                node.insert(min(position, len(node)), key, _fresh(value)) if isinstance(node, CommentedMap) else node.__setitem__(key, _fresh(value))
        return node
    if isinstance(new, list):
        if not isinstance(node, list):
            return _fresh(new)
        for i, value in enumerate(new):
            if i < len(node):
                if not _same(node[i], value):
                    node[i] = _apply(node[i], value)
            else:
                node.append(_fresh(value))
        del node[len(new):]
        return node
    return new


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _fresh(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_fresh(v) for v in value)
        return seq
    return value


# --- JSON -----------------------------------------------------------------------------


def _json_text(source: str, new_data: Any) -> str:
    match = re.search(r'^([ \t]+)"', source, re.M)
    indent: int | str = (len(match.group(1)) if match.group(1).strip(" ") == "" else match.group(1)) if match else 2
    return _NUMBER.sub(r"\1", json.dumps(_plain_json(new_data), ensure_ascii=False, indent=indent)) + "\n"


_NUMBER = re.compile(r'"\\u0000D([-0-9.]+)\\u0000"')


def _plain_json(value: Any) -> Any:
    """Decimals become markers json writes as strings, replaced by their digits afterwards
    (json prints a float through its repr, never a Decimal's own digits)."""
    if isinstance(value, dict):
        return {k: _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    if isinstance(value, Decimal):
        return f"\x00D{format(value, 'f')}\x00"
    if isinstance(value, date):
        return value.isoformat()
    return value
