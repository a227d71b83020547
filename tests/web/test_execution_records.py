"""Each worker's execution record (domain.md §6, §8): entered by the plan's enterprise only while the plan is
carried out, each entry in the plan's trail with who and when; severance recomputed at the actual end and a
payment below it refused; the plan closed only when nothing is open."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.engine import WorkflowEngine
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.execution.close import close_plan
from approvals.execution.ledger import ledger_of, ledger_row
from approvals.execution.records import record_part
from approvals.execution_services.households import record_household
from approvals.models import AuditEvent, HumanTask, Plan, RosterWorker, WorkflowInstance
from approvals.rules.severance import segmented_severance
from approvals.services.roster import RowContext
from approvals.services.workflow import fire_timers
from notifications.models import Notification
from tests.execution_support import complete, outcome, wages_for
from tests.stages import plan_at

TODAY = date(2026, 12, 7)
ENDED = date(2026, 11, 30)


@pytest.fixture
def executing(world) -> Plan:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)  # 唐山's average of the year before the end (劳动合同法 Art 47 ¶2)
    db.session.commit()
    return plan


def _worker(plan: Plan, channel: str) -> RosterWorker:
    return db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id, RosterWorker.channel == channel)
                              .order_by(RosterWorker.id)).first()  # fmt: skip


def _events(plan: Plan, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action == action)
                                   .order_by(AuditEvent.seq)))  # fmt: skip


def _end(world, plan: Plan, worker: RosterWorker, ended: date = ENDED) -> None:  # type: ignore[no-untyped-def]
    record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="termination",
                values={"terminated_on": ended.isoformat(), "certificate_issued_on": ended.isoformat()}, today=TODAY)  # fmt: skip


def test_severance_due_is_recomputed_at_the_actual_end_with_the_rules_then_in_force(world, executing):
    # 劳动合同法 Art 47: the service up to the actual end, the city's average of the year before it, the
    # minimum wage in force that day (实施条例 Art 27, domain.md §8) — not the plan's reference date.
    worker = _worker(executing, "termination")
    _end(world, executing, worker)
    record = ledger_row(db.session, executing, worker.id, TODAY).record
    assert record.severance_due is not None
    assert record.severance_due > worker.severance  # eight more years of service than at the reference date
    data = worker.data
    wage = Decimal(str(data["monthly_wage"]))
    context = RowContext.of(db.session, executing, reference=ENDED)
    assert context.wages is not None
    assert context.wages.year == 2025
    expected = segmented_severance(worker.hire_date, ENDED, wage, context.wages, context.ground,
                                   context.enterprise_average, context.method).amount  # fmt: skip
    assert record.severance_due == expected


def test_a_payment_below_the_due_amount_is_refused_naming_the_worker_and_both_amounts(world, executing):
    worker = _worker(executing, "termination")
    _end(world, executing, worker)
    due = ledger_row(db.session, executing, worker.id, TODAY).record.severance_due
    short = due - Decimal("0.01")
    with pytest.raises(Invalid) as refused:
        record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                    values={"severance_paid": str(short), "severance_paid_on": "2026-11-30",
                            "payment_reference": "银付001"}, today=TODAY)  # fmt: skip
    message = refused.value.message
    assert worker.name in message
    assert f"{short:,.2f}" in message
    assert f"{due:,.2f}" in message
    assert refused.value.details[0]["field"] == "severance_paid"
    assert ledger_row(db.session, executing, worker.id, TODAY).record.severance_paid is None


def test_severance_waits_for_the_end_of_the_relation(world, executing):
    worker = _worker(executing, "termination")
    with pytest.raises(Invalid) as refused:
        record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                    values={"severance_paid": "1000", "severance_paid_on": "2026-11-30", "payment_reference": "x"},
                    today=TODAY)  # fmt: skip
    assert "请先登记劳动关系解除（终止）日期" in refused.value.message


def test_bad_values_are_each_named_by_field_and_rule(world, executing):
    worker = _worker(executing, "internal_retirement")
    with pytest.raises(Invalid) as refused:
        record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="agreement",
                    values={"agreement_kind": "termination", "agreement_signed_on": "2027-01-01", "colour": "red"},
                    today=TODAY)  # fmt: skip
    rules = {(d["field"], d["rule"]) for d in refused.value.details}
    assert rules == {("colour", "known_field"), ("agreement_signed_on", "not_future"),
                     ("agreement_kind", "channel_agreement")}  # fmt: skip


def test_a_worker_who_stays_has_no_end_to_record(world, executing):
    worker = _worker(executing, "internal_retirement")
    with pytest.raises(Invalid) as refused:
        _end(world, executing, worker)
    assert refused.value.details[0]["rule"] == "known_part"


def test_each_entry_is_in_the_trail_with_who_and_when(world, executing):
    worker = _worker(executing, "transformation")
    record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="agreement",
                values={"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"}, today=TODAY)  # fmt: skip
    db.session.commit()
    (event,) = _events(executing, "execution.recorded")
    assert event.actor_name == "clerk"
    assert event.summary["part"] == "agreement"
    assert event.summary["values"] == {"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"}
    assert "*" in event.summary["id_number"]  # masked in the trail
    record = ledger_row(db.session, executing, worker.id, TODAY).record
    assert record.entered["agreement"]["name"] == "clerk"
    assert record.entered["agreement"]["by"] == world.users["clerk"].id


def test_a_transfer_done_late_is_kept_as_late_and_told_to_the_bureau(world, executing):
    worker = _worker(executing, "termination")
    _end(world, executing, worker, date(2026, 11, 2))
    record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="unemployment",
                values={"unemployment_listed_on": "2026-11-12"}, today=TODAY)  # fmt: skip
    db.session.commit()
    (event,) = _events(executing, "execution.recorded")[-1:]
    assert event.summary["late"] == {"unemployment_listed_on": 3}  # due 11-09 (失业保险条例 Art 16)
    told = db.session.scalars(select(Notification).where(Notification.plan_id == executing.id,
                                                         Notification.kind == "execution_late")).all()  # fmt: skip
    assert told
    assert {n.role for n in told} == {"bureau"}


@pytest.mark.parametrize("who", ["clerk_zombie", "reviewer", "union", "supervisor"])
def test_only_the_plans_enterprise_records(world, executing, who):
    worker = _worker(executing, "transformation")
    with pytest.raises(NotAllowed):
        record_part(db.session, actor=world.actor(who), plan=executing, worker_id=worker.id, part="agreement",
                    values={"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"}, today=TODAY)  # fmt: skip


def test_another_plans_worker_is_not_found(world, executing):
    other = plan_at(db.session, get_engine(), world, "drafting", firm="steel", seed=7)
    stranger = _worker(other, "transformation")
    with pytest.raises(NotFound):
        record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=stranger.id, part="agreement",
                    values={"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"}, today=TODAY)  # fmt: skip


def test_records_wait_for_execution_to_start(world):
    plan = plan_at(db.session, get_engine(), world, "published", firm="steel")
    worker = _worker(plan, "transformation")
    with pytest.raises(Conflict):
        record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="agreement",
                    values={"agreement_kind": "transfer", "agreement_signed_on": "2026-12-01"}, today=TODAY)  # fmt: skip


def test_closing_is_refused_naming_each_worker_and_item_and_the_refusal_is_in_the_trail(world, executing):
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    for row in rows[1:]:  # the first worker left untouched
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY)
    blockers = close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=date(2026, 12, 30))
    first = rows[0]
    named = {(b.row, b.name, b.item) for b in blockers}
    assert {(first.row, first.worker.name, "协议"), (first.row, first.worker.name, "安置去向"),
            (first.row, first.worker.name, "拖欠工资和社会保险费")} <= named  # fmt: skip
    assert {b.row for b in blockers} == {first.row}
    db.session.commit()
    (event,) = _events(executing, "execution.close_refused")
    assert event.summary["open"] == len(blockers)
    assert event.summary["workers"] == 1
    assert db.session.get(Plan, executing.id).status == "executing"


def test_overdue_transfers_block_closing_by_worker_and_days(world, executing):
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    leaver = next(r for r in rows if r.worker.channel == "termination")
    for row in rows:
        skip = ("transfers",) if row is leaver else ()
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY, skip=skip)
    blockers = close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY + timedelta(days=30))
    assert {(b.row, b.check) for b in blockers} == {(leaver.row, "transfers")}
    assert all(b.overdue > 0 and "劳动合同法第五十条" in b.message for b in blockers)
    assert {b.item for b in blockers} == {"社会保险关系转移", "档案转移"}


def test_a_plan_closes_when_nothing_is_open_and_its_process_ends(world, executing):
    clerk = world.actor("clerk")
    for row in ledger_of(db.session, executing, TODAY).rows:
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY)
    assert close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY) == []
    db.session.commit()
    plan = db.session.get(Plan, executing.id)
    assert plan.status == "closed"
    assert plan.closed_at is not None
    assert db.session.scalar(select(WorkflowInstance.completed).where(WorkflowInstance.plan_id == plan.id)) is True
    task = db.session.scalars(
        select(HumanTask).where(HumanTask.plan_id == plan.id, HumanTask.bpmn_id == "carry_out_plan")
    ).one()
    assert task.completed_at is not None
    assert _events(plan, "execution.closed")
    told = {n.role for n in db.session.scalars(select(Notification).where(Notification.plan_id == plan.id,
                                                                          Notification.kind == "plan_closed"))}  # fmt: skip
    assert told == {"union", "bureau", "supervisor"}
    with pytest.raises(Conflict):  # nothing more is recorded on a closed plan
        complete(db.session, clerk, plan, ledger_of(db.session, plan, TODAY).rows[0].worker, ENDED, TODAY)


def test_a_plan_whose_process_ended_at_publication_still_loads_and_closes(world):
    # A process started before the execution stage was drawn keeps its version (workflows/README.md): it
    # ended at publication, so the plan closes on the ledger alone, and the current engine still loads it.
    before = WorkflowEngine(Path(__file__).parent.parent / "workflows" / "fixtures" / "before_execution")
    assert before.current_version != get_engine().current_version
    plan = plan_at(db.session, before, world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id)).one()
    assert instance.completed
    assert instance.process_version == before.current_version
    clerk = world.actor("clerk")
    for row in ledger_of(db.session, plan, TODAY).rows:
        complete(db.session, clerk, plan, row.worker, ENDED, TODAY)
    current = get_engine()
    fire_timers(db.session, current, plan)  # the current engine restores the earlier version's instance
    assert close_plan(db.session, current, actor=clerk, plan=plan, today=TODAY) == []
    db.session.commit()
    assert db.session.get(Plan, plan.id).status == "closed"


def test_a_leaving_worker_short_of_the_notices_services_blocks_closing(world, executing):
    """冀人社发〔2018〕38号 §四: each leaving worker has had 3 job recommendations and 1 of career guidance,
    employment service or training before the plan is carried out; the refusal names the worker and what is short."""
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    leaver = next(r for r in rows if r.worker.channel == "termination")
    for row in rows:
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY, skip=("services",) if row is leaver else ())
    blockers = close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY)
    assert [(b.check, b.row, b.name) for b in blockers] == [("services", leaver.row, leaver.worker.name)]
    assert str(blockers[0].message) == "岗位推荐还差3次，职业指导、就业服务或职业培训还差1次"
    assert db.session.get(Plan, executing.id).status == "executing"


def test_a_household_whose_members_are_all_without_work_blocks_closing_until_the_ledger_places_one(world, executing):
    """No zero-employment family (通知 §四 "确保不出现零就业家庭"): a leaving worker's household with nobody at work
    keeps the plan open; the worker's placement outcome in the ledger (a new post from its start) is work."""
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    leaver = next(r for r in rows if r.worker.channel == "termination")
    record_household(db.session, actor=clerk, plan=executing, members=[(leaver.worker.id_number, "head")])
    for row in rows:
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY, skip=("outcome",) if row is leaver else ())
    checks = {b.check for b in close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY)}
    assert checks == {"outcomes", "households"}
    record_part(db.session, actor=clerk, plan=executing, worker_id=leaver.worker.id, part="outcome",
                values=outcome("termination", ENDED + timedelta(days=2)), today=TODAY)  # fmt: skip
    assert close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY) == []


def test_the_ledger_counts_once_and_reads_no_stored_roster_row(world, executing):
    """The page shows each count several times: they are counted once per ledger, and stay right after a
    record changes (a new ledger). The workers' stored roster rows (JSON) are not read: nothing shows them."""
    from sqlalchemy import inspect

    worker = _worker(executing, "termination")
    db.session.expire_all()
    ledger = ledger_of(db.session, executing, TODAY)
    assert ledger.counts is ledger.counts
    before = ledger.counts
    assert before["all"] == len(ledger.rows) == before["open"] + before["done"]
    assert all("data" not in inspect(r.worker).dict and "warnings" not in inspect(r.worker).dict for r in ledger.rows)
    _end(world, executing, worker, ENDED - timedelta(days=30))  # the transfers' 15 days have run: overdue
    db.session.commit()
    after = ledger_of(db.session, executing, TODAY).counts
    row = next(r for r in ledger_of(db.session, executing, TODAY).rows if r.worker.id == worker.id)
    assert row.overdue
    assert after["overdue"] == sum(1 for r in ledger_of(db.session, executing, TODAY).rows if r.overdue) >= 1
