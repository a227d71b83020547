"""What a supervisor watches in their region: plans per city and stage, and votes and reviews past their
deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, and_, func, or_, select
from sqlalchemy.orm import Session

from approvals import policy
from approvals.db import utcnow
from approvals.i18n import N_
from approvals.models import AuditEvent, Enterprise, HumanTask, Plan, Region, Role, User, WorkflowInstance
from approvals.services.workflow import ESCALATIONS

# The tasks with a deadline (approvals/deadlines.py), and the trail's action when one passes.
TIMED_TASKS = {escalation.task: escalation.action for escalation in ESCALATIONS.values()}


def _supervised(user: User) -> ColumnElement[bool]:
    """The plans the user supervises (join Enterprise); 403 for anyone who is not a supervisor."""
    policy.require_any_role(user, (Role.SUPERVISOR,), N_("督查概览"))
    return policy.visible_plans(user, (Role.SUPERVISOR,))


@dataclass
class CityCounts:
    code: str
    name: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def region_overview(session: Session, user: User) -> list[CityCounts]:
    """Plans per city (设区市) and status in the supervisor's region, from one grouped query."""
    city = func.substr(Enterprise.region_code, 1, 4) + "00"
    rows = session.execute(
        select(city, Region.name, Plan.status, func.count(Plan.id))
        .select_from(Plan)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .outerjoin(Region, Region.code == city)
        .where(_supervised(user))
        .group_by(city, Region.name, Plan.status)
        .order_by(city)
    )
    cities: dict[str, CityCounts] = {}
    for code, name, status, count in rows:
        cities.setdefault(code, CityCounts(code, name or code)).by_status[status] = count
    return list(cities.values())


@dataclass(frozen=True)
class OverdueTask:
    plan_id: int
    title: str
    enterprise: str
    task: str  # the BPMN id of the task past its deadline (congress_vote, bureau_review)
    task_title: str
    since: datetime  # when the task became ready (UTC)
    deadline: datetime | None  # the pending deadline timer (UTC); None once it has fired
    escalated_at: datetime | None  # the escalation recorded in the trail for this round of the task


def escalated_at() -> ScalarSelect[datetime]:
    """When the trail records the escalation of this round of the task (correlated to HumanTask): the
    latest escalation of the task's plan since the task became ready (a plan waits at one timed task at
    a time); NULL when none."""
    return (
        select(func.max(AuditEvent.occurred_at))
        .where(
            AuditEvent.plan_id == HumanTask.plan_id,
            AuditEvent.action.in_(sorted(set(TIMED_TASKS.values()))),
            AuditEvent.occurred_at >= HumanTask.ready_at,
        )  # fmt: skip
        .correlate(HumanTask)
        .scalar_subquery()
    )


def overdue_tasks(session: Session, user: User, now: datetime | None = None, limit: int = 100) -> list[OverdueTask]:
    """Congress votes and reviews still open past their deadline: the timer is due (not yet run) or the
    trail records the escalation since the task began. Longest waiting first."""
    now = now or utcnow()
    escalation = escalated_at()
    rows = session.execute(
        select(Plan.id, Plan.title, Enterprise.name, HumanTask.bpmn_id, HumanTask.title, HumanTask.ready_at,
               WorkflowInstance.next_timer_at, escalation)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .join(HumanTask, and_(HumanTask.plan_id == Plan.id, HumanTask.bpmn_id.in_(sorted(TIMED_TASKS)),
                              HumanTask.completed_at.is_(None)))
        .join(WorkflowInstance, WorkflowInstance.plan_id == Plan.id)
        .where(_supervised(user), or_(WorkflowInstance.next_timer_at <= now, escalation.is_not(None)))
        .order_by(HumanTask.ready_at, Plan.id)
        .limit(limit)
    )  # fmt: skip
    return [OverdueTask(*row) for row in rows]
