"""The objections page (the enterprise handles each objection, the bureau reopens it, every viewer reads
the record) and the public lookup where the worker follows it by receipt code (domain.md §8)."""

from __future__ import annotations

import lxml.html
import pytest

from app.extensions import db, get_engine
from approvals.actor import public
from approvals.models import Objection, Plan
from approvals.rules import receipt
from approvals.services.objections import ObjectionInput, raise_objection
from approvals.services.public_notice import notice_of
from tests.stages import OBJECTOR_ID, end_notice_window, plan_at
from tests.ui.forms_support import ORIGIN, block, page_for

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def raised(world):
    """The steel firm's published plan with one objection: (plan id, objection id, receipt code)."""
    plan = plan_at(db.session, get_engine(), world, "published", firm="steel")
    given = ObjectionInput(name="王某", id_number=OBJECTOR_ID, phone="13812345678", text="本人安置渠道有误。")
    objection = raise_objection(db.session, actor=public("198.51.100.7"), notice=notice_of(db.session, plan),
                                given=given)  # fmt: skip
    db.session.commit()
    return plan.id, objection.id, objection.receipt_code


def forms(page: str, objection_id: int) -> list[str]:
    """The step forms the page offers on one objection."""
    card = lxml.html.fromstring(page).xpath("//*[@data-testid=$id]", id=f"objection-{objection_id}")[0]
    return [str(name).removeprefix("step-") for name in card.xpath(".//form/@data-testid")]


def take(client, plan_id, objection_id, step, text=""):
    client.get(f"/plans/{plan_id}/objections")
    return client.post(f"/plans/{plan_id}/objections/{objection_id}/steps", {"step": step, "text": text})


def test_the_clerk_handles_an_objection_step_by_step_on_the_page(browser, raised):
    plan_id, objection_id, code = raised
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan_id}/objections").get_data(as_text=True)
    card = block(page, f"objection-{objection_id}")
    assert "待受理" in card
    assert receipt.shown(code) in card
    assert forms(page, objection_id) == ["accept"]
    for step, text, status in (("accept", "", "已受理，待核实"), ("verify", "经核对属实。", "已核实，待答复"),
                               ("reply", HOSTILE, "已答复，待办结"), ("close", "", "已办结")):  # fmt: skip
        response = take(clerk, plan_id, objection_id, step, text)
        assert response.status_code == 302, step
        page = clerk.get(response.headers["Location"]).get_data(as_text=True)
        assert status in block(page, f"objection-{objection_id}")
    assert HOSTILE not in page  # the reply is the clerk's text: escaped, never markup
    assert HOSTILE in block(page, "steps")  # shown as the text it is
    assert "经核对属实。" in block(page, "steps")


def test_a_step_out_of_order_on_the_page_is_refused_with_a_chinese_message(browser, raised):
    plan_id, objection_id, _ = raised
    response = take(browser("clerk"), plan_id, objection_id, "close")
    assert response.status_code == 409
    assert "该异议当前为“待受理”，不能办结" in block(response.get_data(as_text=True), "refusal")
    assert db.session.get(Objection, objection_id).status == "received"


def test_a_blank_reply_is_refused_and_the_page_names_the_field(browser, raised):
    plan_id, objection_id, _ = raised
    clerk = browser("clerk")
    take(clerk, plan_id, objection_id, "accept")
    take(clerk, plan_id, objection_id, "verify", "属实。")
    response = take(clerk, plan_id, objection_id, "reply", "  ")
    assert response.status_code == 422
    assert "答复内容未填写。" in block(response.get_data(as_text=True), "refusal")


def test_the_bureau_sees_only_the_reopen_form_and_only_once_closed(browser, raised):
    plan_id, objection_id, _ = raised
    reviewer = browser("reviewer")
    page = reviewer.get(f"/plans/{plan_id}/objections").get_data(as_text=True)
    assert forms(page, objection_id) == []  # nothing for the bureau while the enterprise handles it
    clerk = browser("clerk")
    for step, text in (("accept", ""), ("verify", "属实。"), ("reply", "已更正。"), ("close", "")):
        take(clerk, plan_id, objection_id, step, text)
    page = reviewer.get(f"/plans/{plan_id}/objections").get_data(as_text=True)
    assert forms(page, objection_id) == ["reopen"]
    assert forms(clerk.get(f"/plans/{plan_id}/objections").get_data(as_text=True), objection_id) == []
    response = take(reviewer, plan_id, objection_id, "reopen", "答复未说明依据。")
    assert response.status_code == 302
    assert db.session.get(Objection, objection_id).status == "accepted"
    union = browser("union").get(f"/plans/{plan_id}/objections").get_data(as_text=True)
    assert "答复未说明依据。" in union
    assert forms(union, objection_id) == []
    assert take(browser("union"), plan_id, objection_id, "verify", "x").status_code == 403


