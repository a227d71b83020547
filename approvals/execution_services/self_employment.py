"""Self-employment support for leaving workers (冀人社发〔2018〕38号 §四: "对有创业愿意的，优先安排入驻各类创业孵化
基地，全面落实创业培训补贴、创业担保贷款等优惠政策"): an incubator place, the start-up training subsidy, a guaranteed
start-up loan within the individual cap in force on the day it is granted (the dated setting startup_loan_cap)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.execution_services.common import (
    check_choice,
    check_day,
    check_text,
    leaving_worker,
    record_event,
    refuse_if,
    require_recorder,
)
from approvals.execution_services.rules import GUARANTEED_LOAN, SUPPORT_KINDS, WITH_AMOUNT
from approvals.i18n import N_, Text
from approvals.models import Plan, RosterWorker, SelfEmploymentSupport
from approvals.rules.text_limits import LINE
from approvals.services.parameters import parameters_in_force

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)


def parse_amount(problems: list[dict[str, object]], value: str | Decimal | None) -> Decimal | None:
    """A positive amount in yuan with at most two decimals, or a problem naming the field."""
    if value is None or str(value).strip() == "":
        problems.append({"field": "amount", "rule": "required", "message": Text(N_("请填写金额（元）。"))})
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or -amount.as_tuple().exponent > 2:  # type: ignore[operator]
        problems.append({"field": "amount", "rule": "amount",
                         "message": Text(N_("金额“%(value)s”须为正数，最多两位小数。"), value=str(value))})  # fmt: skip
        return None
    return amount


def check_support(session: Session, plan: Plan, worker: RosterWorker, *, kind: str, granted_on: date | None,
                  provider: str, amount: str | Decimal | None, reference: str) -> dict[str, Any]:  # fmt: skip
    """A support's values checked (422 naming each bad field); a loan above the cap in force on the day it is
    granted is refused naming the worker, the amount and the cap (the cap kept in `details`)."""
    problems: list[dict[str, object]] = []
    check_choice(problems, "kind", N_("扶持项目"), kind, SUPPORT_KINDS)
    check_day(problems, "granted_on", N_("办理日期"), granted_on, plan)
    provider = check_text(problems, "provider", N_("承办机构"), provider, LINE)
    reference = check_text(problems, "reference", N_("合同或批准文号"), reference, 100, required=False)
    value = parse_amount(problems, amount) if kind in WITH_AMOUNT else None
    details: dict[str, str] = {}
    if kind == GUARANTEED_LOAN and value is not None and granted_on is not None:
        cap = parameters_in_force(session, granted_on).values["startup_loan_cap"]
        details = {"cap": str(cap.value), "cap_from": cap.effective_from.isoformat() if cap.effective_from else ""}
        if value > cap.value:
            problems.append({"field": "amount", "rule": "loan_cap", "cap": str(cap.value),
                             "message": Text(N_("第%(row)s行 %(name)s的创业担保贷款%(amount)s元超过%(day)s个人贷款额度上限%(cap)s元。"),
                                             row=worker.roster_row, name=worker.name,
                                             amount=value, day=granted_on.isoformat(), cap=cap.value)})  # fmt: skip
    refuse_if(problems, "invalid_support")
    return {"kind": kind, "granted_on": granted_on, "provider": provider, "amount": value, "reference": reference,
            "details": details}  # fmt: skip


def record_support(session: Session, *, actor: Actor, plan: Plan, id_number: str, kind: str,
                   granted_on: date | None, provider: str, amount: str | Decimal | None,
                   reference: str) -> SelfEmploymentSupport:  # fmt: skip
    """Record one support given to a leaving worker; a loan above the cap in force is refused, naming the
    worker, the amount and the cap."""
    require_recorder(actor, plan, N_("记录创业扶持"))
    worker = leaving_worker(session, plan, id_number)
    values = check_support(session, plan, worker, kind=kind, granted_on=granted_on, provider=provider, amount=amount,
                           reference=reference)  # fmt: skip
    user = actor.person
    assert granted_on is not None
    record = SelfEmploymentSupport(plan_id=plan.id, id_number=worker.id_number, recorded_by_id=user.id, **values)
    session.add(record)
    session.flush()
    value, details = values["amount"], values["details"]
    record_event(session, actor=actor, plan=plan, action="execution_service.support_recorded", worker=worker,
                 summary={"kind": kind, "granted_on": granted_on.isoformat(), "provider": values["provider"],
                          "amount": str(value) if value is not None else None, "reference": values["reference"],
                          **({"cap": details["cap"]} if details else {})})  # fmt: skip
    return record


def supports_of(session: Session, plan: Plan, id_number: str) -> list[SelfEmploymentSupport]:
    return list(session.scalars(select(SelfEmploymentSupport).where(SelfEmploymentSupport.plan_id == plan.id,
                                                                    SelfEmploymentSupport.id_number == id_number)
                                .order_by(SelfEmploymentSupport.granted_on, SelfEmploymentSupport.id)))  # fmt: skip
