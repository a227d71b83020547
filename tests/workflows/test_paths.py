"""Every path of placement_plan.bpmn, walked over the JSON API."""

from __future__ import annotations

from app.extensions import db
from approvals.models import Plan
from tests import flow
from tests.conftest import reload
from tests.stages import end_notice_window


def test_incomplete_plan_goes_back_to_drafting_with_every_missing_item(api, world, complete_content):
    clerk = api("clerk")
    content = complete_content(world.steel)
    del content["funding"]
    del content["roster"]  # not imported yet
    content["risk_assessment"]["emergency_plan"] = ""
    created = flow.create(clerk, content)
    body = flow.submit(clerk, created["id"], status=422)
    assert body["error"] == "plan_incomplete"
    missing = {(m["section"], m["field"], m["rule"]) for m in body["details"]["missing"]}
    assert ("funding", "sources", "required") in missing
    assert ("funding", "required.severance", "non_negative_amount") in missing
    assert ("risk_assessment", "emergency_plan", "required") in missing
    assert ("roster", "rows", "required") in missing
    assert body["details"]["plan"]["status"] == "drafting"
    assert flow.open_task_ids(body["details"]["plan"]) == ["draft_plan"]
    actions = [e["action"] for e in clerk.get(f"/plans/{created['id']}/audit").json["items"]]
    assert actions[-1] == "plan.returned_incomplete"
    assert reload(created["id"]).revision_number == 0


def test_complete_plan_then_goes_to_the_congress(api, world, complete_content):
    clerk = api("clerk")
    created = flow.create(clerk, complete_content(world.steel))
    body = flow.submit(clerk, created["id"])
    assert body["accepted"] is True
    assert body["plan"]["status"] == "congress"
    assert flow.open_task_ids(body["plan"]) == ["congress_vote"]
    assert body["plan"]["open_tasks"][0]["lane"] == "union"
    assert body["plan"]["revision"] == 1


