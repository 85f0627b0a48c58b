"""Who may use the desk: loopback by default, a password for any other address, a CSRF token on every write.

- The password is set by the maintainer (`build.py desk --set-password`) and kept as an Argon2id hash
  (argon2-cffi) in the maintainer's configuration folder ($HANDBOOK_DESK_CONFIG, else
  $XDG_CONFIG_HOME/handbook-desk, else ~/.config/handbook-desk), never in the project, so it cannot be
  committed or published.
- Sessions are Starlette's signed cookies (itsdangerous), SameSite=strict, signed with a key made fresh
  when the desk starts: a restart signs everyone out, nothing secret is stored.
- Every request that writes (POST) must carry the session's CSRF token (form field `csrf` or header
  X-CSRF-Token, compared in constant time) and, when the browser sends one, an Origin of the desk itself.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import time
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import UsageError

_HASHER = PasswordHasher()
MIN_PASSWORD = 8


def config_dir() -> Path:
    if os.environ.get("HANDBOOK_DESK_CONFIG"):
        return Path(os.environ["HANDBOOK_DESK_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "handbook-desk"


def password_file() -> Path:
    return config_dir() / "password"


def set_password(password: str) -> Path:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"密码太短：至少 {MIN_PASSWORD} 个字符 (the password needs at least {MIN_PASSWORD} characters)")
    target = password_file()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(_HASHER.hash(password) + "\n", encoding="ascii")
    tmp.chmod(0o600)
    tmp.replace(target)
    return target


def has_password() -> bool:
    return password_file().is_file()


def check_password(password: str) -> bool:
    try:
        stored = password_file().read_text(encoding="ascii").strip()
        return _HASHER.verify(stored, password)
    except (OSError, VerificationError, InvalidHashError):
        return False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def refuse_open_host(host: str) -> None:
    """Starting on another address than loopback needs a password: the clear refusal when there is none."""
    if not is_loopback(host) and not has_password():
        raise UsageError(
            f"编辑台只在本机地址（127.0.0.1）上免密码使用；要在 {host} 上开放给其他电脑，请先由维护人设置密码："
            f"python build.py desk --set-password "
            f"(refusing to listen on {host} without a password: set one first with build.py desk --set-password)")


def session_key() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(session: dict) -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok(session: dict, sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(expected, sent))


class Attempts:
    """Wrong passwords per address: after MAX in WINDOW seconds, that address waits out the window."""

    MAX, WINDOW = 5, 600

    def __init__(self):
        self._failed: dict[str, list[float]] = {}

    def _recent(self, client: str) -> list[float]:
        now = time.monotonic()
        recent = [t for t in self._failed.get(client, []) if now - t < self.WINDOW]
        self._failed[client] = recent
        return recent

    def allowed(self, client: str) -> bool:
        return len(self._recent(client)) < self.MAX

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())

    def forget(self, client: str) -> None:
        self._failed.pop(client, None)
