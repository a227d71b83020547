"""The bureau review: approve (then the risk decision) or return with reasons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.engine import WorkflowEngine
from approvals.errors import Invalid
from approvals.i18n import N_, Listing, Text
from approvals.models import BureauReview, Plan, Role, WorkingGroup
from approvals.process import ReviewDecision, RiskLevel, Task
from approvals.reach import covering_regions
from approvals.rules.approval import unmet
from approvals.rules.content import as_dict
from approvals.rules.funding import funding_status
from approvals.rules.text_limits import check_fields
from approvals.services.document_numbers import allocate, bureau_issuer, label, reviewing_bureau
from approvals.services.filings import review_conditions
from approvals.services.gate import plan_risk_facts
from approvals.services.return_reasons import composed, reason_items, record_reasons
from approvals.services.workflow import announce_ready, complete_task, take_task
from approvals.signals import plan_event


def risk_inputs(plan: Plan) -> dict[str, Any]:
    """What the risk decision table (workflows/risk.dmn) reads, from the plan and the vote."""
    content = plan.content
    workforce = as_dict(content.get("workforce"))
    on_roll = workforce.get("on_roll") or 0
    in_scope = workforce.get("in_scope") or 0
    known = plan_risk_facts(plan)  # the facts the gate reads before review (rules/risk.py): one source
    return {
        "zombie": known.zombie,
        "open_disputes": int(as_dict(content.get("risk_assessment")).get("open_disputes") or 0),
        "arrears_amount": float(known.arrears),
        "mass_layoff": known.mass_layoff,
        "workers_to_place": int(in_scope),
        "share_to_place": float(in_scope) / on_roll if on_roll else 0.0,
        "approval_ratio": plan.approval_ratio or 0.0,
        "funding_gap": float(funding_status(content.get("funding")).gap),
    }


def covering_working_group(session: Session, region_code: str) -> WorkingGroup | None:
    """The most local working group whose region covers the enterprise (county, city, province)."""
    levels = covering_regions(region_code)
    with session.no_autoflush:
        groups = list(session.scalars(select(WorkingGroup).where(WorkingGroup.region_code.in_(levels))))
    return min(groups, key=lambda g: (levels.index(g.region_code), g.id), default=None)


def _require_approval_conditions(session: Session, plan: Plan, minimum: int) -> None:
    """422 naming each of the bureau's conditions of approval that is unmet (domain.md §8 "Review")."""
    missing = unmet(review_conditions(session, plan, minimum))
    if missing:
        lines = [Text(N_("%(condition)s：%(reason)s"), condition=Text(c.label), reason=c.reason) for c in missing]
        raise Invalid("approval_conditions_unmet",
                      Text(N_("尚不能审核同意：%(problems)s"), problems=Listing(lines)),
                      [{"field": "decision", "rule": c.key, "message": line} for c, line in zip(missing, lines, strict=True)])  # fmt: skip


def review_plan(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    plan: Plan,
    decision: ReviewDecision | str,
    reasons: str | Sequence[str],
    min_verifications: int = 1,
) -> BureauReview:
    """Approve or return the plan; approval waits for the bureau's own checks (rules/approval.py), the
    least number of roster verifications being the MIN_ROSTER_VERIFICATIONS setting. `reasons` is one
    text or a list of reasons; a return's reasons are each answered by the clerk at resubmission."""
    user = actor.person
    policy.require_role(user, plan, Role.BUREAU, N_("审核方案"))
    turn = take_task(session, plan, (Task.BUREAU_REVIEW,), N_("审核方案"))
    policy.check_not_submitter(user, plan)
    items = reason_items(reasons or "")
    text = composed(items)
    check_fields({"reasons": (Text(N_("审核意见")), text)})
    if decision not in set(ReviewDecision):
        message = Text(N_("审核结论须为“同意”或“退回”。"))
        raise Invalid(
            "invalid_decision", message, [{"field": "decision", "rule": "approve_or_return", "message": message}]
        )
    if decision == ReviewDecision.RETURN and not text:
        message = Text(N_("退回方案须写明理由。"))
        raise Invalid(
            "reasons_required", message, [{"field": "reasons", "rule": "required_on_return", "message": message}]
        )
    if decision == ReviewDecision.APPROVE:
        _require_approval_conditions(session, plan, min_verifications)
    review = BureauReview(plan_id=plan.id, decision=decision, reasons=text,
                          content_hash=plan.content_hash, reviewer_id=user.id)  # fmt: skip
    session.add(review)
    session.flush()
    bureau = reviewing_bureau(session, user.id, plan)
    number = allocate(session, kind="review-opinion", plan=plan, record_id=review.id, on=review.reviewed_at,
                      issuer=bureau_issuer(bureau.code if bureau else ""))  # the opinion's 文号  # fmt: skip
    data: dict[str, Any] = {"review_decision": decision}
    if decision == ReviewDecision.APPROVE:
        data.update(risk_inputs(plan))
    step = complete_task(session, engine, plan, turn, data, actor)
    audit.record(session, actor=actor, role=Role.BUREAU, action="review.decided", plan=plan,
                 summary={"decision": decision, "reasons": text, "content_hash": plan.content_hash,
                          "document_number": label(number)})  # fmt: skip
    if decision == ReviewDecision.RETURN:
        record_reasons(session, plan, items, review=review)
        plan_event.send(plan, session=session, kind="plan_returned", roles=[Role.ENTERPRISE],
                        payload={"reasons": text, "by": Role.BUREAU.value})  # fmt: skip
        return review
    plan.approved_hash = plan.content_hash
    plan.risk_level = step.data.get("risk_level")
    plan.risk_reason = step.data.get("risk_reason")
    summary: dict[str, Any] = {"risk_level": plan.risk_level, "reason": plan.risk_reason,
                               "inputs": {k: data[k] for k in data if k != "review_decision"}}  # fmt: skip
    if plan.risk_level == RiskLevel.HIGH:
        group = covering_working_group(session, plan.enterprise.region_code)
        plan.working_group_id = group.id if group else None
        summary["working_group"] = group.name if group else None
    audit.record(session, actor=actor, role=Role.BUREAU, action="risk.assessed", plan=plan, summary=summary)
    announce_ready(session, plan, step, Role.BUREAU)  # after the group is assigned: it must reach them
    return review
