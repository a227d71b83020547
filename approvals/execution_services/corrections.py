"""Correcting (更正) and withdrawing (撤销) a service record entered wrongly: a service (岗位推荐, 职业指导…), a
step of one-to-one assistance, a self-employment support, or a post a household member took up.

As for a part of the execution record (approvals/execution/corrections.py): only the plan's enterprise while
the plan is carried out (records.require_executing: not while an amendment is under way, not after the close),
always with a reason, by the rules of recording it (a corrected loan above the cap in force on its day is
refused). The old and new values, the reason, who and when go to the plan's trail in the same transaction as
the change, and the bureau is told; the trail is the history the pages show. A withdrawn record is removed:
its values stay in the trail. Who is short of the services (冀人社发〔2018〕38号 §四) and the closing gate read
the records as they stand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.errors import Invalid, NotFound
from approvals.execution.corrections import Change, check_reason, trail_changes
from approvals.execution.records import jsonable, require_executing
from approvals.execution_services.common import record_event, require_recorder, roster_worker
from approvals.execution_services.difficulty import check_assistance
from approvals.execution_services.households import check_post
from approvals.execution_services.rules import POST_KINDS, SERVICE_KINDS, SUPPORT_KINDS
from approvals.execution_services.self_employment import check_support
from approvals.execution_services.services import check_service
from approvals.i18n import N_, Text
from approvals.models import (
    AssistanceRecord,
    HouseholdMember,
    Plan,
    PostRecord,
    RosterWorker,
    SelfEmploymentSupport,
    ServiceRecord,
)

CORRECTED, WITHDRAWN = "execution_service.corrected", "execution_service.withdrawn"


@dataclass(frozen=True)
class Kind:
    model: Any
    label: str  # a catalogue text
    fields: tuple[str, ...]  # what a correction gives (and the trail keeps)
    dates: tuple[str, ...]
    check: Callable[..., dict[str, Any]]  # (session, plan, worker, values) -> the record's new values


def _service(session: Session, plan: Plan, worker: RosterWorker | None, v: dict[str, Any]) -> dict[str, Any]:
    return check_service(plan, kind=str(v.get("kind") or ""), provided_on=v.get("provided_on"),
                         provider=str(v.get("provider") or ""), result=str(v.get("result") or ""))  # fmt: skip


def _assistance(session: Session, plan: Plan, worker: RosterWorker | None, v: dict[str, Any]) -> dict[str, Any]:
    return check_assistance(plan, provided_on=v.get("provided_on"), helper=str(v.get("helper") or ""),
                            content=str(v.get("content") or ""), result=str(v.get("result") or ""))  # fmt: skip


def _support(session: Session, plan: Plan, worker: RosterWorker | None, v: dict[str, Any]) -> dict[str, Any]:
    assert worker is not None
    amount = v.get("amount")
    return check_support(session, plan, worker, kind=str(v.get("kind") or ""), granted_on=v.get("granted_on"),
                         provider=str(v.get("provider") or ""), amount=None if amount in (None, "") else str(amount),
                         reference=str(v.get("reference") or ""))  # fmt: skip


def _post(session: Session, plan: Plan, worker: RosterWorker | None, v: dict[str, Any]) -> dict[str, Any]:
    return check_post(plan, kind=str(v.get("kind") or ""), employer=str(v.get("employer") or ""),
                      post=str(v.get("post") or ""), starts_on=v.get("starts_on"), ends_on=v.get("ends_on"))  # fmt: skip


KINDS = {
    "service": Kind(ServiceRecord, N_("就业服务"), ("kind", "provided_on", "provider", "result"), ("provided_on",),
                    _service),
    "assistance": Kind(AssistanceRecord, N_("“一对一”就业援助"), ("provided_on", "helper", "content", "result"),
                       ("provided_on",), _assistance),
    "support": Kind(SelfEmploymentSupport, N_("创业扶持"), ("kind", "granted_on", "provider", "amount", "reference"),
                    ("granted_on",), _support),
    "post": Kind(PostRecord, N_("家庭成员上岗情况"), ("kind", "employer", "post", "starts_on", "ends_on"),
                 ("starts_on", "ends_on"), _post),
}  # fmt: skip
FIELD_LABELS = {
    "kind": N_("类型"),
    "provided_on": N_("日期"),
    "provider": N_("服务提供方"),
    "result": N_("结果"),
    "helper": N_("援助责任人"),
    "content": N_("援助内容"),
    "granted_on": N_("办理日期"),
    "amount": N_("金额（元）"),
    "reference": N_("合同或批准文号"),
    "employer": N_("用人单位"),
    "post": N_("岗位"),
    "starts_on": N_("上岗日期"),
    "ends_on": N_("截止日期"),
}
KIND_LABELS = {"service": SERVICE_KINDS, "support": SUPPORT_KINDS, "post": POST_KINDS}


@dataclass(frozen=True)
class Target:
    record: Any
    worker: RosterWorker | None  # a worker's record
    member: HouseholdMember | None  # a household member's post


def _target(session: Session, plan: Plan, what: str, record_id: int) -> Target:
    kind = KINDS.get(what)
    record = session.get(kind.model, record_id) if kind is not None else None
    if record is None or record.plan_id != plan.id:
        raise NotFound("record_not_found", Text(N_("本方案没有这条就业服务记录。")))
    if what == "post":
        return Target(record, None, session.get(HouseholdMember, record.member_id))
    return Target(record, roster_worker(session, plan, record.id_number), None)


def _read(what: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values as given (dates as 2026-12-07 or date objects); a field the record does not hold, or a
    malformed date, is a 422 naming it."""
    kind = KINDS[what]
    problems = []
    read: dict[str, Any] = {}
    for name, given in values.items():
        if name not in kind.fields:
            problems.append({"field": name, "rule": "known_field",
                             "message": Text(N_("“%(name)s”不是“%(record)s”的字段"), name=name, record=Text(kind.label))})  # fmt: skip
        elif name in kind.dates and isinstance(given, str) and given.strip():
            try:
                read[name] = date.fromisoformat(given.strip())
            except ValueError:
                problems.append({"field": name, "rule": "date",
                                 "message": Text(N_("“%(field)s”须为日期，如2026-12-07。"), field=Text(FIELD_LABELS[name]))})  # fmt: skip
        else:
            read[name] = None if name in kind.dates and not given else given
    if problems:
        raise Invalid("invalid_correction", problems[0]["message"], problems)
    return read


