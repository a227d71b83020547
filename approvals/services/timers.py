"""What comes due by itself: process timers (the review deadline escalating to the supervisor
without ending the review; the execution stage's daily deadline check) and the reminder that a
task's deadline is near.

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

from approvals.db import utcnow
from approvals.deadlines import standing
from approvals.engine import WorkflowEngine
from approvals.execution.reminders import check_plan
from approvals.models import HumanTask, Plan, WorkflowInstance
from approvals.process import EngineStep, Status
from approvals.services.process_migration import migrate_plan
from approvals.services.workflow import fire_timers, instance_of, task_payload
from approvals.signals import plan_event
from approvals.workdays import local_date

# The script task the execution stage's daily timer runs (workflows/placement_plan.bpmn).
EXECUTION_CHECK = EngineStep.CHECK_EXECUTION_DEADLINES


def claim_due_timer(session: Session, now: datetime, skip: Collection[int] = ()) -> Plan | None:
    """The plan whose timer is most overdue at `now`, locked with its instance (plans in `skip`
    left out: those the pass has taken already)."""
    query = (
        select(Plan)
        .join(WorkflowInstance, WorkflowInstance.plan_id == Plan.id)
        .where(WorkflowInstance.next_timer_at < now)
        .order_by(WorkflowInstance.next_timer_at)
        .limit(1)
        .with_for_update(of=(WorkflowInstance, Plan), skip_locked=True)
    )
    if skip:
        query = query.where(Plan.id.not_in(list(skip)))
    return session.scalars(query).first()


def run_plan_timers(session: Session, engine: WorkflowEngine, plan: Plan, now: datetime | None = None) -> list[str]:
    """Fire the claimed plan's due timers; the engine steps that ran. When the execution stage's deadline
    check ran (once or, after a pause of the worker, several times), the plan's reminders and escalations
    for the day of `now` are sent in the same transaction (approvals/execution/reminders.py)."""
    ran = list(fire_timers(session, engine, plan).engine_ran)
    if EXECUTION_CHECK in ran:
        check_plan(session, plan, local_date(now or utcnow()))
    return ran


def upgrade_executions(session: Session, engine: WorkflowEngine) -> int:
    """Move to the current version every plan whose process waits at the execution stage on a version drawn
    before its deadline timer (services.process_migration.migrate_plan, as `flask process migrate` moves it),
    committing plan by plan; how many were moved. `flask worker` does this when it starts, so the deadlines of
    a stage already running are checked by the process."""
    upgraded = 0
    candidates = session.scalars(
        select(Plan.id).join(WorkflowInstance, WorkflowInstance.plan_id == Plan.id)
        .where(WorkflowInstance.completed.is_(False), WorkflowInstance.process_version != engine.current_version,
               Plan.status.in_((Status.PUBLISHED, Status.EXECUTING)))
    ).all()  # fmt: skip
    for plan_id in candidates:
        plan = session.get(
            Plan, plan_id, with_for_update={"of": Plan}
        )  # not the eagerly joined enterprise (PostgreSQL)
        if plan is None:
            continue
        instance = instance_of(session, engine, plan)
        if engine.waits_without_execution_timer(instance.process_version, instance.state):
            migrate_plan(session, engine, plan)
            upgraded += 1
        session.commit()
    return upgraded


def claim_due_reminder(session: Session, now: datetime) -> tuple[HumanTask, Plan] | None:
    """An open task whose deadline reminder is due and not yet sent, locked with its plan."""
    row = session.execute(
        select(HumanTask, Plan)
        .join(Plan, HumanTask.plan_id == Plan.id)
        .where(HumanTask.completed_at.is_(None), HumanTask.reminded_at.is_(None), HumanTask.remind_at <= now)
        .order_by(HumanTask.remind_at)
        .limit(1)
        .with_for_update(of=(HumanTask, Plan), skip_locked=True)
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
