"""Contents pages laid out by LibreOffice: the page every contents line names is the page
its heading is printed on, checked against an independent PDF conversion.

Runs only where LibreOffice (soffice) and pdftotext are installed; tests/conftest.py
disables LibreOffice for the other tests, this module turns it back on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from docx import Document

import docgen
from docgen.render import office

from .test_dept import EXAMPLE, HEADINGS, TITLE, tc_marks, toc_entries, update_fields

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: contents pages cannot be laid out"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: PDF pages cannot be read"),
]


def to_pdf(docx: Path, folder: Path) -> Path:
    """Convert with a fresh LibreOffice profile, as a reader of the file would."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder.parent / f"lo-profile-{uuid.uuid4().hex}").as_uri()
    # The fonts docgen's PDFs print with (templates/manifest.yaml `fonts:`), so the pages break alike.
    fonts = folder.parent / f"fonts-{uuid.uuid4().hex}.conf"
    fonts.write_text(office.fontconfig(docgen.default_registry().fonts), encoding="utf-8")
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
    )
    pdf = folder / (docx.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr.decode("utf-8", "replace")
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, all whitespace removed (pdftotext spaces CJK from digits)."""
    out = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return ["".join(page.split()) for page in pages]


def heading_pages(pages: list[str], heading: str) -> list[int]:
    """1-based pages printing `heading` other than as a contents line (text, dot leaders, page)."""
    pattern = re.compile(re.escape("".join(heading.split())) + r"(?!\.{3})")
    return [n for n, text in enumerate(pages, start=1) if pattern.search(text)]


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        rendered = docgen.render_file(EXAMPLE, out / "out")
    assert os.environ["DOCGEN_SOFFICE"] == ""  # restored for the other tests
    (dept,) = [f for f in rendered.forms if f.suffix == ".docx"]
    book = rendered.book[0]
    return {
        "book": book,
        "dept": dept,
        "book_pages": pdf_pages(to_pdf(book, out / "pdf-book")),
        "dept_pages": pdf_pages(to_pdf(dept, out / "pdf-dept")),
    }


def body_heading(doc, ident: str, text: str) -> str:
    """The full text of the paragraph carrying the contents mark `text` (一、总体绩效目标 for 总体绩效目标)."""
    (paragraph,) = [p for t, p in tc_marks(doc, ident) if t == text]
    return paragraph.text


def test_exact_pages_do_not_ask_word_to_refresh(laid_out):
    assert update_fields(laid_out["book"]) is None
    assert update_fields(laid_out["dept"]) is None


def test_book_contents_pages_match_the_pdf(laid_out):
    doc = Document(str(laid_out["book"]))
    pages = laid_out["book_pages"]
    entries = toc_entries(doc, "TOC \\f B")
    assert [text for text, _ in entries] == ["总体绩效目标", "分项绩效目标", "工作保障措施", *HEADINGS]
    for text, page in entries:
        heading = body_heading(doc, "B", text)
        assert heading_pages(pages, heading) == [int(page)], (text, page)
    numbers = [int(page) for _, page in entries]
    assert numbers == sorted(numbers) and numbers[0] >= 3
    assert numbers[-1] == len(pages)  # the last table is on the last page


def test_book_inner_contents_pages_match_the_pdf(laid_out):
    """The departmental document's own contents, inside the book, name book pages."""
    doc = Document(str(laid_out["book"]))
    pages = laid_out["book_pages"]
    inner = toc_entries(doc, "TOC \\f C")
    assert [text for text, _ in inner] == HEADINGS
    for text, page in inner:
        assert heading_pages(pages, text) == [int(page)], (text, page)
    outer = dict(toc_entries(doc, "TOC \\f B"))
    assert [page for _, page in inner] == [outer[h] for h in HEADINGS]


def test_book_footer_numbers_match_the_pdf(laid_out):
    pages = laid_out["book_pages"]
    total = len(pages)
    assert total >= 9
    assert "第1页" not in pages[0]  # the cover has no footer
    assert "".join(TITLE.split()) in pages[0] and "目录" not in pages[0]
    assert "目录" in pages[1]
    for number, text in enumerate(pages[1:], start=2):
        assert f"第{number}页共{total}页" in text, number
        assert text.count("页共") == 1


def test_book_header_on_every_page_but_the_cover(laid_out):
    pages = laid_out["book_pages"]
    title = "".join(TITLE.split())
    assert all(text.startswith(title) for text in pages[1:])


def test_departmental_contents_pages_match_its_own_pdf(laid_out):
    doc = Document(str(laid_out["dept"]))
    pages = laid_out["dept_pages"]
    entries = toc_entries(doc, "TOC \\f C")
    assert [text for text, _ in entries] == HEADINGS
    for text, page in entries:
        assert heading_pages(pages, text) == [int(page)], (text, page)
    assert int(entries[-1][1]) == len(pages)
    assert [int(p) for _, p in entries] == list(range(int(entries[0][1]), int(entries[0][1]) + 6))  # a table a page
    assert "第二部分" in pages[int(entries[0][1]) - 2]  # the contents page just before the first table


def test_laid_out_book_renders_identical_bytes(laid_out, tmp_path, monkeypatch):
    """LibreOffice's layout feeds only page digits into the book: the same data gives the same bytes."""
    monkeypatch.setenv("DOCGEN_SOFFICE", SOFFICE)
    again = docgen.render_file(EXAMPLE, tmp_path / "again")
    assert again.book[0].read_bytes() == laid_out["book"].read_bytes()
    (dept,) = [f for f in again.forms if f.suffix == ".docx"]
    assert dept.read_bytes() == laid_out["dept"].read_bytes()
