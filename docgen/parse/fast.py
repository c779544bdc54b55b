"""libyaml composing a unit file's nodes: ruamel's pure-Python parser takes about 1.8 s
for a 200-project file and 20 s for 2,000; libyaml (`ruamel.yaml.clib`) about a quarter
of that.  `loader.parse_text` turns the nodes into data with the same code either way.

libyaml is only an accelerator, used where it cannot read a file differently from the
pure parser: files without anchors, aliases, tags, directives or document markers (the
pure parser remembers where the first alias is, for the alias-bomb message), without the
characters the two read differently (tabs, NEL, control characters), and nested
within a bound (its composer recurses on the C stack, where the pure parser stops at
`MAX_DEPTH` with its own message).  A file it refuses, or any error, goes to the pure
parser, whose results and messages are the reference; without `ruamel.yaml.clib`
everything does.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML

try:  # a C extension: absent on some platforms, where the pure parser does all the work
    from ruamel.yaml.clib._ruamel_yaml import CParser  # noqa: F401
except ImportError:  # pragma: no cover - the test extra installs it
    AVAILABLE = False
else:
    AVAILABLE = True

# An anchor, alias or tag where YAML reads one, a document marker, or a merge key (the
# split parse cannot cut such a file either); text that merely looks like one only costs
# the faster parse.
UNSAFE = re.compile(r"(?:^|[\s\[{,])[&*!][^\s\]},]|^(?:---|\.\.\.)(?:\s|$)|<<\s*:", re.MULTILINE)
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)
# Where libyaml and the pure parser disagree: tabs (libyaml allows some the pure parser
# refuses), NEL and the Unicode line separators (libyaml counts them as line breaks), and
# control characters, a BOM or a non-character.
_AWKWARD = re.compile("[\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_NESTING = 256  # levels a line may open (indent, `- `, `? `): far above a unit file's 6
_FLOW = 64  # flow brackets open at once, counted naively (quotes ignored: it only overcounts)
_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> bool:
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) + stripped.count("- ") + stripped.count("? ") > _NESTING:
            return True
    depth = 0
    for bracket in _BRACKET.finditer(text):
        if bracket.group() in "[{":
            depth += 1
            if depth > _FLOW:
                return True
        else:
            depth = max(0, depth - 1)
    return False


def usable(text: str) -> bool:
    """Can libyaml read `text` as the pure parser would?"""
    if not AVAILABLE or UNSAFE.search(text) or _DIRECTIVE.search(text) or _AWKWARD.search(text):
        return False
    return not _too_deep(text)


def compose(text: str) -> Any | None:
    """The root node of `text` composed by libyaml; None when the pure parser must read
    it (see the module's words), or when libyaml fails on it (the pure parser words the
    error)."""
    if not usable(text):
        return None
    try:
        return YAML(typ="safe", pure=False).compose(text)
    except Exception:  # any failure: the pure parse gives the reference result or message
        return None
