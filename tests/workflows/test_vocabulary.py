"""One vocabulary of tasks, statuses and outcomes (approvals/process.py), held to the parsed process files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from approvals import process
from approvals.engine import WorkflowEngine
from approvals.process import STATUS_BY_TASK, USER_TASKS, Task
from config import BASE_DIR, ConfigError, TestConfig

pytestmark = pytest.mark.any_database


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(BASE_DIR / "workflows", tmp_path / "wf")
    return tmp_path / "wf"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_process_files_match_the_vocabulary():
    assert process.mismatches(WorkflowEngine(BASE_DIR / "workflows").outline()) == []


def test_every_user_task_has_a_stage_and_one_process():
    assert set(STATUS_BY_TASK) == set(Task)
    drawn = [task for tasks in USER_TASKS.values() for task in tasks]
    assert sorted(drawn) == sorted(Task)


def test_a_task_renamed_in_the_bpmn_only_is_named_both_ways(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "placement_plan.bpmn", '"bureau_review"', '"bureau_check"')
    wrong = process.mismatches(WorkflowEngine(wf).outline())
    assert any("'bureau_review'" in line and "not a user task" in line for line in wrong), wrong
    assert any("'bureau_check'" in line and "not in the vocabulary" in line for line in wrong), wrong


def test_a_working_group_task_renamed_in_the_bpmn_only_names_its_file(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "working_group.bpmn", '"record_findings"', '"record_opinion"')
    wrong = process.mismatches(WorkflowEngine(wf).outline())
    assert [line for line in wrong if "'record_findings'" in line] == [
        "user task 'record_findings' of the vocabulary is not a user task in working_group.bpmn (process 'working_group')"
    ]


def test_an_escalation_step_or_message_renamed_in_the_bpmn_only_is_named(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "placement_plan.bpmn", '"escalate_vote"', '"escalate_congress"')
    _edit(wf / "placement_plan.bpmn", 'name="amendment"', 'name="change"')
    wrong = process.mismatches(WorkflowEngine(wf).outline())
    assert any("element 'escalate_vote'" in line for line in wrong), wrong
    assert any("message 'amendment'" in line for line in wrong), wrong


def test_an_outcome_renamed_in_a_gateway_only_is_named(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "placement_plan.bpmn", 'review_decision == "return"', 'review_decision == "send_back"')
    wrong = process.mismatches(WorkflowEngine(wf).outline())
    assert wrong == ["outcome review_decision == 'return' of the vocabulary is tested by no gateway condition"]


def test_the_app_refuses_to_start_on_process_files_that_disagree(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "placement_plan.bpmn", '"publish_plan"', '"announce_plan"')

    class Renamed(TestConfig):
        WORKFLOWS_DIR = wf

    with pytest.raises(ConfigError) as refused:
        create_app(Renamed)
    assert "'publish_plan'" in str(refused.value)
    assert "'announce_plan'" in str(refused.value)
    assert "\n" not in str(refused.value)  # one line for the operator (wsgi.py prints it and exits)


def test_flask_refuses_to_start_on_process_files_that_disagree_in_one_line(tmp_path):
    wf = _copy(tmp_path)
    _edit(wf / "working_group.bpmn", '"form_working_group"', '"set_up_working_group"')
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env |= {"APP_ENV": "development", "WORKFLOWS_DIR": str(wf), "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "process", "migrate"], cwd=BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 3  # wsgi.CONFIG_REFUSED: gunicorn's master stops too
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: the process files do not match approvals/process.py: ")
    assert "user task 'form_working_group' of the vocabulary is not a user task in working_group.bpmn" in line
    assert (
        "user task 'set_up_working_group' in working_group.bpmn (process 'working_group') is not in the vocabulary"
        in line
    )
