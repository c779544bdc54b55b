"""Packaging smoke test (issue 16): the built wheel, installed into a fresh virtual
environment, renders an example from another folder with the templates and examples it
carries as package data (no checkout, no DOCGEN_TEMPLATES), and neither building nor
installing prints a deprecation warning of ours; `python -m docgen` runs the command
too (the route on Windows, where the venv's Scripts folder is seldom on the PATH).

Marked `packaging` (about 12 s: a wheel build and an install into a new venv);
dependencies come from pip's usual indexes and cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("docgen", "templates", "data", "setup.py", "pyproject.toml", "README.md")


def run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return result


def test_the_wheel_renders_an_example_from_another_folder(tmp_path):
    src = tmp_path / "src"  # a copy: the build's build/ and egg-info stay out of the checkout
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, src / name)
    shutil.rmtree(src / "docgen" / "__pycache__", ignore_errors=True)
    wheels = tmp_path / "wheels"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", wheels, src], cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "deprecat" not in (built.stdout + built.stderr).lower(), built.stdout + built.stderr
    (wheel,) = wheels.glob("docgen-*.whl")
    with zipfile.ZipFile(wheel) as zf:  # `docgen serve` ships its pages and scripts: no CDN, no build step
        shipped = set(zf.namelist())
    assert {"docgen/serve/static/htmx.min.js", "docgen/serve/static/htmx-LICENSE.txt", "docgen/serve/templates/unit.html"} <= shipped

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)  # this pip installs into it (`--python`): no pip of its own to set up
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    install = [sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "-q", "--disable-pip-version-check", wheel]
    installed = run(install, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "deprecat" not in (installed.stdout + installed.stderr).lower()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = elsewhere / "unit.yaml"
    shutil.copy2(ROOT / "data" / "examples" / "shanghai-dpf-2022.yaml", example)
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_TEMPLATES", "PYTHONPATH")}
    version = run([bin_dir / "docgen", "--version"], cwd=elsewhere, env=env)
    assert version.returncode == 0 and "0.2.0" in version.stdout
    # `python -m docgen` (Windows: `py -m docgen`) is the same command, with its Chinese help
    module = run([bin_dir / "python", "-m", "docgen", "--help"], cwd=elsewhere, env={**env, "COLUMNS": "80"})
    assert module.returncode == 0, module.stdout + module.stderr
    assert module.stdout.startswith("用法：python -m docgen [选项] 命令 [参数]…"), module.stdout
    assert "  render     生成每个项目的表单" in module.stdout and "示例：" in module.stdout
    module_version = run([bin_dir / "python", "-m", "docgen", "--version"], cwd=elsewhere, env=env)
    assert module_version.returncode == 0 and module_version.stdout == version.stdout
    rendered = run([bin_dir / "docgen", "render", "unit.yaml", "-o", "out", "--no-layout"], cwd=elsewhere, env=env)
    assert rendered.returncode == 1, rendered.stdout + rendered.stderr  # the example's published slips
    assert "文件：新增 14 个" in rendered.stdout
    (summary,) = (elsewhere / "out").glob("*/2022/*汇总表.xlsx")
    row = [c.value for c in load_workbook(summary).worksheets[0][3]]
    assert row[2] == "残疾人权益保障经费" and row[5] == 1561500 and row[8] == 96
    # Every version's templates are in the wheel (`templates list` exits 1 naming a missing
    # one); that they parse and render is tests/test_template_check.py's work.
    listed = run([bin_dir / "docgen", "templates", "list"], cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.count(str(env_dir)) >= 8, listed.stdout  # the .docx and .xlsx of four versions, from the venv
