"""Received and last year's forms dropped onto the page become a unit file of the folder;
a data-entry workbook is added as it is."""

from __future__ import annotations

from pathlib import Path

from docgen.api import render_file
from docgen.build.plan import RenderOptions

from .conftest import EXAMPLES, Client


def rendered_form(tmp_path: Path, suffix: str = ".docx") -> bytes:
    out = tmp_path / "rendered"
    result = render_file(EXAMPLES / "one-project-two-forms.yaml", out, options=RenderOptions(book=False, jobs=1, layout=False))
    return next(p for p in result.files if p.suffix == suffix and "申报表" in p.name).read_bytes()


def test_a_received_form_becomes_a_unit_file(client: Client, tmp_path: Path) -> None:
    response = client.post("/upload", files={"files": ("收到的申报表.docx", rendered_form(tmp_path))})
    assert response.status_code == 303
    target = client.folder / "上海市社会保障卡服务中心2023.yaml"
    assert response.headers["location"].startswith(f"/u/{client.uid(target.name)}")
    text = target.read_text("utf-8")
    assert "name: 交换平台运行费" in text and "电费缴纳完成率" in text
    page = client.http.get(response.headers["location"]).text
    assert "上海市社会保障卡服务中心 2023 年度" in page


def test_a_workbook_is_opened_as_it_is(client: Client) -> None:
    from docgen.build.workbook import blank_workbook

    data = blank_workbook({"selfeval": "2022"})
    response = client.post("/upload", files={"files": ("本单位.xlsx", data)})
    assert response.status_code == 303
    made = [p for p in client.folder.iterdir() if p.suffix == ".xlsx"]
    assert len(made) == 1 and made[0].read_bytes() == data
    page = client.http.get(response.headers["location"])
    assert page.status_code == 200 and "另存为 YAML" in page.text
