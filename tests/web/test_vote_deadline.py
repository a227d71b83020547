"""The congress vote deadline in working days (VOTE_DEADLINE_WORKING_DAYS), its reminder to the union
and its escalation to the supervisor, through the process; an invalid session starts a new period."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db
from app.worker import run_pass
from approvals.actor import SYSTEM
from approvals.models import AuditEvent, HumanTask
from notifications import contacts
from tests import flow
from tests.web.test_deadlines import cst, payloads, received


def vote_task(plan_id: int) -> HumanTask:
    db.session.expire_all()
    return db.session.scalars(
        select(HumanTask).where(
            HumanTask.plan_id == plan_id, HumanTask.bpmn_id == "congress_vote", HumanTask.completed_at.is_(None)
        )  # fmt: skip
    ).one()


def at_congress(api, world, complete_content, moment: datetime) -> dict:  # type: ignore[no-untyped-def]
    """A plan submitted at `moment`: the congress vote starts then."""
    with time_machine.travel(moment, tick=False):
        clerk = api("clerk")
        plan = flow.create(clerk, complete_content(world.steel))
        flow.submit(clerk, plan["id"])
    return plan


def test_the_vote_deadline_is_fifteen_working_days_across_the_spring_festival(api, world, complete_content):
    plan = at_congress(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    task = vote_task(plan["id"])
    # From Tuesday 2月10日: 11, 12, 13, 14 (make-up Saturday), the holiday 15–23, then 24 … 28 (make-up
    # Saturday), 3月2日–6日 and Monday 3月9日, the 15th: due at 00:00 CST on 3月10日.
    assert abs(task.due_at - datetime(2026, 3, 9, 16, 0)) < timedelta(seconds=1)
    assert task.remind_at == datetime(2026, 3, 4, 16, 0)  # 3月5日 00:00 CST: 5, 6 and 9 remain
    ready = [p for p in payloads("task_ready") if p["task"] == "congress_vote"]
    assert {(p["due_on"], p["due_provisional"]) for p in ready} == {("2026-03-09", False)}


def test_reminder_to_the_union_then_escalation_each_once_and_the_vote_stays_open(app, api, world, complete_content):
    plan = at_congress(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 5, 0, 0, 30), tick=False):
        assert run_pass(app).reminders == 1
        assert run_pass(app).reminders == 0
    assert received("deadline_near") == [("union", "union")]
    assert {(p["task"], p["due_on"], p["working_days_left"]) for p in payloads("deadline_near")} == {
        ("congress_vote", "2026-03-09", 3)
    }
    with time_machine.travel(cst(2026, 3, 9, 23, 59), tick=False):
        assert run_pass(app).timers == 0
    with time_machine.travel(cst(2026, 3, 10, 0, 0, 1), tick=False):
        assert run_pass(app).timers == 1
        assert run_pass(app).timers == 0  # fired once
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan["id"])).all()
    assert actions.count("congress.vote_escalated") == 1
    assert received("vote_overdue") == [("clerk", "enterprise"), ("supervisor", "supervisor"), ("union", "union")]
    assert payloads("vote_overdue")[0]["due_on"] == "2026-03-09"
    assert received("review_overdue") == []
    with time_machine.travel(cst(2026, 3, 10, 9, 0), tick=False):
        [told] = [n for n in api("supervisor").get("/notifications").json["items"] if n["kind"] == "vote_overdue"]
        contacts.set_contact(db.session, actor=SYSTEM, user=world.users["union"], language="en")
        db.session.commit()
        [english] = [n for n in api("union").get("/notifications").json["items"] if n["kind"] == "vote_overdue"]
    assert told["title"] == f"【超期】《{plan['title']}》职工代表大会表决已超过期限"
    assert "已超过表决期限（2026年3月9日），已提请督查人员督办" in told["message"]
    assert english["title"] == f'[Overdue] The workers\' congress vote on "{plan["title"]}" is past its deadline'
    assert "by its deadline (9 March 2026)" in english["message"]
    with time_machine.travel(cst(2026, 3, 11, 9, 0), tick=False):
        assert flow.open_task_ids(flow.plan(api("clerk"), plan["id"])) == ["congress_vote"]
        flow.vote(api("union"), plan["id"], plan["content_hash"])  # late, but still recorded
        assert flow.open_task_ids(flow.plan(api("clerk"), plan["id"])) == ["bureau_review"]


def test_an_invalid_session_gives_the_new_one_a_new_period(api, world, complete_content):
    plan = at_congress(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 3, 15, 0), tick=False):
        flow.vote(api("union"), plan["id"], plan["content_hash"], present=70, yes=60, no=5, abstain=5)  # < 2/3
    # 15 working days after Tuesday 3月3日: Tuesday 3月24日.
    assert abs(vote_task(plan["id"]).due_at - datetime(2026, 3, 24, 16, 0)) < timedelta(seconds=1)


def test_the_vote_period_is_configurable(app, api, world, complete_content, monkeypatch):
    monkeypatch.setitem(app.config, "VOTE_DEADLINE_WORKING_DAYS", 5)
    plan = at_congress(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    # 11, 12, 13, 14 (make-up Saturday), then 24 February after the holiday.
    assert abs(vote_task(plan["id"]).due_at - datetime(2026, 2, 24, 16, 0)) < timedelta(seconds=1)
