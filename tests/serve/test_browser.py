"""`docgen serve` in a real browser: Debian's Chromium driven by Playwright through what
a clerk does (create a unit, type a project with indicators, watch the score and a
finding, save, download the Word form, open a workbook, import a received form,
review the folder); screenshots of the main pages at 1366x768 compared with the
golden images in tests/serve/golden/ (`DOCGEN_GOLDEN=update` rewrites them: look at
them before committing)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from docgen.inputs.loader import load_file

from .conftest import EXAMPLES

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
GOLDEN = Path(__file__).resolve().parent / "golden"
FAILED = Path(__file__).resolve().parents[2] / "build" / "serve"
UPDATE = os.environ.get("DOCGEN_GOLDEN") == "update"
PIXEL_THRESHOLD = 64
TOLERANCE = 0.01  # share of the screenshot's pixels

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not found: apt-get install chromium (make system does)")


@pytest.fixture
def served(tmp_path: Path):
    import uvicorn

    from docgen.serve.app import create_app
    from docgen.serve.security import Guard

    folder = tmp_path / "收到的表"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shanghai-dpf-2022.yaml", folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    guard = Guard.new("127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(create_app(folder, guard), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield folder, f"http://127.0.0.1:{port}", guard
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(tmp_path: Path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
        yield context.new_page()
        browser.close()


def matches_golden(page, name: str, mask: list = ()) -> None:
    shot = Image.open(io.BytesIO(page.screenshot(mask=list(mask), animations="disabled", caret="hide"))).convert("L")
    golden = GOLDEN / f"{name}.png"
    if UPDATE or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        shot.save(golden, optimize=True)
        if not UPDATE:
            pytest.fail(f"{golden} was missing and is now written: look at it and commit it")
        return
    expected = Image.open(golden).convert("L")
    assert shot.size == expected.size
    delta = ImageChops.difference(shot, expected).point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    share = delta.histogram()[255] / (delta.width * delta.height)
    if share > TOLERANCE:
        FAILED.mkdir(parents=True, exist_ok=True)
        shot.save(FAILED / f"{name}-actual.png")
        delta.save(FAILED / f"{name}-diff.png")
    assert share <= TOLERANCE, f"{name}: {share:.2%} of pixels differ; see {FAILED}"


def every_input_is_labelled(page) -> None:
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name || el.id)"""
    )
    assert unlabelled == []


