"""Uploaded roster files kept between the check (dry run) and the commit, so nobody uploads twice.

The import service keeps nothing of a dry run, so the page keeps the file: its bytes and the
check's report go to a private directory on the server (`UPLOAD_STASH_DIR`, never under static/),
under a random name held in the user's signed session cookie, bound to the plan and the user. The
file is deleted when it is committed or discarded, when another file is uploaded for the same
plan, and by the next upload after `UPLOAD_STASH_MAX_AGE` seconds. Only the name travels in the
cookie: the bytes (up to 20 MB) never make the round trip through the browser again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask import current_app, session

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass
class Stashed:
    token: str
    plan_id: int
    user_id: int
    filename: str
    sha256: str
    size: int
    stored_at: float
    report: dict[str, Any]

    def data(self) -> bytes:
        return _path(self.token, ".bin").read_bytes()


def _directory() -> Path:
    directory = Path(current_app.config["UPLOAD_STASH_DIR"])
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _path(token: str, suffix: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise ValueError("bad upload token")
    return _directory() / f"{token}{suffix}"


def _key(plan_id: int) -> str:
    return f"roster_upload_{plan_id}"


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as f:
        f.write(data)


def put(plan_id: int, user_id: int, filename: str, data: bytes, report: dict[str, Any]) -> Stashed:
    """Keep the file and its report; replaces this plan's previous upload in the session."""
    purge_expired()
    drop(plan_id)
    token = secrets.token_urlsafe(24)
    stashed = Stashed(token, plan_id, user_id, filename, hashlib.sha256(data).hexdigest(), len(data), time.time(),
                      report)  # fmt: skip
    _write(_path(token, ".bin"), data)
    _save_meta(stashed)
    session[_key(plan_id)] = token
    return stashed


def _save_meta(stashed: Stashed) -> None:
    _write(_path(stashed.token, ".json"), json.dumps(asdict(stashed), ensure_ascii=False).encode())


def get(plan_id: int, user_id: int) -> Stashed | None:
    """This session's upload for the plan, if it is still there, fresh, and the user's own."""
    token = session.get(_key(plan_id))
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    try:
        meta = json.loads(_path(token, ".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        session.pop(_key(plan_id), None)
        return None
    stashed = Stashed(**meta)
    if stashed.plan_id != plan_id or stashed.user_id != user_id or _expired(stashed.stored_at):
        drop(plan_id)
        return None
    return stashed


def replace_report(stashed: Stashed, report: dict[str, Any]) -> None:
    stashed.report = report
    _save_meta(stashed)


def drop(plan_id: int) -> None:
    """Forget this session's upload for the plan and delete its files."""
    token = session.pop(_key(plan_id), None)
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        for suffix in (".bin", ".json"):
            _path(token, suffix).unlink(missing_ok=True)


def _expired(stored_at: float) -> bool:
    return time.time() - stored_at > current_app.config["UPLOAD_STASH_MAX_AGE"]


def purge_expired() -> int:
    """Delete every kept upload older than the limit (whoever left it); returns how many."""
    removed = 0
    for path in _directory().glob("*.bin"):
        try:
            if _expired(path.stat().st_mtime):
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed
