"""Each defence of `docgen serve` attacked: the token, CSRF, Host, names as paths,
upload size, zip bombs and XML entities, and remote serving without a password."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.serve import ServeRefused, serve
from docgen.serve.app import create_app
from docgen.serve.security import MAX_UPLOAD, Guard

from .conftest import BASE, Client


def test_no_token_is_403(folder: Path) -> None:
    guard = Guard.new("127.0.0.1", 8765)
    http = TestClient(create_app(folder, guard), base_url=BASE, follow_redirects=False)
    for url in ("/", "/review", f"/u/{Client(folder).uid('shanghai-dpf-2022.yaml')}", "/static/serve.js"):
        response = http.get(url)
        assert response.status_code == 403, url
        assert "需要登录：请打开 docgen serve 启动时给出的链接（含令牌）" in response.text
    assert http.get("/?token=wrong").status_code == 403
    http.cookies.set("docgen_session", guard.secret)
    assert http.get("/").status_code == 403  # the cookie's value is not the token


def test_token_sets_a_strict_cookie(folder: Path) -> None:
    guard = Guard.new("127.0.0.1", 8765)
    http = TestClient(create_app(folder, guard), base_url=BASE, follow_redirects=False)
    response = http.get(f"/review?token={guard.secret}")
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/review"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and guard.secret not in cookie
    assert http.get("/").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/new", "/upload", "/u/{uid}/check", "/u/{uid}/rows", "/u/{uid}/save", "/u/{uid}/saveas", "/u/{uid}/discard"],
)
@pytest.mark.parametrize("csrf", [None, "0" * 64])
def test_every_change_needs_the_csrf_token(client: Client, url: str, csrf: str | None) -> None:
    uid = client.uid("one-project-two-forms.yaml")
    before = (client.folder / "one-project-two-forms.yaml").read_bytes()
    data = {"unit": "攻击", "year": "2024", "kind-target": "1", "version-target": "2023", "projects.0.name": "改名"}
    if csrf:
        data["csrf"] = csrf
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    response = client.http.post(url.format(uid=uid), data=data, headers=headers)
    assert response.status_code == 403
    assert "缺少或错误的 CSRF 令牌" in response.text
    assert (client.folder / "one-project-two-forms.yaml").read_bytes() == before
    assert sorted(p.name for p in client.folder.iterdir()) == ["one-project-two-forms.yaml", "shanghai-dpf-2022.yaml"]


def test_a_foreign_origin_is_refused(client: Client) -> None:
    uid = client.uid("one-project-two-forms.yaml")
    response = client.http.post(f"/u/{uid}/save", data={"csrf": client.guard.csrf}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403 and "Origin 不符" in response.text


def test_another_host_name_is_refused(client: Client) -> None:
    response = client.http.get("/", headers={"Host": "evil.example:8765"})
    assert response.status_code == 403 and "Host 头不是本服务的地址" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/u/..%2F..%2Fetc%2Fpasswd",
        "/u/one-project-two-forms.yaml",
        "/u/../one-project-two-forms.yaml",
        "/u/%2Fetc%2Fpasswd/download?what=forms",
        "/static/..%2Fapp.py",
        "/static/serve.css%00",
    ],
)
def test_names_are_never_paths(client: Client, url: str) -> None:
    response = client.http.get(url)
    assert response.status_code == 404
    assert "passwd" not in response.text and "import" not in response.text


def test_an_upload_name_is_never_a_path(client: Client, tmp_path: Path) -> None:
    from .test_import import rendered_form

    data = rendered_form(tmp_path)
    response = client.post("/upload", files={"files": ("../../../outside.docx", data)})
    assert response.status_code == 303
    assert not (client.folder.parent / "outside.docx").exists() and not (tmp_path / "outside.docx").exists()
    made = sorted(p.name for p in client.folder.iterdir() if p.name not in ("one-project-two-forms.yaml", "shanghai-dpf-2022.yaml"))
    assert made == ["上海市社会保障卡服务中心2023.yaml"]


def test_an_oversize_upload_is_413(client: Client) -> None:
    response = client.post("/upload", files={"files": ("big.docx", b"0" * (MAX_UPLOAD + 1))})
    assert response.status_code == 413
    assert "上传内容过大：最多 20 MB" in response.text


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _message(response) -> str:
    from urllib.parse import unquote

    assert response.status_code == 303
    return unquote(response.headers["location"].split("?m=", 1)[1])


def test_a_zip_bomb_gets_a_clear_message(client: Client) -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b"a" * (2 * 1024 * 1024) + b">"})
    assert len(bomb) < MAX_UPLOAD
    message = _message(client.post("/upload", files={"files": ("表.docx", bomb)}))
    assert message.startswith("上传的文件「表.docx」解压后异常巨大（疑为压缩炸弹：部件 word/document.xml 解压为 2,097,154 字节），未读取")


def test_xml_entities_are_refused(client: Client) -> None:
    evil = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'}
    )
    message = _message(client.post("/upload", files={"files": ("表.docx", evil)}))
    assert message == "上传的文件「表.docx」的部件 word/document.xml 声明了 DTD 或实体（XML 实体攻击），Office 文件不会这样写，未读取"


def test_not_an_office_file(client: Client) -> None:
    message = _message(client.post("/upload", files={"files": ("表.docx", b"plain text")}))
    assert message == "上传的文件「表.docx」不是 Word（.docx）或 Excel（.xlsx）文件（无法作为 Office 文件打开），未读取"
    message = _message(client.post("/upload", files={"files": ("表.exe", b"MZ")}))
    assert message == "上传的文件「表.exe」不是 .docx 或 .xlsx，未读取。"


@pytest.mark.parametrize("allow, password", [(False, None), (True, None), (False, "secret")])
def test_remote_serving_needs_the_flag_and_a_password(folder: Path, allow: bool, password: str | None) -> None:
    with pytest.raises(ServeRefused) as refused:
        serve(folder, host="0.0.0.0", port=8799, browser=False, allow_remote=allow, password=password)
    assert "须同时给出 --allow-remote 与 --password" in refused.value.text


def test_remote_login_takes_the_password(folder: Path) -> None:
    guard = Guard.new("0.0.0.0", 8765, password="正确的密码")
    http = TestClient(create_app(folder, guard), base_url="http://192.168.1.5:8765", follow_redirects=False)
    assert http.get("/").status_code == 403
    assert "/login" in http.get("/").text
    assert http.get("/login").status_code == 200
    assert http.post("/login", data={"password": "错"}).status_code == 403
    response = http.post("/login", data={"password": "正确的密码"})
    assert response.status_code == 303
    assert http.get("/").status_code == 200


def test_every_answer_forbids_foreign_scripts_and_framing(client: Client) -> None:
    for response in (client.http.get("/"), client.http.get("/nowhere"), TestClient(client.app, base_url=BASE).get("/")):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "same-origin" and response.headers["x-frame-options"] == "DENY"
