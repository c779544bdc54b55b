"""Property tests (issue 16): the loader, the validator and checks, and the indicator-value
parser take random YAML/JSON trees, random Unicode (control characters, lone surrogates)
and random numbers without any exception but docgen's own input errors, and quickly."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.check.checking import check_source
from docgen.errors import InputError
from docgen.forms.selfeval.scoring import compute_indicator, unit_note
from docgen.model.validate import validate
from docgen.model.values import Blank, Qualitative, Quantity, parse_value
from docgen.parse.load import load_text
from docgen.parse.text import LoadedFile
from docgen.registry.manifest import default_registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PATH = Path("fuzz.yaml")
FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)

# Any code point, lone surrogates and control characters included.
anytext = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e26", "1e400%", "-0", "1e30", "0.93", "≥90%", "=5万人次", "1,234.50", "1e-999999", "NaN", "Infinity"]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, anytext)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(anytext, inner, max_size=4)),
    max_leaves=20,
)


def _plain(value):
    """A tree as JSON can hold it (floats that are not finite as text)."""
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@FAST
@given(trees, st.booleans())
def test_random_json_trees_load_and_validate_or_are_input_errors(tree, ascii_only):
    text = json.dumps(_plain(tree), ensure_ascii=ascii_only)
    try:
        loaded = load_text(text, Path("fuzz.json"))
    except InputError:
        return
    try:
        validate(loaded)
    except InputError as exc:
        exc.message().encode("utf-8")  # every message can be printed


@FAST
@given(anytext)
def test_random_text_as_yaml_loads_or_is_an_input_error(text):
    try:
        load_text(text, PATH)
    except InputError as exc:
        exc.message().encode("utf-8")


REGISTRY = default_registry()
_BASE = load_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), PATH)
# Every kind of value a unit holds gets a leaf to be replaced: rates, declared scores, tiers.
_BASE.data["projects"][0]["evaluation"].update(execution={"weight": 10, "rate": "90%", "score": 9}, total_score=99)
_BASE.data["projects"][0]["indicators"][0].update(score=50, tier="达成", deviation="无")


def _leaves(value, path=()):
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, path + (i,))]
    return [path]


LEAVES = _leaves(_BASE.data)


@FAST
@given(st.lists(st.tuples(st.sampled_from(LEAVES), st.one_of(scalars, trees)), min_size=1, max_size=4))
def test_a_valid_unit_with_random_values_checks_or_is_an_input_error(changes):
    data = copy.deepcopy(_BASE.data)
    for path, value in changes:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    loaded = LoadedFile(path=PATH, data=data, lines=_BASE.lines, text="")
    try:
        checked = check_source(loaded, REGISTRY)
    except InputError as exc:
        exc.message().encode("utf-8")
        return
    for finding in checked.findings:
        str(finding).encode("utf-8")


values = st.one_of(
    anytext,
    st.builds(
        lambda c, n, u: f"{c}{n}{u}",
        st.sampled_from(["", "=", "≥", ">=", "<", "≤", "不低于", "不超过"]),
        st.one_of(numbers.map(str), st.sampled_from(["0", "-0", "5", "-5", "-10", "0.93", "90"])),
        st.sampled_from(["", "%", "‰", "个", "万人次", "万元", "元", "m²"]),
    ),
)


@FAST
@given(values, values, st.decimals(min_value=0, max_value=1000, places=2))
def test_value_parser_and_indicator_rule_never_raise(target, actual, weight):
    for text in (target, actual):
        assert isinstance(parse_value(text), (Quantity, Qualitative, Blank))
    score, method = compute_indicator(target, actual, weight)
    assert score is None or Decimal(0) <= score <= weight
    assert isinstance(method, str)
    unit_note(target, actual).encode("utf-8", "surrogatepass")
