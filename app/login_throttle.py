"""Wrong passwords, counted per account and per client address, lock logins for a while.

The counts live in the rate limiter's storage (RATELIMIT_STORAGE_URI), so every gunicorn worker and
server shares them once that is a shared store (Redis). LOGIN_FAILURES_PER_ACCOUNT wrong passwords for
one username (known or not: the answer never tells which), or LOGIN_FAILURES_PER_ADDRESS from one
address, lock that username or address for LOGIN_LOCKOUT_SECONDS; the lockout is recorded in the
trail. A successful login clears its account's count (the address's stays: a login to one's own
account must not hide guessing at others').
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, request
from limits import RateLimitItem, RateLimitItemPerSecond, parse

from app.errors import error_response
from app.extensions import db, limiter
from approvals.errors import ApprovalError, Unauthenticated
from approvals.models import User
from approvals.services.passwords import check_password, record_login_lockout

SCOPES = ("account", "address")
MESSAGES = {
    "account": "该账号登录失败次数过多，已暂时锁定，请{minutes}分钟后再试。",
    "address": "来自您所在网络地址的登录失败次数过多，已暂时锁定，请{minutes}分钟后再试。",
}


class LoginLocked(ApprovalError):
    """Logins for this username or from this address are locked until `until` (429, Retry-After)."""

    status = 429

    def __init__(self, scope: str, until: datetime) -> None:
        self.scope, self.until = scope, until
        message = MESSAGES[scope].format(minutes=self.minutes)
        super().__init__("login_locked", message, {"scope": scope, "retry_after": self.retry_after,
                                                    "until": until.isoformat()})  # fmt: skip

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((self.until - datetime.now(UTC)).total_seconds()))

    @property
    def minutes(self) -> int:
        return math.ceil(self.retry_after / 60)


class LoginUnavailable(ApprovalError):
    """The counts cannot be read or written (the store is down): logins are refused rather than let
    guesses through uncounted (503)."""

    status = 503

    def __init__(self) -> None:
        super().__init__("login_unavailable", "暂时无法登录（登录失败计数服务不可用），请稍后再试。")


@contextmanager
def _store() -> Iterator[None]:
    try:
        yield
    except Exception as exc:  # whatever the store's client raises (Redis: ConnectionError, TimeoutError…)
        current_app.logger.exception("login failure counts unavailable")
        raise LoginUnavailable from exc


@dataclass(frozen=True)
class _Counter:
    scope: str
    who: str
    failures: RateLimitItem


def _counters(username: str) -> list[_Counter]:
    config = current_app.config
    return [
        _Counter("account", username.strip().lower()[:64], parse(config["LOGIN_FAILURES_PER_ACCOUNT"])),
        _Counter("address", request.remote_addr or "-", parse(config["LOGIN_FAILURES_PER_ADDRESS"])),
    ]


def _lock_item() -> RateLimitItem:
    return RateLimitItemPerSecond(1, current_app.config["LOGIN_LOCKOUT_SECONDS"])


def current_lockout(username: str) -> LoginLocked | None:
    """The lockout holding for this username or this request's address, if any."""
    lock = _lock_item()
    for counter in _counters(username):
        if not limiter.limiter.test(lock, "login-lock", counter.scope, counter.who):
            reset = limiter.limiter.get_window_stats(lock, "login-lock", counter.scope, counter.who).reset_time
            return LoginLocked(counter.scope, datetime.fromtimestamp(max(reset, time.time() + 1), UTC))
    return None


def _count_failure(username: str) -> list[LoginLocked]:
    """Count a wrong password; the lockouts it starts where a count reaches its limit."""
    started = []
    for counter in _counters(username):
        limiter.limiter.hit(counter.failures, "login-fail", counter.scope, counter.who)
        if limiter.limiter.test(counter.failures, "login-fail", counter.scope, counter.who):
            continue
        limiter.limiter.clear(counter.failures, "login-fail", counter.scope, counter.who)
        limiter.limiter.hit(_lock_item(), "login-lock", counter.scope, counter.who)
        until = datetime.fromtimestamp(time.time() + current_app.config["LOGIN_LOCKOUT_SECONDS"], UTC)
        started.append(LoginLocked(counter.scope, until))
    return started


def attempt_login(username: str, password: str) -> User:
    """check_password behind the lockout: LoginLocked while locked or when this wrong password locks
    (the lockout committed with its audit event before the refusal); LoginUnavailable when the counts
    cannot be kept."""
    with _store():
        locked = current_lockout(username)
    if locked:
        raise locked
    try:
        user = check_password(db.session, username, password)
    except Unauthenticated:
        with _store():
            started = _count_failure(username)
        if not started:
            raise
        for lock in started:
            record_login_lockout(db.session, username=username, address=request.remote_addr or "-",
                                 scope=lock.scope, until=lock.until)  # fmt: skip
        db.session.commit()
        raise started[0] from None
    account = _counters(username)[0]
    with _store():
        limiter.limiter.clear(account.failures, "login-fail", account.scope, account.who)
    return user


def init(app: Flask) -> None:
    @app.errorhandler(LoginLocked)
    def login_locked(exc: LoginLocked):
        db.session.rollback()
        response = error_response(exc.status, exc.code, exc.message, exc.details)
        if isinstance(response, tuple):  # a page: (body, status)
            body, status = response
            return body, status, {"Retry-After": str(exc.retry_after)}
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
