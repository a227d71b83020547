"""Filling in workers' execution records through the service, as an enterprise clerk would."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.demo import roster_csv, sample_roster
from approvals.execution.items import AGREEMENT_BY_CHANNEL, OUTCOMES_BY_CHANNEL, leaves
from approvals.execution.ledger import ledger_row
from approvals.execution.records import record_part
from approvals.execution_services.common import is_leaving
from approvals.execution_services.common import today as china_today
from approvals.execution_services.services import record_service
from approvals.models import Enterprise, Plan, RosterWorker, WageParameter
from approvals.services.plans import update_plan
from approvals.services.roster import import_roster

OUTCOME_FACTS = {
    "employed": {"employer": "唐山某机械公司", "post": "电工"},
    "training": {"course": "焊工培训", "result": "结业，取得证书"},
    "self_employment": {"business": "某某便利店", "registration": "92130283MA0000000X"},
    "public_welfare": {"post": "保洁", "employer": "迁安市某街道办事处"},
    "internal_retirement": {},
}


def wages_for(session: Session, city: str, year: int, average: str = "6000.00") -> None:
    """The city's average wage of `year`, which severance at an end in the next year is capped by."""
    session.add(WageParameter(city_code=city, year=year, average_monthly_wage=Decimal(average)))
    session.flush()


def outcome(channel: str, started: date, ends: date | None = None) -> dict[str, Any]:
    kind = OUTCOMES_BY_CHANNEL[channel][0]
    facts: dict[str, Any] = {"outcome_kind": kind, **OUTCOME_FACTS[kind], "started_on": started.isoformat()}
    if kind == "training":
        facts["finished_on"] = (started + timedelta(days=2)).isoformat()
    if kind == "public_welfare":
        facts["ends_on"] = (started + timedelta(days=365)).isoformat()
    return facts


def complete(session: Session, actor: Actor, plan: Plan, worker: RosterWorker, ended: date, today: date,
             skip: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Every part the worker needs, in time (the parts in `skip` left out)."""
    kind = AGREEMENT_BY_CHANNEL[worker.channel or ""]

    def enter(part: str, values: dict[str, Any]) -> None:
        if part not in skip:
            record_part(session, actor=actor, plan=plan, worker_id=worker.id, part=part, values=values, today=today)

    enter("agreement", {"agreement_kind": kind, "agreement_signed_on": (ended - timedelta(days=3)).isoformat()})
    if leaves(worker.channel):
        enter("termination", {"terminated_on": ended.isoformat(), "certificate_issued_on": ended.isoformat()})
        due = ledger_row(session, plan, worker.id, today).record.severance_due  # type: ignore[union-attr]
        if "severance" not in skip:
            enter("severance", {"severance_paid": str(due), "severance_paid_on": ended.isoformat(),
                                "payment_reference": f"银付{worker.id}"})  # fmt: skip
        day = (ended + timedelta(days=5)).isoformat()
        enter("transfers", {"insurance_transferred_on": day, "file_transferred_on": day})
        enter("unemployment", {"unemployment_listed_on": day})
    enter("arrears", {"arrears_amount": "0"})
    enter("outcome", outcome(worker.channel or "", ended + timedelta(days=2)))
    if is_leaving(worker) and "services" not in skip:  # 冀人社发〔2018〕38号 §四: 3 job recommendations and 1 other
        for kind in ("job_recommendation",) * 3 + ("career_guidance",):
            record_service(session, actor=actor, plan=plan, id_number=worker.id_number, kind=kind,
                           provided_on=china_today(), provider="市公共就业服务中心", result="已推荐")  # fmt: skip


def roster_without_last(enterprise: Enterprise) -> bytes:
    """The roster file of a plan built by tests/stages.py `plan_at` (create_complete_plan's sample of 20 workers,
    seed 1) without its last worker."""
    return roster_csv(sample_roster(enterprise, 20, 1)[:-1])


def drop_last_worker(session: Session, actor: Actor, enterprise: Enterprise, plan: Plan) -> RosterWorker:
    """A worker list correction of a plan back at drafting: the roster imported again without its last worker
    and the counts corrected; the worker removed."""
    removed = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id)
                              .order_by(RosterWorker.id.desc())).first()  # fmt: skip
    assert removed is not None
    report = import_roster(session, actor=actor, plan=plan, data=roster_without_last(enterprise),
                           filename="职工名单（更正）.csv", dry_run=False)  # fmt: skip
    assert report.committed
    assert report.removed == 1
    workforce, channels = dict(plan.content["workforce"]), dict(plan.content["channels"])
    workforce["in_scope"] -= 1
    channels[removed.channel] -= 1
    update_plan(session, actor=actor, plan=plan, sections={"workforce": workforce, "channels": channels})
    return removed


def steel_in_execution(session: Session, engine: Any, world: Any) -> Plan:
    """The steel firm's plan in execution (20 workers, 9 of them leaving the enterprise), built once per run."""
    from tests import snapshots
    from tests.stages import plan_at

    plan_id = snapshots.cached(session, ("plan", "steel", "executing", None, False),
                               lambda: plan_at(session, engine, world, "executing", firm="steel").id)  # fmt: skip
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return plan


def steel_leaver_in_execution(session: Session, engine: Any, world: Any) -> tuple[Plan, RosterWorker]:
    """The steel firm's plan in execution with 唐山's wages of 2025 (the severance due at an end in 2026) and its
    first terminated worker; committed."""
    from tests.stages import plan_at

    plan = plan_at(session, engine, world, "executing", firm="steel")
    wages_for(session, "130200", 2025)
    worker = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                        RosterWorker.channel == "termination")
                             .order_by(RosterWorker.id)).first()  # fmt: skip
    assert worker is not None
    session.commit()
    return plan, worker
