import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# LibreOffice lays out contents pages when it is installed, which takes seconds per
# document; tests get estimated pages unless they ask for it (tests/test_book_layout.py).
os.environ["DOCGEN_SOFFICE"] = ""
