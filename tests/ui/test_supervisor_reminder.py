"""The supervisor's 催办: a button and message on the overdue list, its own page with earlier reminders, the
service's refusals shown on the form (nothing open: 409), and only a supervisor who sees the plan may send."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.execution.close import close_plan
from approvals.execution.ledger import ledger_of
from approvals.models import AuditEvent
from notifications.models import Notification
from tests import flow, stages
from tests.execution_support import complete, wages_for
from tests.ui.forms_support import actions, block, rules
from tests.ui.test_supervisor_home import at_review, home


def reminders(plan_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan_id,
                                                            AuditEvent.action == "plan.reminded")))  # fmt: skip


def reminded_users(plan_id: int) -> set[str]:
    rows = db.session.scalars(select(Notification).where(Notification.plan_id == plan_id,
                                                         Notification.kind == "supervisor_reminder"))  # fmt: skip
    return {n.user.username for n in rows}


def test_the_overdue_list_sends_a_reminder_to_the_reviewers_with_the_message(
    app, api, browser, world, complete_content
):
    late = at_review(app, api, world, complete_content(world.steel), days_ago=60)
    supervisor = browser("supervisor")
    page = home(supervisor)
    assert f'data-testid="remind-{late}"' in page  # the button on the plan's row
    form = block(page, f"remind-form-{late}")
    assert "请抓紧办理" in form
    response = supervisor.post(f"/plans/{late}/remind", {"message": "请于本周内完成审核并反馈。", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    (event,) = reminders(late)
    assert (event.actor_name, event.actor_role) == ("supervisor", "supervisor")
    assert event.summary == {"message": "请于本周内完成审核并反馈。", "roles": ["bureau"], "tasks": ["bureau_review"]}
    assert reminded_users(late) == {"reviewer", "province"}  # the bureaus whose region covers the plan
    assert "已向人社部门审核人催办" in home(supervisor)
    # The reviewer reads it in the notification centre.
    centre = browser("reviewer").get("/notifications").get_data(as_text=True)
    assert "请于本周内完成审核并反馈。" in centre
    # Its page lists the earlier reminders.
    assert "请于本周内完成审核并反馈。" in block(
        supervisor.get(f"/plans/{late}/remind").get_data(as_text=True), "earlier"
    )


def test_an_empty_message_is_refused_beside_the_field(api, browser, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    supervisor = browser("supervisor")
    page = supervisor.get(f"/plans/{plan['id']}/remind").get_data(as_text=True)
    assert "起草安置方案（企业经办人）" in block(page, "open-tasks")
    response = supervisor.post(f"/plans/{plan['id']}/remind", {"message": "   "})
    assert response.status_code == 422
    assert "length_1_500" in rules(response.get_data(as_text=True), "error-message")
    too_long = supervisor.post(f"/plans/{plan['id']}/remind", {"message": "催" * 501})
    assert too_long.status_code == 422
    assert "催" * 501 in too_long.get_data(as_text=True)  # kept as typed
    assert reminders(plan["id"]) == []


def test_a_plan_with_nothing_open_answers_the_409_message_and_keeps_the_message(api, browser, world, complete_content):
    # A plan carried out (实施完毕): its process has ended, nothing is open.
    executing = stages.plan_at(db.session, get_engine(), world, "executing", firm="steel")
    today = date.today()
    wages_for(db.session, "130200", (today - timedelta(days=10)).year - 1)  # the year before the end
    clerk = world.actor("clerk")
    for row in ledger_of(db.session, executing, today).rows:
        complete(db.session, clerk, executing, row.worker, today - timedelta(days=10), today)
    assert close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=today) == []
    db.session.commit()
    plan = {"id": executing.id}
    supervisor = browser("supervisor")
    assert "方案当前没有待办事项" in block(
        supervisor.get(f"/plans/{plan['id']}/remind").get_data(as_text=True), "open-tasks"
    )
    events = actions(plan["id"])
    response = supervisor.post(f"/plans/{plan['id']}/remind", {"message": "请尽快实施。"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "实施完毕" in block(page, "problems")
    assert "没有待办事项，无需催办" in block(page, "problems")
    assert "nothing_to_remind" in rules(page, "problems")
    assert "请尽快实施。" in page
    assert actions(plan["id"]) == events


def test_only_a_supervisor_who_sees_the_plan_may_remind(api, browser, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    reviewer = browser("reviewer")
    assert reviewer.get(f"/plans/{plan['id']}/remind").status_code == 403
    response = reviewer.post(f"/plans/{plan['id']}/remind", {"message": "催一下"})
    assert response.status_code == 403
    assert "催办须由" in response.get_data(as_text=True)
    other = browser("supervisor_other")  # 邢台: does not see a 唐山 plan
    assert other.get(f"/plans/{plan['id']}/remind").status_code == 404
    assert reminders(plan["id"]) == []


def test_a_reminder_without_the_csrf_token_is_refused(api, browser, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    response = browser("supervisor").post(f"/plans/{plan['id']}/remind", {"message": "请抓紧"}, csrf=False)
    assert response.status_code == 400
    assert reminders(plan["id"]) == []
