"""The web app of `docgen serve`: a Starlette application, server-rendered Jinja pages,
htmx (vendored in static/) for the live check.  Nothing here touches a file outside the
served folder: units are found by id (`units.Folder`), uploads are read in a temporary
folder and only what docgen made of them is written into the folder, under a name made
from the unit's name (`output.safe_name`), never the upload's."""

from __future__ import annotations

import asyncio
import copy
import re
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, quote

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.build.output import write_atomic
from docgen.errors import DocgenError
from docgen.forms import form_kinds
from docgen.inputs.filetypes import WORKBOOK_SUFFIXES
from docgen.inputs.loader import load_file
from docgen.model.names import safe_name
from docgen.registry.manifest import Registry, default_registry
from docgen.serve import editor
from docgen.serve import output as forms_output
from docgen.serve.freeform import duplicates
from docgen.serve.middleware import CSRF_HEADER, Guarded, TooLarge, plain
from docgen.serve.results import check_results
from docgen.serve.reviewing import ReviewPages, attachment
from docgen.serve.save import SaveConflict, SaveRefused, save_unit
from docgen.serve.security import MAX_UPLOAD, Guard, UploadRefused, check_upload, cookie_header
from docgen.serve.units import Folder, check_data

STATIC = {  # the only files /static/ serves: name -> media type
    "htmx.min.js": "text/javascript",
    "serve.js": "text/javascript",
    "serve.css": "text/css",
    "htmx-LICENSE.txt": "text/plain",
}


