"""Publishing an approved plan, and the execution gate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.errors import Conflict
from approvals.execution.amendment import mark_published, resume
from approvals.execution.deadlines import check_cycle
from approvals.i18n import N_, Text
from approvals.models import Plan, Role
from approvals.process import Status, Task
from approvals.rules.gate import Condition
from approvals.services.document_numbers import allocate, enterprise_issuer, label, number_of
from approvals.services.gate import WAITS_FOR_NOTICE_WINDOW, plan_gate
from approvals.services.parameters import plan_parameters, snapshot
from approvals.services.public_notice import DEFAULT_NOTICE_DAYS, open_notice
from approvals.services.roster import reference_date
from approvals.services.workflow import complete_task, take_task
from approvals.signals import plan_event


def publish_plan(
    session: Session, engine: WorkflowEngine, *, actor: Actor, plan: Plan, notice_days: int = DEFAULT_NOTICE_DAYS
) -> Plan:
    """Publish the approved plan (公布) and open its public notice for `notice_days`; the execution stage follows.

    An amended plan (approvals/execution/amendment.py) keeps its published text's 文号 and its public link: the
    notice opens again for `notice_days` on the amended text."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("公布方案"))
    turn = take_task(session, plan, (Task.PUBLISH_PLAN,), N_("公布方案"))
    # The execution stage's daily deadline check (timer execution_deadlines_due on carry_out_plan).
    complete_task(session, engine, plan, turn, check_cycle(utcnow()), actor)
    plan.published_at, plan.published_hash = utcnow(), plan.content_hash
    amendment = mark_published(session, plan)
    number = number_of(session, "published-plan", plan.id) or allocate(
        session, kind="published-plan", plan=plan, record_id=plan.id, on=plan.published_at,
        issuer=enterprise_issuer(plan.enterprise))  # the published text's 文号  # fmt: skip
    if not plan.parameters_used:  # a plan published without a roster keeps the values it showed, too
        shown = plan_parameters(session, plan, reference_date(plan))
        plan.parameters_used = snapshot(shown.parameters, shown.region)
    notice = open_notice(session, plan, days=notice_days, now=plan.published_at)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="plan.published", plan=plan,
                 summary={"content_hash": plan.content_hash, "revision": plan.revision_number,
                          "notice_closes_at": notice.closes_at.isoformat(timespec="seconds"),
                          "document_number": label(number),
                          **({"amendment": amendment.number} if amendment else {})})  # fmt: skip
    plan_event.send(plan, session=session, kind="plan_published",
                    roles=[Role.UNION, Role.BUREAU, Role.SUPERVISOR], payload={})  # fmt: skip
    return plan


def start_execution(session: Session, *, actor: Actor, plan: Plan, waits_for_notice: bool = WAITS_FOR_NOTICE_WINDOW,
                    now: datetime | None = None) -> list[Condition]:  # fmt: skip
    """Start execution (实施) only when every precondition holds; no role bypasses the gate.
    `waits_for_notice`: whether the public notice's window must have ended (the setting).

    Returns the unmet conditions: empty when execution started. A refusal is itself recorded
    in the trail, so the caller commits either way.
    """
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("启动方案实施"))
    if plan.execution_started_at is not None:
        raise Conflict("already_executing", Text(N_("方案已启动实施。")))
    now = now or utcnow()
    conditions = plan_gate(plan, waits_for_notice=waits_for_notice, now=now)
    unmet = [c for c in conditions if not c.met]
    if unmet:
        audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.refused",
                     plan=plan, summary={"unmet": [c.key for c in unmet]})  # fmt: skip
        return unmet
    amendment = resume(session, plan)  # after an amendment, execution resumes with its first start
    if amendment is None:
        plan.execution_started_at = now
    plan.status = Status.EXECUTING
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.started", plan=plan,
                 summary={"content_hash": plan.content_hash,
                          **({"amendment": amendment.number} if amendment else {})})  # fmt: skip
    return []
