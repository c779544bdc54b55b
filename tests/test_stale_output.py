"""No stale output (issue 16): a file of the last render that this render does not make
and whose inputs changed is made again (a PDF, when LibreOffice is here) or deleted and
listed (`删除（数据已变，PDF 未重新生成）`); never left as it was without a word."""

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.render import office

runner = CliRunner()


class FakeOffice:
    """Stands in for LibreOffice: a 'PDF' that is the hash of the .docx it was printed from."""

    def convert(self, files, stamp=None):
        return {name: b"%PDF-fake " + hashlib.sha256(data).hexdigest().encode() for name, data in files.items()}


def with_office(monkeypatch, present: bool) -> None:
    def find(fonts=None, required=False):
        if present:
            return FakeOffice()
        if required:
            raise office.OfficeError("未找到 LibreOffice（soffice），无法生成 PDF。")
        return None

    monkeypatch.setattr(office, "find", find)


def render(path: Path, out: Path, *args: str):
    result = runner.invoke(app, ["render", str(path), "-o", str(out), "--no-layout", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def unit(tmp_path, fixtures) -> Path:
    path = tmp_path / "unit.yaml"
    path.write_text((fixtures / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def correct(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('actual: "95%"', 'actual: "96%"'), encoding="utf-8")


def test_an_outdated_pdf_is_deleted_and_listed_without_libreoffice(monkeypatch, unit, tmp_path):
    out = tmp_path / "out"
    with_office(monkeypatch, True)
    render(unit, out, "-f", "docx,pdf")
    folder = out / "测试单位" / "2023"
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert len(pdfs) == 2  # the form and the book
    with_office(monkeypatch, False)
    correct(unit)
    output = render(unit, out)
    assert sorted(p.name for p in folder.glob("*.pdf")) == []
    for name in pdfs:
        assert f"删除（数据已变，PDF 未重新生成）：{folder / name}" in output
    assert "删除 2 个" in output


def test_an_unchanged_pdf_stays_without_libreoffice(monkeypatch, unit, tmp_path):
    out = tmp_path / "out"
    with_office(monkeypatch, True)
    render(unit, out, "-f", "docx,pdf")
    folder = out / "测试单位" / "2023"
    before = {p.name: p.read_bytes() for p in folder.glob("*.pdf")}
    with_office(monkeypatch, False)
    output = render(unit, out)  # same data, other formats
    assert {p.name: p.read_bytes() for p in folder.glob("*.pdf")} == before
    assert "删除" not in output.replace("删除 0 个", "")


def test_an_outdated_pdf_is_made_again_when_libreoffice_is_here(monkeypatch, unit, tmp_path):
    out = tmp_path / "out"
    with_office(monkeypatch, True)
    render(unit, out, "-f", "docx,pdf")
    folder = out / "测试单位" / "2023"
    form_pdf = next(p for p in folder.glob("1-*.pdf"))
    old = form_pdf.read_bytes()
    correct(unit)
    output = render(unit, out)  # plain render: docx, xlsx — and the PDFs the folder holds
    docx = form_pdf.with_suffix(".docx").read_bytes()
    assert form_pdf.read_bytes() == b"%PDF-fake " + hashlib.sha256(docx).hexdigest().encode() != old
    assert f"更新：{form_pdf}" in output
    assert (folder / form_pdf.with_suffix(".xlsx").name).exists()


def test_an_outdated_workbook_is_deleted_by_a_docx_only_render(monkeypatch, unit, tmp_path):
    out = tmp_path / "out"
    with_office(monkeypatch, False)
    render(unit, out)
    folder = out / "测试单位" / "2023"
    xlsx = next(p for p in folder.glob("1-*.xlsx"))
    correct(unit)
    output = render(unit, out, "-f", "docx")
    assert not xlsx.exists()
    assert f"删除（数据已变，Excel 文件 未重新生成）：{xlsx}" in output


def test_files_left_out_by_p_are_kept_and_listed_as_outdated(monkeypatch, unit, tmp_path):
    out = tmp_path / "out"
    with_office(monkeypatch, False)
    render(unit, out)
    folder = out / "测试单位" / "2023"
    book = next(p for p in folder.glob("*汇总表.xlsx"))
    before = book.read_bytes()
    correct(unit)
    output = render(unit, out, "--only", "forms")
    assert book.read_bytes() == before
    assert f"过时（数据已变，本次未选中，未重新生成）：{book}" in output
    output = render(unit, out)
    assert f"更新：{book}" in output and "过时" not in output
