"""LibreOffice plumbing that needs no LibreOffice: errors, font map, PDF pinning."""

from datetime import datetime

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.render import office

runner = CliRunner()

PDF = (
    b"%PDF-1.6\n1 0 obj\n<</Producer(LibreOffice 7.4)/CreationDate(D:20261122031608Z')>>\nendobj\n"
    b"trailer\n<</Size 2/Root 1 0 R\n/ID [ <614C43350DE2DE7E53F1EC5A9C5C0AFD>\n<614C43350DE2DE7E53F1EC5A9C5C0AFD> ]\n"
    b"/DocChecksum /CC6341CD7654C6FB9F0B46D48205771E\n>>\nstartxref\n9\n%%EOF\n"
)


def test_pdf_pinning_keeps_every_offset():
    stamp = datetime(2022, 12, 31)
    pinned = office.normalize_pdf(PDF, stamp)
    assert len(pinned) == len(PDF)
    assert b"/CreationDate(D:20221231000000Z')" in pinned
    later = PDF.replace(b"20261122031608", b"20261123101010").replace(b"614C4335", b"99999999").replace(b"CC6341CD", b"11111111")
    assert office.normalize_pdf(later, stamp) == pinned  # run-to-run noise gone
    other = PDF.replace(b"LibreOffice 7.4", b"LibreOffice 7.5")
    assert office.normalize_pdf(other, stamp) != pinned  # the id follows the content


def test_fontconfig_maps_the_template_faces():
    conf = office.fontconfig({"宋体": "Noto Serif CJK SC", "A&B": "X"})
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in conf
    assert "<string>宋体</string>" in conf and "<string>Noto Serif CJK SC</string>" in conf
    assert "<string>A&amp;B</string>" in conf


def test_pdf_without_libreoffice_names_the_install_command(tmp_path):
    result = runner.invoke(app, ["render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 2
    assert "未找到 LibreOffice" in result.output
    assert office.INSTALL in result.output
    assert not any(tmp_path.iterdir())  # nothing written


def test_pdf_without_chinese_fonts_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", "/usr/bin/true")
    monkeypatch.setattr(office, "cjk_fonts", lambda: [])
    with pytest.raises(office.OfficeError) as caught:
        office.find({}, required=True)
    assert "未找到中文字体" in caught.value.message() and office.INSTALL in caught.value.message()


def test_a_failed_conversion_is_an_office_error(tmp_path):
    lo = office.Office("/usr/bin/false", {})
    with pytest.raises(office.OfficeError) as caught:
        lo.convert({"a.docx": b"not a document"})
    assert "a.docx 未能转换为 PDF" in caught.value.message()
    with pytest.raises(office.OfficeError) as caught:
        office.Office(str(tmp_path / "no-soffice"), {}).convert({"a.docx": b"x"})
    assert "无法启动" in caught.value.message()


def test_unknown_format_is_refused(tmp_path):
    result = runner.invoke(app, ["render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path), "-f", "docx,odt"])
    assert result.exit_code == 2
    assert "未知的输出格式：odt" in result.output
