"""Inboxes: open tasks a user may act on, straight from the task mirror."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from approvals.models import Enterprise, HumanTask, Plan, Role, User
from approvals.models.reference import region_prefix


def _lane_clause(user: User) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    for g in user.grants:
        if g.role in (Role.ENTERPRISE, Role.UNION) and g.enterprise_id:
            scope = Plan.enterprise_id == g.enterprise_id
        elif g.role == Role.BUREAU and g.region_code:
            scope = Enterprise.region_code.startswith(region_prefix(g.region_code))
        elif g.role == Role.WORKING_GROUP and g.working_group_id:
            scope = Plan.working_group_id == g.working_group_id
        else:
            continue  # supervisors and administrators have no tasks in the process
        clauses.append(and_(HumanTask.lane == g.role, scope))
    return or_(*clauses) if clauses else false()


def open_tasks_for(user: User) -> Select[tuple[HumanTask]]:
    return (
        select(HumanTask)
        .join(Plan, HumanTask.plan_id == Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(HumanTask.completed_at.is_(None), _lane_clause(user))
        .order_by(HumanTask.ready_at, HumanTask.id)
    )
