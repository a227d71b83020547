"""Browser tests: the application served by a real server process, driven in Debian's Chromium
through Playwright.

Each test module gets its own server on a fresh SQLite file loaded with the demo data
(`flask demo load`), so the demo accounts (password Demo@2026) exist. Chromium is Debian's
(/usr/bin/chromium, installed by scripts/system-deps.sh); Playwright's own browser download is
not used. Without Chromium the tests are skipped, unless REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.live import CHROMIUM, launch_chromium, logged_in_page, start_demo_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server with the demo data, for this test module."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (scripts/system-deps.sh installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    process, base = start_demo_server(tmp_path_factory.mktemp("browser") / "app.sqlite")
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page_for(server: str, chromium):  # type: ignore[no-untyped-def]
    """page_for("clerk") is a new page logged in as the demo user clerk, at 1366×768."""
    pages = []

    def make(username: str | None, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
        page = logged_in_page(chromium, server, username, locale)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
