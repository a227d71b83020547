"""The SpiffWorkflow adapter: the only module that imports SpiffWorkflow.

Specs are parsed once; each version of the process files is identified by the SHA-256 of the
files and stored once (``ProcessVersion``); per plan only the instance state is serialized.
Every restored workflow gets the restricted script engine back, because SpiffWorkflow does not
serialize it and would otherwise fall back to an engine with full builtins.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition

from approvals.errors import Conflict
from approvals.i18n import N_, Listing, Text
from approvals.process import PLACEMENT_PLAN, EngineStep, Message, ProcessOutline, Task

PROCESS_ID = PLACEMENT_PLAN
# Whenever the process is back at this task, the instance restarts there (see _advance),
# carrying only these variables (the app sets both deadlines again on every submission).
RESTART_AT = Task.DRAFT_PLAN
CARRIED = ("plan_id",)
# The message that interrupts the execution stage for an amendment (boundary event `amendment_started`).
AMENDMENT_MESSAGE = Message.AMENDMENT
# The execution stage's user task and the daily deadline check on it (workflows/README.md).
EXECUTION_TASK = Task.CARRY_OUT_PLAN
EXECUTION_TIMER = EngineStep.EXECUTION_DEADLINES_DUE

# What BPMN expressions and scripts may call: data shaping only. No __import__, no open.
SAFE_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "float", "int", "len", "list", "max", "min",
        "round", "set", "sorted", "str", "sum", "tuple",
    )
}  # fmt: skip


def restricted_script_engine() -> PythonScriptEngine:
    """A script engine whose globals carry only SAFE_BUILTINS."""
    return PythonScriptEngine(environment=TaskDataEnvironment({"__builtins__": SAFE_BUILTINS}))


class _InstanceOnlyConverter(BpmnWorkflowConverter):  # type: ignore[misc]  # SpiffWorkflow has no types
    """Serialize a workflow without its spec: the spec lives once in ProcessVersion."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


@dataclass(frozen=True)
class ReadyTask:
    uuid: str
    bpmn_id: str
    title: str
    lane: str | None
    due_at: datetime | None = None  # when a timer on the task fires (naive UTC)


@dataclass(frozen=True)
class Step:
    """What the engine reports after a start, a completion or a timer run."""

    state: str
    ready: tuple[ReadyTask, ...]
    completed: bool
    next_timer_at: datetime | None
    engine_ran: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Version:
    spec: Any
    subprocess_specs: dict[str, Any]


