"""The bureau's review queue on the home page: region, filters as links, overdue first, paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import event

from app.extensions import db
from approvals.db import utcnow
from approvals.workdays import add_working_days, local_date
from tests import flow
from tests.ui.reviewing import in_review

ROW = re.compile(r'<tr data-plan-id="(\d+)">')


def queue_ids(page: str) -> list[int]:
    section = page.split('data-testid="review-queue"', 1)[1]
    return [int(n) for n in ROW.findall(section)]


def test_the_queue_lists_only_plans_in_the_reviewers_region(browser, api, world, complete_content):
    steel = in_review(api, world, complete_content, "steel")
    zombie = in_review(api, world, complete_content, "zombie")
    assert queue_ids(browser("reviewer").get("/").get_data(as_text=True)) == [steel["id"]]  # 唐山
    assert queue_ids(browser("reviewer_other").get("/").get_data(as_text=True)) == [zombie["id"]]  # 邯郸
    assert sorted(queue_ids(browser("province").get("/").get_data(as_text=True))) == [steel["id"], zombie["id"]]
    assert "review-queue" not in browser("clerk").get("/").get_data(as_text=True)


def test_filters_by_city_industry_risk_and_status_are_links(browser, api, world, complete_content):
    steel = in_review(api, world, complete_content, "steel")
    zombie = in_review(api, world, complete_content, "zombie")
    small = in_review(api, world, complete_content, "small")
    province = api("province")
    assert flow.review(province, steel["id"], "approve")["risk_level"] == "normal"
    assert flow.review(province, zombie["id"], "approve")["risk_level"] == "high"
    reviewer = browser("province")

    def ids(query: str) -> set[int]:
        response = reviewer.get("/" + query)
        assert response.status_code == 200
        return set(queue_ids(response.get_data(as_text=True)))

    assert ids("") == {small["id"]}  # by default: waiting for review
    assert ids("?status=all") == {steel["id"], zombie["id"], small["id"]}
    assert ids("?status=all&city=130200") == {steel["id"]}  # 唐山市 covers 迁安市
    assert ids("?status=all&city=130582") == {small["id"]}  # a county: 沙河市
    assert ids("?status=all&industry=coal") == {zombie["id"]}
    assert ids("?status=all&risk=high") == {zombie["id"]}
    assert ids("?status=all&risk=normal") == {steel["id"]}
    assert ids("?status=all&risk=none") == {small["id"]}
    assert ids("?status=publication&industry=steel&risk=normal") == {steel["id"]}
    assert ids("?status=working_group&city=130200") == set()
    page = reviewer.get("/?status=all&industry=coal").get_data(as_text=True)
    assert '<option selected value="coal">' in page  # the form shows the filter that is applied
    assert "高风险" in page
    assert "未评估" not in page.split('data-testid="queue"', 1)[1]


def test_an_unknown_filter_value_is_ignored_and_said(browser, api, world, complete_content):
    steel = in_review(api, world, complete_content, "steel")
    page = browser("reviewer").get("/?industry=gold&city=999999").get_data(as_text=True)
    assert queue_ids(page) == [steel["id"]]
    assert page.count("筛选条件无效，已忽略。") == 2


def test_overdue_reviews_come_first_then_by_deadline(app, browser, api, world, complete_content):
    def plan_with_deadline(working_days: int, title: str, days_ago: int = 0) -> int:
        app.config["REVIEW_DEADLINE_WORKING_DAYS"] = working_days
        try:
            with time_machine.travel(datetime.now(UTC) - timedelta(days=days_ago), tick=True):
                return in_review(api, world, complete_content, "steel", title)["id"]
        finally:
            app.config["REVIEW_DEADLINE_WORKING_DAYS"] = 20

    decided = plan_with_deadline(20, "已审核")
    flow.review(api("reviewer"), decided, "approve")
    later = plan_with_deadline(20, "二十个工作日期限")
    sooner = plan_with_deadline(10, "十个工作日期限")
    overdue = plan_with_deadline(20, "已超期", days_ago=60)  # submitted two months ago: its deadline passed
    assert app.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0  # escalated to the supervisor
    page = browser("reviewer").get("/?status=all").get_data(as_text=True)
    assert queue_ids(page) == [overdue, sooner, later, decided]  # plans at other stages last
    rows = page.split('<tr data-plan-id="')
    assert 'data-testid="overdue"' in rows[1]
    assert re.search(r"超期 \d+ 天", rows[1])
    assert "已提请督查" in rows[1]
    left = [int(re.search(r"剩 (\d+) 个工作日", row).group(1)) for row in rows[2:4]]
    assert left[0] in (10, 11)  # ten working days after today, and today while it is a working day
    assert left[1] == left[0] + 10
    last_days = [add_working_days(local_date(utcnow()), n).isoformat() for n in (10, 20)]
    assert [last_days[0] in rows[2], last_days[1] in rows[3]] == [True, True]  # the last day, not the day after
    assert "审核期限" not in rows[4]
    assert "个工作日" not in rows[4]


def test_the_queue_pages_on_the_server_and_keeps_the_filters(app, browser, api, world, complete_content):
    app.config["PAGE_SIZE"] = 2
    try:
        made = [in_review(api, world, complete_content, "steel", f"方案{n}")["id"] for n in range(3)]
        reviewer = browser("reviewer")
        first = reviewer.get("/?industry=steel").get_data(as_text=True)
        second = reviewer.get("/?industry=steel&page=2").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 50
    assert queue_ids(first) == made[:2]  # same deadline: the earliest submitted first
    assert queue_ids(second) == made[2:]
    assert "第 1 / 2 页，共 3 条" in first
    assert re.search(r'href="/\?[^"]*industry=steel[^"]*page=2', first.replace("&amp;", "&"))


def test_the_queue_costs_the_same_statements_for_more_plans(browser, api, world, complete_content):
    reviewer = browser("province")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    def statements_for_home() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert reviewer.get("/?status=all").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    in_review(api, world, complete_content, "steel")
    in_review(api, world, complete_content, "zombie")
    few = statements_for_home()
    for firm in ("steel", "small", "zombie", "small"):
        in_review(api, world, complete_content, firm)
    assert statements_for_home() == few  # no statement per row
