"""The execution gate of one plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import object_session

from approvals.db import utcnow
from approvals.i18n import Text
from approvals.models import Plan, PublicNotice
from approvals.process import RiskLevel
from approvals.rules.completeness import check_scope, missing_items
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.issues import Finding
from approvals.rules.parameters import ParameterSet
from approvals.rules.risk import RiskFacts, known_high_risk, risk_facts
from approvals.rules.roster import RosterSummary
from approvals.services.objections import open_objections

# Whether execution waits for the public notice's window to end (config EXECUTION_WAITS_FOR_NOTICE_WINDOW).
WAITS_FOR_NOTICE_WINDOW = True


def plan_missing_items(plan: Plan) -> list[Finding]:
    """What keeps this plan from being complete, its imported roster included, and its scope under the
    parameters its roster was computed with (a plan without a roster is incomplete for that already)."""
    found = missing_items(plan.content, RosterSummary.from_json(plan.roster_summary))
    if plan.parameters_used:
        found += check_scope(plan.content, ParameterSet.from_json(plan.parameters_used))
    return found


def plan_risk_facts(plan: Plan) -> RiskFacts:
    """What is known of the plan's risk before review: the enterprise register and the plan's own figures."""
    return risk_facts(plan.enterprise.zombie, plan.content, RosterSummary.from_json(plan.roster_summary))


def known_risk_signs(plan: Plan) -> list[Text]:
    """Why the plan's firm is known to be high-risk before review (domain.md §8, notice §六); empty if it is not.
    The gate and the working group's access during drafting both read this, and nothing else."""
    return list(known_high_risk(plan_risk_facts(plan)))


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
        high_risk=plan.risk_level == RiskLevel.HIGH,
        cleared_hash=plan.cleared_hash,
        published_hash=plan.published_hash,
        known_risks=tuple(known_risk_signs(plan)),
        notice_closes_at=notice.closes_at if notice is not None else None,
        now=now or utcnow(),
        waits_for_notice=waits_for_notice,
        open_objections=tuple(open_objections(session, plan.id)),
    )


def plan_gate(
    plan: Plan, *, waits_for_notice: bool = WAITS_FOR_NOTICE_WINDOW, now: datetime | None = None
) -> list[Condition]:
    return gate_conditions(gate_facts(plan, waits_for_notice=waits_for_notice, now=now))
