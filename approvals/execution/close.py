"""Closing a plan (实施完毕): the enterprise's step at the end of the execution stage, refused while anything
is open (closing.CLOSING_CHECKS). A refusal is itself recorded in the trail, so the caller commits either way."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.execution.closing import Blocker, ClosingFacts, closing_blockers
from approvals.execution.ledger import ledger_of, today_in_china
from approvals.execution.records import require_executing
from approvals.i18n import N_
from approvals.models import Plan, Role
from approvals.process import Status, Task
from approvals.services.workflow import Turn, complete_task, open_tasks
from approvals.signals import plan_event

CLOSE_TASK = Task.CARRY_OUT_PLAN
NAMED_IN_TRAIL = 50  # the refusal's items kept in the trail; the count covers the rest


def close_plan(session: Session, engine: WorkflowEngine, *, actor: Actor, plan: Plan,
               today: date | None = None) -> list[Blocker]:  # fmt: skip
    """Close the plan when nothing is open; otherwise return every open item (and record the refusal)."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("确认实施完毕"))
    require_executing(plan)
    today = today or today_in_china()
    ledger = ledger_of(session, plan, today)
    blockers = closing_blockers(ClosingFacts(session, plan, ledger, today))
    if blockers:
        audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.close_refused", plan=plan,
                     summary={"open": len(blockers), "workers": len({b.row for b in blockers}),
                              "items": [b.as_dict() for b in blockers[:NAMED_IN_TRAIL]]})  # fmt: skip
        return blockers
    plan.closed_at = utcnow()
    tasks = open_tasks(session, plan)
    task = next((t for t in tasks if t.bpmn_id == CLOSE_TASK), None)
    if task is not None:  # a process started before the execution stage was drawn ended at publication
        complete_task(session, engine, plan, Turn(task, tasks), {}, actor)
    plan.status = Status.CLOSED
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.closed", plan=plan,
                 summary={"workers": len(ledger.rows), "content_hash": plan.content_hash})  # fmt: skip
    plan_event.send(plan, session=session, kind="plan_closed", roles=[Role.UNION, Role.BUREAU, Role.SUPERVISOR],
                    payload={"workers": len(ledger.rows)})  # fmt: skip
    return []
