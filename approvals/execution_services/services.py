"""Employment services for each leaving worker (冀人社发〔2018〕38号 §四: "为每名分流职工至少提供3次岗位推荐和1次
职业指导、就业服务、职业培训等服务"): recording one, and who is short of the minimum and by how much."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.execution_services.common import (
    check_choice,
    check_day,
    check_text,
    execution_start,
    leaving_worker,
    record_event,
    refuse_if,
    require_recorder,
    today,
)
from approvals.execution_services.rules import (
    SERVICE_KINDS,
    ServiceCount,
    count_services,
    leaving_condition,
    service_due,
)
from approvals.i18n import N_
from approvals.models import Plan, RosterWorker, ServiceRecord
from approvals.rules.text_limits import LINE, PARAGRAPH
from approvals.services.parameters import parameters_in_force


def check_service(plan: Plan, *, kind: str, provided_on: date | None, provider: str, result: str) -> dict[str, Any]:
    """A service's values checked (422 naming each bad field): what recording and correcting it store."""
    problems: list[dict[str, object]] = []
    check_choice(problems, "kind", N_("服务类型"), kind, SERVICE_KINDS)
    check_day(problems, "provided_on", N_("服务日期"), provided_on, plan)
    provider = check_text(problems, "provider", N_("服务提供方"), provider, LINE)
    result = check_text(problems, "result", N_("服务结果"), result, PARAGRAPH)
    refuse_if(problems, "invalid_service")
    return {"kind": kind, "provided_on": provided_on, "provider": provider, "result": result}


def record_service(session: Session, *, actor: Actor, plan: Plan, id_number: str, kind: str,
                   provided_on: date | None, provider: str, result: str) -> ServiceRecord:  # fmt: skip
    """Record one service given to a leaving worker; audited, the bureau told."""
    require_recorder(actor, plan, N_("记录就业服务"))
    worker = leaving_worker(session, plan, id_number)
    values = check_service(plan, kind=kind, provided_on=provided_on, provider=provider, result=result)
    assert provided_on is not None
    user = actor.person
    record = ServiceRecord(plan_id=plan.id, id_number=worker.id_number, recorded_by_id=user.id, **values)
    session.add(record)
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.service_recorded", worker=worker,
                 summary={"kind": kind, "provided_on": provided_on.isoformat(), "provider": values["provider"],
                          "result": values["result"]})  # fmt: skip
    return record


def services_due(session: Session, plan: Plan) -> date:
    """The last day services count towards the minimum: the period in force when execution started."""
    start = execution_start(plan)
    return service_due(start, int(parameters_in_force(session, start)["service_period_months"]))


@dataclass(frozen=True)
class WorkerServices:
    """One leaving worker, by the row of the exported roster, with what they received by the due date."""

    row: int
    id_number: str
    name: str
    channel: str
    count: ServiceCount

    @property
    def job_recommendations_short(self) -> int:
        return self.count.job_recommendations_short

    @property
    def other_services_short(self) -> int:
        return self.count.other_services_short


@dataclass(frozen=True)
class Leaving:
    """A leaving worker as the lists read them: the row in the exported roster, the ID number, name, channel."""

    row: int
    id_number: str
    name: str
    channel: str


def leaving_workers(session: Session, plan_id: int) -> list[Leaving]:
    """The plan's leaving workers (rules.leaves_enterprise, in SQL) in roster order, with their rows (kept with
    each worker, RosterWorker.roster_row): one query reading four columns of the leaving workers only."""
    worker = RosterWorker
    rows = session.execute(select(worker.roster_row, worker.id_number, worker.name, worker.channel)
                           .where(worker.plan_id == plan_id,
                                  leaving_condition(worker.channel, worker.in_scope, worker.reached_retirement))
                           .order_by(worker.plan_id, worker.roster_row))  # fmt: skip
    return [Leaving(*row) for row in rows]


def service_status(session: Session, plan: Plan) -> list[WorkerServices]:
    """Every leaving worker of the plan and the services they received by the due date: two queries."""
    due = services_due(session, plan)
    given: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for number, kind, day in session.execute(select(ServiceRecord.id_number, ServiceRecord.kind,
                                                    ServiceRecord.provided_on)
                                             .where(ServiceRecord.plan_id == plan.id)):  # fmt: skip
        given[number].append((kind, day))
    return [WorkerServices(w.row, w.id_number, w.name, w.channel, count_services(given[w.id_number], due))
            for w in leaving_workers(session, plan.id)]  # fmt: skip


@dataclass(frozen=True)
class Shortfall:
    """One leaving worker short of the minimum services: by how many job recommendations and other services."""

    row: int  # in the exported roster (the header is row 1)
    name: str
    id_number: str
    job_recommendations_short: int  # of MIN_JOB_RECOMMENDATIONS
    other_services_short: int  # of MIN_OTHER_SERVICES (career guidance, employment service, training)
    due: date
    overdue: bool  # the due date has passed


def service_shortfalls(session: Session, plan_id: int, *, on: date | None = None) -> list[Shortfall]:
    """Each leaving worker of the plan still short of §四's minimum (3 job recommendations and 1 of career
    guidance, employment service or vocational training, given by the due date), in roster order; empty when
    nobody is short. What the closing gate calls. Before execution starts no service is due: empty."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    if plan.execution_started_at is None:
        return []
    day = on or today()
    return [Shortfall(w.row, w.name, w.id_number, w.job_recommendations_short, w.other_services_short,
                      w.count.due, w.count.overdue(day))
            for w in service_status(session, plan) if w.count.short]  # fmt: skip


def services_of(session: Session, plan: Plan, id_number: str) -> list[ServiceRecord]:
    return list(session.scalars(select(ServiceRecord).where(ServiceRecord.plan_id == plan.id,
                                                            ServiceRecord.id_number == id_number)
                                .order_by(ServiceRecord.provided_on, ServiceRecord.id)))  # fmt: skip
