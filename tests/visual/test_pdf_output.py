"""`docgen render -f pdf` with a real LibreOffice: one process per batch, renders that run
at once, identical bytes, the fonts the templates' faces map to."""

from __future__ import annotations

import subprocess
import threading

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import docgen
from docgen.cli.app import app
from docgen.render import office

from .conftest import EXAMPLES, SOFFICE, needs_office

pytestmark = [pytest.mark.office, needs_office]
SSCARD = EXAMPLES / "shanghai-sscard-2023.yaml"


def test_one_libreoffice_process_per_render(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", SOFFICE)
    calls = []
    real = subprocess.Popen  # LibreOffice is started with Popen (its process group is ended on every exit)

    def run(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(office.subprocess, "Popen", run)
    result = CliRunner().invoke(app, ["render", str(SSCARD), "-o", str(tmp_path), "-f", "pdf", "--no-layout"])
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.name for p in (tmp_path / "上海市社会保障卡服务中心" / "2023").glob("*.pdf"))
    assert len(pdfs) == 8  # 7 forms and the book
    assert not list((tmp_path / "上海市社会保障卡服务中心" / "2023").glob("*.docx"))  # pdf alone
    soffice_calls = [c for c in calls if c[0] == SOFFICE]
    assert len(soffice_calls) == 1
    assert soffice_calls[0][1].startswith("-env:UserInstallation=file://")  # its own profile


def test_two_renders_at_once_and_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", SOFFICE)
    options = docgen.RenderOptions(formats=("pdf",), layout=False, projects=("1", "2"))
    results, errors = {}, []

    def render(name):
        try:
            results[name] = docgen.render_file(SSCARD, tmp_path / name, options=options)
        except Exception as exc:  # reported below: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    a = {p.name: p.read_bytes() for p in results["a"].files}
    b = {p.name: p.read_bytes() for p in results["b"].files}
    assert a == b and len(a) == 3  # two forms and the book of those two
    again = docgen.render_file(SSCARD, tmp_path / "a", options=options)
    assert again.unchanged == again.files and again.changed == []


def test_template_fonts_print_in_the_mapped_cjk_fonts(printed):
    fonts = set()
    for page in PdfReader(str(printed["selfeval-2022"].pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert any(f.startswith("NotoSerifCJK") for f in fonts), fonts  # 宋体, 仿宋
    assert any(f.startswith("LiberationSerif") for f in fonts), fonts  # Times New Roman
    assert not any(f.startswith(("NotoSansCJK", "DejaVu")) for f in fonts), fonts  # no fallback faces
