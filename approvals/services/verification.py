"""The bureau's verification of the roster (冀38号 §三): method, sample, result, workers checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Invalid
from approvals.i18n import N_, Listing, Text
from approvals.models import Plan, Role, RosterVerification, RosterWorker, User
from approvals.rules.resident_id import mask_id, mask_ids_in_text
from approvals.rules.text_limits import FIELDS, too_long

METHODS = {
    "site_visit": N_("实地调查"),
    "phone_check": N_("电话抽查"),
    "social_insurance_match": N_("社保数据比对"),
    "payroll_records": N_("用工凭证或工资发放记录"),
}


def record_verification(
    session: Session, *, actor: Actor, plan: Plan, method: str, sample: str, result: str, workers: list[str]
) -> RosterVerification:
    """Record one verification; every worker checked must be on the plan's roster."""
    user = actor.person
    policy.require_role(user, plan, Role.BUREAU, N_("核查职工名单"))
    problems = []
    if method not in METHODS:
        problems.append(
            {
                "field": "method",
                "rule": "known_method",
                "message": Text(
                    N_("核查方式须为%(methods)s。"),
                    methods=Listing([Text(label) for label in METHODS.values()], N_("、")),
                ),
            }
        )
    for field, value, label in (("sample", sample, Text(N_("抽样情况"))), ("result", result, Text(N_("核查结果")))):
        if not value.strip():
            problems.append({"field": field, "rule": "required", "message": Text(N_("须填写%(field)s。"), field=label)})
        elif len(value.strip()) > FIELDS[field]:
            problems.append(too_long(field, label, value.strip(), FIELDS[field]))
    numbers = sorted({w.strip().upper() for w in workers if w.strip()})
    if not numbers:
        problems.append(
            {"field": "workers_checked", "rule": "required", "message": Text(N_("须列出被核查职工的公民身份号码。"))}
        )
    else:
        on_roster = set(session.scalars(select(RosterWorker.id_number).where(
            RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(numbers))))  # fmt: skip
        for number in numbers:
            if number not in on_roster:
                problems.append({"field": "workers_checked", "rule": "on_roster",
                                 "message": Text(N_("公民身份号码%(number)s不在本方案的职工名单中。"), number=number)})  # fmt: skip
    if problems:
        raise Invalid("invalid_verification", problems[0]["message"], problems)
    verification = RosterVerification(plan_id=plan.id, method=method, sample=sample.strip(), result=result.strip(),
                                      workers_checked=numbers, recorded_by_id=user.id)  # fmt: skip
    session.add(verification)
    # The trail is append-only and readable by roles that may not see personal data: ID numbers typed
    # into the free text go in masked.
    audit.record(session, actor=actor, role=Role.BUREAU, action="roster.verified", plan=plan,
                 summary={"method": METHODS[method], "sample": mask_ids_in_text(sample),
                          "result": mask_ids_in_text(result), "workers": len(numbers)})  # fmt: skip
    return verification


@dataclass(frozen=True)
class VerificationView:
    """One verification as a user may see it (approvals/privacy.py)."""

    id: int
    method: str
    sample: str
    result: str
    workers_checked: list[str]
    recorded_by_id: int
    recorded_at: datetime


def verification_views(session: Session, user: User, plan: Plan) -> list[VerificationView]:
    """The plan's verifications, oldest first; for those who may not see the workers' personal data the
    checked workers' ID numbers are masked, and so is any ID number typed into the sample or the result."""
    sees = policy.sees_personal_data(user, plan)
    text: Callable[[str], str] = (lambda value: value) if sees else mask_ids_in_text
    return [VerificationView(v.id, v.method, text(v.sample), text(v.result),
                             list(v.workers_checked) if sees else [mask_id(n) for n in v.workers_checked],
                             v.recorded_by_id, v.recorded_at) for v in verifications_of(session, plan)]  # fmt: skip


def verifications_of(session: Session, plan: Plan) -> list[RosterVerification]:
    return list(session.scalars(
        select(RosterVerification).where(RosterVerification.plan_id == plan.id).order_by(RosterVerification.id)))  # fmt: skip
