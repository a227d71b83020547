"""Correcting (更正) and withdrawing (撤销) a part of a worker's execution record that was entered wrongly.

Only the plan's enterprise, while the plan is carried out (records.require_executing: not while an amendment
is under way, not after the close), and always with a reason. A correction is checked by the rules of the
entry (records.check_part: a corrected severance payment is still refused below the amount due at the end),
and a corrected end of the relation is checked against the parts that depend on it (the payment, the
transfers and the unemployment list already entered must still hold); the end cannot be withdrawn while
they stand. The old and the new values, the reason, who and when go to the plan's trail in the same
transaction as the change, and the bureau is told: the trail is the history the worker's page shows
(`history`), so nothing is kept twice. The ledger and the close read the record as corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.execution.items import (
    AGREEMENT_KINDS,
    FIELD_LABELS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_KINDS,
    PART_FIELDS,
    PARTS,
    parts_for,
)
from approvals.execution.ledger import ledger_row, today_in_china
from approvals.execution.open_items import late_steps
from approvals.execution.records import Draft, Lookups, check_part, jsonable, require_executing, tell_late
from approvals.i18n import N_, Listing, Text
from approvals.models import AuditEvent, ExecutionRecord, Plan, Role
from approvals.rules.resident_id import mask_id
from approvals.signals import plan_event

REASON_LIMIT = 500
CORRECTED, WITHDRAWN = "execution.corrected", "execution.withdrawn"
# The parts whose checks read the end of the relation (records._severance, records._after_end).
DEPENDS_ON_END = ("severance", "transfers", "unemployment")
DUE_LABEL = N_("按解除日计算的应付经济补偿（元）")
AMOUNT_FIELDS = frozenset({"severance_paid", "arrears_amount", "severance_due"})


def check_reason(reason: str | None) -> str:
    """The reason stripped: required, at most REASON_LIMIT characters; 422 naming the field otherwise."""
    reason = (reason or "").strip()
    if not reason:
        message = Text(N_("请填写更正或撤销的理由。"))
        raise Invalid("invalid_reason", message, [{"field": "reason", "rule": "required", "message": message}])
    if len(reason) > REASON_LIMIT:
        message = Text(N_("理由不得超过%(limit)s个字。"), limit=REASON_LIMIT)
        raise Invalid("invalid_reason", message, [{"field": "reason", "rule": "too_long", "message": message}])
    return reason


def part_values(record: ExecutionRecord | Draft, part: str) -> dict[str, Any]:
    """What the record holds for the part, as the entry takes it (dates and amounts as text)."""
    if part == "outcome":
        return {"outcome_kind": record.outcome_kind, **(record.outcome or {})} if record.outcome_kind else {}
    found = {name: getattr(record, name) for name in PART_FIELDS[part]}
    if part == "termination":
        found["severance_due"] = record.severance_due
    return {name: jsonable(value) for name, value in found.items() if value is not None}


def _entered_part(session: Session, *, actor: Actor, plan: Plan, worker_id: int, part: str, what: str) -> Any:
    """The worker's ledger row, once the actor may change the part: 403/409/404/422 otherwise."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, what)
    require_executing(plan)
    row = ledger_row(session, plan, worker_id)
    if part not in PARTS or part not in parts_for(row.worker.channel):
        needed = Listing([Text(PARTS[p]) for p in parts_for(row.worker.channel)], N_("、"))
        message = Text(N_("第%(row)s行（%(name)s）的实施记录包括：%(parts)s。"), row=row.row, name=row.worker.name,
                       parts=needed)  # fmt: skip
        raise Invalid("unknown_part", message, [{"field": "part", "rule": "known_part", "message": message}])
    if row.record is None or part not in (row.record.entered or {}):
        raise Conflict("part_not_entered", Text(N_("第%(row)s行（%(name)s）尚未登记“%(part)s”，无可更正或撤销的内容。"),
                                                row=row.row, name=row.worker.name, part=Text(PARTS[part])))  # fmt: skip
    return row