def test_the_worker_reads_the_status_and_reply_with_the_code_and_the_id_tail(browser, raised):
    plan_id, objection_id, code = raised
    clerk = browser("clerk")
    for step, text in (("accept", ""), ("verify", "属实。"), ("reply", "已将您的渠道更正为转岗培训。")):
        take(clerk, plan_id, objection_id, step, text)
    worker = browser(None)
    assert worker.get("/public/objection-status").status_code == 200
    found = worker.post("/public/objection-status", {"code": receipt.shown(code).lower(), "id_tail": OBJECTOR_ID[-4:]})
    assert found.status_code == 200
    status = block(found.get_data(as_text=True), "status")
    assert "已答复，待办结" in status
    assert "已将您的渠道更正为转岗培训。" in status
    assert "属实。" not in status  # the verification findings stay internal
    assert OBJECTOR_ID not in found.get_data(as_text=True)


@pytest.mark.parametrize("wrong", ["tail", "code"])
def test_a_wrong_tail_or_code_gets_the_same_not_found(browser, raised, wrong):
    _, _, code = raised
    tail = OBJECTOR_ID[-4:]
    other_tail = tail[:3] + ("0" if tail[3] != "0" else "1")
    other_code = ("2" if code[0] != "2" else "3") + code[1:]
    given = {"code": other_code if wrong == "code" else code, "id_tail": other_tail if wrong == "tail" else tail}
    response = browser(None).post("/public/objection-status", given)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert block(page, "refusal") == "未查到该异议：请核对受理码和身份证号码后4位。"
    assert 'data-testid="status"' not in page


def test_lookups_are_rate_limited(app, browser, raised):
    worker = browser(None)
    limit = int(app.config["OBJECTION_LOOKUP_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert worker.post("/public/objection-status", {"code": "x", "id_tail": "0000"}).status_code == 404
    assert worker.post("/public/objection-status", {"code": "x", "id_tail": "0000"}).status_code == 429


def test_execution_refused_on_the_publication_page_names_the_open_objection(browser, world, raised):
    plan_id, _, code = raised
    end_notice_window(db.session, db.session.get(Plan, plan_id))
    db.session.commit()
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan_id}/publication")
    response = clerk.post(f"/plans/{plan_id}/execution", {"confirmed": "yes"})
    assert response.status_code == 409
    refusal = block(response.get_data(as_text=True), "refusal")
    assert f"异议已全部办结：尚有1件异议未办结：受理码{receipt.shown(code)}。" in refusal
    assert "公示期已满" not in refusal


def test_a_step_whose_text_is_required_waits_until_it_is_written(browser, raised, chromium):
    """The page knows a blank 核实 or 答复 would be refused: its button waits, naming the field (blocked.js);
    a step without text (受理) is offered at once."""
    plan_id, objection_id, _ = raised
    clerk = browser("clerk")
    take(clerk, plan_id, objection_id, "accept")
    page = page_for(chromium, clerk)
    page.goto(f"{ORIGIN}/plans/{plan_id}/objections")
    button = page.locator(f"#step-submit-{objection_id}-verify")
    reason = page.locator(f"#step-submit-{objection_id}-verify-blocked")
    assert button.is_disabled()
    label = page.locator(f"label[for=text-{objection_id}-verify]").inner_text().rstrip("*").strip()
    assert reason.inner_text() == f"还须填写：{label}"
    page.fill(f"#text-{objection_id}-verify", "经核对属实。")
    assert button.is_enabled()
    assert reason.is_hidden()
    with page.expect_navigation():
        button.click()
    assert "已核实，待答复" in page.get_by_test_id(f"objection-{objection_id}").inner_text()
