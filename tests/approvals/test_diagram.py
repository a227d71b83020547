"""The process diagram's marks: the path rebuilt from the tasks done, on the real process files."""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals.diagram import diagram_marks, read_processes
from config import BASE_DIR

SOURCES = {p.name: p.read_text(encoding="utf-8") for p in Path(BASE_DIR / "workflows").iterdir()}
PROCESSES = read_processes(SOURCES)
MAIN = "placement_plan"


def marks(done: list[str], waiting: list[str], **kw):  # type: ignore[no-untyped-def]
    found = diagram_marks(PROCESSES, MAIN, done=done, waiting=waiting, **kw)
    return {pid: m.as_dict() for pid, m in found.items()}


def test_both_processes_are_read_with_their_file_call_and_timer():
    assert set(PROCESSES) == {"placement_plan", "working_group"}
    main = PROCESSES[MAIN]
    assert main.file == "placement_plan.bpmn"
    assert main.calls == {"working_group_intervention": "working_group"}
    assert main.attached == {"review_overdue": "bureau_review", "vote_overdue": "congress_vote",
                             "amendment_started": "carry_out_plan", "execution_deadlines_due": "carry_out_plan"}  # fmt: skip
    assert main.kinds["draft_plan"] == "userTask"
    assert main.flows["flow_vote_needed"] == ("vote_needed_gateway", "vote_merge")
    assert PROCESSES["working_group"].name == "联合工作组介入流程"


def test_a_new_plan_waits_at_drafting_reached_from_the_start():
    m = marks([], ["draft_plan"])[MAIN]
    assert m["current"] == ["draft_plan"]
    assert m["taken"] == ["drafting_merge", "flow_start", "flow_to_draft", "start"]


def test_submitted_plan_went_through_the_completeness_and_vote_gateways_to_the_congress():
    m = marks(["draft_plan"], ["congress_vote"])[MAIN]
    assert m["current"] == ["congress_vote"]
    for element in ("draft_plan", "flow_submit_draft", "completeness_gateway", "flow_complete",
                    "vote_needed_gateway", "flow_vote_needed", "vote_merge", "flow_to_vote"):  # fmt: skip
        assert element in m["taken"]
    assert "flow_vote_skipped" not in m["taken"]
    assert "flow_incomplete" not in m["taken"]


def test_an_invalid_session_loops_back_to_the_vote_and_a_passed_one_goes_to_review():
    m = marks(["draft_plan", "congress_vote", "congress_vote"], ["bureau_review"])[MAIN]
    assert {"flow_vote_invalid", "flow_vote_passed", "review_merge", "flow_to_review"} <= set(m["taken"])
    assert m["current"] == ["bureau_review"]


def test_returned_then_resubmitted_unchanged_skips_the_vote():
    m = marks(["draft_plan", "congress_vote", "bureau_review", "draft_plan"], ["bureau_review"])[MAIN]
    assert {"flow_review_returned", "flow_vote_skipped"} <= set(m["taken"])
    assert "bureau_review" not in m["taken"]  # it waits again: shown as current only
    assert m["current"] == ["bureau_review"]


def test_high_risk_enters_the_working_group_process_and_the_call_activity_waits_with_it():
    found = marks(["draft_plan", "congress_vote", "bureau_review"], ["form_working_group"])
    assert {"assess_risk", "risk_gateway", "flow_high_risk"} <= set(found[MAIN]["taken"])
    assert found[MAIN]["current"] == ["working_group_intervention"]
    assert "flow_normal_risk" not in found[MAIN]["taken"]
    assert found["working_group"] == {"current": ["form_working_group"], "taken": ["flow_wg_start", "wg_start"]}


def test_published_plan_waits_in_the_execution_stage():
    m = marks(["draft_plan", "congress_vote", "bureau_review", "publish_plan"], ["carry_out_plan"])[MAIN]
    assert {"publish_plan", "flow_published"} <= set(m["taken"])
    assert m["current"] == ["carry_out_plan"]


def test_cleared_by_the_working_group_published_and_carried_out_to_the_end():
    done = ["draft_plan", "congress_vote", "bureau_review", "form_working_group", "record_findings", "publish_plan",
            "carry_out_plan"]  # fmt: skip
    found = marks(done, [], finished=True)
    main = set(found[MAIN]["taken"])
    assert {"working_group_intervention", "flow_wg_done", "wg_gateway", "flow_wg_cleared", "publish_merge",
            "publish_plan", "flow_published", "carry_out_plan", "flow_closed", "plan_closed"} <= main  # fmt: skip
    assert "flow_wg_revise" not in main
    assert found[MAIN]["current"] == []
    assert set(found["working_group"]["taken"]) == {"wg_start", "flow_wg_start", "form_working_group",
                                                    "flow_wg_formed", "record_findings", "flow_wg_recorded", "wg_end"}  # fmt: skip


def test_sent_back_by_the_working_group_returns_to_drafting():
    done = ["draft_plan", "congress_vote", "bureau_review", "form_working_group", "record_findings"]
    m = marks(done, ["draft_plan"])[MAIN]
    assert {"flow_wg_revise", "drafting_merge"} <= set(m["taken"])
    assert "flow_wg_cleared" not in m["taken"]


def test_normal_risk_goes_straight_to_publication():
    m = marks(["draft_plan", "congress_vote", "bureau_review"], ["publish_plan"])[MAIN]
    assert {"flow_normal_risk", "publish_merge", "flow_to_publish"} <= set(m["taken"])
    assert "working_group_intervention" not in m["taken"]


@pytest.mark.parametrize("escalated", [True, False])
def test_the_review_escalation_branch_is_marked_only_when_the_timer_fired(escalated):
    m = marks(["draft_plan", "congress_vote"], ["bureau_review"], engine_ran=["escalate_review"] if escalated else [])
    branch = {"review_overdue", "flow_overdue", "escalate_review", "flow_escalated", "review_escalated_end"}
    taken = set(m[MAIN]["taken"])
    assert branch <= taken if escalated else not branch & taken


def test_unknown_tasks_are_ignored_rather_than_breaking_the_diagram():
    m = marks(["no_such_task", "draft_plan"], ["congress_vote"])[MAIN]
    assert m["current"] == ["congress_vote"]
    assert "flow_to_vote" in m["taken"]
