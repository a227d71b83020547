"""The services ledger as the pages and the API read it: every leaving worker with what they received and
what is short, and one worker's records in full. Personal data only for those who may see it
(policy.sees_personal_data): the others read names with masked ID numbers, and no worker's record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import policy
from approvals.execution_services.common import is_leaving, require_execution, roster_worker, today
from approvals.execution_services.difficulty import assistance_of, difficulty_of, proposals
from approvals.execution_services.households import HouseholdView, households
from approvals.execution_services.rules import ServiceCount, count_services
from approvals.execution_services.self_employment import supports_of
from approvals.execution_services.services import WorkerServices, service_status, services_due, services_of
from approvals.models import (
    AssistanceRecord,
    DifficultyPerson,
    ExecutionRecord,
    Plan,
    RosterWorker,
    SelfEmploymentSupport,
    ServiceRecord,
    User,
)
from approvals.rules.resident_id import mask_id

FILED = "filed"
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class LedgerRow:
    """One leaving worker on the list: the services counted, the difficulty filing, the household flag."""

    services: WorkerServices
    id_number: str  # masked for those who may not see personal data
    difficulty: str  # "" | CONFIRMED | FILED
    zero_employment: bool
    overdue: bool


def ledger_rows(session: Session, user: User, plan: Plan, *, only_short: bool = False,
                on: date | None = None) -> list[LedgerRow]:  # fmt: skip
    """Every leaving worker of a plan in execution in roster order (only those short, if asked): four queries."""
    require_execution(plan)
    day = on or today()
    sees = policy.sees_personal_data(user, plan)
    filed = dict(session.execute(select(DifficultyPerson.id_number, DifficultyPerson.filed_on)
                                 .where(DifficultyPerson.plan_id == plan.id)).tuples().all())  # fmt: skip
    zero = {m.id_number for h in households(session, plan, day) if h.zero_employment for m in h.members if m.id_number}
    rows = []
    for worker in service_status(session, plan):
        if only_short and not worker.count.short:
            continue
        status = "" if worker.id_number not in filed else FILED if filed[worker.id_number] else CONFIRMED
        rows.append(LedgerRow(worker, worker.id_number if sees else mask_id(worker.id_number), status,
                              worker.id_number in zero, worker.count.overdue(day)))  # fmt: skip
    return rows


@dataclass(frozen=True)
class WorkerLedger:
    """One leaving worker's records, for those who may see personal data."""

    row: int
    worker: RosterWorker
    leaving: bool  # a worker who keeps the relation is owed no services: nothing is recorded for them
    count: ServiceCount
    services: list[ServiceRecord]
    proposed: list[str]  # criteria of 就业困难人员 the data show
    difficulty: DifficultyPerson | None
    assistance: list[AssistanceRecord]
    supports: list[SelfEmploymentSupport]
    outcome_kind: str | None  # the placement outcome in the execution record (the one source of the worker's post)
    household: HouseholdView | None


def worker_ledger(session: Session, user: User, plan: Plan, id_number: str) -> WorkerLedger:
    """One worker's ledger: 403 for a reader who may not see personal data, 404 off the roster, 409 before
    execution. A worker who keeps the relation is shown as such, with no records."""
    policy.require_personal_data(user, plan, "查看职工的就业服务记录")
    require_execution(plan)
    worker = roster_worker(session, plan, id_number)
    services = services_of(session, plan, worker.id_number)
    due = services_due(session, plan)
    household = next((h for h in households(session, plan) if any(m.id_number == worker.id_number for m in h.members)),
                     None)  # fmt: skip
    outcome = session.scalar(select(ExecutionRecord.outcome_kind).where(ExecutionRecord.worker_id == worker.id))
    return WorkerLedger(worker.roster_row, worker, is_leaving(worker),
                        count_services([(s.kind, s.provided_on) for s in services], due), services,
                        proposals(session, plan, [worker])[worker.id_number], difficulty_of(session, plan, worker.id_number),
                        assistance_of(session, plan, worker.id_number), supports_of(session, plan, worker.id_number),
                        outcome, household)  # fmt: skip


def household_list(session: Session, user: User, plan: Plan, on: date | None = None) -> list[HouseholdView]:
    """The plan's households, zero-employment ones first, the workers' ID numbers masked for those who may
    not see personal data."""
    require_execution(plan)
    found = households(session, plan, on)
    if not policy.sees_personal_data(user, plan):
        found = [replace(h, members=tuple(replace(m, id_number=mask_id(m.id_number) if m.id_number else None)
                                          for m in h.members)) for h in found]  # fmt: skip
    return sorted(found, key=lambda h: (not h.zero_employment, h.id))
