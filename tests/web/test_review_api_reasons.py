"""The reviewer's checklist and a return's reasons come from one place (approvals/queries/review.py): the API
lists the checklist and composes a return's reasons from ticked items exactly as the web form does."""

from __future__ import annotations

from app.extensions import db, get_engine
from approvals.models import BureauReview, Plan
from tests import flow, stages


def _in_review(world) -> int:
    plan = stages.plan_at(db.session, get_engine(), world, "review")
    db.session.commit()
    return plan.id


def test_the_checklist_is_the_review_forms_and_only_the_bureau_reads_it(api, world):
    plan_id = _in_review(world)
    items = api("province").get(f"/plans/{plan_id}/review-checklist").json["items"]
    keys = [i["key"] for i in items]
    assert keys[:4] == ["plan_complete", "funds_secured", "congress_passed", "roster"]
    assert "roster_verified" in keys
    verified = next(i for i in items if i["key"] == "roster_verified")
    assert (verified["met"], verified["reason"]) == (False, "尚未记录名单核查。")
    assert api("clerk_zombie").get(f"/plans/{plan_id}/review-checklist").status_code == 403
    assert api("reviewer").get(f"/plans/{plan_id}/review-checklist").status_code == 404  # 唐山 does not reach 邯郸


def test_a_return_by_ticked_items_reads_as_the_web_forms(api, world):
    plan_id = _in_review(world)
    response = api("province").post(f"/plans/{plan_id}/review", json={
        "decision": "return", "reason_items": ["roster_verified", "funds_secured"],
        "reasons": "请补充安置资金到位凭证原件。"})  # fmt: skip
    assert response.status_code == 201, response.json
    review = db.session.query(BureauReview).filter_by(plan_id=plan_id).one()
    lines = review.reasons.splitlines()
    assert lines[0].startswith("1. 资金保障到位：")  # checklist order, with what the rules found
    assert lines[1] == "2. 名单经人社部门核查（实地调查、电话抽查、社保数据比对、工资发放记录）：尚未记录名单核查。"
    assert lines[2] == "3. 其他：请补充安置资金到位凭证原件。"
    reasons = flow.plan(api("clerk_zombie"), plan_id)["open_reasons"]
    assert [r["number"] for r in reasons] == [1, 2, 3]  # each answered on its own at resubmission


def test_an_unknown_item_or_items_on_an_approval_are_refused_and_nothing_changes(api, world):
    plan_id = _in_review(world)
    reviewer = api("province")
    unknown = reviewer.post(f"/plans/{plan_id}/review", json={"decision": "return", "reason_items": ["nonsense"]})
    assert unknown.status_code == 422
    assert unknown.json["error"] == "unknown_reason_item"
    assert "nonsense" in unknown.json["message"]
    assert "roster_verified" in unknown.json["message"]  # the keys there are
    assert unknown.json["details"][0]["field"] == "reason_items"
    said = reviewer.post(f"/plans/{plan_id}/review", headers={"Accept-Language": "en"},
                         json={"decision": "return", "reason_items": ["nonsense"]})  # fmt: skip
    assert said.json["message"].startswith('The checklist items "nonsense" given as reasons')
    approving = reviewer.post(f"/plans/{plan_id}/review",
                              json={"decision": "approve", "reason_items": ["funds_secured"]})  # fmt: skip
    assert approving.status_code == 422
    assert approving.json["details"][0]["rule"] == "return_only"
    english = reviewer.post(f"/plans/{plan_id}/review", headers={"Accept-Language": "en"},
                            json={"decision": "approve", "reason_items": ["funds_secured"]})  # fmt: skip
    assert english.json["message"].startswith("An approval gives no reasons for a return")
    assert db.session.get(Plan, plan_id).status == "review"
    assert db.session.query(BureauReview).filter_by(plan_id=plan_id).count() == 0


def test_the_command_line_ticks_items_as_the_form_does(app, world):
    plan_id = _in_review(world)

    def run(*args):
        return app.test_cli_runner().invoke(args=["plans", "review", str(plan_id), "--as", "province", *args])

    approving = run("--decision", "approve", "--item", "funds_secured")
    assert approving.exit_code == 1
    assert "审核同意时不能勾选退回理由" in approving.output
    unknown = run("--decision", "return", "--item", "nonsense")
    assert unknown.exit_code == 1
    assert "“nonsense”不在本方案的审核检查项中" in unknown.output
    returned = run("--decision", "return", "--item", "roster_verified", "--reasons", "请补充核查记录。")
    assert returned.exit_code == 0, returned.output
    lines = db.session.query(BureauReview).filter_by(plan_id=plan_id).one().reasons.splitlines()
    assert lines == ["1. 名单经人社部门核查（实地调查、电话抽查、社保数据比对、工资发放记录）：尚未记录名单核查。",
                     "2. 其他：请补充核查记录。"]  # fmt: skip
