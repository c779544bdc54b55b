"""A served folder and a client that passed the token, for the tests of `docgen serve`."""

from __future__ import annotations

import html
import re
import shutil
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402

from docgen.serve.app import create_app  # noqa: E402
from docgen.serve.security import Guard  # noqa: E402
from docgen.serve.units import unit_id  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
BASE = "http://127.0.0.1:8765"


class Client:
    def __init__(self, folder: Path):
        self.folder = folder
        self.guard = Guard.new("127.0.0.1", 8765)
        self.app = create_app(folder, self.guard)
        self.http = TestClient(self.app, base_url=BASE, follow_redirects=False)
        assert self.http.get(f"/?token={self.guard.secret}").status_code == 303

    @property
    def server(self):
        return self.app.app.state.server

    def uid(self, name: str) -> str:
        return unit_id(name)

    def form(self, uid: str) -> dict[str, str]:
        """The edit form's fields as the browser would submit them."""
        page = self.http.get(f"/u/{uid}").text
        return fields_of(page) | {"csrf": self.guard.csrf}

    def post(self, url: str, data: dict[str, str] | None = None, **kw):
        return self.http.post(url, data=data, headers={"X-CSRF-Token": self.guard.csrf}, **kw)


def fields_of(page: str) -> dict[str, str]:
    out = {}
    for name, value in re.findall(r'<input id="[^"]+" name="([^"]+)" value="([^"]*)"', page):
        out[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        out[name] = html.unescape(value)
    for name, body in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", body)
        out[name] = html.unescape(chosen.group(1)) if chosen else ""
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "单位"
    root.mkdir()
    for name in ("shanghai-dpf-2022.yaml", "one-project-two-forms.yaml"):
        shutil.copy(EXAMPLES / name, root / name)
    return root


@pytest.fixture
def client(folder: Path) -> Client:
    return Client(folder)
