"""A firm known to be high-risk before review (zombie flag, arrears, mass layoff: approvals/rules/risk.py) has its
covering working group involved while the plan is drafted (冀人社发〔2018〕38号 §六: the group helps the enterprise
draw up the plan), and the gate's group condition unmet from the start; only the group's clearance after the
review meets it."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from app.extensions import db
from approvals.actor import SYSTEM
from approvals.models import AuditEvent, WorkingGroupAdvice
from approvals.services import accounts
from notifications.models import Notification
from tests import flow
from tests.conftest import reload


def actions(plan_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id)
                                   .order_by(AuditEvent.id)))  # fmt: skip


def gate_of(api, plan_id: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {c["key"]: c for c in flow.plan(api("clerk_zombie"), plan_id)["gate"]}


def test_a_zombie_firms_draft_is_open_to_the_covering_group_from_creation(api, world, complete_content):
    plan = flow.create(api("clerk_zombie"), complete_content(world.zombie), title="峰峰煤业职工安置方案")
    saved = reload(plan["id"])
    assert (saved.status, saved.working_group_id) == ("drafting", world.group.id)  # 省联合工作组 covers 峰峰
    assert "working_group.involved" in actions(plan["id"])
    told = db.session.scalars(select(Notification).where(Notification.user_id == world.users["wg"].id)).all()
    assert [n.kind for n in told] == ["working_group_involved"]
    assert api("wg").get(f"/plans/{plan['id']}").status_code == 200
    assert api("wg_other").get(f"/plans/{plan['id']}").status_code == 404  # 邢台's group does not cover 峰峰
    group = gate_of(api, plan["id"])["working_group_cleared"]
    assert group["met"] is False
    assert "已知高风险企业（拟出清的僵尸企业）" in group["reason"]


def test_an_ordinary_firms_draft_stays_closed_to_the_group(api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    assert reload(plan["id"]).working_group_id is None
    assert api("wg").get(f"/plans/{plan['id']}").status_code == 404
    assert gate_of_steel(api, plan["id"])["working_group_cleared"]["met"] is True


def gate_of_steel(api, plan_id: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {c["key"]: c for c in flow.plan(api("clerk"), plan_id)["gate"]}


def test_arrears_entered_while_drafting_involve_the_group(api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    arrears = {"wages": 52000, "social_insurance": 8000, "settlement": "以企业自有资金于解除前一次性清偿。"}
    assert clerk.patch(f"/plans/{plan['id']}", json={"content": {"arrears": arrears}}).status_code == 200
    assert reload(plan["id"]).working_group_id == world.group.id
    assert "拖欠工资和社会保险费60000元" in gate_of_steel(api, plan["id"])["working_group_cleared"]["reason"]


def test_a_mass_layoff_is_assessed_high_risk_and_goes_to_the_group(api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel, workers=120))  # 20 terminations: Art 41
    assert reload(plan["id"]).working_group_id == world.group.id
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    approved = flow.review(api("reviewer"), plan["id"], "approve")
    assert (approved["status"], approved["risk_level"]) == ("working_group", "high")
    assert reload(plan["id"]).risk_reason == "经济性裁员（劳动合同法第四十一条）"


def test_setting_the_zombie_flag_involves_the_group_in_the_open_drafts(api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    steel = world.steel
    accounts.update_enterprise(db.session, actor=SYSTEM, enterprise=steel, name=steel.name, uscc=steel.uscc,
                               industry=steel.industry, region_code=steel.region_code, headcount=steel.headcount,
                               zombie=True, parent_group=steel.parent_group)  # fmt: skip
    db.session.commit()
    assert reload(plan["id"]).working_group_id == world.group.id
    assert api("wg").get(f"/plans/{plan['id']}").status_code == 200


def test_the_group_advises_on_the_draft_and_the_clerk_reads_it(browser, api, world, complete_content):
    plan = flow.create(api("clerk_zombie"), complete_content(world.zombie), title="峰峰煤业职工安置方案")
    wg = browser("wg")
    home = wg.get("/").get_data(as_text=True)
    assert f"/plans/{plan['id']}/working-group/advice" in home  # 参与制定, from the group's list
    page = wg.get(f"/plans/{plan['id']}/working-group/advice").get_data(as_text=True)
    assert "已知高风险企业：拟出清的僵尸企业" in page
    assert 'data-testid="advice-form"' in page
    empty = wg.post(f"/plans/{plan['id']}/working-group/advice", {"advice": "   "})
    assert empty.status_code == 422
    assert "须填写工作组的意见或建议" in empty.get_data(as_text=True)
    advice = "建议补充井下特殊工种职工的提前退休安排，并明确稳岗补贴的使用。"
    assert wg.post(f"/plans/{plan['id']}/working-group/advice", {"advice": advice}).status_code == 302
    record = db.session.scalars(select(WorkingGroupAdvice)).one()
    assert (record.advice, record.working_group_id, record.content_hash) == (
        advice, world.group.id, reload(plan["id"]).content_hash)  # fmt: skip
    assert actions(plan["id"])[-1] == "working_group.advised"
    told = db.session.scalars(select(Notification.kind).where(
        Notification.user_id == world.users["clerk_zombie"].id)).all()  # fmt: skip
    assert "working_group_advised" in told
    draft = unescape(browser("clerk_zombie").get(f"/plans/{plan['id']}/draft").get_data(as_text=True))
    panel = draft.split('data-testid="wg-advice"', 1)[1]
    assert advice in panel
    assert "拟出清的僵尸企业" in panel
    # Advice clears nothing: the group condition waits for the decision after the review.
    assert gate_of(api, plan["id"])["working_group_cleared"]["met"] is False


def test_advice_is_for_the_group_and_for_drafting_only(browser, api, world, complete_content):
    clerk = api("clerk_zombie")
    plan = flow.create(clerk, complete_content(world.zombie), title="峰峰煤业职工安置方案")
    assert browser("clerk_zombie").post(f"/plans/{plan['id']}/working-group/advice", {"advice": "x"}).status_code == 403
    assert browser("wg_other").get(f"/plans/{plan['id']}/working-group/advice").status_code == 404
    flow.submit(clerk, plan["id"])
    late = browser("wg").post(f"/plans/{plan['id']}/working-group/advice", {"advice": "补充意见"})
    assert late.status_code == 409
    assert "企业起草阶段记录" in late.get_data(as_text=True)
    assert db.session.scalars(select(WorkingGroupAdvice)).first() is None


def test_only_the_groups_clearance_after_review_meets_the_condition(api, world, complete_content):
    clerk = api("clerk_zombie")
    plan = flow.create(clerk, complete_content(world.zombie), title="峰峰煤业职工安置方案")
    flow.submit(clerk, plan["id"])
    flow.vote(api("union_zombie"), plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    assert flow.review(api("province"), plan["id"], "approve")["status"] == "working_group"
    assert gate_of(api, plan["id"])["working_group_cleared"]["met"] is False
    flow.working_group(api("wg"), plan["id"])
    assert gate_of(api, plan["id"])["working_group_cleared"]["met"] is True
