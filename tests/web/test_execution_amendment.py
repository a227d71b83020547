"""Amending a published plan (方案变更, issue 15 §4): back to drafting with a reason, a new revision, a new congress
vote and a new bureau review, then publication and execution again, the workers' execution records kept."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.documents.case_file import build_case_file
from app.documents.render import renderer
from app.extensions import audit_key, db, get_engine
from app.web.audit_summary import summary_text
from approvals.demo import record_sample_vote, verify_roster
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.execution.amendment import start_amendment
from approvals.execution.items import AGREEMENT_BY_CHANNEL
from approvals.execution.records import record_part
from approvals.models import (
    AuditEvent,
    CongressVote,
    ExecutionRecord,
    HumanTask,
    Plan,
    PlanAmendment,
    RosterWorker,
    WorkflowInstance,
)
from approvals.services.plans import update_plan
from approvals.services.publication import publish_plan, start_execution
from approvals.services.review import review_plan
from approvals.services.roster import import_roster
from approvals.services.submission import submit_plan
from approvals.services.working_group import record_working_group
from config import TestConfig
from notifications.models import Notification
from tests.execution_support import drop_last_worker, roster_without_last, wages_for
from tests.stages import end_notice_window, plan_at
from tests.web.test_case_file import unpack

TODAY = date(2026, 12, 7)
ENDED = date(2026, 11, 30)
REASON = "职工名单更正：第20行职工已于公布前调离，应从名单中移除。"


@pytest.fixture
def executing(world) -> Plan:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    db.session.commit()
    return plan


def _workers(plan: Plan) -> list[RosterWorker]:
    return list(
        db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    )


def _events(plan: Plan, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action == action)
                                   .order_by(AuditEvent.seq)))  # fmt: skip


def _sign(world, plan: Plan, worker: RosterWorker) -> None:  # type: ignore[no-untyped-def]
    record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="agreement",
                values={"agreement_kind": AGREEMENT_BY_CHANNEL[worker.channel or ""],
                        "agreement_signed_on": ENDED.isoformat()}, today=TODAY)  # fmt: skip


def _through_vote_review_and_publication(world, plan: Plan, *, start: bool = True) -> None:  # type: ignore[no-untyped-def]
    engine, clerk, reviewer = get_engine(), world.actor("clerk"), world.actor("province")
    submission = submit_plan(db.session, engine, actor=clerk, plan=plan)
    assert submission.accepted
    assert not submission.vote_skipped
    assert plan.status == "congress"
    record_sample_vote(db.session, engine, world.actor("union"), plan,
                       congress_threshold=TestConfig.CONGRESS_HEADCOUNT_THRESHOLD)  # fmt: skip
    assert plan.status == "review"
    verify_roster(db.session, reviewer, plan)
    review_plan(db.session, engine, actor=reviewer, plan=plan, decision="approve", reasons="")
    if plan.status == "working_group":
        record_working_group(db.session, engine, actor=world.actor("wg"), plan=plan, members=["人社", "工会"],
                             contact_point="企业人力资源部", findings="已核实。", decision="cleared")  # fmt: skip
    publish_plan(db.session, engine, actor=clerk, plan=plan)
    assert plan.status == "published"  # execution resumes only through the gate again
    if start:
        end_notice_window(db.session, plan)
        assert not start_execution(db.session, actor=clerk, plan=plan)


def test_an_amendment_goes_through_vote_and_review_again_and_returns_to_execution_with_records_kept(world, executing):
    plan = executing
    first_start = plan.execution_started_at
    published = plan.published_hash
    signed = _workers(plan)[0]
    _sign(world, plan, signed)
    votes_before = db.session.scalar(select(CongressVote.id).where(CongressVote.plan_id == plan.id).order_by(
        CongressVote.id.desc()))  # fmt: skip
    amendment = start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=plan, reason=REASON)
    db.session.commit()
    assert plan.status == "drafting"
    assert amendment.from_revision == plan.revision_number
    assert amendment.published_hash == published
    # the execution task is withdrawn and the process waits at drafting (the message path of the BPMN)
    tasks = db.session.scalars(select(HumanTask).where(HumanTask.plan_id == plan.id,
                                                       HumanTask.completed_at.is_(None))).all()  # fmt: skip
    assert [t.bpmn_id for t in tasks] == ["draft_plan"]
    # 冀人社发〔2018〕38号 §五: the revision under amendment is not passed, so nothing is carried out meanwhile
    with pytest.raises(Conflict):
        _sign(world, plan, _workers(plan)[1])
    # a submission with the published content unchanged is no amendment
    with pytest.raises(Conflict) as unchanged:
        submit_plan(db.session, get_engine(), actor=world.actor("clerk"), plan=plan)
    assert unchanged.value.code == "amendment_unchanged"
    db.session.rollback()
    drop_last_worker(db.session, world.actor("clerk"), world.steel, plan)
    _through_vote_review_and_publication(world, plan)
    db.session.commit()
    plan = db.session.get(Plan, plan.id)
    assert plan.status == "executing"
    assert plan.execution_started_at == first_start  # the service periods still count from the first start
    assert plan.published_hash == plan.content_hash != published
    assert db.session.scalar(select(CongressVote.id).where(CongressVote.plan_id == plan.id).order_by(
        CongressVote.id.desc())) != votes_before  # fmt: skip
    record = db.session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id)).one()
    assert record.worker_id == signed.id
    assert record.agreement_signed_on == ENDED
    stored = db.session.get(PlanAmendment, amendment.id)
    assert stored.published_at is not None
    assert stored.resumed_at is not None
    assert [t.bpmn_id for t in db.session.scalars(select(HumanTask).where(
        HumanTask.plan_id == plan.id, HumanTask.completed_at.is_(None)))] == ["carry_out_plan"]  # fmt: skip
    assert not db.session.scalar(select(WorkflowInstance.completed).where(WorkflowInstance.plan_id == plan.id))
    _sign(world, plan, _workers(plan)[1])  # recording resumes
    # the case file keeps the amendment: its reason, what it started from, who started it and when it ended
    files = unpack(build_case_file(db.session, plan, renderer(), audit_key()))
    (kept,) = json.loads(files["records/amendments.json"])
    assert (kept["number"], kept["reason"], kept["published_hash"]) == (1, REASON, published)
    assert all(kept[key] for key in ("started_by", "started_at", "published_at", "resumed_at"))
    assert "records/amendments.json" in files["README.txt"].decode()
    # and the ledger says under which published revision each part was recorded: before and after the amendment
    ledger = {e["name"]: e for e in json.loads(files["records/execution-ledger.json"])}
    assert ledger[signed.name]["recorded_under_revision"] == {"agreement": amendment.from_revision}
    assert ledger[_workers(plan)[1].name]["recorded_under_revision"] == {"agreement": plan.revision_number}
    assert plan.revision_number != amendment.from_revision


def test_a_removed_worker_with_records_is_refused_by_name(world, executing):
    plan = executing
    last = _workers(plan)[-1]
    _sign(world, plan, last)
    start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=plan, reason=REASON)
    for dry_run in (True, False):
        with pytest.raises(Invalid) as refused:
            import_roster(db.session, actor=world.actor("clerk"), plan=plan, data=roster_without_last(world.steel),
                          filename="职工名单.csv", dry_run=dry_run)  # fmt: skip
        assert refused.value.code == "worker_has_execution_records"
        assert last.name in refused.value.message
        assert [d["name"] for d in refused.value.details] == [last.name]
    assert db.session.get(RosterWorker, last.id) is not None


def test_the_amendment_is_in_the_trail_with_its_reason_and_told_to_union_bureau_and_supervisor(app, world, executing):
    plan = executing
    _sign(world, plan, _workers(plan)[0])
    start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=plan, reason=REASON)
    db.session.commit()
    (event,) = _events(plan, "plan.amendment_started")
    assert event.summary["reason"] == REASON
    with app.test_request_context():
        said = summary_text(event.action, event.summary)
    assert said.startswith(f"第1次变更，自第{plan.revision_number}版起 · {REASON} · 保留的实施登记：1")
    assert "records_kept" not in said
    assert event.summary["amendment"] == 1
    assert event.summary["records_kept"] == 1
    told = {n.role for n in db.session.scalars(select(Notification).where(
        Notification.plan_id == plan.id, Notification.kind == "plan_amendment_started"))}  # fmt: skip
    assert told == {"union", "bureau", "supervisor"}


@pytest.mark.parametrize("who", ["union", "province", "supervisor"])
def test_only_the_plans_enterprise_amends(world, executing, who):
    with pytest.raises((NotAllowed, NotFound)):
        start_amendment(db.session, get_engine(), actor=world.actor(who), plan=executing, reason=REASON)


def test_another_enterprise_cannot_amend(world, executing):
    with pytest.raises((NotAllowed, NotFound)):
        start_amendment(db.session, get_engine(), actor=world.actor("clerk_zombie"), plan=executing, reason=REASON)


def test_a_reason_is_required_and_a_plan_not_yet_published_is_not_amended(world, executing):
    with pytest.raises(Invalid) as empty:
        start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=executing, reason="  ")
    assert empty.value.details[0]["field"] == "reason"
    drafting = plan_at(db.session, get_engine(), world, "review", firm="steel", seed=3)
    with pytest.raises(Conflict):
        start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=drafting, reason=REASON)


def test_through_the_api_only_the_plans_clerk_amends_and_the_openapi_document_lists_it(api, world, executing):
    url = f"/plans/{executing.id}/execution/amend"
    assert api("union").post(url, json={"reason": REASON}).status_code == 403
    assert api("clerk_zombie").post(url, json={"reason": REASON}).status_code == 404
    missing = api("clerk").post(url, json={"reason": ""})
    assert missing.status_code == 422
    assert missing.json["details"][0]["field"] == "reason"
    done = api("clerk").post(url, json={"reason": REASON})
    assert done.status_code == 200, done.json
    assert done.json == {"amendment": 1, "from_revision": executing.revision_number, "status": "drafting",
                         "records_kept": 0}  # fmt: skip
    assert api("clerk").post(url, json={"reason": REASON}).status_code == 409  # already back at drafting
    assert "/api/v1/plans/{plan_id}/execution/amend" in api(None).get("/openapi.json").json["paths"]


def test_amended_again_before_execution_resumed_keeps_the_first_start(world, executing):
    plan, clerk = executing, world.actor("clerk")
    first_start = plan.execution_started_at
    start_amendment(db.session, get_engine(), actor=clerk, plan=plan, reason=REASON)
    drop_last_worker(db.session, clerk, world.steel, plan)
    _through_vote_review_and_publication(world, plan, start=False)
    second = start_amendment(db.session, get_engine(), actor=clerk, plan=plan, reason="再次更正。")
    assert second.number == 2
    assert second.execution_started_at == first_start
    update_plan(db.session, actor=clerk, plan=plan, title=plan.title + "（第二次变更）")
    _through_vote_review_and_publication(world, plan)
    assert plan.execution_started_at == first_start
    assert all(a.resumed_at is not None for a in db.session.scalars(select(PlanAmendment)))
