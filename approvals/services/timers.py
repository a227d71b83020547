"""What comes due by itself: process timers (the review deadline escalating to the supervisor
without ending the review) and the reminder that a task's deadline is near.

Each item is claimed with FOR UPDATE SKIP LOCKED over the rows the work changes (on PostgreSQL;
SQLite ignores it and runs one worker), so two workers never take the same item: the second one
skips a row the first holds, and a row the first already changed no longer matches. The caller
commits after each item.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.deadlines import standing
from approvals.engine import WorkflowEngine
from approvals.models import HumanTask, Plan, WorkflowInstance
from approvals.services.workflow import fire_timers, task_payload
from approvals.signals import plan_event


def claim_due_timer(session: Session, now: datetime, skip: Collection[int] = ()) -> Plan | None:
    """The plan whose timer is most overdue at `now`, locked with its instance (plans in `skip`
    left out: a plan that failed earlier in the same pass)."""
    query = (
        select(Plan)
        .join(WorkflowInstance, WorkflowInstance.plan_id == Plan.id)
        .where(WorkflowInstance.next_timer_at < now)
        .order_by(WorkflowInstance.next_timer_at)
        .limit(1)
        .with_for_update(of=(WorkflowInstance, Plan), skip_locked=True)  # type: ignore[arg-type]
    )
    if skip:
        query = query.where(Plan.id.not_in(list(skip)))
    return session.scalars(query).first()


def run_plan_timers(session: Session, engine: WorkflowEngine, plan: Plan) -> list[str]:
    """Fire the claimed plan's due timers; the engine steps that ran."""
    return list(fire_timers(session, engine, plan).engine_ran)


def claim_due_reminder(session: Session, now: datetime) -> tuple[HumanTask, Plan] | None:
    """An open task whose deadline reminder is due and not yet sent, locked with its plan."""
    row = session.execute(
        select(HumanTask, Plan)
        .join(Plan, HumanTask.plan_id == Plan.id)
        .where(HumanTask.completed_at.is_(None), HumanTask.reminded_at.is_(None), HumanTask.remind_at <= now)
        .order_by(HumanTask.remind_at)
        .limit(1)
        .with_for_update(of=(HumanTask, Plan), skip_locked=True)  # type: ignore[arg-type]
    ).first()
    return (row[0], row[1]) if row else None


def send_reminder(session: Session, task: HumanTask, plan: Plan, now: datetime) -> bool:
    """Tell the task's lane its deadline is near, once. A task already past its deadline (the
    worker was down) gets none: the overdue escalation says more. Whether a reminder went out."""
    task.reminded_at = now
    if task.due_at is None or task.lane is None or now >= task.due_at:
        return False
    left = standing(task.due_at, now, started_at=task.ready_at).working_days_left
    plan_event.send(plan, session=session, kind="deadline_near", roles=[task.lane],
                    payload={**task_payload(task), "working_days_left": left})  # fmt: skip
    return True
