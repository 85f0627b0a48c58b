"""The desk's web application: Starlette routes, the gate (login, host, CSRF), the lists and the preview.

asgi.make_app(settings, host) builds it; server.py runs it with uvicorn. The case and pack pages are in
case_pages.py and pack_pages.py; this module holds what every page shares.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from ..content.cases import load_cases
from ..config import EDITIONS, Settings
from ..content.packs import load_packs, validate_packs
from ..content.problems import ERROR
from ..content.taxonomy import load_taxonomy
from ..content.validate import validate_cases
from . import security
from .history import History
from .paths import DeskRefused
from .publish import Publishing

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "desk"
VENDOR = {"htmx.min.js": ROOT / "tools/desk/node_modules/htmx.org/dist/htmx.min.js",
          "Sortable.min.js": ROOT / "tools/desk/node_modules/sortablejs/Sortable.min.js"}
MAX_FORM_BYTES = 2 * 1024 * 1024  # a case file is at most 1 MB (cases.MAX_BYTES); the form carries it once
MAX_REQUEST_BYTES = 24 * 1024 * 1024  # the largest upload (a .docx, word_upload.MAX_BYTES) and its form
PUBLIC_PATHS = ("/login", "/static/")
EDITION_NAMES = {"trainee": "学员版", "instructor": "教师版"}


def missing_vendor() -> list[Path]:
    return [p for p in VENDOR.values() if not p.is_file()]


class Desk:
    """What the pages share: settings, templates, history, the preview, the publish job, the case cache."""

    def __init__(self, settings: Settings, host: str, previews=None):
        self.settings = settings
        self.host = host
        self.login_required = not security.is_loopback(host)
        self.history = History(settings.root)
        self.previews = previews
        self.publishing = Publishing(settings)
        self.attempts = security.Attempts()
        self._cases: dict = {}
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(edition_names=EDITION_NAMES, editions=EDITIONS)

    def page(self, request: Request, name: str, status: int = 200, **context) -> Response:
        context.update(request=request, csrf=security.csrf_token(request.session),
                       signed_in=bool(request.session.get("user")), login_required=self.login_required)
        return Response(self.env.get_template(name).render(**context), status_code=status,
                        media_type="text/html; charset=utf-8", headers=_NO_STORE)

    def taxonomy(self):
        return load_taxonomy(self.settings.taxonomy_file)[0]

    def case_statuses(self):
        """(cases with their error and warning counts, problems of the whole check), for the lists."""
        taxonomy, problems = load_taxonomy(self.settings.taxonomy_file)
        cases, found = load_cases(self.settings.cases_dir, self._cases)
        problems = problems + found + (validate_cases(cases, taxonomy, self.settings.cases_dir) if taxonomy else [])
        return cases, problems

    def pack_statuses(self, cases):
        packs, problems = load_packs(self.settings.packs_dir)
        return packs, problems + validate_packs(packs, cases)


_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
             "Referrer-Policy": "same-origin",
             "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"}


def digest(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def writes(endpoint):
    """A route that changes something: the session's CSRF token and the desk's own Origin, or 403."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            return refused("请求来自别的网站，已拒绝 (cross-origin request refused)", 403)
        if int(request.headers.get("content-length") or 0) > MAX_REQUEST_BYTES:
            return refused(f"上传的内容超过 {MAX_REQUEST_BYTES // (1024 * 1024)} MB (request too large)", 413)
        try:
            form = await request.form(max_part_size=MAX_FORM_BYTES)
        except Exception:
            return refused("表单太大或格式不对 (form too large or malformed)", 413)
        sent = request.headers.get("x-csrf-token") or str(form.get("csrf", ""))
        if not security.csrf_ok(request.session, sent):
            return refused("页面已过期或请求不是从编辑台发出的（CSRF），请刷新页面后再试 (CSRF token missing or wrong)", 403)
        try:
            return await endpoint(request, form)
        except DeskRefused as exc:
            return refused(str(exc), 404)

    return guarded


