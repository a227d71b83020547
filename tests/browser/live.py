"""A live server with the demo data and Debian's Chromium: shared by the browser tests and
scripts/screenshots.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from config import BASE_DIR
from tests.flask_commands import load_demo

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a sandboxed machine without network: no sandbox, no GPU, no background calls.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DEMO_PASSWORD = "Demo@2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_SECRET_KEY, _AUDIT_KEY = "live-demo-server", "live-demo-audit"


def _environment(db_file: Path) -> dict[str, str]:
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": _SECRET_KEY, "AUDIT_KEY": _AUDIT_KEY,
           "DATABASE_URL": f"sqlite:///{db_file}", "PYTHONPATH": str(BASE_DIR)}  # fmt: skip
    env.pop("TEST_DATABASE_URL", None)
    return env


def load_demo_database(db_file: Path) -> None:
    """A fresh SQLite file, migrated and loaded with the demo data (in this process: tests/flask_commands.py)."""
    load_demo(f"sqlite:///{db_file}", secret_key=_SECRET_KEY, audit_key=_AUDIT_KEY)


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite file (with its write-ahead log, if one was left)."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def serve(db_file: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn serving the application on the SQLite file, once it answers."""
    env = _environment(db_file)
    port = port or free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                                "--log-level", "warning", "wsgi:app"], cwd=BASE_DIR, env=env)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a busy machine (CI beside other jobs) takes its time to import the app
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=5)  # noqa: S310  (our own local server)
            return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                process.wait()
                raise
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; kill it if it is still finishing requests after 30 s (a busy machine)."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_demo_server(db_file: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn serving the application on a fresh SQLite file loaded with the demo data."""
    load_demo_database(db_file)
    return serve(db_file, port)


def chromium_missing() -> str | None:
    """Why Chromium cannot be driven here; None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (a dev dependency: pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (scripts/system-deps.sh installs it)"
    return None


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def logged_in_page(browser: Any, base: str, username: str | None, locale: str = "zh-CN") -> Any:
    """A new page at 1366×768 (an office screen), logged in through the form as a demo user."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale, base_url=base)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username:
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
    return page


# The page, or a table's scroll box, wider than its window: text overflows.
_TOO_WIDE = """() => [document.documentElement, ...document.querySelectorAll('.table-responsive')]
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => `${box.tagName.toLowerCase()}.${box.className}: ${box.scrollWidth} > ${box.clientWidth}`)"""


def too_wide(page: Any) -> list[str]:
    """What on the page is wider than the window (each as "tag.classes: scroll width > width")."""
    return list(page.evaluate(_TOO_WIDE))


def plan_tabs() -> list[str]:
    """The plan page's tabs (its `?tab=` values) as app/web/plans.py declares them; none if it has no tabs."""
    from app.web import plans

    return list(getattr(plans, "TABS", {}))


# Table cells squeezed to a few characters: narrower than four characters of their own font while a
# line of their text breaks (a column a character wide). Cells clipped out of sight (a header row
# kept for screen readers only) are not seen, so not counted.
_SQUEEZED = """() => {
  const seen = cell => {
    let {left, right} = cell.getBoundingClientRect();
    for (let box = cell.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX !== 'visible' || style.clip !== 'auto') {
        const outer = box.getBoundingClientRect();
        left = Math.max(left, outer.left); right = Math.min(right, outer.right);
      }
    }
    return right - left > 1 && cell.checkVisibility();
  };
  const broken = cell => [...cell.querySelectorAll('*'), cell].some(el => [...el.childNodes]
    .filter(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim())
    .some(node => { const range = document.createRange(); range.selectNodeContents(node);
                    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1; }));
  return [...document.querySelectorAll('td, th')].filter(seen).flatMap(cell => {
    const style = getComputedStyle(cell);
    const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return width < 4 * parseFloat(style.fontSize) && broken(cell)
      ? [`${cell.closest('table').dataset.testid || 'table'}: "${cell.innerText.trim().slice(0, 20)}" ${Math.round(width)}px`] : [];
  });
}"""


def squeezed_cells(page: Any) -> list[str]:
    """The table cells on the page squeezed to a few characters wide (each as "table: "text" width")."""
    return list(page.evaluate(_SQUEEZED))
