"""Amending a published plan (方案变更, issue 15 §4): a worker list correction or a new channel goes back through
drafting as a new revision, the completeness gate, a new congress vote on the new revision and a new bureau
review (the risk decision and the working group as usual), then publication of the amended plan.

The law decides what happens to execution meanwhile: 冀人社发〔2018〕38号 §五 forbids carrying out a plan the
congress has not passed ("职工安置方案未经职工代表大会或者职工大会讨论通过的，不得实施"), and the revision under
amendment has not been passed. So recording execution is paused from the start of the amendment until execution
resumes through the execution gate again (publication.start_execution) after the amended plan is published.
The records already entered are kept and stay with their workers: they are keyed by the roster row, which a
roster import updates in place by ID number, and a worker with records cannot be removed from the roster
(services/roster.py `refuse_removal_of_recorded`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_, Text
from approvals.models import ExecutionRecord, Plan, PlanAmendment, PlanRevision, Role
from approvals.services.workflow import amend_process
from approvals.signals import plan_event

REASON_LIMIT = 2000
# A plan is amended from its execution stage: published (waiting for the gate) or executing, never closed.
AMENDABLE = ("published", "executing")


def open_amendment(session: Session, plan: Plan) -> PlanAmendment | None:
    """The plan's latest amendment after which execution has not resumed yet, if any."""
    latest: PlanAmendment | None = _unresumed(session, plan).first()
    return latest


def _unresumed(session: Session, plan: Plan) -> Any:
    return session.scalars(select(PlanAmendment).where(PlanAmendment.plan_id == plan.id,
                                                       PlanAmendment.resumed_at.is_(None))
                           .order_by(PlanAmendment.number.desc()))  # fmt: skip


def amendments_of(session: Session, plan: Plan) -> list[PlanAmendment]:
    return list(session.scalars(select(PlanAmendment).where(PlanAmendment.plan_id == plan.id)
                                .order_by(PlanAmendment.number)))  # fmt: skip


def published_revision(session: Session, plan: Plan, amendment: PlanAmendment) -> PlanRevision | None:
    """The published revision an amendment starts from (what its reviewer compares the new revision with)."""
    return session.scalars(select(PlanRevision).where(PlanRevision.plan_id == plan.id,
                                                      PlanRevision.number == amendment.from_revision)).first()  # fmt: skip


def records_kept(session: Session, plan: Plan) -> int:
    """How many workers' execution records the plan holds (all kept through an amendment)."""
    return (
        session.scalar(select(func.count()).select_from(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id)) or 0
    )


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_LIMIT:
        message = Text(N_("变更理由须为1至%(limit)s个字符。"), limit=REASON_LIMIT)
        raise Invalid("invalid_reason", message,
                      [{"field": "reason", "rule": f"length_1_{REASON_LIMIT}", "message": message}])  # fmt: skip
    return reason


def start_amendment(session: Session, engine: WorkflowEngine, *, actor: Actor, plan: Plan,
                    reason: str) -> PlanAmendment:  # fmt: skip
    """Take the published plan back to drafting with the reason; one transaction with its audit event and the
    notifications of the union, the bureau and the supervisor."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("变更已公布的方案"))
    if plan.status not in AMENDABLE or plan.closed_at is not None or plan.published_hash is None:
        raise Conflict("not_amendable", Text(N_("只有已公布、尚未实施完毕的方案可以变更。")), {"status": plan.status})
    reason = _check_reason(reason)
    number = (session.scalar(select(func.max(PlanAmendment.number)).where(PlanAmendment.plan_id == plan.id)) or 0) + 1
    records = records_kept(session, plan)
    # Amended again before execution resumed: the first start is the earlier amendment's.
    earlier = open_amendment(session, plan)
    started = plan.execution_started_at or (earlier.execution_started_at if earlier else None)
    amendment = PlanAmendment(plan_id=plan.id, number=number, reason=reason, from_revision=plan.revision_number,
                              published_hash=plan.published_hash, execution_started_at=started,
                              started_by_id=user.id)  # fmt: skip
    session.add(amendment)
    # Recording pauses until execution resumes through the gate (module docstring); the first start is kept.
    plan.execution_started_at = None
    amend_process(session, engine, plan)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.amendment_started", plan=plan,
                 summary={"amendment": number, "reason": reason, "from_revision": plan.revision_number,
                          "published_hash": amendment.published_hash, "records_kept": records})  # fmt: skip
    plan_event.send(plan, session=session, kind="plan_amendment_started",
                    roles=[Role.UNION, Role.BUREAU, Role.SUPERVISOR],
                    payload={"amendment": number, "from_revision": plan.revision_number})  # fmt: skip
    session.flush()
    return amendment


def refuse_unchanged(session: Session, plan: Plan) -> None:
    """An amendment submitted with the published content unchanged is no amendment: 409."""
    amendment = open_amendment(session, plan)
    if amendment is not None and amendment.published_at is None and plan.content_hash == amendment.published_hash:
        raise Conflict("amendment_unchanged",
                       Text(N_("变更后的方案与已公布的方案相同：请先修改方案内容或职工名单，再提交。")))  # fmt: skip


def mark_published(session: Session, plan: Plan) -> PlanAmendment | None:
    """The amended plan was published: stamp the open amendment (None when the plan was not amended)."""
    amendment = open_amendment(session, plan)
    if amendment is not None:
        amendment.published_at = utcnow()
    return amendment


def resume(session: Session, plan: Plan) -> PlanAmendment | None:
    """Execution passes the gate again after an amendment: it resumes with its first start (the service
    periods count from it). None when the plan was not amended."""
    pending = list(_unresumed(session, plan))
    if not pending:
        return None
    now = utcnow()
    for amendment in pending:
        amendment.resumed_at = now
    plan.execution_started_at = pending[0].execution_started_at or now
    resumed: PlanAmendment = pending[0]
    return resumed
