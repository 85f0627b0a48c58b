"""The case pages: new, edit, live check, save (never over a newer file), versions, pictures, PDF, Word import."""
from __future__ import annotations

import asyncio
import difflib

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import HandbookError
from ..outputs.render import markdown_to_html
from ..commands.scaffold import TEMPLATE, ScaffoldError
from ..content.schema import SECTIONS, TEACHING_NOTE
from . import caseform
from .app import Desk, digest, reads, refused, writes
from .checks import check_case_text, has_errors, messages_by_place
from .images import MAX_BYTES as MAX_IMAGE_BYTES, save_image
from .paths import DeskRefused, case_path, image_path, valid_id
from .word_upload import MAX_BYTES as WORD_LIMIT

SECTION_NAMES = list(SECTIONS)


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def render_form(request: Request, case_id: str, form: caseform.CaseForm, base: str, *, new: bool = False,
                messages=None, status: int = 200, conflict: dict | None = None, saved: bool = False) -> Response:
    desk = _desk(request)
    taxonomy = desk.taxonomy()
    if messages is None:
        messages = check_case_text(desk.settings, case_id or "new-case", form.text(), taxonomy) if not new else []
    return desk.page(request, "case.html", status=status, case_id=case_id, new=new, form=form, base=base,
                     fields=caseform.field_views(form, taxonomy), sections=SECTION_NAMES, note_name=TEACHING_NOTE,
                     districts_by_city=_districts(taxonomy), by_place=messages_by_place(messages), messages=messages,
                     previews=_section_previews(form), conflict=conflict, saved=saved, has_errors=has_errors(messages))


def _districts(taxonomy) -> dict[str, list[str]]:
    return {c.name: [d.name for d in c.districts] for c in taxonomy.cities} if taxonomy else {}


def _section_previews(form: caseform.CaseForm) -> dict[str, str]:
    out = {f"section.{i}": markdown_to_html(form.sections.get(name, "")) for i, name in enumerate(SECTIONS)}
    out["note"] = markdown_to_html(form.sections.get(TEACHING_NOTE, ""))
    return out


async def new_case(request: Request):
    desk = _desk(request)
    form = caseform.from_template(desk.settings.cases_dir / TEMPLATE)
    return render_form(request, "", form, "", new=True)


@reads
async def edit_case(request: Request):
    desk = _desk(request)
    case_id = request.path_params["case_id"]
    path = case_path(desk.settings, case_id)
    if not path.is_file():
        return refused(f"没有案例 {case_id} (no such case)", 404)
    data = path.read_bytes()
    try:
        form = caseform.from_text(path, data)
    except caseform.Unreadable as exc:
        return desk.page(request, "unreadable.html", status=422, case_id=case_id, reason=str(exc),
                         text=data.decode("utf-8", "replace"))
    return render_form(request, case_id, form, digest(data), saved=request.query_params.get("saved") == "1")


@writes
async def check_case(request: Request, form_data):
    """The live check (htmx): every field's messages and every section's preview, swapped in out of band."""
    desk = _desk(request)
    case_id = str(form_data.get("case_id") or request.path_params.get("case_id") or "")
    case_id = case_id if valid_id(case_id) else "new-case"
    form = caseform.from_form(form_data)
    messages = await asyncio.to_thread(check_case_text, desk.settings, case_id, form.text(), desk.taxonomy())
    return desk.page(request, "_checks.html", by_place=messages_by_place(messages), messages=messages,
                     fields=caseform.field_views(form, None), previews=_section_previews(form),
                     sections=SECTION_NAMES, has_errors=has_errors(messages))


@writes
async def save_case(request: Request, form_data):
    desk = _desk(request)
    new = request.path_params.get("case_id") is None
    case_id = str(form_data.get("case_id", "")).strip() if new else request.path_params["case_id"]
    form = caseform.from_form(form_data)
    if new and not valid_id(case_id):
        message = (f"编号“{case_id}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，例如 xiqiao-yueyuetan "
                   f"(bad case id '{case_id}')")
        return render_form(request, case_id, form, "", new=True, status=422, messages=[_general(message)])
    path = case_path(desk.settings, case_id)
    text = form.text()
    messages = check_case_text(desk.settings, case_id, text, desk.taxonomy())
    if has_errors(messages):
        return render_form(request, case_id, form, str(form_data.get("base", "")), new=new, messages=messages,
                           status=422)
    on_disk = path.read_bytes() if path.exists() else None
    if new and on_disk is not None:  # a new case never takes the place of another one
        return render_form(request, case_id, form, "", new=True, status=409, messages=[_taken(case_id)])
    base = "" if new else str(form_data.get("base", ""))
    if digest(on_disk) != base and str(form_data.get("overwrite", "")) != digest(on_disk):
        return render_form(request, case_id, form, base, new=new, messages=messages, status=409,
                           conflict=_conflict(on_disk, text, digest(on_disk)))
    data = text.encode("utf-8")
    if data != on_disk:
        desk.history.keep(path, data, "new case" if on_disk is None else "save")
        if desk.previews is not None:
            desk.previews.request()
    return RedirectResponse(f"/cases/{case_id}?saved=1", status_code=303)


