"""`-j N` (issue 14): forms rendered over a process pool give the bytes `-j 1` gives,
the progress bar still counts every planned step, and an error a worker raises
surfaces as the same docgen exception with the same message."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from docgen import RenderOptions, render_file
from docgen.build import workers
from docgen.build.workers import ordered_map, workers_for
from docgen.errors import TemplateError
from docgen.registry.manifest import load_registry

pytestmark = pytest.mark.skipif(workers_for(2, 10**6) == 1, reason="no fork start method here")

# Two workers get forms once there are MIN_ITEMS_PER_WORKER per worker; the tests lower
# that bar (in this process, where the pool is sized) so that a small unit needs a pool.
FEW_PER_WORKER = 2
PROJECTS = 2 * FEW_PER_WORKER + 2


@pytest.fixture(autouse=True)
def few_forms_make_a_pool(monkeypatch):
    monkeypatch.setattr(workers, "MIN_ITEMS_PER_WORKER", FEW_PER_WORKER)
    assert workers_for(2, PROJECTS) == 2


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    path = tmp_path_factory.mktemp("many") / "unit.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "many_projects.py"), str(PROJECTS), str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def in_process(many, tmp_path_factory):
    """`many` rendered with `-j 1`: its folder and the progress steps it reported."""
    folder, steps = tmp_path_factory.mktemp("one-job"), []
    render_file(many, folder, options=RenderOptions(layout=False, jobs=1), progress=lambda label, total: steps.append((label, total)))
    return folder, steps


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_write_the_bytes_one_does(many, in_process, tmp_path):
    folder, steps = in_process
    pooled = []
    render_file(many, tmp_path, options=RenderOptions(layout=False, jobs=2), progress=lambda label, total: pooled.append((label, total)))
    assert _hashes(tmp_path) == _hashes(folder)
    assert pooled == steps
    assert len(pooled) == pooled[0][1]  # once per planned step, forms in plan order
    assert sum("（财政项目支出绩效自评表）" in label for label, _ in pooled) == PROJECTS


def test_small_units_and_one_job_stay_in_process(monkeypatch):
    monkeypatch.undo()
    assert workers.MIN_ITEMS_PER_WORKER == 8
    assert workers_for(1, 10_000) == 1
    assert workers_for(8, 8) == 1
    assert workers_for(2, 16) == 2


def _fail_at(shared, item):
    if item == shared:
        raise TemplateError(ROOT / "x.docx", f"第 {item} 项出错")
    return item * 2


def test_results_come_in_order_and_worker_errors_surface_unchanged():
    items = list(range(4 * FEW_PER_WORKER))
    with ordered_map(_fail_at, -1, items, 2) as results:
        assert list(results) == [i * 2 for i in items]
    with pytest.raises(TemplateError) as raised, ordered_map(_fail_at, 5, items, 2) as results:
        list(results)
    assert str(raised.value) == f"模板有误：{ROOT / 'x.docx'}：第 5 项出错"
    assert raised.value.template == ROOT / "x.docx"


def test_a_broken_template_in_a_worker_is_the_same_template_error(many, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    docx = templates / "docx" / "selfeval-2022.docx"
    docx.write_bytes(b"not a zip")
    messages = []
    for jobs in (1, 2):
        with pytest.raises(TemplateError) as raised:
            render_file(many, tmp_path / f"out{jobs}", registry=load_registry(templates), options=RenderOptions(layout=False, jobs=jobs))
        messages.append(str(raised.value))
    assert messages[0] == messages[1] and str(docx) in messages[0]


def test_a_big_unit_checked_in_a_child_process_renders_the_same(many, in_process, tmp_path, monkeypatch):
    import docgen.api as api

    monkeypatch.setattr(api, "BIG_UNIT_FILE", 0)
    render_file(many, tmp_path, options=RenderOptions(layout=False, jobs=1))
    here, child = _hashes(in_process[0]), _hashes(tmp_path)
    manifest = [k for k in here if k.name == ".docgen-manifest.json"]
    assert here == child and manifest


def test_a_big_unit_parsed_over_two_processes_renders_the_same(many, in_process, tmp_path, monkeypatch):
    import docgen.api as api
    from docgen.parse import load as loader
    from docgen.parse import split as split_parse

    split = tmp_path / "split.txt"  # written by the child process that reads the unit
    real = split_parse.parse_split

    def spied(text, path, processes):
        loaded = real(text, path, processes)
        split.write_text(f"{processes} {loaded is not None}")
        return loaded

    monkeypatch.setattr(split_parse, "parse_split", spied)
    monkeypatch.setattr(api, "BIG_UNIT_FILE", 0)
    monkeypatch.setattr(loader, "SPLIT_MIN_CHARS", 0)
    monkeypatch.setattr(loader, "_PARSED_MAX_CHARS", 0)
    render_file(many, tmp_path / "out", options=RenderOptions(layout=False, jobs=2))
    assert split.read_text() == "2 True"
    assert _hashes(tmp_path / "out") == _hashes(in_process[0])
