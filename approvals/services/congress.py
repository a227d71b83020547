"""Recording the worker congress session on the current revision."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, deadlines, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_
from approvals.models import CongressVote, Plan, PlanRevision, Role
from approvals.rules.congress import BODY_TYPES, VoteCounts, evaluate_vote, held_on_problems, vote_problems
from approvals.services.workflow import announce_ready, complete_task, take_task
from approvals.signals import plan_event
from approvals.workdays import local_date

RESULT_LABELS = {"passed": N_("表决通过"), "rejected": N_("未获通过"), "invalid": N_("到会人数不足三分之二，会议无效")}
# The outcome as the API names it: a session without quorum is an invalid session.
OUTCOMES = {"passed": "passed", "rejected": "rejected", "invalid": "invalid_session"}


def submitted_on(session: Session, plan: Plan) -> date | None:
    """The day (China time) the current revision was submitted: the congress deliberates it after that."""
    moment = session.scalar(
        select(PlanRevision.submitted_at).where(
            PlanRevision.plan_id == plan.id, PlanRevision.number == plan.revision_number
        )  # fmt: skip
    )
    return local_date(moment) if moment else None


def record_congress_vote(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    plan: Plan,
    counts: VoteCounts,
    held_on: date,
    plan_hash: str,
    congress_threshold: int,
    explanation: str = "",
    periods: deadlines.Periods = deadlines.DEFAULT_PERIODS,
) -> CongressVote:
    """Validate and record the vote; quorum and majority decide where the plan goes (a passed
    vote starts the review, an invalid one a new session: their deadlines come from `periods`)."""
    assert actor.user is not None
    policy.require_role(actor.user, plan, Role.UNION, "录入职工代表大会表决结果")
    turn = take_task(session, plan, ("congress_vote",), "录入表决结果")
    problems = held_on_problems(held_on, local_date(utcnow()), submitted_on(session, plan))
    problems += vote_problems(counts, plan.enterprise.headcount, congress_threshold, explanation)
    if problems:
        raise Invalid("invalid_vote", problems[0].message, [p.as_dict() for p in problems])
    if plan_hash != plan.content_hash:
        raise Conflict("revision_mismatch", "表决所针对的方案版本不是当前版本，请核对后重新录入。",
                       {"voted_hash": plan_hash, "current_hash": plan.content_hash})  # fmt: skip
    outcome = evaluate_vote(counts)
    vote = CongressVote(
        plan_id=plan.id, body_type=counts.body_type, held_on=held_on,
        total_members=counts.total_members, present=counts.present, yes=counts.yes,
        no=counts.no, abstain=counts.abstain, explanation=explanation.strip(), content_hash=plan.content_hash,
        quorum_met=outcome.quorum_met, passed=outcome.passed, recorded_by_id=actor.user.id,
    )  # fmt: skip
    session.add(vote)
    if outcome.passed:
        plan.passed_hash = plan.content_hash
        plan.approval_ratio = counts.yes / counts.total_members
    step = complete_task(session, engine, plan, turn, {
        "vote_result": outcome.result,
        **periods.timers(utcnow()),
    }, actor)  # fmt: skip
    audit.record(session, actor=actor, role=Role.UNION, action="congress.vote_recorded", plan=plan,
                 summary={"body_type": BODY_TYPES[counts.body_type], "held_on": held_on.isoformat(),
                          "total": counts.total_members, "present": counts.present,
                          "yes": counts.yes, "no": counts.no, "abstain": counts.abstain,
                          "explanation": explanation.strip(), "result": outcome.result, "content_hash": plan.content_hash})  # fmt: skip
    plan_event.send(plan, session=session, kind="vote_recorded", roles=[Role.ENTERPRISE],
                    payload={"result": outcome.result, "yes": counts.yes, "total": counts.total_members,
                             "held_on": held_on.isoformat()})  # fmt: skip
    announce_ready(session, plan, step, Role.UNION)
    return vote
