"""Reading the audit trail: search it, page it, export it and verify it, within the reader's reach.

Supervisors read the chains of the plans in their region; administrators read every chain,
the system chain (administration) included (domain.md §1). One query function serves the page
and the exports, so an export holds exactly the rows the page lists under the same filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.audit import SYSTEM_CHAIN, Break, VerifyReport
from approvals.errors import Invalid, NotFound
from approvals.i18n import N_, Text
from approvals.models import AuditEvent, Enterprise, Plan, Role, User
from approvals.paging import Page

READERS = (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class Reach:
    """Which chains a reader may see: plans matching `plans` (on Plan joined with Enterprise), and
    the system chain when `system`."""

    plans: ColumnElement[bool]
    system: bool

    def plan_ids(self) -> Select[tuple[int]]:
        return select(Plan.id).join(Enterprise, Plan.enterprise_id == Enterprise.id).where(self.plans)


def reach_of(user: User) -> Reach:
    """The reader's reach, or 403 for anyone who is neither supervisor nor administrator."""
    policy.require_any_role(user, READERS, N_("审计记录"))
    return Reach(policy.visible_plans(user, READERS), Role.ADMIN in user.roles)


@dataclass(frozen=True)
class TrailFilter:
    person: str = ""  # part of the user name or display name
    enterprise_id: int | None = None
    plan_id: int | None = None
    action: str = ""
    date_from: date | None = None  # days in `timezone`, both ends included
    date_to: date | None = None
    timezone: tzinfo = UTC


@dataclass(frozen=True)
class TrailRow:
    event_id: int
    occurred_at: datetime  # UTC
    actor_name: str
    actor_display: str | None
    role: str
    action: str
    plan_id: int | None
    plan_title: str | None
    enterprise_name: str | None
    summary: dict[str, Any]
    remote_addr: str
    chain: str
    seq: int


def _utc(day: date, zone: tzinfo) -> datetime:
    """Local midnight of `day` as naive UTC (the trail stores naive UTC)."""
    return datetime.combine(day, time(), zone).astimezone(UTC).replace(tzinfo=None)


def trail_query(session: Session, user: User, wanted: TrailFilter) -> Select[Any]:
    """The events the user may read that match the filter, newest first (404 for an enterprise or
    plan outside the reader's reach; 422 for a date range that ends before it starts)."""
    reach = reach_of(user)
    if wanted.enterprise_id is not None and not session.scalar(
        select(Enterprise.id).where(Enterprise.id == wanted.enterprise_id, enterprises_within(reach))
    ):
        raise NotFound("enterprise_not_found", Text(N_("企业不存在或不在您的督查范围内。")))
    if wanted.plan_id is not None and not session.scalar(reach.plan_ids().where(Plan.id == wanted.plan_id)):
        raise NotFound("plan_not_found", Text(N_("方案不存在或无权查看。")))
    if wanted.date_from and wanted.date_to and wanted.date_to < wanted.date_from:
        message = Text(N_("结束日期不得早于开始日期。"))
        raise Invalid("invalid_date_to", message, [{"field": "date_to", "rule": "after_start", "message": message}])
    query = (
        select(AuditEvent, Plan.title, Enterprise.name, User.display_name)
        .outerjoin(Plan, AuditEvent.plan_id == Plan.id)
        .outerjoin(Enterprise, Plan.enterprise_id == Enterprise.id)
        .outerjoin(User, AuditEvent.actor_id == User.id)
    )
    in_plans = AuditEvent.plan_id.is_not(None) & reach.plans
    query = query.where(or_(in_plans, AuditEvent.chain == SYSTEM_CHAIN) if reach.system else in_plans)
    if person := wanted.person.strip():
        query = query.where(
            or_(
                AuditEvent.actor_name.icontains(person, autoescape=True),
                User.display_name.icontains(person, autoescape=True),
            )
        )
    if wanted.enterprise_id is not None:
        query = query.where(Plan.enterprise_id == wanted.enterprise_id)
    if wanted.plan_id is not None:
        query = query.where(AuditEvent.plan_id == wanted.plan_id)
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.date_from:
        query = query.where(AuditEvent.occurred_at >= _utc(wanted.date_from, wanted.timezone))
    if wanted.date_to:
        query = query.where(AuditEvent.occurred_at < _utc(wanted.date_to + timedelta(days=1), wanted.timezone))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def _row(event: AuditEvent, title: str | None, enterprise: str | None, display: str | None) -> TrailRow:
    return TrailRow(event.id, event.occurred_at, event.actor_name, display, event.actor_role, event.action,
                    event.plan_id, title, enterprise, event.summary, event.remote_addr, event.chain, event.seq)  # fmt: skip


