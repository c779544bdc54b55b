"""A render killed with SIGTERM while LibreOffice runs leaves no soffice process and no
docgen-office-* folder behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from docgen.render import office

FAKE = """#!/bin/sh
# stands in for soffice: a launcher with a child of its own (as soffice starts soffice.bin)
sleep 300 &
echo "$$ $!" > "$DOCGEN_TEST_PIDS"
wait
"""


def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, session…)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    fields = proc_stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie has ended


def group_members(pgid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            if fields and fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
                out.append(int(entry.name))
    return out


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def fake_soffice(tmp_path):
    path = tmp_path / "fake-office"  # not named soffice: the suite's guard keeps that name for `office` tests
    path.write_text(FAKE)
    path.chmod(0o755)
    return path


def start(args, tmp_path, soffice):
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    pids = tmp_path / "pids"
    env = {**os.environ, "TMPDIR": str(temp), "DOCGEN_SOFFICE": str(soffice), "DOCGEN_TEST_PIDS": str(pids)}
    proc = subprocess.Popen([sys.executable, "-c", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, temp, pids


def terminate_and_check(proc, temp, pids):
    assert wait_for(lambda: pids.exists() and pids.read_text().strip()), "the conversion never started"
    launcher, child = map(int, pids.read_text().split())
    assert alive(launcher) and alive(child)
    assert list(temp.glob("docgen-office-*"))  # the conversion's folder exists now
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, out
    assert b"Traceback" not in out
    # killed before docgen exits; a process the kernel is still tearing down on a loaded
    # machine (the grandchild is no child of docgen's to wait for) is given a moment
    assert wait_for(lambda: not alive(launcher) and not alive(child), timeout=10)
    assert group_members(launcher) == []
    assert list(temp.iterdir()) == []  # no docgen-office-* folder, nothing else either


def test_sigterm_during_a_conversion_ends_soffice_and_removes_its_folder(tmp_path, fake_soffice):
    code = "import sys; from docgen.render.office import Office; Office(sys.argv[1]).convert({'a.docx': b'x'})"
    proc, temp, pids = start([code, str(fake_soffice)], tmp_path, fake_soffice)
    terminate_and_check(proc, temp, pids)


def test_sigterm_during_the_layout_step_of_a_render(tmp_path, fake_soffice):
    out = tmp_path / "out"
    code = "from docgen.cli.app import main; main()"
    proc, temp, pids = start([code, "render", str(FIXTURES / "minimal.yaml"), "-o", str(out)], tmp_path, fake_soffice)
    terminate_and_check(proc, temp, pids)
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]  # nothing written


def test_a_timeout_ends_the_whole_group(tmp_path, fake_soffice, monkeypatch):
    pids = tmp_path / "pids"
    monkeypatch.setenv("DOCGEN_TEST_PIDS", str(pids))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(office.tempfile, "tempdir", None)
    lo = office.Office(str(fake_soffice), {}, timeout=1)
    monkeypatch.setattr(office, "PER_FILE_TIMEOUT", 0)
    start_time = time.monotonic()
    with pytest.raises(office.OfficeError) as caught:
        lo.convert({"a.docx": b"x"})
    assert "秒仍未完成" in caught.value.message()
    assert time.monotonic() - start_time < 60
    launcher, child = map(int, pids.read_text().split())
    assert not alive(launcher) and not alive(child)
    assert list(tmp_path.glob("docgen-office-*")) == []


def test_the_default_sigterm_action_is_restored(fake_soffice, tmp_path):
    lo = office.Office("/usr/bin/false", {})
    with pytest.raises(office.OfficeError):
        lo.convert({"a.docx": b"x"})
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def real_soffice():
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.office
@pytest.mark.skipif(real_soffice() is None, reason="LibreOffice is not installed")
def test_sigterm_with_real_libreoffice(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    docx = next((FIXTURES.parent.parent / "templates" / "docx").glob("*.docx"))
    code = "import sys; from docgen.render.office import Office; Office(sys.argv[1]).convert({'a.docx': open(sys.argv[2], 'rb').read()})"
    env = {**os.environ, "TMPDIR": str(temp)}
    proc = subprocess.Popen([sys.executable, "-c", code, real_soffice(), str(docx)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def children():
        return [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit() and (proc_stat(int(e.name)) or [0, 0])[1] == str(proc.pid)]

    assert wait_for(lambda: children() or proc.poll() is not None)
    (soffice,) = children()
    assert wait_for(lambda: list(temp.glob("docgen-office-*/tmp/*")), 30)  # LibreOffice is at work
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, out
    assert wait_for(lambda: group_members(soffice) == [], 10)
    assert list(temp.iterdir()) == []  # neither docgen-office-* nor LibreOffice's own lu*.tmp
