"""Every example renders (forms and book, `--no-layout`) to exactly the bytes it did
before the form-kind refactor (issue 11): the hashes were recorded on the code before it.

An intended change of output (a template edit, a layout fix) updates the fixture: so far
the departmental workbook and its book's workbook, which gained the 第一部分 sheet (issue 12);
every form, whose columns and indicator rows changed (issue 17); the books' workbooks, whose
form sheets are the forms' sheet XML (empty text cells keep their inline-string type);
every file again for issue 27 (the 自评表's wider reason column and the 申报表's columns,
Chinese line-breaking rules and explicit fonts in every Word file, the cover title in
lines, row heights of the summary sheets, empty formula results cached); every Word
file once more for issue 27 (a text that may wrap keeps its last two characters
together, `render.lines`; the Excel files are unchanged); the Anhui, Yunnan and Hunan
files' names and their books' 汇总 sheets, which name the form by the version's own title
(项目支出绩效自评表), not the kind's (issue 24; the forms' bytes are unchanged)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PINNED = json.loads((Path(__file__).parent / "fixtures" / "pinned" / "no-layout-sha256.json").read_text(encoding="utf-8"))
EXAMPLES = sorted({key.split(":", 1)[0] for key in PINNED})


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_renders_the_pinned_bytes(example, rendered_once):
    """The session's shared render (LibreOffice switched off for tests: estimated pages, as `--no-layout`)."""
    rendered = rendered_once(ROOT / "data" / "examples" / example)
    base = rendered.files[0].parents[2]  # <out>/<单位>/<年度>/<file>
    got = {
        f"{example}:{path.relative_to(base)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(base.rglob("*"))
        if path.is_file() and path.name != ".docgen-manifest.json"
    }
    assert got == {key: value for key, value in PINNED.items() if key.startswith(f"{example}:")}