def _dependents_hold(lookups: Lookups, row: Any, draft: Draft, today: date) -> None:
    """The entered parts that read the end of the relation, checked again against the corrected end."""
    problems: list[dict[str, Any]] = []
    for part in DEPENDS_ON_END:
        if part not in (draft.entered or {}):
            continue
        try:
            check_part(lookups, row=row.row, worker=row.worker, record=draft, part=part,
                       values=part_values(draft, part), today=today)  # fmt: skip
        except Invalid as exc:
            for detail in exc.details if isinstance(exc.details, list) else []:
                problems.append({"field": "terminated_on", "rule": detail["rule"], "part": part,
                                 "message": Text(N_("已登记的“%(part)s”与更正后的解除日期不符：%(problem)s"),
                                                 part=Text(PARTS[part]), problem=detail["message"])})  # fmt: skip
    if problems:
        said = Text(N_("%(problems)s。请先更正或撤销这些部分。"), problems=Listing([p["message"] for p in problems]))
        raise Invalid("invalid_execution_record", said, problems)


def correct_part(session: Session, *, actor: Actor, plan: Plan, worker_id: int, part: str, values: dict[str, Any],
                 reason: str | None, today: date | None = None) -> ExecutionRecord:  # fmt: skip
    """Correct an entered part with the entry's rules; the old and new values and the reason in the trail."""
    row = _entered_part(session, actor=actor, plan=plan, worker_id=worker_id, part=part, what=N_("更正实施记录"))
    reason = check_reason(reason)
    today = today or today_in_china()
    record: ExecutionRecord = row.record
    lookups = Lookups(session, plan)
    changes = check_part(lookups, row=row.row, worker=row.worker, record=record, part=part, values=values,
                         today=today)  # fmt: skip
    old = part_values(record, part)
    draft = Draft.of(plan, row.worker, record)
    for name, value in changes.items():
        setattr(draft, name, value)
    if part == "termination":
        _dependents_hold(lookups, row, draft, today)
    new = part_values(draft, part)
    if new == old:
        message = Text(N_("更正后的内容与原登记相同，无须更正。"))
        raise Invalid("unchanged", message, [{"field": "part", "rule": "changed", "message": message}])
    was_late = late_steps(record)
    for name, value in changes.items():
        setattr(record, name, value)
    record.updated_at = utcnow()
    session.flush()
    # a step late since the correction (a corrected step, or a transfer after a corrected end): the bureau is told
    late = {k: v for k, v in late_steps(record).items() if was_late.get(k) != v}
    _record_event(session, actor=actor, plan=plan, row=row, action=CORRECTED, part=part, reason=reason, old=old,
                  new=new, late=late)  # fmt: skip
    tell_late(session, plan, row=row.row, worker=row.worker, late=late)
    return record


def withdraw_part(session: Session, *, actor: Actor, plan: Plan, worker_id: int, part: str,
                  reason: str | None) -> ExecutionRecord:  # fmt: skip
    """Withdraw an entered part: its values cleared, the part open again; the old values and the reason in the
    trail. The end of the relation is not withdrawn while the parts depending on it stand."""
    row = _entered_part(session, actor=actor, plan=plan, worker_id=worker_id, part=part, what=N_("撤销实施记录"))
    reason = check_reason(reason)
    record: ExecutionRecord = row.record
    if part == "termination":
        standing = [p for p in DEPENDS_ON_END if p in (record.entered or {})]
        if standing:
            message = Text(N_("第%(row)s行（%(name)s）已登记%(parts)s，它们以解除日期为准：请先撤销这些部分，再撤销解除劳动关系。"),
                           row=row.row, name=row.worker.name,
                           parts=Listing([Text(PARTS[p]) for p in standing], N_("、")))  # fmt: skip
            raise Conflict("dependent_parts", message, {"parts": standing})
    old = part_values(record, part)
    for name in PART_FIELDS[part]:
        setattr(record, name, {} if name == "outcome" else None)
    if part == "termination":
        record.severance_due = None
    record.entered = {k: v for k, v in (record.entered or {}).items() if k != part}
    record.updated_at = utcnow()
    session.flush()
    _record_event(session, actor=actor, plan=plan, row=row, action=WITHDRAWN, part=part, reason=reason, old=old,
                  new={}, late={})  # fmt: skip
    return record


