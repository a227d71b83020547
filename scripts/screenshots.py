"""Screenshots of the main pages, for docs/screenshots/ (referenced from the README).

Serves the application with the demo data (a fresh SQLite file), logs in as each kind of user in
Debian's Chromium at 1366×768 and saves one PNG per page; the plan page in both languages.

    python scripts/screenshots.py            # all pages into docs/screenshots/
    python scripts/screenshots.py --only plan --out /tmp/shots
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.live import launch_chromium, logged_in_page, start_demo_server  # noqa: E402


def first_link(page: Any, selector: str) -> str | None:
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


# (file name, user, how to reach the page: a path, or a function of the logged-in page giving one)
SHOTS: list[tuple[str, str | None, Any]] = [
    ("login", None, "/login"),
    ("home-enterprise", "clerk", "/"),
    ("home-union", "union", "/"),
    ("home-bureau", "reviewer", "/"),
    ("home-working-group", "wg", "/"),
    ("home-supervisor", "supervisor", "/"),
    ("home-admin", "admin", "/"),
    ("tasks", "reviewer", "/tasks"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="directory for the PNGs")
    parser.add_argument("--only", default="", help="only shots whose name contains this")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_demo_server(Path(tmp) / "demo.sqlite")
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                for name, user, target in SHOTS:
                    if args.only and args.only not in name:
                        continue
                    for locale in ("zh-CN", "en") if name.startswith("plan") else ("zh-CN",):
                        page = logged_in_page(browser, base, user, locale)
                        if locale == "en":
                            page.goto("/lang/en")
                        path = target(page) if callable(target) else target
                        if path is None:
                            print(f"skipped {name}: nothing to show", file=sys.stderr)
                            page.context.close()
                            continue
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        file = out / f"web-{name}{'-en' if locale == 'en' else ''}.png"
                        page.screenshot(path=str(file), full_page=True)
                        print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
                        page.context.close()
                browser.close()
        finally:
            process.terminate()
            process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
