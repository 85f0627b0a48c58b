"""`build.py desk`: start the desk on 127.0.0.1 (or, with a password, another address) and open the browser.

Refuses clearly, before anything starts: a non-loopback --host without a password, a taken port, a missing
setup (the vendored browser helpers of tools/desk), a second desk or `serve` on the same project (they would
build the same preview).
"""
from __future__ import annotations

import getpass
import socket
import sys
import threading
import webbrowser

from ..config import Settings
from ..errors import BuildLocked, UsageError
from ..pipeline import build_lock
from . import security


def set_password_interactively(say) -> int:
    if sys.stdin.isatty():
        first = getpass.getpass("新密码 / new password: ")
        if getpass.getpass("再输一次 / again: ") != first:
            raise UsageError("两次输入的密码不一样，没有设置 (the passwords differ; nothing set)")
    else:
        first = sys.stdin.readline().rstrip("\n")
    where = security.set_password(first)
    say(f"已设置编辑台密码（只保存了它的散列值）：{where} (desk password set; its hash is kept in {where})")
    return 0


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"无法使用地址 {host}:{port}（{exc.strerror}）(cannot listen on {host}:{port})") from None
    sock.listen(64)
    return sock


def run_desk(settings: Settings, host: str, port: int, open_browser: bool, say, ready=None,
             stop: threading.Event | None = None) -> int:
    import uvicorn

    from .app import missing_vendor
    from .asgi import make_app
    from .previews import Previews

    security.refuse_open_host(host)
    if missing_vendor():
        raise UsageError("编辑台还没有安装好：请先运行 make desk（或 bash scripts/setup.sh --desk）"
                         "(the desk is not set up: run make desk)")
    try:
        with build_lock(settings, "preview.lock"):
            sock = bind(host, port)
            previews = Previews(settings)
            app = make_app(settings, host, previews)
            server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                                   limit_concurrency=64, timeout_keep_alive=5))
            address = sock.getsockname()
            shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            url = f"http://{shown}:{address[1]}/"
            previews.start()
            say(f"案例编辑台 / case desk: {url} （按 Ctrl+C 停止 / Ctrl+C to stop）")
            if open_browser:
                threading.Timer(0.5, lambda: webbrowser.open(url)).start()
            if ready is not None:
                ready(url, server)
            if stop is not None:
                threading.Thread(target=lambda: (stop.wait(), setattr(server, "should_exit", True)),
                                 daemon=True).start()
            try:
                server.run(sockets=[sock])
            finally:
                previews.close()
                sock.close()
    except BuildLocked:
        raise UsageError("这个项目的预览已经在运行（另一个编辑台或 serve）；请用那一个，或先停止它 "
                         "(a desk or preview of this project is already running)") from None
    return 0
