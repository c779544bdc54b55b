"""PDFs of every example form, made once per test session through docgen's own
`--format pdf` path (LibreOffice, the font map of templates/manifest.yaml).

Runs only where LibreOffice and poppler are installed (`make test` installs them on
Debian); tests/conftest.py disables LibreOffice for the other tests, this turns it
back on for these renders.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import docgen
from docgen.render import office

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
MISSING = [name for name, found in (("LibreOffice (soffice)", SOFFICE), ("pdftoppm/pdftotext (poppler-utils)", PDFTOPPM and PDFTOTEXT)) if not found]
needs_office = pytest.mark.skipif(bool(MISSING), reason=f"{' and '.join(MISSING)} not installed; `make test` installs them")


@dataclass
class Printed:
    """One form printed to PDF: which example it comes from and the files involved."""

    key: str  # golden image name, e.g. selfeval-2022
    source: Path  # the rendered .docx or .xlsx
    pdf: Path
    pages: int | None = None  # compare only the first pages (the book)


# (key, example file, file name in the output folder, pages compared)
FORMS = [
    ("selfeval-2022", "shanghai-dpf-2022.yaml", "1-残疾人权益保障经费-财政项目支出绩效自评表.docx", None),
    ("selfeval-2022-5", "shanghai-dpf-2022.yaml", "5-残疾人基本保障和帮扶经费-财政项目支出绩效自评表.docx", None),
    ("target-2023", "shanghai-sscard-2023.yaml", "1-交换平台运行费-财政项目支出绩效目标申报表.docx", None),
    ("target-2020", "shanghai-dpf-infocenter-2020.yaml", "1-上海市第三代残疾人证（智能证）换发-财政项目支出绩效目标申报表.docx", None),
    ("dept-2020", "qinhuangdao-shanhaiguan-dpf-2020.yaml", "部门整体绩效目标.docx", None),
    ("book-selfeval", "shanghai-dpf-2022.yaml", "上海市残疾人联合会2022年度项目支出绩效自评汇总表.docx", 4),
    ("book-dept", "qinhuangdao-shanhaiguan-dpf-2020.yaml", "秦皇岛市山海关区残疾人联合会2020年度部门整体及项目绩效目标汇总表.docx", 4),
    ("sheet-selfeval-2022", "shanghai-dpf-2022.yaml", "1-残疾人权益保障经费-财政项目支出绩效自评表.xlsx", None),
    ("sheet-target-2023", "shanghai-sscard-2023.yaml", "1-交换平台运行费-财政项目支出绩效目标申报表.xlsx", None),
    ("sheet-target-2020", "shanghai-dpf-infocenter-2020.yaml", "1-上海市第三代残疾人证（智能证）换发-财政项目支出绩效目标申报表.xlsx", None),
    ("sheet-dept-2020", "qinhuangdao-shanhaiguan-dpf-2020.yaml", "部门整体绩效目标.xlsx", 1),
]


@pytest.fixture(scope="session")
def example_folders(tmp_path_factory) -> dict[str, Path]:
    """Every example unit file rendered (Word, Excel, PDF), each into an output folder of its own."""
    if MISSING:
        pytest.skip(f"{' and '.join(MISSING)} not installed")
    out = tmp_path_factory.mktemp("examples")
    folders = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        for example in sorted(p.name for p in EXAMPLES.glob("*.yaml")):
            options = docgen.RenderOptions(formats=("docx", "xlsx", "pdf"))
            rendered = docgen.render_file(EXAMPLES / example, out / Path(example).stem, options=options)
            folders[example] = rendered.files[0].parent
    return folders


@pytest.fixture(scope="session")
def printed(tmp_path_factory, example_folders) -> dict[str, Printed]:
    out = tmp_path_factory.mktemp("printed")
    folders = example_folders
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        # The Excel forms, printed as a clerk would print them from Calc.
        sheets = {f[2]: (folders[f[1]] / f[2]).read_bytes() for f in FORMS if f[2].endswith(".xlsx")}
        lo = office.Office(SOFFICE, docgen.default_registry().fonts)
        sheet_pdfs = lo.convert(sheets)
    result = {}
    for key, example, name, pages in FORMS:
        source = folders[example] / name
        if name.endswith(".xlsx"):
            pdf = out / "sheets" / f"{key}.pdf"
            pdf.parent.mkdir(exist_ok=True)
            pdf.write_bytes(sheet_pdfs[name])
        else:
            pdf = source.with_suffix(".pdf")
        result[key] = Printed(key, source, pdf, pages)
    return result


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in the order LibreOffice wrote it (cell by cell, row by row)."""
    text = subprocess.run([PDFTOTEXT, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    return text.split("\f")[:-1]
