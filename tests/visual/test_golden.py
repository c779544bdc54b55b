"""Every example form printed to PDF, then to PNG, compared with the committed golden
images in tests/visual/golden/.

A page matches when at most TOLERANCE of its pixels differ by more than
PIXEL_THRESHOLD grey levels (anti-aliasing noise stays under it; a moved border, a
wrapped heading or a table spilling onto another page does not).  A failing page writes
`<key>-p<N>-actual.png` and `<key>-p<N>-diff.png` (differences in red over the golden
page) to build/visual/.  `make golden` rewrites the golden images after an intended
change: look at them before committing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from .conftest import FORMS, PDFTOPPM, ROOT, needs_office

pytestmark = needs_office

GOLDEN = Path(__file__).resolve().parent / "golden"
FAILED = ROOT / "build" / "visual"
DPI = 50  # an A4 page is 414 x 585 pixels: enough to see every border and line of text
PIXEL_THRESHOLD = 64  # of 255 grey levels
TOLERANCE = 0.005  # share of the page's pixels
UPDATE = os.environ.get("DOCGEN_GOLDEN") == "update"


def rasterize(pdf: Path, folder: Path, pages: int | None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    command = [PDFTOPPM, "-r", str(DPI), "-gray", "-png"]
    if pages:
        command += ["-f", "1", "-l", str(pages)]
    subprocess.run([*command, str(pdf), str(folder / "page")], check=True, capture_output=True, timeout=300)
    return sorted(folder.glob("page-*.png"))


def difference(actual: Image.Image, golden: Image.Image) -> tuple[float, Image.Image]:
    """Share of differing pixels, and a picture of where they are."""
    delta = ImageChops.difference(actual, golden).point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    share = delta.histogram()[255] / (delta.width * delta.height)
    faded = golden.point(lambda v: 155 + v * 100 // 255).convert("RGB")
    red = Image.new("RGB", golden.size, (220, 0, 0))
    return share, Image.composite(red, faded, delta)


@pytest.mark.office
@pytest.mark.parametrize("key", [f[0] for f in FORMS])
def test_page_images_match_golden(printed, key, tmp_path):
    form = printed[key]
    pages = rasterize(form.pdf, tmp_path / key, form.pages)
    assert pages, f"{form.pdf} has no pages"
    golden = sorted(GOLDEN.glob(f"{key}-p*.png"))
    if UPDATE:
        for old in golden:
            old.unlink()
        GOLDEN.mkdir(exist_ok=True)
        for n, page in enumerate(pages, start=1):
            Image.open(page).save(GOLDEN / f"{key}-p{n}.png", optimize=True)
        return
    assert len(pages) == len(golden), f"{key}: {len(pages)} pages printed, {len(golden)} golden (run `make golden` after an intended change)"
    failures = []
    for n, page in enumerate(pages, start=1):
        actual = Image.open(page).convert("L")
        expected = Image.open(GOLDEN / f"{key}-p{n}.png").convert("L")
        if actual.size != expected.size:
            failures.append(f"page {n}: size {actual.size} != golden {expected.size}")
            continue
        share, picture = difference(actual, expected)
        if share > TOLERANCE:
            FAILED.mkdir(parents=True, exist_ok=True)
            actual.save(FAILED / f"{key}-p{n}-actual.png")
            picture.save(FAILED / f"{key}-p{n}-diff.png")
            failures.append(f"page {n}: {share:.2%} of pixels differ (tolerance {TOLERANCE:.1%}); see {FAILED / f'{key}-p{n}-diff.png'}")
    assert not failures, f"{key}: " + "; ".join(failures)


def test_a_moved_border_is_caught():
    """The comparison itself: a line two pixels off fails, the same page passes.
    Needs neither LibreOffice nor poppler, so it is not marked `office`."""
    page = Image.new("L", (414, 585), 255)
    moved = page.copy()
    for x in range(40, 374):
        for y in range(100, 103):
            page.putpixel((x, y), 0)
        for y in range(102, 105):
            moved.putpixel((x, y), 0)
    assert difference(page, page.copy())[0] == 0
    share, picture = difference(moved, page)
    assert share > TOLERANCE  # 2 rows of a 334-pixel line: 0.55% of the page
    assert picture.getpixel((100, 100)) == (220, 0, 0) and picture.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.office
def test_single_forms_fit_the_a4_width(printed, tmp_path):
    """No column cut off: A4 portrait pages, and ink never reaches the right edge."""
    from pypdf import PdfReader

    for key, form in printed.items():
        if key.startswith("book"):
            continue
        for n, page in enumerate(PdfReader(str(form.pdf)).pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width), round(height)) == (595, 842), (key, n, width, height)
        for n, png in enumerate(rasterize(form.pdf, tmp_path / key, form.pages), start=1):
            image = Image.open(png).convert("L")
            inked = image.point(lambda v: 255 if v < 200 else 0).getbbox()
            assert inked is not None, (key, n)
            left, top, right, bottom = inked
            margin = image.width * 0.03  # about 6 mm: the page's own margin, never zero
            assert left >= margin and right <= image.width - margin, (key, n, inked, image.size)