def hash_files(paths: Iterable[Path]) -> str:
    """SHA-256 over the names and bytes of the process files."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class WorkflowEngine:
    """Parses the process once and runs instances of any stored version of it."""

    def __init__(
        self,
        workflows_dir: Path,
        process_id: str = PROCESS_ID,
        restart_at: str | None = RESTART_AT,
        carried: tuple[str, ...] = CARRIED,
    ) -> None:
        self.process_id = process_id
        self.restart_at = restart_at
        self.carried = carried
        bpmn = sorted(workflows_dir.glob("*.bpmn"))
        dmn = sorted(workflows_dir.glob("*.dmn"))
        parser = SpiffBpmnParser(validator=VALIDATOR)
        parser.add_bpmn_files([str(p) for p in bpmn])
        parser.add_dmn_files([str(p) for p in dmn])
        self._registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        spec_serializer = BpmnWorkflowSerializer(self._registry)
        self._encoder = spec_serializer.json_encoder_cls
        self._decoder = spec_serializer.json_decoder_cls
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _InstanceOnlyConverter
        self._serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
        self._scripts = restricted_script_engine()
        self.current_version = hash_files(bpmn + dmn)
        # The files as they were read: stored with the version, so a plan's diagram is drawn from
        # the process it runs on even after the files change.
        self.current_sources = {path.name: path.read_text(encoding="utf-8") for path in bpmn + dmn}
        current = _Version(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
        self._versions: dict[str, _Version] = {self.current_version: current}
        self.current_spec_json = json.dumps(
            {
                "spec": self._registry.convert(current.spec),
                "subprocess_specs": {k: self._registry.convert(v) for k, v in current.subprocess_specs.items()},
            },
            cls=self._encoder,
            ensure_ascii=False,
        )

    # -- versions ---------------------------------------------------------------------------

    def knows_version(self, version: str) -> bool:
        return version in self._versions

    def load_version(self, version: str, spec_json: str) -> None:
        """Make a stored process version runnable (instances started before a BPMN change)."""
        if version in self._versions:
            return
        dct = json.loads(spec_json, cls=self._decoder)
        self._versions[version] = _Version(
            self._registry.restore(dct["spec"]),
            {k: self._registry.restore(v) for k, v in dct["subprocess_specs"].items()},
        )

    def outline(self, version: str | None = None) -> dict[str, ProcessOutline]:
        """What each process of a version (the current one unless told) draws, in plain names."""
        spec = self._versions[version or self.current_version]
        return {process.name: _outline(process) for process in (spec.spec, *spec.subprocess_specs.values())}

    def waiting_at(self, version: str, state: str) -> tuple[str, ...]:
        """The user tasks an instance waits at (every READY one, in the called process too)."""
        wf = self._restore(version, state)
        return tuple(sorted(t.task_spec.bpmn_id for t in wf.get_tasks(state=TaskState.READY, manual=True)))

    def missing_in(self, version: str, state: str, to_version: str | None = None) -> tuple[str, ...]:
        """The ids of the instance's tasks, waiting or done, that the other version (the current one unless told)
        lacks. An instance with any cannot move there: its state would name tasks the version cannot restore."""
        wf = self._restore(version, state)
        new = self._versions[to_version or self.current_version]
        top, called = diff_workflow(self._registry, wf, new.spec, new.subprocess_specs)
        removed = list(top.removed)
        gone: set[str] = set()
        for sub_id, diff in called.items():
            if diff is None:
                gone.add(wf.subprocesses[sub_id].spec.name)
            else:
                removed += diff.removed
        specs = {n for process in (new.spec, *new.subprocess_specs.values()) for n in process.task_specs}
        for task in wf.get_tasks(state=TaskState.READY, manual=True):
            if task.task_spec.name not in specs:
                removed.append(task)
        # Predicted tasks (under a waiting one) are predicted again from the new version; the others stay.
        gone |= {
            t.task_spec.bpmn_id or t.task_spec.name.split(".")[0]
            for t in removed
            if not t.has_state(TaskState.PREDICTED_MASK)
        }
        return tuple(sorted(gone))

    def migrate(self, version: str, state: str, to_version: str | None = None,
                data: dict[str, Any] | None = None) -> Step:  # fmt: skip
        """Move an instance to another version (the current one unless told): its tasks are aligned by BPMN id,
        the waiting ones predicted again from the new version (so a boundary event drawn there since is armed,
        reading `data` beside the task's own: the execution stage's check cycle), and a timer the instance
        already waited for keeps its due time. Refused (409) when a task of the instance is not in the new
        version (`missing_in`)."""
        to = to_version or self.current_version
        if gone := self.missing_in(version, state, to):
            raise Conflict("task_gone", Text(N_("新版本中没有任务“%(tasks)s”，流程实例不能迁移。"),
                                             tasks=Listing(list(gone), N_("、"))))  # fmt: skip
        wf = self._restore(version, state)
        new = self._versions[to]
        # Timers already running keep their due time: a deadline is not lengthened by a deployment.
        armed = {
            t.task_spec.bpmn_id: t.internal_data["event_value"]
            for t in wf.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
            and "event_value" in t.internal_data
        }
        top, called = diff_workflow(self._registry, wf, new.spec, new.subprocess_specs)
        for sub_id, diff in called.items():
            sub = wf.subprocesses[sub_id]
            migrate_workflow(diff, sub, new.subprocess_specs[sub.spec.name])
        migrate_workflow(top, wf, new.spec)
        wf.subprocess_specs = new.subprocess_specs
        # A boundary event drawn on a waiting task since is predicted only from the split above the task:
        # start that split again where the new version gives it children the instance does not have.
        for task in wf.get_tasks(state=TaskState.READY, manual=True):
            split = task.parent
            if (
                split is None
                or split.state != TaskState.COMPLETED
                or not split.task_spec.name.endswith(".BoundaryEventSplit")
            ):
                continue
            if {c.task_spec.name for c in split.children} != {o.name for o in split.task_spec.outputs}:
                split.reset_branch({**deepcopy(split.parent.data), **(data or {})})
        for task in wf.get_tasks(state=TaskState.WAITING):
            bpmn_id = task.task_spec.bpmn_id
            if bpmn_id in armed and isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
                task.internal_data["event_value"] = armed[bpmn_id]
        step = self._advance(wf, to, self._steps(wf))
        try:  # what is saved must load on the new version
            self._restore(to, step.state)
        except Exception as exc:  # whatever the library raises: the move is refused and nothing is saved
            raise Conflict(
                "migration_failed", Text(N_("流程实例迁移后不能在新版本上恢复：%(error)s"), error=str(exc))
            ) from exc
        return step

    # -- running ----------------------------------------------------------------------------

    def start(self, data: dict[str, Any], version: str | None = None) -> Step:
        """Start an instance (on the current version unless told), seeding the start task."""
        return self._advance(self._fresh(version or self.current_version, data), version or self.current_version)

    def complete(
        self,
        version: str,
        state: str,
        task_uuid: str,
        data: dict[str, Any],
        follow: tuple[tuple[str, dict[str, Any]], ...] = (),
    ) -> Step:
        """Complete one ready human task with `data`, run to the next wait, and then complete
        each (task id, data) in `follow` as it becomes ready: one restore and one save."""
        wf = self._restore(version, state)
        try:
            task = wf.get_task_from_id(UUID(task_uuid))
        except TaskNotFoundException:
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise Conflict("task_not_ready", Text(N_("该任务已办理或尚未就绪，请刷新后重试。")))
        ran = self._run(wf, task, data)
        for bpmn_id, more in follow:
            nxt = wf.get_next_task(state=TaskState.READY, manual=True, spec_name=bpmn_id)
            if nxt is None:
                raise Conflict("task_not_ready", Text(N_("流程未到达“%(step)s”，请刷新后重试。"), step=bpmn_id))
            ran += self._run(wf, nxt, more)
        return self._advance(wf, version, ran)

    def fire_timers(self, version: str, state: str) -> Step:
        """Run every timer that is due now."""
        wf = self._restore(version, state)
        wf.refresh_timers()
        ran = self._steps(wf)
        _drop_finished_cycles(wf)
        return self._advance(wf, version, ran)

    def amend(self, version: str, state: str, data: dict[str, Any]) -> Step:
        """Send the amendment message: the execution stage is interrupted and the instance restarts at
        drafting. A process of a version drawn before that message existed (it waits for nothing of the
        kind, or has ended at publication) restarts at drafting too, as a fresh instance of the same
        version carrying `data` (workflows/README.md, "Back at drafting")."""
        if self.restart_at is None:
            raise Conflict("no_amendment", Text(N_("该流程不能变更。")))
        wf = self._restore(version, state)
        if AMENDMENT_MESSAGE not in {getattr(e, "name", None) for e in wf.waiting_events()}:
            return self._advance(self._fresh(version, data), version)
        wf.send_event(BpmnEvent(MessageEventDefinition(AMENDMENT_MESSAGE), {}))
        return self._advance(wf, version, self._steps(wf))

    def waits_without_execution_timer(self, version: str, state: str) -> bool:
        """Whether the instance waits at the execution stage without the deadline timer (started on a version
        drawn before it): `migrate` gives it the current version's."""
        if version == self.current_version or EXECUTION_TIMER in self._versions[version].spec.task_specs:
            return False
        wf = self._restore(version, state)
        return wf.get_next_task(state=TaskState.READY, manual=True, spec_name=EXECUTION_TASK) is not None

    def _fresh(self, version: str, data: dict[str, Any]) -> BpmnWorkflow:
        spec = self._versions[version]
        wf = BpmnWorkflow(spec.spec, spec.subprocess_specs, script_engine=self._scripts)
        wf.get_next_task(state=TaskState.READY).data.update(data)
        return wf

    def _restore(self, version: str, state: str) -> BpmnWorkflow:
        spec = self._versions[version]
        dct = json.loads(state, cls=self._serializer.json_decoder_cls)
        self._serializer.migrate(dct)
        dct["spec"], dct["subprocess_specs"] = spec.spec, spec.subprocess_specs
        wf = self._serializer.from_dict(dct)
        wf.script_engine = self._scripts
        return wf

    def _run(self, wf: BpmnWorkflow, task: Any, data: dict[str, Any]) -> list[str]:
        task.data.update(data)
        task.run()
        return self._steps(wf)

    @staticmethod
    def _steps(wf: BpmnWorkflow) -> list[str]:
        """Run the engine to the next wait; the ids of the automatic steps it took."""
        ran: list[str] = []

        def record(task: Any) -> None:
            if not task.task_spec.manual and task.task_spec.bpmn_id:
                ran.append(task.task_spec.bpmn_id)

        wf.do_engine_steps(did_complete_task=record)
        # A timer that came due in the refresh at the end of do_engine_steps runs on the next
        # call; run it now so a timer pass needs only one.
        if wf.get_tasks(state=TaskState.READY, manual=False):
            wf.do_engine_steps(did_complete_task=record)
        return ran

    def _advance(self, wf: BpmnWorkflow, version: str, ran: list[str] | None = None) -> Step:
        ran = self._steps(wf) if ran is None else ran
        ready_tasks = wf.get_tasks(state=TaskState.READY, manual=True)
        if self._back_at_restart(wf, ready_tasks):
            # Back at drafting: the rounds behind are history (kept in our own tables and the
            # audit trail), so keep only a fresh instance of the same version. The state then
            # stays the size of one round however often a plan is returned.
            data = ready_tasks[0].data
            wf = self._fresh(version, {k: data[k] for k in self.carried if k in data})
            self._steps(wf)
            ready_tasks = wf.get_tasks(state=TaskState.READY, manual=True)
        ready = tuple(
            ReadyTask(
                str(t.id),
                t.task_spec.bpmn_id,
                t.task_spec.bpmn_name or t.task_spec.bpmn_id,
                t.task_spec.lane,
                _task_due(t),
            )
            for t in ready_tasks
        )
        data = dict(ready_tasks[0].data) if ready_tasks else dict(wf.data)
        return Step(
            state=self._serializer.serialize_json(wf),
            ready=ready,
            completed=wf.is_completed(),
            next_timer_at=_next_timer(wf),
            engine_ran=tuple(ran),
            data=data,
        )

    def _back_at_restart(self, wf: BpmnWorkflow, ready_tasks: list[Any]) -> bool:
        """Waiting only at the restart task, with earlier rounds behind it."""
        if self.restart_at is None or len(ready_tasks) != 1:
            return False
        if ready_tasks[0].task_spec.bpmn_id != self.restart_at or wf.waiting_events():
            return False
        return any(
            t.task_spec.bpmn_id == self.restart_at and t.state == TaskState.COMPLETED
            for t in wf.get_tasks(state=TaskState.COMPLETED)
        )


