"""The parts of a unit the page edits beyond the model's plain fields: a project's 部门预算项目
(`budget`), the printed labels a unit or project overrides (`labels:`) and the free
`extra:` lines; and each finding linked to the exact input it is about."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

from docx import Document

from docgen.inputs.loader import load_file

from .conftest import EXAMPLES, Client, fields_of

DEPT = "qinhuangdao-shanhaiguan-dpf-2020.yaml"
UNIT = "one-project-two-forms.yaml"


def _save(client: Client, uid: str, form: dict[str, str]) -> None:
    response = client.post(f"/u/{uid}/save", form)
    assert response.status_code == 200 and "已保存" in response.text, response.text


def test_the_departmental_budget_is_edited_and_saved(client: Client) -> None:
    shutil.copy(EXAMPLES / DEPT, client.folder / DEPT)
    uid = client.uid(DEPT)
    page = client.http.get(f"/u/{uid}").text
    assert "部门预算项目（部门整体绩效目标）" in page and "资金支出计划（%）" in page
    for label in ("预算数（元）", "其中：财政资金（元）", "其他资金（元）", "资金用途", "3月底", "12月底"):
        assert f">{label}<" in page, label
    form = fields_of(page) | {"csrf": client.guard.csrf}
    assert form["projects.0.budget.total"] == "100,000.00"  # as the file spells it
    assert form["projects.0.budget.plan.june"] == "60.00"
    assert form["projects.0.budget.use"].startswith("逐步实现残疾人")
    form["projects.0.budget.total"] = "120,000.00"
    form["projects.0.budget.other"] = "20000"
    form["projects.0.budget.plan.march"] = "30"
    form["projects.1.budget.use"] = "换证工作经费"
    _save(client, uid, form)
    saved = load_file(client.folder / DEPT).data["projects"]
    assert saved[0]["budget"]["total"] == "120,000.00" and saved[0]["budget"]["other"] == 20000
    assert saved[0]["budget"]["plan"] == {"march": 30, "june": Decimal("60.00"), "october": Decimal("90.00"), "december": Decimal("100.00")}
    assert saved[1]["budget"]["use"] == "换证工作经费"
    after = (client.folder / DEPT).read_text("utf-8").splitlines()
    before = (EXAMPLES / DEPT).read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]  # the lines edited, in place; every other byte kept
    assert [b.strip() for _, b in changed] == [
        'total: "120,000.00"',
        "other: 20000",
        "plan: {march: 30, june: 60.00, october: 90.00, december: 100.00}",
        "use: 换证工作经费",
    ]


def test_the_budget_amounts_are_labelled_in_wan_yuan(client: Client) -> None:
    shutil.copy(EXAMPLES / DEPT, client.folder / DEPT)
    uid = client.uid(DEPT)
    form = client.form(uid) | {"amount_unit": "万元"}
    client.post(f"/u/{uid}/rows", form | {"op": "", "target": ""})
    page = client.http.get(f"/u/{uid}").text
    assert ">预算数（万元）<" in page and ">其中：财政资金（万元）<" in page


def test_a_budget_finding_is_at_its_input(client: Client) -> None:
    shutil.copy(EXAMPLES / DEPT, client.folder / DEPT)
    uid = client.uid(DEPT)
    response = client.post(f"/u/{uid}/check", {"projects.0.budget.plan.march": "三成", "csrf": client.guard.csrf})
    found = re.findall(r'<li data-field="([^"]+)" class="error">([^<]*)</li>', response.text)
    assert [f for f, _ in found] == ["f-projects-0-budget-plan-march"]
    assert "百分比" in found[0][1] and "三成" in found[0][1]


def test_labels_are_overridden_by_name_and_printed(client: Client) -> None:
    uid = client.uid(UNIT)
    page = client.http.get(f"/u/{uid}").text
    # The label of the versions the unit's forms use (申报表 2023 and 自评表 2022), the printed text as placeholder
    assert re.search(r'<label for="f-labels-target">年度\(/项目\)指标值／年度指标值</label>', page)
    assert re.search(r'id="f-labels-target" name="labels.target" value=""[^>]*placeholder="年度\(/项目\)指标值"', page, re.S)
    assert re.search(r'id="f-projects-0-labels-name" name="projects.0.labels.name" value=""[^>]*placeholder="三级指标"', page, re.S)
    form = client.form(uid) | {"labels.name": "具体指标", "projects.0.labels.level1": "一级"}
    _save(client, uid, form)
    data = load_file(client.folder / UNIT).data
    assert data["labels"] == {"name": "具体指标"} and data["projects"][0]["labels"] == {"level1": "一级"}
    page = client.http.get(f"/u/{uid}").text
    assert re.search(r'id="f-projects-0-labels-name" name="projects.0.labels.name" value=""[^>]*placeholder="具体指标"', page, re.S)  # the unit's now
    response = client.http.get(f"/u/{uid}/download?what=project&p=0&fmt=docx&n=0")
    assert response.status_code == 200
    path = client.folder.parent / "form.docx"
    path.write_bytes(response.content)
    cells = {c.text for t in Document(path).tables for row in t.rows for c in row.cells}
    assert "具体指标" in cells and "一级" in cells and "三级指标" not in cells and "一级指标" not in cells
    form = client.form(uid) | {"labels.name": "", "projects.0.labels.level1": ""}
    _save(client, uid, form)
    assert load_file(client.folder / UNIT).data == load_file(EXAMPLES / UNIT).data  # both cleared: no `labels: {}` left
    assert "labels:" not in (client.folder / UNIT).read_text("utf-8")


def _extra(page: str, prefix: str = "extra") -> list[tuple[str, str]]:
    form = fields_of(page)
    lines = sorted({int(k.rsplit(".", 1)[1]) for k in form if k.startswith(f"{prefix}.*key.")})
    return [(form[f"{prefix}.*key.{n}"], form[f"{prefix}.*value.{n}"]) for n in lines]


def test_extra_lines_are_added_renamed_and_removed(client: Client) -> None:
    uid = client.uid(UNIT)
    page = client.http.get(f"/u/{uid}").text
    assert _extra(page) == [("", "")]  # a blank line to type a new one into
    # What the page sends as one types into a line: every line of the mapping (static/serve.js)
    client.post(f"/u/{uid}/check", {"extra.*key.0": "填报人", "extra.*value.0": "张三", "csrf": client.guard.csrf})
    assert client.server.folder.opened[uid].data["extra"] == {"填报人": "张三"}
    form = client.form(uid)
    assert _extra(client.http.get(f"/u/{uid}").text) == [("填报人", "张三"), ("", "")]
    form |= {"extra.*key.1": "联系电话", "extra.*value.1": "021-12345678", "projects.0.extra.*key.0": "项目负责人", "projects.0.extra.*value.0": "李四"}
    page = client.post(f"/u/{uid}/rows", form | {"op": "add", "target": "extra"}).text
    assert _extra(page) == [("填报人", "张三"), ("联系电话", "021-12345678"), ("", "")]
    assert _extra(page, "projects.0.extra") == [("项目负责人", "李四"), ("", "")]
    _save(client, uid, fields_of(page) | {"csrf": client.guard.csrf})
    data = load_file(client.folder / UNIT).data
    assert data["extra"] == {"填报人": "张三", "联系电话": "021-12345678"} and data["projects"][0]["extra"] == {"项目负责人": "李四"}
    # Renamed, then the first line removed
    form = client.form(uid) | {"extra.*key.1": "电话"}
    page = client.post(f"/u/{uid}/rows", form | {"op": "remove", "target": "extra.0"}).text
    assert _extra(page) == [("电话", "021-12345678"), ("", "")]
    _save(client, uid, fields_of(page) | {"csrf": client.guard.csrf})
    assert load_file(client.folder / UNIT).data["extra"] == {"电话": "021-12345678"}
    form = client.form(uid) | {"extra.*key.0": "", "extra.*value.0": "", "projects.0.extra.*key.0": "", "projects.0.extra.*value.0": ""}
    _save(client, uid, form)
    assert load_file(client.folder / UNIT).data == load_file(EXAMPLES / UNIT).data  # every line removed: no `extra: {}` left
    assert "extra:" not in (client.folder / UNIT).read_text("utf-8")
    # A blank name with a value: said beside the name
    response = client.post(f"/u/{uid}/check", {"extra.*key.0": "", "extra.*value.0": "021", "csrf": client.guard.csrf})
    assert re.findall(r'<li data-field="([^"]+)" class="error">([^<]*)</li>', response.text) == [("f-extra-key-0", "数据有误：不能为空")]


def test_an_extra_finding_is_at_the_value_of_its_line(client: Client) -> None:
    uid = client.uid(UNIT)
    typed = {"projects.0.extra.*key.0": "备注", "projects.0.extra.*value.0": "字" * 40000, "csrf": client.guard.csrf}
    response = client.post(f"/u/{uid}/check", typed)
    found = re.findall(r'<li data-field="([^"]+)" class="error">([^<]*)</li>', response.text)
    assert len(found) == 1 and found[0][0] == "f-projects-0-extra-value-0" and "32,767" in found[0][1]


def test_every_finding_links_to_an_input_on_the_page(client: Client) -> None:
    uid = client.uid("shanghai-dpf-2022.yaml")
    page = client.http.get(f"/u/{uid}").text
    links = re.findall(r'<a href="#([^"]+)" data-focus="\1">([^<]*)</a>', page)
    assert len(links) == 9  # each finding of `docgen check`
    ids = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', page))
    assert all(anchor in ids for anchor, _ in links), [a for a, _ in links if a not in ids]
    by_text = {text: anchor for anchor, text in links}
    assert by_text[next(t for t in by_text if "预算执行率得分填报为 10，按 min(执行率 96.41%" in t)] == "f-projects-0-evaluation-execution-score"
    assert by_text[next(t for t in by_text if "实际完成值 90 未带 %" in t)] == "f-projects-0-indicators-11-actual"


def test_a_finding_about_the_indicator_table_goes_to_its_add_button(client: Client) -> None:
    (client.folder / "空表.yaml").write_text(
        'unit: 测试单位\nyear: 2024\nforms: {selfeval: "2022"}\nprojects:\n  - name: 项目一\n    evaluation: {}\n', "utf-8"
    )
    page = client.http.get(f"/u/{client.uid('空表.yaml')}").text
    links = dict((text, anchor) for anchor, text in re.findall(r'<a href="#([^"]+)" data-focus="\1">([^<]*)</a>', page))
    assert links == {
        "[错误] 项目「项目一」：全年预算数为空或为 0，无法计算预算执行率": "f-projects-0-evaluation-funds-total-budget",
        "[错误] 项目「项目一」：分值合计为 10（预算执行率 10 + 绩效指标 0），应为 100": "f-projects-0-indicators",
    }
    assert re.search(r'<button type="button" class="add" id="f-projects-0-indicators"[^>]*>添加指标</button>', page)


def test_an_extra_name_given_twice_is_said_and_not_saved(client: Client) -> None:
    uid = client.uid(UNIT)
    typed = {"extra.*key.0": "填报人", "extra.*value.0": "张三", "extra.*key.1": "填报人", "extra.*value.1": "李四", "csrf": client.guard.csrf}
    response = client.post(f"/u/{uid}/check", typed)
    found = re.findall(r'<li data-field="([^"]+)" class="error">([^<]*)</li>', response.text)
    assert found == [("f-extra-key-1", "[错误] 单位的自定义字段「填报人」与第 1 行同名：只保存第一行，请改名或删去一行")]
    before = (client.folder / UNIT).read_bytes()
    response = client.post(f"/u/{uid}/save", client.form(uid) | typed)
    assert response.status_code == 409 and "未保存：单位的自定义字段「填报人」与第 1 行同名" in response.text
    assert (client.folder / UNIT).read_bytes() == before
    typed["extra.*key.1"] = "审核人"
    response = client.post(f"/u/{uid}/save", client.form(uid) | typed)
    assert response.status_code == 200
    assert load_file(client.folder / UNIT).data["extra"] == {"填报人": "张三", "审核人": "李四"}
