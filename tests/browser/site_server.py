"""A static server for one built site in its own process, so that it outlives the test worker that built the site:
`python -m tests.browser.site_server SITE WATCHED_PID` prints its port, serves SITE under conftest.PREFIX (with its
404 page) and exits once WATCHED_PID (the pytest process that runs the whole session) is gone.

Why a process: under pytest-xdist the shipped site is built once for both workers (shared_site.py) and its
site_url holds the port it is served at; a server thread in the worker that built it would stop with that worker,
while the other worker may still have tests to run."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .conftest import serve


def watched_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(site: str, watched: int) -> None:
    server, _ = serve(Path(site))
    print(server.server_address[1], flush=True)
    while watched_alive(watched):
        time.sleep(0.5)
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
