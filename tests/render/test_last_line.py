"""No printed line of a Word form is one character alone (issue 27): a text that may wrap
in its cell keeps its last two characters together with U+2060 WORD JOINER
(`render.lines`), and a form read back gives the unit's text without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from docgen import render_file
from docgen.build.plan import RenderOptions
from docgen.inputs.importing import import_forms
from docgen.inputs.loader import load_file
from docgen.model.joiner import WORD_JOINER, without_joiners
from docgen.model.validate import validate
from docgen.parse.load import load_text
from docgen.render.lines import Styles, keep_last_characters

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
J = WORD_JOINER
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STYLES = parse_xml(
    f'<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Big"><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="36"/></w:rPr></w:style></w:styles>'
)


def _body(width: int, paragraphs: str, margin: int = 40) -> object:
    """A body with one one-cell table `width` twips wide (cell margins `margin`) holding `paragraphs`."""
    return parse_xml(
        f'<w:body {NS}><w:tbl><w:tblPr><w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid><w:tr><w:tc>{paragraphs}</w:tc></w:tr></w:tbl>'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:left="1800" w:right="1800" w:top="1440" w:bottom="1440"/></w:sectPr></w:body>'
    )


def _p(*runs: str, style: str = "") -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def _r(text: str, size: int = 0) -> str:
    props = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""
    return f"<w:r>{props}<w:t>{text}</w:t></w:r>"


def _texts(body) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


NINE = 9 * 180 + 80  # a column of nine CJK characters at 9 pt, 40 twips of margin each side


@pytest.mark.parametrize(
    "width, paragraph, expected",
    [
        (NINE, _p(_r("系统运行用电保障天数")), f"系统运行用电保障天{J}数"),  # 10 in 9: 9 + 1 without the joiner
        (NINE, _p(_r("开展名律师咨询次数")), f"开展名律师咨询次{J}数"),  # exactly full: may wrap (Word rounds)
        (NINE, _p(_r("完成研究课题个数")), "完成研究课题个数"),  # 8 in 9: one line, left as it is
        (NINE + 2000, _p(_r("系统运行用电保障天数")), "系统运行用电保障天数"),  # a wider column
        (NINE, _p(_r("课题研究按计划完成了。")), f"课题研究按计划完成{J}了。"),  # 「。」 stays with 「了」 anyway
        (NINE, _p(_r("项目支出绩效目标（元）")), "项目支出绩效目标（元）"),  # 「（元」 holds together already
        (NINE, _p(_r("项目资金支出计划（%）")), "项目资金支出计划（%）"),  # the bracketed group ends the text whole
        (NINE, _p(_r("绩效目标完成情况 good")), "绩效目标完成情况 good"),  # a Latin word: its letters hold together
        (NINE, _p(_r("绩效目标完成情况共计3")), f"绩效目标完成情况共计{J}3"),  # a lone digit is one character too
        (NINE, _p(_r("绩效目标完成情况"), _r("良好")), f"绩效目标完成情况良{J}好"),  # across runs
        (NINE, _p(_r("绩效目标完"), _r("成情况优", size=36)), f"绩效目标完成情况{J}优"),  # a run's own size counts
        (NINE, _p(_r("绩效目标完成"), style="Big"), f"绩效目标完{J}成"),  # the paragraph style's size (18 pt)
        (NINE, _p(_r(f"系统运行用电保障天{J}数")), f"系统运行用电保障天{J}数"),  # rendered again: one joiner
        (NINE, _p(_r("一")), "一"),
        (NINE, _p(), ""),
    ],
)
def test_a_text_that_may_wrap_keeps_its_last_two_characters_together(width, paragraph, expected):
    body = _body(width, paragraph)
    keep_last_characters(body, Styles.of(STYLES))
    assert _texts(body) == [expected]
    assert without_joiners(_texts(body)[0]) == expected.replace(J, "")


def test_the_joined_characters_are_a_run_of_no_east_asian_language_with_the_runs_formatting():
    """LibreOffice keeps a joiner only in text of no CJK language (see `render.lines`)."""
    body = _body(NINE, _p('<w:r><w:rPr><w:b/><w:eastAsianLayout w:combine="0"/></w:rPr><w:t>系统运行用电保障天数。</w:t><w:br/><w:t>短</w:t></w:r>'))
    keep_last_characters(body, Styles.of(STYLES))
    runs = list(body.iter(qn("w:r")))
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in runs] == ["系统运行用电保障天", f"{J}数。", "短"]
    langs = [[c.get(qn("w:eastAsia")) for c in r.iter(qn("w:lang"))] for r in runs]
    assert langs == [[], ["x-none"], []]
    assert all(r.find(qn("w:rPr")).find(qn("w:b")) is not None for r in runs)
    order = [c.tag.split("}")[1] for c in runs[1].find(qn("w:rPr"))]
    assert order == ["b", "lang", "eastAsianLayout"]  # CT_RPr's sequence
    assert runs[2].find(qn("w:br")) is not None


def test_every_line_of_a_paragraph_broken_by_hand_is_its_own_line():
    body = _body(NINE, _p("<w:r><w:t>系统运行用电保障天数</w:t><w:br/><w:t>二行短</w:t><w:br/><w:t>第三行也是十个字之多</w:t></w:r>"))
    keep_last_characters(body, Styles.of(STYLES))
    assert _texts(body) == [f"系统运行用电保障天{J}数二行短第三行也是十个字之{J}多"]


def test_cell_margins_and_the_page_width_count():
    wide_margins = _body(NINE, _p(_r("完成研究课题个数")), margin=200)  # 8 characters in 1380 - 400 twips
    keep_last_characters(wide_margins, Styles.of(STYLES))
    assert _texts(wide_margins) == [f"完成研究课题个{J}数"]
    page = parse_xml(
        f'<w:body {NS}>{_p(_r("短的一段"))}{_p(_r("很" * 51 + "长"))}<w:sectPr><w:pgSz w:w="11906"/><w:pgMar w:left="1800" w:right="1800"/></w:sectPr></w:body>'
    )
    keep_last_characters(page, Styles.of(STYLES))  # 8306 twips: 46 characters at 9 pt
    assert _texts(page) == ["短的一段", "很" * 51 + f"{J}长"]


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("last-line")
    return list(render_file(EXAMPLES / "shanghai-dpf-2022.yaml", out, options=RenderOptions(book=False, layout=False)).files)


def test_a_rendered_form_joins_only_the_texts_at_risk(forms):
    doc = Document(str(forms[0]))
    texts = {"".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))}
    assert f"开展名律师咨询次{J}数" in texts  # 9 characters: its column's full width
    assert f"服务对象满意度指{J}标" in texts
    assert "完成研究课题个数" in texts and "残疾人权益保障经费" in texts  # fit: left alone
    assert "1,943,200.00" in texts and "96.41%" in texts


def test_a_rendered_form_imports_to_the_units_exact_text(forms):
    """The joiners are docgen's, not the unit's: `docgen import` takes them out again."""
    word = forms[0]
    assert word.suffix == ".docx" and J in Document(str(word)).element.xml
    imported = import_forms([word])
    assert J not in imported.yaml
    got = validate(load_text(imported.yaml, word.with_suffix(".yaml"))).projects[0]
    want = validate(load_file(EXAMPLES / "shanghai-dpf-2022.yaml")).projects[0]
    assert got.annual_goal.strip() == want.annual_goal.strip()
    assert any(t.endswith(f"服务对象满意度较{J}高。") for t in _texts(Document(str(word)).element.body))  # the goal's last line, joined
    assert [(i.name, i.deviation) for i in got.indicators] == [(i.name, i.deviation) for i in want.indicators]
    assert "开展名律师咨询次数" in [i.name for i in got.indicators]
