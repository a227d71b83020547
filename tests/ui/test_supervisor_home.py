"""The supervisor's home section: plans per city and stage in the region, and votes and reviews past their
deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.db import utcnow
from approvals.models import Plan, WorkflowInstance
from approvals.services.timers import claim_due_timer, run_plan_timers
from tests import flow
from tests.ui.html_tables import table_rows

STAGES = ["企业起草", "职工代表大会审议", "人社部门审核", "联合工作组介入", "待公布", "已公布", "实施中", "实施完毕"]


def at_review(app, api, world, content, days_ago: int = 0) -> int:
    """A steel plan waiting for the bureau's review since `days_ago` days (20 working days allowed)."""
    with time_machine.travel(datetime.now(UTC) - timedelta(days=days_ago), tick=True):
        plan = flow.create(api("clerk"), content)
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
    assert overview["唐山市"] == ["1", "0", "2", "0", "0", "0", "0", "0", "3"]
    assert overview["邢台市"] == ["1", "0", "0", "0", "0", "0", "0", "0", "1"]
    assert set(overview) == {"唐山市", "邢台市"}
    header = page.split('data-testid="region-overview"')[1].split("</thead>")[0]
    assert all(stage in header for stage in STAGES)

    other = home(browser("supervisor_other"))  # 邢台 only
    assert "督查范围：邢台市" in other
    assert {row[0]: row[1:] for row in table_rows(other, "region-overview")} == {
        "邢台市": ["1", "0", "0", "0", "0", "0", "0", "0", "1"]
    }


def test_reviews_past_their_deadline_are_listed_with_links(app, api, browser, world, complete_content):
    late = at_review(app, api, world, complete_content(world.steel, seed=1), days_ago=60)
    waiting = at_review(app, api, world, complete_content(world.steel, seed=2))
    supervisor = browser("supervisor")
    due = claim_due_timer(db.session, utcnow())
    assert due is not None
    assert due.id == late
    db.session.rollback()
    page = home(supervisor)  # due, but the timer job has not run yet
    overdue = table_rows(page, "overdue")
    assert len(overdue) == 1
    assert overdue[0][0].startswith("迁安钢铁职工安置方案")
    assert overdue[0][2] == "人社部门审核"
    assert overdue[0][5] == "已超期，待定时任务督办"
    assert f'href="/plans/{late}"' in page
    assert f'href="/audit?plan={late}"' in page

    run_plan_timers(db.session, get_engine(), db.session.get(Plan, late))  # the escalation, recorded in the trail
    db.session.commit()
    overdue = table_rows(home(supervisor), "overdue")
    assert [row[5].split()[0] for row in overdue] == ["已提请督查"]
    assert overdue[0][4] == "已到期"  # the timer fired: no pending deadline

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


def test_a_congress_vote_past_its_deadline_is_listed_too(app, api, browser, world, complete_content):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=60), tick=True):
        plan = flow.create(api("clerk"), complete_content(world.steel))
        flow.submit(api("clerk"), plan["id"])  # the congress has 15 working days: long gone
    run_plan_timers(db.session, get_engine(), db.session.get(Plan, plan["id"]))
    db.session.commit()
    [row] = table_rows(home(browser("supervisor")), "overdue")
    assert row[0].startswith("迁安钢铁职工安置方案")
    assert row[2] == "职工代表大会审议表决"
    assert row[5].split()[0] == "已提请督查"
    flow.vote(api("union"), plan["id"], plan["content_hash"])  # late: the review now runs in time
    assert 'data-testid="no-overdue"' in home(browser("supervisor"))


def test_an_escalation_from_an_earlier_review_round_does_not_count(app, api, browser, world, complete_content):
    late = at_review(app, api, world, complete_content(world.steel), days_ago=60)
    run_plan_timers(db.session, get_engine(), db.session.get(Plan, late))
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
