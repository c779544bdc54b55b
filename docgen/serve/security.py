"""Who may drive the app, and what an upload may be.

- A secret token is made at each start and put in the URL the browser is opened at;
  the first visit with it sets a cookie (HttpOnly, SameSite=Strict) and every later
  request needs that cookie (or the token): another local user, or a web page in the
  same browser, cannot drive the app.  Served on another address than 127.0.0.1 (only
  with `--allow-remote` and a password), the login page takes the password instead.
- Every request that changes anything (any method but GET/HEAD) carries the CSRF token
  of the page (header `X-CSRF-Token` or form field `csrf`), derived from the secret.
- The Host header must name the address served (no DNS rebinding).
- A request body is bounded (`MAX_UPLOAD`, 413 past it) and an uploaded Office file is
  opened as the zip it is before any reader sees it: too many parts, parts that unpack
  past `MAX_UNPACKED` or at a ratio no form has (a zip bomb), or XML that declares a
  DTD or entities are refused with a Chinese message."""

from __future__ import annotations

import hmac
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

MAX_UPLOAD = 20 * 1024 * 1024  # one request's body
MAX_UNPACKED = 200 * 1024 * 1024  # an upload's zip parts, unpacked, all together
MAX_RATIO = 200  # unpacked / packed size of one part (text XML packs at about 10:1)
MAX_PARTS = 2000
COOKIE = "docgen_session"
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class Guard:
    secret: str
    host: str
    port: int
    password: str | None = None

    @classmethod
    def new(cls, host: str, port: int, password: str | None = None) -> Guard:
        return cls(secrets.token_urlsafe(32), host, port, password)

    @property
    def csrf(self) -> str:
        return hmac.new(self.secret.encode(), b"csrf", sha256).hexdigest()

    @property
    def session(self) -> str:
        """The cookie's value: not the token itself, so a leaked cookie is not the URL."""
        return hmac.new(self.secret.encode(), b"session", sha256).hexdigest()

    def token_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), self.secret.encode())  # type: ignore[union-attr]

    def session_ok(self, cookie: str | None) -> bool:
        return bool(cookie) and hmac.compare_digest(cookie.encode(), self.session.encode())  # type: ignore[union-attr]

    def password_ok(self, password: str) -> bool:
        return self.password is not None and hmac.compare_digest(password.encode(), self.password.encode())

    def csrf_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.csrf.encode())  # type: ignore[union-attr]

    def host_ok(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        name, _, port = host_header.rpartition(":") if re.search(r":\d+$", host_header) else (host_header, "", "")
        names = {"127.0.0.1", "localhost", "[::1]"} if self.host in ("127.0.0.1", "localhost") else None
        if port and int(port) != self.port:
            return False
        return names is None or name in names


class UploadRefused(Exception):
    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def check_upload(name: str, data: bytes) -> None:
    """Refuse an upload no received form can be: see the module's docstring."""
    label = f"上传的文件「{name}」"
    if len(data) > MAX_UPLOAD:
        raise UploadRefused(f"{label}超过 {MAX_UPLOAD // (1024 * 1024)} MB，未读取")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(f"{label}不是 Word（.docx）或 Excel（.xlsx）文件（无法作为 Office 文件打开），未读取") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise UploadRefused(f"{label}包含 {len(infos)} 个部件，不像一份表单（最多 {MAX_PARTS} 个），未读取")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNPACKED or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise UploadRefused(f"{label}解压后异常巨大（疑为压缩炸弹：部件 {info.filename} 解压为 {info.file_size:,} 字节），未读取")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")):
                head = _read_bounded(zf, info)
                if _DTD.search(head):
                    raise UploadRefused(f"{label}的部件 {info.filename} 声明了 DTD 或实体（XML 实体攻击），Office 文件不会这样写，未读取")


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, read in pieces and never past its declared size (a lying header
    cannot make it unpack more)."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            out += chunk
            if len(out) > info.file_size or len(out) > MAX_UNPACKED:
                raise UploadRefused(f"上传的文件的部件 {info.filename} 解压后大于其声明的大小（疑为压缩炸弹），未读取")
    return bytes(out)


def cookie_header(guard: Guard) -> str:
    return f"{COOKIE}={guard.session}; HttpOnly; SameSite=Strict; Path=/"


def parse_cookies(header: str) -> dict[str, Any]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out
