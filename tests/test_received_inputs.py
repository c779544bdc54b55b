"""Inputs that are not files and outputs that cannot be written: a FIFO in a folder of
received files is skipped with a line (never opened, so never read forever), a FIFO
named directly is refused; `review --letters L` where L is a file writes nothing; a
read-only file system is exit 2 with a message, not an internal error."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli.app import app

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "shanghai-sscard-2023.yaml"
runner = CliRunner()


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """A fresh process with a timeout: a FIFO opened for reading would block it for ever."""
    main = "import sys; sys.argv[0] = 'docgen'; from docgen.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", main, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def received(tmp_path) -> Path:
    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "单位.yaml")
    for name in ("管道.docx", "管道.xlsx", "管道.yaml"):
        os.mkfifo(folder / name)
    return folder


def test_fifos_in_a_folder_are_skipped_with_a_line(received, tmp_path):
    done = docgen("check", str(received), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("管道.docx", "管道.xlsx", "管道.yaml"):
        assert f"已跳过 {received / name}：不是普通文件（是管道、设备或套接字），不读取" in done.stderr
    assert "共 1 个单位：完成 1 个" in done.stdout + done.stderr


def test_fifos_in_a_folder_of_forms_to_import_are_skipped(received, tmp_path):
    (received / "单位.yaml").unlink()
    done = docgen("import", str(received), "-o", str(tmp_path / "u.yaml"), cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "u.yaml").exists()
    assert f"没有可导入的表单：{received / '管道.docx'}：不是普通文件（是管道、设备或套接字），未读取" in done.stderr


@pytest.mark.parametrize("name", ["管道.docx", "管道.xlsx", "管道.yaml"])
@pytest.mark.parametrize("command", ["check", "render", "import"])
def test_a_fifo_named_directly_is_refused(name, command, received, tmp_path):
    args = {"check": [], "render": ["-o", str(tmp_path / "out")], "import": ["-o", str(tmp_path / "u.yaml")]}[command]
    done = docgen(command, str(received / name), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "这不是普通文件（是管道、设备或套接字），请给出保存在磁盘上的数据文件" in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "u.yaml").exists()


@pytest.mark.parametrize("letters", ["L", "L/审核意见"], ids=["a file", "inside a file"])
def test_review_with_letters_into_a_file_writes_nothing(letters, tmp_path):
    (tmp_path / "L").write_text("不是文件夹", encoding="utf-8")
    result = runner.invoke(app, ["review", str(EXAMPLE), "-o", str(tmp_path / "r.xlsx"), "--letters", str(tmp_path / letters)])
    assert result.exit_code == 2, result.output
    assert f"（{tmp_path / 'L'} 是文件，不是文件夹；--letters 要给一个文件夹）；未写入任何文件" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L"] and (tmp_path / "L").read_text(encoding="utf-8") == "不是文件夹"


def test_review_into_a_folder_named_like_the_workbook_writes_nothing(tmp_path):
    (tmp_path / "r.xlsx").mkdir()
    result = runner.invoke(app, ["review", str(EXAMPLE), "-o", str(tmp_path / "r.xlsx"), "--letters", str(tmp_path / "letters")])
    assert result.exit_code == 2 and f"无法写入：{tmp_path / 'r.xlsx'} 是文件夹，不是文件；未写入任何文件" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def _read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system", str(args[0]) if args else None)


@pytest.mark.parametrize("where", ["mkdir", "temporary file"])
def test_a_read_only_file_system_is_exit_2(where, tmp_path, monkeypatch):
    if where == "mkdir":
        monkeypatch.setattr(Path, "mkdir", _read_only)
    else:
        monkeypatch.setattr("docgen.build.output.tempfile.mkstemp", _read_only)
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(tmp_path / "out"), "--no-layout", "--only", "forms"])
    assert result.exit_code == 2, result.output
    assert "无法写入输出" in result.output and "Read-only file system" in result.output and "内部错误" not in result.output


def test_a_write_error_docgen_does_not_wrap_is_exit_2_with_the_disk_s_words(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr("docgen.cli.app.render_file", full)
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"无法写入输出：{tmp_path / 'out'}：No space left on device（只读的文件系统、没有写入权限或磁盘已满）" in result.output
