"""What the bureau reviewer reads of one plan: the checklist a return cites, the facts beside it, and the
reasons a return gives, composed from the ticked checklist items and the reviewer's own words. The review
page and `POST /api/v1/plans/{id}/review` both compose a return's reasons here, so a reason reads the same
whichever way the reviewer decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import policy
from approvals.errors import Invalid, NotAllowed
from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.models import CongressVote, Plan, User
from approvals.process import ReviewDecision, Task
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.roster import RosterSummary
from approvals.services.filings import review_conditions
from approvals.services.gate import gate_facts
from approvals.services.review import risk_inputs
from approvals.services.verification import verifications_of
from approvals.services.workflow import open_tasks

ROSTER_ITEM = N_("职工实名制台账准确（特殊群体、联系不上职工、经济补偿）")
OTHER = N_("其他")


@dataclass(frozen=True)
class CheckItem:
    """One line of the reviewer's checklist; a returned plan cites it as a reason."""

    key: str
    label: str  # Chinese source, translated when shown
    met: bool
    reason: str  # a Text, from the rules
    details: list[str] = field(default_factory=list)

    def as_reason(self) -> str:
        return f"{self.label}：{self.reason}"


@dataclass(frozen=True)
class ReviewFacts:
    """Everything the review page shows of one plan."""

    plan: Plan
    checklist: list[CheckItem]
    gate: list[Condition]
    vote: CongressVote | None
    roster: RosterSummary | None
    verifications: int
    risk_inputs: dict[str, Any]
    review_open: bool
    refusal: Text | None  # why this user may not decide (separation of duties)
    unmet: list[Condition]  # the bureau's conditions of approval not yet met, each named


def checklist(session: Session, plan: Plan, *, waits_for_notice: bool, min_verifications: int) -> list[CheckItem]:
    """The reviewer's checklist: the gate's three conditions, the roster's findings and the bureau's own
    conditions of approval (rules/approval.py), each with what the rules found."""
    facts = gate_facts(plan, waits_for_notice=waits_for_notice)
    return _items(facts, review_conditions(session, plan, min_verifications))


def _items(facts: GateFacts, conditions: list[Condition]) -> list[CheckItem]:
    by_key = {c.key: c for c in gate_conditions(facts)}
    roster_findings = [f.message for f in facts.missing if f.section == "roster"]
    complete = by_key["plan_complete"]
    return [
        CheckItem(complete.key, complete.label, complete.met, complete.reason, [f.message for f in facts.missing]),
        *(CheckItem(c.key, c.label, c.met, c.reason) for c in (by_key["funds_secured"], by_key["congress_passed"])),
        CheckItem("roster", ROSTER_ITEM, not roster_findings,
                  Text(N_("名单未见问题。")) if not roster_findings
                  else Counted(Np_("名单有%(count)s项问题。", "名单有%(count)s项问题。"), len(roster_findings),
                               count=len(roster_findings)), roster_findings),
        *(CheckItem(c.key, c.label, c.met, c.reason) for c in conditions),
    ]  # fmt: skip


def review_facts(session: Session, plan: Plan, user: User, *, waits_for_notice: bool,
                 min_verifications: int) -> ReviewFacts:  # fmt: skip
    facts = gate_facts(plan, waits_for_notice=waits_for_notice)
    conditions = review_conditions(session, plan, min_verifications)
    vote = session.scalars(
        select(CongressVote).where(CongressVote.plan_id == plan.id).order_by(CongressVote.id.desc()).limit(1)
    ).first()
    return ReviewFacts(plan, _items(facts, conditions), gate_conditions(facts), vote,
                       RosterSummary.from_json(plan.roster_summary), len(verifications_of(session, plan)),
                       risk_inputs(plan), any(t.bpmn_id == Task.BUREAU_REVIEW for t in open_tasks(session, plan)),
                       refusal(user, plan), [c for c in conditions if not c.met])  # fmt: skip


def refusal(user: User, plan: Plan) -> Text | None:
    """Why `user` may not decide on `plan` (separation of duties), or None."""
    try:
        policy.check_not_submitter(user, plan)
    except NotAllowed as exc:
        return exc.message if isinstance(exc.message, Text) else Text(exc.message)
    return None


def compose_reasons(decision: str, ticked: list[str], own: list[str], items: list[CheckItem]) -> list[str]:
    """The reasons as the enterprise reads and answers them, one each: every ticked checklist item (by key)
    with what the rules found, in the checklist's order, then the reviewer's own reasons (`own`). An approval
    keeps only the reviewer's words and ticks nothing. A key the checklist does not have is refused, naming it and the keys
    there are."""
    own = [text.strip() for text in own if text.strip()]
    if decision != ReviewDecision.RETURN:
        if ticked:  # an approval has no reasons for a return: refused rather than dropped
            message = Text(N_("审核同意时不能勾选退回理由：请取消勾选检查项，或选择“退回修改”。"))
            raise Invalid("reason_items_on_approval", message,
                          [{"field": "reason_items", "rule": "return_only", "message": message}])  # fmt: skip
        return ["\n".join(own)]
    known = [item.key for item in items]
    unknown = [key for key in ticked if key not in known]
    if unknown:
        message = Text(N_("退回理由中的检查项“%(keys)s”不在本方案的审核检查项中；可选：%(known)s。"),
                       keys=Listing(unknown, N_("、")), known=Listing(known, N_("、")))  # fmt: skip
        raise Invalid("unknown_reason_item", message,
                      [{"field": "reason_items", "rule": "checklist_item", "message": message}])  # fmt: skip
    chosen = [item.as_reason() for item in items if item.key in ticked]
    return [*chosen, *(f"{OTHER}：{text}" if chosen else text for text in own)]
