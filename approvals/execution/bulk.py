"""Updating many workers' records from one .xlsx, in two steps as the roster import: a dry run checks every
row and changes nothing; the commit stores the rows only when none has an error, with one event in the
plan's trail for the upload (its counts and the file's SHA-256), in the same transaction. Every part is
checked by the single entry's rules (records.check_part). A part entered before is not entered again over
what was entered: the same values are passed over, other values refused (a correction changes it, with its
reason: corrections.py). The report names row, column and rule."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Invalid
from approvals.execution.items import FIELD_LABELS, OUTCOME_FIELD_LABELS, PART_FIELDS, PARTS
from approvals.execution.ledger import today_in_china
from approvals.execution.records import Draft, Lookups, apply_part, check_part, require_executing, tell_late
from approvals.execution.workbook import ID_HEADER, NAME_HEADER, Sheet, read_ledger
from approvals.i18n import N_, Text
from approvals.models import ExecutionRecord, Plan, Role, RosterWorker
from approvals.roster.files import collector_paused


@dataclass
class BulkReport:
    rows: int = 0
    entries: int = 0  # parts checked (and, when committed, stored)
    committed: bool = False
    dry_run: bool = True
    # row (the file's), column, rule, message; roster_row and name: the worker the file's row names, when found
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Checked:
    """A worker's row that passed the first checks: their roster row, and their record with the row's parts
    that passed put on it (a copy outside the session), and the steps each part did late."""

    number: int
    worker: RosterWorker
    draft: Draft
    parts: list[str] = field(default_factory=list)
    late: list[dict[str, int]] = field(default_factory=list)


def _header(name: str) -> str:
    return FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name) or name


def bulk_update(session: Session, *, actor: Actor, plan: Plan, data: bytes, dry_run: bool, filename: str = "",
                today: date | None = None) -> BulkReport:  # fmt: skip
    """Check every row of the uploaded ledger with the single entry's rules (records.check_part); unless
    `dry_run`, store them when no row has an error, with one event in the plan's trail for the upload and
    the single entry's notice of each step done late. The caller commits when `committed`, and rolls back
    otherwise (nothing was written). The plan's workers and records are read once, whatever the rows."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("批量登记实施情况"))
    require_executing(plan)
    today = today or today_in_china()
    sheet = read_ledger(data)
    report = BulkReport(rows=len(sheet.rows), dry_run=dry_run)
    report.errors += [{"row": p.row, "column": p.column, "rule": p.rule, "message": p.message} for p in sheet.problems]
    with collector_paused():  # thousands of rows' small objects, no cycles: the collector would rescan them all
        return _check(session, actor=actor, plan=plan, sheet=sheet, data=data, dry_run=dry_run, filename=filename,
                      today=today, report=report)  # fmt: skip


