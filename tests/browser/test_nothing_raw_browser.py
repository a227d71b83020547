"""What a person sees in Chromium (issue 12 §4): the timetable's rows as a table that fits a 390-wide phone
on the public notice and on the plan page, and the audit trail's summary column in words, in both
languages; never a list, an object or a key of the code."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.live import too_wide

RAW = re.compile(r"""\[\{|\{['"]|['"]\w+['"]\s*:|\b(?:timetable|funding)\.[a-z_]""")


@pytest.fixture
def notice_path(demo_database: Path) -> str:
    with sqlite3.connect(demo_database) as con:
        token = con.execute("SELECT token FROM public_notice JOIN plan ON plan.id = public_notice.plan_id "
                            "WHERE plan.status = 'published'").fetchone()[0]  # fmt: skip
    return f"/public/{token}"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_timetable_is_a_table_that_fits_a_phone(page_for, notice_path, locale):
    page = page_for(None, locale)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/lang/{'en' if locale == 'en' else 'zh_CN'}?next={notice_path}")
    table = page.locator("[data-testid=table-timetable]")
    table.scroll_into_view_if_needed()
    headers = table.locator("thead th").all_inner_texts()
    assert len(headers) == 4  # 序号, then each column by its label
    assert ("事项" if locale == "zh-CN" else "Task") in headers
    assert table.locator("tbody tr").count() == 3
    assert "召开职工代表大会审议方案" in table.inner_text()
    assert too_wide(page) == []
    assert not RAW.search(page.locator("main").inner_text())


def test_the_plan_page_shows_the_timetable_rows_in_a_table(page_for):
    page = page_for("reviewer")
    page.goto("/plans/6?tab=content")
    rows = page.locator("#section-timetable [data-testid=items-table] tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("td").all_inner_texts() == ["1", "召开职工代表大会审议方案", "2018-07-31", "企业工会"]
    assert not RAW.search(page.locator("#section-timetable").inner_text())


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_trails_summary_reads_as_words(page_for, locale):
    page = page_for("supervisor", locale)
    cells = []
    # the newest events (the demo's ledger entries), then the submissions, whose summaries carry content hashes
    for trail in ("/audit", "/audit?action=plan.submitted"):
        page.goto(f"/lang/en?next={quote(trail)}" if locale == "en" else trail)
        cells += page.locator("[data-testid=trail] td.summary").all_inner_texts()
    assert len(cells) > 10
    assert [cell for cell in cells if RAW.search(cell) or "{" in cell] == []
    said = " ".join(cells)
    assert re.search(r"\b[0-9a-f]{12}\b", said)  # hashes cut short
    assert not re.search(r"\b[0-9a-f]{64}\b", said)
    assert ("内容哈希" in said) if locale == "zh-CN" else ("content hash" in said and "内容哈希" not in said)
