"""Browser tests: the application served by a real server process, driven in Debian's Chromium
through Playwright.

Each test module gets its own server on a fresh SQLite file loaded with the demo data
(`flask demo load`), so the demo accounts (password Demo@2026) exist. Chromium is Debian's
(/usr/bin/chromium, installed by scripts/system-deps.sh); Playwright's own browser download is
not used. Without Chromium the tests are skipped, unless REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import BASE_DIR

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a sandboxed machine without network: no sandbox, no GPU, no background calls.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DEMO_PASSWORD = "Demo@2026"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server with the demo data, for this test module."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (scripts/system-deps.sh installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    db_file = tmp_path_factory.mktemp("browser") / "app.sqlite"
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "browser-tests",
           "DATABASE_URL": f"sqlite:///{db_file}", "PYTHONPATH": str(BASE_DIR)}  # fmt: skip
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                                "--log-level", "warning", "wsgi:app"], cwd=BASE_DIR, env=env)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2)  # noqa: S310  (our own local server)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_for(server: str, chromium):  # type: ignore[no-untyped-def]
    """page_for("clerk") is a new browser page logged in as the demo user clerk, at 1366×768."""
    contexts = []

    def make(username: str | None, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale=locale, base_url=server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto("/login")
            page.fill("#username", username)
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield make
    for context in contexts:
        context.close()
