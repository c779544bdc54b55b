"""Output writing: file modes, names cut by UTF-8 bytes, Windows device names, a manifest
that records only what was written, and a lock on the output folder."""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, edited_copy
from typer.testing import CliRunner

from docgen.api import RenderOptions, render_file
from docgen.build import output
from docgen.build.output import folder_lock, write_atomic, write_outputs
from docgen.build.record import MANIFEST_NAME, Manifest, Plan, clean_temporaries
from docgen.cli.app import app
from docgen.errors import OutputError
from docgen.model.names import MAX_NAME_BYTES, NAME_BYTES, safe_name

runner = CliRunner()
LONG = "上海市社会保障卡服务中心" * 6 + "信息系统运行维护及安全等级保护测评项目"  # 91 characters, 273 bytes


@pytest.fixture
def umask():
    def set_mask(mask):
        old.append(os.umask(mask))

    old = []
    yield set_mask
    if old:
        os.umask(old[0])


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_get_the_mode_of_a_plain_write(tmp_path, umask, mask, expected):
    umask(mask)
    result = runner.invoke(app, ["render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    found = modes(tmp_path / "测试单位" / "2023")
    assert len(found) == 5  # four outputs and the manifest
    assert set(found.values()) == {expected}


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    render_file(FIXTURES / "minimal.yaml", tmp_path)
    folder = tmp_path / "测试单位" / "2023"
    form = folder / "1-测试项目-财政项目支出绩效自评表.xlsx"
    form.chmod(0o600)
    (folder / MANIFEST_NAME).chmod(0o640)
    changed = edited_copy(tmp_path, FIXTURES / "minimal.yaml", ("executed: 90}", "executed: 95}"))
    before = form.stat().st_ino
    result = render_file(changed, tmp_path, options=RenderOptions(replace=True))
    assert form in result.changed and form.stat().st_ino != before  # really replaced
    assert stat.S_IMODE(form.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / MANIFEST_NAME).stat().st_mode) == 0o640
    assert stat.S_IMODE((folder / "1-测试项目-财政项目支出绩效自评表.docx").stat().st_mode) == 0o644


def test_write_atomic_mode_directly(tmp_path, umask):
    umask(0o077)
    write_atomic(tmp_path / "a.txt", b"x")
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o600
    (tmp_path / "a.txt").chmod(0o755)
    write_atomic(tmp_path / "a.txt", b"y")
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o755
    assert (tmp_path / "a.txt").read_bytes() == b"y"


# ------------------------------------------------------------------ names


def test_long_cjk_project_name_renders_and_the_manifest_matches_the_folder(tmp_path):
    path = edited_copy(tmp_path, FIXTURES / "minimal.yaml", ("name: 测试项目", f"name: {LONG}"))
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "测试单位" / "2023"
    names = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST_NAME)
    cut = safe_name(LONG)
    assert len(cut.encode("utf-8")) <= NAME_BYTES and LONG.startswith(cut) and len(cut) == 60
    assert names[:2] == [f"1-{cut}-财政项目支出绩效自评表.docx", f"1-{cut}-财政项目支出绩效自评表.xlsx"]
    assert all(len(n.encode("utf-8")) <= MAX_NAME_BYTES for n in names)
    assert set(Manifest.read(folder).files) == set(names)
    assert f"新增：{folder / names[0]}" in result.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CON", "_CON"),
        ("con", "_con"),
        ("NUL.docx", "_NUL.docx"),
        ("COM1", "_COM1"),
        ("lpt9 ", "_lpt9"),
        ("CONSOLE", "CONSOLE"),
        ("项目.", "项目"),
        ("a/b:c", "a_b_c"),
        ("", "未命名"),
        ("...", "未命名"),
        ("项目\x01名", "项目_名"),
    ],
)
def test_safe_name(text, expected):
    assert safe_name(text) == expected


def test_safe_name_cuts_by_bytes_keeping_the_extension():
    name = safe_name("项" * 100 + ".docx", limit=20)
    assert name == "项项项项项.docx"  # 15 bytes + 5
    assert safe_name("项" * 100, limit=20) == "项" * 6
    assert safe_name("ab" + "项" * 10, limit=6) == "ab项"  # never half a character
    # a cut that ends in a space or a dot is trimmed (Windows drops them)
    assert safe_name("项目 名称", limit=7) == "项目"
    assert safe_name("项目.名称", limit=7) == "项目"


def test_default_limit_leaves_room_for_the_index_title_and_extension():
    stem = f"1000-{safe_name('项' * 300)}-财政项目支出绩效目标申报表.docx"
    assert len(stem.encode("utf-8")) <= MAX_NAME_BYTES


def test_a_name_too_long_is_refused_before_anything_is_written(tmp_path):
    folder = tmp_path / "out"
    files = {"ok.docx": b"1", ("项" * 90) + ".docx": b"2"}
    todo = Plan(added=list(files))
    with pytest.raises(OutputError) as info:
        write_outputs(folder, None, todo, {n: "i" for n in files}, files, Path("u.yaml"), "")
    assert "255 字节" in info.value.message()
    assert not folder.exists()


