import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def edited_copy(folder: Path, source: Path, *replacements: tuple[str, str], name: str = "new.yaml") -> Path:
    """A copy of unit file `source` in `folder` with each (old, new) text replaced once."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# LibreOffice lays out contents pages when it is installed, which takes seconds per
# document; tests get estimated pages unless they ask for it (tests/test_book_layout.py).
os.environ["DOCGEN_SOFFICE"] = ""
