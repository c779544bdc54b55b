"""Indicator tables across a page break, laid out by LibreOffice: the continuation page
names the 一级指标 and 二级指标 (and 绩效指标) of its first rows again, in the single form,
its PDF and the book; without the layout pass the forms are what they always were.

Runs only where LibreOffice and pdftotext are installed (tests/conftest.py disables
LibreOffice for the other tests; this module turns it back on).
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import docgen
from docgen.build.plan import RenderOptions
from docgen.render import office

from .conftest import load_yaml
from .test_book_layout import PDFTOTEXT, SOFFICE, pdf_pages

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "shanghai-dpf-2022.yaml"
BROKEN = [3]  # the example's forms that run onto a second page (1-based; 1 and 4 fit one page since the wider reason column, issue 27)

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed"),
]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    out = tmp_path_factory.mktemp("labels")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        laid = docgen.render_file(EXAMPLE, out / "laid", options=RenderOptions(formats=("docx", "pdf"), jobs=1))
        alone = docgen.render_file(EXAMPLE, out / "alone", options=RenderOptions(book=False, formats=("docx",), jobs=1))
    plain = docgen.render_file(EXAMPLE, out / "plain", options=RenderOptions(formats=("docx",), layout=False, jobs=1))

    def by_number(rendered, suffix):
        return {int(f.name.split("-")[0]): f for f in rendered.forms if f.suffix == suffix and f.name[0].isdigit()}

    return {
        "pdf": by_number(laid, ".pdf"),
        "docx": by_number(laid, ".docx"),
        "alone": by_number(alone, ".docx"),
        "plain": by_number(plain, ".docx"),
        "book": next(f for f in laid.book if f.suffix == ".docx").with_suffix(".pdf"),
        "data": load_yaml(EXAMPLE),
    }


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def page_words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(left, top, right, text) of every word pdftotext finds on `page` (1-based)."""
    out = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, check=True, timeout=120
    )
    return [(float(x0), float(y0), float(x1), html.unescape(text)) for x0, y0, x1, _, text in _WORD.findall(out.stdout.decode("utf-8"))]


def printed(words: list[tuple[float, float, float, str]], text: str) -> bool:
    """Is `text` printed in one cell: a word, or words one under the other (a wrapped
    label, each line overlapping the one above), whose text runs together to `text`?
    (Plain pdftotext interleaves the lines of neighbouring cells.)"""
    text = squeeze(text)

    def rest(left: float, top: float, right: float, remaining: str) -> bool:
        if not remaining:
            return True
        return any(
            y > top and x0 < right and x1 > left and remaining.startswith(squeeze(w)) and squeeze(w) and rest(x0, y, x1, remaining[len(squeeze(w)) :])
            for x0, y, x1, w in words
        )

    return any(squeeze(w) and text.startswith(squeeze(w)) and rest(x0, y, x1, text[len(squeeze(w)) :]) for x0, y, x1, w in words)


def first_row_on(words: list[tuple[float, float, float, str]], indicators: list[dict]) -> dict:
    """The first indicator (in the form's order) whose 三级指标 is printed on the page."""
    return next(ind for ind in indicators if printed(words, ind["name"]))


@pytest.mark.parametrize("number", BROKEN)
def test_continuation_page_names_the_labels_of_its_first_row(renders, number):
    pdf = renders["pdf"][number]
    assert len(pdf_pages(pdf)) == 2
    words = page_words(pdf, 2)
    first = first_row_on(words, renders["data"]["projects"][number - 1]["indicators"])
    assert printed(words, first["level1"]), (number, first["name"])
    assert printed(words, first["level2"]), (number, first["name"])
    assert printed(words, "绩效指标")


def test_without_layout_the_continued_label_is_missing(renders, tmp_path):
    """The check above fails on the form as `--no-layout` renders it: form 3's second page
    starts inside the run of 效益指标 (and of 绩效指标), printed on the first page only."""
    printer = office.Office(SOFFICE, docgen.default_registry().fonts)
    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(printer.to_pdf(renders["plain"][3].read_bytes()))
    words = page_words(pdf, 2)
    first = first_row_on(words, renders["data"]["projects"][2]["indicators"])
    assert first["name"] == "助残专业化水平"  # kept whole: the row does not start on page 1
    assert first["level1"] == "效益指标" and not printed(words, first["level1"]) and not printed(words, "绩效指标")
    assert printed(words, first["level2"])  # 可持续影响指标: a run starting on the page is named as always


