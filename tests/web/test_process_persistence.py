"""Process versions, timers and concurrency, through the services and the database."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from approvals.demo import create_complete_plan
from approvals.engine import WorkflowEngine
from approvals.models import AuditEvent, HumanTask, Plan, ProcessVersion, WorkflowInstance
from approvals.services.plans import update_plan
from approvals.services.submission import submit_plan
from config import BASE_DIR
from tests import flow
from tests.conftest import reload


def test_running_instances_stay_on_their_version_after_the_bpmn_changes(world, engine, complete_content, tmp_path):
    old = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title="旧版本方案")  # fmt: skip
    db.session.commit()
    shutil.copytree(BASE_DIR / "workflows", tmp_path / "wf")
    bpmn = tmp_path / "wf" / "placement_plan.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace('name="职工代表大会审议表决"', 'name="职代会表决（新版）"'),
                    encoding="utf-8")  # fmt: skip
    new_engine = WorkflowEngine(tmp_path / "wf")  # a restarted server with the new files
    assert new_engine.current_version != engine.current_version
    new = create_complete_plan(db.session, new_engine, actor=world.actor("clerk"), enterprise=world.steel, title="新版本方案")  # fmt: skip
    submit_plan(db.session, new_engine, actor=world.actor("clerk"), plan=reload(old.id))
    submit_plan(db.session, new_engine, actor=world.actor("clerk"), plan=new)
    db.session.commit()
    titles = dict(
        db.session.execute(select(HumanTask.plan_id, HumanTask.title).where(HumanTask.completed_at.is_(None))).all()
    )
    assert titles == {old.id: "职工代表大会审议表决", new.id: "职代会表决（新版）"}
    versions = dict(db.session.execute(select(WorkflowInstance.plan_id, WorkflowInstance.process_version)).all())
    assert versions == {old.id: engine.current_version, new.id: new_engine.current_version}
    assert db.session.scalar(select(func.count()).select_from(ProcessVersion)) == 2


def test_each_process_version_is_stored_once(world, engine, complete_content):
    for n in range(3):
        create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title=f"方案{n}")  # fmt: skip
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ProcessVersion)) == 1


def test_concurrent_update_loses_with_a_conflict_not_a_silent_overwrite(app, world, engine, complete_content):
    plan = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title="并发")  # fmt: skip
    db.session.commit()
    plan_id = plan.id
    with Session(db.engine) as first, Session(db.engine) as second:
        mine = first.get(Plan, plan_id)
        theirs = second.get(Plan, plan_id)
        mine.title, theirs.title = "甲的修改", "乙的修改"
        second.commit()
        with pytest.raises(StaleDataError):
            first.commit()
    assert reload(plan_id).title == "乙的修改"


def test_stale_version_over_the_api_is_409_and_saves_nothing(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    first = clerk.patch(f"/plans/{p['id']}", json={"title": "第一次修改", "version": p["version"]})
    assert first.status_code == 200
    stale = clerk.patch(f"/plans/{p['id']}", json={"title": "基于旧版本的修改", "version": p["version"]})
    assert stale.status_code == 409
    assert stale.json["error"] == "stale_version"
    header = clerk.patch(f"/plans/{p['id']}", json={"title": "又一次"}, headers={"If-Match": str(p["version"])})
    assert header.status_code == 409
    assert flow.plan(clerk, p["id"])["title"] == "第一次修改"


def test_second_completion_of_the_same_task_is_409(api, world, complete_content):
    clerk, union, reviewer, province = api("clerk"), api("union"), api("reviewer"), api("province")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "approve")
    late = flow.review(province, p["id"], "return", "晚到的退回", status=409)
    assert late["error"] == "out_of_turn"
    assert flow.plan(clerk, p["id"])["status"] == "publication"


def test_a_state_change_and_its_audit_event_commit_together(app, world, engine, complete_content):
    plan = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title="原子性")  # fmt: skip
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    update_plan(db.session, actor=world.actor("clerk"), plan=plan, title="改了但回滚")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert reload(plan.id).title == "原子性"
