"""Submitting a draft: the completeness gate, then the vote (or not) and the review."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.engine import WorkflowEngine
from approvals.models import Plan, PlanRevision, Role
from approvals.rules.issues import Finding
from approvals.services.gate import plan_missing_items
from approvals.services.roster import roster_snapshot
from approvals.services.workflow import complete_task, take_task
from approvals.signals import plan_event


@dataclass(frozen=True)
class Submission:
    accepted: bool
    missing: list[Finding]
    vote_skipped: bool = False


def submit_plan(session: Session, engine: WorkflowEngine, *, actor: Actor, plan: Plan) -> Submission:
    """Run the completeness gate; a complete plan becomes an immutable revision and moves on."""
    assert actor.user is not None
    policy.require_role(actor.user, plan, Role.ENTERPRISE, "提交方案")
    turn = take_task(session, plan, ("draft_plan",), "提交方案")
    missing = plan_missing_items(plan)
    passed_hash = plan.passed_hash or ""
    complete_task(session, engine, plan, turn, {
        "plan_complete": not missing,
        "content_hash": plan.content_hash,
        "passed_hash": passed_hash,
    }, actor)  # fmt: skip
    if missing:
        audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.returned_incomplete",
                     plan=plan, summary={"missing": [f.as_dict() for f in missing]})  # fmt: skip
        return Submission(False, missing)
    plan.revision_number += 1
    plan.submitted_by_id = actor.user.id
    session.add(PlanRevision(plan_id=plan.id, number=plan.revision_number, title=plan.title, content=plan.content,
                             content_hash=plan.content_hash, roster=roster_snapshot(session, plan),
                             submitted_by_id=actor.user.id))  # fmt: skip
    skipped = passed_hash == plan.content_hash
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.submitted", plan=plan,
                 summary={"revision": plan.revision_number, "content_hash": plan.content_hash,
                          "vote_skipped": skipped})  # fmt: skip
    plan_event.send(plan, session=session, kind="task_ready",
                    roles=[Role.BUREAU] if skipped else [Role.UNION], payload={})  # fmt: skip
    return Submission(True, [], skipped)
