"""What the administrator's pages list: users, enterprises, regions, working groups, wages.

The changes themselves (create, edit, grant, revoke, deactivate) are in services/accounts.py,
each audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from approvals.audit import SYSTEM_CHAIN
from approvals.models import AuditEvent, Enterprise, Plan, Region, RoleGrant, User, WageParameter, WorkingGroup
from approvals.process import Status


def users_query(search: str = "") -> Select[tuple[User]]:
    query = select(User).order_by(User.username)
    if search := search.strip():
        query = query.where(or_(User.username.icontains(search, autoescape=True),
                                User.display_name.icontains(search, autoescape=True)))  # fmt: skip
    return query


def enterprises_query(search: str = "") -> Select[tuple[Enterprise]]:
    query = select(Enterprise).order_by(Enterprise.region_code, Enterprise.name)
    if search := search.strip():
        query = query.where(or_(Enterprise.name.icontains(search, autoescape=True),
                                Enterprise.uscc.icontains(search.upper(), autoescape=True)))  # fmt: skip
    return query


def regions(session: Session) -> list[Region]:
    """Every region in code order: a province, then each city followed by its counties."""
    return list(session.scalars(select(Region).order_by(Region.code)))


@dataclass(frozen=True)
class GroupRow:
    group: WorkingGroup
    region_name: str
    members: int


def working_groups(session: Session) -> list[GroupRow]:
    members = select(func.count(RoleGrant.id)).where(RoleGrant.working_group_id == WorkingGroup.id).scalar_subquery()
    rows = session.execute(
        select(WorkingGroup, Region.name, members)
        .join(Region, Region.code == WorkingGroup.region_code)
        .order_by(WorkingGroup.region_code, WorkingGroup.name)
    )
    return [GroupRow(*row) for row in rows]


@dataclass(frozen=True)
class WageRow:
    city_code: str
    city_name: str
    year: int
    average: Decimal
    minimum: Decimal


def wage_parameters(session: Session) -> list[WageRow]:
    """Every city's wages by year, newest year first."""
    rows = session.execute(
        select(
            WageParameter.city_code,
            Region.name,
            WageParameter.year,
            WageParameter.average_monthly_wage,
            WageParameter.minimum_monthly_wage,
        )  # fmt: skip
        .join(Region, Region.code == WageParameter.city_code)
        .order_by(WageParameter.year.desc(), WageParameter.city_code)
    )
    return [WageRow(*row) for row in rows]


def cities(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.level == "city").order_by(Region.code)))


@dataclass(frozen=True)
class WageWait:
    """A city's figures of a year that plans in drafting wait for (their severance cannot be computed)."""

    city_code: str
    city_name: str
    year: int
    plans: int
    average: bool  # the city's average wage (工资参数) is what is missing
    minimum: bool  # the minimum wage of a tier (法定参数) is


def wages_waited_for(session: Session) -> list[WageWait]:
    """The figures plans in drafting wait for, as their roster summaries name them (RowContext.wage_gap)."""
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    summaries = session.scalars(
        select(Plan.roster_summary).where(Plan.status == Status.DRAFTING, Plan.roster_digest != "")
    )
    for summary in summaries:
        gap = (summary or {}).get("wage_figures_missing")
        if gap:
            found.setdefault((gap["city"], gap["year"]), []).append(gap)
    return [WageWait(city, gaps[0].get("city_name", city), year, len(gaps), any(g.get("average") for g in gaps),
                     any(g.get("minimum") for g in gaps))
            for (city, year), gaps in sorted(found.items())]  # fmt: skip


@dataclass(frozen=True)
class StaleWages:
    """A city whose newest average wage figures stop at ``year``, older than the setting allows."""

    city_code: str
    city_name: str
    year: int


def stale_wage_cities(session: Session, current_year: int, max_age_years: int) -> list[StaleWages]:
    """The cities whose newest average wage figures are older than ``max_age_years`` before ``current_year``
    (config WAGE_FIGURES_MAX_AGE_YEARS): severance is capped by the previous year's local average wage
    (劳动合同法 Art 47), so plans computed with such figures cap it at an outdated amount. Cities with no
    figures at all are named by ``overview().cities_without_wages`` instead."""
    newest = (
        select(WageParameter.city_code, func.max(WageParameter.year).label("year"))
        .group_by(WageParameter.city_code)
        .subquery()
    )
    rows = session.execute(
        select(Region.code, Region.name, newest.c.year)
        .join(newest, newest.c.city_code == Region.code)
        .where(newest.c.year < current_year - max_age_years)
        .order_by(Region.code)
    ).all()
    return [StaleWages(code, name, year) for code, name, year in rows]


@dataclass(frozen=True)
class AdminOverview:
    users: int
    inactive_users: int
    enterprises: int
    regions: int
    working_groups: int
    wage_year: int | None  # the latest year with any city's wages
    cities_without_wages: list[str]  # names of cities lacking wages for that year
    recent: list[AuditEvent]  # the latest administration steps (the system chain)
    wages_waited_for: list[WageWait]


def overview(session: Session, recent: int = 5) -> AdminOverview:
    year = session.scalar(select(func.max(WageParameter.year)))
    missing: list[str] = []
    if year is not None:
        have = select(WageParameter.city_code).where(WageParameter.year == year)
        missing = list(
            session.scalars(
                select(Region.name).where(Region.level == "city", Region.code.not_in(have)).order_by(Region.code)
            )
        )
    return AdminOverview(
        users=session.scalar(select(func.count(User.id))) or 0,
        inactive_users=session.scalar(select(func.count(User.id)).where(User.active.is_(False))) or 0,
        enterprises=session.scalar(select(func.count(Enterprise.id))) or 0,
        regions=session.scalar(select(func.count(Region.code))) or 0,
        working_groups=session.scalar(select(func.count(WorkingGroup.id))) or 0,
        wage_year=year,
        cities_without_wages=missing,
        wages_waited_for=wages_waited_for(session),
        recent=list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.chain == SYSTEM_CHAIN).order_by(AuditEvent.seq.desc()).limit(recent)
            )
        ),
    )
