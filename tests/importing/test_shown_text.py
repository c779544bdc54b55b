"""A Word cell is read as Word displays it: a form's amount cell (项目资金 年初预算数,
`1,943,200.00`) is rewritten with tracked changes, hidden runs, content controls,
fields, smart tags and alternate content, and imported again."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from docgen import render_file
from docgen.cli.app import app
from docgen.errors import InputError
from docgen.inputs.importing import import_forms
from docgen.inputs.importing.shown import Styles

from .office_files import NS, W, part, with_cell, with_row

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "shanghai-dpf-2022.yaml"
AMOUNT = "1,943,200.00"
runner = CliRunner()


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    from docgen.build.plan import RenderOptions

    out = tmp_path_factory.mktemp("shown")
    files = render_file(EXAMPLE, out, options=RenderOptions(book=False, layout=False)).files
    return next(f for f in files if f.suffix == ".docx")


def _initial(path: Path):
    return import_forms([path]).printed["projects"][0]["evaluation"]["funds"]["total"].get("initial")


def r(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*content: str, props: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{''.join(content)}</w:p>"


def field(instruction: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{result}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


TRACK = 'w:id="9" w:author="审核人" w:date="2024-01-05T10:00:00Z"'

SHOWN = {
    "plain": p(r(AMOUNT)),
    "split runs": p(r("1,943,"), r("200.00")),
    "tracked insertion": p(f"<w:ins {TRACK}>{r(AMOUNT)}</w:ins>"),
    "tracked replacement": p(f"<w:del {TRACK}><w:r><w:delText>1,000.00</w:delText></w:r></w:del>", f"<w:ins {TRACK}>{r(AMOUNT)}</w:ins>"),
    "tracked deletion inside": p(r("1,943,"), f"<w:del {TRACK}><w:r><w:delText>999</w:delText></w:r></w:del>", r("200.00")),
    "moved text": p(f"<w:moveFrom {TRACK}><w:r><w:t>5.00</w:t></w:r></w:moveFrom>", f"<w:moveTo {TRACK}>{r(AMOUNT)}</w:moveTo>"),
    "hidden digit": p(r(AMOUNT), r("9", "<w:vanish/>")),
    "hidden prefix": p(r("约", "<w:vanish/>"), r(AMOUNT)),
    "vanish switched off": p(r("1,943,200.0"), r("0", '<w:vanish w:val="0"/>')),
    "content control inline": p(f'<w:sdt><w:sdtPr><w:alias w:val="金额"/></w:sdtPr><w:sdtContent>{r(AMOUNT)}</w:sdtContent></w:sdt>'),
    "content control around the paragraph": f"<w:sdt><w:sdtPr/><w:sdtContent>{p(r(AMOUNT))}</w:sdtContent></w:sdt>",
    "smart tag": p(f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="metricconverter"><w:smartTagPr/>{r(AMOUNT)}</w:smartTag>'),
    "custom XML inline": p(f'<w:customXml w:element="amount">{r(AMOUNT)}</w:customXml>'),
    "custom XML around the paragraph": f'<w:customXml w:element="amount">{p(r(AMOUNT))}</w:customXml>',
    "simple field": p(f'<w:fldSimple w:instr=" =1943200 \\# &quot;#,##0.00&quot; ">{r(AMOUNT)}</w:fldSimple>'),
    "complex field": p(field(' =1943200 \\# "#,##0.00" ', r(AMOUNT))),
    "a form field's result in two runs": p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        "<w:r><w:instrText> FORMTEXT </w:instrText></w:r>",
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        r("1,943,"),
        r("200.00"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ),
    "a field nested in a field's instruction": p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>',
        field(" =1 ", r("1")),
        '<w:r><w:instrText> = 1 "x" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        r(AMOUNT),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ),
    "field without a result": p(
        r(AMOUNT), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    ),
    "hyperlink": p(f'<w:hyperlink w:anchor="a">{r(AMOUNT)}</w:hyperlink>'),
    "alternate content, a Word choice": p(
        f'<mc:AlternateContent><mc:Choice Requires="w14">{r(AMOUNT)}</mc:Choice><mc:Fallback>{r("1.00")}</mc:Fallback></mc:AlternateContent>'
    ),
    "alternate content, the fallback": p(
        f'<mc:AlternateContent xmlns:x="urn:unknown"><mc:Choice Requires="x">{r("1.00")}</mc:Choice><mc:Fallback>{r(AMOUNT)}</mc:Fallback></mc:AlternateContent>'
    ),
    "alternate content inside a run": p(
        f'<w:r><mc:AlternateContent xmlns:x="urn:unknown"><mc:Choice Requires="x"><w:t>2</w:t></mc:Choice><mc:Fallback><w:t>{AMOUNT}</w:t></mc:Fallback></mc:AlternateContent></w:r>'
    ),
    "deleted paragraph mark": p(r("1,943,"), props=f"<w:rPr><w:del {TRACK}/></w:rPr>") + p(r("200.00")),
    "ruby (a phonetic guide above the text)": p(
        f"<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>guide</w:t></w:r></w:rt><w:rubyBase>{r(AMOUNT)}</w:rubyBase></w:ruby></w:r>"
    ),
    "bookmarks and proofing marks": p(r(AMOUNT), '<w:proofErr w:type="spellStart"/>', '<w:bookmarkStart w:id="1" w:name="x"/><w:bookmarkEnd w:id="1"/>'),
}


@pytest.mark.parametrize("name", list(SHOWN))
def test_a_cell_reads_as_word_shows_it(name, form, tmp_path):
    edited = with_cell(form, tmp_path / "edited.docx", AMOUNT, SHOWN[name])
    assert _initial(edited) == AMOUNT


def test_a_hidden_digit_is_not_read_into_the_number_by_the_cli(form, tmp_path):
    edited = with_cell(form, tmp_path / "edited.docx", AMOUNT, SHOWN["hidden digit"])
    result = runner.invoke(app, ["import", str(edited), "-o", str(tmp_path / "u.yaml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "u.yaml").read_text(encoding="utf-8")
    assert "initial: 1,943,200.00  # 年初预算数" in text and "1,943,200.009" not in text


def test_a_content_control_showing_its_placeholder_is_nothing_typed(form, tmp_path):
    control = p("<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt>")
    edited = with_cell(form, tmp_path / "edited.docx", AMOUNT, control)
    assert _initial(edited) is None


@pytest.mark.parametrize(
    "wrap",
    [
        "<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>",
        '<w:customXml w:element="row">{}</w:customXml>',
        "<w:sdt><w:sdtPr/><w:sdtContent>{tc}</w:sdtContent></w:sdt>",
        '<w:customXml w:element="cell">{tc}</w:customXml>',
    ],
    ids=["control around the row", "custom XML around the row", "control around the cell", "custom XML around the cell"],
)
def test_rows_and_cells_inside_controls_read(wrap, form, tmp_path):
    edited = with_row(form, tmp_path / "edited.docx", AMOUNT, wrap)
    assert _initial(edited) == AMOUNT


def test_a_table_inside_a_content_control_reads(form, tmp_path):
    root = etree.fromstring(part(form, "word/document.xml"))
    body = root.find(f"{{{W}}}body")
    table = body.find(f"{{{W}}}tbl")
    index = body.index(table)
    holder = etree.fromstring(f"<w:sdt {NS}><w:sdtPr/><w:sdtContent/></w:sdt>")
    holder[1].append(table)
    body.insert(index, holder)
    from .office_files import rewrite

    edited = rewrite(form, tmp_path / "edited.docx", {"word/document.xml": etree.tostring(root)})
    assert _initial(edited) == AMOUNT


def test_a_deleted_row_is_not_read(form, tmp_path):
    root = etree.fromstring(part(form, "word/document.xml"))
    tc = next(tc for tc in root.iter(f"{{{W}}}tc") if "".join(t.text or "" for t in tc.iter(f"{{{W}}}t")).strip() == "完成研究课题个数")
    tr = tc.getparent()
    props = tr.find(f"{{{W}}}trPr")
    if props is None:
        props = etree.SubElement(tr, f"{{{W}}}trPr")
        tr.insert(0, props)
    etree.SubElement(props, f"{{{W}}}del", {f"{{{W}}}id": "3", f"{{{W}}}author": "a"})
    from .office_files import rewrite

    edited = rewrite(form, tmp_path / "edited.docx", {"word/document.xml": etree.tostring(root)})
    names = [i["name"] for i in import_forms([edited]).printed["projects"][0]["indicators"]]
    before = [i["name"] for i in import_forms([form]).printed["projects"][0]["indicators"]]
    assert names == [n for n in before if n != "完成研究课题个数"] and len(names) == len(before) - 1


REFUSED = {
    "an element docgen does not know, holding text": (p(f'<w:foo xmlns:w="{W}">{r(AMOUNT)}</w:foo>'), "含有 docgen 不认识的 Word 元素 <foo>"),
    "a field left open": (
        p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> =1 </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>', r(AMOUNT)),
        "Word 域（fldChar）没有结束",
    ),
    "a field's end without its begin": (p(r(AMOUNT), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'), "结束标记没有开始标记"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_cell_docgen_cannot_tell_is_refused_naming_it(name, form, tmp_path):
    xml, text = REFUSED[name]
    edited = with_cell(form, tmp_path / "edited.docx", AMOUNT, xml)
    with pytest.raises(InputError) as caught:
        import_forms([edited])
    message = caught.value.message()
    assert text in message and "单元格 表格 1 第" in message, message
    for command in (["check", str(edited)], ["import", str(edited), "-o", str(tmp_path / "u.yaml")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and text in result.output and "Traceback" not in result.output, result.output
    assert not (tmp_path / "u.yaml").exists()


def test_hidden_styles_follow_based_on():
    styles = etree.fromstring(
        f"<w:styles {NS}>"
        '<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="MoreSecret"><w:basedOn w:val="Secret"/></w:style>'
        '<w:style w:type="character" w:styleId="Shown"><w:basedOn w:val="Secret"/><w:rPr><w:vanish w:val="false"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Normal"/>'
        "</w:styles>"
    )
    assert Styles.of(styles) == Styles({"Secret", "MoreSecret"}, False)


def test_a_run_hidden_by_its_style_is_not_read(form, tmp_path):
    styles = etree.fromstring(part(form, "word/styles.xml"))
    styles.append(etree.fromstring(f'<w:style {NS} w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>'))
    edited = with_cell(form, tmp_path / "cell.docx", AMOUNT, p(r(AMOUNT), r("9", '<w:rStyle w:val="Secret"/>')))
    from .office_files import rewrite

    edited = rewrite(edited, tmp_path / "edited.docx", {"word/styles.xml": etree.tostring(styles)})
    assert _initial(edited) == AMOUNT


def test_a_table_inside_an_unfinished_field_is_refused(form, tmp_path):
    root = etree.fromstring(part(form, "word/document.xml"))
    body = root.find(f"{{{W}}}body")
    opened = etree.fromstring(f'<w:p {NS}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDETEXT x </w:instrText></w:r></w:p>')
    body.insert(0, opened)
    from .office_files import rewrite

    edited = rewrite(form, tmp_path / "edited.docx", {"word/document.xml": etree.tostring(root)})
    with pytest.raises(InputError) as caught:
        import_forms([edited])
    assert "edited.docx:表格 1: 表格：表格位于一个没有结束的 Word 域（fldChar）的指令中" in caught.value.message()


def test_an_unknown_element_in_the_body_holding_text_is_refused(form, tmp_path):
    root = etree.fromstring(part(form, "word/document.xml"))
    root.find(f"{{{W}}}body").insert(0, etree.fromstring(f"<w:frame {NS}><w:p><w:r><w:t>文字</w:t></w:r></w:p></w:frame>"))
    from .office_files import rewrite

    edited = rewrite(form, tmp_path / "edited.docx", {"word/document.xml": etree.tostring(root)})
    with pytest.raises(InputError) as caught:
        import_forms([edited])
    assert "edited.docx:正文: Word 文档正文：含有 docgen 不认识的 Word 元素 <frame>" in caught.value.message()
