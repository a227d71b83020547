"""Screenshots of the supervisor's and the administrator's pages at 1366×768 (an office screen).

Run against a dev server with the demo data loaded (README: `flask demo load`, `flask run`):

    python scripts/screenshots_supervisor_admin.py --base http://127.0.0.1:5000 [--out docs/screenshots]

Uses Playwright with Debian's Chromium (`playwright install` cannot download browsers here).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]  # fmt: skip
PASSWORD = "Demo@2026"  # noqa: S105  (the documented demo password, development only)


def choose_role(page: Page) -> None:
    page.select_option("#role", "supervisor")  # the region field appears


def refused_wages(page: Page) -> None:
    page.select_option("#city", "130200")
    page.fill("#year", "1980")
    page.fill("#average", "5400")
    page.fill("#minimum", "-1")
    page.click("[data-testid=wage-form] button[type=submit]")
    page.wait_for_load_state("networkidle")


# (account, file name, path, language, what to do on the page before the shot)
SHOTS: list[tuple[str, str, str, str, Callable[[Page], None] | None]] = [
    ("supervisor", "supervisor-home", "/", "zh_CN", None),
    ("supervisor", "audit-trail", "/audit", "zh_CN", None),
    ("supervisor", "audit-trail-filtered", "/audit?action=review.escalated", "zh_CN", None),
    ("supervisor", "audit-verify", "/audit/verify", "zh_CN", None),
    ("supervisor", "audit-trail-en", "/audit", "en", None),
    ("admin", "admin-home", "/", "zh_CN", None),
    ("admin", "admin-users", "/admin/users", "zh_CN", None),
    ("admin", "admin-user", "/admin/users/1", "zh_CN", choose_role),
    ("admin", "admin-enterprises", "/admin/enterprises", "zh_CN", None),
    ("admin", "admin-enterprise-edit", "/admin/enterprises/1/edit", "zh_CN", None),
    ("admin", "admin-regions", "/admin/regions", "zh_CN", None),
    ("admin", "admin-working-groups", "/admin/working-groups", "zh_CN", None),
    ("admin", "admin-parameters", "/admin/parameters", "zh_CN", None),
    ("admin", "admin-parameters-refused", "/admin/parameters", "zh_CN", refused_wages),
]


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages: dict[str, Page] = {}
        for account, name, path, language, action in SHOTS:
            if account not in pages:
                pages[account] = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
                login(pages[account], args.base, account)
            page = pages[account]
            page.goto(f"{args.base}/lang/{language}?next={path}")
            page.wait_for_load_state("networkidle")
            if action is not None:
                action(page)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=args.full_page)
            overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
            print(f"{target}{'  (horizontal overflow!)' if overflow else ''}")
            page.goto(f"{args.base}/lang/zh_CN?next=/")
        browser.close()


if __name__ == "__main__":
    main()
