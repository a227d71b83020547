"""A plan's recorded decisions as JSON: its congress votes, bureau reviews and working-group records.

Whoever may see the plan may list them (the same scoping as its documents, services.plans.get_plan).
None of them holds a worker's personal data (approvals/privacy.py): they name officials and counts.
"""

from __future__ import annotations

from flask import jsonify

from app.api import bp, current_user
from app.api.registry import endpoint
from app.api.schemas import (
    CongressVoteList,
    CongressVoteOut,
    ReviewList,
    ReviewOut,
    WorkingGroupRecordList,
    WorkingGroupRecordOut,
)
from app.documents.facts import rows_of
from app.documents.records import REVIEW_DECISIONS
from app.extensions import db
from approvals.models import BureauReview, CongressVote, WorkingGroupRecord
from approvals.rules.congress import BODY_TYPES, VoteOutcome
from approvals.services.congress import OUTCOMES, RESULT_LABELS
from approvals.services.plans import get_plan


def vote_out(vote: CongressVote) -> CongressVoteOut:
    result = VoteOutcome(vote.quorum_met, vote.passed).result
    return CongressVoteOut(
        id=vote.id, body_type=vote.body_type, body_type_label=BODY_TYPES[vote.body_type], held_on=vote.held_on,
        total_members=vote.total_members, present=vote.present, yes=vote.yes, no=vote.no, abstain=vote.abstain,
        explanation=vote.explanation or "", content_hash=vote.content_hash, quorum_met=vote.quorum_met,
        passed=vote.passed, outcome=OUTCOMES[result], outcome_label=RESULT_LABELS[result],
        recorded_by_id=vote.recorded_by_id, recorded_at=vote.recorded_at,
    )  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/congress-votes",
          summary="方案的职工代表大会/职工大会表决记录（结果：passed 通过、rejected 未获通过、invalid_session 会议无效）",
          response=CongressVoteList)  # fmt: skip
def list_congress_votes(plan_id: int):  # type: ignore[no-untyped-def]
    plan = get_plan(db.session, current_user(), plan_id)
    items = [vote_out(v) for v in rows_of(db.session, CongressVote, plan)]
    return jsonify(CongressVoteList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/reviews", summary="方案的人社部门审核记录（同意或退回及理由）",
          response=ReviewList)  # fmt: skip
def list_reviews(plan_id: int):  # type: ignore[no-untyped-def]
    plan = get_plan(db.session, current_user(), plan_id)
    items = [ReviewOut(id=r.id, decision=r.decision, decision_label=REVIEW_DECISIONS[r.decision], reasons=r.reasons,
                       content_hash=r.content_hash, reviewer_id=r.reviewer_id, reviewed_at=r.reviewed_at)
             for r in rows_of(db.session, BureauReview, plan)]  # fmt: skip
    return jsonify(ReviewList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/working-group-records",
          summary="方案的联合工作组工作记录（成员、联系点、意见与结论）", response=WorkingGroupRecordList)  # fmt: skip
def list_working_group_records(plan_id: int):  # type: ignore[no-untyped-def]
    plan = get_plan(db.session, current_user(), plan_id)
    items = [WorkingGroupRecordOut(id=r.id, working_group_id=r.working_group_id, members=r.members,
                                   contact_point=r.contact_point, findings=r.findings, decision=r.decision,
                                   content_hash=r.content_hash, recorded_by_id=r.recorded_by_id,
                                   recorded_at=r.recorded_at)
             for r in rows_of(db.session, WorkingGroupRecord, plan)]  # fmt: skip
    return jsonify(WorkingGroupRecordList(items=items).model_dump(mode="json"))
