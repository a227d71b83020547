"""Notifications: who hears of each event, the in-app centre over the API, and the 催办.

Every event writes one row per user it is for, in the transaction of the event (a refused action
writes none); the users are those whose grant of the event's roles reaches the plan.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.extensions import db
from approvals.actor import SYSTEM
from approvals.db import utcnow
from approvals.models import AuditEvent, HumanTask, Role
from approvals.services import accounts
from approvals.signals import objection_received
from notifications import contacts
from notifications.models import Notification
from tests import flow
from tests.conftest import reload


def heard(since: int = 0) -> set[tuple[str, str]]:
    """(kind, username) of the notifications after id `since`."""
    rows = db.session.scalars(select(Notification).where(Notification.id > since))
    return {(n.kind, n.user.username) for n in rows}


def last_id() -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def test_each_step_tells_the_people_whose_turn_it_is(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    assert heard() == set()  # drafting one's own plan is news to no one
    mark = last_id()
    flow.submit(clerk, p["id"])
    assert heard(mark) == {("task_ready", "union")}  # not union_small, another enterprise's
    mark = last_id()
    flow.vote(union, p["id"], p["content_hash"])
    # The bureaus whose region covers 迁安 (唐山 and the province), not 邯郸's.
    assert heard(mark) == {("vote_recorded", "clerk"), ("task_ready", "reviewer"), ("task_ready", "province")}
    mark = last_id()
    flow.review(reviewer, p["id"], "return", "请补充协议。")
    assert heard(mark) == {("plan_returned", "clerk")}
    returned = db.session.scalars(select(Notification).where(Notification.kind == "plan_returned")).one()
    assert (returned.payload["reasons"], returned.payload["by"], returned.role) == (
        "请补充协议。",
        "bureau",
        "enterprise",
    )
    mark = last_id()
    assert flow.submit(clerk, p["id"])["vote_skipped"] is True
    assert heard(mark) == {("task_ready", "reviewer"), ("task_ready", "province")}
    mark = last_id()
    flow.review(reviewer, p["id"], "approve")
    assert heard(mark) == {("task_ready", "clerk")}  # publish_plan
    mark = last_id()
    flow.publish(clerk, p["id"])
    assert heard(mark) == {("plan_published", u) for u in ("union", "reviewer", "province", "supervisor")}


def test_a_high_risk_plan_reaches_its_working_group_and_comes_back(api, world, complete_content):
    clerk, province = api("clerk_zombie"), api("province")
    p = flow.create(clerk, complete_content(world.zombie))
    flow.submit(clerk, p["id"])
    flow.vote(api("union_zombie"), p["id"], p["content_hash"])
    mark = last_id()
    flow.review(province, p["id"], "approve")
    assert heard(mark) == {("task_ready", "wg")}  # the group assigned by the review, not 邢台's
    mark = last_id()
    flow.working_group(api("wg"), p["id"], decision="revise")
    assert heard(mark) == {("plan_returned", "clerk_zombie")}
    payload = db.session.scalars(select(Notification.payload).where(Notification.id > mark)).one()
    assert payload["by"] == "working_group"
    assert payload["reasons"] == "已核实安置渠道和资金来源。"


def test_a_vote_voted_down_or_invalid_tells_the_enterprise(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    mark = last_id()
    flow.vote(union, p["id"], p["content_hash"], present=79, yes=79, no=0, abstain=0)
    assert heard(mark) == {("vote_recorded", "clerk")}  # the union itself holds the new session
    mark = last_id()
    flow.vote(union, p["id"], p["content_hash"], yes=60, no=35, abstain=5)
    assert heard(mark) == {("vote_recorded", "clerk")}
    results = db.session.scalars(select(Notification.payload).where(Notification.kind == "vote_recorded")).all()
    assert [(r["result"], r["yes"], r["total"]) for r in results] == [("invalid", 79, 120), ("rejected", 60, 120)]


def test_a_refused_action_writes_no_notification(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    before = last_id()
    flow.vote(union, p["id"], p["content_hash"], present=130, status=422)
    assert last_id() == before


def test_one_row_per_user_and_none_for_an_inactive_user(api, world, complete_content):
    accounts.grant_role(db.session, actor=SYSTEM, user=world.users["province"], role=Role.SUPERVISOR,
                        region_code="130000")  # fmt: skip
    world.users["supervisor"].active = False
    db.session.commit()
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    flow.review(api("reviewer"), p["id"], "approve")
    mark = last_id()
    flow.publish(clerk, p["id"])
    rows = db.session.scalars(select(Notification).where(Notification.id > mark)).all()
    assert sorted(n.user.username for n in rows) == ["province", "reviewer", "union"]
    assert {n.role for n in rows if n.user.username == "province"} == {"bureau"}


def test_objection_received_reaches_the_enterprise_and_the_bureau(world, engine):
    from approvals.demo import create_complete_plan

    plan = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title="异议")
    db.session.commit()
    mark = last_id()
    objection_received(plan, session=db.session, objection_id=42, received_at="2026-03-02T09:30:00", on_roster=False)
    db.session.commit()
    assert heard(mark) == {("objection_received", u) for u in ("clerk", "reviewer", "province")}
    payload = db.session.scalars(select(Notification.payload).where(Notification.id > mark)).first()
    assert payload["objection_id"] == 42
    assert payload["title"] == "异议"


# ---------------------------------------------------------------------------------------------
# The 催办
# ---------------------------------------------------------------------------------------------


def at_review(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    return p


def test_a_supervisor_reminds_whoever_holds_the_open_task(api, world, complete_content):
    p = at_review(api, world, complete_content)
    mark = last_id()
    response = api("supervisor").post(f"/plans/{p['id']}/reminders", json={"message": "请于本周内完成审核。"})
    assert response.status_code == 201, response.json
    assert response.json == {"plan_id": p["id"], "roles": ["bureau"], "tasks": ["bureau_review"],
                             "message": "请于本周内完成审核。"}  # fmt: skip
    assert heard(mark) == {("supervisor_reminder", "reviewer"), ("supervisor_reminder", "province")}
    payload = db.session.scalars(select(Notification.payload).where(Notification.id > mark)).first()
    assert payload["sender"] == "supervisor"
    assert payload["tasks"][0]["task"] == "bureau_review"
    assert payload["tasks"][0]["due_on"]  # the review's deadline travels with the reminder
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.reminded")).one()
    assert (event.actor_name, event.actor_role, event.plan_id) == ("supervisor", "supervisor", p["id"])
    assert event.summary == {"message": "请于本周内完成审核。", "roles": ["bureau"], "tasks": ["bureau_review"]}


def test_a_reminder_needs_a_message_and_an_open_task(api, world, complete_content):
    p = at_review(api, world, complete_content)
    supervisor = api("supervisor")
    for message in ("", "   ", "催" * 501):
        response = supervisor.post(f"/plans/{p['id']}/reminders", json={"message": message})
        assert response.status_code == 422
        assert response.json["details"][0]["field"] == "message"
    flow.review(api("reviewer"), p["id"], "approve")
    flow.publish(api("clerk"), p["id"])
    # Published, the plan waits for the enterprise to carry it out (carry_out_plan): a reminder goes there.
    carried = supervisor.post(f"/plans/{p['id']}/reminders", json={"message": "请尽快组织实施。"})
    assert carried.status_code == 201, carried.json
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.reminded")).one()
    assert event.summary["tasks"] == ["carry_out_plan"]
    # A plan whose process has ended has nothing to remind of.
    db.session.execute(update(HumanTask).where(HumanTask.plan_id == p["id"]).values(completed_at=utcnow()))
    db.session.commit()
    done = supervisor.post(f"/plans/{p['id']}/reminders", json={"message": "请尽快办理。"})
    assert done.status_code == 409
    assert done.json["error"] == "nothing_to_remind"
    assert "已公布" in done.json["message"]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "plan.reminded")) == 1
    assert reload(p["id"]).status == "published"


# ---------------------------------------------------------------------------------------------
# The in-app centre
# ---------------------------------------------------------------------------------------------


def walk_to_published(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    flow.review(api("reviewer"), p["id"], "return", "请补充内部退养协议。")
    flow.submit(clerk, p["id"])
    flow.review(api("reviewer"), p["id"], "approve")
    return p


def test_the_centre_lists_my_notifications_newest_first_in_chinese(api, world, complete_content):
    p = walk_to_published(api, world, complete_content)
    clerk = api("clerk")
    body = clerk.get("/notifications").json
    assert [i["kind"] for i in body["items"]] == ["task_ready", "plan_returned", "vote_recorded"]
    assert (body["total"], body["unread"]) == (3, 3)
    first = body["items"][0]
    assert first["title"] == "【待办】公布实施方案：《迁安钢铁职工安置方案》"
    assert first["message"] == "方案《迁安钢铁职工安置方案》等待您办理“公布实施方案”。"
    assert (first["plan_id"], first["role"], first["read"], first["data"]["task"]) == (p["id"], "enterprise", False,
                                                                                          "publish_plan")  # fmt: skip
    returned = body["items"][1]
    assert returned["message"] == "方案《迁安钢铁职工安置方案》已被人社部门退回修改，理由：请补充内部退养协议。"
    assert clerk.get("/notifications/unread-count").json == {"unread": 3}
    # The union sees only its own.
    assert [i["kind"] for i in api("union").get("/notifications").json["items"]] == ["task_ready"]


def test_marking_read_one_and_all(api, world, complete_content):
    walk_to_published(api, world, complete_content)
    clerk = api("clerk")
    items = clerk.get("/notifications").json["items"]
    one = clerk.post(f"/notifications/{items[1]['id']}/read")
    assert one.status_code == 200
    assert one.json["read"] is True
    assert one.json["read_at"]
    again = clerk.post(f"/notifications/{items[1]['id']}/read")
    assert again.json["read_at"] == one.json["read_at"]  # unchanged
    assert clerk.get("/notifications/unread-count").json == {"unread": 2}
    unread = clerk.get("/notifications?unread=1").json
    assert [i["id"] for i in unread["items"]] == [items[0]["id"], items[2]["id"]]
    assert (unread["total"], unread["unread"]) == (2, 2)
    page = clerk.get("/notifications?per_page=1&page=2").json
    assert ([i["id"] for i in page["items"]], page["total"], page["per_page"]) == ([items[1]["id"]], 3, 1)
    assert clerk.post("/notifications/read-all").json == {"marked": 2, "unread": 0}
    assert clerk.post("/notifications/read-all").json == {"marked": 0, "unread": 0}


def test_another_users_notification_is_404_and_stays_unread(api, world, complete_content):
    walk_to_published(api, world, complete_content)
    theirs = db.session.scalars(select(Notification).where(Notification.user_id == world.users["union"].id)).first()
    seen = theirs.read_at  # the union's vote is done: its notice was marked then (notifications.connect)
    response = api("clerk").post(f"/notifications/{theirs.id}/read")
    assert response.status_code == 404
    assert response.json["error"] == "notification_not_found"
    assert api("clerk").post("/notifications/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at == seen
    api("clerk").post("/notifications/read-all")
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at == seen


def test_a_user_who_reads_english_gets_english(api, world, complete_content):
    contacts.set_contact(db.session, actor=SYSTEM, user=world.users["clerk"], language="en")
    db.session.commit()
    walk_to_published(api, world, complete_content)
    items = api("clerk").get("/notifications").json["items"]
    assert items[0]["title"] == '[Action needed] Publish the plan: "迁安钢铁职工安置方案"'
    assert items[1]["message"] == ('The plan "迁安钢铁职工安置方案" was returned by the labour bureau. '
                                   "Reasons: 请补充内部退养协议。")  # fmt: skip
    assert items[2]["message"].startswith("The workers' congress vote on")
    assert api("union").get("/notifications").json["items"][0]["title"].startswith("【待办】")


def test_an_open_vote_is_told_as_void_for_its_own_reason_not_for_a_missing_quorum(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    mark = last_id()
    flow.vote(union, p["id"], p["content_hash"], secret_ballot=False)  # a show of hands: void (民主管理规定 Art 20)
    assert heard(mark) == {("vote_recorded", "clerk")}
    told = clerk.get("/notifications").json["items"][0]
    assert "未采用无记名投票，表决无效" in told["title"]
    assert "到会人数不足" not in told["title"] + told["message"]


def test_an_english_mail_says_roles_tasks_outcomes_and_periods_in_the_interfaces_words():
    """One catalogue: what a mail calls a role, a task, a vote's outcome and a legal period is what the pages
    call it in English (app/translations), not a dictionary of the notifications' own."""
    from babel.messages.pofile import read_po

    from approvals.execution.deadlines import PERIODS
    from approvals.models import ROLE_LABELS
    from approvals.rules.congress import RESULT_LABELS
    from notifications.messages import CATALOGUE, render

    with (CATALOGUE / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        english = {m.id: m.string for m in read_po(po) if isinstance(m.id, str)}
    plan = {"title": "迁安钢铁职工安置方案", "enterprise": "迁安钢铁"}
    vote = render("vote_recorded", {**plan, "result": "invalid", "reason": "open_vote", "yes": 80, "total": 120,
                                    "held_on": "2026-12-08"}, language="en", user_name="张三", role="bureau",
                  plan_id=1)  # fmt: skip
    assert english[RESULT_LABELS["open_vote"]] in vote.subject
    assert f"({english[ROLE_LABELS[Role.BUREAU]]})" in vote.body
    assert "8 December 2026" in vote.body
    task = render("task_ready", {**plan, "task": "bureau_review", "task_title": "人社部门审核"}, language="en",
                  user_name="张三", role="bureau", plan_id=1)  # fmt: skip
    assert english["人社部门审核"] in task.subject
    period = PERIODS[2]
    overdue = render("execution_overdue", {**plan, "row": 3, "name": "李四", "items": [
        {"key": period.key, "label": period.label, "due_on": "2026-12-01", "days": 1, "source": period.source}]},
        language="en", user_name="张三", role="enterprise", plan_id=1)  # fmt: skip
    assert f"({english[period.source]}), 1 day overdue: {english[period.label]}" in overdue.body
    chinese = render("execution_overdue", {**plan, "row": 3, "name": "李四", "items": [
        {"key": period.key, "label": period.label, "due_on": "2026-12-01", "days": 1, "source": period.source}]},
        language="zh_CN", user_name="张三", role="enterprise", plan_id=1)  # fmt: skip
    assert f"{period.label}：应于2026年12月1日前办理（{period.source}）" in chinese.body
