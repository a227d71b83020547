"""Due timers: the review deadline escalates to the supervisor without ending the review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.models import Plan, WorkflowInstance
from approvals.services.workflow import fire_timers


def due_plan_ids(session: Session, now: datetime | None = None) -> list[int]:
    """Plans with a timer due by `now`, most overdue first."""
    return list(
        session.scalars(
            select(WorkflowInstance.plan_id)
            .where(WorkflowInstance.next_timer_at <= (now or utcnow()))
            .order_by(WorkflowInstance.next_timer_at)
        )
    )


def run_plan_timers(session: Session, engine: WorkflowEngine, plan_id: int) -> list[str]:
    """Fire the plan's due timers; returns the engine steps that ran."""
    plan = session.scalars(select(Plan).where(Plan.id == plan_id).with_for_update(of=Plan)).one()
    return list(fire_timers(session, engine, plan).engine_ran)
