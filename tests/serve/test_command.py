"""`docgen serve` as a clerk starts it: the URL with the token, 127.0.0.1 only."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from docgen.cli.app import app


def test_remote_without_a_password_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(tmp_path), "--host", "0.0.0.0", "--no-browser"], env={"DOCGEN_SERVE_PASSWORD": ""})
    assert result.exit_code == 2
    assert "只在本机（127.0.0.1）提供服务；要让别的电脑访问 0.0.0.0，须同时给出 --allow-remote 与 --password" in result.output


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "没有"), "--no-browser"])
    assert result.exit_code == 2 and f"文件夹不存在：{tmp_path / '没有'}" in result.output


def test_the_command_serves_the_folder_behind_its_token(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import sys; from docgen.cli.app import main; sys.argv = ['docgen', *sys.argv[1:]]; main()"
    command = [sys.executable, "-c", code, "serve", str(tmp_path), "--port", str(port), "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        url = re.search(r"在浏览器中打开：(\S+)", "".join(lines)).group(1)
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            except urllib.error.HTTPError as exc:
                assert exc.code == 403  # up, and closed without the token
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(url, timeout=10).read().decode("utf-8")
        assert "<h1>单位列表</h1>" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
