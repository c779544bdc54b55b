"""libyaml as an accelerator (docgen/fast_parse.py): wherever it reads a file, the data and
every line number are what the pure parser gives; every error and limit message is the
pure parser's; and files it must not read go to the pure parser."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from docgen.errors import InputError
from docgen.parse import fast as fast_parse
from docgen.parse.text import decode, parse_text

ROOT = Path(__file__).resolve().parent.parent
PATH = Path("unit.yaml")
FILES = sorted(p for folder in (ROOT / "data", ROOT / "tests" / "fixtures") for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)

pytestmark = pytest.mark.skipif(not fast_parse.AVAILABLE, reason="ruamel.yaml.clib is not installed")


@contextmanager
def pure_only():
    saved = fast_parse.AVAILABLE
    fast_parse.AVAILABLE = False
    try:
        yield
    finally:
        fast_parse.AVAILABLE = saved


def outcome(text: str) -> tuple:
    try:
        loaded = parse_text(text, PATH)
    except InputError as exc:
        return ("error", exc.message())
    return ("read", loaded.data, loaded.lines)


def same_both_ways(text: str) -> bool:
    """Parsed with libyaml where it may, and with the pure parser only: the same outcome.
    Returns whether libyaml read it."""
    fast = outcome(text)
    with pure_only():
        pure = outcome(text)
    assert fast == pure
    return fast_parse.compose(text) is not None


def _decodes(path: Path) -> bool:
    try:
        decode(path.read_bytes(), path)
    except InputError:
        return False  # a fixture of bad bytes (GBK, NUL…): refused before any parse
    return True


def test_every_example_and_fixture_reads_the_same(tmp_path):
    assert len(FILES) > 20
    texts = {path.name: decode(path.read_bytes(), path) for path in FILES if _decodes(path)}
    read = [name for name, text in texts.items() if same_both_ways(text)]
    examples = [p.name for p in (ROOT / "data" / "examples").glob("*.yaml")]
    assert set(examples) <= set(read)  # every example is read by libyaml


def test_a_big_unit_reads_the_same_with_every_line():
    text = (ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml").read_text(encoding="utf-8")
    head, projects = text.split("projects:\n", 1)
    big = head + "projects:\n" + projects * 8  # 48 projects, names repeated: valid YAML
    assert same_both_ways(big)


@pytest.mark.parametrize(
    "text, usable",
    [
        ("unit: 甲\nyear: 2022\n", True),
        ("unit: 甲\nnote: 5*3 不是别名, a&b 不是锚点\n", True),
        ("base: &b {a: 1}\nother: *b\n", False),  # anchors and aliases: the pure parser words the bombs
        ("a: !!str 1\n", False),  # a tag
        ("--- \nunit: 甲\n", False),  # a document marker
        ("%YAML 1.2\n---\nunit: 甲\n", False),  # a directive
        ("a:\n  <<: {b: 1}\n", False),  # a merge key
        ("a: " + "[" * 65 + "]" * 65 + "\n", False),  # flow nested past the bound
        ("a:\n" + "".join(" " * n + f"k{n}:\n" for n in range(1, 300)), False),  # indented past the bound
        ("a: " + "- " * 300 + "x\n", False),
        ("a:\tb\n", False),  # a tab
        ("a: 1\x85b: 2\n", False),  # NEL: a line break to libyaml only
        ("a: 1\u2028\n", False),
        ("a: \x07\n", False),  # a control character
    ],
)
def test_what_libyaml_is_given(text, usable):
    assert fast_parse.usable(text) is usable
    read = same_both_ways(text)
    assert read or not usable


@pytest.mark.parametrize(
    "text",
    [
        "unit: 甲\nunit: 乙\n",  # a duplicate key: the builder words it, with the line
        "unit: 甲\n\tyear: 2022\n",  # a tab: the hint
        "unit：甲\n",  # a full-width colon: the hint for a lone text
        "a: [1, 2\n",  # unclosed
        "a:\n" + "".join("  " * n + "- \n" for n in range(1, 80)),  # nested past MAX_DEPTH
        "",
        "# only a comment\n",
        "a: 1\n" + "b: " + "x" * 100 + "\n" * 3 + "c: \ud800\n",  # a lone surrogate
    ],
)
def test_bad_files_give_the_pure_parsers_message(text):
    same_both_ways(text)
    assert outcome(text)[0] == "error"


# Random trees as JSON and as block YAML; random text.
anytext = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=20)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.decimals(allow_nan=False, allow_infinity=False).map(str), anytext)
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(anytext, inner, max_size=4)), max_leaves=25)


@FAST
@given(st.dictionaries(anytext, trees, min_size=1, max_size=5), st.booleans())
def test_random_json_reads_the_same(tree, ascii_only):
    same_both_ways(json.dumps(tree, ensure_ascii=ascii_only, indent=1))


@FAST
@given(st.dictionaries(anytext, trees, min_size=1, max_size=5))
def test_random_block_yaml_reads_the_same(tree):
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.dump(tree, out)
    same_both_ways(out.getvalue())


@FAST
@given(st.text(st.sampled_from(list("ab:-#'\"\n []{},?|>*&!%1.é甲\t\r@`~=0x.e+\\")), max_size=60))
def test_random_text_reads_the_same(text):
    same_both_ways(text)
