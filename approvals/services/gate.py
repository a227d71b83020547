"""The execution gate of one plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import object_session

from approvals.db import utcnow
from approvals.models import Plan, PublicNotice
from approvals.rules.completeness import missing_items
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.issues import Finding
from approvals.rules.roster import RosterSummary
from approvals.services.objections import open_objections

# Whether execution waits for the public notice's window to end (config EXECUTION_WAITS_FOR_NOTICE_WINDOW).
WAITS_FOR_NOTICE_WINDOW = True


def plan_missing_items(plan: Plan) -> list[Finding]:
    """What keeps this plan from being complete, its imported roster included."""
    return missing_items(plan.content, RosterSummary.from_json(plan.roster_summary))


def gate_facts(
    plan: Plan, *, waits_for_notice: bool = WAITS_FOR_NOTICE_WINDOW, now: datetime | None = None
) -> GateFacts:
    """Everything the gate reads: the plan row (decisions keep their hashes there), its public notice
    and the objections not yet closed."""
    session = object_session(plan)
    assert session is not None
    notice = session.get(PublicNotice, plan.id)
    return GateFacts(
        content_hash=plan.content_hash,
        missing=plan_missing_items(plan),
        funding=funding_status(plan.content.get("funding")),
        passed_vote_hash=plan.passed_hash,
        approved_hash=plan.approved_hash,
        high_risk=plan.risk_level == "high",
        cleared_hash=plan.cleared_hash,
        published_hash=plan.published_hash,
        notice_closes_at=notice.closes_at if notice is not None else None,
        now=now or utcnow(),
        waits_for_notice=waits_for_notice,
        open_objections=tuple(open_objections(session, plan.id)),
    )


def plan_gate(
    plan: Plan, *, waits_for_notice: bool = WAITS_FOR_NOTICE_WINDOW, now: datetime | None = None
) -> list[Condition]:
    return gate_conditions(gate_facts(plan, waits_for_notice=waits_for_notice, now=now))
