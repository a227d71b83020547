"""Finding plans: one set of filters (city, industry, risk, stage) and one search (title, enterprise,
USCC), always within the plans the reader's grants of the list's roles reach (policy.visible_plans).

The bureau's review queue and the plan list of supervisors, clerks and unions are this query, each in
its own order. A page costs three statements whatever the number of plans: the count, the page's ids in
order, and those plans.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, defer

from approvals import policy
from approvals.i18n import N_
from approvals.models import HumanTask, Plan, Region, Role, User
from approvals.models.reference import Enterprise, region_prefix
from approvals.paging import Page
from approvals.process import RiskLevel, Status, Task

REVIEW_TASK = Task.BUREAU_REVIEW
ALL_STAGES = "all"  # the stage filter's value for every stage
RISK_LEVELS = {RiskLevel.HIGH: N_("高风险"), RiskLevel.NORMAL: N_("一般风险"), "none": N_("未评估")}
SEARCH_MAX = 100  # characters of search text: longer than any title (200 bytes of Chinese), name or USCC part

# A list of plans needs none of their documents: never load them (nor let a template load them row by row).
LIST_ONLY = (defer(Plan.content, raiseload=True), defer(Plan.roster_summary, raiseload=True))


@dataclass(frozen=True)
class PlanFilter:
    """What the reader narrows the list to; empty values narrow nothing."""

    text: str = ""  # words each found in the title, the enterprise's name or its USCC
    city: str = ""  # a region code: the plans of enterprises in it (a city covers its counties)
    industry: str = ""
    risk: str = ""  # high, normal, or none (not assessed yet)
    status: str = ALL_STAGES

    @classmethod
    def of(cls, chosen: Mapping[str, str], default_status: str = ALL_STAGES) -> PlanFilter:
        """The filter from query parameters (q, city, industry, risk, status) already checked by the form."""
        return cls(chosen.get("q", ""), chosen.get("city", ""), chosen.get("industry", ""), chosen.get("risk", ""),
                   chosen.get("status", default_status))  # fmt: skip


def search_terms(text: str) -> list[str]:
    """The words of a search (spaces, full-width ones too, separate them); each must be found."""
    return text.split()


def matching(user: User, roles: Collection[Role] | None, wanted: PlanFilter) -> list[ColumnElement[bool]]:
    """The conditions on Plan joined with Enterprise: the plans the user's grants of `roles` (None: of every
    role, as the API lists them) reach, narrowed by the filter. Searching never widens the reach: a plan outside it is not found by its exact title."""
    conditions = [policy.visible_plans(user, roles)]
    for term in search_terms(wanted.text):
        conditions.append(
            or_(
                Plan.title.icontains(term, autoescape=True),
                Enterprise.name.icontains(term, autoescape=True),
                Enterprise.uscc.icontains(term, autoescape=True),
            )
        )
    if wanted.city:
        conditions.append(Enterprise.region_code.startswith(region_prefix(wanted.city)))
    if wanted.industry:
        conditions.append(Enterprise.industry == wanted.industry)
    if wanted.risk:
        conditions.append(Plan.risk_level.is_(None) if wanted.risk == "none" else Plan.risk_level == wanted.risk)
    if wanted.status and wanted.status != ALL_STAGES:
        conditions.append(Plan.status == wanted.status)
    return conditions


def count(session: Session, user: User, roles: Collection[Role] | None, wanted: PlanFilter) -> int:
    """How many plans match, without the joins that only order them."""
    query = select(func.count(Plan.id)).join(Enterprise, Plan.enterprise_id == Enterprise.id)
    return session.scalar(query.where(*matching(user, roles, wanted))) or 0


def newest_first(user: User, roles: Collection[Role], wanted: PlanFilter) -> Select[tuple[int]]:
    """The ids of the matching plans, the last changed first."""
    return (
        select(Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(*matching(user, roles, wanted))
        .order_by(Plan.updated_at.desc(), Plan.id.desc())
    )


def oldest_first(user: User, roles: Collection[Role] | None, wanted: PlanFilter) -> Select[tuple[int]]:
    """The ids of the matching plans in the order they were made (the API's list)."""
    return (
        select(Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(*matching(user, roles, wanted))
        .order_by(Plan.id)
    )


def review_queue(user: User, wanted: PlanFilter, now: datetime) -> Select[tuple[int]]:
    """The ids of the bureau's queue: reviews overdue first (most overdue first), then reviews by
    deadline, then plans at other stages, newest first.

    Only ids: sorting thousands of plans then reads no plan document (the index `ix_plan_queue` covers
    what it reads of the plan); the deadline is the review task's own `due_at` (working days). The usual
    view, the plans waiting for review, walks the open review tasks in deadline order
    (`ix_human_task_deadline`) and stops at the page's end instead of sorting them all.
    """
    conditions = matching(user, (Role.BUREAU,), wanted)
    if wanted.status == Status.REVIEW:
        return (
            select(Plan.id)
            .select_from(HumanTask)
            .join(Plan, HumanTask.plan_id == Plan.id)
            .join(Enterprise, Plan.enterprise_id == Enterprise.id)
            .where(HumanTask.bpmn_id == REVIEW_TASK, HumanTask.completed_at.is_(None), *conditions)
            .order_by(HumanTask.due_at, HumanTask.ready_at, Plan.id.desc())
        )
    task = aliased(HumanTask)
    waiting = task.id.is_not(None)
    overdue = and_(waiting, task.due_at <= now)
    return (
        select(Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .outerjoin(task, and_(task.plan_id == Plan.id, task.bpmn_id == REVIEW_TASK, task.completed_at.is_(None)))
        .where(*conditions)
        .order_by(case((overdue, 0), (waiting, 1), else_=2), task.due_at, task.ready_at, Plan.id.desc())
    )


def plans_in_order(session: Session, ids: list[int]) -> list[Plan]:
    """The plans of one page, with enterprise and region, in the page's order."""
    found = {p.id: p for p in session.scalars(select(Plan).where(Plan.id.in_(ids)).options(*LIST_ONLY))}
    return [found[i] for i in ids if i in found]


def page_of(session: Session, ids: Select[tuple[int]], total: int, page: int, per_page: int) -> Page[Plan]:
    """One page of the plans `ids` lists in order (`total` of them); a page past the end is the last."""
    page = min(max(page, 1), max(1, -(-total // per_page)))
    chosen = list(session.scalars(ids.limit(per_page).offset((page - 1) * per_page)))
    return Page(plans_in_order(session, chosen), page, per_page, total)


def plan_list(session: Session, user: User, roles: Collection[Role], wanted: PlanFilter, page: int,
              per_page: int) -> Page[Plan]:  # fmt: skip
    """One page of the plans the user's grants of `roles` reach that match the filter, the last changed first."""
    return page_of(session, newest_first(user, roles, wanted), count(session, user, roles, wanted), page, per_page)


def region_choices(session: Session, user: User, roles: Collection[Role]) -> list[tuple[str, str]]:
    """The cities and counties within the user's regional grants of `roles`, each county after its city;
    none for grants that reach an enterprise rather than a region."""
    prefixes = [region_prefix(g.region_code) for g in user.grants if g.role in roles and g.region_code]
    if not prefixes:
        return []
    regions = session.scalars(
        select(Region)
        .where(Region.level != "province", or_(*(Region.code.startswith(p) for p in prefixes)))
        .order_by(Region.code)
    ).all()
    names = {r.code: r.name for r in regions}
    return [(r.code, f"{names[r.parent_code]} · {r.name}" if r.parent_code in names else r.name) for r in regions]
