"""The joint working group while a known high-risk firm's plan is drafted (冀人社发〔2018〕38号 §六: the group
"帮助企业研究制定和细化完善职工安置方案"; domain.md §8 "High-risk firms").

A firm known to be high-risk (services.gate.known_risk_signs: the register's zombie flag, the plan's arrears,
a mass layoff by its roster) has the working group covering its region assigned to its plan as soon as a
sign is on record, so the group's members reach the draft through the plan's one access rule
(policy.grant_reaches). The group records its advice here; its decision after the review is still the only
thing that meets the gate's group condition (services/working_group.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_, Text
from approvals.models import Enterprise, Plan, Role, WorkingGroup, WorkingGroupAdvice
from approvals.process import Status
from approvals.rules.text_limits import FIELDS, too_long
from approvals.services.gate import known_risk_signs
from approvals.services.review import covering_working_group
from approvals.services.workflow import STATUS_LABELS
from approvals.signals import plan_event

# Stages at which the group helps draw up the plan: before the bureau's review decides its risk.
BEFORE_REVIEW = ("drafting", "congress", "review")


def involve_working_group(session: Session, *, actor: Actor, role: Role, plan: Plan) -> WorkingGroup | None:
    """Assign the covering working group to a plan of a firm now known to be high-risk, if none is yet;
    audited and told to the group in the same transaction. The group, once involved, stays."""
    if plan.working_group_id is not None or plan.status not in BEFORE_REVIEW:
        return None
    signs = known_risk_signs(plan)
    if not signs:
        return None
    group = covering_working_group(session, plan.enterprise.region_code)
    if group is None:  # none covers the region: the review's own assignment reports it (app/web/review.py)
        return None
    plan.working_group_id = group.id
    # Each sign kept as its pattern and values, so that the trail says it in the reader's language.
    stored = [{"pattern": s.pattern, "values": {k: str(v) for k, v in s.values.items()}} for s in signs]
    audit.record(session, actor=actor, role=role, action="working_group.involved", plan=plan,
                 summary={"working_group": group.name, "signs": stored})  # fmt: skip
    plan_event.send(plan, session=session, kind="working_group_involved", roles=[Role.WORKING_GROUP],
                    payload={"group": group.name, "signs": [str(s) for s in signs]})  # fmt: skip
    return group


def involve_for_enterprise(session: Session, *, actor: Actor, enterprise: Enterprise) -> list[Plan]:
    """After the register changes (a zombie flag set): involve the group in each open plan of the firm."""
    plans = session.scalars(select(Plan).where(Plan.enterprise_id == enterprise.id, Plan.working_group_id.is_(None),
                                               Plan.status.in_(BEFORE_REVIEW)).order_by(Plan.id)).all()  # fmt: skip
    return [plan for plan in plans if involve_working_group(session, actor=actor, role=Role.ADMIN, plan=plan)]


def record_advice(session: Session, *, actor: Actor, plan: Plan, advice: str) -> WorkingGroupAdvice:
    """The group's advice on the draft of a known high-risk firm's plan; audited, told to the enterprise."""
    user = actor.person
    policy.require_role(user, plan, Role.WORKING_GROUP, N_("联合工作组参与制定方案"))
    policy.check_not_from_enterprise(user, plan)
    if plan.status != Status.DRAFTING:
        stage = Text(STATUS_LABELS.get(plan.status, plan.status))
        raise Conflict("not_drafting", Text(N_("联合工作组参与制定方案的意见在企业起草阶段记录；方案现处于“%(stage)s”阶段。"
                                               "审核同意后，请在“联合工作组介入”环节记录意见和结论。"), stage=stage),
                       {"status": plan.status})  # fmt: skip
    advice = (advice or "").strip()
    if not advice:
        message = Text(N_("须填写工作组的意见或建议。"))
        raise Invalid("advice_required", message, [{"field": "advice", "rule": "required", "message": message}])
    if len(advice) > FIELDS["advice"]:
        problem = too_long("advice", Text(N_("工作组意见")), advice, FIELDS["advice"])
        raise Invalid("advice_too_long", problem["message"], [problem])
    assert plan.working_group_id is not None  # require_role: a group member reaches only a plan assigned to the group
    record = WorkingGroupAdvice(plan_id=plan.id, working_group_id=plan.working_group_id, advice=advice,
                                content_hash=plan.content_hash, recorded_by_id=user.id)  # fmt: skip
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, role=Role.WORKING_GROUP, action="working_group.advised", plan=plan,
                 summary={"advice": advice, "content_hash": plan.content_hash})  # fmt: skip
    plan_event.send(plan, session=session, kind="working_group_advised", roles=[Role.ENTERPRISE],
                    payload={"advice": advice})  # fmt: skip
    return record


def advice_of(session: Session, plan: Plan) -> list[WorkingGroupAdvice]:
    """The group's advice on the plan's drafts, oldest first."""
    return list(session.scalars(select(WorkingGroupAdvice).where(WorkingGroupAdvice.plan_id == plan.id)
                                .order_by(WorkingGroupAdvice.id)))  # fmt: skip
