"""A plan's process diagram: the BPMN files of the version its instance runs on, and the marks
(current tasks, path taken) from the human-task mirror and the trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.diagram import Marks, Process, diagram_marks, read_processes
from approvals.engine import WorkflowEngine
from approvals.errors import NotFound
from approvals.i18n import N_, Text
from approvals.models import AuditEvent, HumanTask, Plan, ProcessVersion, WorkflowInstance
from approvals.process import Status
from approvals.services.timers import EXECUTION_CHECK
from approvals.services.workflow import ESCALATIONS

# Steps the engine takes on its own, off the main path, by the audit action that records each.
ENGINE_STEPS = {escalation.action: script for script, escalation in ESCALATIONS.items()}
# The execution stage's daily check runs every day; the diagram shows its branch once it escalated something.
ENGINE_STEPS.update({"execution.overdue": EXECUTION_CHECK, "execution_service.overdue": EXECUTION_CHECK})
_PARSED: dict[str, dict[str, Process]] = {}  # process version -> its processes (a version never changes)


@dataclass(frozen=True)
class PlanDiagram:
    version: str
    main: str
    processes: dict[str, Process]
    marks: dict[str, Marks]

    @property
    def shown(self) -> list[str]:
        """The main process, then each called process the plan has entered."""
        entered = [pid for pid, m in self.marks.items() if pid != self.main and (m.taken or m.current)]
        return [self.main, *sorted(entered)]


def process_sources(session: Session, engine: WorkflowEngine, plan: Plan) -> tuple[str, dict[str, str]]:
    """The version the plan's instance runs on and its files (name -> XML)."""
    version = session.scalar(select(WorkflowInstance.process_version).where(WorkflowInstance.plan_id == plan.id))
    if version is None:
        raise NotFound("process_not_found", Text(N_("该方案尚未启动审批流程。")))
    if version == engine.current_version:
        return version, engine.current_sources
    sources = session.scalar(select(ProcessVersion.sources).where(ProcessVersion.hash == version))
    if not sources:
        raise NotFound("process_files_missing", Text(N_("该方案所用流程版本的流程图文件未保存，无法显示流程图。")))
    return version, sources


def _processes(version: str, sources: dict[str, str]) -> dict[str, Process]:
    if version not in _PARSED:
        _PARSED[version] = read_processes(sources)
    return _PARSED[version]


def process_xml(session: Session, engine: WorkflowEngine, plan: Plan, process_id: str) -> str:
    """The BPMN file that defines `process_id` in the plan's version."""
    version, sources = process_sources(session, engine, plan)
    process = _processes(version, sources).get(process_id)
    if process is None:
        raise NotFound("process_not_found", f"流程“{process_id}”不存在。")
    return sources[process.file]


def plan_diagram(session: Session, engine: WorkflowEngine, plan: Plan) -> PlanDiagram:
    """Where the plan stands on its process, and the way it came."""
    version, sources = process_sources(session, engine, plan)
    processes = _processes(version, sources)
    tasks = session.execute(
        select(HumanTask.bpmn_id, HumanTask.completed_at, HumanTask.completed_by_id)
        .where(HumanTask.plan_id == plan.id)
        .order_by(HumanTask.id)
    ).all()
    # A task the engine withdrew (completed by no one) was not done: it is no step of the path.
    done = [bpmn_id for bpmn_id, completed_at, by in tasks if completed_at is not None and by is not None]
    waiting = [bpmn_id for bpmn_id, completed_at, _by in tasks if completed_at is None]
    ran = session.scalars(
        select(AuditEvent.action).where(AuditEvent.plan_id == plan.id, AuditEvent.action.in_(ENGINE_STEPS)).distinct()
    )
    marks = diagram_marks(processes, engine.process_id, done=done, waiting=waiting,
                          finished=plan.status in (Status.PUBLISHED, Status.EXECUTING),
                          engine_ran=[ENGINE_STEPS[action] for action in ran])  # fmt: skip
    return PlanDiagram(version, engine.process_id, processes, marks)
