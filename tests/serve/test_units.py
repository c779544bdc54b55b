"""The folder's units as the list shows them, and a new unit from form kinds and versions."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from docgen.inputs.loader import load_file

from .conftest import Client


def test_the_list_of_units(client: Client) -> None:
    (client.folder / "坏文件.yaml").write_text("unit: [\n", "utf-8")
    (client.folder / "说明.txt").write_text("不是单位文件", "utf-8")
    page = client.http.get("/").text
    rows = re.findall(
        r'<td><a href="/u/(\w+)">(.*?)</a>.*?</td>\s*<td>(\d+)</td><td>(.*?)</td><td class="num">(\d+)</td>\s*<td class="num[^"]*">(\d+)</td><td class="num">(\d+)</td>',
        page,
        re.S,
    )
    assert (client.uid("shanghai-dpf-2022.yaml"), "上海市残疾人联合会", "2022", "财政项目支出绩效自评表 2022（6）", "6", "4", "5") in rows
    assert (
        len(rows) == 2 and rows[0][1] == "上海市社会保障卡服务中心" and rows[0][3] == "财政项目支出绩效目标申报表 2023（1）、财政项目支出绩效自评表 2022（1）"
    )
    assert "坏文件.yaml" in page and "输入文件有误" in page  # the CLI's message
    assert "说明.txt" not in page


@pytest.mark.parametrize(
    "kinds, fmt, parts",
    [
        ({"selfeval": "2022"}, "yaml", ["evaluation"]),
        ({"target": "2023", "selfeval": "2022"}, "yaml", ["declaration", "evaluation"]),
        ({"target": "2020"}, "xlsx", ["declaration"]),
    ],
)
def test_a_new_unit(client: Client, kinds: dict[str, str], fmt: str, parts: list[str]) -> None:
    form = {"unit": "新单位", "year": "2025", "amount_unit": "万元", "format": fmt}
    form |= {f"kind-{k}": "1" for k in kinds} | {f"version-{k}": v for k, v in kinds.items()}
    response = client.post("/new", form)
    assert response.status_code == 303
    path = client.folder / f"新单位2025.{fmt}"
    assert response.headers["location"] == f"/u/{client.uid(path.name)}"
    data = load_file(path).data
    assert data["unit"] == "新单位" and data["year"] == 2025
    # a workbook is written from the checked unit, in the 元 its forms print (as `docgen workbook` does)
    assert data["amount_unit"] == ("万元" if fmt == "yaml" else "元")
    assert {k: str(v) for k, v in data["forms"].items()} == kinds
    assert [p for p in parts if p in data["projects"][0]] == parts
    page = client.http.get(response.headers["location"])
    assert page.status_code == 200 and "新单位 2025 年度" in page.text
    again = client.post("/new", form)  # never over an existing file
    assert again.headers["location"] == f"/u/{client.uid(f'新单位2025-2.{fmt}')}"


@pytest.mark.parametrize(
    "form, message",
    [
        ({"unit": "", "year": "2025", "kind-selfeval": "1", "version-selfeval": "2022"}, "请填写单位名称。"),
        ({"unit": "甲", "year": "25", "kind-selfeval": "1", "version-selfeval": "2022"}, "年度应为四位数字，如 2024。"),
        ({"unit": "甲", "year": "2025"}, "请至少选一种表单。"),
        ({"unit": "甲", "year": "2025", "kind-selfeval": "1", "version-selfeval": "1999"}, "表单「selfeval」没有版本「1999」。"),
        ({"unit": "../../甲", "year": "2025", "kind-selfeval": "1", "version-selfeval": "2099"}, "表单「selfeval」没有版本「2099」。"),
    ],
)
def test_a_new_unit_refused(client: Client, form: dict[str, str], message: str) -> None:
    response = client.post("/new", form)
    assert unquote(response.headers["location"].split("?m=", 1)[1]) == message
    assert sorted(p.name for p in client.folder.iterdir()) == ["one-project-two-forms.yaml", "shanghai-dpf-2022.yaml"]


def test_a_unit_name_is_no_path(client: Client) -> None:
    response = client.post("/new", {"unit": "../../外面", "year": "2025", "kind-selfeval": "1", "version-selfeval": "2022"})
    assert response.status_code == 303
    made = [p.name for p in client.folder.iterdir() if p.name.endswith("外面2025.yaml")]
    assert len(made) == 1 and "/" not in made[0]
    assert not (client.folder.parent.parent / "外面2025.yaml").exists()
