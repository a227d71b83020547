"""A plan's recorded decisions as JSON: its congress votes, bureau reviews and working-group records.

Whoever may see the plan may list them (the same scoping as its documents, services.plans.get_plan).
They name officials and counts; their free text (an explanation, reasons, findings) may quote a
worker's ID number, masked for those who do not see personal data (approvals/privacy.py), as the
documents mask it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify

from app.api import bp, current_user
from app.api.registry import endpoint
from app.api.schemas import (
    CongressDocumentOut,
    CongressVoteList,
    CongressVoteOut,
    ReturnReasonOut,
    ReviewList,
    ReviewOut,
    WorkingGroupRecordList,
    WorkingGroupRecordOut,
)
from app.documents.facts import rows_of
from app.documents.records import REVIEW_DECISIONS
from app.extensions import db
from approvals import policy
from approvals.models import BureauReview, CongressDocument, CongressVote, Plan, ReturnReason, User, WorkingGroupRecord
from approvals.rules.congress import BODY_TYPES, RESULT_LABELS, VOTING_METHODS
from approvals.rules.resident_id import mask_ids_in_text
from approvals.services.congress import OUTCOMES, stored_outcome
from approvals.services.congress_documents import KINDS, documents_of_vote
from approvals.services.plans import get_plan
from approvals.services.return_reasons import SOURCE_LABELS, reasons_of_returns, revision_numbers, source_of


def shown(user: User, plan: Plan) -> Callable[[str | None], str]:
    """Free text as this user may read it: ID numbers masked unless they see personal data."""
    sees = policy.sees_personal_data(user, plan)
    return lambda value: (value or "") if sees else mask_ids_in_text(value or "")


def document_out(document: CongressDocument) -> CongressDocumentOut:
    return CongressDocumentOut(
        id=document.id, kind=document.kind, kind_label=KINDS[document.kind], filename=document.filename,
        size=document.size, sha256=document.sha256, vote_id=document.vote_id,
        uploaded_by_id=document.uploaded_by_id, uploaded_at=document.uploaded_at,
    )  # fmt: skip


def vote_out(vote: CongressVote, say: Callable[[str | None], str]) -> CongressVoteOut:
    outcome = stored_outcome(vote)
    return CongressVoteOut(
        id=vote.id, body_type=vote.body_type, body_type_label=BODY_TYPES[vote.body_type], held_on=vote.held_on,
        total_members=vote.total_members, present=vote.present, yes=vote.yes, no=vote.no, abstain=vote.abstain,
        explanation=say(vote.explanation), ballots_issued=vote.ballots_issued, ballots_returned=vote.ballots_returned,
        ballots_valid=vote.ballots_valid, secret_ballot=vote.secret_ballot,
        voting_method_label=VOTING_METHODS[vote.secret_ballot], chair=say(vote.chair) if vote.chair else None,
        scrutineers=[say(name) for name in vote.scrutineers or []],
        documents=[document_out(d) for d in documents_of_vote(db.session, vote)],
        content_hash=vote.content_hash, quorum_met=vote.quorum_met,
        passed=vote.passed, outcome=OUTCOMES[outcome.result], outcome_label=RESULT_LABELS[outcome.reason],
        recorded_by_id=vote.recorded_by_id, recorded_at=vote.recorded_at,
    )  # fmt: skip


def reasons_out(reasons: list[ReturnReason], say: Callable[[str | None], str],
                revisions: dict[int, int]) -> list[ReturnReasonOut]:  # fmt: skip
    """Reasons of a return with their answers, as this user may read them (`revisions`: number by id)."""
    return [ReturnReasonOut(id=r.id, number=r.number, source=source_of(r), source_label=SOURCE_LABELS[source_of(r)],  # type: ignore[arg-type]
                            text=say(r.text), returned_at=r.returned_at, answer=say(r.answer) if r.answer else r.answer,
                            answered_in_revision=revisions.get(r.revision_id) if r.revision_id else None)
            for r in reasons]  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/congress-votes",
          summary="方案的职工代表大会/职工大会表决记录（结果：passed 通过、rejected 未获通过、invalid_session 会议无效）",
          response=CongressVoteList)  # fmt: skip
def list_congress_votes(plan_id: int):
    user = current_user()
    plan = get_plan(db.session, user, plan_id)
    items = [vote_out(v, shown(user, plan)) for v in rows_of(db.session, CongressVote, plan)]
    return jsonify(CongressVoteList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/reviews", summary="方案的人社部门审核记录（同意或退回及理由）",
          response=ReviewList)  # fmt: skip
def list_reviews(plan_id: int):
    user = current_user()
    plan = get_plan(db.session, user, plan_id)
    say = shown(user, plan)
    reasons = reasons_of_returns(db.session, plan)
    revisions = revision_numbers(db.session, (r for rows in reasons.values() for r in rows))
    items = [ReviewOut(id=r.id, decision=r.decision, decision_label=REVIEW_DECISIONS[r.decision], reasons=say(r.reasons),
                       reason_items=reasons_out(reasons.get(("bureau", r.id), []), say, revisions),
                       content_hash=r.content_hash, reviewer_id=r.reviewer_id, reviewed_at=r.reviewed_at)
             for r in rows_of(db.session, BureauReview, plan)]  # fmt: skip
    return jsonify(ReviewList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/working-group-records",
          summary="方案的联合工作组工作记录（成员、联系点、意见与结论）", response=WorkingGroupRecordList)  # fmt: skip
def list_working_group_records(plan_id: int):
    user = current_user()
    plan = get_plan(db.session, user, plan_id)
    say = shown(user, plan)
    reasons = reasons_of_returns(db.session, plan)
    revisions = revision_numbers(db.session, (r for rows in reasons.values() for r in rows))
    items = [WorkingGroupRecordOut(id=r.id, working_group_id=r.working_group_id, members=r.members,
                                   contact_point=say(r.contact_point), findings=say(r.findings) if r.findings
                                   else r.findings, decision=r.decision,
                                   reason_items=reasons_out(reasons.get(("working_group", r.id), []), say, revisions),
                                   content_hash=r.content_hash, recorded_by_id=r.recorded_by_id,
                                   recorded_at=r.recorded_at)
             for r in rows_of(db.session, WorkingGroupRecord, plan)]  # fmt: skip
    return jsonify(WorkingGroupRecordList(items=items).model_dump(mode="json"))
