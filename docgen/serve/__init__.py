"""`docgen serve`: fill, check and print the forms in a browser (docs/serve.md).

`serve(folder, …)` starts the app on uvicorn and opens the browser at the URL with the
start's secret token; the web app itself is `app.create_app`."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

LOCAL = ("127.0.0.1", "localhost", "::1")


class ServeRefused(Exception):
    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def serve(folder: Path, host: str = "127.0.0.1", port: int = 8765, browser: bool = True, allow_remote: bool = False, password: str | None = None) -> None:
    import uvicorn

    from docgen.serve.app import create_app
    from docgen.serve.security import Guard

    folder = Path(folder)
    if not folder.is_dir():
        raise ServeRefused(f"文件夹不存在：{folder}")
    if host not in LOCAL and not (allow_remote and password):
        raise ServeRefused(
            f"只在本机（127.0.0.1）提供服务；要让别的电脑访问 {host}，须同时给出 --allow-remote 与 --password（或环境变量 DOCGEN_SERVE_PASSWORD）"
        )
    guard = Guard.new(host, port, password if host not in LOCAL else None)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/?token={guard.secret}"
    print(f"docgen serve：{folder.resolve()}")
    print(f"在浏览器中打开：{url}")
    print("按 Ctrl+C 停止。")
    if browser:
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(folder, guard), host=host, port=port, log_level="warning")
