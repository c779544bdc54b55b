"""Where printed lines may break (issue 27): the book cover's title in lines broken
between its words, and the Chinese line-breaking rules every Word file states."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

import docgen
from docgen.build.book import cover_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"


@pytest.mark.parametrize(
    "unit, year, words, lines",
    [
        ("上海市残疾人联合会", 2022, "项目支出绩效自评", ["上海市残疾人联合会2022年度", "项目支出绩效自评汇总表"]),
        ("上海市残疾人联合会信息中心", 2020, "项目绩效目标", ["上海市残疾人联合会信息中心", "2020年度项目绩效目标汇总表"]),
        ("秦皇岛市山海关区残疾人联合会", 2020, "部门整体及项目绩效目标", ["秦皇岛市山海关区残疾人联合会", "2020年度部门整体", "及项目绩效目标汇总表"]),
        ("上海市社会保障卡服务中心", 2023, "项目绩效目标及项目支出绩效自评", ["上海市社会保障卡服务中心", "2023年度项目绩效目标", "及项目支出绩效自评汇总表"]),
        ("甲", 2020, "项目绩效目标", ["甲2020年度项目绩效目标汇总表"]),  # 15 wide: one line
        # a unit name longer than a line is cut, the rest never one character alone
        ("一二三四五六七八九十一二三四五六七八", 2020, "项目绩效目标", ["一二三四五六七八九十一二三四五六", "七八2020年度项目绩效目标汇总表"]),
    ],
)
def test_cover_lines(unit, year, words, lines):
    title = f"{unit}{year}年度{words}汇总表"
    got = cover_lines(title, unit, year)
    assert got == lines
    assert "".join(got) == title
    assert all(sum(0.5 if c.isascii() else 1 for c in line) <= 17 for line in got)


def test_a_title_of_another_shape_is_kept_whole():
    assert cover_lines("某某汇总", "甲", 2020) == ["某某汇总"]


def _part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("breaks")
    files = []
    for example in ("shanghai-dpf-2022.yaml", "qinhuangdao-shanhaiguan-dpf-2020.yaml", "shanghai-dpf-infocenter-2020.yaml", "one-project-two-forms.yaml"):
        files += docgen.render_file(EXAMPLES / example, out / example, options=docgen.RenderOptions(formats=("docx",), layout=False)).files
    return [f for f in files if f.suffix == ".docx"]


def test_the_book_cover_title_is_printed_in_its_lines(rendered):
    book = next(f for f in rendered if f.name == "秦皇岛市山海关区残疾人联合会2020年度部门整体及项目绩效目标汇总表.docx")
    cover = Document(str(book)).paragraphs[0]
    assert cover.style.name == "封面标题"
    assert cover.text == "秦皇岛市山海关区残疾人联合会\n2020年度部门整体\n及项目绩效目标汇总表"  # <w:br/> between the lines
    header = Document(str(book)).sections[0].header.paragraphs[0].text
    assert header == "秦皇岛市山海关区残疾人联合会2020年度部门整体及项目绩效目标汇总表"  # the header keeps one line


def test_every_word_file_states_the_chinese_line_breaking_rules(rendered):
    """East Asian text is zh-CN (was en-US), paragraphs apply kinsoku with hanging
    punctuation and automatic CJK/Latin spacing, and the forbidden characters are listed."""
    kinds = set()
    for docx in rendered:
        kinds.add(docx.name.split("-")[-1])
        styles, settings = _part(docx, "word/styles.xml"), _part(docx, "word/settings.xml")
        defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
        assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', defaults), docx.name
        assert "<w:pPrDefault><w:pPr><w:kinsoku/><w:overflowPunct/><w:autoSpaceDE/><w:autoSpaceDN/>" in defaults, docx.name
        before = re.search(r'<w:noLineBreaksBefore w:lang="zh-CN" w:val="([^"]*)"/>', settings).group(1)
        after = re.search(r'<w:noLineBreaksAfter w:lang="zh-CN" w:val="([^"]*)"/>', settings).group(1)
        assert set("。，、；：！？）》」』】%") <= set(before), docx.name
        assert set("（《「『【") <= set(after), docx.name
    assert len(rendered) >= 10 and any("汇总表" in k for k in kinds) and any("自评表" in k for k in kinds)
