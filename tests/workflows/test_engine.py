"""The SpiffWorkflow adapter: restricted scripts, stored versions, timers, instance-only state."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from SpiffWorkflow.exceptions import WorkflowException

from approvals.db import utcnow
from approvals.engine import Step, WorkflowEngine
from approvals.errors import Conflict
from approvals.execution.deadlines import check_cycle
from config import BASE_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def probe() -> WorkflowEngine:
    return WorkflowEngine(FIXTURES, "script_probe")


@pytest.mark.parametrize("what", ["import", "open"])
def test_scripts_cannot_import_or_open_even_after_a_restore(probe, what):
    step = probe.start({"probe": what})
    # complete() restores the instance from JSON first: the restricted engine must be reattached.
    with pytest.raises(WorkflowException) as caught:
        probe.complete(probe.current_version, step.state, step.ready[0].uuid, {})
    assert ("__import__" in str(caught.value)) or ("open" in str(caught.value))


def test_scripts_keep_the_safe_builtins(probe):
    step = probe.start({"probe": "len"})
    done = probe.complete(probe.current_version, step.state, step.ready[0].uuid, {})
    assert done.completed
    assert done.data["n"] == 3


def test_instance_state_does_not_embed_the_spec():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "review_deadline": "P20D", "passed_hash": ""})
    state = json.loads(step.state)
    assert "spec" not in state
    assert "subprocess_specs" not in state
    assert len(step.state) < len(engine.current_spec_json)


def test_completing_a_task_that_is_not_ready_is_a_conflict():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "review_deadline": "P20D", "passed_hash": ""})
    done = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": False, "content_hash": "h", "passed_hash": ""})  # fmt: skip
    with pytest.raises(Conflict):
        engine.complete(engine.current_version, done.state, step.ready[0].uuid, {})


def test_version_hash_changes_with_the_files(tmp_path):
    shutil.copytree(BASE_DIR / "workflows", tmp_path / "wf")
    before = WorkflowEngine(tmp_path / "wf").current_version
    bpmn = tmp_path / "wf" / "placement_plan.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace("起草安置方案", "起草安置方案（新版）"), encoding="utf-8")
    assert WorkflowEngine(tmp_path / "wf").current_version != before


def test_review_timer_is_reported_with_its_due_time():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "review_deadline": "P20D", "passed_hash": "h"})
    assert step.next_timer_at is None
    step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": True, "content_hash": "h", "passed_hash": "h"})  # fmt: skip
    assert [t.bpmn_id for t in step.ready] == ["bureau_review"]
    assert step.next_timer_at is not None
    days = (step.next_timer_at - utcnow()).total_seconds() / 86400
    assert 19.9 < days <= 20.0
    assert step.ready[0].due_at == step.next_timer_at  # the review's own timer


def test_a_duration_in_seconds_sets_the_timer_to_the_second():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "passed_hash": "h"})
    before = utcnow()
    step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": True, "content_hash": "h", "passed_hash": "h",
                            "review_deadline": "PT90061.500000S"})  # fmt: skip
    assert step.ready[0].due_at is not None
    late = (step.ready[0].due_at - before).total_seconds() - 90061.5
    assert 0 <= late < 1
    assert step.next_timer_at == step.ready[0].due_at


def test_timer_escalates_without_cancelling_the_review():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "review_deadline": "PT1S", "passed_hash": "h"})
    step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": True, "content_hash": "h", "passed_hash": "h"})  # fmt: skip
    assert "escalate_review" not in step.engine_ran
    with time_machine.travel(timedelta(seconds=1.1), tick=False):  # the PT1S deadline has passed
        fired = engine.fire_timers(engine.current_version, step.state)
    assert "escalate_review" in fired.engine_ran
    assert [t.bpmn_id for t in fired.ready] == ["bureau_review"]
    assert fired.next_timer_at is None


def test_vote_timer_escalates_without_cancelling_the_vote_and_a_new_session_rearms_it():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "passed_hash": ""})
    step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": True, "content_hash": "h", "passed_hash": "", "review_deadline": "P20D",
                            "vote_deadline": "PT1S"})  # fmt: skip
    assert [t.bpmn_id for t in step.ready] == ["congress_vote"]
    assert step.ready[0].due_at == step.next_timer_at
    with time_machine.travel(timedelta(seconds=1.1), tick=False):  # the PT1S deadline has passed
        fired = engine.fire_timers(engine.current_version, step.state)
    assert "escalate_vote" in fired.engine_ran
    assert [t.bpmn_id for t in fired.ready] == ["congress_vote"]
    assert fired.next_timer_at is None  # fired once, not re-armed
    again = engine.complete(engine.current_version, fired.state, fired.ready[0].uuid,
                            {"vote_result": "invalid", "review_deadline": "P20D", "vote_deadline": "P15D"})  # fmt: skip
    assert [t.bpmn_id for t in again.ready] == ["congress_vote"]  # a new session, with a new period
    days = (again.next_timer_at - utcnow()).total_seconds() / 86400
    assert 14.9 < days <= 15.0


def test_state_stays_small_however_often_a_plan_is_returned():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 7, "review_deadline": "P20D", "passed_hash": ""})
    sizes = []
    for round_ in range(20):
        h = f"h{round_}"
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                               {"plan_complete": True, "content_hash": h, "passed_hash": "", "review_deadline": "P20D",
                                "vote_deadline": "P15D"})  # fmt: skip
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, {"vote_result": "passed"})
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, {"review_decision": "return"})
        assert [t.bpmn_id for t in step.ready] == ["draft_plan"]
        assert step.data == {"plan_id": 7}  # the app sets both deadlines again on each submission
        sizes.append(len(step.state))
    assert max(sizes) - min(sizes) < 64  # the rounds behind are not carried in the engine state
    assert step.next_timer_at is None


def test_follow_completes_the_next_task_in_the_same_call():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    step = engine.start({"plan_id": 1, "review_deadline": "P20D", "passed_hash": "h"})
    data = {"zombie": True, "open_disputes": 0, "arrears_amount": 0.0, "mass_layoff": False, "workers_to_place": 10,
            "share_to_place": 0.1, "approval_ratio": 0.9, "funding_gap": 0.0}  # fmt: skip
    for payload in ({"plan_complete": True, "content_hash": "h", "passed_hash": "h"},
                    {"review_decision": "approve", **data}):  # fmt: skip
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, payload)
    assert [t.bpmn_id for t in step.ready] == ["form_working_group"]
    assert step.ready[0].lane == "working_group"
    done = engine.complete(engine.current_version, step.state, step.ready[0].uuid, {"wg_members": 7},
                           follow=(("record_findings", {"wg_decision": "cleared"}),))  # fmt: skip
    assert [t.bpmn_id for t in done.ready] == ["publish_plan"]
    with pytest.raises(Conflict):
        engine.complete(engine.current_version, step.state, step.ready[0].uuid, {"wg_members": 7},
                        follow=(("publish_plan", {}),))  # fmt: skip


def _published(engine: WorkflowEngine) -> Step:
    """An instance of `engine`'s version published now (at carry_out_plan, or ended at publication on an
    earlier version), the execution stage's daily check sent as publication sends it."""
    step = engine.start({"plan_id": 3, "passed_hash": ""})
    risk = {"zombie": False, "open_disputes": 0, "arrears_amount": 0.0, "mass_layoff": False, "workers_to_place": 10,
            "share_to_place": 0.1, "approval_ratio": 0.9, "funding_gap": 0.0}  # fmt: skip
    deadlines = {"review_deadline": "P20D", "vote_deadline": "P15D"}
    for payload in ({"plan_complete": True, "content_hash": "h1", "passed_hash": "", **deadlines},
                    {"vote_result": "passed", **deadlines}, {"review_decision": "approve", **risk},
                    check_cycle(utcnow())):  # fmt: skip
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, payload)
    return step


