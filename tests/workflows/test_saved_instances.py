"""Instances saved from the process version of 2026-12-08, at every waiting stage, still load and run on: with
the SpiffWorkflow installed now (an upgrade must not break stored rows), on their own version and moved to the
current one (`flask process migrate`)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from approvals.engine import WorkflowEngine
from config import BASE_DIR
from tests.workflows.saved_instances import EXECUTION_CHECKS, FIXTURE, STAGES

pytestmark = pytest.mark.any_database


def _saved(stage: str) -> dict[str, Any]:
    return json.loads((FIXTURE / f"{stage}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> WorkflowEngine:
    """The app's engine on today's files, with the saved version loaded as the app loads a stored one."""
    version = json.loads((FIXTURE / "version.json").read_text(encoding="utf-8"))
    loaded = WorkflowEngine(BASE_DIR / "workflows")
    loaded.load_version(version["hash"], version["spec_json"])
    return loaded


def test_the_fixture_has_every_waiting_stage_of_one_saved_version():
    version = json.loads((FIXTURE / "version.json").read_text(encoding="utf-8"))
    assert sorted(p.stem for p in FIXTURE.glob("*.json")) == sorted([*STAGES, "version"])
    for stage, (task, _data, _next) in STAGES.items():
        saved = _saved(stage)
        assert saved["process_version"] == version["hash"]
        assert saved["waiting"] == [task]


def test_the_saved_version_is_the_one_its_files_make(tmp_path: Path):
    version = json.loads((FIXTURE / "version.json").read_text(encoding="utf-8"))
    for name, text in version["sources"].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert WorkflowEngine(tmp_path).current_version == version["hash"]


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_saved_instance_loads_and_runs_on_to_its_next_step(engine, stage):
    saved = _saved(stage)
    task, data, following = STAGES[stage]
    version = saved["process_version"]
    assert engine.waiting_at(version, saved["state"]) == (task,)
    step = engine.complete(version, saved["state"], saved["task_uuid"], data)
    assert [t.bpmn_id for t in step.ready] == list(following)
    assert step.completed is (not following)


@pytest.mark.parametrize("stage", ["vote", "review"])
def test_a_saved_deadline_keeps_its_due_time(engine, stage):
    saved = _saved(stage)
    step = engine.fire_timers(saved["process_version"], saved["state"])  # nothing is due
    assert step.next_timer_at == datetime.fromisoformat(saved["next_timer_at"])
    assert step.ready[0].due_at == step.next_timer_at


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_saved_instance_moves_to_the_current_version_and_runs_on(engine, stage):
    saved = _saved(stage)
    task, data, following = STAGES[stage]
    moved = engine.migrate(saved["process_version"], saved["state"], data=EXECUTION_CHECKS)  # as migrate_plan gives it
    assert [t.bpmn_id for t in moved.ready] == [task]
    if saved["next_timer_at"]:  # a deadline already running is not lengthened by the move
        assert moved.ready[0].due_at == datetime.fromisoformat(saved["next_timer_at"])
    step = engine.complete(engine.current_version, moved.state, moved.ready[0].uuid, data)
    assert [t.bpmn_id for t in step.ready] == list(following)
    assert step.completed is (not following)