def _check(session: Session, *, actor: Actor, plan: Plan, sheet: Sheet, data: bytes, dry_run: bool, filename: str,
           today: date, report: BulkReport) -> BulkReport:  # fmt: skip
    """Check the sheet's rows against the plan's workers and records, read once; store them unless a dry run
    or an error."""
    listed = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    # Each worker's row in the exported roster (the header is row 1), as the ledger shows it.
    workers = {w.id_number: (w.roster_row, w) for w in listed}
    stored = {
        r.worker_id: r for r in session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id))
    }
    lookups = Lookups(session, plan, named=False)  # each message names the file's row, the roster's and the name
    checked: list[Checked] = []
    seen: dict[str, int] = {}
    for row in sheet.rows:
        number, worker = workers.get(row.id_number, (0, None))
        if worker is None or not worker.in_scope:
            report.errors.append({"row": row.row, "column": ID_HEADER, "rule": "worker_in_plan",
                                  "message": Text(N_("第%(row)s行：公民身份号码“%(id)s”不在本方案纳入安置的职工名单中。"),
                                                  row=row.row, id=row.id_number)})  # fmt: skip
            continue
        if row.id_number in seen:
            report.errors.append({"row": row.row, "column": ID_HEADER, "rule": "duplicate_in_file",
                                  "roster_row": number, "name": worker.name,
                                  "message": Text(N_("第%(row)s行（名单第%(number)s行，%(name)s）：公民身份号码与第%(first)s行重复。"),
                                                  row=row.row, number=number, name=worker.name,
                                                  first=seen[row.id_number])})  # fmt: skip
            continue
        seen[row.id_number] = row.row
        if row.name and row.name != worker.name:
            report.errors.append({"row": row.row, "column": NAME_HEADER, "rule": "name_matches", "roster_row": number,
                                  "name": worker.name,
                                  "message": Text(N_("第%(row)s行：姓名“%(name)s”与名单第%(number)s行的“%(roster)s”不符。"),
                                                  row=row.row, name=row.name, number=number, roster=worker.name)})  # fmt: skip
            continue
        checked.append(Checked(number, worker, Draft.of(plan, worker, stored.get(worker.id))))
        for part, values in ((p, row.parts[p]) for p in PARTS if p in row.parts):  # in the order they happen
            try:
                changes = check_part(lookups, row=number, worker=worker, record=checked[-1].draft, part=part,
                                     values=values, today=today)  # fmt: skip
            except Invalid as exc:
                for d in exc.details if isinstance(exc.details, list) else []:
                    field_name = next(iter(values)) if d["field"] == "part" else d["field"]  # the part's first cell
                    report.errors.append({"row": row.row, "column": _header(field_name), "rule": d["rule"],
                                          "roster_row": number, "name": worker.name,
                                          "message": Text(N_("第%(row)s行（名单第%(number)s行，%(name)s）：%(message)s"),
                                                          row=row.row, number=number, name=worker.name,
                                                          message=d["message"])})  # fmt: skip
                continue
            if part in (checked[-1].draft.entered or {}):  # entered before: corrected one by one, with a reason
                if any(
                    getattr(checked[-1].draft, name) != changes[name] for name in PART_FIELDS[part] if name in changes
                ):
                    report.errors.append({"row": row.row, "column": _header(next(iter(values))), "rule": "already_entered",
                                          "roster_row": number, "name": worker.name,
                                          "message": Text(N_("第%(row)s行（名单第%(number)s行，%(name)s）：“%(part)s”已登记，与本行不同；"
                                                             "如有错误，请在该职工的实施记录中更正或撤销，并说明理由"),
                                                          row=row.row, number=number, name=worker.name,
                                                          part=Text(PARTS[part]))})  # fmt: skip
                continue  # the same values again: nothing to enter
            checked[-1].parts.append(part)
            checked[-1].late.append(
                apply_part(checked[-1].draft, actor=actor, part=part, changes=changes, revision=plan.revision_number)
            )
        report.entries += len(checked[-1].parts)
    report.errors.sort(key=lambda e: e["row"] or 0)
    if dry_run or report.errors:
        return report
    _store(session, actor=actor, plan=plan, checked=checked, stored=stored, data=data, filename=filename,
           report=report)  # fmt: skip
    report.committed = True
    return report


def _store(session: Session, *, actor: Actor, plan: Plan, checked: list[Checked], stored: dict[int, ExecutionRecord],
           data: bytes, filename: str, report: BulkReport) -> None:  # fmt: skip
    """Write the checked records (new ones in one INSERT, changed ones in one UPDATE by key, each batched),
    one event for the upload, and the notices of late steps."""
    done = [c for c in checked if c.parts]
    added = [c.draft.values() for c in done if c.worker.id not in stored]
    changed = [{"id": stored[c.worker.id].id, **c.draft.values()} for c in done if c.worker.id in stored]
    if added:
        session.execute(
            insert(ExecutionRecord).execution_options(render_nulls=True), added
        )  # one batch, not one per set of filled columns
    if changed:
        session.execute(update(ExecutionRecord), changed)
        for c in done:  # the session's copies are read again after the update
            if c.worker.id in stored:
                session.expire(stored[c.worker.id])
    entered = Counter(part for c in done for part in c.parts)
    late = [(c, days) for c in done for days in c.late if days]
    # The file's digest names what was uploaded; the records hold each entry and who entered it.
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.uploaded", plan=plan,
                 summary={"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "rows": report.rows,
                          "workers": len(done), "entries": report.entries,
                          "parts": {p: entered[p] for p in PARTS if entered[p]}, "late": len(late)})  # fmt: skip
    for c, days in late:  # as entering the parts one by one: one notice to the bureau for each part done late
        tell_late(session, plan, row=c.number, worker=c.worker, late=days)
