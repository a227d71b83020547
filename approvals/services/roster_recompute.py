"""Recomputing stored rosters when an administrator enters the figures they wait for.

A roster imported before its city's average wage of the year was entered keeps its leavers' severance
empty (RowContext.wage_gap). When the administrator enters the figures, every plan in drafting of that
city whose reference date needs that year is recomputed at once, in the same transaction as the entry:
each stored worker goes through the import's checks again (`check_rows` over the rows as stored), the rows
that change keep what they replaced (roster_worker_change, "recomputed"), and the plan's summary, funding
requirement, digest and content hash are refreshed and recorded in its trail. The clerk uploads nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import Actor
from approvals.models import Enterprise, Plan, Region, Role
from approvals.models.roster import RosterWorker, RosterWorkerChange
from approvals.process import Status
from approvals.roster.columns import BY_KEY
from approvals.roster.files import RosterFile, collector_paused, parse_row
from approvals.rules.roster import RosterSummary
from approvals.services.roster import (
    _before,
    _cell,
    _update_workers,
    check_rows,
    city_of,
    reference_date,
    refresh_plan_roster,
)
from approvals.signals import plan_event


def _stored_roster(workers: list[RosterWorker]) -> RosterFile:
    """The stored workers as the file that would give them, a row each in the exported roster's order."""
    rows = []
    columns: dict[str, str] = {}
    for worker in workers:
        cells = {key: _cell(BY_KEY[key], value) for key, value in worker.data.items() if key in BY_KEY}
        cells.update(id_number=worker.id_number, name=worker.name)
        columns.update((key, BY_KEY[key].header) for key in cells)
        rows.append(parse_row(cells, worker.roster_row))  # its row in the export (the header is row 1)
    return RosterFile("stored", columns, [], rows, 1)


def recompute_roster(session: Session, *, actor: Actor, plan: Plan, cause: dict[str, Any]) -> RosterSummary | None:
    """Recompute the plan's stored roster with the figures now entered; None when no row changes.

    A row the checks now refuse is kept as it was (as a partial import keeps a rejected row)."""
    workers = list(
        session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    )
    if not workers:
        return None
    with collector_paused():
        checked = check_rows(session, plan, _stored_roster(workers))
    stored = {w.id_number: w for w in workers}
    changed = [stored[n] for n, record in checked.rows.items() if stored[n].row_hash != record["row_hash"]]
    if not changed:
        return None
    session.add_all(RosterWorkerChange(plan_id=plan.id, id_number=w.id_number, change="recomputed", before=_before(w),
                                       changed_by_id=actor.user.id if actor.user else None) for w in changed)  # fmt: skip
    by_import: dict[int | None, list[RosterWorker]] = defaultdict(list)
    for worker in changed:
        by_import[worker.import_id].append(worker)
    for import_id, group in by_import.items():
        _update_workers(session, import_id, [checked.rows[w.id_number] for w in group], [w.id for w in group])
    session.flush()
    for worker in workers:
        session.expire(worker)
    kept = [n for n in stored if n not in checked.rows]
    summary = refresh_plan_roster(session, plan, checked.rows, kept, wage_gap=checked.wage_gap)
    plan.parameters_used = checked.parameters_used
    audit.record(session, actor=actor, role=Role.ADMIN, action="roster.recomputed", plan=plan,
                 summary={**cause, "workers": len(changed), "content_hash": plan.content_hash,
                          "severance_total": str(summary.severance_total),
                          "severance_missing": summary.severance_missing})  # fmt: skip
    plan_event.send(plan, session=session, kind="roster_recomputed", roles=[Role.ENTERPRISE],
                    payload={"city": cause.get("city_name", ""), "year": cause.get("year"), "workers": len(changed),
                             "severance_missing": summary.severance_missing})  # fmt: skip
    return summary


def plans_needing(session: Session, city: str, year: int) -> list[Plan]:
    """The plans in drafting of the city's enterprises with a roster whose severance is counted on the city's
    average wage of `year` (the year before the plan's reference date)."""
    plans = session.scalars(
        select(Plan).join(Enterprise, Enterprise.id == Plan.enterprise_id)
        .where(Plan.status == Status.DRAFTING, Plan.roster_digest != "", Enterprise.region_code.startswith(city[:4]))
        .order_by(Plan.id)
    )  # fmt: skip
    return [plan for plan in plans if city_of(plan) == city and reference_date(plan).year - 1 == year]


def plan_city_name(session: Session, city: str) -> str:
    region = session.get(Region, city)
    return region.name if region else city


@dataclass(frozen=True)
class Refreshed:
    plan_id: int
    title: str
    severance_missing: int


def refresh_plans(session: Session, *, actor: Actor, city: str, year: int) -> list[Refreshed]:
    """Recompute every plan the city's figures of `year` feed (after the administrator entered them)."""
    done = []
    for plan in plans_needing(session, city, year):
        cause = {"cause": "wage_parameters.set", "city": city, "city_name": plan_city_name(session, city), "year": year}
        summary = recompute_roster(session, actor=actor, plan=plan, cause=cause)
        if summary is not None:
            done.append(Refreshed(plan.id, plan.title, summary.severance_missing))
    return done
