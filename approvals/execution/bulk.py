"""Updating many workers' records from one .xlsx, in two steps as the roster import: a dry run checks every
row and changes nothing; the commit stores the rows only when none has an error (every entry recorded in
the trail as one entered by hand, in the same transaction). The report names row, column and rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import policy
from approvals.actor import Actor
from approvals.errors import Conflict, Invalid, NotFound
from approvals.execution.items import FIELD_LABELS, OUTCOME_FIELD_LABELS, PARTS, parts_for
from approvals.execution.ledger import today_in_china
from approvals.execution.records import record_part, require_executing
from approvals.execution.workbook import ID_HEADER, NAME_HEADER, read_ledger
from approvals.i18n import N_, Text
from approvals.models import Plan, Role, RosterWorker


@dataclass
class BulkReport:
    rows: int = 0
    entries: int = 0  # parts checked (and, when committed, stored)
    committed: bool = False
    dry_run: bool = True
    errors: list[dict[str, Any]] = field(default_factory=list)  # row, column, rule, message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _header(name: str) -> str:
    return FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name) or name


def bulk_update(session: Session, *, actor: Actor, plan: Plan, data: bytes, dry_run: bool,
                today: date | None = None) -> BulkReport:  # fmt: skip
    """Check every row of the uploaded ledger; unless `dry_run`, store them when no row has an error. The
    caller commits when `committed`, and rolls back otherwise (a dry run's checks wrote into a savepoint)."""
    assert actor.user is not None
    policy.require_role(actor.user, plan, Role.ENTERPRISE, "批量登记实施情况")
    require_executing(plan)
    today = today or today_in_china()
    sheet = read_ledger(data)
    report = BulkReport(rows=len(sheet.rows), dry_run=dry_run)
    report.errors += [{"row": p.row, "column": p.column, "rule": p.rule, "message": p.message} for p in sheet.problems]
    workers = {w.id_number: w for w in session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id))}
    seen: dict[str, int] = {}
    savepoint = session.begin_nested()
    for row in sheet.rows:
        worker = workers.get(row.id_number)
        if worker is None or not worker.in_scope:
            report.errors.append({"row": row.row, "column": ID_HEADER, "rule": "worker_in_plan",
                                  "message": Text(N_("第%(row)s行：公民身份号码“%(id)s”不在本方案纳入安置的职工名单中。"),
                                                  row=row.row, id=row.id_number)})  # fmt: skip
            continue
        if row.id_number in seen:
            report.errors.append({"row": row.row, "column": ID_HEADER, "rule": "duplicate_in_file",
                                  "message": Text(N_("第%(row)s行：公民身份号码与第%(first)s行重复。"), row=row.row,
                                                  first=seen[row.id_number])})  # fmt: skip
            continue
        seen[row.id_number] = row.row
        if row.name and row.name != worker.name:
            report.errors.append({"row": row.row, "column": NAME_HEADER, "rule": "name_matches",
                                  "message": Text(N_("第%(row)s行：姓名“%(name)s”与名单中的“%(roster)s”不符。"), row=row.row,
                                                  name=row.name, roster=worker.name)})  # fmt: skip
            continue
        for part, values in ((p, row.parts[p]) for p in PARTS if p in row.parts):  # in the order they happen
            if part not in parts_for(worker.channel):
                column = _header(next(iter(values)))
                report.errors.append({"row": row.row, "column": column, "rule": "known_part",
                                      "message": Text(N_("第%(row)s行（%(name)s）：该职工的安置渠道无须登记“%(part)s”。"),
                                                      row=row.row, name=worker.name, part=Text(PARTS[part]))})  # fmt: skip
                continue
            try:
                with session.begin_nested():
                    record_part(session, actor=actor, plan=plan, worker_id=worker.id, part=part, values=values,
                                today=today)  # fmt: skip
                report.entries += 1
            except (Invalid, Conflict, NotFound) as exc:
                details = exc.details if isinstance(exc, Invalid) and isinstance(exc.details, list) else []
                for d in details or [{"field": part, "rule": exc.code, "message": exc.message}]:
                    report.errors.append({"row": row.row, "column": _header(d["field"]), "rule": d["rule"],
                                          "message": Text(N_("第%(row)s行（%(name)s）：%(message)s"), row=row.row,
                                                          name=worker.name, message=d["message"])})  # fmt: skip
    report.errors.sort(key=lambda e: e["row"] or 0)
    if dry_run or report.errors:
        savepoint.rollback()
        return report
    savepoint.commit()
    report.committed = True
    return report