def test_a_clerk_fills_checks_saves_and_downloads(served, page, tmp_path: Path) -> None:
    folder, base, guard = served
    page.goto(f"{base}/?token={guard.secret}")
    assert page.url == f"{base}/"  # the token went into a cookie
    assert page.locator("h1").inner_text() == "单位列表"
    assert "上海市残疾人联合会" in page.locator("table.list").inner_text()
    page.keyboard.press("Tab")  # keyboard alone: the skip link first, then the navigation
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "单位列表"
    page.fill("#new-year", "2024")
    every_input_is_labelled(page)
    matches_golden(page, "index")

    # Create a unit: 自评表 only
    page.fill("#new-unit", "测试单位")
    page.uncheck("#kind-target")
    page.check("#kind-selfeval")
    page.click("form[action='/new'] button[type=submit]")
    page.wait_for_url("**/u/*")
    assert "测试单位 2024 年度" in page.locator("h1").inner_text()
    unit_file = folder / "测试单位2024.yaml"
    assert load_file(unit_file).data["unit"] == "测试单位"

    # Type a project with an indicator
    page.fill("#f-projects-0-name", "课题研究经费")
    page.click("text=添加指标")
    page.wait_for_selector("#f-projects-0-indicators-0-level1")
    sync_api.expect(page.locator("#f-projects-0-indicators-0-level1")).to_be_focused()  # the keyboard goes on in the new row
    page.select_option("#f-projects-0-indicators-0-level1", "产出指标")
    level2 = page.locator("#f-projects-0-indicators-0-level2 option").all_inner_texts()
    assert "数量指标" in level2 and "社会效益指标" not in level2
    page.select_option("#f-projects-0-indicators-0-level2", "数量指标")
    page.fill("#f-projects-0-indicators-0-name", "完成研究课题个数")
    page.fill("#f-projects-0-indicators-0-target", "≥95%")
    page.fill("#f-projects-0-indicators-0-actual", "96%")
    finding = page.locator("#ff-f-projects-0-indicators-0-weight")  # beside the 分值 input
    sync_api.expect(finding).to_have_text("[错误] 项目「课题研究经费」指标「完成研究课题个数」：未填写分值", timeout=5000)
    assert page.get_attribute("#f-projects-0-indicators-0-weight", "aria-invalid") == "true"
    assert "未填写分值" in page.locator("#panel-0").inner_text()
    page.focus("#f-projects-0-name")
    page.click("#panel-0 a:has-text('未填写分值')")  # the finding takes the clerk to the cell it is about
    sync_api.expect(page.locator("#f-projects-0-indicators-0-weight")).to_be_focused()
    assert page.locator("#f-projects-0-indicators-0-weight").is_visible()
    started = time.perf_counter()
    page.fill("#f-projects-0-indicators-0-weight", "90")
    sync_api.expect(finding).to_have_text("", timeout=5000)
    took = time.perf_counter() - started
    assert took < 2.0  # typing delay (120 ms) + check + swap, on a loaded test machine
    assert page.get_attribute("#f-projects-0-indicators-0-weight", "aria-invalid") is None
    total = page.locator("#panel-0 [data-total] b")
    sync_api.expect(total).to_have_text("90", timeout=5000)
    sync_api.expect(page.locator("#panel-0 [data-grade] b")).to_have_text("优")
    page.fill("#f-projects-0-indicators-0-actual", "50%")
    sync_api.expect(total).not_to_have_text("90", timeout=5000)

    # Save
    page.click("#save")
    sync_api.expect(page.locator("#status")).to_contain_text("已保存：测试单位2024.yaml", timeout=5000)
    saved = load_file(unit_file).data["projects"][0]
    assert saved["name"] == "课题研究经费"
    assert saved["indicators"][0] == {"level1": "产出指标", "level2": "数量指标", "name": "完成研究课题个数", "target": "≥95%", "actual": "50%", "weight": 90}
    page.fill("#f-projects-0-indicators-0-actual", "96%")
    sync_api.expect(total).to_have_text("90", timeout=5000)
    every_input_is_labelled(page)
    sync_api.expect(page.locator("#check-status")).to_contain_text("已检查")
    page.evaluate(
        "document.getElementById('status').textContent = ''; window.scrollTo(0, 0); document.activeElement.blur();"
        " const s = document.createElement('style'); s.textContent = '#check-status .took { visibility: hidden }'; document.head.append(s)"
    )  # the milliseconds vary (a check may still come in): the rest of the page is compared
    matches_golden(page, "unit")

    # Download the Word form and read it back
    with page.expect_download() as download:
        page.click("#project-0 >> text=Word")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == "1-课题研究经费-财政项目支出绩效自评表.docx"
    from docx import Document

    cells = [c.text for t in Document(target).tables for row in t.rows for c in row.cells]
    assert "完成研究课题个数" in cells and "≥95%" in cells and "96%" in cells

    # The preview, printable
    page.click("#project-0 >> text=预览表单")
    page.wait_for_selector("table.sheet")
    assert "课题研究经费" in page.locator("table.sheet").first.inner_text()
    matches_golden(page, "preview")
    page.emulate_media(media="print")  # printed: the form alone, no navigation or buttons
    assert page.locator("header.top").is_hidden() and page.locator("p.noprint").is_hidden()
    assert page.locator("table.sheet").first.is_visible()
    page.emulate_media(media="screen")


