"""Downloads are the bytes `docgen render` writes for the same data; the preview is the
rendered worksheet as a table; the review page and its workbook and letters."""

from __future__ import annotations

import html
import io
import re
import zipfile
from urllib.parse import quote, unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen.api import render_file
from docgen.build.plan import RenderOptions

from .conftest import EXAMPLES, Client

UNIT = "one-project-two-forms.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, bytes]:
    """What `docgen render one-project-two-forms.yaml` writes (forms and book)."""
    out = tmp_path_factory.mktemp("render")
    result = render_file(EXAMPLES / UNIT, out, options=RenderOptions(jobs=1))
    return {p.name: p.read_bytes() for p in result.files}


def _name(response) -> str:
    return unquote(response.headers["content-disposition"].split("''", 1)[1])


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_one_form_is_the_bytes_docgen_render_writes(client: Client, rendered: dict[str, bytes], fmt: str) -> None:
    uid = client.uid(UNIT)
    for n, kind in enumerate(("财政项目支出绩效目标申报表", "财政项目支出绩效自评表")):
        response = client.http.get(f"/u/{uid}/download?what=project&p=0&fmt={fmt}&n={n}")
        assert response.status_code == 200
        name = _name(response)
        assert name == f"1-交换平台运行费-{kind}.{fmt}"
        assert response.content == rendered[name]


def test_the_word_form_reads_back(client: Client) -> None:
    uid = client.uid(UNIT)
    form = client.form(uid)
    form["projects.0.indicators.0.target"] = "≥95%"
    client.post(f"/u/{uid}/check", form)
    data = client.http.get(f"/u/{uid}/download?what=project&p=0&fmt=docx&n=0").content
    cells = [c.text for t in Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells]
    assert "≥95%" in cells and "电费缴纳完成率" in cells


def test_all_forms_and_the_book(client: Client, rendered: dict[str, bytes]) -> None:
    uid = client.uid(UNIT)
    response = client.http.get(f"/u/{uid}/download?what=all")
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert sorted(zf.namelist()) == sorted(rendered)
        for name in zf.namelist():
            assert zf.read(name) == rendered[name], name
    book = client.http.get(f"/u/{uid}/download?what=book&fmt=xlsx")
    assert book.status_code == 200
    assert _name(book).startswith("上海市社会保障卡服务中心2023年度") and _name(book).endswith("汇总表.xlsx")
    assert book.content == rendered[_name(book)]
    forms = client.http.get(f"/u/{uid}/download?what=forms")
    with zipfile.ZipFile(io.BytesIO(forms.content)) as zf:
        assert len(zf.namelist()) == 4 and not any("汇总表" in n for n in zf.namelist())


@pytest.mark.parametrize("query", ["what=project&p=9", "what=project", "what=evil", "what=forms&fmt=exe"])
def test_bad_download_requests(client: Client, query: str) -> None:
    response = client.http.get(f"/u/{client.uid(UNIT)}/download?{query}")
    assert response.status_code in (400, 404)
    assert "没有这个项目" in response.text or "下载的内容或格式不对" in response.text


def test_the_preview_is_the_rendered_table(client: Client) -> None:
    page = client.http.get(f"/u/{client.uid(UNIT)}/preview?p=0").text
    assert page.count('<table class="sheet"') == 2  # its 申报表 and its 自评表
    assert "交换平台运行费" in page and "电费缴纳完成率" in page
    assert re.search(r'<td[^>]*colspan="\d+"[^>]*>', page)  # merged cells as spans
    assert "财政项目支出绩效目标申报表" in page


def test_a_unit_with_errors_cannot_be_downloaded(client: Client) -> None:
    uid = client.uid(UNIT)
    form = client.form(uid)
    form["year"] = "1800"
    client.post(f"/u/{uid}/check", form)
    response = client.http.get(f"/u/{uid}/download?what=forms")
    assert response.status_code == 422 and "数据有误，无法生成表单" in response.text


