"""`docgen import`: printed forms read back. Render -> import -> render gives the same
bytes, from the Word files alone and from the Excel files alone; hand edits come back."""

from __future__ import annotations

import copy
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from docgen import render_file
from docgen.build.plan import RenderOptions
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import load_file
from docgen.model.validate import validate
from docgen.parse.load import load_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
# Every example: 自评表, both 申报表 layouts, both forms of one project, the departmental document.
PROJECT_FORMS = ["shanghai-dpf-2022", "shanghai-sscard-2023", "shanghai-dpf-infocenter-2020", "one-project-two-forms", "qinhuangdao-shanhaiguan-dpf-2020"]
FORMS_ONLY = RenderOptions(book=False, layout=False)
runner = CliRunner()


@pytest.fixture(scope="module")
def rendered_forms(tmp_path_factory):
    """`rendered_forms(example)` -> the form files of an example rendered without a book,
    once per module; read them, or `_copied` them before changing anything."""
    cache: dict[str, list[Path]] = {}

    def forms(example: str) -> list[Path]:
        if example not in cache:
            folder = tmp_path_factory.mktemp(f"forms-{example}")
            cache[example] = list(render_file(EXAMPLES / f"{example}.yaml", folder, options=FORMS_ONLY).files)
        return cache[example]

    return forms


@pytest.fixture(scope="module")
def rendered_text(tmp_path_factory):
    """`rendered_text(yaml, options)` -> the files a unit file of this text renders to,
    once per module: the Word and the Excel forms of a unit import to the same text."""
    cache: dict[tuple[str, RenderOptions], list[Path]] = {}

    def render(text: str, options: RenderOptions) -> list[Path]:
        if (text, options) not in cache:
            unit = tmp_path_factory.mktemp("imported") / "imported.yaml"
            unit.write_text(text, encoding="utf-8")
            cache[text, options] = list(render_file(unit, unit.parent / "out", options=options).files)
        return cache[text, options]

    return render


def _copied(forms: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(f, folder / f.name)) for f in forms]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@pytest.mark.parametrize("example", PROJECT_FORMS)
def test_render_import_render_gives_the_same_forms(example, suffix, tmp_path, rendered_forms, rendered_text):
    forms = rendered_forms(example)
    unit = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["import", *[str(f) for f in forms if f.suffix == suffix], "-o", str(unit)])
    assert result.exit_code == 0, result.output
    again = rendered_text(unit.read_text(encoding="utf-8"), FORMS_ONLY)
    assert [f.name for f in again] == [f.name for f in forms]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(forms, again))


def test_imported_unit_file_reads_like_a_person_wrote_it(tmp_path, rendered_forms):
    forms = rendered_forms("one-project-two-forms")
    text = import_forms([f for f in forms if f.suffix == ".docx"]).yaml
    lines = text.splitlines()
    assert lines[:4] == [
        "unit: 上海市社会保障卡服务中心  # 单位名称",
        "year: 2023 # 年度",
        "department: 上海市公安局 # 主管部门（默认）",
        "executor: 上海市社会保障卡服务中心 # 实施单位（默认）",
    ]
    assert '        target: "=100.00(%)" # 年度指标值' in lines
    assert '        target: "稳定"' not in lines and "        target: 稳定" in lines
    assert "        evaluated_target: 健全  # 自评表年度指标值" in lines
    assert "        annual_total: 446,048.00  # 年度资金申请总额" in lines  # amounts as printed
    assert not any(line.strip().startswith(("score:", "total_score:", "rate:")) for line in lines)  # computed: left out
    unit = validate(load_text(text, tmp_path / "x.yaml"))
    example = validate(load_file(EXAMPLES / "one-project-two-forms.yaml"))

    def stripped(value):  # a block scalar's last line break is not data
        if isinstance(value, dict):
            return {k: stripped(v) for k, v in value.items()}
        if isinstance(value, list):
            return [stripped(v) for v in value]
        return value.strip() if isinstance(value, str) else value

    assert stripped(unit.model_dump(exclude={"forms"})) == stripped(example.model_dump(exclude={"forms"}))


def test_check_of_imported_published_forms_reports_the_published_slips(rendered_forms):
    forms = rendered_forms("shanghai-dpf-2022")
    result = runner.invoke(app, ["check", str(forms[0])])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f"{forms[0]}:表格 1 第 4 行第 9 列: [错误] 项目「残疾人权益保障经费」：预算执行率得分填报为 10，按 min(执行率 96.41%, 100%) × 分值 10 应为 9.64",
        f"{forms[0]}:表格 1 第 12 行第 8 列: [提示] 项目「残疾人权益保障经费」指标「完成研究课题个数」：得分填报为 6，按规则应为 8（未达目标：实际/目标×分值 = 1.6/2×10）",
    ]
    result = runner.invoke(app, ["check", str(forms[9])])  # project 5, Excel: the 96.34% slip
    assert (
        f"{forms[9]}:自评表!H6: [错误] 项目「残疾人基本保障和帮扶经费」：执行率填报为 96.34%，按 全年执行数/全年预算数 = 9835738/10210000 应为 96.33%"
        in result.output
    )


