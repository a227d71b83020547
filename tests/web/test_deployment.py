"""The deployment of docs/deployment.md on one machine: two gunicorn servers and one `flask worker`
over one PostgreSQL database, with the rate limits counted in Redis. The public page's limit holds
across both servers: the (N+1)th request is refused whichever server gets it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from config import database_url
from tests import flask_commands
from tests.browser.live import free_port
from tests.services import fresh_postgres_database, redis_url

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ("APP_ENV", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI",
            "RATELIMIT_KEY_PREFIX", "PUBLIC_PAGE_RATE_LIMIT")  # fmt: skip
LIMIT = 7


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our own local servers)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# How long a server may take to start: generous, because a busy CI machine starts gunicorn slowly and
# the start-up time is not what these tests are about.
STARTUP_WAIT = 300


def wait_until_serving(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_WAIT
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2)  # noqa: S310
            return
        except OSError:
            assert process.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, f"gunicorn did not answer in {STARTUP_WAIT} s"
            time.sleep(0.2)


def public_token(url: str) -> str:
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return str(
                conn.execute(text("SELECT token FROM public_notice ORDER BY plan_id LIMIT 1")).scalar_one()
            )  # any of the demo's
    finally:
        engine.dispose()


def test_two_servers_and_a_worker_on_one_postgresql_share_the_rate_limit(tmp_path):
    store = redis_url(1)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn
    with fresh_postgres_database("deploy") as url:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        env.update(APP_ENV="production", SECRET_KEY="deploy-test-secret", AUDIT_KEY="deploy-test-audit",
                   DATABASE_URL=url, RATELIMIT_STORAGE_URI=store, PUBLIC_PAGE_RATE_LIMIT=f"{LIMIT} per hour",
                   RATELIMIT_KEY_PREFIX=f"deploy-test-{uuid.uuid4().hex}", WORKER_INTERVAL="0.5",
                   PYTHONUNBUFFERED="1")  # fmt: skip
        # The schema and a published plan with its public notice: the demo data (tests/flask_commands.py).
        flask_commands.load_demo(url, secret_key=env["SECRET_KEY"], audit_key=env["AUDIT_KEY"])
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        token = public_token(url)
        ports = [free_port(), free_port()]
        logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("server1", "server2", "worker")}
        processes = [
            subprocess.Popen(
                [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=logs[name],
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for name, port in zip(("server1", "server2"), ports, strict=True)
        ]
        worker = subprocess.Popen([*flask, "worker"], cwd=ROOT, env=env, stdout=logs["worker"],
                                  stderr=subprocess.STDOUT, text=True)  # fmt: skip
        processes.append(worker)
        try:
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for base, process in zip(bases, processes, strict=False):
                wait_until_serving(base, process)
            answers = [status(f"{bases[n % 2]}/public/{token}") for n in range(LIMIT + 2)]
            assert answers == [200] * LIMIT + [429, 429], answers
            assert status(f"{bases[0]}/login") == 200  # only the public pages are limited
            assert worker.poll() is None, "the worker stopped"
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            for log in logs.values():
                log.close()
        worker_log = (tmp_path / "worker.log").read_text()
        assert "worker 已启动（postgresql" in worker_log, worker_log
        assert "Traceback" not in worker_log + "".join((tmp_path / f"server{n}.log").read_text() for n in (1, 2))
