"""The bureau's checks before approval (冀人社发〔2018〕38号 §三; domain.md §8 "Review"): its own roster
verification (at least MIN_ROSTER_VERIFICATIONS) and its confirmation of each unreachable worker's filing,
refused over the API and the web with each unmet condition named."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from app.extensions import db
from approvals.models import AuditEvent, FilingConfirmation
from tests import flow
from tests.conftest import reload
from tests.ui.reviewing import in_review

FILING = "唐人社备〔2018〕17号"


def actions(plan_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id)
                                   .order_by(AuditEvent.id)))  # fmt: skip


def unreachable_plan(api, world, complete_content, filing: str = FILING) -> tuple[dict, str]:  # type: ignore[no-untyped-def]
    """A steel plan in review whose second worker is temporarily unreachable and filed with the bureau."""
    clerk, union = api("clerk"), api("union")
    plan = flow.create(clerk, complete_content(world.steel))
    number = clerk.get(f"/plans/{plan['id']}/roster?per_page=2").json["items"][1]["id_number"]
    edited = clerk.patch(f"/plans/{plan['id']}/roster/{number}",
                         json={"contact_status": "暂时联系不上", "contact_attempts": "登报声明、上网公告",
                               "bureau_filing": filing})  # fmt: skip
    assert edited.status_code == 200, edited.json
    flow.submit(clerk, plan["id"])
    flow.vote(union, plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    return flow.plan(clerk, plan["id"]), number


def test_the_api_refuses_approval_without_a_verification_naming_the_condition(api, world, complete_content):
    plan = in_review(api, world, complete_content, verified=False)
    refused = flow.review(api("reviewer"), plan["id"], "approve", status=422)
    assert refused["error"] == "approval_conditions_unmet"
    assert [d["rule"] for d in refused["details"]] == ["roster_verified"]
    assert "名单经人社部门核查" in refused["message"]
    assert "尚未记录名单核查" in refused["message"]
    saved = reload(plan["id"])
    assert (saved.status, saved.approved_hash) == ("review", None)
    assert "review.decided" not in actions(plan["id"])
    flow.review(api("reviewer"), plan["id"], "return", reasons="请补充材料。")  # returning needs no verification


def test_the_minimum_number_of_verifications_is_a_setting(app, api, world, complete_content, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_ROSTER_VERIFICATIONS", 2)
    plan = in_review(api, world, complete_content)  # one verification
    refused = flow.review(api("reviewer"), plan["id"], "approve", status=422)
    assert refused["details"][0]["message"].endswith("已记录名单核查1次，至少须2次。")
    flow.verify(api("reviewer"), plan["id"])
    assert flow.review(api("reviewer"), plan["id"], "approve", verified=False)["status"] == "publication"


def test_the_review_page_names_each_unmet_condition_and_refuses_approval(browser, api, world, complete_content):
    plan, number = unreachable_plan(api, world, complete_content)
    reviewer = browser("reviewer")
    page = reviewer.get(f"/plans/{plan['id']}/review").get_data(as_text=True)
    unmet = page.split('data-testid="approval-unmet"', 1)[1].split("</ul>", 1)[0]
    assert 'data-condition="roster_verified"' in unmet
    assert 'data-condition="filings_confirmed"' in unmet
    assert "1名暂时联系不上的职工的核查备案尚未确认" in unmet
    assert number not in unmet  # named with the ID masked
    response = reviewer.post(f"/plans/{plan['id']}/review", {"confirmed": "yes", "decision": "approve"})
    assert response.status_code == 422
    refusal = unescape(response.get_data(as_text=True)).split('data-testid="refusal"', 1)[1].split("</div>", 1)[0]
    assert "尚不能审核同意" in refusal
    assert "联系不上职工的备案已逐人确认" in refusal
    assert reload(plan["id"]).status == "review"


def test_the_bureau_confirms_each_filing_and_then_may_approve(browser, api, world, complete_content):
    plan, number = unreachable_plan(api, world, complete_content)
    reviewer = browser("reviewer")
    flow.verify(api("reviewer"), plan["id"])
    listed = reviewer.get(f"/plans/{plan['id']}/verifications").get_data(as_text=True)
    row = listed.split(f'data-filing="{number}"', 1)[1].split("</tr>", 1)[0]
    assert FILING in unescape(row)
    assert "登报声明、上网公告" in row
    assert 'data-testid="confirm-filing"' in row
    empty = reviewer.post(f"/plans/{plan['id']}/filings/{number}", {"note": "  "})
    assert empty.status_code == 422  # what the bureau checked is required, and shown on the worker's row
    assert "须填写核查情况" in empty.get_data(as_text=True).split(f'data-filing="{number}"', 1)[1]
    done = reviewer.post(f"/plans/{plan['id']}/filings/{number}", {"note": "已核对登报声明和网上公告截图。"})
    assert done.status_code == 302
    confirmation = db.session.scalars(select(FilingConfirmation)).one()
    assert (confirmation.id_number, confirmation.filing, confirmation.confirmed_by_id) == (
        number, FILING, world.users["reviewer"].id)  # fmt: skip
    assert actions(plan["id"])[-1] == "roster.filing_confirmed"
    again = reviewer.post(f"/plans/{plan['id']}/filings/{number}", {"note": "再次确认"})
    assert again.status_code == 422
    assert "已经确认" in again.get_data(as_text=True)
    clerk_view = browser("clerk").get(f"/plans/{plan['id']}/verifications").get_data(as_text=True)
    assert "已确认" in clerk_view.split(f'data-filing="{number}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="confirm-filing"' not in clerk_view  # only the bureau confirms
    assert browser("clerk").post(f"/plans/{plan['id']}/filings/{number}", {"note": "x"}).status_code == 403
    assert flow.review(api("reviewer"), plan["id"], "approve", verified=False)["status"] == "publication"


def test_a_confirmation_holds_only_for_the_filing_number_it_confirmed(browser, api, world, complete_content):
    plan, number = unreachable_plan(api, world, complete_content, filing="备-001")
    flow.verify(api("reviewer"), plan["id"])
    assert browser("reviewer").post(f"/plans/{plan['id']}/filings/{number}", {"note": "属实"}).status_code == 302
    flow.review(api("reviewer"), plan["id"], "return", reasons="请更正备案编号。")
    clerk = api("clerk")
    assert clerk.patch(f"/plans/{plan['id']}/roster/{number}", json={"bureau_filing": "备-002"}).status_code == 200
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], flow.plan(clerk, plan["id"])["content_hash"])
    refused = flow.review(api("reviewer"), plan["id"], "approve", status=422)
    assert [d["rule"] for d in refused["details"]] == ["filings_confirmed"], refused


def test_only_an_unreachable_worker_with_a_filing_can_be_confirmed(browser, api, world, complete_content):
    plan = in_review(api, world, complete_content)
    reachable = api("clerk").get(f"/plans/{plan['id']}/roster?per_page=1").json["items"][0]["id_number"]
    reviewer = browser("reviewer")
    response = reviewer.post(f"/plans/{plan['id']}/filings/{reachable}", {"note": "核对"})
    assert response.status_code == 422
    assert "不是暂时联系不上的职工" in response.get_data(as_text=True)
    stranger = reviewer.post(f"/plans/{plan['id']}/filings/110101199003077777", {"note": "核对"})
    assert stranger.status_code == 422
    assert "不在本方案的职工名单中" in stranger.get_data(as_text=True)
    assert db.session.scalars(select(FilingConfirmation)).first() is None
