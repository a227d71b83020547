"""static/js/rows.js in Chromium: funding sources added and removed as rows, saved as the rows left."""

from __future__ import annotations

from approvals.demo import sample_content
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import ORIGIN, page_for


def test_rows_are_added_and_removed_in_the_page_and_saved_as_shown(browser, api, world, chromium):
    plan = flow.create(api("clerk"), sample_content(world.steel))
    page = page_for(chromium, browser("clerk"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/draft?section=funding")
    rows = page.locator("table[data-rows=sources] tbody tr")
    assert rows.count() == 1  # one blank row to start from
    page.click("[data-add-row=sources]")
    page.click("[data-add-row=sources]")
    assert rows.count() == 3
    assert rows.nth(2).locator(".row-number").inner_text() == "3"
    page.select_option("#sources-0-source", "enterprise_own")
    page.fill("#sources-0-amount", "50000")
    page.fill("#sources-0-evidence", "董事会决议〔2018〕12号")
    page.select_option("#sources-1-source", "local_finance")
    page.fill("#sources-1-amount", "1")
    page.select_option("#sources-2-source", "special_award")
    page.fill("#sources-2-amount", "80000")
    page.fill("#sources-2-evidence", "冀财资〔2018〕45号")
    rows.nth(1).locator("[data-remove-row]").click()  # the middle row goes
    assert rows.count() == 2
    assert rows.nth(1).locator(".row-number").inner_text() == "2"
    page.click("form[data-testid=section-form] button[type=submit]")
    assert "已保存“资金保障”" in page.content()
    assert reload(plan["id"]).content["funding"]["sources"] == [
        {"source": "enterprise_own", "amount": "50000", "evidence": "董事会决议〔2018〕12号"},
        {"source": "special_award", "amount": "80000", "evidence": "冀财资〔2018〕45号"},
    ]
