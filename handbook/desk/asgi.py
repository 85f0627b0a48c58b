"""The desk's ASGI application: every route of app.py, case_pages.py and pack_pages.py, behind the gate.

Kept apart from app.py so that the page modules may import app.py's helpers (Desk, reads, writes)
while nothing imports back: the routes are gathered here, at the top.
"""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from . import case_pages, pack_pages, security
from .app import (TEMPLATES, Desk, Gate, index, login_page, logout, preview_file, preview_status, publish_page,
                  publish_start, publish_status, vendor)


def make_app(settings: Settings, host: str = "127.0.0.1", previews=None) -> Starlette:
    desk = Desk(settings, host, previews)
    routes = [
        Route("/", index),
        Route("/login", login_page, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/static/vendor/{name}", vendor),
        Mount("/static", StaticFiles(directory=str(TEMPLATES / "static")), name="static"),
        Route("/preview/{edition}/{path:path}", preview_file),
        Route("/preview-status", preview_status),
        Route("/publish", publish_page),
        Route("/publish/start", publish_start, methods=["POST"]),
        Route("/publish/status", publish_status),
        *case_pages.routes, *pack_pages.routes,
    ]
    app = Starlette(routes=routes, middleware=[
        Middleware(SessionMiddleware, secret_key=security.session_key(), session_cookie="desk_session",
                   same_site="strict", max_age=12 * 3600),
        Middleware(Gate, desk=desk),
    ])
    app.state.desk = desk
    return app
