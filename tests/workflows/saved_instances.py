"""Saved instances of the process at each waiting stage (tests/workflows/fixtures/instances/).

The fixture is a record of what the app stored on 2026-12-08: the process version as `process_version` holds it
(the spec, serialized by SpiffWorkflow 3.2.0) and one instance state per stage as `workflow_instance.state`
holds it, with the id of the task it waits at as `human_task.task_uuid` holds it. A SpiffWorkflow upgrade or a
new version of the process files must still load and run them (tests/workflows/test_saved_instances.py). They are written once and not rewritten: run
`python -m tests.workflows.saved_instances DIR` only to record another version beside them.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from approvals.engine import Step, WorkflowEngine
from approvals.execution.deadlines import check_cycle
from approvals.process import ReviewDecision, Task, VoteResult, WorkingGroupDecision
from config import BASE_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "instances"
# Deadlines a century away: a saved timer never comes due while the fixture is in use.
DEADLINES = {"review_deadline": "P36500D", "vote_deadline": "P36500D"}
HIGH_RISK = {"zombie": True, "open_disputes": 0, "arrears_amount": 0.0, "mass_layoff": False, "workers_to_place": 10,
             "share_to_place": 0.1, "approval_ratio": 0.9, "funding_gap": 0.0}  # fmt: skip

# Each stage in process order: the task it waits at, what completing it sends, and where the process goes.
# The execution stage's daily check (publication.publish_plan sets it), first due a century out like the deadlines.
EXECUTION_CHECKS = check_cycle(datetime(2126, 1, 1))
STAGES: dict[str, tuple[Task, dict[str, Any], tuple[str, ...]]] = {
    "drafting": (Task.DRAFT_PLAN, {"plan_complete": True, "content_hash": "h1", "passed_hash": "", **DEADLINES},
                 (Task.CONGRESS_VOTE,)),
    "vote": (Task.CONGRESS_VOTE, {"vote_result": VoteResult.PASSED, **DEADLINES}, (Task.BUREAU_REVIEW,)),
    "review": (Task.BUREAU_REVIEW, {"review_decision": ReviewDecision.APPROVE, **HIGH_RISK},
               (Task.FORM_WORKING_GROUP,)),
    "working_group": (Task.FORM_WORKING_GROUP, {"wg_members": 6, "contact_point": "企业人力资源部"},
                      (Task.RECORD_FINDINGS,)),
    "findings": (Task.RECORD_FINDINGS, {"wg_decision": WorkingGroupDecision.CLEARED, "wg_findings": "已核实。"},
                 (Task.PUBLISH_PLAN,)),
    "publication": (Task.PUBLISH_PLAN, EXECUTION_CHECKS, (Task.CARRY_OUT_PLAN,)),
    "execution": (Task.CARRY_OUT_PLAN, {}, ()),  # () : the process ends at plan_closed
}  # fmt: skip


def walk(engine: WorkflowEngine) -> dict[str, Step]:
    """One instance of the engine's current version driven through every stage: the step waiting at each."""
    step = engine.start({"plan_id": 1, "passed_hash": "", **DEADLINES})
    waiting = {}
    for stage, (task, data, _next) in STAGES.items():
        assert [t.bpmn_id for t in step.ready] == [task], (stage, step.ready)
        waiting[stage] = step
        step = engine.complete(engine.current_version, step.state, step.ready[0].uuid, data)
    return waiting


def write(target: Path) -> None:
    engine = WorkflowEngine(BASE_DIR / "workflows")
    target.mkdir(parents=True, exist_ok=True)
    version = {"hash": engine.current_version, "spec_json": engine.current_spec_json, "sources": engine.current_sources}
    (target / "version.json").write_text(json.dumps(version, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for stage, step in walk(engine).items():
        saved = {"process_version": engine.current_version, "waiting": [t.bpmn_id for t in step.ready],
                 "task_uuid": step.ready[0].uuid,  # as the app mirrors it (human_task.task_uuid)
                 "next_timer_at": step.next_timer_at.isoformat() if step.next_timer_at else None, "state": step.state}  # fmt: skip
        (target / f"{stage}.json").write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE)