def _templates() -> jinja2.Environment:
    root = resources.files("docgen.serve") / "templates"

    def load(name: str) -> str | None:
        if not re.fullmatch(r"[a-z_]+\.html", name):
            return None
        part = root / name
        return part.read_text("utf-8") if part.is_file() else None

    env = jinja2.Environment(loader=jinja2.FunctionLoader(load), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["url"] = lambda s: quote(str(s), safe="")
    return env


class Server(ReviewPages):
    def __init__(self, folder: Path, guard: Guard, registry: Registry | None = None):
        self.registry = registry or default_registry()
        self.folder = Folder(folder, self.registry)
        self.guard = guard
        self.env = _templates()

    # ---------------------------------------------------------------- helpers

    def page(self, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(template).render(csrf=self.guard.csrf, **context), status_code=code)

    async def form(self, request: Request) -> FormData:
        """The submitted form; 403 unless it carries the CSRF token (header or field)."""
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            # The edit form has thousands of inputs: parse_qsl reads them ten times faster
            # than the multipart parser's byte-by-byte callbacks (the live check's budget).
            try:
                pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, max_num_fields=20000)
            except (UnicodeDecodeError, ValueError):
                raise _Refused(400, "提交的内容无法读取。") from None
            form = FormData(cast(Any, pairs))
        else:
            form = await request.form(max_files=20, max_fields=20000, max_part_size=MAX_UPLOAD)
        if not request.scope.get(CSRF_HEADER) and not self.guard.csrf_ok(str(form.get("csrf") or "")):
            raise _Refused(403, "拒绝操作：缺少或错误的 CSRF 令牌（请从本服务的页面操作）。")
        return form

    def opened(self, uid: str) -> Any:
        try:
            return self.folder.open(uid)
        except KeyError:
            raise _Refused(404, "没有这个单位文件（文件夹中找不到该编号）。") from None
        except DocgenError as exc:
            raise _Refused(422, exc.message()) from None

    # ---------------------------------------------------------------- pages

    async def index(self, request: Request) -> Response:
        kinds = [(k.name, self.registry.kinds[k.name], self.registry.defaults[k.name]) for k in form_kinds() if k.name in self.registry.kinds]
        return self.page(
            "index.html", entries=self.folder.listing(), kinds=kinds, folder=self.folder.root, year=date.today().year, message=request.query_params.get("m", "")
        )

    async def new(self, request: Request) -> Response:
        form = await self.form(request)
        name = str(form.get("unit") or "").strip()
        year = str(form.get("year") or "").strip()
        chosen = {k.name: str(form.get(f"version-{k.name}")) for k in form_kinds() if form.get(f"kind-{k.name}") and k.name in self.registry.kinds}
        problems = []
        if not name:
            problems.append("请填写单位名称。")
        if not re.fullmatch(r"\d{4}", year):
            problems.append("年度应为四位数字，如 2024。")
        if not chosen:
            problems.append("请至少选一种表单。")
        for kind, version in chosen.items():
            if version not in self.registry.kinds[kind]:
                problems.append(f"表单「{kind}」没有版本「{version}」。")
        if problems:
            return _redirect_message("；".join(problems))
        fmt = str(form.get("format") or "yaml")
        target = self._free_name(f"{name}{year}", ".xlsx" if fmt == "xlsx" else ".yaml")
        from docgen.inputs.importing.yaml_out import unit_yaml

        parts = editor.kind_parts()
        project: dict[str, Any] = {"name": "项目一", **{parts[k]: {} for k in chosen if k in parts}, "indicators": []}
        unit = {"unit": name, "year": int(year), "amount_unit": "万元" if form.get("amount_unit") == "万元" else "元", "forms": chosen, "projects": [project]}
        if fmt == "xlsx":
            from docgen.build.workbook import checked_workbook

            try:
                data = checked_workbook(check_data(target, unit, self.registry))
            except DocgenError as exc:
                return _redirect_message(exc.message())
        else:
            data = unit_yaml(unit).encode("utf-8")
        write_atomic(target, data)
        from docgen.serve.units import unit_id

        return RedirectResponse(f"/u/{unit_id(target.name)}", status_code=303)

    def _free_name(self, stem: str, suffix: str) -> Path:
        stem = safe_name(stem)
        target = self.folder.root / f"{stem}{suffix}"
        n = 2
        while target.exists():
            target = self.folder.root / f"{stem}-{n}{suffix}"
            n += 1
        return target

    async def upload(self, request: Request) -> Response:
        """Received forms or last year's forms (.docx/.xlsx) read into a new unit file, or
        a data-entry workbook added to the folder as it is."""
        form = await self.form(request)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not files:
            return _redirect_message("请选择要导入的表单文件。")
        with tempfile.TemporaryDirectory(prefix="docgen-upload-") as tmp:
            paths = []
            for n, f in enumerate(files):
                data = await f.read()
                label = Path(f.filename or "").name
                suffix = Path(label).suffix.lower()
                if suffix not in (".docx", ".xlsx", ".xlsm"):
                    return _redirect_message(f"上传的文件「{label}」不是 .docx 或 .xlsx，未读取。")
                try:
                    check_upload(label, data)
                except UploadRefused as exc:
                    return _redirect_message(exc.text)
                path = Path(tmp) / f"{n + 1}{suffix}"  # the upload's own name is never a path
                path.write_bytes(data)
                paths.append((label, path))
            try:
                return await asyncio.to_thread(self._imported, paths)
            except DocgenError as exc:
                text = exc.message()
                for label, path in paths:
                    text = text.replace(str(path), label)
                return _redirect_message(text)

    def _imported(self, paths: list[tuple[str, Path]]) -> Response:
        from docgen.inputs.importing import import_forms
        from docgen.review.received import _entry_workbook  # the batch's own test: a workbook with 单位 and 项目 sheets
        from docgen.serve.units import unit_id

        if len(paths) == 1 and paths[0][1].suffix in WORKBOOK_SUFFIXES and _entry_workbook(paths[0][1]):
            checked = check_data(paths[0][1], load_file(paths[0][1]).data, self.registry)
            target = self._free_name(f"{checked.unit.unit}{checked.unit.year}", paths[0][1].suffix)
            write_atomic(target, paths[0][1].read_bytes())
            return RedirectResponse(f"/u/{unit_id(target.name)}", status_code=303)
        result = import_forms([p for _, p in paths], self.registry)
        data = result.source.data
        target = self._free_name(f"{data['unit']}{data['year']}", ".yaml")
        write_atomic(target, result.yaml.encode("utf-8"))
        return RedirectResponse(f"/u/{unit_id(target.name)}?m={quote('已导入 ' + str(len(paths)) + ' 个文件')}", status_code=303)

    # ---------------------------------------------------------------- the editor

    def _editor_context(self, opened: Any) -> dict[str, Any]:
        data = opened.data
        projects = [editor.project_form(self.registry, data, i) for i in range(len(data.get("projects") or []))]
        return {
            "u": opened,
            "unit_fields": editor.unit_fields(data),
            "unit_groups": editor.unit_groups(self.registry, data),
            "projects": projects,
            "amount_unit": data.get("amount_unit") or "元",
        }

    def _results(self, opened: Any, names: dict[str, str] | None = None, page: Sequence[tuple[int | None, str, str]] = ()) -> dict[str, Any]:
        names = names if names is not None else editor.anchors(editor.all_fields(self.registry, opened.data))
        return check_results(self.registry, opened, names, page)

    async def unit_page(self, request: Request) -> Response:
        opened = self.opened(request.path_params["uid"])
        return self.page("unit.html", **self._editor_context(opened), **self._results(opened), message=request.query_params.get("m", ""))

    async def check(self, request: Request) -> Response:
        form = await self.form(request)
        opened = self.opened(request.path_params["uid"])
        started = time.perf_counter()
        with opened.lock:
            fields, _ = self._inputs(opened)
            editor.apply_form(self.registry, opened.data, form, in_place=True, fields=fields)
            results = self._results(opened, self._inputs(opened)[1], duplicates(form))  # a new `extra:` key: its finding at its line
            changed = opened.data != opened.original
        took = (time.perf_counter() - started) * 1000
        response = self.page("results.html", u=opened, **results, took=f"{took:.0f}", status="已检查（未保存）" if changed else "已检查")
        # The draft journal is written right after the answer is sent (the page need not wait for the disk).
        response.background = BackgroundTask(self._journal, opened)
        return response

    def _inputs(self, opened: Any) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's inputs for the data as it is now, and their `editor.anchors` (kept
        while the data keeps its `editor.shape`: the live check's budget)."""
        shape = editor.shape(opened.data)
        if opened.fields is None or opened.fields[0] != shape:
            fields = editor.all_fields(self.registry, opened.data)
            opened.fields = (shape, fields, editor.anchors(fields))
        return opened.fields[1], opened.fields[2]

    def _journal(self, opened: Any) -> None:
        with opened.lock:
            self.folder.journal(opened)

    async def rows(self, request: Request) -> Response:
        form = await self.form(request)
        opened = self.opened(request.path_params["uid"])
        with opened.lock:
            data = editor.apply_form(self.registry, opened.data, form)
            opened.data = editor.change_rows(data, str(form.get("op") or ""), str(form.get("target") or ""))
            self.folder.journal(opened)
        return self.page("editor.html", **self._editor_context(opened), **self._results(opened))

    async def save(self, request: Request) -> Response:
        form = await self.form(request)
        opened = self.opened(request.path_params["uid"])
        twice = duplicates(form)
        if twice:  # saving would keep only the first of two lines of the same name
            return self.page("status.html", kind="refused", text="未保存：" + "；".join(text for _, _, text in twice) + "。", code=409)
        with opened.lock:
            opened.data = editor.apply_form(self.registry, opened.data, form)
            self.folder.journal(opened)
            try:
                stamp = save_unit(opened.path, opened.original, opened.data, opened.stamp)
            except SaveConflict as exc:
                return self.page("status.html", kind="conflict", text=exc.message(), u=opened, code=409)
            except SaveRefused as exc:
                return self.page("status.html", kind="refused", text=exc.text, code=409)
            except DocgenError as exc:
                return self.page("status.html", kind="refused", text=exc.message(), code=500)
            self.folder.saved(opened, stamp)
        return self.page("status.html", kind="saved", text=f"已保存：{opened.path.name}")

    async def save_as(self, request: Request) -> Response:
        """The page's data as a new YAML unit file beside the workbook."""
        form = await self.form(request)
        opened = self.opened(request.path_params["uid"])
        from docgen.inputs.importing.yaml_out import unit_yaml
        from docgen.serve.units import unit_id

        with opened.lock:
            opened.data = editor.apply_form(self.registry, opened.data, form)
            target = self._free_name(opened.path.stem, ".yaml")
            write_atomic(target, unit_yaml(copy.deepcopy(opened.data)).encode("utf-8"))
        return self.page("status.html", kind="saved", text=f"已另存为：{target.name}", link=f"/u/{unit_id(target.name)}")

    async def discard(self, request: Request) -> Response:
        await self.form(request)
        self.folder.reopen(request.path_params["uid"])
        url = f"/u/{request.path_params['uid']}"
        if request.headers.get("hx-request"):  # htmx: load the page anew rather than swap it in
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    # ---------------------------------------------------------------- output

    def _checked(self, opened: Any) -> Any:
        try:
            return check_data(opened.path, opened.data, self.registry)
        except DocgenError as exc:
            raise _Refused(422, "数据有误，无法生成表单：" + exc.message()) from None

    async def download(self, request: Request) -> Response:
        opened = self.opened(request.path_params["uid"])
        what = request.query_params.get("what", "project")
        fmt = request.query_params.get("fmt", "docx" if what in ("project", "book") else "")
        if what not in ("project", "forms", "book", "all") or fmt not in ("docx", "xlsx", "pdf", ""):
            raise _Refused(400, "下载的内容或格式不对。")
        project = _int(request.query_params.get("p")) if what == "project" else None
        if what == "project" and (project is None or not 0 <= project < len(opened.data.get("projects") or [])):
            raise _Refused(404, "没有这个项目。")
        checked = self._checked(opened)
        try:
            made = await asyncio.to_thread(forms_output.render, checked, self.registry, what, project, fmt)
        except DocgenError as exc:
            raise _Refused(422, exc.message()) from None
        pick = _int(request.query_params.get("n"))
        if pick is not None and 0 <= pick < len(made):
            made = [made[pick]]
        if not made:
            raise _Refused(404, "该项目没有可生成的表单。")
        if len(made) == 1 and request.query_params.get("zip") is None:
            one = made[0]
            return Response(one.data, media_type=one.media, headers=attachment(one.name))
        name = f"{safe_name(checked.unit.unit)}{checked.unit.year}-{ {'project': '项目表单', 'forms': '全部表单', 'book': '汇总表', 'all': '全部'}[what] }.zip"
        return Response(forms_output.zipped(made), media_type=forms_output.MEDIA[".zip"], headers=attachment(name))

    async def preview(self, request: Request) -> Response:
        opened = self.opened(request.path_params["uid"])
        project = _int(request.query_params.get("p"))
        if project is None or not 0 <= project < len(opened.data.get("projects") or []):
            raise _Refused(404, "没有这个项目。")
        checked = self._checked(opened)
        made = await asyncio.to_thread(forms_output.render, checked, self.registry, "project", project, "xlsx")
        docx = await asyncio.to_thread(forms_output.render, checked, self.registry, "project", project, "docx")
        tables = [(m.name, forms_output.preview(m), n) for n, m in enumerate(made)]
        return self.page(
            "preview.html", u=opened, project=project, tables=tables, docx=[(n, m.name) for n, m in enumerate(docx)], name=checked.unit.projects[project].name
        )

    # ---------------------------------------------------------------- login, static

    async def login(self, request: Request) -> Response:
        if self.guard.password is None:
            return RedirectResponse("/", status_code=303)
        if request.method == "POST":
            form = await request.form(max_fields=5)
            if self.guard.password_ok(str(form.get("password") or "")):
                response = RedirectResponse("/", status_code=303)
                response.headers.append("set-cookie", cookie_header(self.guard))
                return response
            await asyncio.sleep(1)  # no quick guessing
            return self.page("login.html", code=403, wrong=True)
        return self.page("login.html")

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return plain(404, "没有这个文件。")
        data = (resources.files("docgen.serve") / "static" / name).read_bytes()
        return Response(data, media_type=STATIC[name], headers={"cache-control": "no-cache"})


