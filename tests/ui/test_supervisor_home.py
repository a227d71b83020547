"""The supervisor's home section: plans per city and stage in the region, and reviews past their deadline."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.db import utcnow
from approvals.models import WorkflowInstance
from approvals.services.timers import due_plan_ids, run_plan_timers
from tests import flow
from tests.ui.html_tables import table_rows

STAGES = ["企业起草", "职工代表大会审议", "人社部门审核", "联合工作组介入", "待公布", "已公布", "实施中"]


def at_review(app, api, world, content, deadline: str = "P20D") -> int:
    """A steel plan waiting for the bureau's review, with the given review deadline."""
    app.config["REVIEW_DEADLINE"] = deadline
    try:
        plan = flow.create(api("clerk"), content)
    finally:
        app.config["REVIEW_DEADLINE"] = "P20D"
    flow.submit(api("clerk"), plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    return plan["id"]


def home(browser_) -> str:
    response = browser_.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_region_overview_counts_plans_per_city_and_stage(app, api, browser, world, complete_content):
    at_review(app, api, world, complete_content(world.steel, seed=1))
    at_review(app, api, world, complete_content(world.steel, seed=2))
    flow.create(api("clerk"), {})  # a draft in 唐山
    api("clerk_small").post("/plans", json={"title": "沙河方案", "content": {}})  # a draft in 邢台

    page = home(browser("supervisor"))  # the province
    assert "督查范围：河北省" in page
    overview = {row[0]: row[1:] for row in table_rows(page, "region-overview")}
    assert overview["唐山市"] == ["1", "0", "2", "0", "0", "0", "0", "3"]
    assert overview["邢台市"] == ["1", "0", "0", "0", "0", "0", "0", "1"]
    assert set(overview) == {"唐山市", "邢台市"}
    header = page.split('data-testid="region-overview"')[1].split("</thead>")[0]
    assert all(stage in header for stage in STAGES)

    other = home(browser("supervisor_other"))  # 邢台 only
    assert "督查范围：邢台市" in other
    assert {row[0]: row[1:] for row in table_rows(other, "region-overview")} == {
        "邢台市": ["1", "0", "0", "0", "0", "0", "0", "1"]
    }


def test_reviews_past_their_deadline_are_listed_with_links(app, api, browser, world, complete_content):
    late = at_review(app, api, world, complete_content(world.steel, seed=1), deadline="PT1S")
    waiting = at_review(app, api, world, complete_content(world.steel, seed=2))
    supervisor = browser("supervisor")
    assert 'data-testid="no-overdue"' in home(supervisor)

    time.sleep(1.1)
    assert due_plan_ids(db.session) == [late]
    page = home(supervisor)  # due, but the timer job has not run yet
    overdue = table_rows(page, "overdue")
    assert len(overdue) == 1
    assert overdue[0][0].startswith("迁安钢铁职工安置方案")
    assert overdue[0][4] == "已超期，待定时任务督办"
    assert f'href="/plans/{late}"' in page
    assert f'href="/audit?plan={late}"' in page

    run_plan_timers(db.session, get_engine(), late)  # the escalation, recorded in the trail
    db.session.commit()
    overdue = table_rows(home(supervisor), "overdue")
    assert [row[4].split()[0] for row in overdue] == ["已提请督查"]
    assert overdue[0][3] == "已到期"  # the timer fired: no pending deadline

    # A due timer that the job has not run yet counts too; a deadline still ahead does not.
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == waiting)).one()
    instance.next_timer_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert len(table_rows(home(supervisor), "overdue")) == 2

    # Outside the region nothing shows; once reviewed, the plan is no longer overdue.
    assert 'data-testid="no-overdue"' in home(browser("supervisor_other"))
    flow.review(api("reviewer"), late, "approve")
    remaining = table_rows(home(supervisor), "overdue")
    assert len(remaining) == 1
    assert f'href="/plans/{waiting}"' in home(supervisor)


def test_an_escalation_from_an_earlier_review_round_does_not_count(app, api, browser, world, complete_content):
    late = at_review(app, api, world, complete_content(world.steel), deadline="PT1S")
    time.sleep(1.1)
    run_plan_timers(db.session, get_engine(), late)
    db.session.commit()
    assert len(table_rows(home(browser("supervisor")), "overdue")) == 1
    flow.review(api("reviewer"), late, "return", reasons="请补充内退协议。")
    flow.submit(api("clerk"), late)  # unchanged: the vote still holds, so straight back to review
    assert flow.plan(api("clerk"), late)["status"] == "review"
    # The new round's deadline lies ahead; only the old round's escalation is in the trail.
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == late)).one()
    instance.next_timer_at = utcnow() + timedelta(days=20)
    db.session.commit()
    assert 'data-testid="no-overdue"' in home(browser("supervisor"))


def test_the_section_is_only_for_supervisors(browser, world):
    assert 'data-testid="supervisor-home"' in home(browser("supervisor"))
    for name in ("clerk", "reviewer", "admin"):
        assert 'data-testid="supervisor-home"' not in home(browser(name))
