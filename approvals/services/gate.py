"""The execution gate of one plan."""

from __future__ import annotations

from approvals.models import Plan
from approvals.rules.completeness import check_scope, missing_items
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.issues import Finding
from approvals.rules.parameters import ParameterSet
from approvals.rules.roster import RosterSummary


def plan_missing_items(plan: Plan) -> list[Finding]:
    """What keeps this plan from being complete, its imported roster included, and its scope under the
    parameters its roster was computed with (a plan without a roster is incomplete for that already)."""
    found = missing_items(plan.content, RosterSummary.from_json(plan.roster_summary))
    if plan.parameters_used:
        found += check_scope(plan.content, ParameterSet.from_json(plan.parameters_used))
    return found


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