def reads(endpoint):
    """A route that reads: a refused id is a 404 with its message, never a traceback or another file."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        try:
            return await endpoint(request)
        except DeskRefused as exc:
            return refused(str(exc), 404)

    return guarded


def refused(message: str, status: int) -> Response:
    return PlainTextResponse(message, status_code=status, headers=_NO_STORE)


class Gate:
    """Outermost check after the session: the Host a browser names, and a login where one is required."""

    def __init__(self, app, desk: Desk):
        self.app, self.desk = app, desk

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        host = (request.headers.get("host") or "").rsplit(":", 1)[0]
        if not self.desk.login_required and not security.is_loopback(host):
            # on loopback, a page of another site reaching the desk by a rebound name is refused
            return await refused("只接受本机地址的请求 (only loopback host names are served)", 403)(scope, receive, send)
        if self.desk.login_required and not scope["session"].get("user") and not \
                scope["path"].startswith(PUBLIC_PATHS):
            return await RedirectResponse("/login", status_code=303)(scope, receive, send)
        return await self.app(scope, receive, send)


async def login_page(request: Request):
    desk: Desk = request.app.state.desk
    if request.method == "GET":
        return desk.page(request, "login.html")
    return await _login(request)


@writes
async def _login(request: Request, form):
    desk: Desk = request.app.state.desk
    client = request.client.host if request.client else ""
    if not desk.attempts.allowed(client):
        return desk.page(request, "login.html", status=429, locked=True)
    if security.check_password(str(form.get("password", ""))):
        desk.attempts.forget(client)
        request.session.clear()
        request.session["user"] = True
        security.csrf_token(request.session)
        return RedirectResponse("/", status_code=303)
    desk.attempts.failed(client)
    return desk.page(request, "login.html", status=401, wrong=True)


@writes
async def logout(request: Request, form):
    request.session.clear()
    return RedirectResponse("/login" if request.app.state.desk.login_required else "/", status_code=303)


async def index(request: Request):
    return index_page(request)


def index_page(request: Request, import_problems: list[str] | None = None, status: int = 200) -> Response:
    desk: Desk = request.app.state.desk
    cases, problems = desk.case_statuses()
    packs, pack_problems = desk.pack_statuses(cases)
    errors: dict[str, int] = {}
    for p in problems + pack_problems:
        if p.severity == ERROR:
            errors[p.path.name] = errors.get(p.path.name, 0) + 1
    q = request.query_params.get("q", "").strip()
    rows = [c for c in cases if not q or q.lower() in c.id or q in (c.title or "")]
    loaded = {c.path.name for c in cases}
    broken = sorted(name for name in errors if name.endswith(".md") and name not in loaded)
    pack_rows = [p for p in packs if not q or q.lower() in p.id or q in (p.title or "")]
    return desk.page(request, "index.html", status=status, cases=rows, packs=pack_rows, errors=errors,
                     broken=broken, q=q, total=len(cases), import_problems=import_problems or [])


async def vendor(request: Request):
    path = VENDOR.get(request.path_params["name"])
    if path is None or not path.is_file():
        return refused("没有这个文件 (no such file)", 404)
    return FileResponse(path, media_type="text/javascript")


async def preview_file(request: Request):
    desk: Desk = request.app.state.desk
    edition = request.path_params["edition"]
    if edition not in EDITIONS or desk.previews is None:
        return refused("没有这个预览 (no such preview)", 404)
    base = desk.previews.site_dir(edition).resolve()
    wanted = (base / request.path_params["path"]).resolve()
    if wanted != base and base not in wanted.parents:
        return refused("不允许访问这个位置 (path outside the preview refused)", 404)
    if wanted.is_dir():
        if not request.url.path.endswith("/"):
            return RedirectResponse(request.url.path + "/", status_code=307)
        wanted = wanted / "index.html"
    if not wanted.is_file():
        page = base / "404.html"
        return FileResponse(page, status_code=404) if page.is_file() else refused("预览还在生成 (not built yet)", 404)
    return FileResponse(wanted, headers={"Cache-Control": "no-store"})


async def preview_status(request: Request):
    previews = request.app.state.desk.previews
    if previews is None:
        return JSONResponse({"generation": 0, "requested": 0, "error": "", "seconds": 0})
    return JSONResponse({"generation": previews.generation, "requested": previews.requested,
                         "error": previews.last_error, "seconds": round(previews.last_seconds, 2)},
                        headers={"Cache-Control": "no-store"})


async def publish_page(request: Request):
    desk: Desk = request.app.state.desk
    return desk.page(request, "publish.html", job=desk.publishing, root=desk.settings.root)


@writes
async def publish_start(request: Request, form):
    request.app.state.desk.publishing.start()
    return RedirectResponse("/publish", status_code=303)


async def publish_status(request: Request):
    desk: Desk = request.app.state.desk
    return desk.page(request, "_publish_status.html", job=desk.publishing, root=desk.settings.root)
