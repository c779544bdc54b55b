"""A big unit file parsed over several processes (`split_parse`) gives exactly what one
parse of the whole file gives, values and line numbers, or declines and leaves it to one."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from docgen.errors import InputError
from docgen.parse import load as loader
from docgen.parse.load import load_text
from docgen.parse.split import parse_split
from docgen.parse.text import parse_text

HEAD = "# 单位\nunit: 甲\nyear: 2023\n"
ITEM = '- name: 项目{n}\n  annual_goal: |\n    目标{n}\n    - 不是列表项\n  indicators:\n  - {{level1: 产出指标, name: 指标{n}, target: "=1次"}}\n'


def _items(count: int, indent: str = "") -> str:
    return "".join("".join(indent + line for line in ITEM.format(n=n).splitlines(keepends=True)) for n in range(count))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("many") / "unit.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "many_projects.py"), "12", str(path)], check=True)
    return path.read_text(encoding="utf-8")


def _same(text: str, processes: int) -> None:
    whole = parse_text(text, Path("u.yaml"))
    split = parse_split(text, Path("u.yaml"), processes)
    assert split is not None
    assert split.data == whole.data
    assert split.lines == whole.lines


@pytest.mark.parametrize("processes", [2, 3, 5])
def test_a_generated_unit_parses_the_same_in_pieces(generated, processes):
    _same(generated, processes)


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "projects:\n" + _items(5),  # items at the key's indentation
        HEAD + "projects:   # 项目\n" + _items(4, "  "),  # indented items, a comment on the key
        HEAD + "projects:\n\n# 第一组\n" + _items(3) + "# 第二组\n\n" + _items(3) + "amount_unit: 元\n",  # comments, a key after
    ],
)
def test_layouts_of_the_projects_list_parse_the_same(text):
    _same(text, 2)


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "defaults: &d {weight: 5}\nprojects:\n" + _items(4) + "- name: x\n  <<: *d\n",  # an alias across pieces
        HEAD + "projects:\n" + _items(4) + "---\nunit: 乙\n",  # a second document
        HEAD + "projects: [" + ", ".join(f"{{name: p{n}}}" for n in range(4)) + "]\n",  # flow style
        HEAD + "projects:\n" + _items(1),  # fewer items than processes
        HEAD + "x:\n  projects:\n" + _items(4, "  "),  # not the top-level key
        HEAD + 'note: "a\nprojects:\n' + _items(4).replace('"', "'") + '"\n',  # a key-like line inside a quoted text
    ],
)
def test_files_a_cut_could_change_are_parsed_whole(text):
    assert parse_split(text, Path("u.yaml"), 2) is None


def test_an_error_in_a_piece_is_reported_as_a_whole_parse_reports_it(monkeypatch):
    text = HEAD + "projects:\n" + _items(4) + "- name: 坏\n  weight: [1, 2\n" + _items(4)
    assert parse_split(text, Path("u.yaml"), 2) is None
    monkeypatch.setattr(loader, "SPLIT_MIN_CHARS", 0)
    monkeypatch.setattr(loader, "_PARSED_MAX_CHARS", 0)
    with pytest.raises(InputError) as split_error:
        load_text(text, Path("u.yaml"), jobs=2)
    with pytest.raises(InputError) as whole_error:
        parse_text(text, Path("u.yaml"))
    assert split_error.value.message() == whole_error.value.message()
    assert "u.yaml" in split_error.value.message()
