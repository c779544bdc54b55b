import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The suite starts Python again and again (test processes, CLI runs, render workers, the
# wheel's venv): with PYTHONDONTWRITEBYTECODE set (some shells and containers set it) each
# would compile docgen, openpyxl, python-docx and every test module afresh, about a tenth
# of the suite's time.  The bytecode goes into the ignored __pycache__ folders.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from docx.table import _Cell  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402
from docx.text.run import Run  # noqa: E402

import docgen  # noqa: E402 - after the bytecode setting, so that docgen's is written too
from docgen.model.joiner import without_joiners  # noqa: E402


def _read_as_printed(cls: type) -> None:
    """A Word form keeps the last two characters of a text that may wrap together with
    U+2060 WORD JOINER (`docgen.render.lines`), which prints nothing and which docgen's
    own readers take out: python-docx's `.text` of a paragraph, cell and run reads the
    same in the tests.  A test of the joiners reads the w:t elements (tests/render/test_last_line.py)."""
    prop = cls.text
    cls.text = property(lambda self: without_joiners(prop.fget(self)), prop.fset)  # type: ignore[attr-defined]


for _cls in (Paragraph, _Cell, Run):
    _read_as_printed(_cls)

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


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative name) -> sha256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def rendered_once(tmp_path_factory):
    """`rendered_once(path)` -> the `Rendered` of unit file `path` rendered with the default
    options into a folder of its own, once per session (the first test asking renders it);
    `rendered_once(path, again=True)`: a second render of it, independent of the first
    (another folder, from scratch), for the tests that the same data gives the same bytes.

    The folder is shared by every test that asks for the same file: read it, or copy it
    (`shutil.copytree`) before changing anything.  A test that changed it anyway makes the
    session end with an error naming the folder."""
    cache: dict[tuple[Path, bool], tuple[object, Path, dict[str, str]]] = {}

    def render(path: Path, again: bool = False):
        key = (Path(path), again)
        if key not in cache:
            out = tmp_path_factory.mktemp(f"{'again' if again else 'once'}-{key[0].stem}")
            cache[key] = (docgen.render_file(key[0], out), out, {})
            cache[key][2].update(folder_digest(out))
        return cache[key][0]

    yield render
    changed = [str(out) for _, out, digest in cache.values() if folder_digest(out) != digest]
    assert not changed, f"a test changed a shared render (copy it first): {changed}"


@pytest.fixture
def templates(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped templates folder that docgen uses (`DOCGEN_TEMPLATES`), with
    the examples beside it (the manifest names them relative to the folder): edit freely."""
    from docgen.registry.manifest import DEFAULT_TEMPLATES

    root = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, root)
    shutil.copytree(DEFAULT_TEMPLATES.parent / "data", tmp_path / "data")
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(root))
    return root


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# The programs that make a test an `office` test (pyproject.toml: markers).  A test not
# marked `office` fails as soon as it starts one of them (in its own code or in a fixture
# it sets up), so `pytest -m "not office"` stays quick and runs where they are missing.
OFFICE_PROGRAMS = {"soffice", "soffice.bin", "libreoffice", "pdftoppm", "pdftotext"}
_running: list[pytest.Item] = []
_popen_init = subprocess.Popen.__init__


def _program(args) -> str:
    if isinstance(args, str):
        return (shlex.split(args) or [""])[0]
    return os.fsdecode(args if isinstance(args, (bytes, os.PathLike)) else args[0])


def _guarded_popen_init(self, args, *rest, **kwargs):
    if _running and _running[-1].get_closest_marker("office") is None and Path(_program(args)).name in OFFICE_PROGRAMS:
        pytest.fail(f"{_running[-1].nodeid} starts {_program(args)}: mark it `office` (or render with layout=False / --no-layout)", pytrace=False)
    _popen_init(self, args, *rest, **kwargs)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


def pytest_configure(config):
    subprocess.Popen.__init__ = _guarded_popen_init


def pytest_unconfigure(config):
    subprocess.Popen.__init__ = _popen_init


# LibreOffice lays out contents pages when it is installed, which takes seconds per
# document; tests get estimated pages unless they ask for it (tests/test_book_layout.py).
os.environ["DOCGEN_SOFFICE"] = ""


def pytest_collection_modifyitems(config, items):
    """The slowest single test (the wheel build and install) first: run over several
    processes (pytest-xdist), it then overlaps the rest instead of ending the run alone."""
    items.sort(key=lambda item: item.get_closest_marker("packaging") is None)