def test_hand_edits_in_word_come_back(tmp_path, rendered_forms):
    form = _copied(rendered_forms("shanghai-dpf-2022")[:1], tmp_path)[0]
    doc = Document(str(form))
    table = doc.tables[0]
    row = next(r for r in table.rows if r.cells[3].text == "完成研究课题个数")
    row.cells[5].paragraphs[0].runs[0].text = "2"  # a value changed
    copied = copy.deepcopy(row._tr)  # a row added in Word
    row._tr.addnext(copied)
    new = table.rows[[r._tr for r in table.rows].index(copied)]
    new.cells[3].paragraphs[0].runs[0].text = "新增的指标"
    achieved = next(r for r in table.rows if r.cells[1].text == "预期目标")
    after = table.rows[[r._tr for r in table.rows].index(achieved._tr) + 1]
    paragraph = after.cells[5].paragraphs[0]
    paragraph.runs[0].text = "重写的一句。"  # a sentence rewritten
    for run in paragraph.runs[1:]:
        run.text = ""
    doc.save(str(form))
    unit = validate(import_forms([form]).source)
    project = unit.projects[0]
    names = [i.name for i in project.indicators]
    assert names[1:3] == ["完成研究课题个数", "新增的指标"] and len(names) == 13  # 12 published
    assert project.indicators[1].actual == "2" and project.indicators[2].actual == "2"
    assert project.evaluation.achieved.splitlines()[0] == "重写的一句。"
    assert project.evaluation.funds.total.executed == Decimal("1505492.00")


def test_diff_of_two_forms(tmp_path, rendered_forms):
    form = rendered_forms("shanghai-dpf-2022")[1]
    edited = tmp_path / "退回修改.xlsx"
    shutil.copy(form, edited)
    wb = load_workbook(edited)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "1.6")
    cell.value = "2"
    wb.save(edited)
    result = runner.invoke(app, ["diff", str(form), str(edited)])
    assert result.exit_code == 1, result.output
    assert "    实际完成值：1.6 → 2" in result.output.splitlines()


@pytest.mark.parametrize(
    "content, text",
    [
        (b"not a zip", "文件已损坏，或不是 Word 文档（.docx）（文件开头不是 Office 文件的格式）"),
        (None, "没有可导入的表单"),  # a Word file that is not a form
    ],
)
def test_bad_forms(content, text, tmp_path):
    path = tmp_path / "x.docx"
    if content is None:
        doc = Document()
        doc.add_paragraph("会议纪要")
        doc.add_table(rows=1, cols=2).rows[0].cells[0].text = "项目名称"
        doc.save(str(path))
    else:
        path.write_bytes(content)
    with pytest.raises(InputError, match=text.replace("(", r"\(").replace(")", r"\)")):
        import_forms([path])
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "u.yaml")])
    assert result.exit_code == 2 and not (tmp_path / "u.yaml").exists() and "Traceback" not in result.output


def test_a_folder_with_a_foreign_file_still_imports(tmp_path, rendered_forms):
    forms = _copied(rendered_forms("shanghai-sscard-2023"), tmp_path / "in")
    (forms[0].parent / "说明.docx").write_bytes(b"not a zip")
    (forms[0].parent / "旧表.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(app, ["import", str(forms[0].parent)])
    assert result.exit_code == 2  # the damaged file is named
    assert "说明.docx" in result.output
    (forms[0].parent / "说明.docx").unlink()
    result = runner.invoke(app, ["import", str(forms[0].parent)])
    assert result.exit_code == 0, result.output
    assert result.output.count("已读取：") == 14  # 7 forms, from their .docx and from their .xlsx
    assert "旧表.doc：这是旧版 Word/WPS 文档：请在 Word 或 WPS 中另存为 .docx" in result.output


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_form_resaved_by_libreoffice_imports_the_same(tmp_path, rendered_forms):
    form = rendered_forms("shanghai-dpf-2022")[0]
    out = tmp_path / "resaved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "docx", "--outdir", str(out), str(form)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert import_forms([out / form.name]).source.data == import_forms([form]).source.data


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@pytest.mark.parametrize("example", ["shanghai-dpf-2022", "qinhuangdao-shanhaiguan-dpf-2020"])
def test_a_book_imports_as_its_forms(example, suffix, rendered_once, rendered_text):
    rendered = rendered_once(EXAMPLES / f"{example}.yaml")
    book = next(p for p in rendered.book if p.suffix == suffix)
    result = import_forms([book])
    assert len(result.read) == 6 and len(validate(result.source).projects) == 6
    again = rendered_text(result.yaml, RenderOptions(layout=False))
    assert len(again) == len(rendered.files)
    for before, after in zip(rendered.files, again):
        assert before.name == after.name and before.read_bytes() == after.read_bytes(), before.name


def test_an_unreadable_value_names_its_cell(tmp_path, rendered_forms):
    form = _copied(rendered_forms("shanghai-dpf-2022")[1:2], tmp_path)[0]
    wb = load_workbook(form)
    wb.active["H6"].value = "九十%"
    wb.save(form)
    result = runner.invoke(app, ["check", str(form)])
    assert result.exit_code == 2
    assert f"{form}:自评表!H6: 单元格 自评表!H6，项目「残疾人权益保障经费」 自评 › 预算执行 › 执行率：应为百分比（如 96.41%），却是「九十」" in result.output


def test_forms_of_two_units_are_not_mixed(tmp_path, rendered_forms):
    a = rendered_forms("shanghai-dpf-2022")[0]
    b = rendered_forms("shanghai-sscard-2023")[0]
    result = runner.invoke(app, ["import", str(a), str(b), "-o", str(tmp_path / "u.yaml")])
    assert result.exit_code == 2 and "这些表单属于不同的单位或年度（? 2022年度、? 2023年度）" in result.output
    assert not (tmp_path / "u.yaml").exists()
