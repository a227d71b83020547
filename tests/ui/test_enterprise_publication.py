"""Publication and the start of execution, with the gate's checklist; the clerk's home section."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from app.extensions import db
from approvals.demo import sample_content
from approvals.models import PublicNotice
from tests import flow
from tests.conftest import reload
from tests.stages import end_notice_window
from tests.ui.forms_support import actions, block

# The box that confirms an irreversible step (app/web/confirmation.py), ticked.
CONFIRMED = {"confirmed": "yes"}


@pytest.fixture
def submitted(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk"), complete_content(world.steel))
    return flow.submit(api("clerk"), plan["id"])["plan"]


@pytest.fixture
def approved(api, submitted) -> dict[str, Any]:
    flow.vote(api("union"), submitted["id"], submitted["content_hash"])
    body = flow.review(api("reviewer"), submitted["id"], "approve")
    assert body["status"] == "publication", body["status"]
    return body


def test_the_clerk_publishes_then_starts_execution(browser, approved):
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{approved['id']}/publication").get_data(as_text=True)
    gate = block(page, "gate")
    assert "资金保障到位" in gate
    assert "方案尚未公布。" in gate
    response = clerk.post(f"/plans/{approved['id']}/publication", CONFIRMED)
    assert response.status_code == 302
    published = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "方案已公布" in published
    assert reload(approved["id"]).status == "published"
    notice = db.session.get(PublicNotice, approved["id"])
    assert notice is not None
    assert f"/public/{notice.token}" in block(published, "public-link")  # the link to hand to the workers
    assert actions(approved["id"])[-1] == "plan.published"
    # Within the public notice's window execution waits, naming the window's end (domain.md §8).
    refused = clerk.post(f"/plans/{approved['id']}/execution", CONFIRMED)
    assert refused.status_code == 409
    assert "公示期已满：公示期至" in block(refused.get_data(as_text=True), "refusal")
    assert actions(approved["id"])[-1] == "execution.refused"
    end_notice_window(db.session, reload(approved["id"]))
    db.session.commit()
    started = clerk.post(f"/plans/{approved['id']}/execution", CONFIRMED)
    assert started.status_code == 302
    assert "已启动实施" in clerk.get(started.headers["Location"]).get_data(as_text=True)
    plan = reload(approved["id"])
    assert (plan.status, plan.execution_started_at is not None) == ("executing", True)
    assert actions(approved["id"])[-1] == "execution.started"


def test_publishing_before_approval_is_refused_with_the_unmet_preconditions(browser, submitted):
    clerk = browser("clerk")
    clerk.get(f"/plans/{submitted['id']}/publication")
    response = clerk.post(f"/plans/{submitted['id']}/publication", CONFIRMED)
    assert response.status_code == 409
    refusal = block(response.get_data(as_text=True), "refusal")
    assert "经职工代表大会或职工大会讨论通过" in refusal
    assert "人社部门审核同意" in refusal
    assert reload(submitted["id"]).status == "congress"
    assert actions(submitted["id"])[-1] == "plan.submitted"


def test_execution_before_publication_is_refused_naming_each_condition_and_the_refusal_is_kept(browser, approved):
    clerk = browser("clerk")
    clerk.get(f"/plans/{approved['id']}/publication")
    response = clerk.post(f"/plans/{approved['id']}/execution", CONFIRMED)
    assert response.status_code == 409
    refusal = block(response.get_data(as_text=True), "refusal")
    assert "不得实施" in refusal
    assert "方案已公布：方案尚未公布。" in refusal
    assert reload(approved["id"]).execution_started_at is None
    assert actions(approved["id"])[-1] == "execution.refused"


def test_a_union_representative_may_not_publish(browser, approved):
    union = browser("union")
    assert union.get(f"/plans/{approved['id']}/publication").status_code == 403
    union.get("/")
    assert union.post(f"/plans/{approved['id']}/publication", CONFIRMED).status_code == 403
    assert reload(approved["id"]).status == "publication"


def test_the_clerks_home_lists_each_plan_with_what_blocks_it(browser, api, world, approved):
    draft = flow.create(api("clerk"), sample_content(world.steel), title="第二批安置方案")
    page = browser("clerk").get("/").get_data(as_text=True)
    plans = block(page, "enterprise-plans")
    assert "第二批安置方案" in plans
    assert approved["title"] in plans
    assert "企业起草" in plans
    assert "待公布" in plans
    assert "未提交" in plans
    assert "第 1 版" in plans
    missing = block(page, f"missing-{draft['id']}")
    assert "方案尚缺" in missing
    assert "职工实名制台账：尚未导入职工名单。" in missing
    unmet = block(page, f"unmet-{approved['id']}")
    assert "方案已公布" in unmet
    assert "人社部门审核同意" not in unmet
    assert "/plans/new" in page
    assert "enterprise-plans" not in browser("union").get("/").get_data(as_text=True)


def buttons(page: str) -> dict[str, tuple[bool, str]]:
    """Each action of the page: whether its button is disabled, and the reason shown beside it."""
    tree = lxml.html.fromstring(page)
    found = {}
    for key in ("publish-submit", "execution-submit"):
        button = tree.xpath("//*[@data-testid=$id]", id=key)
        if button:
            reason = tree.xpath("//*[@data-testid=$id]", id=f"{key}-blocked")
            found[key] = (button[0].get("disabled") is not None, reason[0].text_content().strip() if reason else "")
    return found


def test_an_action_the_page_knows_would_be_refused_is_disabled_with_its_reason(browser, submitted):
    """Not offered and then refused: publishing before the vote and the approval, and starting execution before
    every precondition holds, are disabled buttons with the unmet conditions named beside them."""
    page = browser("clerk").get(f"/plans/{submitted['id']}/publication").get_data(as_text=True)
    shown = buttons(page)
    assert shown["publish-submit"][0] is True
    assert "经职工代表大会或职工大会讨论通过" in shown["publish-submit"][1]
    assert "人社部门审核同意" in shown["publish-submit"][1]
    assert "方案已公布" not in shown["publish-submit"][1]  # what only publishing brings is not asked of it
    assert shown["execution-submit"][0] is True
    assert "方案已公布" in shown["execution-submit"][1]


def test_publishing_is_offered_once_approved_and_execution_once_every_condition_holds(browser, approved):
    clerk = browser("clerk")
    shown = buttons(clerk.get(f"/plans/{approved['id']}/publication").get_data(as_text=True))
    assert shown["publish-submit"] == (False, "")
    assert shown["execution-submit"][0] is True
    assert clerk.post(f"/plans/{approved['id']}/publication", CONFIRMED).status_code == 302
    shown = buttons(clerk.get(f"/plans/{approved['id']}/publication").get_data(as_text=True))
    assert "publish-submit" not in shown
    assert shown["execution-submit"] == (True, "以下前提尚未满足：公示期已满。详见“实施前提”各项说明。")
    end_notice_window(db.session, reload(approved["id"]))
    db.session.commit()
    assert buttons(clerk.get(f"/plans/{approved['id']}/publication").get_data(as_text=True)) == {
        "execution-submit": (False, "")
    }