def _record_event(session: Session, *, actor: Actor, plan: Plan, row: Any, action: str, part: str, reason: str,
                  old: dict[str, Any], new: dict[str, Any], late: dict[str, int]) -> None:  # fmt: skip
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action=action, plan=plan,
                 summary={"row": row.row, "worker_id": row.worker.id, "id_number": mask_id(row.worker.id_number),
                          "part": part, "reason": reason, "old": old, "new": new, **({"late": late} if late else {})})  # fmt: skip
    plan_event.send(plan, session=session, kind="execution_corrected", roles=[Role.BUREAU],
                    payload={"row": row.row, "name": row.worker.name, "part": part,
                             "withdrawn": action == WITHDRAWN})  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One correction or withdrawal as the worker's page states it: labels and values in plain words."""

    withdrawn: bool
    part_key: str  # items.PARTS
    by: str
    at: datetime  # naive UTC
    reason: str
    changed: list[tuple[str, str, Any, Any]]  # (field, label, old, new) of each field that changed, "" for none
    label: str = ""  # what was changed, when not a part of the record (a service record)

    @property
    def part(self) -> str:
        """The part's label (a catalogue text: the page translates it)."""
        return self.label or PARTS.get(self.part_key, self.part_key)

    @property
    def fields(self) -> list[tuple[str, Any, Any]]:
        return [(label, old, new) for _name, label, old, new in self.changed]

    def named_fields(self) -> list[tuple[str, str, Any, Any]]:
        return self.changed


def trail_changes(session: Session, plan: Plan, actions: tuple[str, str],
                  mine: Callable[[dict[str, Any]], bool]) -> Iterator[tuple[AuditEvent, dict[str, Any], list[str]]]:  # fmt: skip
    """The plan's correction and withdrawal events (`actions`) whose summary is `mine`, oldest first: each with
    its summary and the names of the fields whose value changed."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action.in_(actions))
                             .order_by(AuditEvent.seq))  # fmt: skip
    for event in events:
        summary = event.summary or {}
        if mine(summary):
            old, new = summary.get("old") or {}, summary.get("new") or {}
            yield event, summary, [n for n in dict.fromkeys([*old, *new]) if old.get(n) != new.get(n)]


def history(session: Session, plan: Plan, worker_id: int) -> list[Change]:
    """The corrections and withdrawals of the worker's record, oldest first, read from the plan's trail."""
    changes = []
    for event, s, names in trail_changes(
        session, plan, (CORRECTED, WITHDRAWN), lambda s: s.get("worker_id") == worker_id
    ):
        old, new = s.get("old") or {}, s.get("new") or {}
        changes.append(Change(event.action == WITHDRAWN, s.get("part", ""), event.actor_name, event.occurred_at,
                              s.get("reason", ""),
                              [(n, label_of(n), shown(n, old.get(n)), shown(n, new.get(n))) for n in names]))  # fmt: skip
    return changes


def label_of(name: str) -> str:
    """A field's label (a catalogue text): the page translates it."""
    if name == "severance_due":
        return DUE_LABEL
    return FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name) or name


def shown(name: str, value: Any) -> Any:
    """A stored value as the page says it: a choice by its label (Text, translated when shown), an amount
    grouped with two decimals, a date as written; "" when none."""
    if value in (None, ""):
        return ""
    if name == "agreement_kind" and value in AGREEMENT_KINDS:
        return Text(AGREEMENT_KINDS[value])
    if name == "outcome_kind" and value in OUTCOME_KINDS:
        return Text(OUTCOME_KINDS[value])
    if name in AMOUNT_FIELDS:
        try:
            return f"{Decimal(str(value)):,.2f}"
        except ArithmeticError:
            return str(value)
    return str(value)
