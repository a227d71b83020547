"""What every record of the services shares: the plan in execution, the enterprise as the recorder, the
leaving worker, the checks of dates and text, and the audit event with its notification."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid, NotFound
from approvals.execution_services.rules import leaves_enterprise
from approvals.i18n import N_, Listing, Text
from approvals.models import Plan, Role, RosterWorker
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import mask_id
from approvals.rules.text_limits import too_long
from approvals.services.workflow import STATUS_LABELS
from approvals.signals import execution_service_recorded
from approvals.workdays import local_date

Problem = dict[str, Any]


def require_execution(plan: Plan) -> None:
    """409 unless execution has started: the services are those of the plan being carried out."""
    if plan.execution_started_at is None:
        raise Conflict("execution_not_started",
                       Text(N_("方案尚未开始实施（当前阶段：%(status)s），就业服务自开始实施起记录。"),
                            status=Text(STATUS_LABELS.get(plan.status, plan.status))),
                       {"status": plan.status})  # fmt: skip


def require_recorder(actor: Actor, plan: Plan, what: str) -> None:
    """The enterprise keeps the records (domain.md §1: "track execution"); 403 for anyone else."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, what)
    require_execution(plan)


def today() -> date:
    return local_date(utcnow())


def execution_start(plan: Plan) -> date:
    assert plan.execution_started_at is not None
    return local_date(plan.execution_started_at)


def roster_worker(session: Session, plan: Plan, id_number: str) -> RosterWorker:
    """A worker of the plan's roster, or 404."""
    worker = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                        RosterWorker.id_number == (id_number or "").strip().upper()))\
        .first()  # fmt: skip
    if worker is None:
        raise NotFound("worker_not_found", Text(N_("该方案的职工名单中没有这名职工。")))
    return worker


def is_leaving(worker: RosterWorker) -> bool:
    return leaves_enterprise(worker.channel, worker.in_scope, worker.reached_retirement)


def leaving_worker(session: Session, plan: Plan, id_number: str) -> RosterWorker:
    """A worker who leaves the enterprise (rules.leaves_enterprise), or a 422 naming row, name and channel."""
    worker = roster_worker(session, plan, id_number)
    if not is_leaving(worker):
        row = worker.roster_row
        channel = Text(CHANNELS.get(worker.channel or "", N_("未分配")))
        why = (Text(N_("已达法定退休年龄")) if worker.reached_retirement
               else Text(N_("不在安置范围内")) if not worker.in_scope else channel)  # fmt: skip
        message = Text(N_("第%(row)s行 %(name)s（%(why)s）不离开企业，不属于须提供就业服务的分流职工。"),
                       row=row, name=worker.name, why=why)  # fmt: skip
        raise Invalid("not_leaving", message, [{"field": "id_number", "rule": "leaves_enterprise", "row": row,
                                                "message": message}])  # fmt: skip
    return worker


def check_day(problems: list[Problem], field: str, label: str, day: date | None, plan: Plan) -> None:
    """A date given, not in the future, not before the plan was published (the workers were diverted by it)."""
    if day is None:
        problems.append(
            {"field": field, "rule": "required", "message": Text(N_("请填写“%(field)s”。"), field=Text(label))}
        )
        return
    if day > today():
        problems.append({"field": field, "rule": "not_future",
                         "message": Text(N_("“%(field)s”（%(day)s）不能晚于今天。"), field=Text(label), day=day.isoformat())})  # fmt: skip
    published = local_date(plan.published_at) if plan.published_at else None
    if published and day < published:
        problems.append({"field": field, "rule": "after_publication",
                         "message": Text(N_("“%(field)s”（%(day)s）不能早于方案公布之日（%(published)s）。"),
                                         field=Text(label), day=day.isoformat(), published=published.isoformat())})  # fmt: skip


def check_text(problems: list[Problem], field: str, label: str, value: str, limit: int, required: bool = True) -> str:
    """The text stripped; a problem when required and blank, or over its limit."""
    value = (value or "").strip()
    if required and not value:
        problems.append(
            {"field": field, "rule": "required", "message": Text(N_("请填写“%(field)s”。"), field=Text(label))}
        )
    elif len(value) > limit:
        problems.append(too_long(field, label, value, limit))
    return value


def check_choice(problems: list[Problem], field: str, label: str, value: str, choices: dict[str, str]) -> None:
    if value not in choices:
        accepted = Listing([Text(label) for label in choices.values()], N_("、"))
        problems.append({"field": field, "rule": "choice",
                         "message": Text(N_("“%(field)s”须为以下之一：%(accepted)s。"), field=Text(label),
                                         accepted=accepted)})  # fmt: skip


def refuse_if(problems: list[Problem], code: str) -> None:
    if problems:
        raise Invalid(code, problems[0]["message"], problems)


def record_event(session: Session, *, actor: Actor, plan: Plan, action: str, worker: RosterWorker | None,
                 summary: dict[str, Any]) -> None:  # fmt: skip
    """The change's audit event in the plan's chain and its notification to the bureau, in the caller's
    transaction (the worker named, the ID number masked: the trail is read by supervisors too)."""
    named = {"name": worker.name, "id_number": mask_id(worker.id_number)} if worker is not None else {}
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action=action, plan=plan, summary={**named, **summary})
    execution_service_recorded(plan, session=session, action=action, worker=worker.name if worker else "")
