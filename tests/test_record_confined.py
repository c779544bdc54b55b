"""A planted or damaged output record (`.docgen-manifest.json`) never reaches outside
its folder: a name that leads out of it (`..`, an absolute path, a symlink) makes the
record refused as damaged, with or without `--force`; a record that is a FIFO, a link
to /dev/zero, a 3 GB sparse file or nested 200,000 deep gets a clear message at once.
Exit 2, nothing written or deleted."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import folder_digest
from typer.testing import CliRunner

from docgen.build.record import MANIFEST_NAME, Manifest, inside
from docgen.cli.app import app
from docgen.errors import RecordError

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "shanghai-sscard-2023.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("record") / "out"
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--no-layout", "--only", "forms"])
    assert result.exit_code in (0, 1), result.output
    return out


def _copy(rendered: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    shutil.copytree(rendered, out)
    return out, next(out.rglob(MANIFEST_NAME))


def _plant(record: Path, name: str, target: Path) -> None:
    raw = json.loads(record.read_text(encoding="utf-8"))
    raw["files"][name] = {"inputs": "planted", "output": hashlib.sha256(target.read_bytes()).hexdigest()}
    record.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def _names(secret: Path, record: Path) -> dict[str, str]:
    return {
        "relative": os.path.relpath(secret, record.parent),
        "absolute": str(secret),
        "dot-dot inside a name": "sub/../../" + os.path.relpath(secret, record.parent.parent),
    }


@pytest.mark.parametrize("force", [False, True], ids=["plain", "--force"])
@pytest.mark.parametrize("how", ["relative", "absolute", "dot-dot inside a name", "symlink to the file", "symlinked folder"])
def test_a_name_outside_the_folder_is_refused(how, force, rendered, tmp_path):
    out, record = _copy(rendered, tmp_path)
    secret = tmp_path / "某文件.txt"
    secret.write_text("不要删除", encoding="utf-8")
    if how == "symlink to the file":
        (record.parent / "链接.docx").symlink_to(secret)
        name = "链接.docx"
    elif how == "symlinked folder":
        (record.parent / "sub").symlink_to(tmp_path, target_is_directory=True)
        name = f"sub/{secret.name}"
    else:
        name = _names(secret, record)[how]
    _plant(record, name, secret)
    before = folder_digest(out)
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--no-layout", *(["--force"] if force else [])])
    assert result.exit_code == 2, result.output
    assert "输出目录的生成记录已损坏或被篡改" in result.output and "它列出了输出目录以外的文件「" in result.output
    assert name[:80] in result.output
    assert secret.read_text(encoding="utf-8") == "不要删除"
    assert folder_digest(out) == before


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse(path: Path) -> None:
    with path.open("wb") as fh:
        fh.truncate(3 * 1024**3)


def _nested(path: Path) -> None:
    path.write_text('{"files": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")


@pytest.mark.parametrize(
    "make, text",
    [
        (_fifo, "它不是普通文件（是目录、管道、设备或套接字）"),
        (_dev_zero, "它是一个符号链接（docgen 只写普通文件）"),
        (_sparse, "它有 3,072 MB，docgen 写的记录不会超过 128 MB"),
        (_nested, "它嵌套过深，不是 docgen 写的记录"),
    ],
    ids=["FIFO", "symlink to /dev/zero", "3 GB sparse", "nested 200,000 deep"],
)
def test_a_record_that_is_not_one_is_refused_at_once(make, text, rendered, tmp_path):
    out, record = _copy(rendered, tmp_path)
    record.unlink()
    make(record)
    before = {p.name for p in record.parent.iterdir()}
    start = time.process_time()
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--no-layout"])
    assert time.process_time() - start < 5
    assert result.exit_code == 2, result.output
    assert text in result.output and "Traceback" not in result.output
    assert {p.name for p in record.parent.iterdir()} == before
    with pytest.raises(RecordError, match=text.replace("(", r"\(")):
        Manifest.read(record.parent)


@pytest.mark.parametrize(
    "name, ok",
    [
        ("1-项目-申报表.docx", True),
        ("sub/1-项目.xlsx", True),
        ("../x.docx", False),
        ("/etc/passwd", False),
        ("C:\\Windows\\x.docx", False),
        ("a\\..\\..\\x", False),
        ("a\0b", False),
        ("", False),
        (".", False),
        ("sub/..", False),
    ],
)
def test_inside(name, ok, tmp_path):
    assert inside(tmp_path, name) is ok


def test_a_fifo_where_an_output_goes_is_refused_not_read(rendered, tmp_path):
    out, record = _copy(rendered, tmp_path)
    form = next(p for p in record.parent.iterdir() if p.suffix == ".docx")
    form.unlink()
    os.mkfifo(form)
    start = time.process_time()
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--no-layout", "--force"])
    assert time.process_time() - start < 5
    assert result.exit_code == 2, result.output
    assert f"无法写入输出：{form}：这不是普通文件（是目录、管道、设备或套接字），docgen 不读取也不替换它" in result.output
    assert form.is_fifo()