def _to_execution(engine: WorkflowEngine) -> str:
    return _published(engine).state


def test_the_amendment_message_interrupts_execution_and_restarts_at_drafting():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    state = _to_execution(engine)
    step = engine.amend(engine.current_version, state, {"plan_id": 3})
    assert "amendment_started" in step.engine_ran  # the boundary event on carry_out_plan, drawn in the diagram
    assert [t.bpmn_id for t in step.ready] == ["draft_plan"]
    assert step.data == {"plan_id": 3}
    assert not step.completed
    # the amended revision goes through the vote again (a new hash) and the review
    step = engine.complete(engine.current_version, step.state, step.ready[0].uuid,
                           {"plan_complete": True, "content_hash": "h2", "passed_hash": "h1",
                            "review_deadline": "P20D", "vote_deadline": "P15D"})  # fmt: skip
    assert [t.bpmn_id for t in step.ready] == ["congress_vote"]


def test_an_instance_of_the_version_before_the_execution_stage_is_amended_too():
    # Processes started before the execution stage was drawn ended at publication (workflows/README.md): an
    # amendment restarts them at drafting on their own version.
    before = WorkflowEngine(FIXTURES / "before_execution")
    state = _to_execution(before)
    step = before.amend(before.current_version, state, {"plan_id": 3})
    assert [t.bpmn_id for t in step.ready] == ["draft_plan"]
    assert not step.completed


