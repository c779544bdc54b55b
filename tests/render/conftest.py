"""Shared fixtures for the render tests: the example unit rendered once per session.

Expected values are read from the unit file with ruamel.yaml directly (not through
docgen's loader), and a few key figures are also spelled out from the published
reference forms (../shared/reference/selfeval-2022-shanghai-dpf.txt), so the tests
do not just compare docgen with itself.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import docgen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml"
TEMPLATES = ROOT / "templates"
FIXTURES = ROOT / "tests" / "fixtures" / "render"
ESCAPING = FIXTURES / "escaping.yaml"
COMPUTED = FIXTURES / "computed.yaml"
EMPTY_TEXT = FIXTURES / "empty-text.yaml"

# From the published forms: 年度资金总额 (年初预算数, 全年预算数, 全年执行数) as the
# forms should print them, 执行率, 预算执行 得分 and 总分.
REFERENCE = {
    "残疾人权益保障经费": (("1,943,200.00", "1,561,500.00", "1,505,492.00"), "96.41%", "10", "96"),
    "残疾人事业宣传经费": (("5,284,550.00", "4,328,240.00", "2,612,933.32"), "60.37%", "10", "95"),
    "残疾人基层组织建设和助残工作经费": (("2,983,445.00", "2,187,145.00", "1,886,570.62"), "86.26%", "10", "96"),
    "残疾人事业统计、监测和政策研究经费": (("2,308,580.00", "1,810,940.00", "1,801,330.00"), "99.47%", "9.95", "89.15"),
    "残疾人基本保障和帮扶经费": (("12,410,000.00", "10,210,000.00", "9,835,738.00"), "96.34%", "9.63", "95.63"),
    "综合行政服务平台（运维）": (("53,500.00", "53,500.00", "53,500.00"), "100.00%", "10", "95"),
}

FUND_KEYS = ("total", "fiscal", "carryover", "other")
FUND_LABELS = {"total": "年度资金总额", "fiscal": "其中：当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}
FUND_COLS = ("initial", "budget", "executed")


# ------------------------------------------------------------ expected values


def dec(value: Any) -> Decimal | None:
    """A YAML number or `"1,505,492"` as an exact Decimal; blank -> None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return Decimal(str(value).replace(",", "").strip())


def amount_text(value: Any) -> str:
    d = dec(value)
    return "" if d is None else f"{d:,.2f}"


def num_text(value: Any) -> str:
    """96 / 9.95 / 7.2, as the forms print scores and weights."""
    d = dec(value)
    if d is None:
        return ""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rate_fraction(text: str) -> Decimal:
    return Decimal(text.strip().rstrip("%")) / 100


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def merge_pattern(keys: list[Any]) -> list[str]:
    return ["restart" if i == 0 or keys[i] != keys[i - 1] else "continue" for i in range(len(keys))]


def level1_pattern(indicators: list[dict]) -> list[str]:
    return merge_pattern([i["level1"] for i in indicators])


def level2_pattern(indicators: list[dict]) -> list[str]:
    return merge_pattern([(i["level1"], i["level2"]) for i in indicators])


def load_yaml(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------- fixtures


@dataclass
class RenderedProject:
    index: int
    data: dict  # the project record, straight from the YAML
    unit: dict  # the whole unit record
    docx: Path
    xlsx: Path

    @property
    def name(self) -> str:
        return self.data["name"]

    def __str__(self) -> str:  # readable parametrize ids
        return f"{self.index + 1}-{self.name}"


@pytest.fixture(scope="session")
def example_data() -> dict:
    return load_yaml(EXAMPLE)


@pytest.fixture(scope="session")
def example_rendered(rendered_once):
    """The session's one render of the example (shared with tests/test_regenerate.py: read only)."""
    return rendered_once(EXAMPLE)


@pytest.fixture(scope="session")
def rendered_projects(example_rendered, example_data) -> list[RenderedProject]:
    files = example_rendered.forms
    projects = example_data["projects"]
    assert len(files) == 2 * len(projects) == 12
    out = []
    for i, project in enumerate(projects):
        docx, xlsx = files[2 * i], files[2 * i + 1]
        assert docx.suffix == ".docx" and xlsx.suffix == ".xlsx"
        assert docx.name.startswith(f"{i + 1}-") and xlsx.name.startswith(f"{i + 1}-")
        out.append(RenderedProject(i, project, example_data, docx, xlsx))
    return out


PROJECT_IDS = [f"{i + 1}-{name}" for i, name in enumerate(REFERENCE)]


@pytest.fixture(params=range(6), ids=PROJECT_IDS)
def project(request, rendered_projects) -> RenderedProject:
    return rendered_projects[request.param]


@pytest.fixture(scope="session")
def example_rendered_again(rendered_once):
    """A second, independent render of the example, for the determinism tests (read only)."""
    return rendered_once(EXAMPLE, again=True)


@pytest.fixture(scope="session")
def escaping_rendered(tmp_path_factory):
    return docgen.render_file(ESCAPING, tmp_path_factory.mktemp("escaping"))


@pytest.fixture(scope="session")
def escaping_data() -> dict:
    return load_yaml(ESCAPING)


@pytest.fixture(scope="session")
def computed_rendered(tmp_path_factory):
    return docgen.render_file(COMPUTED, tmp_path_factory.mktemp("computed"))


@pytest.fixture(scope="session")
def empty_text_rendered(tmp_path_factory):
    return docgen.render_file(EMPTY_TEXT, tmp_path_factory.mktemp("empty-text"))


@pytest.fixture
def templates_copy(tmp_path) -> Path:
    """A private copy of templates/ (manifest and both templates) to tamper with."""
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    return root
