"""No value or label breaks mid-token in the printed forms (issue 17): read back from every
example's PDFs (each Word form, and the Excel forms as Calc prints them), with each word's
line from `pdftotext -bbox-layout`.

- no line holds only closing brackets or a percent sign (a lone 「）」 under 「（元」, a
  「%」 under 「96.41」, 「%）」 under 「资金支出计划（」), Word or Excel;
- no line of a Word form starts with closing punctuation (「。」, 「、」, 「）」…);
- every amount, rate and score a table cell of the Word form holds (its whole text:
  `1,943,200.00`, `96.41%`, `10`) is printed within one line.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from .conftest import PDFTOTEXT, needs_office

pytestmark = [pytest.mark.office, needs_office]

_XHTML = "{http://www.w3.org/1999/xhtml}"
# Closing brackets, the percent sign and the punctuation a line may not start with.
CLOSING = set("）)]】」』%％。，、；：！？,.;:")
DANGLING = set("）)]】」』%％")
# A whole cell that is a number the form computes or reports: amount, rate, score.
VALUE = re.compile(r"^(?:\d{1,3}(?:,\d{3})*\.\d{2}|\d+(?:\.\d+)?%|\d{1,3}(?:\.\d{1,2})?)$")


def printed_lines(pdf: Path) -> list[tuple[int, list[str]]]:
    """(page, words) of every line pdftotext finds in the PDF."""
    out = subprocess.run([PDFTOTEXT, "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=120).stdout
    root = ET.fromstring(out)
    return [
        (number, [w.text or "" for w in line.iter(f"{_XHTML}word")])
        for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1)
        for line in page.iter(f"{_XHTML}line")
    ]


def cell_values(docx: Path) -> list[str]:
    """The text of every table cell of the Word form that is an amount, a rate or a score."""
    values = []
    for tc in Document(str(docx)).element.body.iter(qn("w:tc")):
        text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
        if VALUE.match(text):
            values.append(text)
    return values


def every_pdf(printed, folders) -> list[tuple[Path, Path]]:
    """(pdf, the Word form with its values) of every example form, and of the printed sheets."""
    pairs = [(pdf, pdf.with_suffix(".docx")) for folder in folders.values() for pdf in sorted(folder.glob("*.pdf")) if "汇总表" not in pdf.name]
    pairs += [(form.pdf, form.source.with_suffix(".docx")) for form in printed.values() if form.source.suffix == ".xlsx"]
    return pairs


def test_every_example_is_read(printed, example_folders):
    pairs = every_pdf(printed, example_folders)
    # 6 自评表, 7 + 1 申报表, the departmental document, the one-project 申报表 and 自评表: 17; 4 sheets.
    assert len(pairs) == 21, [p.name for p, _ in pairs]
    assert all(docx.exists() for _, docx in pairs)


def test_no_line_holds_only_a_closing_bracket_or_percent(printed, example_folders):
    bad = []
    for pdf, _ in every_pdf(printed, example_folders):
        for page, words in printed_lines(pdf):
            text = "".join(words)
            if text and set(text) <= DANGLING:
                bad.append(f"{pdf.name} p{page}: 「{text}」")
    assert not bad, "a line holds only a closing bracket or percent sign:\n" + "\n".join(bad)


def test_no_line_of_a_word_form_starts_with_closing_punctuation(printed, example_folders):
    """Writer keeps the CJK line-break rules when the columns are wide enough for the
    values: nothing closing starts a line.  (Calc does not apply them inside a cell, so
    the Excel forms are held to the rule above only.)"""
    bad = []
    for pdf, _ in every_pdf(printed, example_folders):
        if pdf.parent.name == "sheets":
            continue
        for page, words in printed_lines(pdf):
            if words and words[0][:1] in CLOSING:
                bad.append(f"{pdf.name} p{page}: 「{words[0]}」")
    assert not bad, "a line starts with closing punctuation:\n" + "\n".join(bad)


def test_every_amount_rate_and_score_is_on_one_line(printed, example_folders):
    bad, checked = [], 0
    for pdf, docx in every_pdf(printed, example_folders):
        lines = ["".join(words) for _, words in printed_lines(pdf)]
        for value in cell_values(docx):
            checked += 1
            if not any(value in line for line in lines):
                bad.append(f"{pdf.name}: 「{value}」")
    assert checked > 300
    assert not bad, "split across lines:\n" + "\n".join(bad)


def _labels() -> set[str]:
    """Every 一级 and 二级 indicator label of the examples (产出指标, 可持续影响指标,
    服务对象满意度指标…)."""
    from ruamel.yaml import YAML

    from .conftest import EXAMPLES

    labels = set()
    for path in EXAMPLES.glob("*.yaml"):
        for project in YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")).get("projects", []):
            labels.update(str(ind.get(key, "")) for ind in project.get("indicators", []) for key in ("level1", "level2"))
    return {label for label in labels if len(label) > 2}


def test_no_label_leaves_its_last_character_alone(printed, example_folders):
    """A label column holds its labels whole or breaks them into lines of several
    characters: 服务对象满意度 / 指标, never 可持续影响指 / 标 (Word, and Excel as Calc prints)."""
    labels = _labels()
    assert {"可持续影响指标", "服务对象满意度指标", "社会效益指标"} <= labels
    tails = {label[-1] for label in labels}
    bad = []
    for pdf, _ in every_pdf(printed, example_folders):
        for page, words in printed_lines(pdf):
            if "".join(words) in tails:
                bad.append(f"{pdf.name} p{page}: 「{''.join(words)}」")
    assert not bad, "a label's last character alone on a line:\n" + "\n".join(bad)


# Longer than any reference value: a 40-character indicator name with an amount in it and
# a target with a rate and a count.
LONG = {
    "name: 完成研究课题个数": "name: 全市残疾人法律援助与信访维稳热线工单按时办结率（含转办工单1,234,567.89元及回访）",
    'target: "=2个"': 'target: "≥99.95%（全年工单1,234,567件）"',
}


def test_longer_values_wrap_between_words_not_inside_a_number(tmp_path):
    import docgen

    from .conftest import EXAMPLES, SOFFICE

    text = (EXAMPLES / "shanghai-dpf-2022.yaml").read_text(encoding="utf-8")
    for old, new in LONG.items():
        assert old in text
        text = text.replace(old, new, 1)
    unit = tmp_path / "long.yaml"
    unit.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        files = docgen.render_file(unit, tmp_path / "out", options=docgen.RenderOptions(formats=("docx", "pdf"), book=False, projects=("1",))).files
    pdf = next(f for f in files if f.suffix == ".pdf")
    lines = ["".join(words) for _, words in printed_lines(pdf)]
    # The name is printed, wrapped over lines of whole characters (no line holds it all).
    assert any(line.startswith("全市残疾人") for line in lines) and any(line.endswith("及回访）") for line in lines)
    assert not any("按时办结率（含转办工单" in line and "及回访）" in line for line in lines)
    # Numbers stay whole, a rate keeps its %, an amount its 元 here; a line may break
    # between a number and a CJK unit word (1,234,567 / 件）), as Writer's rules allow.
    for token in ("1,234,567.89元", "≥99.95%", "1,234,567"):
        assert any(token in line for line in lines), f"「{token}」 split across lines"
    assert not [line for line in lines if line and set(line) <= DANGLING]


def test_an_indicator_row_taller_than_a_page_still_prints_all_its_text(tmp_path):
    """Indicator rows are kept whole on a page; one taller than a page (a 2,000-character
    偏差原因) is split by LibreOffice all the same, never cut off."""
    import docgen

    from .conftest import EXAMPLES, SOFFICE

    text = (EXAMPLES / "shanghai-dpf-2022.yaml").read_text(encoding="utf-8")
    long = "".join(f"第{i}条：因疫情影响部分活动延期开展，已调整工作计划并加强督促检查。" for i in range(1, 60))
    assert 'deviation: "课题为跨越年项目，' in text
    unit = tmp_path / "tall.yaml"
    unit.write_text(text.replace('deviation: "课题为跨越年项目，', f'deviation: "{long}课题为跨越年项目，', 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", SOFFICE)
        files = docgen.render_file(unit, tmp_path / "out", options=docgen.RenderOptions(formats=("docx", "pdf"), book=False, projects=("1",))).files
    pdf = next(f for f in files if f.suffix == ".pdf")
    lines = printed_lines(pdf)
    printed_text = "".join("".join(words) for _, words in lines)
    assert max(page for page, _ in lines) > 3
    assert [n for n in range(1, 60) if f"第{n}条" not in printed_text] == []
    assert "及时做好评估验收工作" in printed_text and "总分" in printed_text