def test_open_a_workbook_import_a_form_and_review(served, page, tmp_path: Path) -> None:
    from docgen.api import render_file
    from docgen.build.plan import RenderOptions
    from docgen.build.workbook import blank_workbook

    folder, base, guard = served
    page.goto(f"{base}/?token={guard.secret}")
    book = tmp_path / "本单位.xlsx"
    book.write_bytes(blank_workbook({"selfeval": "2022"}))
    page.set_input_files("#upload-files", str(book))
    page.click("form.drop button[type=submit]")
    page.wait_for_url("**/u/*")
    assert page.locator("text=另存为 YAML").count() == 1
    assert len(list(folder.glob("*.xlsx"))) == 1

    result = render_file(EXAMPLES / "one-project-two-forms.yaml", tmp_path / "out", options=RenderOptions(book=False, jobs=1, layout=False))
    received = next(p for p in result.files if p.suffix == ".docx" and "申报表" in p.name)
    page.goto(f"{base}/")
    page.set_input_files("#upload-files", str(received))
    page.click("form.drop button[type=submit]")
    page.wait_for_url("**/u/*")
    assert "上海市社会保障卡服务中心 2023 年度" in page.locator("h1").inner_text()
    assert page.input_value("#f-projects-0-name") == "交换平台运行费"

    page.goto(f"{base}/review")
    table = page.locator("table.review").inner_text()
    assert "上海市残疾人联合会 2022" in table and "交换平台运行费" in table
    page.select_option("#only", "errors")
    page.click("text=筛选")
    page.wait_for_url("**/review?*")
    assert "只看" in page.content()
    matches_golden(page, "review")
    with page.expect_download() as download:
        page.click("text=下载审核汇总工作簿（.xlsx）")
    assert download.value.suggested_filename == "审核汇总.xlsx"


def test_budget_labels_extra_lines_and_a_finding_from_the_review(served, page) -> None:
    from docgen.serve.units import unit_id

    folder, base, guard = served
    dept = "qinhuangdao-shanhaiguan-dpf-2020.yaml"
    shutil.copy(EXAMPLES / dept, folder)
    page.goto(f"{base}/?token={guard.secret}")
    page.goto(f"{base}/u/{unit_id(dept)}")
    assert page.input_value("#f-projects-0-budget-total") == "100,000.00"
    assert page.locator("label[for=f-projects-0-budget-total]").inner_text() == "预算数（元）"
    page.fill("#f-projects-0-budget-plan-march", "三成")
    finding = page.locator("#ff-f-projects-0-budget-plan-march")
    sync_api.expect(finding).to_contain_text("百分比", timeout=5000)
    page.fill("#f-projects-0-budget-plan-march", "30")
    sync_api.expect(finding).to_have_text("", timeout=5000)

    # The unit's labels and extra: lines, behind their summary (keyboard: Enter opens it)
    assert page.locator("#f-extra-key-0").is_hidden()
    page.focus("section.unit details > summary")
    page.keyboard.press("Enter")
    page.fill("#f-labels-name", "具体指标")
    page.fill("#f-extra-key-0", "填报人")
    page.fill("#f-extra-value-0", "张三")
    sync_api.expect(page.locator("#check-status")).to_contain_text("已检查（未保存）", timeout=5000)
    page.click("section.unit >> text=添加一行")
    sync_api.expect(page.locator("#f-extra-key-1")).to_be_focused(timeout=5000)  # the new blank line
    page.keyboard.type("联系电话")
    page.fill("#f-extra-value-1", "0335-1234567")
    every_input_is_labelled(page)
    page.click("#save")
    sync_api.expect(page.locator("#status")).to_contain_text(f"已保存：{dept}", timeout=5000)
    data = load_file(folder / dept).data
    assert data["extra"] == {"填报人": "张三", "联系电话": "0335-1234567"} and data["labels"] == {"name": "具体指标"}
    assert data["projects"][0]["budget"]["plan"]["march"] == 30

    # The review: filtered by unit, each finding's place links to the input on the unit's page
    page.goto(f"{base}/review")
    page.fill("#q", "秦皇岛")
    page.click("text=筛选")
    page.wait_for_url("**/review?*")
    assert "上海市残疾人联合会" not in page.locator("table.review").inner_text()
    assert page.locator("#review-count").inner_text() == "显示 6 / 12 个项目表单"
    matches_golden(page, "review-filtered")
    page.click(f"a.where:has-text('{dept}:157')")
    page.wait_for_url(f"**/u/{unit_id(dept)}#f-projects-3-indicators-1-name")
    target = page.locator("#f-projects-3-indicators-1-name")
    sync_api.expect(target).to_be_focused(timeout=5000)
    assert target.is_visible() and "三级指标重复" in page.locator("#ff-f-projects-3-indicators-1-name").inner_text()
    box = target.bounding_box()
    assert box is not None and 100 < box["y"] < 700  # in view, clear of the sticky toolbar
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    matches_golden(page, "unit-dept")
