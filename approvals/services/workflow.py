"""Driving a plan's process: start, complete a task, run timers; mirror ready tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, deadlines
from approvals.actor import SYSTEM, Actor
from approvals.db import utcnow
from approvals.engine import RESTART_AT, Step, WorkflowEngine
from approvals.errors import Conflict
from approvals.i18n import N_, Text
from approvals.models import HumanTask, Plan, ProcessVersion, Role, WorkflowInstance
from approvals.process import STATUS_BY_TASK, EngineStep, Status, Task
from approvals.signals import plan_event, task_closed
from approvals.workdays import all_covered, local_date

STATUS_LABELS: dict[str, str] = {
    Status.DRAFTING: N_("企业起草"),
    Status.CONGRESS: N_("职工代表大会审议"),
    Status.REVIEW: N_("人社部门审核"),
    Status.WORKING_GROUP: N_("联合工作组介入"),
    Status.PUBLICATION: N_("待公布"),
    Status.PUBLISHED: N_("已公布"),
    Status.EXECUTING: N_("实施中"),
    Status.CLOSED: N_("实施完毕"),
}


def ensure_current_version(session: Session, engine: WorkflowEngine) -> None:
    """Store the current process version once (keyed by the hash of the files)."""
    if session.get(ProcessVersion, engine.current_version) is None:
        session.add(
            ProcessVersion(
                hash=engine.current_version,
                process_id=engine.process_id,
                spec_json=engine.current_spec_json,
                sources=engine.current_sources,
            )
        )
        session.flush()


def start_process(session: Session, engine: WorkflowEngine, plan: Plan, data: dict[str, Any]) -> Step:
    """Start the plan's process on the current version of the files."""
    ensure_current_version(session, engine)
    step = engine.start(data)
    session.add(
        WorkflowInstance(
            plan_id=plan.id,
            process_version=engine.current_version,
            state=step.state,
            completed=step.completed,
            next_timer_at=step.next_timer_at,
        )
    )
    mirror_tasks(session, plan, step, [])
    return step


def open_tasks(session: Session, plan: Plan) -> list[HumanTask]:
    return list(
        session.scalars(select(HumanTask).where(HumanTask.plan_id == plan.id, HumanTask.completed_at.is_(None)))
    )


@dataclass(frozen=True)
class Turn:
    """The open task an action completes, and every task open beside it."""

    task: HumanTask
    open: list[HumanTask]


def take_task(session: Session, plan: Plan, bpmn_ids: tuple[str, ...], action: str) -> Turn:
    """The open task the action completes, or 409: the plan is not at that step."""
    tasks = open_tasks(session, plan)
    for task in tasks:
        if task.bpmn_id in bpmn_ids:
            return Turn(task, tasks)
    stage = STATUS_LABELS.get(plan.status, plan.status)
    raise Conflict(
        "out_of_turn",
        Text(N_("方案当前处于“%(stage)s”阶段，不能%(action)s。"), stage=Text(stage), action=Text(action)),
        {"status": plan.status, "open_tasks": [t.bpmn_id for t in tasks]},
    )


def instance_of(session: Session, engine: WorkflowEngine, plan: Plan) -> WorkflowInstance:
    with session.no_autoflush:  # pending changes to the plan are written once, at the end
        instance = session.scalars(
            select(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id).with_for_update()
        ).one()
    ensure_loaded(session, engine, instance.process_version)
    return instance


def ensure_loaded(session: Session, engine: WorkflowEngine, version: str) -> None:
    """Make the stored process version runnable (an instance started before the files changed)."""
    if not engine.knows_version(version):
        stored = session.get(ProcessVersion, version)
        if stored is None:
            raise Conflict("process_version_missing", Text(N_("方案所用流程版本缺失，无法继续办理。")))
        engine.load_version(stored.hash, stored.spec_json)


def complete_task(
    session: Session,
    engine: WorkflowEngine,
    plan: Plan,
    turn: Turn,
    data: dict[str, Any],
    actor: Actor,
    follow: tuple[tuple[str, dict[str, Any]], ...] = (),
) -> Step:
    """Complete one mirrored task in the engine (then each follow-up task as it becomes
    ready, in the same engine call) and bring the mirror up to date."""
    instance = instance_of(session, engine, plan)
    step = engine.complete(instance.process_version, instance.state, turn.task.task_uuid, data, follow)
    save_step(instance, step)
    turn.task.completed_at = utcnow()
    turn.task.completed_by_id = actor.user.id if actor.user else None
    task_closed.send(plan, session=session, task=turn.task.bpmn_id)
    mirror_tasks(session, plan, step, [t for t in turn.open if t is not turn.task])
    _after_engine_steps(session, plan, step)
    return step


