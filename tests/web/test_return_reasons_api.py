"""A returned plan's reasons are answered one by one at resubmission (issue 12 §3): the API refuses a
resubmission leaving a reason unanswered with a 422 naming it, stores each answer with the revision and
in its audit event, and the reviews listing gives the answers beside the reasons."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.models import AuditEvent, Plan, PlanRevision, ReturnReason
from tests import flow, stages

REASONS = ["内部退养人员协议未附，请补充。", "第二项资金来源的批复文件不清晰。"]


def _returned(api, world, reasons=REASONS) -> int:
    """The zombie firm's plan after the vote, returned by the provincial reviewer with `reasons`."""
    plan = stages.plan_at(db.session, get_engine(), world, "review")
    db.session.commit()
    flow.review(api("province"), plan.id, "return", reasons)
    return plan.id


def test_each_reason_is_open_with_its_number_until_answered(api, world):
    plan_id = _returned(api, world)
    body = flow.plan(api("clerk_zombie"), plan_id)
    assert body["status"] == "drafting"
    assert [(r["number"], r["text"], r["source"]) for r in body["open_reasons"]] == [
        (1, REASONS[0], "bureau"), (2, REASONS[1], "bureau")]  # fmt: skip
    review = api("clerk_zombie").get(f"/plans/{plan_id}/reviews").json["items"][-1]
    assert review["reasons"] == f"1. {REASONS[0]}\n2. {REASONS[1]}"  # the record and its document: one text


def test_a_resubmission_leaving_a_reason_unanswered_is_422_naming_it_and_changes_nothing(api, world):
    plan_id = _returned(api, world)
    clerk = api("clerk_zombie")
    first, second = flow.plan(clerk, plan_id)["open_reasons"]
    body = flow.submit(clerk, plan_id, status=422, answers={first["id"]: "已补充内部退养协议。"})
    assert body["error"] == "reasons_unanswered"
    assert "第2条退回理由" in body["message"]
    assert REASONS[1][:10] in body["message"]
    assert [(d["reason_id"], d["rule"], d["reason"]) for d in body["details"]] == [
        (second["id"], "answer_required", REASONS[1])]  # fmt: skip
    nothing = flow.submit(clerk, plan_id, status=422, answers={})
    assert [d["reason_id"] for d in nothing["details"]] == [first["id"], second["id"]]
    after = flow.plan(clerk, plan_id)
    assert (after["status"], after["revision"]) == ("drafting", 1)
    assert flow.open_task_ids(after) == ["draft_plan"]


def test_answers_go_with_the_revision_into_the_trail_and_the_reviews_listing(api, world):
    plan_id = _returned(api, world)
    clerk = api("clerk_zombie")
    first, second = flow.plan(clerk, plan_id)["open_reasons"]
    answers = {first["id"]: "已补充内部退养协议（附件3）。", second["id"]: "已换上清晰的批复文件。"}
    submitted = flow.submit(clerk, plan_id, answers=answers)
    assert submitted["accepted"]
    assert submitted["plan"]["open_reasons"] == []
    revision = db.session.scalars(select(PlanRevision).where(PlanRevision.plan_id == plan_id,
                                                             PlanRevision.number == 2)).one()  # fmt: skip
    stored = db.session.scalars(select(ReturnReason).where(ReturnReason.revision_id == revision.id)
                                .order_by(ReturnReason.number)).all()  # fmt: skip
    assert [(r.text, r.answer) for r in stored] == [
        (REASONS[0], answers[first["id"]]),
        (REASONS[1], answers[second["id"]]),
    ]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan_id, AuditEvent.action == "plan.submitted")
                               .order_by(AuditEvent.id.desc())).first()  # fmt: skip
    assert [(a["number"], a["reason"], a["answer"]) for a in event.summary["answers"]] == [
        (1, REASONS[0], answers[first["id"]]), (2, REASONS[1], answers[second["id"]])]  # fmt: skip
    listed = api("province").get(f"/plans/{plan_id}/reviews").json["items"]
    returned = [r for r in listed if r["decision"] == "return"][-1]
    assert [(i["text"], i["answer"], i["answered_in_revision"]) for i in returned["reason_items"]] == [
        (REASONS[0], answers[first["id"]], 2), (REASONS[1], answers[second["id"]], 2)]  # fmt: skip


def test_an_answer_to_no_open_reason_or_twice_to_one_is_refused(api, world):
    plan_id = _returned(api, world, "请补充。")
    clerk = api("clerk_zombie")
    (reason,) = flow.plan(clerk, plan_id)["open_reasons"]
    unknown = flow.submit(clerk, plan_id, status=422, answers={reason["id"]: "已补充。", 999999: "多余"})
    assert unknown["error"] == "invalid_answers"
    assert unknown["details"][0]["reason_id"] == 999999
    twice = clerk.post(f"/plans/{plan_id}/submit", json={"answers": [{"reason_id": reason["id"], "answer": "一"},
                                                                     {"reason_id": reason["id"], "answer": "二"}]})  # fmt: skip
    assert twice.status_code == 422
    assert twice.json["details"][0]["rule"] == "one_answer_per_reason"
    assert flow.plan(clerk, plan_id)["status"] == "drafting"


def test_an_incomplete_resubmission_keeps_the_answers_typed(api, world):
    plan_id = _returned(api, world, "请补充。")
    clerk = api("clerk_zombie")
    (reason,) = flow.plan(clerk, plan_id)["open_reasons"]
    emptied = clerk.patch(f"/plans/{plan_id}", json={"content": {"risk_assessment": {"assessment": ""}}})
    assert emptied.status_code == 200, emptied.json
    refused = flow.submit(clerk, plan_id, status=422, answers={reason["id"]: "已补充说明。"})
    assert refused["error"] == "plan_incomplete"
    (kept,) = flow.plan(clerk, plan_id)["open_reasons"]
    assert (kept["id"], kept["answer"], kept["answered_in_revision"]) == (reason["id"], "已补充说明。", None)


def test_a_working_group_revise_is_a_reason_to_answer(api, world):
    plan = stages.plan_at(db.session, get_engine(), world, "working_group")
    db.session.commit()
    flow.working_group(api("wg"), plan.id, decision="revise")
    clerk = api("clerk_zombie")
    (reason,) = flow.plan(clerk, plan.id)["open_reasons"]
    assert (reason["source"], reason["text"]) == ("working_group", "已核实安置渠道和资金来源。")
    assert flow.submit(clerk, plan.id, status=422, answers={})["details"][0]["reason_id"] == reason["id"]
    flow.submit(clerk, plan.id, answers={reason["id"]: "已按工作组意见修改。"})
    records = api("wg").get(f"/plans/{plan.id}/working-group-records").json["items"]
    assert [(i["answer"], i["answered_in_revision"]) for i in records[-1]["reason_items"]] == [
        ("已按工作组意见修改。", 2)
    ]
    assert db.session.get(Plan, plan.id).status == "review"  # unchanged: the vote stands
