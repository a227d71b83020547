"""Correcting (更正) and withdrawing (撤销) an entered part of a worker's execution record: only the plan's
enterprise while the plan is carried out, always with a reason, by the rules of the entry; the old and new
values, the reason, who and when in the plan's trail with the bureau told; the ledger and the close read the
corrected record; the worker's page shows the history in plain words."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.documents.case_file import build_case_file
from app.documents.execution_ledger import revision_at
from app.documents.render import renderer
from app.extensions import audit_key, db, get_engine
from app.web.audit_summary import summary_text
from approvals.errors import Conflict, Invalid, NotAllowed
from approvals.execution.amendment import start_amendment
from approvals.execution.close import close_plan
from approvals.execution.corrections import correct_part, history, withdraw_part
from approvals.execution.items import OUTCOMES_BY_CHANNEL
from approvals.execution.ledger import ledger_of, ledger_row
from approvals.execution.records import record_part
from approvals.models import AuditEvent, Plan, PlanAmendment, RosterWorker
from notifications.messages import render
from notifications.models import Notification
from tests.execution_support import complete, wages_for
from tests.stages import plan_at
from tests.web.test_case_file import unpack

TODAY = date(2026, 12, 7)
ENDED = date(2026, 11, 30)
REASON = "支付金额录入错误，以银行回单为准。"


@pytest.fixture
def executing(world) -> Plan:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)  # 唐山's average of the year before the end (劳动合同法 Art 47 ¶2)
    db.session.commit()
    return plan


def _leaver(plan: Plan) -> RosterWorker:
    return db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                         RosterWorker.channel == "termination")
                              .order_by(RosterWorker.id)).first()  # fmt: skip


def _events(plan: Plan, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action == action)
                                   .order_by(AuditEvent.seq)))  # fmt: skip


def _paid(world, plan: Plan, worker: RosterWorker, extra: str = "100.00") -> Decimal:  # type: ignore[no-untyped-def]
    """The end of the relation and the severance paid (due + extra) entered; the amount due."""
    clerk = world.actor("clerk")
    record_part(db.session, actor=clerk, plan=plan, worker_id=worker.id, part="termination",
                values={"terminated_on": ENDED.isoformat(), "certificate_issued_on": ENDED.isoformat()}, today=TODAY)  # fmt: skip
    due = ledger_row(db.session, plan, worker.id).record.severance_due  # type: ignore[union-attr]
    assert due is not None
    assert due > 0
    record_part(db.session, actor=clerk, plan=plan, worker_id=worker.id, part="severance",
                values={"severance_paid": str(due + Decimal(extra)), "severance_paid_on": ENDED.isoformat(),
                        "payment_reference": "银付0001"}, today=TODAY)  # fmt: skip
    db.session.commit()
    return due


def _severance(due: Decimal, paid: Decimal | None = None, day: date = ENDED) -> dict[str, str]:
    return {"severance_paid": str(paid if paid is not None else due), "severance_paid_on": day.isoformat(),
            "payment_reference": "银付0001"}  # fmt: skip


def test_a_corrected_payment_keeps_old_and_new_values_the_reason_and_who_in_the_trail(app, world, executing):
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                 values=_severance(due, day=ENDED + timedelta(days=1)), reason=REASON, today=TODAY)  # fmt: skip
    db.session.commit()
    record = ledger_row(db.session, executing, worker.id).record
    assert (record.severance_paid, record.severance_paid_on) == (due, ENDED + timedelta(days=1))
    (event,) = _events(executing, "execution.corrected")
    assert event.actor_name == "clerk"
    assert event.summary["reason"] == REASON
    assert event.summary["part"] == "severance"
    assert event.summary["worker_id"] == worker.id
    assert event.summary["old"]["severance_paid"] == str(due + Decimal("100.00"))
    assert event.summary["new"]["severance_paid"] == str(due)
    assert (event.summary["old"]["severance_paid_on"], event.summary["new"]["severance_paid_on"]) == (
        ENDED.isoformat(), (ENDED + timedelta(days=1)).isoformat())  # fmt: skip
    assert worker.id_number not in json.dumps(event.summary, ensure_ascii=False)  # the trail masks the ID number
    told = db.session.scalars(select(Notification).where(Notification.plan_id == executing.id,
                                                         Notification.kind == "execution_corrected")).all()  # fmt: skip
    assert told
    assert {n.payload["part"] for n in told} == {"severance"}
    assert not any(n.payload["withdrawn"] for n in told)
    for language, words in (("zh_CN", "“经济补偿支付”登记被更正"), ("en", '"severance payment" entry')):
        message = render("execution_corrected", {**told[0].payload, "title": executing.title, "enterprise": "某钢铁公司"},
                         language=language, user_name="reviewer", role="bureau", plan_id=executing.id)  # fmt: skip
        assert words in message.summary
        assert f"{worker.name}" in message.body
    with app.test_request_context():
        said = summary_text("execution.corrected", event.summary)
        with force_locale("en"):
            english = summary_text("execution.corrected", event.summary)
    assert REASON in said
    assert f"{due + Decimal('100.00'):,.2f} → {due:,.2f}" in said
    assert "Reason: " in english
    assert "Severance paid" in english
    assert not re.search(r"severance_paid|worker_id|[{}\[\]]", said + english)


def test_a_corrected_payment_below_the_amount_due_is_refused_as_when_entered(world, executing):
    # 劳动合同法 Art 46, 47, 50 ¶2: a payment below the severance due at the end is refused, corrected or not.
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    with pytest.raises(Invalid) as refused:
        correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                     values=_severance(due, due - Decimal("0.01")), reason=REASON, today=TODAY)  # fmt: skip
    assert [(d["field"], d["rule"]) for d in refused.value.details] == [("severance_paid", "not_below_due")]
    db.session.rollback()
    assert _events(executing, "execution.corrected") == []
    assert ledger_row(db.session, executing, worker.id).record.severance_paid == due + Decimal("100.00")


@pytest.mark.parametrize("reason", ["", "   ", "理" * 501])
def test_a_reason_is_required(world, executing, reason):
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    for change in (
        lambda: correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id,
                             part="severance", values=_severance(due), reason=reason, today=TODAY),
        lambda: withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id,
                              part="severance", reason=reason),
    ):  # fmt: skip
        with pytest.raises(Invalid) as refused:
            change()
        assert refused.value.code == "invalid_reason"
        assert refused.value.details[0]["field"] == "reason"
        assert refused.value.details[0]["rule"] == ("too_long" if reason.strip() else "required")


def test_only_the_plans_enterprise_corrects(world, executing):
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    for who in ("reviewer", "union", "supervisor"):
        with pytest.raises(NotAllowed):
            correct_part(db.session, actor=world.actor(who), plan=executing, worker_id=worker.id, part="severance",
                         values=_severance(due), reason=REASON, today=TODAY)  # fmt: skip
        with pytest.raises(NotAllowed):
            withdraw_part(db.session, actor=world.actor(who), plan=executing, worker_id=worker.id, part="severance",
                          reason=REASON)  # fmt: skip


def test_nothing_is_corrected_while_an_amendment_is_under_way(world, executing):
    # 冀人社发〔2018〕38号 §五: a revision the congress has not passed is not carried out (amendment.py).
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=executing, reason="职工名单更正。")
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                     values=_severance(due), reason=REASON, today=TODAY)  # fmt: skip
    assert refused.value.code == "not_executing"
    with pytest.raises(Conflict) as refused:
        withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                      reason=REASON)  # fmt: skip
    assert refused.value.code == "not_executing"


def test_nothing_is_corrected_after_the_close(world, executing):
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    for row in rows:
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY)
    assert close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY + timedelta(days=30)) == []
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        withdraw_part(db.session, actor=clerk, plan=executing, worker_id=rows[0].worker.id, part="outcome",
                      reason=REASON)  # fmt: skip
    assert refused.value.code == "not_executing"


def test_a_part_not_entered_or_unchanged_is_refused(world, executing):
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    with pytest.raises(Conflict) as refused:
        withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="outcome",
                      reason=REASON)  # fmt: skip
    assert refused.value.code == "part_not_entered"
    with pytest.raises(Invalid) as refused:
        correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                     values=_severance(due, due + Decimal("100.00")), reason=REASON, today=TODAY)  # fmt: skip
    assert refused.value.code == "unchanged"


def test_a_corrected_end_recomputes_the_amount_due_and_the_parts_depending_on_it_must_still_hold(world, executing):
    worker = _leaver(executing)
    clerk = world.actor("clerk")
    due = _paid(world, executing, worker, extra="0.00")
    record_part(db.session, actor=clerk, plan=executing, worker_id=worker.id, part="transfers",
                values={"insurance_transferred_on": ENDED.isoformat()}, today=TODAY)  # fmt: skip
    # an earlier end: the transfer dated at the old end still follows it, and less service is due (the average
    # wage of the year before that end caps it: 劳动合同法 Art 47 ¶2)
    wages_for(db.session, "130200", 2024)
    earlier = ENDED - timedelta(days=400)
    correct_part(db.session, actor=clerk, plan=executing, worker_id=worker.id, part="termination",
                 values={"terminated_on": earlier.isoformat(), "certificate_issued_on": earlier.isoformat()},
                 reason="解除日期录入错误。", today=TODAY)  # fmt: skip
    record = ledger_row(db.session, executing, worker.id).record
    assert record.terminated_on == earlier
    assert record.severance_due is not None
    assert record.severance_due < due
    (event,) = _events(executing, "execution.corrected")
    assert (event.summary["old"]["severance_due"], event.summary["new"]["severance_due"]) == (
        str(due), str(record.severance_due))  # fmt: skip
    # a later end than the transfer: the transfer no longer follows the end, the payment falls below the due
    later = ENDED + timedelta(days=5)
    with pytest.raises(Invalid) as refused:
        correct_part(db.session, actor=clerk, plan=executing, worker_id=worker.id, part="termination",
                     values={"terminated_on": later.isoformat(), "certificate_issued_on": later.isoformat()},
                     reason="解除日期录入错误。", today=TODAY)  # fmt: skip
    found = {(d["part"], d["rule"]) for d in refused.value.details}
    assert ("transfers", "after_end") in found
    assert all(d["field"] == "terminated_on" for d in refused.value.details)
    assert "请先更正或撤销这些部分" in refused.value.message


def test_the_end_is_not_withdrawn_while_the_payment_stands(world, executing):
    worker = _leaver(executing)
    _paid(world, executing, worker)
    with pytest.raises(Conflict) as refused:
        withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id,
                      part="termination", reason=REASON)  # fmt: skip
    assert refused.value.code == "dependent_parts"
    assert "经济补偿支付" in refused.value.message
    withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                  reason=REASON)  # fmt: skip
    withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="termination",
                  reason=REASON)  # fmt: skip
    record = ledger_row(db.session, executing, worker.id).record
    assert (record.terminated_on, record.severance_due, record.severance_paid) == (None, None, None)
    assert set(record.entered) == set()


def test_a_withdrawn_outcome_is_open_again_and_the_close_is_refused(world, executing):
    clerk = world.actor("clerk")
    rows = ledger_of(db.session, executing, TODAY).rows
    for row in rows:
        complete(db.session, clerk, executing, row.worker, ENDED, TODAY)
    first = rows[0]
    assert ledger_of(db.session, executing, TODAY).counts["done"] == len(rows)
    withdraw_part(db.session, actor=clerk, plan=executing, worker_id=first.worker.id, part="outcome",
                  reason="去向登记有误，待核实后重新登记。")  # fmt: skip
    ledger = ledger_of(db.session, executing, TODAY)
    assert ledger.counts["open"] == 1
    assert ledger.open_by_item["outcome"] == 1
    blockers = close_plan(db.session, get_engine(), actor=clerk, plan=executing, today=TODAY + timedelta(days=30))
    assert {(b.row, b.item) for b in blockers} == {(first.row, "安置去向")}
    (event,) = _events(executing, "execution.withdrawn")
    assert event.summary["new"] == {}
    assert event.summary["old"]["outcome_kind"] == OUTCOMES_BY_CHANNEL[first.worker.channel or ""][0]


def test_the_history_is_read_from_the_trail_for_that_worker_only(world, executing):
    worker = _leaver(executing)
    due = _paid(world, executing, worker)
    correct_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                 values=_severance(due), reason=REASON, today=TODAY)  # fmt: skip
    withdraw_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=worker.id, part="severance",
                  reason="重复登记。")  # fmt: skip
    changes = history(db.session, executing, worker.id)
    assert [(c.withdrawn, c.part_key, c.reason) for c in changes] == [
        (False, "severance", REASON), (True, "severance", "重复登记。")]  # fmt: skip
    assert ("severance_paid", "实付经济补偿（元）", f"{due + Decimal('100.00'):,.2f}", f"{due:,.2f}") in changes[
        0
    ].changed
    assert history(db.session, executing, worker.id + 1) == []


def test_the_case_file_keeps_the_ledger_while_an_amendment_is_under_way(world, executing):
    worker = _leaver(executing)
    _paid(world, executing, worker)
    published = executing.revision_number
    start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=executing, reason="职工名单更正。")
    db.session.commit()
    assert executing.execution_started_at is None
    files = unpack(build_case_file(db.session, executing, renderer(), audit_key()))
    entries = {e["name"]: e for e in json.loads(files["records/execution-ledger.json"])}
    kept = entries[worker.name]
    assert kept["record"]["terminated_on"] == ENDED.isoformat()
    assert set(kept["entered"]) == {"termination", "severance"}
    assert kept["recorded_under_revision"] == {"termination": published, "severance": published}
    assert "登记时所依据的已公布版本" in files["README.txt"].decode()


def test_a_part_entered_before_entries_noted_their_revision_is_placed_by_the_amendments_started_after_it(
    world, executing
):
    executing.revision_number = 3
    amendments = [PlanAmendment(number=1, from_revision=1, started_at=datetime(2026, 11, 1, 8)),
                  PlanAmendment(number=2, from_revision=2, started_at=datetime(2026, 11, 20, 8))]  # fmt: skip
    assert revision_at(amendments, executing, "2026-10-30T09:00:00") == 1
    assert revision_at(amendments, executing, "2026-11-01T08:00:00") == 1  # nothing is entered during one
    assert revision_at(amendments, executing, "2026-11-10T09:00:00") == 2
    assert revision_at(amendments, executing, "2026-12-01T09:00:00") == 3
    db.session.rollback()


def test_a_transfer_late_since_a_corrected_end_is_told_to_the_bureau(world, executing):
    # 劳动合同法 Art 50 ¶1: the transfers within 15 days of the end; an end corrected to earlier makes a transfer
    # entered in time a late one, and the bureau hears of it as when a late transfer is entered
    worker = _leaver(executing)
    clerk = world.actor("clerk")
    _paid(world, executing, worker, extra="0.00")
    record_part(db.session, actor=clerk, plan=executing, worker_id=worker.id, part="transfers",
                values={"insurance_transferred_on": (ENDED + timedelta(days=3)).isoformat()}, today=TODAY)  # fmt: skip
    assert ledger_row(db.session, executing, worker.id).late == {}
    earlier = ENDED - timedelta(days=30)
    correct_part(db.session, actor=clerk, plan=executing, worker_id=worker.id, part="termination",
                 values={"terminated_on": earlier.isoformat(), "certificate_issued_on": earlier.isoformat()},
                 reason="解除日期录入错误。", today=TODAY)  # fmt: skip
    late = ledger_row(db.session, executing, worker.id).late
    assert set(late) == {"insurance_transferred_on"}
    (event,) = _events(executing, "execution.corrected")
    assert event.summary["late"] == late
    told = db.session.scalars(select(Notification).where(Notification.plan_id == executing.id,
                                                         Notification.kind == "execution_late")).all()  # fmt: skip
    assert {str(n.payload["late"]) for n in told} == {str(late)}
