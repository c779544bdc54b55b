"""The tag grammar (render/tags.py): one definition the Word adapter, the Excel adapter
and `docgen templates check` all read templates with."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from docgen.registry.manifest import DEFAULT_TEMPLATES, load_registry
from docgen.render.docx import FormTemplate
from docgen.render.jinja import make_env
from docgen.render.tags import VMERGE, row_end, row_loop, sheet_source, split_vmerge, whole_expression


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["{%tr for ind in project.indicators %}"], ("ind", "project.indicators")),
        (["绩效指标", None, "{%tr  for  x  in  items|list %}"], ("x", "items|list")),
        (["  {%tr for row in project.funds.rows %}  "], ("row", "project.funds.rows")),
        (["{% for ind in project.indicators %}"], None),  # a plain for is not a row loop
        (["{%tr endfor %}"], None),
        (["text {%tr for x in y %}"], None),  # the marker is the whole cell
        ([None, 3, "总分"], None),
    ],
)
def test_row_loop(texts, expected):
    assert row_loop(texts) == expected


@pytest.mark.parametrize(
    "texts, expected",
    [(["{%tr endfor %}"], True), ([None, " {%tr  endfor  %} "], True), (["{% endfor %}"], False), (["x{%tr endfor %}"], False), ([], False)],
)
def test_row_end(texts, expected):
    assert row_end(texts) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{% vmerge ind.l1_merge %}{{ ind.level1 }}", ("ind.l1_merge", "{{ ind.level1 }}")),
        ("  {%vmerge ind.l2_merge%} {{ ind.level2 }}", ("ind.l2_merge", " {{ ind.level2 }}")),
        ("{{ ind.level1 }}{% vmerge ind.l1_merge %}", (None, "{{ ind.level1 }}{% vmerge ind.l1_merge %}")),  # Excel: a prefix only
        ("{{ ind.name }}", (None, "{{ ind.name }}")),
    ],
)
def test_split_vmerge(text, expected):
    assert split_vmerge(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{{ project.funds.total.budget }}", "project.funds.total.budget"),
        ("  {{x}}  ", "x"),
        ("{{ x|amount }}", None),  # a filter makes text
        ("合计 {{ x }}", None),
        ("{{ a }}{{ b }}", None),
    ],
)
def test_whole_expression(text, expected):
    assert whole_expression(text) == expected


def test_word_vmerge_anywhere_in_the_cell():
    assert VMERGE.search("<w:t>{{ ind.level1 }}</w:t><w:t>{% vmerge ind.l1_merge %}</w:t>").group(1) == "ind.l1_merge"


def test_sheet_source_is_what_the_excel_adapter_renders():
    rows = [
        ["项目名称", "{{ project.name }}"],
        ["{%tr for ind in project.indicators %}", None],
        ["{% vmerge ind.l1_merge %}{{ ind.level1 }}", "{{ ind.name }}"],
        [None, "{%tr endfor %}"],
    ]
    assert sheet_source(rows) == (
        "项目名称\n{{ project.name }}\n{% for ind in project.indicators %}\n{{ ind.l1_merge }}{{ ind.level1 }}\n{{ ind.name }}\n{% endfor %}"
    )


def _versions():
    registry = load_registry(DEFAULT_TEMPLATES)
    return [v for versions in registry.kinds.values() for v in versions.values()]


@pytest.mark.parametrize("version", _versions(), ids=lambda v: f"{v.kind}-{v.version}")
def test_committed_templates_parse(version):
    """The committed .docx/.xlsx are the source of truth: their tags parse as the adapters read them."""
    env = make_env()
    template = FormTemplate(str(version.docx))
    template.init_docx()
    docx_source = template.patch_xml(template.get_xml())
    assert "{%tr" not in docx_source and "vmerge" not in docx_source.replace("<w:vMerge", "")
    env.parse(docx_source)
    sheets = load_workbook(version.xlsx).worksheets
    xlsx_source = "\n".join(sheet_source([c.value for c in row] for row in ws.iter_rows()) for ws in sheets)
    assert "{{ project" in xlsx_source or "{{ unit" in xlsx_source
    env.parse(xlsx_source)
    with zipfile.ZipFile(version.docx) as z:
        assert "word/document.xml" in z.namelist()
