"""The execution ledger (实施台账) as the case file keeps it: every worker in scope, their record as entered
(with who entered each part and when, and under which published revision), what was still open at export
and what was done late. While an amendment is under way recording is paused but the records are kept
(approvals/execution/amendment.py), so the case file keeps them too."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from approvals.execution.amendment import amendments_of, open_amendment
from approvals.execution.items import PART_FIELDS
from approvals.execution.ledger import ledger_of
from approvals.models import Plan, PlanAmendment

RECORD_FIELDS = tuple(dict.fromkeys([*(n for names in PART_FIELDS.values() for n in names), "severance_due"]))


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def revision_at(amendments: list[PlanAmendment], plan: Plan, moment: str) -> int:
    """For a part entered before entries noted their revision: the published revision in force at `moment` (an
    ISO moment, UTC), the revision the first amendment
    started after it started from, else the plan's revision (published and executing since). Nothing is
    recorded while an amendment is under way, so an entry in the second an amendment started came before it."""
    for amendment in amendments:
        if amendment.started_at.isoformat(timespec="seconds") >= moment:
            return amendment.from_revision
    return plan.revision_number


def ledger_records(session: Session, plan: Plan) -> list[dict[str, Any]]:
    """One entry per worker in scope, in roster order; empty before execution first started (while an
    amendment is under way execution has started before: the records entered are kept)."""
    if plan.execution_started_at is None and open_amendment(session, plan) is None:
        return []
    amendments = amendments_of(session, plan)
    ledger = ledger_of(session, plan)
    entries = []
    for row in ledger.rows:
        record = row.record
        entries.append({
            "row": row.row, "name": row.worker.name, "id_number": row.worker.id_number, "channel": row.worker.channel,
            "record": {name: _plain(getattr(record, name)) for name in RECORD_FIELDS} if record else None,
            "entered": (record.entered or {}) if record else {},
            "recorded_under_revision": {part: who.get("revision") or revision_at(amendments, plan, who["at"])
                                        for part, who in ((record.entered or {}) if record else {}).items()},
            "open": [{"item": item.key, "label": item.label, "message": str(item.message), "overdue_days": item.overdue}
                     for item in row.open],
            "late": row.late, "as_of": ledger.today.isoformat(),
        })  # fmt: skip
    return entries
