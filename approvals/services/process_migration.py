"""Moving live instances to the current process version (`flask process migrate`, workflows/README.md).

Running instances keep the version they started with; moving them is this explicit step. An instance can move
when every task it waits at, and every task it has done, exists in the current version (its state names them);
each move is one transaction with its audit event (the caller commits per instance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, deadlines
from approvals.actor import SYSTEM
from approvals.db import utcnow
from approvals.engine import Step, WorkflowEngine
from approvals.errors import Conflict
from approvals.execution.deadlines import check_cycle
from approvals.models import HumanTask, Plan, WorkflowInstance
from approvals.services.workflow import (
    ensure_current_version,
    ensure_loaded,
    instance_of,
    mirror_tasks,
    open_tasks,
    save_step,
)


@dataclass(frozen=True)
class Candidate:
    """A live instance on an earlier version: where it waits, and which of its tasks the current version lacks."""

    plan_id: int
    title: str
    version: str
    waiting: tuple[str, ...]
    gone: tuple[str, ...]

    @property
    def can_move(self) -> bool:
        return not self.gone


def candidates(session: Session, engine: WorkflowEngine) -> list[Candidate]:
    """Every live (not completed) instance on a version other than the current one, by plan."""
    rows = session.execute(
        select(WorkflowInstance, Plan.title)
        .join(Plan, Plan.id == WorkflowInstance.plan_id)
        .where(WorkflowInstance.completed.is_(False), WorkflowInstance.process_version != engine.current_version)
        .order_by(WorkflowInstance.plan_id)
    ).all()
    found = []
    for instance, title in rows:
        ensure_loaded(session, engine, instance.process_version)
        waiting = engine.waiting_at(instance.process_version, instance.state)
        gone = engine.missing_in(instance.process_version, instance.state)
        found.append(Candidate(instance.plan_id, title, instance.process_version, waiting, gone))
    return found


def migrate_plan(session: Session, engine: WorkflowEngine, plan: Plan, now: datetime | None = None) -> Candidate:
    """Move the plan's instance to the current version, with its audit event; refused (409) when a task it
    waits at or has done is not in the current version. An instance waiting at the execution stage gets the
    daily deadline check counted from `now` if the current version draws it and its own did not. The caller
    commits."""
    instance = instance_of(session, engine, plan)  # locked for the move
    waiting = engine.waiting_at(instance.process_version, instance.state)
    if instance.completed or instance.process_version == engine.current_version:
        raise Conflict("not_to_migrate", f"方案{plan.id}的流程已结束或已是当前版本，无需迁移。")
    moved = Candidate(plan.id, plan.title, instance.process_version, waiting,
                      engine.missing_in(instance.process_version, instance.state))  # fmt: skip
    if not moved.can_move:
        raise Conflict(
            "waiting_task_gone",
            f"方案{plan.id}“{plan.title}”的任务“{'、'.join(moved.gone)}”在新版本中不存在，不能迁移。",
            {"plan_id": plan.id, "tasks": list(moved.gone)},
        )
    ensure_current_version(session, engine)
    step = engine.migrate(instance.process_version, instance.state, data=check_cycle(now or utcnow()))
    instance.process_version = engine.current_version
    save_step(instance, step)
    _rebind(session, plan, step)
    audit.record(session, actor=SYSTEM, role="system", action="process.migrated", plan=plan,
                 summary={"from_version": moved.version, "to_version": engine.current_version,
                          "tasks": list(waiting)})  # fmt: skip
    return moved


def _rebind(session: Session, plan: Plan, step: Step) -> None:
    """Bring the task mirror to the moved instance: a task the engine started again under a new id (a boundary
    event drawn on it since) keeps its row, so its place in the queues and its ready time stay."""
    still_open = open_tasks(session, plan)
    known = {t.task_uuid for t in still_open}
    for ready in step.ready:
        if ready.uuid in known:
            continue
        row: HumanTask | None = next(
            (t for t in still_open if t.bpmn_id == ready.bpmn_id and t.task_uuid not in {r.uuid for r in step.ready}),
            None,
        )
        if row is not None:
            row.task_uuid, row.title, row.lane = ready.uuid, ready.title, ready.lane
            if ready.due_at is not None and row.due_at is None:
                row.due_at = deadlines.on_the_minute(ready.due_at)
                row.remind_at = deadlines.remind_at(ready.due_at, row.ready_at)
            known.add(ready.uuid)
    mirror_tasks(session, plan, step, still_open)
