"""Browser tests: the application served by a real server process, driven in Debian's Chromium
through Playwright.

Each test module gets its own server on a fresh copy of an SQLite file loaded once with the demo
data (`flask demo load`), so the demo accounts (password Demo@2026) exist. Chromium is Debian's
(/usr/bin/chromium, installed by scripts/system-deps.sh), through the suite's `chromium` fixture
(tests/conftest.py); Playwright's own browser download is not used. Without Chromium the tests are
skipped, unless REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.live import copy_database, load_demo_database, logged_in_page, serve, stop


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data, migrated and loaded once per test process; each module serves a copy."""
    db_file = tmp_path_factory.mktemp("browser-demo") / "demo.sqlite"
    load_demo_database(db_file)
    return db_file


@pytest.fixture(scope="module")
def server(
    _chromium_for_process: object, demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The base URL of a server with a fresh copy of the demo data, for this test module (after Chromium:
    without it, no server is started for nothing)."""
    process, base = serve(copy_database(demo_database, tmp_path_factory.mktemp("browser") / "app.sqlite"))
    yield base
    stop(process)


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
