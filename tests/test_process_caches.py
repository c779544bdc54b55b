"""What a process keeps between renders (parsed unit texts, the registry, prepared
templates) is keyed by content: an edit made between two renders always shows, and no
caller sees another's changes to the data it was given."""

from conftest import FIXTURES
from docx import Document
from openpyxl import load_workbook

from docgen import RenderOptions, render_file
from docgen.parse.load import load_text
from docgen.registry.manifest import load_registry

FORM = "1-测试项目-财政项目支出绩效自评表"


def test_a_parsed_text_is_a_fresh_copy_and_an_edit_reads_anew(tmp_path):
    path = tmp_path / "u.yaml"
    first = load_text("unit: 甲\nyear: 2023\n", path)
    first.data["unit"] = "改了"
    assert load_text("unit: 甲\nyear: 2023\n", path).data == {"unit": "甲", "year": 2023}
    again = load_text("unit: 乙\nyear: 2023\n", path)
    assert again.data == {"unit": "乙", "year": 2023} and again.lines[("unit",)] == 1


def test_a_manifest_edited_in_place_reads_anew(templates):
    assert load_registry(templates).defaults["target"] == "2023"
    manifest = templates / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('default: "2023"', 'default: "2020"', 1), encoding="utf-8")  # same size
    assert load_registry(templates).defaults["target"] == "2020"


def test_templates_edited_in_place_between_two_renders_show(templates, tmp_path):
    options = RenderOptions(layout=False, book=False)
    first = render_file(FIXTURES / "minimal.yaml", tmp_path / "a", options=options)
    docx, xlsx = templates / "docx" / "selfeval-2022.docx", templates / "xlsx" / "selfeval-2022.xlsx"
    doc = Document(str(docx))
    doc.paragraphs[1].runs[0].text = "（{{ form.year }}年度，改过的模板）"
    doc.save(str(docx))
    wb = load_workbook(xlsx)
    wb.active["A2"].value = "（{{ form.year }}年度，改过的模板）"
    wb.save(xlsx)
    second = render_file(FIXTURES / "minimal.yaml", tmp_path / "b", options=options)
    folder = second.files[0].parent
    assert Document(str(folder / f"{FORM}.docx")).paragraphs[1].text == "（2023年度，改过的模板）"
    assert load_workbook(folder / f"{FORM}.xlsx").active["A2"].value == "（2023年度，改过的模板）"
    old = first.files[0].parent
    assert Document(str(old / f"{FORM}.docx")).paragraphs[1].text != "（2023年度，改过的模板）"
