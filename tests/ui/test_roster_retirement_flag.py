"""The pages show a worker at or past the statutory retirement age (劳动合同法第四十四条第二项, 劳动合同法实施条例
第二十一条): a badge on the worker's page and in the roster, which filters on it."""

from __future__ import annotations

from datetime import date

from tests.web.test_roster_api import csv_bytes, put
from tests.web.test_roster_retirement_age import HEADER, plan, row  # noqa: F401 -- the fixture


def test_the_worker_page_and_the_roster_show_the_flag(api, browser, plan):  # noqa: F811
    retired = row(1, date(1958, 5, 1), "依法解除劳动合同")
    working = row(3, date(1970, 5, 1), "依法解除劳动合同")
    put(api("clerk"), plan["id"], csv_bytes([retired, working], header=HEADER))
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/roster/workers/{retired[0]}").get_data(as_text=True)
    assert 'data-testid="reached-retirement">已达退休年龄</span>' in page
    other = clerk.get(f"/plans/{plan['id']}/roster/workers/{working[0]}").get_data(as_text=True)
    assert "reached-retirement" not in other
    roster = clerk.get(f"/plans/{plan['id']}?tab=roster&reached_retirement=1").get_data(as_text=True)
    assert "职工1" in roster
    assert "职工3" not in roster
    assert '<span class="badge text-bg-dark">已达退休年龄</span>' in roster