def _outline(process: Any) -> ProcessOutline:
    specs = [t for t in process.task_specs.values() if t.bpmn_id]
    return ProcessOutline(
        file=Path(getattr(process, "file", None) or process.name).name,
        elements=frozenset(t.bpmn_id for t in specs),
        user_tasks=frozenset(t.bpmn_id for t in specs if t.manual),
        messages=frozenset(
            d.name for t in specs if isinstance(d := getattr(t, "event_definition", None), MessageEventDefinition)
        ),
        conditions=tuple(
            c.args[0] for t in specs for c, _ in getattr(t, "cond_task_specs", ()) if c is not None and c.args
        ),
    )


def _finished(task: Any) -> bool:
    return task.has_state(TaskState.FINISHED_MASK) and all(_finished(child) for child in task.children)


def _drop_finished_cycles(wf: BpmnWorkflow) -> None:
    """Keep the state of a cycle timer the size of one firing: each firing of the daily execution check leaves
    its branch (script task, end event) and a join SpiffWorkflow predicts for the boundary event under the
    waiting timer. Branches that ran to their end are history (what they did is in the app's trail and
    tables): drop them, and every waiting join but the last (all of them are cancelled with the timer)."""
    for timer in wf.get_tasks(state=TaskState.WAITING, spec_name=EXECUTION_TIMER):
        done = [child for child in timer.children if child.task_spec.manual is False and _finished(child)]
        joins = [child for child in timer.children if child.state == TaskState.WAITING]
        for task in done + joins[:-1]:
            wf._remove_task(task.id)


def _moment(value: Any) -> datetime | None:
    """A timer's ISO due time as naive UTC; None for anything else (cycles, unset)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _next_timer(wf: BpmnWorkflow) -> datetime | None:
    due = [m for m in (_moment(getattr(e, "value", None)) for e in wf.waiting_events()) if m is not None]
    return min(due, default=None)


def _task_due(task: Any) -> datetime | None:
    """The earliest timer waiting on the task's boundary (its siblings under the boundary split)."""
    due = [
        m
        for sibling in (task.parent.children if task.parent else [])
        if sibling is not task
        and sibling.state == TaskState.WAITING
        and isinstance(getattr(sibling.task_spec, "event_definition", None), TimerEventDefinition)
        and (m := _moment(sibling.internal_data.get("event_value"))) is not None
    ]
    return min(due, default=None)
