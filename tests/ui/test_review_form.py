"""The review form: checklist, approve or return with reasons, separation of duties, CSRF,
and the roster verifications beside it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import select

from app.extensions import db
from approvals.actor import SYSTEM
from approvals.models import AuditEvent, BureauReview, Role, RosterVerification
from approvals.services import accounts
from tests import flow
from tests.conftest import reload
from tests.ui.reviewing import in_review


def actions(plan_id: int) -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id).order_by(AuditEvent.id))
    )


def reviews(plan_id: int) -> list[BureauReview]:
    return list(db.session.scalars(select(BureauReview).where(BureauReview.plan_id == plan_id)))


def test_the_form_shows_the_checklist_the_vote_the_funds_and_the_risk_inputs(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    home = browser("reviewer").get("/").get_data(as_text=True)
    assert f'href="/plans/{plan["id"]}/review"' in home  # the task and the queue open the form
    response = browser("reviewer").get(f"/plans/{plan['id']}/review")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    checklist = page.split('data-testid="checklist"', 1)[1].split("</table>", 1)[0]
    for label in (
        "安置方案完善",
        "资金保障到位",
        "经职工代表大会或职工大会讨论通过",
        "职工实名制台账准确",
        "名单经人社部门核查",
    ):
        assert label in checklist
    assert checklist.count("不符合") == 1
    assert "尚未记录名单核查。" in checklist
    vote = page.split('data-testid="vote"', 1)[1].split('data-testid="funding"', 1)[0]
    assert "100（83.3%）" in vote
    assert "达到三分之二" in vote
    assert "表决通过" in vote
    assert "当前版本" in vote
    funding = page.split('data-testid="funding"', 1)[1].split('data-testid="roster"', 1)[0]
    assert "0 元" in funding  # no gap
    risk = page.split('data-testid="risk-inputs"', 1)[1].split('data-testid="gate"', 1)[0]
    assert "需安置职工人数" in risk
    assert "66.7%" in risk
    assert "人社部门尚未审核同意当前版本。" in page  # the gate with its reasons
    assert f'href="/plans/{plan["id"]}"' in page
    assert f'href="/plans/{plan["id"]}/verifications"' in page
    assert 'name="csrf_token"' in page


def test_returning_without_reasons_is_refused_and_nothing_changes(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    response = browser("reviewer").post(
        f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "return", "reasons": "  "}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "退回方案须写明理由：请勾选不符合要求的检查项，或填写其他理由。" in page
    assert re.search(r'<input checked[^>]*value="return"', page)  # the choice is kept
    assert reload(plan["id"]).status == "review"
    assert reviews(plan["id"]) == []
    assert "review.decided" not in actions(plan["id"])


def test_returning_with_checklist_items_and_words_sends_the_plan_back(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    reviewer = browser("reviewer")
    response = reviewer.post(f"/plans/{plan['id']}/review", {
        "confirmed": "yes", "decision": "return", "reason_items": ["roster_verified", "funds_secured"], "reasons": "请补充安置资金到位凭证原件。"})  # fmt: skip
    assert response.status_code == 302
    assert reload(plan["id"]).status == "drafting"
    (review,) = reviews(plan["id"])
    assert review.decision == "return"
    lines = review.reasons.splitlines()
    assert lines[0].startswith("1. 资金保障到位：所需资金")  # checklist order, with what the rules found
    assert lines[1] == "2. 名单经人社部门核查（实地调查、电话抽查、社保数据比对、工资发放记录）：尚未记录名单核查。"
    assert lines[2] == "3. 其他：请补充安置资金到位凭证原件。"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.decided")).one()
    assert event.summary["decision"] == "return"
    assert event.summary["reasons"] == review.reasons
    home = reviewer.get(response.headers["Location"]).get_data(as_text=True)
    assert "方案已退回企业修改，退回理由已通知企业经办人。" in home


def test_an_unknown_checklist_item_is_refused(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    response = browser("reviewer").post(
        f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "return", "reason_items": "nonsense"}
    )
    assert response.status_code == 422
    assert reload(plan["id"]).status == "review"


def test_approving_with_checklist_items_ticked_is_refused_not_dropped(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    response = browser("reviewer").post(f"/plans/{plan['id']}/review", {
        "confirmed": "yes", "decision": "approve", "reason_items": ["funds_secured"], "reasons": "材料齐全。"})  # fmt: skip
    assert response.status_code == 422
    assert "审核同意时不能勾选退回理由：请取消勾选检查项，或选择“退回修改”。" in response.get_data(as_text=True)
    assert reload(plan["id"]).status == "review"
    assert reviews(plan["id"]) == []


def test_approving_a_normal_plan_sends_it_to_publication(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    reviewer = browser("reviewer")
    response = reviewer.post(
        f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve", "reasons": "材料齐全。"}
    )
    assert response.status_code == 302
    saved = reload(plan["id"])
    assert (saved.status, saved.risk_level, saved.approved_hash) == ("publication", "normal", saved.content_hash)
    assert actions(plan["id"])[-2:] == ["review.decided", "risk.assessed"]
    assert reviews(plan["id"])[0].reasons == "材料齐全。"
    home = reviewer.get("/").get_data(as_text=True)
    assert "已审核同意。风险评估：未见高风险情形，方案转企业公布。" in home


def test_approving_a_high_risk_plan_sends_it_to_the_working_group(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, "zombie")
    reviewer = browser("province")
    assert reviewer.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"}).status_code == 302
    saved = reload(plan["id"])
    assert (saved.status, saved.risk_level, saved.working_group_id) == ("working_group", "high", world.group.id)
    home = reviewer.get("/").get_data(as_text=True)
    assert "已审核同意。风险评估为高风险（拟出清的僵尸企业），已转省联合工作组介入。" in home


def test_the_submitter_may_not_review_and_is_told_why(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    accounts.grant_role(db.session, actor=SYSTEM, user=world.users["clerk"], role=Role.BUREAU, region_code="130200")
    db.session.commit()
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    assert "您不得审核本方案（回避规定）：" in page
    assert "提交方案的人员不得审核本方案。" in page
    assert 'id="review-form"' not in page
    response = clerk.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"})
    assert response.status_code == 403
    assert "提交方案的人员不得审核本方案。" in response.get_data(as_text=True)
    assert reload(plan["id"]).status == "review"
    assert reviews(plan["id"]) == []


def test_enterprise_insiders_may_not_review(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    accounts.grant_role(db.session, actor=SYSTEM, user=world.users["union"], role=Role.BUREAU, region_code="130000")
    db.session.commit()
    response = browser("union").post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"})
    assert response.status_code == 403
    assert "本企业的经办人或工会代表不得审核本企业的方案。" in response.get_data(as_text=True)
    assert reload(plan["id"]).status == "review"


def test_a_reviewer_of_another_region_finds_no_such_plan(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    other = browser("reviewer_other")
    assert other.get(f"/plans/{plan['id']}/review").status_code == 404
    assert other.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"}).status_code == 404
    assert other.get(f"/plans/{plan['id']}/verifications").status_code == 404
    assert browser("supervisor").get(f"/plans/{plan['id']}/review").status_code == 403  # sees it, may not review
    assert reload(plan["id"]).status == "review"


def test_a_review_without_the_csrf_token_is_refused(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    reviewer = browser("reviewer")
    response = reviewer.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"}, csrf=False)
    assert response.status_code == 400
    assert "CSRF 校验未通过" in response.get_data(as_text=True)
    assert reload(plan["id"]).status == "review"
    assert reviews(plan["id"]) == []


def test_a_plan_not_in_review_shows_no_decision(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    flow.review(api("reviewer"), plan["id"], "approve")
    reviewer = browser("reviewer")
    page = reviewer.get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    assert "不在人社部门审核中" in page
    assert 'id="review-form"' not in page
    response = reviewer.post(
        f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "return", "reasons": "再看看"}
    )
    assert response.status_code == 409
    assert "不能审核方案" in response.get_data(as_text=True)
    assert reload(plan["id"]).status == "publication"


def test_a_resubmitted_plan_shows_what_changed(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    flow.review(api("reviewer"), plan["id"], "return", "请修改时间安排。")
    clerk = api("clerk")
    assert (
        clerk.patch(
            f"/plans/{plan['id']}", json={"content": {"timetable": {"steps": "8月报审，10月公布。"}}}
        ).status_code
        == 200
    )
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    page = browser("reviewer").get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    diff = page.split('data-testid="diff"', 1)[1]
    assert "第1版与第2版的差异" in diff
    assert "timetable.steps" in diff
    assert "8月报审，10月公布。" in diff


# -- verifications ------------------------------------------------------------------------------


def test_recording_a_verification_lists_it_and_ticks_the_checklist(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    numbers = [row["id_number"] for row in api("reviewer").get(f"/plans/{plan['id']}/roster?per_page=3").json["items"]]
    reviewer = browser("reviewer")
    assert "尚未记录名单核查。" in reviewer.get(f"/plans/{plan['id']}/verifications").get_data(as_text=True)
    response = reviewer.post(f"/plans/{plan['id']}/verifications", {
        "method": "phone_check", "sample": "随机抽取3人", "result": "均确认本人在册、安置渠道属实。",
        "workers": f"{numbers[0]}\n{numbers[1]}，{numbers[2].lower()}"})  # fmt: skip
    assert response.status_code == 302
    (saved,) = db.session.scalars(select(RosterVerification)).all()
    assert (saved.method, sorted(saved.workers_checked)) == ("phone_check", sorted(numbers))
    assert "roster.verified" in actions(plan["id"])
    page = reviewer.get(response.headers["Location"]).get_data(as_text=True)
    assert "已记录名单核查（电话抽查，3人）。" in page
    listed = page.split('data-testid="verifications"', 1)[1]
    assert "电话抽查" in listed
    assert "随机抽取3人" in listed
    assert numbers[0] in listed
    form = reviewer.get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    assert "已记录核查1次。" in form
    assert form.split('data-testid="checklist"', 1)[1].split("</table>")[0].count("不符合") == 0
    reviewer.get("/lang/en")
    english = reviewer.get(f"/plans/{plan['id']}/verifications").get_data(as_text=True)
    assert (
        "Phone spot check" in english.split('data-testid="verifications"', 1)[1]
    )  # the method in the reader's language
    assert "1 verification recorded." in reviewer.get(f"/plans/{plan['id']}/review").get_data(as_text=True)


def test_a_worker_not_on_the_roster_is_refused_with_the_input_kept(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    response = browser("reviewer").post(f"/plans/{plan['id']}/verifications", {
        "method": "site_visit", "sample": "抽查车间", "result": "属实", "workers": "110101199003070000"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "公民身份号码110101199003070000不在本方案的职工名单中。" in page
    assert "抽查车间" in page
    assert "110101199003070000" in page
    assert db.session.scalars(select(RosterVerification)).all() == []


def test_only_the_bureau_records_verifications(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/verifications").get_data(as_text=True)
    assert 'data-testid="verification-form"' not in page
    response = clerk.post(f"/plans/{plan['id']}/verifications", {
        "method": "site_visit", "sample": "s", "result": "r", "workers": "x"})  # fmt: skip
    assert response.status_code == 403
    assert db.session.scalars(select(RosterVerification)).all() == []


def test_the_form_shows_the_last_day_of_the_review_and_the_working_days_left(browser, api, world, complete_content):
    with time_machine.travel(datetime(2026, 2, 10, 10, 0, tzinfo=timezone(timedelta(hours=8))), tick=False):
        plan = in_review(api, world, complete_content, "steel")
        page = browser("reviewer").get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    # 20 working days from Tuesday 2月10日 end on Monday 3月16日; 2月10日 itself, the day the review
    # began, is not one of them (民法典 Art 201): all 20 are left, not 21.
    assert "审核期限 2026-03-16 · 剩 20 个工作日" in re.sub(r"\s+", " ", page)


def test_approving_before_a_roster_verification_is_not_offered_and_still_refused(browser, api, world, complete_content):
    """The page knows approval would be refused (domain.md §8: the bureau's own roster check first): the option
    is disabled with the unmet condition beside it; a form sent anyway is refused by the server as before."""
    plan = in_review(api, world, complete_content, verified=False)
    reviewer = browser("reviewer")
    page = reviewer.get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    approve = re.search(r'<input[^>]*value="approve"[^>]*>', page)
    assert approve is not None
    assert " disabled" in approve.group(0)
    assert 'aria-describedby="approve-blocked"' in approve.group(0)
    reason = page.split('data-testid="approve-blocked">', 1)[1].split("</div>", 1)[0]
    assert reason.startswith("尚不能审核同意：名单经人社部门核查")
    refused = reviewer.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve", "reasons": ""})
    assert refused.status_code == 422
    assert "尚不能审核同意" in refused.get_data(as_text=True).split('data-testid="refusal"', 1)[1]
    assert reload(plan["id"]).status == "review"
    in_review_verified = in_review(api, world, complete_content)
    page = reviewer.get(f"/plans/{in_review_verified['id']}/review").get_data(as_text=True)
    approve = re.search(r'<input[^>]*value="approve"[^>]*>', page)
    assert approve is not None
    assert " disabled" not in approve.group(0)
    assert 'data-testid="approve-blocked"' not in page