def amend_process(session: Session, engine: WorkflowEngine, plan: Plan) -> Step:
    """Interrupt the execution stage for an amendment: the process is back at drafting (engine.amend), the
    execution task withdrawn, the plan's status that of drafting."""
    instance = instance_of(session, engine, plan)
    step = engine.amend(instance.process_version, instance.state, {"plan_id": plan.id})
    save_step(instance, step)
    mirror_tasks(session, plan, step, open_tasks(session, plan))
    return step


def fire_timers(session: Session, engine: WorkflowEngine, plan: Plan) -> Step:
    instance = instance_of(session, engine, plan)
    step = engine.fire_timers(instance.process_version, instance.state)
    save_step(instance, step)
    mirror_tasks(session, plan, step, open_tasks(session, plan))
    _after_engine_steps(session, plan, step)
    return step


def due_payload(due_at: datetime | None, ready_at: datetime) -> dict[str, Any]:
    """How a message states a task's deadline: its last day (China time), and whether that day
    rests on a year whose holiday arrangement is not yet published."""
    if due_at is None:
        return {}
    last = deadlines.last_day(due_at)
    return {"due_on": last.isoformat(), "due_provisional": not all_covered(local_date(ready_at), last)}


def task_payload(task: HumanTask) -> dict[str, Any]:
    return {"task": task.bpmn_id, "task_title": task.title, **due_payload(task.due_at, task.ready_at)}


def announce_ready(session: Session, plan: Plan, step: Step, acting_lane: str) -> None:
    """Tell each lane that a task now waits for it: every task the step made ready, except in the
    lane that just acted (it knows) and at drafting (the return that led there has its own event)."""
    for task in step.ready:
        if task.lane and task.lane != acting_lane and task.bpmn_id != RESTART_AT:
            plan_event.send(plan, session=session, kind="task_ready", roles=[task.lane],
                            payload={"task": task.bpmn_id, "task_title": task.title,
                                     **due_payload(task.due_at, utcnow())})  # fmt: skip


@dataclass(frozen=True)
class Escalation:
    """A deadline that passed: the engine's script task, the trail's action, the task still open,
    the notification and who receives it."""

    action: str
    task: str
    kind: str
    roles: tuple[str, ...]
    message: str


# The engine's escalation steps (workflows/README.md): the task stays open, the supervisor is told.
ESCALATIONS = {
    EngineStep.ESCALATE_REVIEW: Escalation("review.escalated", Task.BUREAU_REVIEW, "review_overdue",
                                  (Role.SUPERVISOR, Role.BUREAU), "审核超过期限，已提请督查人员督办"),
    EngineStep.ESCALATE_VOTE: Escalation("congress.vote_escalated", Task.CONGRESS_VOTE, "vote_overdue",
                                (Role.SUPERVISOR, Role.UNION, Role.ENTERPRISE), "职工代表大会表决超过期限，已提请督查人员督办"),
}  # fmt: skip


def _after_engine_steps(session: Session, plan: Plan, step: Step) -> None:
    """Record what the engine did by itself: a deadline (review, vote) escalating to the supervisor."""
    for script, escalation in ESCALATIONS.items():
        if script not in step.engine_ran:
            continue
        audit.record(session, actor=SYSTEM, role="system", action=escalation.action, plan=plan,
                     summary={"status": plan.status, "message": escalation.message})  # fmt: skip
        task = next((t for t in open_tasks(session, plan) if t.bpmn_id == escalation.task), None)
        plan_event.send(plan, session=session, kind=escalation.kind, roles=list(escalation.roles),
                        payload=task_payload(task) if task else {})  # fmt: skip


def save_step(instance: WorkflowInstance, step: Step) -> None:
    instance.state = step.state
    instance.completed = step.completed
    instance.next_timer_at = step.next_timer_at


def mirror_tasks(session: Session, plan: Plan, step: Step, still_open: list[HumanTask]) -> None:
    ready = {t.uuid: t for t in step.ready}
    now = utcnow()
    for task in still_open:
        if task.task_uuid not in ready:
            task.completed_at = now  # withdrawn by the engine (e.g. a cancelled branch)
            task_closed.send(plan, session=session, task=task.bpmn_id)
        else:
            del ready[task.task_uuid]
    for t in ready.values():
        session.add(HumanTask(plan_id=plan.id, task_uuid=t.uuid, bpmn_id=t.bpmn_id, title=t.title, lane=t.lane,
                              ready_at=now, due_at=deadlines.on_the_minute(t.due_at) if t.due_at else None,
                              remind_at=deadlines.remind_at(t.due_at, now) if t.due_at else None))  # fmt: skip
    if step.completed:  # the process ends at closing; a process of an earlier version ended at publication
        plan.status = (
            Status.CLOSED if plan.closed_at else Status.EXECUTING if plan.execution_started_at else Status.PUBLISHED
        )
    elif step.ready:
        status: str = STATUS_BY_TASK.get(step.ready[0].bpmn_id, plan.status)
        plan.status = Status.EXECUTING if status == Status.PUBLISHED and plan.execution_started_at else status