def _review_rows(page: str) -> list[tuple[str, ...]]:
    found = re.findall(r"<tr>\s*<td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>\s*<td class=\"num\">(.*?)</td><td>(.*?)</td>", page)
    return [(re.sub(r"<[^>]+>", "", unit), *rest) for unit, *rest in found]


def test_the_review_table(client: Client) -> None:
    page = client.http.get("/review").text
    rows = _review_rows(page)
    assert ("上海市残疾人联合会 2022", "残疾人权益保障经费", "财政项目支出绩效自评表（2022 版）", "96", "优") in rows
    assert len(rows) == 8  # six 自评表, one 申报表 and one 自评表
    assert "显示 8 / 8 个项目表单" in page
    uid = client.uid("shanghai-dpf-2022.yaml")
    assert f'<td><a href="/u/{uid}">上海市残疾人联合会 2022</a></td>' in page
    assert str(client.folder) not in page
    only = client.http.get("/review?only=errors").text
    assert only.count('<td class="num bad">') == len(_review_rows(only)) == 4
    assert "残疾人权益保障经费" not in client.http.get("/review?grade=差").text
    good = _review_rows(client.http.get("/review?grade=良").text)
    assert [(r[1], r[4]) for r in good] == [("残疾人事业统计、监测和政策研究经费", "良")]
    by_name = client.http.get("/review?q=" + quote("社会保障卡")).text
    assert {r[0] for r in _review_rows(by_name)} == {"上海市社会保障卡服务中心 2023"} and "显示 2 / 8 个项目表单" in by_name
    nothing = client.http.get("/review?q=" + quote("没有这个单位")).text
    assert "没有符合筛选条件的项目表单。" in nothing and "清除筛选" in nothing


def test_each_review_finding_links_to_its_input(client: Client) -> None:
    """The place of a finding (file and line) links to the input it is about on its
    unit's page; that input is there, with the same finding beside it."""
    page = client.http.get("/review").text
    links = re.findall(r'<a class="where" href="(/u/(\w+)#([^"]+))">([^<]+)</a> \[(..)\] ([^<]+)</li>', page)
    assert len(links) == 9  # every finding of the folder (the other unit has none)
    uid = client.uid("shanghai-dpf-2022.yaml")
    assert (f"/u/{uid}#f-projects-0-evaluation-execution-score", uid, "f-projects-0-evaluation-execution-score", "shanghai-dpf-2022.yaml:104") in [
        link[:4] for link in links
    ]
    pages: dict[str, str] = {}
    for _, unit, anchor, _place, level, text in links:
        unit_page = pages.setdefault(unit, client.http.get(f"/u/{unit}").text)
        assert re.search(rf'<(input|select|textarea) id="{anchor}"', unit_page), anchor
        shown = re.findall(rf'<li data-field="{anchor}" class="\w+">([^<]*)</li>', unit_page)
        assert any(html.unescape(text) in html.unescape(s) and level in s for s in shown), (anchor, text, shown)


def test_the_review_workbook_and_letters(client: Client) -> None:
    response = client.http.get("/review/workbook")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "项目", "问题"]
    letters = client.http.get("/review/letters")
    with zipfile.ZipFile(io.BytesIO(letters.content)) as zf:
        names = zf.namelist()
    assert len(names) == 2 and all(n.endswith(".docx") for n in names)


@pytest.mark.office
def test_a_pdf_of_one_form(client: Client, monkeypatch) -> None:
    import shutil as _shutil
    import subprocess

    if _shutil.which("soffice") is None or _shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice / poppler not installed (make system)")
    monkeypatch.setenv("DOCGEN_SOFFICE", _shutil.which("soffice"))  # tests/conftest.py hides it from the others

    response = client.http.get(f"/u/{client.uid(UNIT)}/download?what=project&p=0&fmt=pdf&n=1")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert _name(response) == "1-交换平台运行费-财政项目支出绩效自评表.pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode("utf-8")
    assert "财政项目支出绩效自评表" in text and "电费缴纳完成率" in text
