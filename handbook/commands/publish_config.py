"""`build.py publish-config`: the sample nginx configuration for putting both editions on a server.

Publishing was one paragraph; what a server needs is concrete and easy to get wrong:
the trainee edition at its sub-path, the instructor edition at another behind a
password (HTTP basic auth, which every static host and nginx offer without any code
of ours), and Pagefind's index files, whose extensions (.pf_meta, .pf_index,
.pf_fragment, .pf_filter, .pagefind) nginx does not know. The sample is a template
(templates/publish/nginx.conf) filled in from handbook.yml's site_url and
instructor_site_url, and it is tested as it is: tests/browser/test_publish_nginx.py
serves both editions with Debian's nginx from this output.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ..config import Settings
from ..outputs.render import jinja_env

TEMPLATE = "publish/nginx.conf"
DEFAULT_TRAINEE = "https://example.org/handbook/"
DEFAULT_INSTRUCTOR = "https://example.org/handbook-instructor/"


def nginx_config(settings: Settings, *, listen: str = "80", trainee_root: Path | None = None,
                 instructor_root: Path | None = None, htpasswd: str = "/etc/nginx/handbook-instructor.htpasswd") -> str:
    trainee_url = settings.site_url or DEFAULT_TRAINEE
    instructor_url = settings.instructor_site_url or DEFAULT_INSTRUCTOR
    trainee, instructor = urlsplit(trainee_url), urlsplit(instructor_url)
    env = jinja_env(settings.templates_dir)
    env.autoescape = False  # a configuration file, not HTML
    return env.get_template(TEMPLATE).render(
        listen=listen, server_name=trainee.hostname or "example.org",
        trainee_url=trainee_url, instructor_url=instructor_url,
        trainee_path=trainee.path or "/", instructor_path=instructor.path or "/",
        trainee_root=str((trainee_root or Path("/var/www/handbook")).as_posix()).rstrip("/"),
        instructor_root=str((instructor_root or Path("/var/www/handbook-instructor")).as_posix()).rstrip("/"),
        htpasswd=htpasswd)
