"""The guard in front of every route of `docgen serve` (an ASGI middleware): the Host
header, the token/cookie (or password) login, the CSRF header of a change, the body size
limit, and the security headers of every answer (see `security`)."""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from docgen.serve.security import COOKIE, MAX_UPLOAD, SAFE_METHODS, Guard, cookie_header, parse_cookies

CSRF_HEADER = "docgen.csrf_header"  # the scope key: the request carried the right X-CSRF-Token


class TooLarge(Exception):
    pass


# On every answer: no script but the app's own, no framing by another page (clickjacking),
# no address sent on to another site.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: a form posted under it says Origin: null
    (b"x-frame-options", b"DENY"),
]


class Guarded:
    """Host check, the token/cookie (or password) login, the CSRF header and the body
    size limit, in front of every route (see `security`)."""

    def __init__(self, app: Any, guard: Guard):
        self.app = app
        self.guard = guard

    async def __call__(self, scope: dict, receive: Any, outer_send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, outer_send)

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await outer_send(message)

        request = Request(scope)
        guard = self.guard
        if not guard.host_ok(request.headers.get("host")):
            return await plain(403, "拒绝访问：地址不对（Host 头不是本服务的地址）。")(scope, receive, send)
        token = request.query_params.get("token")
        if token is not None and guard.token_ok(token) and request.method in SAFE_METHODS:
            response = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
            response.headers.append("set-cookie", cookie_header(guard))
            return await response(scope, receive, send)
        authed = guard.session_ok(parse_cookies(request.headers.get("cookie", "")).get(COOKIE))
        if not authed:
            if guard.password is not None and scope["path"] == "/login":
                return await self.app(scope, receive, send)
            text = "需要登录：请打开 docgen serve 启动时给出的链接（含令牌）。" if guard.password is None else "需要登录：请先在 /login 输入密码。"
            return await plain(403, text)(scope, receive, send)
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            if origin and not guard.host_ok(origin.split("://", 1)[-1]):
                return await plain(403, "拒绝访问：请求来自别的网页（Origin 不符）。")(scope, receive, send)
            scope[CSRF_HEADER] = guard.csrf_ok(request.headers.get("x-csrf-token"))
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > MAX_UPLOAD:
                return await plain(413, f"上传内容过大：最多 {MAX_UPLOAD // (1024 * 1024)} MB。")(scope, receive, send)
            seen = 0

            async def bounded() -> dict:
                nonlocal seen
                message = await receive()
                seen += len(message.get("body", b""))
                if seen > MAX_UPLOAD:
                    raise TooLarge()
                return message

            started = False
            began = time.perf_counter()

            async def watch(message: MutableMapping[str, Any]) -> None:
                nonlocal started
                if message["type"] == "http.response.start":
                    started = True
                    # How long the server took to answer, from the request's arrival (Server-Timing).
                    took = (time.perf_counter() - began) * 1000
                    message = {**message, "headers": [*message.get("headers", []), (b"server-timing", f"app;dur={took:.1f}".encode())]}
                await send(message)

            try:
                return await self.app(scope, bounded, watch)
            except TooLarge:
                if not started:
                    return await plain(413, f"上传内容过大：最多 {MAX_UPLOAD // (1024 * 1024)} MB。")(scope, receive, send)
                raise
        return await self.app(scope, receive, send)


def plain(status: int, text: str) -> Response:
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>docgen</title><p>{text}</p>", status_code=status)
