"""Gathering the facts the execution gate reads."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.models import BureauReview, CongressVote, Plan, WorkingGroupRecord
from approvals.rules.completeness import missing_items
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, GateFacts, gate_conditions


def last_passed_vote(session: Session, plan: Plan) -> CongressVote | None:
    return session.scalars(
        select(CongressVote)
        .where(CongressVote.plan_id == plan.id, CongressVote.passed.is_(True))
        .order_by(CongressVote.id.desc())
        .limit(1)
    ).first()


def _approved_hash(session: Session, plan: Plan) -> str | None:
    return session.scalars(
        select(BureauReview.content_hash)
        .where(BureauReview.plan_id == plan.id, BureauReview.decision == "approve")
        .order_by(BureauReview.id.desc())
        .limit(1)
    ).first()


def _cleared_hash(session: Session, plan: Plan) -> str | None:
    return session.scalars(
        select(WorkingGroupRecord.content_hash)
        .where(WorkingGroupRecord.plan_id == plan.id, WorkingGroupRecord.decision == "cleared")
        .order_by(WorkingGroupRecord.id.desc())
        .limit(1)
    ).first()


def gate_facts(session: Session, plan: Plan) -> GateFacts:
    vote = last_passed_vote(session, plan)
    return GateFacts(
        content_hash=plan.content_hash,
        missing=missing_items(plan.content),
        funding=funding_status(plan.content.get("funding")),
        passed_vote_hash=vote.content_hash if vote else None,
        approved_hash=_approved_hash(session, plan),
        high_risk=plan.risk_level == "high",
        cleared_hash=_cleared_hash(session, plan),
        published_hash=plan.published_hash,
    )


def plan_gate(session: Session, plan: Plan) -> list[Condition]:
    return gate_conditions(gate_facts(session, plan))
