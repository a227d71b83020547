"""Entering one part of a worker's execution record: checked, stored, and recorded in the plan's trail in the
same transaction (the caller commits once)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.execution.items import (
    AGREEMENT_BY_CHANNEL,
    AGREEMENT_KINDS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_FIELDS,
    OUTCOME_KINDS,
    OUTCOMES_BY_CHANNEL,
    PARTS,
    parts_for,
)
from approvals.execution.ledger import ledger_row, today_in_china
from approvals.execution.open_items import late_steps
from approvals.execution.values import (
    Problems,
    read_amount,
    read_choice,
    read_date,
    read_outcome,
    read_text,
    unknown_fields,
)
from approvals.i18n import N_, Listing, Text
from approvals.models import ExecutionRecord, Plan, Role, RosterWorker
from approvals.process import Status
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import mask_id
from approvals.services.roster import RowContext, row_computed_on
from approvals.signals import plan_event


def require_executing(plan: Plan) -> None:
    """409 unless the plan is being carried out: records are entered from the start of execution to its close."""
    if plan.status != Status.EXECUTING:
        raise Conflict("not_executing", Text(N_("只有实施中的方案可以登记实施情况。")), {"status": plan.status})


class Lookups:
    """What checking a part reads beyond the worker and their record, looked up once for every part checked
    with it: the roster's rules and figures in force on each day a relation ended (the severance due)."""

    def __init__(self, session: Session, plan: Plan, *, named: bool = True) -> None:
        self.session, self.plan = session, plan
        # Whether a message names the worker by their roster row and name: an upload's report names them
        # beside the file's row once (bulk.py), so its messages do not again.
        self.named = named
        self._contexts: dict[date, RowContext] = {}

    def say(self, named: str, bare: str, **values: Any) -> Text:
        """The message naming the worker (`named`, with row and name), or without (`bare`) in an upload."""
        return Text(named if self.named else bare, **values)

    def severance_due(self, row: int, worker: RosterWorker, day: date) -> Decimal | None:
        context = self._contexts.get(day)
        if context is None:
            context = self._contexts[day] = RowContext.of(self.session, self.plan, reference=day)
        due: Decimal | None = row_computed_on(self.session, self.plan, worker, day, row=row, context=context)[
            "severance"
        ]
        return due


def check_part(lookups: Lookups, *, row: int, worker: RosterWorker, record: Record, part: str,
               values: dict[str, Any], today: date) -> dict[str, Any]:  # fmt: skip
    """The changes one part (items.PARTS) makes to the worker's record (row: their row in the roster); Invalid
    naming every bad field. Nothing is written: the single entry and the upload both check through here."""
    channel = worker.channel
    if part not in PARTS or part not in parts_for(channel):
        needed = Listing([Text(PARTS[p]) for p in parts_for(channel)], N_("、"))
        raise Invalid("unknown_part", Text(N_("第%(row)s行（%(name)s）的实施记录包括：%(parts)s。"), row=row,
                                           name=worker.name, parts=needed),
                      [{"field": "part", "rule": "known_part",
                        "message": Text(N_("该职工的安置渠道无须登记“%(part)s”"),
                                        part=Text(PARTS[part]) if part in PARTS else part)}])  # fmt: skip
    problems = Problems()
    unknown_fields(part, values, problems)
    changes: dict[str, Any] = PART_READERS[part](lookups, row, worker, record, values, problems, today)
    problems.raise_any()
    return changes


def apply_part(record: Record, *, actor: Actor, part: str, changes: dict[str, Any], revision: int) -> dict[str, int]:
    """Put a checked part's changes on the record, noting who entered it, when, and under which published
    revision of the plan (`revision`: the case file says it); the steps it did late (days)."""
    user = actor.person
    for name, value in changes.items():
        setattr(record, name, value)
    record.entered = {**(record.entered or {}), part: {"by": user.id, "name": actor.name, "revision": revision,
                                                       "at": utcnow().isoformat(timespec="seconds")}}  # fmt: skip
    record.updated_at = utcnow()
    return {k: v for k, v in late_steps(record).items() if k in changes}


def tell_late(session: Session, plan: Plan, *, row: int, worker: RosterWorker, late: dict[str, int]) -> None:
    """A transfer or the unemployment list done after the law's period: the bureau is told."""
    if late:
        plan_event.send(plan, session=session, kind="execution_late", roles=[Role.BUREAU],
                        payload={"row": row, "name": worker.name, "late": late})  # fmt: skip