def trail_page(session: Session, user: User, wanted: TrailFilter, page: int, per_page: int) -> Page[TrailRow]:
    query = trail_query(session, user, wanted)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page([_row(*r) for r in rows], page, per_page, total)


# Rows per query of an export: each batch is read whole before the next is asked for.
EXPORT_BATCH = 1000


def trail_rows(session: Session, user: User, wanted: TrailFilter) -> Iterator[TrailRow]:
    """Every matching event, newest first, for the exports: read in batches by keyset (occurred_at,
    id), each batch a query read to its end, so that no cursor has to outlive the transaction it was
    opened in (a streamed download goes on after its request's view has returned)."""
    query = trail_query(session, user, wanted)
    batch = query
    while True:
        rows = [_row(*r) for r in session.execute(batch.limit(EXPORT_BATCH))]
        yield from rows
        if len(rows) < EXPORT_BATCH:
            return
        last = rows[-1]
        batch = query.where(
            or_(
                AuditEvent.occurred_at < last.occurred_at,
                and_(AuditEvent.occurred_at == last.occurred_at, AuditEvent.id < last.event_id),
            )
        )


def enterprises_within(reach: Reach) -> ColumnElement[bool]:
    """Enterprises whose plans the reach covers (the whole region, not only firms with plans):
    for supervisors and administrators visible_plans tests only the enterprise's region."""
    return reach.plans


def enterprises_for(session: Session, user: User) -> list[Enterprise]:
    """The enterprises a reader may filter by."""
    return list(session.scalars(select(Enterprise).where(enterprises_within(reach_of(user))).order_by(Enterprise.name)))


@dataclass(frozen=True)
class ChainStatus:
    """One chain's verdict: how many events it holds and its first break, if any."""

    chain: str
    plan_id: int | None
    title: str
    enterprise: str
    events: int
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


@dataclass(frozen=True)
class TrailCheck:
    report: VerifyReport
    chains: list[ChainStatus]  # broken first, then newest plan first
    other_breaks: list[Break] = field(default_factory=list)  # not of one chain (the checkpoint itself)


def verify_trail(
    session: Session, user: User, key: bytes, *, max_age: timedelta | None = None, now: datetime | None = None
) -> TrailCheck:
    """Recompute the chains within the reader's reach (a supervisor's region; everything for the
    administrator) and check them against their recorded heads and the latest signed checkpoint;
    with `max_age`, events no checkpoint has covered for longer are findings too."""
    reach = reach_of(user)
    report = audit.verify(session, key, reach.plan_ids(), system=reach.system, max_age=max_age, now=now)
    first: dict[str, Break] = {}
    for found in sorted(report.breaks, key=lambda b: (b.seq, b.event_id or 0)):
        first.setdefault(found.chain, found)
    plans = session.execute(
        select(Plan.id, Plan.title, Enterprise.name)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(reach.plans)
        .order_by(Plan.id.desc())
    )
    chains = [
        ChainStatus(
            audit.plan_chain(pid),
            pid,
            title,
            firm,
            report.per_chain[audit.plan_chain(pid)],
            first.get(audit.plan_chain(pid)),
        )  # fmt: skip
        for pid, title, firm in plans
    ]
    if reach.system:
        chains.append(ChainStatus(SYSTEM_CHAIN, None, "", "", report.per_chain[SYSTEM_CHAIN], first.get(SYSTEM_CHAIN)))
    chains.sort(key=lambda c: c.ok)  # stable: broken chains first, each group in its order
    known = {c.chain for c in chains}
    return TrailCheck(report, chains, [b for b in report.breaks if b.chain not in known])
