"""Internal errors get exit code 4 and one Chinese line; --debug shows the traceback;
--version prints the version."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

import docgen
from docgen.cli import app as cli
from docgen.cli.app import app

runner = CliRunner()


def boom(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize("command", ["check", "score", "render"])
def test_internal_error_exits_4_with_one_line_naming_the_file(fixtures, tmp_path, monkeypatch, command):
    monkeypatch.setattr(cli, "check_file", boom)
    monkeypatch.setattr(cli, "render_file", boom)
    path = fixtures / "minimal.yaml"
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "render" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 4
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"内部错误：处理 {path} 时 docgen 出错（RuntimeError: boom）")
    assert "请报告此问题" in lines[0]
    assert not (tmp_path / "out").exists()


def test_internal_error_with_options_before_the_file(fixtures, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "render_file", boom)
    path = fixtures / "minimal.yaml"
    result = runner.invoke(app, ["render", "-o", str(tmp_path), "--no-layout", str(path)])
    assert result.exit_code == 4
    assert f"处理 {path} 时" in result.output


def test_internal_error_in_output_after_the_run_is_caught(fixtures, monkeypatch):
    monkeypatch.setattr(cli, "_print_findings", lambda checked: 1 / 0)
    result = runner.invoke(app, ["check", str(fixtures / "minimal.yaml")])
    assert result.exit_code == 4
    assert "ZeroDivisionError" in result.output and "Traceback" not in result.output


def test_debug_shows_the_traceback(fixtures, monkeypatch):
    monkeypatch.setattr(cli, "check_file", boom)
    result = runner.invoke(app, ["--debug", "check", str(fixtures / "minimal.yaml")])
    assert result.exit_code == 4
    assert "Traceback (most recent call last)" in result.output
    assert "RuntimeError: boom" in result.output
    assert result.output.strip().splitlines()[-1].startswith("内部错误：")


def test_input_errors_keep_exit_code_2(fixtures):
    result = runner.invoke(app, ["check", str(fixtures / "bad" / "syntax.yaml")])
    assert result.exit_code == 2
    assert "内部错误" not in result.output


def test_findings_keep_exit_code_1(example):
    assert runner.invoke(app, ["check", str(example)]).exit_code == 1


def test_usage_errors_are_not_internal():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "内部错误" not in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"docgen {docgen.__version__}"
    assert docgen.__version__ == "0.2.0"


def test_internal_error_through_the_installed_command(fixtures):
    """The real entry point (not CliRunner): exit 4, no traceback on stderr."""
    code = (
        "import sys, docgen.cli.app as c\n"
        "c.check_file = lambda *a, **k: (_ for _ in ()).throw(KeyError('x'))\n"
        "sys.argv = ['docgen', 'check', sys.argv[1]]\n"
        "c.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(fixtures / "minimal.yaml")], capture_output=True, text=True)
    assert done.returncode == 4
    assert "Traceback" not in done.stderr
    assert "内部错误：处理" in done.stderr and "minimal.yaml" in done.stderr
