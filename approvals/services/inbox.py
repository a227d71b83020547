"""Inboxes: open tasks a user may act on, straight from the task mirror."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from approvals.models import Enterprise, HumanTask, Plan, Role, User
from approvals.reach import REACH

# The roles with lanes in the process: supervisors and administrators have no tasks.
LANES = (Role.ENTERPRISE, Role.UNION, Role.BUREAU, Role.WORKING_GROUP)


def _lane_clause(user: User) -> ColumnElement[bool]:
    clauses = [and_(HumanTask.lane == g.role, REACH[g.role].plans(g)) for g in user.grants if g.role in LANES]
    return or_(*clauses) if clauses else false()


def open_tasks_for(user: User) -> Select[tuple[HumanTask]]:
    return (
        select(HumanTask)
        .join(Plan, HumanTask.plan_id == Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(HumanTask.completed_at.is_(None), _lane_clause(user))
        .order_by(HumanTask.ready_at, HumanTask.id)
    )
