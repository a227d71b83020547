"""Submitting a draft: the completeness gate, then the vote (or not) and the review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from approvals import audit, deadlines, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.execution.amendment import refuse_unchanged
from approvals.i18n import N_
from approvals.models import Plan, PlanRevision, Role
from approvals.process import Task
from approvals.rules.issues import Finding
from approvals.services.gate import plan_missing_items
from approvals.services.return_reasons import check_answers, file_answers, keep_answers, open_reasons
from approvals.services.roster import roster_snapshot
from approvals.services.workflow import announce_ready, complete_task, take_task


@dataclass(frozen=True)
class Submission:
    accepted: bool
    missing: list[Finding]
    vote_skipped: bool = False


def submit_plan(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    plan: Plan,
    periods: deadlines.Periods = deadlines.DEFAULT_PERIODS,
    answers: Mapping[int, str] | None = None,
) -> Submission:
    """Run the completeness gate; a complete plan becomes an immutable revision and moves on.

    After a return, every reason must be answered (`answers`, by reason id): a reason left unanswered is
    a 422 naming it, and nothing changes. The answers are stored with the revision and in its audit event.
    The step that follows starts now, the congress vote or (when the congress already passed this
    very revision) the review: the deadlines of both (`periods`) go to the process with the submission.
    """
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("提交方案"))
    turn = take_task(session, plan, (Task.DRAFT_PLAN,), N_("提交方案"))
    refuse_unchanged(session, plan)
    reasons = open_reasons(session, plan)
    answered = check_answers(reasons, answers or {})
    missing = plan_missing_items(plan)
    passed_hash = plan.passed_hash or ""
    step = complete_task(session, engine, plan, turn, {
        "plan_complete": not missing,
        "content_hash": plan.content_hash,
        "passed_hash": passed_hash,
        **periods.timers(utcnow()),
    }, actor)  # fmt: skip
    if missing:
        keep_answers(reasons, answers or {})
        audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.returned_incomplete",
                     plan=plan, summary={"missing": [f.as_dict() for f in missing]})  # fmt: skip
        return Submission(False, missing)
    plan.revision_number += 1
    plan.submitted_by_id = user.id
    revision = PlanRevision(plan_id=plan.id, number=plan.revision_number, title=plan.title, content=plan.content,
                            content_hash=plan.content_hash, roster=roster_snapshot(session, plan),
                            submitted_by_id=user.id)  # fmt: skip
    session.add(revision)
    session.flush()
    skipped = passed_hash == plan.content_hash
    summary: dict[str, Any] = {
        "revision": plan.revision_number,
        "content_hash": plan.content_hash,
        "vote_skipped": skipped,
    }
    if answered:
        summary["answers"] = file_answers(answered, revision)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.submitted", plan=plan, summary=summary)
    announce_ready(session, plan, step, Role.ENTERPRISE)
    return Submission(True, [], skipped)
