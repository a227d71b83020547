"""Reading a plan's roster: search and filters, each one index range of the plan.

The filter facts are columns computed at import (approvals/models/roster.py), so a filter never
reads the rows' JSON and a 50,000-row roster pages in milliseconds. How many workers carry each fact
is counted at import, into the plan's roster summary (approvals/services/roster.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select
from sqlalchemy.orm import Session, defer, load_only

from approvals.models import Plan
from approvals.models.roster import FLAGS, RosterWorker

ID_PREFIX = re.compile(r"[0-9]{1,17}[0-9Xx]?")


@dataclass(frozen=True)
class RosterFilter:
    """What the roster table is narrowed to; empty means every worker."""

    q: str = ""  # a name, or the start of one; or an ID number, or its start
    channel: str = ""
    contract_type: str = ""
    excluded: bool = False  # not in the placement scope
    protected: bool = False
    art42: bool = False
    couple: bool = False
    unreachable: bool = False
    reached_retirement: bool = False  # at or past the statutory retirement age
    warnings: bool = False

    @classmethod
    def from_args(cls, args: Any) -> RosterFilter:
        """From query-string arguments (a mapping with .get); flags are on when "1"."""
        text = {f.name: (args.get(f.name) or "").strip()[:50] for f in fields(cls) if f.type == "str"}
        return cls(**text, **{flag: args.get(flag) == "1" for flag in FLAGS})  # type: ignore[arg-type]  # by field name

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that give this filter back (for links and the pager)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.type == "str" and getattr(self, f.name)}
        return out | {flag: "1" for flag in FLAGS if getattr(self, flag)}

    @property
    def active(self) -> bool:
        return bool(self.as_args())

    def searches_id(self) -> bool:
        return bool(ID_PREFIX.fullmatch(self.q))


def _search(f: RosterFilter, search_ids: bool) -> tuple[list[ColumnElement[bool]], list[Any]]:
    """The search's condition and the order of its results: by the searched column, so that the
    plan's index on that column holds the matches side by side (and the first page is found there)."""
    worker = RosterWorker
    if not f.q:
        return [], [worker.roster_row]  # import order, as the filters' indexes hold it (not the primary key)
    if search_ids and f.searches_id():
        return [worker.id_number.startswith(f.q.upper(), autoescape=True)], [worker.id_number]
    return [worker.name.startswith(f.q, autoescape=True)], [worker.name, worker.id]


def _conditions(f: RosterFilter) -> list[ColumnElement[bool]]:
    worker = RosterWorker
    found: list[ColumnElement[bool]] = []
    if f.channel:
        found.append(worker.channel == f.channel)
    if f.contract_type:
        found.append(worker.contract_type == f.contract_type)
    for name, (column, value) in FLAGS.items():
        if getattr(f, name):
            flag = getattr(worker, column)
            found.append(flag if value else not_(flag))
    return found


def roster_ids(plan_id: int, f: RosterFilter, *, search_ids: bool) -> Select[tuple[int]]:
    """The ids of the plan's workers that pass the filter, in roster order (a search's results by
    name or ID number). Paged with limit and offset, it reads one index only (no row of the table),
    however deep the page; roster_workers then loads the page's rows.

    `search_ids`: whether a query that looks like an ID number searches ID numbers; for someone
    who may not see them it searches names only, so no one can probe for a number.
    """
    searched, order = _search(f, search_ids)
    return select(RosterWorker.id).where(RosterWorker.plan_id == plan_id, *searched, *_conditions(f)).order_by(*order)


FIRST_ROW = 2  # the first worker's row in the exported roster (the header is row 1)


def roster_page(plan_id: int, f: RosterFilter, *, search_ids: bool, page: int, per_page: int) -> Select[tuple[int]]:
    """The ids of one page of roster_ids. The whole roster's page is one range of the row numbers kept with
    the workers (rows 2..51 are the first page of 50): ix_roster_worker_row read from the page's first row,
    on PostgreSQL as on SQLite, not the primary key filtered on the plan nor an offset counted through the
    rows before it. A search or a filter pages its own index range with an offset."""
    if not f.active:
        worker = RosterWorker
        first = (page - 1) * per_page + FIRST_ROW
        return (select(worker.id).where(worker.plan_id == plan_id, worker.roster_row >= first)
                .order_by(worker.plan_id, worker.roster_row).limit(per_page))  # fmt: skip
    return roster_ids(plan_id, f, search_ids=search_ids).offset((page - 1) * per_page).limit(per_page)