def _taken(case_id: str):
    from .checks import Message

    return Message("case_id", "error", f"cases/{case_id}.md 已经存在，请换一个编号 (case '{case_id}' already exists)", 1)


def _general(text: str):
    from .checks import GENERAL, Message

    return Message(GENERAL, "error", text, 1)


def _conflict(on_disk: bytes | None, mine: str, disk_digest: str) -> dict:
    theirs = on_disk.decode("utf-8", "replace") if on_disk is not None else ""
    diff = list(difflib.unified_diff(theirs.splitlines(), mine.splitlines(), "磁盘上的版本", "我的版本", lineterm=""))
    return {"theirs": theirs, "mine": mine, "digest": disk_digest, "diff": diff, "exists": on_disk is not None}


@reads
async def case_history(request: Request):
    desk = _desk(request)
    case_id = request.path_params["case_id"]
    path = case_path(desk.settings, case_id)
    version = request.query_params.get("v")
    shown = desk.history.read(path, version) if version else None
    return desk.page(request, "history.html", case_id=case_id, versions=desk.history.versions(path),
                     version=version, shown=shown.decode("utf-8", "replace") if shown is not None else None,
                     git=desk.history.git)


@writes
async def restore_case(request: Request, form_data):
    desk = _desk(request)
    case_id = request.path_params["case_id"]
    path = case_path(desk.settings, case_id)
    data = desk.history.read(path, str(form_data.get("version", "")))
    if data is None:
        return refused("没有这个版本 (no such version)", 404)
    desk.history.keep(path, data, "restore")
    if desk.previews is not None:
        desk.previews.request()
    return RedirectResponse(f"/cases/{case_id}?saved=1", status_code=303)


@writes
async def upload_image(request: Request, form_data):
    desk = _desk(request)
    case_id = request.path_params["case_id"]
    upload = form_data.get("image")
    if upload is None or isinstance(upload, str):
        return JSONResponse({"error": "没有收到图片 (no picture received)"}, status_code=400)
    data = await upload.read(MAX_IMAGE_BYTES + 1)
    try:
        target, markdown = save_image(desk.settings, case_id, data)
    except DeskRefused as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"markdown": markdown, "name": target.name})


@reads
async def image(request: Request):
    path = image_path(_desk(request).settings, request.path_params["name"])
    if not path.is_file():
        return refused("没有这张图片 (no such picture)", 404)
    return FileResponse(path, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@reads
async def case_pdf(request: Request):
    desk = _desk(request)
    case_id, edition = request.path_params["case_id"], request.path_params["edition"]
    case_path(desk.settings, case_id)
    if edition not in ("trainee", "instructor") or desk.previews is None:
        return refused("没有这个版本 (no such edition)", 404)
    try:
        target = await asyncio.to_thread(desk.previews.case_pdf, case_id, edition)
    except HandbookError as exc:
        return refused(str(exc), 422)
    return FileResponse(target, media_type="application/pdf", headers={"Cache-Control": "no-store"})


@writes
async def import_docx(request: Request, form_data):
    """A .docx dropped onto the list page: handed to the Word importer (`build.py import`), then opened."""
    from .word_upload import import_upload  # the Word importer is loaded only when a file is dropped

    desk = _desk(request)
    from .app import index_page

    upload = form_data.get("docx")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return index_page(request, ["没有收到 Word 文件，请选择或拖入一个 .docx 文件 (no .docx received)"], 400)
    try:
        case_id = await asyncio.to_thread(import_upload, desk, upload.filename, await upload.read(WORD_LIMIT + 1))
    except HandbookError as exc:
        return index_page(request, str(exc).splitlines(), 422)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


routes = [
    Route("/cases/new", new_case),
    Route("/cases/new/check", check_case, methods=["POST"]),
    Route("/cases/new/save", save_case, methods=["POST"]),
    Route("/cases/images/{name}", image),
    Route("/cases/{case_id}", edit_case),
    Route("/cases/{case_id}/check", check_case, methods=["POST"]),
    Route("/cases/{case_id}/save", save_case, methods=["POST"]),
    Route("/cases/{case_id}/history", case_history),
    Route("/cases/{case_id}/restore", restore_case, methods=["POST"]),
    Route("/cases/{case_id}/images", upload_image, methods=["POST"]),
    Route("/cases/{case_id}/pdf/{edition}", case_pdf),
    Route("/import", import_docx, methods=["POST"]),
]
