"""`build.py serve`: preview at http://127.0.0.1:PORT, rebuilt on every save, pages reload themselves.

A save with content errors prints the messages and keeps serving the last good
site; the next good save is picked up. The server never stops on bad content.
"""
from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler

from .serve_banner import SCRIPT, STATUS_PATH, status_body
from watchdog.observers import Observer

RELOAD_PATH = "/__build_id"


class _State:
    def __init__(self):
        self.build_id = 0
        self.dirty = threading.Event()
        self.problems: list[str] = []  # the last failed check's lines, shown as a banner (serve_banner.py)


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: _State

    def do_GET(self):
        if self.path == STATUS_PATH:
            body = status_body(self.state.build_id, self.state.problems)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == RELOAD_PATH:
            body = str(self.state.build_id).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file() and not self.path.startswith("/pagefind"):
            if not self.path.split("?")[0].endswith(("/", ".html")):
                return super().do_GET()  # let the base class redirect /x to /x/
            body = path.read_bytes().replace(b"</body>", SCRIPT + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        return super().do_GET()

    def list_directory(self, path):
        """No folder listings: the preview serves the site's pages and files, nothing else."""
        self.send_error(404)
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Watch(FileSystemEventHandler):
    """Marks the site dirty when a source changes: files under the watched folders, or the config files."""

    def __init__(self, state: _State, folders: tuple[Path, ...], files: tuple[Path, ...]):
        self.state, self.folders, self.files = state, folders, files

    def on_any_event(self, event):
        if event.is_directory and event.event_type == "modified":
            return
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "") or ""):
            path = Path(str(raw))
            if not raw or path.name.startswith(".") or path.name.endswith(("~", ".swp")):
                continue
            if path in self.files or any(f in path.parents for f in self.folders):
                self.state.dirty.set()


def serve(root: Path, site_dir: Path, port: int, rebuild: Callable[[], bool], say: Callable[[str], None],
          stop: threading.Event | None = None, problems: Callable[[], list[str]] = list,
          host: str = "127.0.0.1") -> None:
    """Build once, serve site_dir, and rebuild whenever a watched path changes, until stop is set.

    problems: the located lines of the last failed rebuild, shown in the browser as a banner.
    host: 127.0.0.1 (this computer only) unless `serve --host` opened it to the network.
    """
    state = _State()
    stop = stop or threading.Event()
    handler = functools.partial(type("Handler", (_Handler,), {"state": state}), directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)  # a taken port fails before building
    # watch before the first build: a save made while it runs is picked up afterwards
    observer = Observer()
    folders = tuple(root / name for name in ("cases", "content", "templates") if (root / name).is_dir())
    watch = _Watch(state, folders, (root / "mkdocs.yml", root / "handbook.yml"))
    for folder in folders:
        observer.schedule(watch, str(folder), recursive=True)
    observer.schedule(watch, str(root), recursive=False)
    observer.start()
    if rebuild():
        state.build_id += 1
    state.problems = problems()
    # the address is said before the first page is served (the socket listens already): whoever gets a page has
    # been told where it is, even if the preview is stopped right after
    for address in addresses(host):
        say(f"预览地址 / serving at http://{address}:{server.server_address[1]}/ （按 Ctrl+C 停止 / Ctrl+C to stop）")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while not stop.is_set():
            if not state.dirty.wait(0.2):
                continue
            time.sleep(0.15)  # let an editor finish writing
            state.dirty.clear()
            started = time.perf_counter()
            ok = rebuild()
            state.problems = problems()
            if ok:
                state.build_id += 1
                say(f"已重新生成（{time.perf_counter() - started:.1f} 秒）/ rebuilt in {time.perf_counter() - started:.1f} s")
            else:
                say("内容有错误，继续显示上一次成功生成的网站 / content errors: still serving the last good site")
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()


def addresses(host: str) -> list[str]:
    """Where the preview can be opened: 127.0.0.1, or for all interfaces this computer's address on the network."""
    if host not in ("0.0.0.0", "::", ""):
        return [host]
    found = ["127.0.0.1"]
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the interface of the default route
            found.append(s.getsockname()[0])
    except OSError:
        pass
    return list(dict.fromkeys(found))
