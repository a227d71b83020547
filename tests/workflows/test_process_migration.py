"""`flask process migrate`: live instances listed with their version and whether they can move; --commit moves
each, one transaction with its audit event; an instance whose waiting task is gone is refused by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.demo import verify_roster
from approvals.engine import WorkflowEngine
from approvals.models import AuditEvent, HumanTask, Plan, WorkflowInstance
from approvals.process import ReviewDecision, Status, Task
from approvals.services.review import review_plan
from config import BASE_DIR
from tests.conftest import reload
from tests.stages import plan_at

# A timer drawn on carry_out_plan: a new version whose new boundary event must reach instances already there.
EXECUTION_TIMER = """    <bpmn:boundaryEvent id="execution_overdue" name="实施超期" cancelActivity="false" attachedToRef="carry_out_plan">
      <bpmn:outgoing>flow_execution_overdue</bpmn:outgoing>
      <bpmn:timerEventDefinition id="execution_overdue_timer">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P90D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="execution_overdue_end" name="实施超期">
      <bpmn:incoming>flow_execution_overdue</bpmn:incoming>
    </bpmn:endEvent>
"""
EXECUTION_FLOW = '    <bpmn:sequenceFlow id="flow_execution_overdue" sourceRef="execution_overdue" targetRef="execution_overdue_end" />\n'


def new_version(tmp_path: Path, *, drop_review: bool = False) -> WorkflowEngine:
    """A restarted server's engine on edited files: a timer on carry_out_plan; with drop_review, the bureau's
    review renamed (no instance that waits at it or went through it can move)."""
    shutil.copytree(BASE_DIR / "workflows", tmp_path / "wf")
    bpmn = tmp_path / "wf" / "placement_plan.bpmn"
    text = bpmn.read_text(encoding="utf-8")
    text = text.replace(
        '    <bpmn:boundaryEvent id="amendment_started"',
        EXECUTION_TIMER + '    <bpmn:boundaryEvent id="amendment_started"',
    )
    text = text.replace(
        '    <bpmn:sequenceFlow id="flow_closed"', EXECUTION_FLOW + '    <bpmn:sequenceFlow id="flow_closed"'
    )
    if drop_review:
        text = text.replace('"bureau_review"', '"bureau_check"')
    bpmn.write_text(text, encoding="utf-8")
    return WorkflowEngine(tmp_path / "wf")


def run(app, *args):
    return app.test_cli_runner().invoke(args=["process", "migrate", *args])


def _versions() -> dict[int, str]:
    return dict(db.session.execute(select(WorkflowInstance.plan_id, WorkflowInstance.process_version)).all())


def _open(plan_id: int) -> list[HumanTask]:
    return list(
        db.session.scalars(select(HumanTask).where(HumanTask.plan_id == plan_id, HumanTask.completed_at.is_(None)))
    )


def _migrations() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "process.migrated")))


@pytest.fixture
def staged(world, engine):
    plans = {stage: plan_at(db.session, engine, world, stage).id for stage in ("congress", "review", "published")}
    db.session.commit()
    return plans


def test_with_every_instance_on_the_current_version_there_is_nothing_to_move(app, staged):
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "没有需要迁移的流程实例" in result.output


def _said(output: str, plans: dict[str, int]) -> dict[str, str]:
    lines = output.splitlines()
    return {
        stage: next(line for line in lines if line.startswith(f"方案{plan_id}“")) for stage, plan_id in plans.items()
    }


def test_the_dry_run_lists_each_live_instance_and_changes_nothing(app, engine, staged, tmp_path, monkeypatch):
    old = engine.current_version
    new = new_version(tmp_path)
    monkeypatch.setitem(app.extensions, "workflow_engine", new)
    result = run(app)
    assert result.exit_code == 0, result.output
    said = _said(result.output, staged)
    assert said["congress"].endswith(f"版本 {old[:12]} → {new.current_version[:12]}，等待任务 congress_vote：可以迁移")
    assert said["review"].endswith("等待任务 bureau_review：可以迁移")
    assert said["published"].endswith("等待任务 carry_out_plan：可以迁移")
    assert "加 --commit 实际迁移" in result.output
    assert set(_versions().values()) == {old}
    assert _migrations() == []


def test_commit_moves_each_instance_with_its_audit_event(app, engine, world, staged, tmp_path, monkeypatch):
    old = engine.current_version
    review_task = _open(staged["review"])[0]
    review_row, review_due = review_task.id, review_task.due_at
    execution_row = _open(staged["published"])[0].id
    new = new_version(tmp_path)
    monkeypatch.setitem(app.extensions, "workflow_engine", new)
    result = run(app, "--commit")
    assert result.exit_code == 0, result.output
    assert "已迁移 3 个流程实例，0 个不能迁移。" in result.output
    db.session.expire_all()
    assert set(_versions().values()) == {new.current_version}
    events = {e.plan_id: e.summary for e in _migrations()}
    assert events == {
        staged[stage]: {"from_version": old, "to_version": new.current_version, "tasks": [task]}
        for stage, task in (("congress", Task.CONGRESS_VOTE), ("review", Task.BUREAU_REVIEW),
                            ("published", Task.CARRY_OUT_PLAN))
    }  # fmt: skip
    # The review keeps its row, its place in the queue and its deadline.
    [review] = _open(staged["review"])
    assert (review.id, review.bpmn_id, review.due_at) == (review_row, Task.BUREAU_REVIEW, review_due)
    # Execution keeps its row and gets the new version's timer.
    [execution] = _open(staged["published"])
    assert (execution.id, execution.bpmn_id) == (execution_row, Task.CARRY_OUT_PLAN)
    assert execution.due_at is not None
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == staged["published"])).one()
    assert instance.next_timer_at is not None
    assert reload(staged["published"]).status == Status.PUBLISHED
    # The moved review goes on, on the new version (the zombie firm's plan goes to the working group).
    moved = reload(staged["review"])
    verify_roster(db.session, world.actor("province"), moved)  # the bureau's own check first
    review_plan(db.session, new, actor=world.actor("province"), plan=moved,
                decision=ReviewDecision.APPROVE, reasons="")  # fmt: skip
    db.session.commit()
    assert [t.bpmn_id for t in _open(staged["review"])] == [Task.FORM_WORKING_GROUP]
    assert db.session.get(Plan, staged["review"]).status == Status.WORKING_GROUP
    # Nothing is left to move.
    again = run(app)
    assert again.exit_code == 0, again.output
    assert "没有需要迁移的流程实例" in again.output


def test_an_instance_whose_task_is_gone_is_refused_by_plan_and_task(app, engine, staged, tmp_path, monkeypatch):
    old = engine.current_version
    new = new_version(tmp_path, drop_review=True)
    monkeypatch.setitem(app.extensions, "workflow_engine", new)
    listed = run(app)
    assert listed.exit_code == 1
    said = _said(listed.output, staged)
    assert said["congress"].endswith("等待任务 congress_vote：可以迁移")
    assert said["review"].endswith("等待任务 bureau_review：不能迁移，任务“bureau_review”在新版本中不存在")
    # the published plan went through the review: its state names that task, which the new version lacks
    assert said["published"].endswith("等待任务 carry_out_plan：不能迁移，任务“bureau_review”在新版本中不存在")
    result = run(app, "--commit")
    assert result.exit_code == 1
    assert "已迁移 1 个流程实例，2 个不能迁移。" in result.output
    db.session.expire_all()
    assert _versions() == {staged["congress"]: new.current_version, staged["review"]: old, staged["published"]: old}
    assert [e.plan_id for e in _migrations()] == [staged["congress"]]
    # the refused ones still run on their own version
    assert engine.waiting_at(old, db.session.scalars(select(WorkflowInstance.state).where(
        WorkflowInstance.plan_id == staged["review"])).one()) == (Task.BUREAU_REVIEW,)  # fmt: skip
