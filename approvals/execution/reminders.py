"""The deadlines of the execution stage, checked by the process: the timer `execution_deadlines_due` on
`carry_out_plan` fires at 00:00 China time each day (workflows/README.md; approvals/services/timers.py runs
`check_plan` when its script task `check_execution_deadlines` ran).

* The law's periods after a relation ends: the enterprise is reminded when a transfer (劳动合同法 Art 50, 15 days)
  or the unemployment list (失业保险条例 Art 16, 7 days) is due within REMIND_WORKING_DAYS working days, and
  once it is overdue the bureau and the supervisor are told too, the escalation recorded in the plan's trail.
  Each message is sent once per record and period (`reminded`).
* The services minimum (冀人社发〔2018〕38号 §四: 3 job recommendations and 1 other service for each leaving
  worker, by the plan's services due date): the enterprise is reminded within REMIND_WORKING_DAYS working days
  of the due date of the workers still short and by how much; past it, the bureau and the supervisor are told,
  the escalation recorded in the trail. Each once per plan and due date (the trail's events are the marks).

The caller holds the plan's lock and commits: each message, its audit event and the marks in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import SYSTEM
from approvals.deadlines import REMIND_WORKING_DAYS
from approvals.execution.deadlines import PERIODS, last_day
from approvals.execution_services.rules import MIN_JOB_RECOMMENDATIONS, MIN_OTHER_SERVICES
from approvals.execution_services.services import service_shortfalls, services_due
from approvals.i18n import N_
from approvals.models import AuditEvent, ExecutionRecord, Plan, Role, RosterWorker
from approvals.process import Status
from approvals.signals import plan_event
from approvals.workdays import working_days_between

SERVICES_SOURCE = N_("冀人社发〔2018〕38号第四条")  # said in the reader's language by the templates
# The workers a services message names (the rest are counted): the ledger lists them all.
NAMED_WORKERS = 20
SERVICES_NEAR = "execution_service.due_reminded"
SERVICES_OVERDUE = "execution_service.overdue"

OPEN_PERIOD = or_(*(getattr(ExecutionRecord, p.key).is_(None) for p in PERIODS))


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
        near: list[dict[str, Any]] = []
        overdue: list[dict[str, Any]] = []
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


def remind_services(session: Session, plan: Plan, today: date) -> int:
    """The services minimum on `today`: who is short near the due date (the enterprise reminded), and once it
    passed (the trail records it, the bureau and the supervisor told). The number of messages sent."""
    if plan.execution_started_at is None:
        return 0
    due = services_due(session, plan)
    if today > due:
        action = SERVICES_OVERDUE
    elif working_days_between(today, due) < REMIND_WORKING_DAYS:
        action = SERVICES_NEAR
    else:
        return 0
    sent_before = session.scalars(select(AuditEvent.summary).where(AuditEvent.plan_id == plan.id,
                                                                   AuditEvent.action == action))  # fmt: skip
    if any(summary.get("due_on") == due.isoformat() for summary in sent_before):
        return 0
    short = service_shortfalls(session, plan.id, on=today)
    if not short:
        return 0
    workers = [{"row": w.row, "name": w.name, "job_recommendations_short": w.job_recommendations_short,
                "other_services_short": w.other_services_short} for w in short]  # fmt: skip
    summary = {"due_on": due.isoformat(), "workers": len(short), "rows": [w.row for w in short]}
    payload = {"due_on": due.isoformat(), "workers": workers[:NAMED_WORKERS], "count": len(short),
               "job_recommendations": MIN_JOB_RECOMMENDATIONS, "other_services": MIN_OTHER_SERVICES,
               "source": SERVICES_SOURCE}  # fmt: skip
    if action == SERVICES_OVERDUE:
        days = (today - due).days
        audit.record(session, actor=SYSTEM, role="system", action="execution_service.overdue", plan=plan,
                     summary={**summary, "days": days})  # fmt: skip
        plan_event.send(plan, session=session, kind="services_overdue",
                        roles=[Role.ENTERPRISE, Role.BUREAU, Role.SUPERVISOR], payload={**payload, "days": days})  # fmt: skip
    else:
        audit.record(session, actor=SYSTEM, role="system", action="execution_service.due_reminded", plan=plan,
                     summary=summary)  # fmt: skip
        plan_event.send(plan, session=session, kind="services_due", roles=[Role.ENTERPRISE], payload=payload)
    return 1


def check_plan(session: Session, plan: Plan, today: date) -> int:
    """The execution stage's deadline check for `today`: the periods of each record, then the services
    minimum; the number of messages sent. Nothing while the plan waits for the execution gate or is closed."""
    if plan.status != Status.EXECUTING:
        return 0
    return remind_plan(session, plan, today) + remind_services(session, plan, today)