class _Refused(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _redirect_message(text: str) -> Response:
    return RedirectResponse(f"/?m={quote(text)}", status_code=303)


def create_app(folder: Path, guard: Guard, registry: Registry | None = None) -> Starlette:
    server = Server(Path(folder), guard, registry)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _Refused)
        return server.page("status.html", kind="refused", text=exc.text, code=exc.status, standalone=True)

    async def too_large(request: Request, exc: Exception) -> Response:
        return plain(413, f"上传内容过大：最多 {MAX_UPLOAD // (1024 * 1024)} MB。")

    routes = [
        Route("/", server.index),
        Route("/new", server.new, methods=["POST"]),
        Route("/upload", server.upload, methods=["POST"]),
        Route("/u/{uid:str}", server.unit_page),
        Route("/u/{uid:str}/check", server.check, methods=["POST"]),
        Route("/u/{uid:str}/rows", server.rows, methods=["POST"]),
        Route("/u/{uid:str}/save", server.save, methods=["POST"]),
        Route("/u/{uid:str}/saveas", server.save_as, methods=["POST"]),
        Route("/u/{uid:str}/discard", server.discard, methods=["POST"]),
        Route("/u/{uid:str}/download", server.download),
        Route("/u/{uid:str}/preview", server.preview),
        Route("/review", server.review),
        Route("/review/{what:str}", server.review_download),
        Route("/login", server.login, methods=["GET", "POST"]),
        Route("/static/{name:str}", server.static),
    ]
    app = Starlette(routes=routes, exception_handlers={_Refused: refused, TooLarge: too_large})
    app.state.server = server
    return Guarded(app, guard)  # type: ignore[return-value]
