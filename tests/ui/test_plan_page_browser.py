"""The plan page in a real browser (Playwright driving Debian's Chromium): bpmn-js draws the diagram
with the current task highlighted, and the tabs are links (a fragment naming a tab opens it too)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.extensions import db
from tests import flow
from tests.conftest import PASSWORD


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served over HTTP from a thread, one request at a time (the tests' database is shared)."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(live_server, chromium):  # type: ignore[no-untyped-def]
    tab = chromium.new_page(viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors  # type: ignore[attr-defined]
    return tab


def login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_diagram_is_drawn_with_the_current_task_highlighted(api, world, complete_content, live_server, page):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    db.session.remove()  # the server thread reads what the test committed
    login(page, live_server, "union")
    page.goto(f"{live_server}/plans/{plan['id']}?tab=diagram")
    page.wait_for_selector(".diagram[data-state=rendered] svg", timeout=20_000)
    assert page.locator('.djs-element.current[data-element-id="congress_vote"]').count() == 1
    assert page.locator('.djs-element.taken[data-element-id="draft_plan"]').count() == 1
    assert page.locator('.djs-connection.taken[data-element-id="flow_to_vote"]').count() == 1
    assert page.locator('.djs-element.current[data-element-id="bureau_review"]').count() == 0
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark the licence asks for
    assert page.errors == []  # type: ignore[attr-defined]


def test_tabs_are_links_and_a_fragment_opens_one(api, world, complete_content, live_server, page):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    db.session.remove()
    login(page, live_server, "clerk")
    page.goto(f"{live_server}/plans/{plan['id']}#roster")  # a fragment naming a tab opens it
    page.wait_for_url("**tab=roster")
    assert page.locator("#pane-roster").is_visible()
    page.click("#tab-diagram")
    page.wait_for_selector(".diagram[data-state=rendered] svg", timeout=20_000)
    assert "tab=diagram" in page.url
    assert page.locator('.djs-element.current[data-element-id="draft_plan"]').count() == 1
    page.click("#tab-warnings")
    page.wait_for_url("**tab=warnings")
    assert page.locator("#pane-warnings").is_visible()
    page.goto(f"{live_server}/plans/{plan['id']}?tab=content#section-funding")
    assert page.locator("#section-funding").is_visible()
    assert page.errors == []  # type: ignore[attr-defined]
