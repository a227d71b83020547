"""The execution gate of one plan."""

from __future__ import annotations

from approvals.models import Plan
from approvals.rules.completeness import missing_items
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.issues import Finding
from approvals.rules.roster import RosterSummary


def plan_missing_items(plan: Plan) -> list[Finding]:
    """What keeps this plan from being complete, its imported roster included."""
    return missing_items(plan.content, RosterSummary.from_json(plan.roster_summary))


def gate_facts(plan: Plan) -> GateFacts:
    """Everything the gate reads, from the plan row alone (decisions keep their hashes there)."""
    return GateFacts(
        content_hash=plan.content_hash,
        missing=plan_missing_items(plan),
        funding=funding_status(plan.content.get("funding")),
        passed_vote_hash=plan.passed_hash,
        approved_hash=plan.approved_hash,
        high_risk=plan.risk_level == "high",
        cleared_hash=plan.cleared_hash,
        published_hash=plan.published_hash,
    )


def plan_gate(plan: Plan) -> list[Condition]:
    return gate_conditions(gate_facts(plan))