# The filters whose count the roster summary keeps: refresh_plan_roster counts each over every worker on
# the roster, as the filter reads it (approvals/services/roster.py); the key is the summary's.
STORED_COUNTS = {"protected": "protected", "art42": "art42", "couple": "couple", "unreachable": "unreachable",
                 "reached_retirement": "reached_retirement", "warnings": "with_warnings"}  # fmt: skip


def stored_total(plan: Plan, f: RosterFilter) -> int | None:
    """How many workers pass the filter, as the plan's roster summary has it: for the whole roster and for
    one flag alone. None when the summary does not hold it (a search, combined filters, no summary)."""
    stored = plan.roster_summary or {}
    chosen = f.as_args()
    if not chosen:
        keys = ["workers"]
    elif len(chosen) == 1 and (name := next(iter(chosen))) in STORED_COUNTS:
        keys = [STORED_COUNTS[name]]
    elif chosen == {"excluded": "1"}:
        keys = ["workers", "in_scope"]
    else:
        return None
    counts = [count for key in keys if isinstance(count := stored.get(key), int)]
    if len(counts) < len(keys):
        return None  # a summary stored before it kept this count
    return counts[0] - sum(counts[1:])


def roster_total(session: Session, plan: Plan, f: RosterFilter, ids: Select[tuple[int]]) -> int:
    """How many workers pass the filter: from the roster summary where it keeps the count, so a page of
    a 50,000-row roster does not count the roster again; else counted over the filter's index range."""
    stored = stored_total(plan, f)
    if stored is not None:
        return stored
    return session.scalar(select(func.count()).select_from(ids.order_by(None).subquery())) or 0


def roster_workers(session: Session, ids: list[int]) -> list[RosterWorker]:
    """The workers with these ids, in that order, without the bulky columns."""
    rows = session.scalars(
        select(RosterWorker)
        .where(RosterWorker.id.in_(ids))
        .options(defer(RosterWorker.data, raiseload=True), defer(RosterWorker.row_hash, raiseload=True))
    )
    by_id = {worker.id: worker for worker in rows}
    return [by_id[i] for i in ids]


SAME_PERSON = "same_person"  # the worker's own ID number on another plan (数据比对)
SPOUSE = "spouse"  # the worker's spouse on another plan of the same enterprise (双职工夫妻)


@dataclass(frozen=True)
class OtherRecord:
    """Another plan on which a worker, or the worker's spouse, appears."""

    relation: str  # SAME_PERSON or SPOUSE
    plan: Plan
    id_number: str  # of the record on that plan: the worker's, or the spouse's
    name: str


def other_records(session: Session, plan: Plan, workers: list[RosterWorker]) -> dict[str, list[OtherRecord]]:
    """For the bureau (approvals.policy.sees_data_matches): the other plans on which each of these
    workers appears (of any enterprise), or their spouse does (the enterprise's own plans, named as
    spouse by either record), by ID number. One query for the page, through the ID-number and spouse
    indexes; the import's warnings say only that such a record exists."""
    numbers = [w.id_number for w in workers]
    spouses = [w.spouse_id_number for w in workers if w.spouse_id_number]
    if not numbers:
        return {}
    own = RosterWorker.enterprise_id == plan.enterprise_id
    rows = session.execute(
        select(RosterWorker.id_number, RosterWorker.spouse_id_number, RosterWorker.name, Plan)
        .join(Plan, Plan.id == RosterWorker.plan_id)
        .options(load_only(Plan.id, Plan.title, Plan.status, Plan.enterprise_id))  # not the plans' documents
        .where(RosterWorker.plan_id != plan.id,
               or_(RosterWorker.id_number.in_(numbers), and_(own, RosterWorker.id_number.in_(spouses)),
                   and_(own, RosterWorker.spouse_id_number.in_(numbers))))
        .order_by(Plan.id)
    ).all()  # fmt: skip
    found: dict[str, list[OtherRecord]] = {}
    for worker in workers:
        mine = found.setdefault(worker.id_number, [])
        for number, spouse, name, other in rows:
            if number == worker.id_number:
                mine.append(OtherRecord(SAME_PERSON, other, number, name))
            elif other.enterprise_id == plan.enterprise_id and (
                number == worker.spouse_id_number or spouse == worker.id_number
            ):
                mine.append(OtherRecord(SPOUSE, other, number, name))
    return {number: records for number, records in found.items() if records}
