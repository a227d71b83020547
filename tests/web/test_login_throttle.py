"""Wrong passwords lock logins per account and per address, on the login page and POST /api/v1/tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from approvals.models import AuditEvent
from config import BASE_DIR
from tests.conftest import PASSWORD
from tests.ui.conftest import Browser

WRONG = "Wrong#2026x"


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def token(api, username: str, password: str, address: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    return api(None).post("/tokens", json={"username": username, "password": password},
                          environ_base={"REMOTE_ADDR": address})  # fmt: skip


@pytest.fixture
def lockout_config(app):  # type: ignore[no-untyped-def]
    """The defaults, restored after the test: 5 per account, 30 per address, 15 minutes."""
    saved = {key: app.config[key] for key in ("LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURES_PER_ADDRESS",
                                              "LOGIN_LOCKOUT_SECONDS")}  # fmt: skip
    yield app.config
    app.config.update(saved)


def test_five_wrong_passwords_lock_the_account_with_a_429_and_retry_after(api, world):
    for _ in range(4):
        assert token(api, "clerk", WRONG).status_code == 401
    locking = token(api, "clerk", WRONG)
    assert locking.status_code == 429
    assert locking.json["error"] == "login_locked"
    assert locking.json["message"] == "该账号登录失败次数过多，已暂时锁定，请15分钟后再试。"
    assert locking.json["details"]["scope"] == "account"
    assert 890 <= int(locking.headers["Retry-After"]) <= 900
    right = token(api, "clerk", PASSWORD)  # the right password too, while locked
    assert right.status_code == 429
    assert "token" not in right.json
    assert token(api, "union", PASSWORD).status_code == 201  # another account from the same address is not
    [event] = events("user.login_locked")
    assert event.summary["scope"] == "account"
    assert event.summary["username"] == "clerk"
    assert (event.actor_role, event.remote_addr) == ("public", "127.0.0.1")


def test_an_unknown_username_locks_like_a_known_one(api, world):
    answers = [token(api, "nobody", WRONG).status_code for _ in range(6)]
    assert answers == [401, 401, 401, 401, 429, 429]  # the answers never tell whether the account exists


def test_the_account_lock_holds_across_addresses(api, world):
    for n in range(5):
        token(api, "clerk", WRONG, address=f"198.51.100.{n}")
    assert token(api, "clerk", PASSWORD, address="198.51.100.99").status_code == 429


def test_a_right_password_clears_the_accounts_count(api, world):
    for _ in range(4):
        token(api, "clerk", WRONG)
    assert token(api, "clerk", PASSWORD).status_code == 201
    for _ in range(4):
        assert token(api, "clerk", WRONG).status_code == 401
    assert events("user.login_locked") == []


def test_one_address_trying_many_accounts_is_locked(api, world, lockout_config):
    lockout_config["LOGIN_FAILURES_PER_ADDRESS"] = "6 per 15 minutes"
    names = ["clerk", "union", "reviewer", "wg", "supervisor", "admin"]
    answers = [token(api, name, WRONG, address="203.0.113.7").status_code for name in names]
    assert answers == [401] * 5 + [429]
    refused = token(api, "clerk_small", PASSWORD, address="203.0.113.7")
    assert refused.status_code == 429
    assert refused.json["details"]["scope"] == "address"
    assert "网络地址" in refused.json["message"]
    assert token(api, "clerk_small", PASSWORD, address="203.0.113.8").status_code == 201
    assert [e.summary["scope"] for e in events("user.login_locked")] == ["address"]


def test_the_lock_ends_after_its_time(api, world, lockout_config):
    lockout_config["LOGIN_LOCKOUT_SECONDS"] = 1
    for _ in range(5):
        token(api, "clerk", WRONG)
    assert token(api, "clerk", PASSWORD).status_code == 429
    with time_machine.travel(timedelta(seconds=1.2), tick=False):  # the lock's second has passed
        assert token(api, "clerk", PASSWORD).status_code == 201


def test_the_login_page_locks_too_and_says_when_to_try_again(app, world):
    browser = Browser(app.test_client())
    for _ in range(4):
        assert browser.login("clerk", WRONG).status_code == 200
    locked = browser.login("clerk", WRONG)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"]
    page = locked.get_data(as_text=True)
    assert "该账号登录失败次数过多，已暂时锁定，请15分钟后再试。" in page
    assert 'value="clerk"' in page  # the username stays in the form
    assert browser.login("clerk", PASSWORD).status_code == 429
    assert browser.get("/").status_code == 302
    assert len(events("user.login_locked")) == 1


def test_the_page_and_the_api_share_one_count(app, api, world):
    browser = Browser(app.test_client())
    for _ in range(3):
        browser.login("clerk", WRONG)
    token(api, "clerk", WRONG)
    assert token(api, "clerk", WRONG).status_code == 429
    assert browser.login("clerk", PASSWORD).status_code == 429


SERVER = """
import json, sys
from app import create_app
from app.extensions import db
from config import TestConfig

app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_STORAGE_URI": sys.argv[2]})
with app.app_context():
    db.create_all()
    client = app.test_client()
    statuses = [client.post("/api/v1/tokens", json={"username": sys.argv[3], "password": "Wrong#2026x"},
                            environ_base={"REMOTE_ADDR": sys.argv[4]}).status_code for _ in range(3)]
print(json.dumps(statuses))
"""


def test_servers_sharing_a_redis_store_share_the_count(tmp_path):
    """Two processes (two servers) counting in one Redis: the second sees the first one's failures."""
    import json
    import subprocess
    import sys
    import uuid

    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    run_id = uuid.uuid4()
    username, address = f"nobody-{run_id.hex[:8]}", f"198.18.{run_id.int % 250}.{run_id.int // 250 % 250}"

    def server(n: int) -> list[int]:
        args = [f"sqlite:///{tmp_path / f'server{n}.sqlite'}", url, username, address]
        done = subprocess.run([sys.executable, "-c", SERVER, *args], capture_output=True, text=True, check=False,
                              cwd=BASE_DIR)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert server(1) == [401, 401, 401]
    assert server(2) == [401, 429, 429]


def test_when_the_store_is_down_logins_are_refused_with_a_503_not_a_500(app, api, world, monkeypatch):
    from app.extensions import limiter

    def down(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr(limiter.limiter, "test", down)
    refused = token(api, "clerk", PASSWORD)
    assert refused.status_code == 503
    assert refused.json["error"] == "login_unavailable"
    assert "token" not in refused.json
    page = Browser(app.test_client()).login("clerk", PASSWORD)
    assert page.status_code == 503
    assert "暂时无法登录" in page.get_data(as_text=True)