# A Tuesday, 15:30 China time; the next 00:00 China time is Wed 2026-12-09 00:00 = Tue 16:00 UTC.
PUBLISHED = datetime(2026, 12, 8, 7, 30)
MIDNIGHT = datetime(2026, 12, 8, 16, 0)


def test_the_execution_stage_is_checked_at_midnight_china_time_each_day_while_the_task_stays_open():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        step = _published(engine)
    assert [t.bpmn_id for t in step.ready] == ["carry_out_plan"]
    assert step.ready[0].due_at is None  # the stage has no deadline of its own: the workers' periods do
    assert step.next_timer_at == MIDNIGHT
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) - timedelta(seconds=1), tick=False):
        early = engine.fire_timers(engine.current_version, step.state)
    assert "check_execution_deadlines" not in early.engine_ran
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(seconds=1), tick=False):
        fired = engine.fire_timers(engine.current_version, step.state)
    assert fired.engine_ran == ("check_execution_deadlines", "execution_deadlines_checked")
    assert [t.uuid for t in fired.ready] == [step.ready[0].uuid]  # non-interrupting: the same task waits on
    assert fired.next_timer_at == MIDNIGHT + timedelta(days=1)  # re-armed for the next day
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(days=1, seconds=1), tick=False):
        again = engine.fire_timers(engine.current_version, fired.state)
    assert again.engine_ran == ("check_execution_deadlines", "execution_deadlines_checked")
    assert again.next_timer_at == MIDNIGHT + timedelta(days=2)


def test_a_paused_worker_catches_up_every_missed_day_in_one_pass():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        step = _published(engine)
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(days=2, hours=3), tick=False):
        fired = engine.fire_timers(engine.current_version, step.state)
    assert fired.engine_ran.count("check_execution_deadlines") == 3
    assert fired.next_timer_at == MIDNIGHT + timedelta(days=3)


def test_closing_the_plan_or_amending_it_cancels_the_execution_timer():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        step = _published(engine)
        closed = engine.complete(engine.current_version, step.state, step.ready[0].uuid, {})
        amended = engine.amend(engine.current_version, step.state, {"plan_id": 3})
    assert closed.completed
    assert closed.next_timer_at is None
    assert [t.bpmn_id for t in amended.ready] == ["draft_plan"]
    assert amended.next_timer_at is None
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(days=5), tick=False):
        assert engine.fire_timers(engine.current_version, closed.state).engine_ran == ()


