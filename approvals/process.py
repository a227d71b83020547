"""The process vocabulary: every BPMN id, plan status and gateway outcome the app names, in one place.

workflows/README.md is the contract; `mismatches` holds the parsed process files to it. The app runs it at
start-up (app.create_app refuses to start on any mismatch) and tests/workflows/test_vocabulary.py runs it too.
Use these names instead of string literals: a StrEnum member is equal to its string, so stored rows, task data,
JSON and templates (the enums are template globals) read and write the same values as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

PLACEMENT_PLAN = "placement_plan"  # the top-level process
WORKING_GROUP = "working_group"  # the process the call activity `working_group_intervention` runs


class Task(StrEnum):
    """The user tasks: the app completes these (workflows/README.md, "Tasks")."""

    DRAFT_PLAN = "draft_plan"
    CONGRESS_VOTE = "congress_vote"
    BUREAU_REVIEW = "bureau_review"
    PUBLISH_PLAN = "publish_plan"
    CARRY_OUT_PLAN = "carry_out_plan"
    FORM_WORKING_GROUP = "form_working_group"
    RECORD_FINDINGS = "record_findings"


# Which process draws each user task.
USER_TASKS: dict[str, frozenset[Task]] = {
    PLACEMENT_PLAN: frozenset(
        {Task.DRAFT_PLAN, Task.CONGRESS_VOTE, Task.BUREAU_REVIEW, Task.PUBLISH_PLAN, Task.CARRY_OUT_PLAN}
    ),
    WORKING_GROUP: frozenset({Task.FORM_WORKING_GROUP, Task.RECORD_FINDINGS}),
}

# The working group's two steps, completed from one form.
WORKING_GROUP_TASKS = (Task.FORM_WORKING_GROUP, Task.RECORD_FINDINGS)


class EngineStep(StrEnum):
    """Engine-run elements the app names: the escalation script tasks of the two deadline timers, and the
    execution stage's daily deadline check (the timer on carry_out_plan and the script task it runs)."""

    ESCALATE_REVIEW = "escalate_review"
    ESCALATE_VOTE = "escalate_vote"
    EXECUTION_DEADLINES_DUE = "execution_deadlines_due"
    CHECK_EXECUTION_DEADLINES = "check_execution_deadlines"


# Which process draws each engine-run element the app names.
ENGINE_STEPS: dict[str, frozenset[EngineStep]] = {
    PLACEMENT_PLAN: frozenset(
        {
            EngineStep.ESCALATE_REVIEW,
            EngineStep.ESCALATE_VOTE,
            EngineStep.EXECUTION_DEADLINES_DUE,
            EngineStep.CHECK_EXECUTION_DEADLINES,
        }
    ),
}


class Message(StrEnum):
    """Messages the app sends into a running instance."""

    AMENDMENT = "amendment"  # caught by the interrupting boundary event `amendment_started` on carry_out_plan


MESSAGES: dict[str, frozenset[Message]] = {PLACEMENT_PLAN: frozenset({Message.AMENDMENT})}


class Status(StrEnum):
    """A plan's stage (`plan.status`); the app's own word, derived from the task that waits."""

    DRAFTING = "drafting"
    CONGRESS = "congress"
    REVIEW = "review"
    WORKING_GROUP = "working_group"
    PUBLICATION = "publication"
    PUBLISHED = "published"  # published, waiting for the execution gate
    EXECUTING = "executing"  # the gate passed (publication.start_execution)
    CLOSED = "closed"


# Which stage a plan is in, by the user task that waits for it.
STATUS_BY_TASK: dict[str, Status] = {  # by the task id (a str as the engine reports it)
    Task.DRAFT_PLAN: Status.DRAFTING,
    Task.CONGRESS_VOTE: Status.CONGRESS,
    Task.BUREAU_REVIEW: Status.REVIEW,
    Task.FORM_WORKING_GROUP: Status.WORKING_GROUP,
    Task.RECORD_FINDINGS: Status.WORKING_GROUP,
    Task.PUBLISH_PLAN: Status.PUBLICATION,
    Task.CARRY_OUT_PLAN: Status.PUBLISHED,  # "executing" once the execution gate is passed
}


