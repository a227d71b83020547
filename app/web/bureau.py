"""The bureau reviewer's home section: the review queue of the plans in their region.

Overdue reviews first, then by deadline; filters are query parameters, so a filtered view is a
link. Four queries whatever the number of plans: the count, the page's ids in order, those plans,
and their deadlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased
from wtforms import SelectField

from app.extensions import db
from app.inputs import query_int
from app.web.form_helpers import choices
from app.web.home import LIST_ONLY, dashboard
from approvals import policy
from approvals.db import utcnow
from approvals.deadlines import REMIND_WORKING_DAYS, Standing, standing
from approvals.models import INDUSTRIES, Enterprise, HumanTask, Plan, Region, Role, User
from approvals.models.reference import region_prefix
from approvals.services.supervision import escalated_at
from approvals.services.workflow import STATUS_LABELS

REVIEW_TASK = "bureau_review"
RISK_LEVELS = {"high": _l("高风险"), "normal": _l("一般风险"), "none": _l("未评估")}
DAY = timedelta(days=1)


class QueueFilter(FlaskForm):
    """The queue's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    city = SelectField(_l("地区"), default="")
    industry = SelectField(_l("行业"), default="")
    risk = SelectField(_l("风险等级"), default="")
    status = SelectField(_l("阶段"), default="review")

    def __init__(self, user: User) -> None:
        super().__init__(formdata=request.args)
        self.city.choices = choices([("", _l("全部地区")), *region_choices(user)])
        self.industry.choices = choices([("", _l("全部行业")), *((k, _l(v)) for k, v in INDUSTRIES.items())])
        self.risk.choices = choices([("", _l("全部")), *RISK_LEVELS.items()])
        self.status.choices = choices([("all", _l("全部阶段")), *((k, _l(v)) for k, v in STATUS_LABELS.items())])

    def chosen(self) -> dict[str, str]:
        """The valid filters as query parameters; an unknown value is shown as an error and ignored."""
        self.validate()
        return {field.name: field.data for field in self if field.data and not field.errors}


def region_choices(user: User) -> list[tuple[str, str]]:
    """The cities and counties within the user's bureau grants, each county after its city."""
    prefixes = [region_prefix(g.region_code) for g in user.grants_for(Role.BUREAU) if g.region_code]
    if not prefixes:
        return []
    regions = db.session.scalars(
        select(Region)
        .where(Region.level != "province", or_(*(Region.code.startswith(p) for p in prefixes)))
        .order_by(Region.code)
    ).all()
    names = {r.code: r.name for r in regions}
    return [(r.code, f"{names[r.parent_code]} · {r.name}" if r.parent_code in names else r.name) for r in regions]


def _conditions(user: User, filters: dict[str, str]) -> list[ColumnElement[bool]]:
    """Which plans the queue holds (join Enterprise): the user's bureau region and the filters."""
    conditions = [policy.visible_plans(user, roles=(Role.BUREAU,))]
    if city := filters.get("city"):
        conditions.append(Enterprise.region_code.startswith(region_prefix(city)))
    if industry := filters.get("industry"):
        conditions.append(Enterprise.industry == industry)
    if risk := filters.get("risk"):
        conditions.append(Plan.risk_level.is_(None) if risk == "none" else Plan.risk_level == risk)
    if (status := filters.get("status", "review")) != "all":
        conditions.append(Plan.status == status)
    return conditions


def queue_query(user: User, filters: dict[str, str], now: datetime) -> Select[tuple[int]]:
    """The ids of the queue's plans: reviews overdue first (most overdue first), then reviews by
    deadline, then plans at other stages, newest first.

    Only ids: sorting thousands of plans then reads no plan document (the index `ix_plan_queue`
    covers what it reads of the plan); the deadline is the review task's own `due_at` (working days).
    The usual view, the plans waiting for review, walks the open review tasks in deadline order
    (`ix_human_task_deadline`) and stops at the page's end instead of sorting them all.
    """
    if filters.get("status", "review") == "review":
        return (
            select(Plan.id)
            .select_from(HumanTask)
            .join(Plan, HumanTask.plan_id == Plan.id)
            .join(Enterprise, Plan.enterprise_id == Enterprise.id)
            .where(HumanTask.bpmn_id == REVIEW_TASK, HumanTask.completed_at.is_(None), *_conditions(user, filters))
            .order_by(HumanTask.due_at, HumanTask.ready_at, Plan.id.desc())
        )
    task = aliased(HumanTask)
    waiting = task.id.is_not(None)
    overdue = and_(waiting, task.due_at <= now)
    return (
        select(Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .outerjoin(task, and_(task.plan_id == Plan.id, task.bpmn_id == REVIEW_TASK, task.completed_at.is_(None)))
        .where(*_conditions(user, filters))
        .order_by(case((overdue, 0), (waiting, 1), else_=2), task.due_at, task.ready_at, Plan.id.desc())
    )


def queue_count(user: User, filters: dict[str, str]) -> int:
    """How many plans the queue holds, without the joins that only order it."""
    query = select(func.count(Plan.id)).join(Enterprise, Plan.enterprise_id == Enterprise.id)
    return db.session.scalar(query.where(*_conditions(user, filters))) or 0


def plans_in_order(ids: list[int]) -> list[Plan]:
    """The plans of one page, with enterprise and region, in the page's order."""
    found = {p.id: p for p in db.session.scalars(select(Plan).where(Plan.id.in_(ids)).options(*LIST_ONLY))}
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class Deadline:
    """Where a waiting review stands against its deadline."""

    standing: Standing | None  # last day and working days left; None: a review without a deadline
    days_overdue: int  # whole calendar days past the deadline (rounded up), 0 before it
    escalated: bool  # the deadline passed and the supervisor was told

    @property
    def overdue(self) -> bool:
        return self.standing is not None and self.standing.overdue


def deadlines(plan_ids: list[int], now: datetime) -> dict[int, Deadline]:
    """The review deadline of each plan of the page that waits for review, in one query.

    The due time is the review task's `due_at` (working days, approvals/deadlines.py), shown as its
    last day and the working days left, as every deadline is; once it has passed the review is
    escalated to the supervisor and stays open.
    """
    if not plan_ids:
        return {}
    rows = db.session.execute(
        select(HumanTask.plan_id, HumanTask.due_at, HumanTask.ready_at, escalated_at()).where(
            HumanTask.plan_id.in_(plan_ids), HumanTask.bpmn_id == REVIEW_TASK, HumanTask.completed_at.is_(None)
        )
    ).all()
    found = {}
    for plan_id, due, ready, escalation in rows:
        place = standing(due, now, started_at=ready) if due else None
        late = math.ceil((now - due) / DAY) if place and place.overdue else 0
        found[plan_id] = Deadline(place, late, escalation is not None)
    return found


@dashboard(Role.BUREAU, lists_tasks=True)
def bureau_home(user: User) -> dict[str, Any]:
    form = QueueFilter(user)
    filters = form.chosen()
    now = utcnow()
    page = db.paginate(queue_query(user, filters, now), page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False, count=False)  # fmt: skip
    page.total = queue_count(user, filters)
    page.items = plans_in_order(page.items)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "deadlines": deadlines([p.id for p in page.items], now),
        "remind_days": REMIND_WORKING_DAYS,  # from then on the deadline is near: the reviewer was reminded
        # translated once per page, not once per row
        "risk_levels": {k: str(v) for k, v in RISK_LEVELS.items()},
        "status_labels": {k: _(v) for k, v in STATUS_LABELS.items()},
        "industries": {k: _(v) for k, v in INDUSTRIES.items()},
        "revision_label": _("第%(n)s版"),
    }
