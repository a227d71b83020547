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
from approvals.i18n import N_, Text
from approvals.models import CongressVote, Plan, PlanRevision, Role
from approvals.process import Task, VoteResult
from approvals.rules.congress import (
    BODY_TYPES,
    BallotRecord,
    VoteCounts,
    VoteOutcome,
    ballot_problems,
    evaluate_vote,
    held_on_problems,
    vote_problems,
)
from approvals.rules.issues import Finding
from approvals.services.congress_documents import KINDS, described, pending_documents
from approvals.services.workflow import announce_ready, complete_task, take_task
from approvals.signals import plan_event
from approvals.workdays import local_date

# A session document not uploaded (the vote form's live check says the same).
DOCUMENT_REQUIRED = N_("请上传%(document)s（PDF）：表决结果须与会议记录、会议决议和签到表一并录入。")
# The outcome as the API names it: a session without quorum is an invalid session.
OUTCOMES = {VoteResult.PASSED: "passed", VoteResult.REJECTED: "rejected", VoteResult.INVALID: "invalid_session"}


def stored_outcome(vote: CongressVote) -> VoteOutcome:
    """The outcome of a recorded vote, with the method it was taken by."""
    return VoteOutcome(vote.quorum_met, vote.passed, vote.secret_ballot)


def submitted_on(session: Session, plan: Plan) -> date | None:
    """The day (China time) the current revision was submitted: the congress deliberates it after that."""
    moment = session.scalar(
        select(PlanRevision.submitted_at).where(
            PlanRevision.plan_id == plan.id, PlanRevision.number == plan.revision_number
        )  # fmt: skip
    )
    return local_date(moment) if moment else None


def missing_documents(session: Session, plan: Plan) -> list[Finding]:
    """Each session document the vote still lacks (uploaded before the vote: services.congress_documents),
    named: the vote is recorded only with the minutes, the resolution and the attendance sheet."""
    documents = pending_documents(session, plan)
    return [Finding("congress_vote", kind, "document_required", Text(DOCUMENT_REQUIRED, document=Text(label)))
            for kind, label in KINDS.items() if kind not in documents]  # fmt: skip


def record_congress_vote(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    plan: Plan,
    counts: VoteCounts,
    record: BallotRecord,
    held_on: date,
    plan_hash: str,
    congress_threshold: int,
    explanation: str = "",
    periods: deadlines.Periods = deadlines.DEFAULT_PERIODS,
) -> CongressVote:
    """Validate and record the vote with its ballots and the session's three documents (uploaded
    before, services.congress_documents); quorum, method and majority decide where the plan goes (a
    passed vote starts the review, an invalid one a new session: their deadlines come from `periods`)."""
    user = actor.person
    policy.require_role(user, plan, Role.UNION, N_("录入职工代表大会表决结果"))
    turn = take_task(session, plan, (Task.CONGRESS_VOTE,), N_("录入表决结果"))
    problems = held_on_problems(held_on, local_date(utcnow()), submitted_on(session, plan))
    problems += vote_problems(counts, plan.enterprise.headcount, congress_threshold, explanation)
    problems += ballot_problems(counts, record)
    documents = pending_documents(session, plan)
    problems += missing_documents(session, plan)
    if problems:
        raise Invalid("invalid_vote", problems[0].message, [p.as_dict() for p in problems])
    if plan_hash != plan.content_hash:
        raise Conflict("revision_mismatch", Text(N_("表决所针对的方案版本不是当前版本，请核对后重新录入。")),
                       {"voted_hash": plan_hash, "current_hash": plan.content_hash})  # fmt: skip
    outcome = evaluate_vote(counts, record.secret_ballot)
    vote = CongressVote(
        plan_id=plan.id, body_type=counts.body_type, held_on=held_on,
        total_members=counts.total_members, present=counts.present, yes=counts.yes,
        no=counts.no, abstain=counts.abstain, explanation=explanation.strip(), content_hash=plan.content_hash,
        ballots_issued=record.ballots_issued, ballots_returned=record.ballots_returned,
        ballots_valid=record.ballots_valid, secret_ballot=record.secret_ballot, chair=record.chair.strip(),
        scrutineers=list(record.scrutineers),
        quorum_met=outcome.quorum_met, passed=outcome.passed, recorded_by_id=user.id,
    )  # fmt: skip
    session.add(vote)
    session.flush()
    for document in documents.values():
        document.vote_id = vote.id
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
                          "explanation": explanation.strip(), "ballots_issued": record.ballots_issued,
                          "ballots_returned": record.ballots_returned, "ballots_valid": record.ballots_valid,
                          "secret_ballot": record.secret_ballot, "chair": record.chair.strip(),
                          "scrutineers": list(record.scrutineers),
                          "documents": [described(documents[kind]) for kind in KINDS],
                          "result": outcome.result, "reason": outcome.reason, "content_hash": plan.content_hash})  # fmt: skip
    plan_event.send(plan, session=session, kind="vote_recorded", roles=[Role.ENTERPRISE],
                    payload={"result": outcome.result, "reason": outcome.reason, "yes": counts.yes, "total": counts.total_members,
                             "held_on": held_on.isoformat()})  # fmt: skip
    announce_ready(session, plan, step, Role.UNION)
    return vote