def test_quorum_not_met_invalidates_the_session_and_the_vote_is_held_again(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    body = flow.vote(union, p["id"], p["content_hash"], total=120, present=79, yes=79, no=0, abstain=0)
    assert body["status"] == "congress"
    assert flow.open_task_ids(body) == ["congress_vote"]
    assert flow.gate(body)["congress_passed"] is False
    body = flow.vote(union, p["id"], p["content_hash"], total=120, present=80, yes=61, no=10, abstain=9)
    assert body["status"] == "review"


def test_voted_down_goes_back_to_drafting_and_needs_a_new_vote(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    body = flow.vote(union, p["id"], p["content_hash"], total=120, present=100, yes=60, no=35, abstain=5)
    assert body["status"] == "drafting"
    resubmitted = flow.submit(clerk, p["id"])
    assert resubmitted["vote_skipped"] is False
    assert resubmitted["plan"]["status"] == "congress"


def test_review_returned_with_reasons_goes_back_to_drafting(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    body = flow.review(reviewer, p["id"], "return", "缺少内部退养协议。")
    assert body["status"] == "drafting"
    assert flow.gate(body)["bureau_approved"] is False
    audit = clerk.get(f"/plans/{p['id']}/audit").json["items"]
    assert audit[-1]["action"] == "review.decided"
    assert audit[-1]["summary"]["reasons"] == "缺少内部退养协议。"


def test_unchanged_plan_skips_the_vote_after_a_return(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "return", "请补充说明。")
    body = flow.submit(clerk, p["id"])
    assert body["vote_skipped"] is True
    assert body["plan"]["status"] == "review"


def test_changed_plan_needs_a_new_vote_after_a_return(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "return", "请补充说明。")
    patched = clerk.patch(f"/plans/{p['id']}", json={"title": "迁安钢铁职工安置方案（修订）"})
    assert patched.status_code == 200
    assert patched.json["content_hash"] != p["content_hash"]
    assert flow.gate(patched.json)["congress_passed"] is False  # the change voided the approval
    body = flow.submit(clerk, p["id"])
    assert body["vote_skipped"] is False
    assert body["plan"]["status"] == "congress"
    stale = flow.vote(union, p["id"], p["content_hash"], status=409)
    assert stale["error"] == "revision_mismatch"


def test_normal_risk_goes_straight_to_publication_and_execution(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    body = flow.review(reviewer, p["id"], "approve")
    assert body["risk_level"] == "normal"
    assert body["status"] == "publication"
    assert flow.open_task_ids(body) == ["publish_plan"]
    body = flow.publish(clerk, p["id"])
    assert body["status"] == "published"
    assert flow.open_task_ids(body) == ["carry_out_plan"]  # the execution stage waits for the enterprise
    gate = flow.gate(body)
    assert [key for key, met in gate.items() if not met] == ["notice_window_over"]  # the public notice runs
    refused = clerk.post(f"/plans/{p['id']}/execution")
    assert refused.status_code == 409
    assert refused.json["message"].startswith("不得实施：公示期已满（公示期至")
    assert [c["key"] for c in refused.json["details"]["unmet"]] == ["notice_window_over"]
    end_notice_window(db.session, db.session.get(Plan, p["id"]))
    db.session.commit()
    started = clerk.post(f"/plans/{p['id']}/execution")
    assert started.status_code == 201
    assert started.json["started"] is True
    assert flow.plan(clerk, p["id"])["status"] == "executing"


def test_high_risk_goes_to_the_working_group_which_clears_it(api, world, complete_content):
    clerk, union, reviewer, wg = api("clerk_zombie"), api("union_zombie"), api("province"), api("wg")
    p = flow.create(clerk, complete_content(world.zombie), title="峰峰煤业职工安置方案")
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    body = flow.review(reviewer, p["id"], "approve")
    assert body["risk_level"] == "high"
    assert body["risk_reason"] == "拟出清的僵尸企业"
    assert flow.open_task_ids(body) == ["form_working_group"]
    assert body["open_tasks"][0]["lane"] == "working_group"
    formed = flow.working_group(wg, p["id"], decision=None)
    assert flow.open_task_ids(formed) == ["record_findings"]
    assert flow.gate(formed)["working_group_cleared"] is False
    cleared = flow.working_group(wg, p["id"], decision="cleared")
    assert cleared["status"] == "publication"
    assert flow.gate(cleared)["working_group_cleared"] is True
    assert flow.publish(clerk, p["id"])["status"] == "published"


def test_working_group_revise_goes_back_to_drafting_then_vote_and_review_again(api, world, complete_content):
    clerk, union, reviewer, wg = api("clerk_zombie"), api("union_zombie"), api("province"), api("wg")
    p = flow.create(clerk, complete_content(world.zombie), title="峰峰煤业职工安置方案")
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "approve")
    body = flow.working_group(wg, p["id"], decision="revise")
    assert body["status"] == "drafting"
    patched = clerk.patch(f"/plans/{p['id']}", json={"title": "峰峰煤业职工安置方案（工作组意见修订）"}).json
    assert flow.submit(clerk, p["id"])["plan"]["status"] == "congress"
    flow.vote(union, p["id"], patched["content_hash"])
    body = flow.review(reviewer, p["id"], "approve")
    assert body["status"] == "working_group"  # still high risk: the group looks again
    assert flow.working_group(wg, p["id"])["status"] == "publication"


def test_an_action_out_of_turn_is_409_and_changes_nothing(api, world, complete_content):
    clerk, reviewer = api("clerk"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    before = flow.plan(clerk, p["id"])
    trail = len(clerk.get(f"/plans/{p['id']}/audit").json["items"])
    body = flow.review(reviewer, p["id"], "approve", status=409)
    assert body["error"] == "out_of_turn"
    after = flow.plan(clerk, p["id"])
    assert after["version"] == before["version"]
    assert after["status"] == "drafting"
    assert len(clerk.get(f"/plans/{p['id']}/audit").json["items"]) == trail
    assert flow.publish(clerk, p["id"], status=409)["error"] == "out_of_turn"


def test_patch_outside_drafting_is_409(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    response = clerk.patch(f"/plans/{p['id']}", json={"title": "改名"})
    assert response.status_code == 409
    assert response.json["error"] == "not_drafting"