def test_a_failed_write_records_only_what_was_written(tmp_path, monkeypatch):
    render_file(FIXTURES / "minimal.yaml", tmp_path)
    folder = tmp_path / "测试单位" / "2023"
    before = Manifest.read(folder)
    path = edited_copy(tmp_path, FIXTURES / "minimal.yaml", ("executed: 90}", "executed: 95}"), ("name: 测试项目", "name: 新项目"))
    real = output.write_atomic
    calls = []

    def failing(target, data):
        calls.append(target.name)
        if len(calls) == 3:  # the pending manifest, one form, then the disk is full
            raise OutputError(target, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(output, "write_atomic", failing)
    with pytest.raises(OutputError):
        render_file(path, tmp_path, options=RenderOptions(replace=True))
    monkeypatch.undo()
    on_disk = {p.name for p in folder.iterdir() if p.name != MANIFEST_NAME}
    recorded = Manifest.read(folder).files
    assert set(recorded) <= on_disk  # never a file that was not written
    first = calls[1]
    assert first.startswith("1-新项目") and recorded[first].previous == ()
    assert calls[2] not in recorded and calls[2] not in on_disk
    # the old project's files are still there and still docgen's
    assert {n: e.output for n, e in recorded.items() if n.startswith("1-测试项目")} == {
        n: e.output for n, e in before.files.items() if n.startswith("1-测试项目")
    }
    # the next render finishes the job without complaint
    done = render_file(path, tmp_path, options=RenderOptions(replace=True))
    assert set(Manifest.read(folder).files) == {p.name for p in folder.iterdir() if p.name != MANIFEST_NAME}
    assert done.kept == []


# ------------------------------------------------------------------ concurrency


def test_temporaries_of_live_renders_are_kept(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        live = tmp_path / f".docgen-tmp-{sleeper.pid}-abcd1234.docx"
        mine = tmp_path / f".docgen-tmp-{os.getpid()}-abcd1234.docx"
        stale = tmp_path / f".docgen-tmp-{dead.pid}-abcd1234.docx"
        old_style = tmp_path / ".docgen-tmp-abcd1234.docx"
        for p in (live, mine, stale, old_style):
            p.write_bytes(b"x")
        clean_temporaries(tmp_path)
        assert live.exists() and mine.exists()
        assert not stale.exists() and not old_style.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_temporary_names_carry_the_pid(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(output.os, "replace", lambda src, dst: seen.append(Path(src).name) or real(src, dst))
    write_atomic(tmp_path / "a.docx", b"x")
    assert seen[0].startswith(f".docgen-tmp-{os.getpid()}-") and seen[0].endswith(".docx")


def waiting_for_lock(pid: int) -> bool:
    """Is process `pid` blocked on a file lock (a `->` line of /proc/locks)?"""
    return any("->" in line and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines())


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks")
def test_a_second_render_waits_for_the_folder_lock(tmp_path):
    folder = tmp_path / "测试单位" / "2023"
    env = {**os.environ, "DOCGEN_SOFFICE": ""}
    with folder_lock(folder):
        proc = subprocess.Popen(
            [sys.executable, "-c", "from docgen.cli.app import main; main()", "render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not waiting_for_lock(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert waiting_for_lock(proc.pid), proc.communicate()[0]
            assert proc.poll() is None
            assert [p.name for p in folder.iterdir()] == []  # nothing written while we hold the lock
        except BaseException:
            proc.kill()
            raise
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert len(Manifest.read(folder).files) == 4


def test_two_renders_at_once_both_succeed(tmp_path):
    env = {**os.environ, "DOCGEN_SOFFICE": ""}
    command = [sys.executable, "-c", "from docgen.cli.app import main; main()", "render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path)]
    reference = tmp_path / "ref"
    render_file(FIXTURES / "minimal.yaml", reference)
    expected = {p.name: p.read_bytes() for p in (reference / "测试单位" / "2023").iterdir() if p.name != MANIFEST_NAME}
    for _ in range(2):  # the second round finds the first round's folder
        procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
        outs = [p.communicate(timeout=120)[0].decode() for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        folder = tmp_path / "测试单位" / "2023"
        now = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST_NAME}
        assert now == expected  # no temporary file left, nothing missing
        assert {n: e.output for n, e in Manifest.read(folder).files.items()} == {
            n: e.output for n, e in Manifest.read(reference / "测试单位" / "2023").files.items()
        }
        # a third render finds everything unchanged
        result = runner.invoke(app, ["render", str(FIXTURES / "minimal.yaml"), "-o", str(tmp_path)])
        assert "文件：新增 0 个，更新 0 个，未变 4 个，删除 0 个。" in result.output