def test_an_instance_at_the_execution_stage_of_the_version_before_the_timer_is_upgraded_to_it():
    before = WorkflowEngine(FIXTURES / "before_timers")
    engine = WorkflowEngine(BASE_DIR / "workflows")
    engine.load_version(before.current_version, before.current_spec_json)
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        old = _published(before)
        assert old.next_timer_at is None  # no timer on that version
        assert engine.waits_without_execution_timer(before.current_version, old.state)
        step = engine.migrate(before.current_version, old.state, data=check_cycle(utcnow()))
    assert [t.bpmn_id for t in step.ready] == ["carry_out_plan"]
    assert step.ready[0].uuid != old.ready[0].uuid  # the stage entered again
    assert step.next_timer_at == MIDNIGHT
    assert not engine.waits_without_execution_timer(engine.current_version, step.state)
    with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(seconds=1), tick=False):
        fired = engine.fire_timers(engine.current_version, step.state)
    assert "check_execution_deadlines" in fired.engine_ran
    assert engine.complete(engine.current_version, fired.state, fired.ready[0].uuid, {}).completed


def test_an_instance_elsewhere_is_not_upgraded():
    before = WorkflowEngine(FIXTURES / "before_timers")
    engine = WorkflowEngine(BASE_DIR / "workflows")
    engine.load_version(before.current_version, before.current_spec_json)
    step = before.start({"plan_id": 3, "passed_hash": ""})
    assert not engine.waits_without_execution_timer(before.current_version, step.state)
    ended = WorkflowEngine(FIXTURES / "before_execution")  # ended at publication: nothing waits
    engine.load_version(ended.current_version, ended.current_spec_json)
    assert not engine.waits_without_execution_timer(ended.current_version, _to_execution(ended))


def test_the_daily_check_keeps_the_instance_state_the_size_of_one_day():
    # A finished check's branch is dropped at the next firing (engine._drop_finished_cycles): a plan carried out
    # for a year is not restored and saved with 365 branches.
    engine = WorkflowEngine(BASE_DIR / "workflows")
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        step = _published(engine)
    sizes, state = [], step.state
    for day in range(30):
        with time_machine.travel(MIDNIGHT.replace(tzinfo=UTC) + timedelta(days=day, seconds=1), tick=False):
            fired = engine.fire_timers(engine.current_version, state)
        assert "check_execution_deadlines" in fired.engine_ran
        sizes.append(len(fired.state))
        state = fired.state
    assert max(sizes) - sizes[0] < 100
    assert [t.uuid for t in fired.ready] == [step.ready[0].uuid]
    assert fired.next_timer_at == MIDNIGHT + timedelta(days=30)
    closed = engine.complete(engine.current_version, state, fired.ready[0].uuid, {})
    assert closed.completed
    assert closed.next_timer_at is None
    amended = engine.amend(engine.current_version, state, {"plan_id": 3})
    assert [t.bpmn_id for t in amended.ready] == ["draft_plan"]


def test_an_amended_plan_published_again_is_checked_again():
    engine = WorkflowEngine(BASE_DIR / "workflows")
    with time_machine.travel(PUBLISHED.replace(tzinfo=UTC), tick=False):
        amended = engine.amend(engine.current_version, _to_execution(engine), {"plan_id": 3})
    assert amended.next_timer_at is None
    later = PUBLISHED + timedelta(days=10)
    with time_machine.travel(later.replace(tzinfo=UTC), tick=False):
        step = engine.complete(engine.current_version, amended.state, amended.ready[0].uuid,
                               {"plan_complete": True, "content_hash": "h2", "passed_hash": "h1",
                                "review_deadline": "P20D", "vote_deadline": "P15D"})  # fmt: skip
        risk = {"zombie": False, "open_disputes": 0, "arrears_amount": 0.0, "mass_layoff": False,
                "workers_to_place": 10, "share_to_place": 0.1, "approval_ratio": 0.9, "funding_gap": 0.0}  # fmt: skip
        for payload in ({"vote_result": "passed", "review_deadline": "P20D", "vote_deadline": "P15D"},
                        {"review_decision": "approve", **risk}, check_cycle(utcnow())):  # fmt: skip
            step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, payload)
    assert [t.bpmn_id for t in step.ready] == ["carry_out_plan"]
    assert step.next_timer_at == MIDNIGHT + timedelta(days=10)