def new_record(plan: Plan, worker: RosterWorker) -> ExecutionRecord:
    return ExecutionRecord(plan_id=plan.id, worker_id=worker.id, outcome={}, entered={}, reminded={})


RECORD_COLUMNS = tuple(column.key for column in ExecutionRecord.__table__.columns if column.key != "id")


class Draft(SimpleNamespace):
    """An execution record's values as a plain object outside the session, without the ORM's change
    tracking: an upload checks each row's parts against it in turn, and writes the values only when every
    row passed."""

    @classmethod
    def of(cls, plan: Plan, worker: RosterWorker, stored: ExecutionRecord | None) -> Draft:
        if stored is not None:
            return cls(**{key: getattr(stored, key) for key in RECORD_COLUMNS})
        values = dict.fromkeys(RECORD_COLUMNS)
        return cls(**{**values, "plan_id": plan.id, "worker_id": worker.id, "outcome": {}, "entered": {},
                      "reminded": {}, "updated_at": utcnow()})  # fmt: skip

    def values(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in RECORD_COLUMNS}


Record = ExecutionRecord | Draft  # what a part is checked against and put on


def record_part(session: Session, *, actor: Actor, plan: Plan, worker_id: int, part: str, values: dict[str, Any],
                today: date | None = None) -> ExecutionRecord:  # fmt: skip
    """Enter one part (items.PARTS) of the worker's record; refused naming every bad field."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("登记实施情况"))
    require_executing(plan)
    today = today or today_in_china()
    row = ledger_row(session, plan, worker_id, today)
    record = row.record or new_record(plan, row.worker)
    if part in (record.entered or {}):  # what was entered is changed by a correction, with its reason (corrections.py)
        raise Conflict("already_entered",
                       Text(N_("第%(row)s行（%(name)s）已登记“%(part)s”：如有错误，请更正或撤销该项登记，并说明理由。"),
                            row=row.row, name=row.worker.name, part=Text(PARTS[part])), {"part": part})  # fmt: skip
    changes = check_part(Lookups(session, plan), row=row.row, worker=row.worker, record=record, part=part,
                         values=values, today=today)  # fmt: skip
    late = apply_part(record, actor=actor, part=part, changes=changes, revision=plan.revision_number)
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="execution.recorded", plan=plan,
                 summary={"row": row.row, "id_number": mask_id(row.worker.id_number), "part": part,
                          "values": {k: jsonable(v) for k, v in changes.items()}, **({"late": late} if late else {})})  # fmt: skip
    tell_late(session, plan, row=row.row, worker=row.worker, late=late)
    return record


def _agreement(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
               values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
    kind = read_choice(values, "agreement_kind", AGREEMENT_KINDS, problems)
    wanted = AGREEMENT_BY_CHANNEL.get(worker.channel or "")
    if kind is not None and wanted is not None and kind != wanted:
        problems.add("agreement_kind", "channel_agreement",
                     lookups.say(N_("第%(row)s行（%(name)s）安置渠道为“%(channel)s”，应签订%(kind)s"),
                                 N_("安置渠道为“%(channel)s”，应签订%(kind)s"), row=row, name=worker.name,
                                 channel=Text(CHANNELS[worker.channel or ""]), kind=Text(AGREEMENT_KINDS[wanted])))  # fmt: skip
    return {"agreement_kind": kind, "agreement_signed_on": read_date(values, "agreement_signed_on", problems, today)}


def _termination(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
                 values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
    ended = read_date(values, "terminated_on", problems, today)
    certificate = read_date(values, "certificate_issued_on", problems, today, required=False)
    if ended and certificate and certificate < ended:
        problems.add(
            "certificate_issued_on",
            "after_end",
            Text(N_("解除（终止）劳动合同证明在解除（终止）时或之后出具，不得早于解除日期")),
        )
    if ended is None:
        return {}
    # The severance due at the actual end, with the rules and figures in force that day (劳动合同法 Art 47;
    # 实施条例 Art 27: the minimum wage in force at the end; domain.md §8 Severance).
    due = lookups.severance_due(row, worker, ended)
    return {"terminated_on": ended, "certificate_issued_on": certificate, "severance_due": due}


def _severance(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
               values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
    paid = read_amount(values, "severance_paid", problems)
    paid_on = read_date(values, "severance_paid_on", problems, today)
    reference = read_text(values, "payment_reference", problems)
    if record.terminated_on is None:
        problems.add(
            "severance_paid",
            "after_end",
            lookups.say(
                N_("第%(row)s行（%(name)s）请先登记劳动关系解除（终止）日期，再登记经济补偿支付"),
                N_("请先登记劳动关系解除（终止）日期，再登记经济补偿支付"),
                row=row,
                name=worker.name,
            ),
        )
        return {}
    due = record.severance_due
    # 劳动合同法 Art 46, 47 and Art 50 ¶2 (paid at the handover): a payment below what is due is refused.
    if paid is not None and due is not None and paid < due:
        problems.add("severance_paid", "not_below_due",
                     lookups.say(N_("第%(row)s行（%(name)s）实付经济补偿%(paid)s元低于按解除日%(day)s计算的应付金额%(due)s元"
                                    "（劳动合同法第四十七条）"),
                                 N_("实付经济补偿%(paid)s元低于按解除日%(day)s计算的应付金额%(due)s元（劳动合同法第四十七条）"),
                                 row=row, name=worker.name, paid=f"{paid:,.2f}", day=record.terminated_on.isoformat(),
                                 due=f"{due:,.2f}"))  # fmt: skip
    return {"severance_paid": paid, "severance_paid_on": paid_on, "payment_reference": reference}


def _arrears(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
             values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
    amount = read_amount(values, "arrears_amount", problems)
    settled = read_date(values, "arrears_settled_on", problems, today, required=bool(amount))
    return {"arrears_amount": amount, "arrears_settled_on": settled if amount else None}


def _after_end(names: tuple[str, ...]) -> Any:
    def read(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
             values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
        if record.terminated_on is None:
            problems.add(
                names[0],
                "after_end",
                lookups.say(
                    N_("第%(row)s行（%(name)s）请先登记劳动关系解除（终止）日期"),
                    N_("请先登记劳动关系解除（终止）日期"),
                    row=row,
                    name=worker.name,
                ),
            )
            return {}
        found = {}
        for name in names:
            day = read_date(values, name, problems, today, required=len(names) == 1)
            if day is not None and day < record.terminated_on:
                problems.add(
                    name,
                    "after_end",
                    Text(
                        N_("日期%(day)s早于劳动关系解除日期%(end)s"),
                        day=day.isoformat(),
                        end=record.terminated_on.isoformat(),
                    ),
                )
            elif day is not None:
                found[name] = day
        if not found and not problems.details:
            problems.add(names[0], "required", Text(N_("请至少填写一个日期")))
        return found

    return read


def _outcome(lookups: Lookups, row: int, worker: RosterWorker, record: Record,
             values: dict[str, Any], problems: Problems, today: date) -> dict[str, Any]:  # fmt: skip
    kind, facts = read_outcome(values, problems, today)
    for name in values:  # a fact of another kind of outcome is reported, never dropped
        if kind is not None and name in OUTCOME_FIELD_LABELS and name not in OUTCOME_FIELDS[kind]:
            problems.add(
                name,
                "outcome_field",
                Text(
                    N_("“%(field)s”不是“%(kind)s”的登记项"),
                    field=Text(OUTCOME_FIELD_LABELS[name]),
                    kind=Text(OUTCOME_KINDS[kind]),
                ),
            )
    allowed = OUTCOMES_BY_CHANNEL.get(worker.channel or "", ())
    if kind is not None and kind not in allowed:
        problems.add("outcome_kind", "channel_outcome",
                     lookups.say(N_("第%(row)s行（%(name)s）安置渠道为“%(channel)s”，去向与渠道不符"),
                                 N_("安置渠道为“%(channel)s”，去向与渠道不符"), row=row, name=worker.name,
                                 channel=Text(CHANNELS.get(worker.channel or "", ""))))  # fmt: skip
    started, ends = facts.get("started_on"), facts.get("ends_on") or facts.get("finished_on")
    if started and ends and ends < started:
        problems.add(
            "ends_on" if "ends_on" in facts else "finished_on", "after_start", Text(N_("结束日期不得早于开始日期"))
        )
    return {"outcome_kind": kind, "outcome": facts}


PART_READERS: dict[str, Any] = {
    "agreement": _agreement,
    "termination": _termination,
    "severance": _severance,
    "arrears": _arrears,
    "transfers": _after_end(("insurance_transferred_on", "file_transferred_on")),
    "unemployment": _after_end(("unemployment_listed_on",)),
    "outcome": _outcome,
}


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
