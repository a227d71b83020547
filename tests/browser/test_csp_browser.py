"""The Content-Security-Policy holds in the browser: every main page of each role, the public notice,
the process diagram and the pages whose scripts work in the page (the vote's live check, the rows
editor, the role grant form) load, run and report no violation.

Chromium reports each violation as a `securitypolicyviolation` event and a console error; the test
collects both, so an inline script or style attribute added later fails here.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_layout_browser import PAGES

# Listens before the page's own scripts run (Playwright injects it outside the page's policy).
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} (${e.sample})`));"""


def watched(page: Any) -> list[str]:
    """Console errors about the policy, on this page from now on."""
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return console


def violations(page: Any, console: list[str]) -> list[str]:
    found = [f"{page.url}: {v}" for v in page.evaluate("window.__violations || []")]
    found += [f"{page.url}: {text}" for text in console]
    console.clear()
    return found


def visit(page: Any, console: list[str], path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None, path
    assert response.ok, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return violations(page, console)


def test_no_main_page_of_any_role_breaks_the_policy(page_for):
    found: list[str] = []
    pages: dict[str, tuple[Any, list[str]]] = {}
    anonymous = page_for(None)
    found += visit(anonymous, watched(anonymous), "/login")
    for user, path in [
        *PAGES,
        ("clerk", "/plans/6/documents"),
        ("admin", "/admin/users/1"),
        ("clerk", "/notifications"),
    ]:
        if user not in pages:
            page = page_for(user)
            pages[user] = (page, watched(page))
        found += visit(*pages[user], path)
    assert found == []


def test_the_process_diagram_is_drawn_under_the_policy(page_for):
    page = page_for("reviewer")
    console = watched(page)
    page.goto("/plans/7?tab=diagram")
    expect(page.locator(".diagram[data-state=rendered] svg").first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".diagram .djs-element.current").count() >= 1
    assert page.locator(".bjs-powered-by").first.is_visible()
    assert violations(page, console) == []


def test_the_public_notice_and_its_search_keep_to_the_policy(page_for):
    clerk = page_for("clerk")
    clerk.goto("/plans/6/objections")
    link = clerk.get_by_test_id("public-link").get_attribute("href")
    public = page_for(None)
    console = watched(public)
    public.goto(link)
    public.fill("#q", "王")
    public.locator("form[role=search] button[type=submit]").click()
    public.wait_for_load_state("networkidle")
    assert violations(public, console) == []


def test_the_vote_form_checks_as_the_union_types_under_the_policy(page_for):
    page = page_for("union")
    console = watched(page)
    page.goto("/plans/2/vote")
    quorum, result = page.get_by_test_id("quorum-status"), page.get_by_test_id("result-status")
    page.fill("#total_members", "120")
    page.fill("#present", "70")
    expect(quorum).to_have_text(re.compile("^未达到法定人数"))
    page.fill("#present", "96")
    page.fill("#yes", "75")
    expect(result).to_have_text(re.compile("^表决通过"))
    assert violations(page, console) == []


def test_the_rows_editor_and_the_grant_form_work_under_the_policy(page_for):
    clerk = page_for("clerk")
    console = watched(clerk)
    clerk.goto("/plans/1/draft?section=funding")
    rows = clerk.locator("table[data-rows] tbody tr[data-row]")
    count = rows.count()
    clerk.locator("[data-add-row]").first.click()
    expect(rows).to_have_count(count + 1)
    assert violations(clerk, console) == []
    admin = page_for("admin")
    console = watched(admin)
    admin.goto("/admin/users/1")
    admin.select_option("#role", "bureau")
    expect(admin.locator("[data-reach=region]")).to_be_visible()
    expect(admin.locator("[data-reach=enterprise]")).to_be_hidden()
    admin.select_option("#role", "enterprise")
    expect(admin.locator("[data-reach=enterprise]")).to_be_visible()
    assert violations(admin, console) == []
