"""The working group's home section and its form: forming the group and deciding, at once or in
two steps, with every refusal shown on the row or field it concerns."""

from __future__ import annotations

from html import unescape

import lxml.html
from sqlalchemy import select

from app.extensions import db
from approvals.demo import WG_MEMBERS
from approvals.models import AuditEvent, WorkingGroupRecord
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import ORIGIN, block, field_value, page_for
from tests.ui.reviewing import high_risk_plan, in_review


def member_rows(members: list[dict[str, str]]) -> dict[str, str]:
    return {f"members-{n}-{key}": value for n, m in enumerate(members) for key, value in m.items()}


def selected(html: str, name: str) -> str | None:
    """The value a select of the page sends back (its selected option)."""
    found = lxml.html.fromstring(html).xpath("//select[@name=$name]//option[@selected]/@value", name=name)
    return str(found[0]) if found else None


def checked(html: str, name: str) -> list[str]:
    return [str(v) for v in lxml.html.fromstring(html).xpath("//input[@name=$name][@checked]/@value", name=name)]


def actions(plan_id: int) -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id).order_by(AuditEvent.id))
    )


def test_the_home_page_lists_the_groups_plans_with_their_stage(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    in_review(api, world, complete_content, "steel")  # not the group's
    page = browser("wg").get("/").get_data(as_text=True)
    section = page.split('data-testid="working-group-plans"', 1)[1]
    assert f'data-plan-id="{plan["id"]}"' in section
    assert section.count("data-plan-id") == 1
    assert "峰峰煤业" in section
    assert "拟出清的僵尸企业" in section
    assert "待组建工作组" in section
    assert f'href="/plans/{plan["id"]}/working-group"' in section
    other = browser("wg_other").get("/").get_data(as_text=True)
    assert "目前没有分配给本工作组的企业。" in other


def test_in_english_the_risk_reason_and_the_departments_read_in_english(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    wg.get("/lang/en")
    home = wg.get("/").get_data(as_text=True)
    assert "Zombie enterprise to be cleared" in home.split('data-testid="working-group-plans"', 1)[1]
    form = unescape(wg.get(f"/plans/{plan['id']}/working-group").get_data(as_text=True))
    assert "High risk: Zombie enterprise to be cleared" in form
    assert '<option selected value="发改">Development and reform</option>' in form  # the stored value stays Chinese
    assert "拟出清的僵尸企业" not in form


def test_forming_and_clearing_in_one_request_sends_the_plan_to_publication(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    form = wg.get(f"/plans/{plan['id']}/working-group").get_data(as_text=True)
    assert form.count('name="members-') == 3 * 7  # one row per department, the group company included
    response = wg.post(f"/plans/{plan['id']}/working-group", {
        **member_rows(WG_MEMBERS), "contact_point": "企业人力资源部", "findings": "安置渠道和资金来源已核实。",
        "decision": "cleared", "confirmed": "yes"})  # fmt: skip
    assert response.status_code == 302
    saved = reload(plan["id"])
    assert saved.status == "publication"
    assert saved.cleared_hash == saved.content_hash
    record = db.session.scalars(select(WorkingGroupRecord)).one()
    assert record.members == WG_MEMBERS
    assert record.contact_point == "企业人力资源部"
    assert record.decision == "cleared"
    assert actions(plan["id"])[-2:] == ["working_group.formed", "working_group.decided"]
    home = wg.get("/").get_data(as_text=True)
    assert "联合工作组已组建（7名成员，联系点：企业人力资源部）。工作组同意公布实施，方案转企业公布。" in home
    assert flow.gate(flow.plan(api("clerk_zombie"), plan["id"]))["working_group_cleared"]


def test_forming_first_then_sending_back_for_revision(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    blank_row = {"name": "", "department": "", "organisation": ""}
    response = wg.post(f"/plans/{plan['id']}/working-group",
                       {**member_rows([*WG_MEMBERS, blank_row]), "contact_point": "企业工会办公室"})  # fmt: skip
    assert response.status_code == 302
    assert reload(plan["id"]).status == "working_group"
    assert "请在协助企业完善方案后记录工作组意见和结论。" in wg.get("/").get_data(as_text=True)
    page = wg.get(f"/plans/{plan['id']}/working-group").get_data(as_text=True)
    assert 'data-testid="wg-record"' in page
    assert "企业工会办公室" in page
    assert "河北省总工会" in page
    assert 'name="members-' not in page
    refused = wg.post(f"/plans/{plan['id']}/working-group", {"findings": "资金缺口未落实。"})
    assert refused.status_code == 422
    assert "工作组已组建，须记录意见和结论。" in refused.get_data(as_text=True)
    assert "资金缺口未落实。" in refused.get_data(as_text=True)  # kept
    assert wg.post(f"/plans/{plan['id']}/working-group",
                   {"findings": "资金缺口未落实。", "decision": "revise", "confirmed": "yes"}).status_code == 302  # fmt: skip
    assert reload(plan["id"]).status == "drafting"
    assert db.session.scalars(select(WorkingGroupRecord.decision)).one() == "revise"


def test_the_decision_without_its_confirmation_is_refused_and_nothing_is_recorded(
    browser, api, world, complete_content
):
    """The group's decision cannot be undone (issue 12 §6): sent without the confirmation box it is refused
    with 422, the input kept, and neither the group nor its decision is recorded."""
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    events_before = actions(plan["id"])
    response = wg.post(f"/plans/{plan['id']}/working-group", {
        **member_rows(WG_MEMBERS), "contact_point": "企业人力资源部", "findings": "安置渠道已核实。",
        "decision": "cleared"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="error-confirmed"' in page
    assert "请勾选确认后再提交：此操作不能撤回。" in page
    assert field_value(page, "contact_point") == "企业人力资源部"
    assert checked(page, "decision") == ["cleared"]
    assert reload(plan["id"]).status == "working_group"
    assert db.session.scalars(select(WorkingGroupRecord)).all() == []
    assert actions(plan["id"]) == events_before
    # The box carries what each decision does, for the dialog.
    box = lxml.html.fromstring(page).xpath('//*[@data-testid="confirm-box"]')[0]
    assert box.get("data-confirm-by") == "decision"
    assert "方案转企业公布" in box.get("data-confirm-cleared")
    assert "方案退回企业起草修改" in box.get("data-confirm-revise")


def test_a_group_without_a_department_is_refused_on_the_row_and_keeps_the_input(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    members = [m for m in WG_MEMBERS if m["department"] != "安监"]
    members[1] = {**members[1], "name": ""}  # the second member without a name
    response = browser("wg").post(f"/plans/{plan['id']}/working-group", {
        **member_rows(members), "contact_point": "", "findings": "意见", "decision": "cleared", "confirmed": "yes"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "第2名成员缺少姓名。" in page
    assert "联合工作组须有安监的成员。" in page
    assert "须确定联系点。" in page
    assert "河北省发展和改革委员会" in page
    assert "赵某" in page
    assert reload(plan["id"]).status == "working_group"
    assert db.session.scalars(select(WorkingGroupRecord)).all() == []


def test_add_member_without_javascript_returns_one_more_row(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    response = browser("wg").post(f"/plans/{plan['id']}/working-group",
                                  {**member_rows(WG_MEMBERS[:2]), "add_member": "添加成员"})  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="members-2-name"' in page
    assert 'name="members-3-name"' not in page
    assert "钱某" in page
    assert reload(plan["id"]).status == "working_group"


def test_another_group_finds_no_such_plan_and_others_may_not_act(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    body = {**member_rows(WG_MEMBERS), "contact_point": "x", "findings": "y", "decision": "cleared",
            "confirmed": "yes"}  # fmt: skip
    assert browser("wg_other").get(f"/plans/{plan['id']}/working-group").status_code == 404
    assert browser("wg_other").post(f"/plans/{plan['id']}/working-group", body).status_code == 404
    assert browser("province").post(f"/plans/{plan['id']}/working-group", body).status_code == 403
    assert browser("wg").post(f"/plans/{plan['id']}/working-group", body, csrf=False).status_code == 400
    assert reload(plan["id"]).status == "working_group"


def test_the_second_visit_starts_from_the_first_ones_members_and_findings(browser, api, world, complete_content):
    """A plan the group sent back comes round again after the revision, the new vote and the new review
    (冀人社发〔2018〕38号 §六: the group helps refine the plan): its form starts from the last visit's members,
    contact point and findings, each still to change; the decision is taken afresh."""
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    first = {**member_rows(WG_MEMBERS), "contact_point": "企业人力资源部", "findings": "资金缺口未落实。",
             "decision": "revise", "confirmed": "yes"}  # fmt: skip
    assert wg.post(f"/plans/{plan['id']}/working-group", first).status_code == 302
    clerk = api("clerk_zombie")
    assert clerk.patch(f"/plans/{plan['id']}", json={"title": "峰峰煤业职工安置方案（修订）"}).status_code == 200
    flow.submit(clerk, plan["id"])
    flow.vote(api("union_zombie"), plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    assert flow.review(api("province"), plan["id"], "approve")["status"] == "working_group"
    page = wg.get(f"/plans/{plan['id']}/working-group").get_data(as_text=True)
    assert "这是工作组第2次办理本方案。" in block(page, "prefilled-from")
    assert "第1次办理" in block(page, "prefilled-from")
    assert "结论：退回修改" in block(page, "prefilled-from")
    shown = [(field_value(page, f"members-{n}-name"), selected(page, f"members-{n}-department"),
              field_value(page, f"members-{n}-organisation")) for n in range(len(WG_MEMBERS))]  # fmt: skip
    assert shown == [(m["name"], m["department"], m["organisation"]) for m in WG_MEMBERS]
    assert field_value(page, f"members-{len(WG_MEMBERS)}-name") is None  # no extra department rows
    assert field_value(page, "contact_point") == "企业人力资源部"
    assert (field_value(page, "findings") or "").lstrip("\r\n") == "资金缺口未落实。"  # a browser drops that newline
    assert checked(page, "decision") == []  # decided again, on the revised plan
    wg.get("/lang/en")
    english = block(wg.get(f"/plans/{plan['id']}/working-group").get_data(as_text=True), "prefilled-from")
    assert "This is the working group's visit 2 to this plan." in english
    assert "filled in from visit 1" in english
    wg.get("/lang/zh_CN")  # back for the rest of the test
    # Everything can still change: one member replaced, another contact point, new findings.
    second = {**member_rows([{**WG_MEMBERS[0], "name": "王某"}, *WG_MEMBERS[1:]]), "contact_point": "企业工会办公室",
              "findings": "资金已落实。", "decision": "cleared", "confirmed": "yes"}  # fmt: skip
    assert wg.post(f"/plans/{plan['id']}/working-group", second).status_code == 302
    records = db.session.scalars(select(WorkingGroupRecord).order_by(WorkingGroupRecord.id)).all()
    assert [(r.members[0]["name"], r.contact_point, r.findings, r.decision) for r in records] == [
        ("赵某", "企业人力资源部", "资金缺口未落实。", "revise"),
        ("王某", "企业工会办公室", "资金已落实。", "cleared"),
    ]


def test_a_first_visit_starts_from_one_blank_row_per_department(browser, api, world, complete_content):
    plan = high_risk_plan(api, world, complete_content)
    page = browser("wg").get(f"/plans/{plan['id']}/working-group").get_data(as_text=True)
    assert 'data-testid="prefilled-from"' not in page
    assert [selected(page, f"members-{n}-department") for n in range(7)] == [m["department"] for m in WG_MEMBERS]
    assert field_value(page, "members-0-name") == ""
    assert not (field_value(page, "findings") or "").strip()


def test_the_decision_waits_for_what_the_service_requires(browser, api, world, complete_content, chromium):
    """The service refuses a decision without findings, forming without a contact point, and a formed group's
    submission without a decision (approvals/services/working_group.py): the button waits, naming what is
    missing (blocked.js), so no confirmation is asked for a refused step. Forming alone needs no findings."""
    plan = high_risk_plan(api, world, complete_content)
    wg = browser("wg")
    page = page_for(chromium, wg)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/working-group")
    button, reason = page.locator("#wg-submit"), page.locator("#wg-submit-blocked")
    assert button.is_disabled()
    assert reason.inner_text() == "还须填写：联系点、成员姓名（尚缺：人社、发改、工信、财政、安监、工会、集团公司）"
    for n, member in enumerate(WG_MEMBERS[:-1]):
        page.fill(f"#members-{n}-name", member["name"])
    page.fill("#contact_point", "企业人力资源部")
    assert reason.inner_text() == "还须填写：成员姓名（尚缺：集团公司）"
    page.select_option("#members-6-department", "")  # a member named for the parent group in another row
    page.fill("#members-6-name", WG_MEMBERS[-1]["name"])
    assert button.is_disabled()
    page.select_option("#members-6-department", "集团公司")
    assert button.is_enabled()
    page.check("input[name=decision][value=cleared]")
    assert button.is_disabled()
    assert reason.inner_text() == "还须填写：工作组意见"
    page.fill("#findings", "安置渠道和资金来源已核实。")
    assert button.is_enabled()
    assert reason.is_hidden()
    wg.post(f"/plans/{plan['id']}/working-group", {**member_rows(WG_MEMBERS), "contact_point": "企业工会办公室"})
    assert reload(plan["id"]).status == "working_group"
    wg.get("/lang/en")
    page = page_for(chromium, wg)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/working-group")
    button, reason = page.locator("#wg-submit"), page.locator("#wg-submit-blocked")
    assert button.is_disabled()
    assert reason.inner_text() == "Still to fill in: Findings, Decision"
    page.check("input[name=decision][value=revise]")
    page.fill("#findings", "资金缺口未落实。")
    assert button.is_enabled()