def _plain(value: Any) -> Any:
    return str(value.quantize(Decimal("0.01"))) if isinstance(value, Decimal) else jsonable(value)


def _values(what: str, record: Any) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in KINDS[what].fields
            if getattr(record, name) not in (None, "")}  # fmt: skip


def _start(session: Session, actor: Actor, plan: Plan, what: str, record_id: int, reason: str | None,
           doing: str) -> tuple[Target, str]:  # fmt: skip
    require_recorder(actor, plan, doing)
    require_executing(plan)
    target = _target(session, plan, what, record_id)
    return target, check_reason(reason)


def correct_record(session: Session, *, actor: Actor, plan: Plan, what: str, record_id: int, values: dict[str, Any],
                   reason: str | None) -> Any:  # fmt: skip
    """Correct a service record by the rules of recording it; the old and new values and the reason in the trail."""
    target, reason = _start(session, actor, plan, what, record_id, reason, N_("更正或撤销就业服务记录"))
    checked = KINDS[what].check(session, plan, target.worker, _read(what, values))
    old = _values(what, target.record)
    new = {name: _plain(value) for name, value in checked.items()
           if name in KINDS[what].fields and value not in (None, "")}  # fmt: skip
    if new == old:
        message = Text(N_("更正后的内容与原记录相同，无须更正。"))
        raise Invalid("unchanged", message, [{"field": "record", "rule": "changed", "message": message}])
    for name, value in checked.items():
        setattr(target.record, name, value)
    session.flush()
    _event(session, actor=actor, plan=plan, action=CORRECTED, what=what, target=target, reason=reason, old=old, new=new)
    return target.record


def withdraw_record(session: Session, *, actor: Actor, plan: Plan, what: str, record_id: int,
                    reason: str | None) -> None:  # fmt: skip
    """Withdraw a service record: removed, its values and the reason kept in the trail."""
    target, reason = _start(session, actor, plan, what, record_id, reason, N_("更正或撤销就业服务记录"))
    old = _values(what, target.record)
    session.delete(target.record)
    session.flush()
    _event(session, actor=actor, plan=plan, action=WITHDRAWN, what=what, target=target, reason=reason, old=old, new={})


def _event(session: Session, *, actor: Actor, plan: Plan, action: str, what: str, target: Target, reason: str,
           old: dict[str, Any], new: dict[str, Any]) -> None:  # fmt: skip
    whose = ({"worker_id": target.worker.id} if target.worker is not None
             else {"member_id": target.record.member_id, "member": target.member.name if target.member else ""})  # fmt: skip
    record_event(session, actor=actor, plan=plan, action=action, worker=target.worker,
                 summary={"record": what, "record_id": target.record.id, **whose, "reason": reason, "old": old,
                          "new": new})  # fmt: skip


def history(session: Session, plan: Plan, *, worker_id: int | None = None,
            member_ids: set[int] | None = None) -> list[Change]:  # fmt: skip
    """The corrections and withdrawals of a worker's service records (or of the posts of these household
    members), oldest first, read from the plan's trail."""

    def mine(s: dict[str, Any]) -> bool:
        return (worker_id is not None and s.get("worker_id") == worker_id) or (
            member_ids is not None and s.get("member_id") in member_ids)  # fmt: skip

    changes = []
    for event, s, names in trail_changes(session, plan, (CORRECTED, WITHDRAWN), mine):
        what = s.get("record", "")
        old, new = s.get("old") or {}, s.get("new") or {}
        label = KINDS[what].label if what in KINDS else what
        changes.append(Change(event.action == WITHDRAWN, what, event.actor_name, event.occurred_at, s.get("reason", ""),
                              [(n, FIELD_LABELS.get(n, n), shown(what, n, old.get(n)), shown(what, n, new.get(n)))
                               for n in names], label=label))  # fmt: skip
    return changes


def shown(what: str, name: str, value: Any) -> Any:
    """A stored value in plain words: a kind by its label (translated when shown), an amount grouped."""
    if value in (None, ""):
        return ""
    if name == "kind" and value in KIND_LABELS.get(what, {}):
        return Text(KIND_LABELS[what][value])
    if name == "amount":
        return f"{Decimal(str(value)):,.2f}"
    return str(value)
