"""The pack editor: pick published cases, drag them into order, sessions, questions and the teaching note."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..content.packs import PACK_FIELDS, SESSION_FIELDS
from ..commands.scaffold import ScaffoldError  # noqa: F401  (the same id rule and words as new-pack)
from . import packform
from .app import Desk, digest, reads, refused, writes
from .checks import GENERAL, Message, has_errors, messages_by_place
from .paths import pack_path, valid_id


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def _published(desk: Desk):
    cases, _ = desk.case_statuses()
    return cases, sorted((c for c in cases if not c.is_draft), key=lambda c: c.id)


def render_pack(request: Request, pack_id: str, form: packform.PackForm, base: str, *, new: bool = False,
                messages=None, status: int = 200, conflict: dict | None = None, saved: bool = False) -> Response:
    desk = _desk(request)
    cases, published = _published(desk)
    if messages is None:
        messages = [] if new else packform.check_pack_text(pack_id, form.text(), cases)
    titles = {c.id: c.title for c in cases}
    return desk.page(request, "pack.html", status=status, pack_id=pack_id, new=new, form=form, base=base,
                     pack_fields=PACK_FIELDS, session_fields=SESSION_FIELDS, published=published, titles=titles,
                     by_place=messages_by_place(messages), messages=messages, conflict=conflict, saved=saved)


async def new_pack(request: Request):
    return render_pack(request, "", packform.empty_pack(), "", new=True)


@reads
async def edit_pack(request: Request):
    desk = _desk(request)
    pack_id = request.path_params["pack_id"]
    path = pack_path(desk.settings, pack_id)
    if not path.is_file():
        return refused(f"没有课程包 {pack_id} (no such pack)", 404)
    data = path.read_bytes()
    try:
        form = packform.from_text(data.decode("utf-8-sig"))
    except Exception as exc:  # YAML a person broke by hand: say so, keep the file
        return desk.page(request, "unreadable.html", status=422, case_id=pack_id, reason=str(exc),
                         text=data.decode("utf-8", "replace"))
    return render_pack(request, pack_id, form, digest(data), saved=request.query_params.get("saved") == "1")


@writes
async def save_pack(request: Request, form_data):
    desk = _desk(request)
    new = request.path_params.get("pack_id") is None
    pack_id = str(form_data.get("pack_id", "")).strip() if new else request.path_params["pack_id"]
    form = packform.from_form(form_data)
    if new and not valid_id(pack_id):
        message = (f"编号“{pack_id}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，例如 jiazhuang-dianti "
                   f"(bad pack id '{pack_id}')")
        return render_pack(request, pack_id, form, "", new=True, status=422,
                           messages=[Message(GENERAL, "error", message, 1)])
    path = pack_path(desk.settings, pack_id)
    text = form.text()
    cases, _ = _published(desk)
    messages = packform.check_pack_text(pack_id, text, cases)
    base = "" if new else str(form_data.get("base", ""))
    if has_errors(messages):
        return render_pack(request, pack_id, form, base, new=new, messages=messages, status=422)
    on_disk = path.read_bytes() if path.exists() else None
    if new and on_disk is not None:  # a new pack never takes the place of another one
        taken = Message("pack_id", "error", f"packs/{pack_id}.yml 已经存在，请换一个编号 (pack '{pack_id}' already exists)", 1)
        return render_pack(request, pack_id, form, "", new=True, status=409, messages=[taken])
    if digest(on_disk) != base and str(form_data.get("overwrite", "")) != digest(on_disk):
        from .case_pages import _conflict

        return render_pack(request, pack_id, form, base, new=new, messages=messages, status=409,
                           conflict=_conflict(on_disk, text, digest(on_disk)))
    if text.encode("utf-8") != on_disk:
        desk.history.keep(path, text.encode("utf-8"), "new pack" if on_disk is None else "save")
        if desk.previews is not None:
            desk.previews.request()
    return RedirectResponse(f"/packs/{pack_id}?saved=1", status_code=303)


routes = [
    Route("/packs/new", new_pack),
    Route("/packs/new/save", save_pack, methods=["POST"]),
    Route("/packs/{pack_id}", edit_pack),
    Route("/packs/{pack_id}/save", save_pack, methods=["POST"]),
]
