"""The execution ledger as the pages, the API and the case file read it: each worker in scope with their
record, what is open and what is overdue."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from approvals.db import utcnow
from approvals.errors import NotFound
from approvals.execution.open_items import OpenItem, late_steps, open_items
from approvals.i18n import N_, Text
from approvals.models import ExecutionRecord, Plan, RosterWorker
from approvals.workdays import local_date

FILTERS = ("all", "open", "overdue", "done")


@dataclass(frozen=True)
class LedgerRow:
    row: int  # the worker's row in the exported roster (the header is row 1)
    worker: RosterWorker
    record: ExecutionRecord | None
    open: list[OpenItem]
    late: dict[str, int] = field(default_factory=dict)  # steps done after their last day, days late

    @property
    def overdue(self) -> bool:
        return any(item.overdue for item in self.open)

    @property
    def done(self) -> bool:
        return not self.open

    def matches(self, which: str) -> bool:
        return {"open": not self.done, "overdue": self.overdue, "done": self.done}.get(which, True)


@dataclass(frozen=True)
class Ledger:
    rows: list[LedgerRow]
    today: date

    @cached_property
    def counts(self) -> dict[str, int]:
        """Workers in all, with something open, with something overdue, with everything done: counted once
        (the page shows each several times)."""
        return {"all": len(self.rows), "open": sum(1 for r in self.rows if not r.done),
                "overdue": sum(1 for r in self.rows if r.overdue), "done": sum(1 for r in self.rows if r.done)}  # fmt: skip

    @property
    def open_by_item(self) -> Counter[str]:
        """How many workers lack each item (the bureau's "who is short")."""
        return Counter(item.key for row in self.rows for item in row.open)

    def filtered(self, which: str) -> list[LedgerRow]:
        return [row for row in self.rows if row.matches(which)]


def today_in_china() -> date:
    return local_date(utcnow())


def ledger_of(session: Session, plan: Plan, today: date | None = None) -> Ledger:
    """Every worker of the plan's roster in scope, in roster order, with their record and open items."""
    today = today or today_in_china()
    # Not the workers' stored roster rows (`data`, `warnings`: JSON, some twenty values each): nothing of the
    # ledger reads them, and decoding them for 5,000 workers was a third of the page's objects.
    workers = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id)
                              .options(defer(RosterWorker.data), defer(RosterWorker.warnings)))  # fmt: skip
    records = {
        r.worker_id: r for r in session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id))
    }
    rows = []
    for worker in workers:
        if not worker.in_scope:  # out of the plan's scope (冀人社发〔2018〕38号 §二): nothing to carry out
            continue
        record = records.get(worker.id)
        rows.append(
            LedgerRow(worker.roster_row, worker, record, open_items(worker.channel, record, today), late_steps(record))
        )
    return Ledger(rows, today)


def ledger_row(session: Session, plan: Plan, worker_id: int, today: date | None = None) -> LedgerRow:
    """One worker's row of the ledger, or 404 when the worker is not in the plan's scope."""
    worker = session.get(RosterWorker, worker_id)
    if worker is None or worker.plan_id != plan.id or not worker.in_scope:
        raise NotFound("worker_not_found", Text(N_("该方案的实施台账中没有这名职工。")))
    record = session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id,
                                                           ExecutionRecord.worker_id == worker.id)).first()  # fmt: skip
    today = today or today_in_china()
    return LedgerRow(worker.roster_row, worker, record, open_items(worker.channel, record, today),
                     late_steps(record))  # fmt: skip
