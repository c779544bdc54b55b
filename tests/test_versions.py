"""Adding a form version is data work: commands, templates and the manifest, no Python."""

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen.cli.app import app
from docgen.registry.manifest import load_registry

runner = CliRunner()


def test_list_shows_kinds_versions_defaults_and_files(templates):
    result = runner.invoke(app, ["templates", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("* selfeval 2022  财政项目支出绩效自评表")
    assert lines[1].strip() == str(templates / "docx" / "selfeval-2022.docx")
    assert any(line.startswith("* target 2023  财政项目支出绩效目标申报表") for line in lines)


@pytest.mark.parametrize(
    ("args", "region", "title"),
    [
        (["sichuan-2024", "--from", "sichuan-2023"], "四川", "部门预算项目支出绩效自评表"),  # the source's region and title
        (["chengdu-2024", "--from", "sichuan-2023", "--region", "成都"], "成都", "部门预算项目支出绩效自评表"),
        (["2024", "--from", "2022"], "", "财政项目支出绩效自评表"),
    ],
)
def test_new_version_keeps_or_takes_its_region_and_title(templates, args, region, title):
    result = runner.invoke(app, ["templates", "new", "selfeval", *args])
    assert result.exit_code == 0, result.output
    version = load_registry(templates).version("selfeval", args[0])
    assert (version.region, version.title) == (region, title)


def test_list_flags_a_missing_template(templates):
    (templates / "xlsx" / "target-2023.xlsx").unlink()
    result = runner.invoke(app, ["templates", "list"])
    assert result.exit_code == 1
    assert f"{templates / 'xlsx' / 'target-2023.xlsx'}  （缺失）" in result.output


def test_new_version_renders_after_editing_only_templates_and_data(templates, fixtures, tmp_path):
    result = runner.invoke(app, ["templates", "new", "selfeval", "2023", "--from", "2022"])
    assert result.exit_code == 0, result.output
    manifest = (templates / "manifest.yaml").read_text(encoding="utf-8")
    assert "# The form registry" in manifest  # comments survive the rewrite
    assert "docx: docx/selfeval-2023.docx" in manifest

    # What a clerk does in Word and Excel: change the heading of the new version.
    docx_path = templates / "docx" / "selfeval-2023.docx"
    doc = Document(str(docx_path))
    doc.paragraphs[1].runs[0].text = "（{{ form.year }}年度，新版）"
    doc.save(str(docx_path))
    xlsx_path = templates / "xlsx" / "selfeval-2023.xlsx"
    wb = load_workbook(xlsx_path)
    wb.active["A2"].value = "（{{ form.year }}年度，新版）"
    wb.save(xlsx_path)

    unit = tmp_path / "unit.yaml"
    text = (fixtures / "minimal.yaml").read_text(encoding="utf-8")
    unit.write_text(text.replace("amount_unit: 元\n", 'amount_unit: 元\nforms:\n  selfeval: "2023"\n'), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(unit), "-o", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "测试单位" / "2023"
    rendered = Document(str(next(folder.glob("1-*.docx"))))
    assert rendered.paragraphs[1].text == "（2023年度，新版）"
    assert load_workbook(next(folder.glob("1-*.xlsx"))).active["A2"].value == "（2023年度，新版）"

    # the old version is untouched and still the default
    unit.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["render", str(unit), "-o", str(tmp_path / "old")])
    old = Document(str(next((tmp_path / "old" / "测试单位" / "2023").glob("1-*.docx"))))
    assert old.paragraphs[1].text == "（2023年度）"


@pytest.mark.parametrize(
    "args, words",
    [
        (["selfeval", "2022", "--from", "2022"], "已有版本「2022」"),
        (["selfeval", "2024", "--from", "1999"], "没有版本「1999」"),
        (["nope", "2024", "--from", "2022"], "没有表单种类「nope」"),
        (["selfeval", "20/24", "--from", "2022"], "版本名「20/24」"),
    ],
)
def test_new_version_refuses(templates, args, words):
    before = (templates / "manifest.yaml").read_bytes()
    result = runner.invoke(app, ["templates", "new", *args])
    assert result.exit_code == 2
    assert words in result.output
    assert (templates / "manifest.yaml").read_bytes() == before
