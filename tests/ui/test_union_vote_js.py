"""static/js/vote.js in a real browser (Debian's Chromium through Playwright): quorum and result
change as the numbers are typed. The browser's requests are answered by the Flask test client, so
no server runs and the test database is the one the fixtures filled."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests import flow
from tests.ui.conftest import Browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ORIGIN = "http://forms.test"

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Chromium is not installed")


@pytest.fixture
def chromium() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def page_for(chromium: Any, client: Browser) -> Any:
    """A page whose every request goes to the app through `client` (its session cookie included)."""
    page = chromium.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")

    def answer(route: Any) -> None:
        request = route.request
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # Redirects (POST/redirect/GET) are followed here: the page shows where the app sends it.
        response = client.client.open(path, method=request.method, data=request.post_data_buffer,
                                      headers={"Content-Type": request.headers.get("content-type", "")},
                                      follow_redirects=True)  # fmt: skip
        body = response.get_data()
        response.close()  # static files are streamed from open files
        route.fulfill(status=response.status_code, headers=dict(response.headers), body=body)

    page.route(f"{ORIGIN}/**", answer)
    return page


def test_quorum_and_result_follow_the_numbers_as_they_are_typed(chromium, browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    page = page_for(chromium, browser("union"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/vote")
    quorum, result = page.get_by_test_id("quorum-status"), page.get_by_test_id("result-status")
    assert "请填写应到人数和到会人数" in quorum.inner_text()

    page.fill("#total_members", "120")
    page.fill("#present", "79")  # 79 < 2/3 of 120
    assert "未达到法定人数" in quorum.inner_text()
    assert "至少 80 人" in quorum.inner_text()
    assert "会议无效" in result.inner_text()
    assert "alert-danger" in (quorum.get_attribute("class") or "")

    page.fill("#present", "80")
    assert "达到法定人数" in quorum.inner_text()
    page.fill("#yes", "60")  # 60 is half of 120, not more
    assert "未获通过" in result.inner_text()
    assert "至少须 61 票" in result.inner_text()
    page.fill("#yes", "61")
    assert "表决通过" in result.inner_text()
    assert "alert-success" in (result.get_attribute("class") or "")
    page.fill("#no", "10")
    page.fill("#abstain", "9")
    assert "合计 80 票" in page.locator("#cast-status").inner_text()

    page.check("input[value=general_assembly]")
    assert page.locator("#members-label").inner_text() == "全体职工人数"

    # The server decides: the assembly is refused for an enterprise of 1,200 workers.
    page.fill("#held_on", "2018-07-26")
    page.click("form[data-vote] button[type=submit]")
    assert "须召开职工代表大会" in page.get_by_test_id("error-body_type").inner_text()
    assert page.locator("#present").input_value() == "80"  # the input is kept
    page.check("input[value=workers_congress]")
    page.click("form[data-vote] button[type=submit]")
    assert "已录入表决结果：表决通过" in page.content()
