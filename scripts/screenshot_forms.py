"""Screenshots of the enterprise and union forms at 1366×768, from a running server with the demo data.

    python -m flask --app wsgi demo load && python -m flask --app wsgi run --port 5062 &
    python scripts/screenshot_forms.py --base http://127.0.0.1:5062 --out docs/screenshots

Uses the demo plans as `demo load` creates them: plan 1 in drafting, plan 2 at the congress,
plan 5 waiting for publication. Nothing is committed to them except a refused start of execution
(which the trail records) and an uploaded roster waiting, unconfirmed, for its commit.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from types import SimpleNamespace

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from approvals.demo import DEMO_PASSWORD, roster_csv, sample_roster  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]  # fmt: skip
DRAFT, AT_CONGRESS, AT_PUBLICATION = 1, 2, 5


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form button[type=submit]")


def shot(page: Page, out: Path, name: str, *, full: bool = True) -> None:
    path = out / f"forms-{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(path)


def roster_with_mistakes() -> bytes:
    """The demo roster of plan 1 with a wrong check character and a missing channel."""
    rows = sample_roster(SimpleNamespace(region_code="130283"), 13, 1)  # type: ignore[arg-type]
    rows[2][0] = rows[2][0][:-1] + ("0" if rows[2][0][-1] != "0" else "1")
    rows[5][3] = ""
    return roster_csv(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5062")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base.rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        clerk = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        log_in(clerk, base, "clerk")
        shot(clerk, args.out, "enterprise-home")
        clerk.goto(f"{base}/plans/new")
        shot(clerk, args.out, "new-plan")
        for section in ("profile", "funding", "timetable"):
            clerk.goto(f"{base}/plans/{DRAFT}/draft?section={section}")
            shot(clerk, args.out, f"draft-{section}")
        clerk.goto(f"{base}/plans/{DRAFT}/roster/upload")
        clerk.set_input_files("#file", files=[{"name": "职工名单.csv", "mimeType": "text/csv",
                                                "buffer": io.BytesIO(roster_with_mistakes()).getvalue()}])  # fmt: skip
        clerk.click("form[data-testid=upload-form] button[type=submit]")
        shot(clerk, args.out, "roster-report")
        clerk.goto(f"{base}/plans/{AT_PUBLICATION}/publication")
        clerk.click("form[data-testid=execution-form] button[type=submit]")
        shot(clerk, args.out, "publication-refused")
        clerk.goto(f"{base}/lang/en?next=/plans/{DRAFT}/draft%3Fsection%3Dfunding")
        shot(clerk, args.out, "draft-funding-en")
        clerk.goto(f"{base}/lang/zh_CN")

        union = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        log_in(union, base, "union")
        shot(union, args.out, "union-home")
        union.goto(f"{base}/plans/{AT_CONGRESS}/vote")
        union.fill("#held_on", "2018-07-26")
        union.fill("#total_members", "120")
        union.fill("#present", "100")
        union.fill("#yes", "58")
        union.fill("#no", "30")
        union.fill("#abstain", "12")
        shot(union, args.out, "vote-live")
        union.fill("#present", "130")
        union.click("form[data-vote] button[type=submit]")
        shot(union, args.out, "vote-refused")
        browser.close()


if __name__ == "__main__":
    main()
