"""The law's periods after a relation ends, watched by `flask worker`: the enterprise is reminded when a
transfer (劳动合同法 Art 50, 15 days) or the unemployment list (失业保险条例 Art 16, 7 days) is due within
REMIND_WORKING_DAYS working days, and once it is overdue the bureau and the supervisor are told too, the
escalation recorded in the plan's trail. Each message is sent once per record and period (`reminded`).

Records are claimed plan by plan with FOR UPDATE SKIP LOCKED (PostgreSQL), as the process timers are; the
caller commits after each plan.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import SYSTEM
from approvals.deadlines import REMIND_WORKING_DAYS
from approvals.execution.deadlines import PERIODS, last_day
from approvals.models import ExecutionRecord, Plan, Role, RosterWorker
from approvals.signals import plan_event
from approvals.workdays import working_days_between

OPEN_PERIOD = or_(*(getattr(ExecutionRecord, p.key).is_(None) for p in PERIODS))


def claim_plan(session: Session, skip: Collection[int] = ()) -> Plan | None:
    """A plan being carried out with a record whose relation ended and a period still open."""
    query = (select(Plan).join(ExecutionRecord, ExecutionRecord.plan_id == Plan.id)
             .where(Plan.status == "executing", ExecutionRecord.terminated_on.is_not(None), OPEN_PERIOD)
             .order_by(Plan.id).limit(1).with_for_update(of=Plan, skip_locked=True))  # fmt: skip
    if skip:
        query = query.where(Plan.id.not_in(list(skip)))
    return session.scalars(query).first()


def remind_plan(session: Session, plan: Plan, today: date) -> int:
    """Send what is due for the plan's records on `today`; the number of messages sent."""
    rows = session.execute(
        select(ExecutionRecord, RosterWorker).join(RosterWorker, RosterWorker.id == ExecutionRecord.worker_id)
        .where(ExecutionRecord.plan_id == plan.id, ExecutionRecord.terminated_on.is_not(None), OPEN_PERIOD)
        .with_for_update(of=ExecutionRecord, skip_locked=True)
    ).all()  # fmt: skip
    sent = 0
    for record, worker in rows:
        marks = dict(record.reminded or {})
        near, overdue = [], []
        for period in PERIODS:
            if getattr(record, period.key) is not None:
                continue
            end = last_day(record.terminated_on, period.days)
            if today > end and marks.get(period.key) != "overdue":
                overdue.append({"key": period.key, "label": period.label, "due_on": end.isoformat(),
                                "days": (today - end).days, "source": period.source})  # fmt: skip
                marks[period.key] = "overdue"
            elif today <= end and working_days_between(today, end) < REMIND_WORKING_DAYS and period.key not in marks:
                near.append(
                    {"key": period.key, "label": period.label, "due_on": end.isoformat(), "source": period.source}
                )
                marks[period.key] = "near"
        if not near and not overdue:
            continue
        row = worker.roster_row
        if near:
            plan_event.send(plan, session=session, kind="execution_due", roles=[Role.ENTERPRISE],
                            payload={"row": row, "name": worker.name, "items": near})  # fmt: skip
            sent += 1
        if overdue:
            audit.record(session, actor=SYSTEM, role="system", action="execution.overdue", plan=plan,
                         summary={"row": row, "items": [o["key"] for o in overdue],
                                  "days": max(o["days"] for o in overdue)})  # fmt: skip
            plan_event.send(plan, session=session, kind="execution_overdue",
                            roles=[Role.ENTERPRISE, Role.BUREAU, Role.SUPERVISOR],
                            payload={"row": row, "name": worker.name, "items": overdue})  # fmt: skip
            sent += 1
        record.reminded = marks
    return sent
