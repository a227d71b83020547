"""The review deadline in working days, its reminder and its escalation, through the process.

The clock is moved with time-machine (the engine's timers read it too); the dates are real holiday
arrangements (tests/approvals/test_workdays.py lists them).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import select

from app.extensions import db
from app.worker import run_pass
from approvals.models import AuditEvent, HumanTask
from notifications.models import Notification
from tests import flow

CST = timezone(timedelta(hours=8))


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


def received(kind: str) -> list[tuple[str, str]]:
    """(username, role) of every notification of that kind, in order."""
    rows = db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id))
    return sorted((n.user.username, n.role) for n in rows)


def payloads(kind: str) -> list[dict]:
    return [n.payload for n in db.session.scalars(select(Notification).where(Notification.kind == kind))]


def review_task(plan_id: int) -> HumanTask:
    db.session.expire_all()
    return db.session.scalars(
        select(HumanTask).where(HumanTask.plan_id == plan_id, HumanTask.bpmn_id == "bureau_review")
    ).one()


def at_review(api, world, complete_content, moment: datetime) -> int:
    """A plan voted through at `moment`, so its review starts then."""
    with time_machine.travel(moment, tick=False):
        clerk = api("clerk")
        p = flow.create(clerk, complete_content(world.steel))
        flow.submit(clerk, p["id"])
        flow.vote(api("union"), p["id"], p["content_hash"])
    return p["id"]


def test_the_review_deadline_is_twenty_working_days_across_the_spring_festival(api, world, complete_content):
    plan_id = at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    task = review_task(plan_id)
    # 20 working days after Tuesday 2月10日 end with Monday 3月16日 (make-up Saturdays 2月14日 and
    # 2月28日 count, 2月15日–23日 do not): due at 00:00 CST on 3月17日.
    assert abs(task.due_at - datetime(2026, 3, 16, 16, 0)) < timedelta(seconds=1)
    assert task.remind_at == datetime(2026, 3, 11, 16, 0)  # 3月12日 00:00 CST: 12, 13 and 16 remain
    with time_machine.travel(cst(2026, 2, 10, 11, 0), tick=False):
        tasks = api("reviewer").get("/tasks").json["items"]
    assert [t["task"] for t in tasks] == ["bureau_review"]
    assert tasks[0]["due_at"].startswith("2026-03-16T16:00:00")
    assert received("task_ready") == [("province", "bureau"), ("reviewer", "bureau"), ("union", "union")]
    bureau = [p for p in payloads("task_ready") if p["task"] == "bureau_review"]
    assert {(p["due_on"], p["due_provisional"]) for p in bureau} == {("2026-03-16", False)}


def test_reminder_three_working_days_before_then_escalation_each_once(app, api, world, complete_content):
    plan_id = at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 11, 23, 59), tick=False):
        assert run_pass(app).busy is False
    with time_machine.travel(cst(2026, 3, 12, 0, 0, 30), tick=False):
        assert run_pass(app).reminders == 1
        assert run_pass(app).reminders == 0  # sent once
    assert received("deadline_near") == [("province", "bureau"), ("reviewer", "bureau")]
    assert {(p["due_on"], p["working_days_left"]) for p in payloads("deadline_near")} == {("2026-03-16", 3)}
    with time_machine.travel(cst(2026, 3, 16, 23, 59), tick=False):
        assert run_pass(app).timers == 0
    assert received("review_overdue") == []
    with time_machine.travel(cst(2026, 3, 17, 0, 0, 1), tick=False):
        assert run_pass(app).timers == 1
        assert run_pass(app).timers == 0  # fired once
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id)).all()
    assert actions.count("review.escalated") == 1
    assert received("review_overdue") == [("province", "bureau"), ("reviewer", "bureau"), ("supervisor", "supervisor")]
    assert payloads("review_overdue")[0]["due_on"] == "2026-03-16"
    with time_machine.travel(cst(2026, 3, 17, 9, 0), tick=False):
        body = flow.plan(api("clerk"), plan_id)
        assert flow.open_task_ids(body) == ["bureau_review"]  # the review stays open
        flow.review(api("reviewer"), plan_id, "approve")


def test_a_plan_resubmitted_unchanged_starts_its_review_at_submission_across_national_day(api, world, complete_content):
    plan_id = at_review(api, world, complete_content, cst(2025, 9, 1, 10, 0))
    with time_machine.travel(cst(2025, 9, 26, 9, 0), tick=False):
        flow.review(api("reviewer"), plan_id, "return", "请补充说明。")
        submitted = flow.submit(api("clerk"), plan_id)
    assert submitted["vote_skipped"] is True
    task = db.session.scalars(
        select(HumanTask).where(
            HumanTask.plan_id == plan_id, HumanTask.bpmn_id == "bureau_review", HumanTask.completed_at.is_(None)
        )
    ).one()
    # From Friday 9月26日: 9月28日 (make-up Sunday), 29, 30, eight days off, then 10月9日–11日 (the 11th
    # a make-up Saturday) …: the 20th working day is Thursday 10月30日.
    assert abs(task.due_at - datetime(2025, 10, 30, 16, 0)) < timedelta(seconds=1)
    assert task.remind_at == datetime(2025, 10, 27, 16, 0)  # 10月28日 00:00 CST


def test_the_review_period_is_configurable(app, api, world, complete_content, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEW_DEADLINE_WORKING_DAYS", 5)
    plan_id = at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    # 11, 12, 13, 14 (make-up Saturday), then 24 February after the holiday.
    assert abs(review_task(plan_id).due_at - datetime(2026, 2, 24, 16, 0)) < timedelta(seconds=1)


def test_a_worker_back_after_the_deadline_escalates_without_a_late_reminder(app, api, world, complete_content):
    plan_id = at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 20, 9, 0), tick=False):
        done = run_pass(app)
    assert (done.timers, done.reminders) == (1, 0)
    assert received("deadline_near") == []
    assert review_task(plan_id).reminded_at is not None  # and never again


def test_a_review_finished_in_time_has_no_reminder_and_no_escalation(app, api, world, complete_content):
    plan_id = at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 2, 10, 0), tick=False):
        flow.review(api("reviewer"), plan_id, "approve")
    with time_machine.travel(cst(2026, 4, 1, 10, 0), tick=False):
        assert run_pass(app).busy is False
    assert received("deadline_near") == []
    assert received("review_overdue") == []


def test_flask_worker_once_runs_one_pass(app, api, world, complete_content):
    at_review(api, world, complete_content, cst(2026, 2, 10, 10, 0))
    with time_machine.travel(cst(2026, 3, 20, 9, 0), tick=False):
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "到期定时器 1 个" in result.output
    assert received("review_overdue") != []