class VoteResult(StrEnum):
    """`vote_result`, set with congress_vote, read by `vote_result_gateway`."""

    PASSED = "passed"
    REJECTED = "rejected"
    INVALID = "invalid"  # fewer than two thirds of the members present


class ReviewDecision(StrEnum):
    """`review_decision`, set with bureau_review, read by `review_gateway`."""

    APPROVE = "approve"
    RETURN = "return"


class WorkingGroupDecision(StrEnum):
    """`wg_decision`, set with record_findings, read by `wg_gateway`."""

    CLEARED = "cleared"
    REVISE = "revise"


class RiskLevel(StrEnum):
    """`risk_level`, set by the decision table (assess_risk), read by `risk_gateway`."""

    HIGH = "high"
    NORMAL = "normal"


@dataclass(frozen=True)
class Outcome:
    """A gateway variable: its values, and the one the gateway's default flow stands for."""

    values: type[StrEnum]
    default: StrEnum

    @property
    def branching(self) -> list[str]:
        """The values a condition must name (every one but the default)."""
        return [str(v) for v in self.values if v != self.default]


OUTCOMES: dict[str, Outcome] = {
    "vote_result": Outcome(VoteResult, VoteResult.PASSED),
    "review_decision": Outcome(ReviewDecision, ReviewDecision.APPROVE),
    "wg_decision": Outcome(WorkingGroupDecision, WorkingGroupDecision.CLEARED),
    "risk_level": Outcome(RiskLevel, RiskLevel.NORMAL),
}

# What templates may compare with (app.web registers these as Jinja globals).
TEMPLATE_NAMES = {
    "Task": Task,
    "Status": Status,
    "VoteResult": VoteResult,
    "ReviewDecision": ReviewDecision,
    "WorkingGroupDecision": WorkingGroupDecision,
    "RiskLevel": RiskLevel,
}


@dataclass(frozen=True)
class ProcessOutline:
    """What a parsed process draws, in plain names (the engine adapter builds it from the spec)."""

    file: str
    elements: frozenset[str]
    user_tasks: frozenset[str]
    messages: frozenset[str] = frozenset()
    conditions: tuple[str, ...] = field(default=())


def mismatches(outline: Mapping[str, ProcessOutline]) -> list[str]:
    """Every way the parsed processes and this vocabulary disagree, one line each naming the id; [] if none."""
    found: list[str] = []
    for process in USER_TASKS.keys() | ENGINE_STEPS.keys() | MESSAGES.keys():
        if process not in outline:
            found.append(f"process '{process}' is not in the parsed process files")
    for process, drawn in sorted(outline.items()):
        where = f"{drawn.file} (process '{process}')"
        named = USER_TASKS.get(process, frozenset())
        for task in sorted(named - drawn.user_tasks):
            found.append(f"user task '{task}' of the vocabulary is not a user task in {where}")
        for unnamed in sorted(drawn.user_tasks - named):
            found.append(f"user task '{unnamed}' in {where} is not in the vocabulary (approvals/process.py)")
        for step in sorted(ENGINE_STEPS.get(process, frozenset()) - drawn.elements):
            found.append(f"element '{step}' of the vocabulary is not in {where}")
        for message in sorted(MESSAGES.get(process, frozenset()) - drawn.messages):
            found.append(f"message '{message}' of the vocabulary is not in {where}")
    conditions = [c for drawn in outline.values() for c in drawn.conditions]
    for variable, outcome in OUTCOMES.items():
        for value in outcome.branching:
            test = re.compile(rf"""\b{re.escape(variable)}\s*==\s*(["']){re.escape(value)}\1""")
            if not any(test.search(c) for c in conditions):
                found.append(f"outcome {variable} == '{value}' of the vocabulary is tested by no gateway condition")
    return found