def test_only_the_broken_forms_change(renders):
    for number, plain in renders["plain"].items():
        laid = renders["docx"][number].read_bytes()
        assert (laid != plain.read_bytes()) == (number in BROKEN), number


def test_forms_laid_out_alone_split_as_in_the_book(renders):
    """`--only forms` lays the forms out without the book: the same splits, the same bytes."""
    assert {n: f.read_bytes() for n, f in renders["alone"].items()} == {n: f.read_bytes() for n, f in renders["docx"].items()}


def test_book_continuation_pages_name_the_labels(renders):
    pages = pdf_pages(renders["book"])
    projects = renders["data"]["projects"]
    for number in BROKEN:
        project = projects[number - 1]
        # the form's first page: after the cover and contents, the page naming the project first
        start = next(n for n, page in enumerate(pages) if n >= 2 and squeeze(project["name"]) in page)
        words = page_words(renders["book"], start + 2)  # the next page, 1-based
        first = first_row_on(words, project["indicators"])
        assert printed(words, first["level1"]) and printed(words, first["level2"]), (number, first["name"])
        assert printed(words, "绩效指标")


def test_split_cells_restart_their_merge(renders):
    xml = zipfile.ZipFile(io.BytesIO(renders["docx"][3].read_bytes())).read("word/document.xml").decode("utf-8")
    plain = zipfile.ZipFile(io.BytesIO(renders["plain"][3].read_bytes())).read("word/document.xml").decode("utf-8")
    assert xml.count('w:vMerge w:val="restart"') == plain.count('w:vMerge w:val="restart"') + 2  # 绩效指标, 效益指标
    assert xml.count("效益指标") == plain.count("效益指标") + 1
    assert xml.count("可持续影响指标") == plain.count("可持续影响指标")  # its run starts on the new page: not split


def test_layout_split_over_processes_and_checked_again_gives_the_same_book(renders, tmp_path, monkeypatch):
    """The parts laid out in three LibreOffice processes at once (their pages added up),
    and every split part laid out again to check its splits: the same book and forms."""
    from docgen.render import layout

    rounds = []
    real_round = layout._round

    def counted(pieces, chunks, *rest):
        rounds.append(sorted(chunks))
        return real_round(pieces, chunks, *rest)

    seen, real_processes = [], layout.processes
    monkeypatch.setattr(layout, "PARTS_PER_PROCESS", 2)
    monkeypatch.setattr(layout, "processes", lambda lo: seen.append(real_processes(lo)) or seen[-1])
    monkeypatch.setattr(layout, "_settled", lambda *args: False)
    monkeypatch.setattr(layout, "_round", counted)
    monkeypatch.setenv("DOCGEN_SOFFICE", SOFFICE)
    again = docgen.render_file(EXAMPLE, tmp_path / "again", options=RenderOptions(formats=("docx",), jobs=3))
    assert seen[0] == 3  # as many LibreOffice processes as `-j`
    assert rounds == [[0, 1, 2, 3, 4, 5], [2]]  # all parts, then the one split (form 3)
    book = next(f for f in again.book if f.suffix == ".docx")
    assert book.read_bytes() == renders["book"].with_suffix(".docx").read_bytes()
    forms = {int(f.name.split("-")[0]): f.read_bytes() for f in again.forms if f.suffix == ".docx"}
    assert forms == {n: f.read_bytes() for n, f in renders["docx"].items()}


def test_correction_round_binds_split_forms_from_disk_as_a_fresh_render(renders, tmp_path, monkeypatch):
    """After a correction only the changed form is rendered again; the unchanged forms,
    already split, are bound from disk: every Word file is what a fresh render writes."""
    monkeypatch.setenv("DOCGEN_SOFFICE", SOFFICE)
    options = RenderOptions(formats=("docx",), jobs=1)
    source = tmp_path / "unit.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    docgen.render_file(source, tmp_path / "round", options=options)
    assert 'actual: "1.6"' in text
    source.write_text(text.replace('actual: "1.6"', 'actual: "1.7"', 1), encoding="utf-8")  # project 1
    again = docgen.render_file(source, tmp_path / "round", options=options)
    assert {p.name for p in again.unchanged if p.suffix == ".docx"} >= {renders["docx"][n].name for n in (3, 4)}
    fresh = docgen.render_file(source, tmp_path / "fresh", options=options)
    for path in (f for f in again.files if f.suffix == ".docx"):
        assert path.read_bytes() == (fresh.files[0].parent / path.name).read_bytes(), path.name
