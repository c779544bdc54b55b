"""`-j N` (issue 14): forms rendered over a process pool give the bytes `-j 1` gives,
the progress bar still counts every planned step, and an error a worker raises
surfaces as the same docgen exception with the same message."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from docgen import RenderOptions, render_file
from docgen.errors import TemplateError
from docgen.registry import load_registry
from docgen.workers import MIN_ITEMS_PER_WORKER, ordered_map, workers_for

from conftest import ROOT

pytestmark = pytest.mark.skipif(workers_for(2, 10**6) == 1, reason="no fork start method here")

PROJECTS = 2 * MIN_ITEMS_PER_WORKER + 2  # enough forms for two workers


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    path = tmp_path_factory.mktemp("many") / "unit.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "many_projects.py"), str(PROJECTS), str(path)], check=True)
    return path


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_write_the_bytes_one_does(many, tmp_path):
    steps = {1: [], 2: []}
    for jobs in (1, 2):
        options = RenderOptions(layout=False, jobs=jobs)
        render_file(many, tmp_path / str(jobs), options=options, progress=lambda label, total, j=jobs: steps[j].append((label, total)))
    assert _hashes(tmp_path / "1") == _hashes(tmp_path / "2")
    assert steps[1] == steps[2]
    assert len(steps[2]) == steps[2][0][1]  # once per planned step, forms in plan order
    assert sum("（财政项目支出绩效自评表）" in label for label, _ in steps[2]) == PROJECTS


def test_small_units_and_one_job_stay_in_process():
    assert workers_for(1, 10_000) == 1
    assert workers_for(8, MIN_ITEMS_PER_WORKER) == 1
    assert workers_for(2, 2 * MIN_ITEMS_PER_WORKER) == 2


def _fail_at(shared, item):
    if item == shared:
        raise TemplateError(ROOT / "x.docx", f"第 {item} 项出错")
    return item * 2


def test_results_come_in_order_and_worker_errors_surface_unchanged():
    items = list(range(4 * MIN_ITEMS_PER_WORKER))
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


def test_a_big_unit_checked_in_a_child_process_renders_the_same(many, tmp_path, monkeypatch):
    import docgen.api as api

    options = RenderOptions(layout=False, jobs=1)
    render_file(many, tmp_path / "here", options=options)
    monkeypatch.setattr(api, "BIG_UNIT_FILE", 0)
    render_file(many, tmp_path / "child", options=options)
    here, child = _hashes(tmp_path / "here"), _hashes(tmp_path / "child")
    manifest = [k for k in here if k.name == ".docgen-manifest.json"]
    assert here == child and manifest
