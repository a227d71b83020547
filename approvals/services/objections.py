"""Objections (异议) to a published plan: raised by a worker on the public page, handled by the
enterprise 受理 → 核实 → 答复 → 办结 under the bureau's oversight (the bureau may reopen a closed
one), followed by the worker with a receipt code (domain.md §8, Public notice).

The objector's ID number and phone are personal data: they are stored, never shown on the public
page, written to the trail only masked, and shown in full only to the roles that must answer the
objection (policy.may_see_objector).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import PUBLIC_ROLE, Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.i18n import N_, Text
from approvals.models import OBJECTION_STATUSES, Objection, ObjectionStep, Plan, PublicNotice, Role, RosterWorker
from approvals.rules import receipt
from approvals.rules.resident_id import IdProblem, mask_id, mask_ids_in_text, parse_id
from approvals.rules.text_limits import FIELDS
from approvals.signals import objection_received, objection_step_taken

NAME_MAX = FIELDS["objection.name"]
TEXT_MAX = FIELDS["objection.text"]
STEP_TEXT_MAX = FIELDS["objection.step_text"]
RECEIPT_NOT_FOUND = N_("未查到该异议：请核对受理码和身份证号码后4位。")
# A mainland mobile number, or a fixed line with its area code (an extension may follow).
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


@dataclass(frozen=True)
class ObjectionInput:
    name: str
    id_number: str
    phone: str
    text: str


def check_objection(given: ObjectionInput) -> tuple[list[dict[str, Any]], str]:
    """Every field that breaks a rule (field, rule, message), and the ID in its 18-character form."""
    found: list[dict[str, Any]] = []

    def problem(field: str, rule: str, message: str) -> None:
        found.append({"field": field, "rule": rule, "message": message})

    name = given.name.strip()
    if not name:
        problem("name", "required", Text(N_("姓名未填写。")))
    elif len(name) > NAME_MAX:
        problem(
            "name", "max_length", Text(N_("姓名不得超过%(limit)s个字（现为%(n)s个字）。"), limit=NAME_MAX, n=len(name))
        )
    parsed = parse_id(given.id_number)
    number = ""
    if isinstance(parsed, IdProblem):
        problem("id_number", parsed.rule, parsed.message)
    else:
        number = parsed.number
    phone = given.phone.strip().replace(" ", "")
    if not phone:
        problem("phone", "required", Text(N_("联系电话未填写，企业和人社部门需要通过它答复您。")))
    elif not _PHONE.fullmatch(phone):
        problem("phone", "format", Text(N_("联系电话应为11位手机号码，或带区号的固定电话（如0311-87654321）。")))
    text = given.text.strip()
    if not text:
        problem("text", "required", Text(N_("异议内容未填写。")))
    elif len(text) > TEXT_MAX:
        problem(
            "text",
            "max_length",
            Text(N_("异议内容不得超过%(limit)s个字（现为%(n)s个字），请精简后提交。"), limit=TEXT_MAX, n=len(text)),
        )
    return found, number


def raise_objection(
    session: Session, *, actor: Actor, notice: PublicNotice, given: ObjectionInput, now: datetime | None = None
) -> Objection:
    """Store a worker's objection, record it in the plan's trail and tell the enterprise and the bureau."""
    now = now or utcnow()
    if not notice.is_open(now):
        raise Conflict(
            "notice_closed", Text(N_("公示期已结束，本页面不再受理异议。如有问题，请直接联系企业或当地人社部门。"))
        )
    found, number = check_objection(given)
    if found:
        raise Invalid("objection_invalid", found[0]["message"], found)
    plan = notice.plan
    objection = Objection(plan_id=plan.id, name=given.name.strip(), id_number=number,
                          phone=given.phone.strip().replace(" ", ""), text=given.text.strip(),
                          remote_addr=actor.remote_addr[:45], received_at=now,
                          receipt_code=_unused_code(session), status="received")  # fmt: skip
    session.add(objection)
    session.flush()
    listed = bool(on_roster(session, plan.id, [number]))
    # The trail is append-only and readable by every role that sees the plan: the ID goes in masked.
    audit.record(session, actor=actor, role=PUBLIC_ROLE, action="objection.received", plan=plan,
                 summary={"objection_id": objection.id, "id_number": mask_id(number), "on_roster": listed})  # fmt: skip
    objection_received(plan, session=session, objection_id=objection.id, received_at=now.isoformat(), on_roster=listed)
    return objection


def _unused_code(session: Session) -> str:
    """A receipt code no objection holds yet (a clash of 59 random bits is all but impossible; the
    unique constraint stands behind this check)."""
    while True:
        code = receipt.new_code()
        if session.scalar(select(Objection.id).where(Objection.receipt_code == code)) is None:
            return code


@dataclass(frozen=True)
class Step:
    """One handling step: the status it starts from and leads to, who takes it, and its text."""

    key: str
    label: str
    before: str
    after: str
    role: Role
    text_label: str
    text_required: bool


# 受理 → 核实 → 答复 → 办结 by the enterprise; 重新办理 (back to 核实) by the bureau that oversees it.
STEPS = {
    s.key: s
    for s in (
        Step("accept", N_("受理"), "received", "accepted", Role.ENTERPRISE, N_("受理说明"), False),
        Step("verify", N_("核实"), "accepted", "verified", Role.ENTERPRISE, N_("核实情况"), True),
        Step("reply", N_("答复"), "verified", "replied", Role.ENTERPRISE, N_("答复内容"), True),
        Step("close", N_("办结"), "replied", "closed", Role.ENTERPRISE, N_("办结说明"), False),
        Step("reopen", N_("重新办理"), "closed", "accepted", Role.BUREAU, N_("重新办理的理由"), True),
    )
}


HANDLERS = (Role.ENTERPRISE, Role.BUREAU)


def take_step(session: Session, *, actor: Actor, plan: Plan, objection_id: int, step: str, text: str = "",
              now: datetime | None = None) -> Objection:  # fmt: skip
    """Take one handling step of an objection of `plan`: in this transaction its row, its audit event
    and the notice to the other side (the bureau hears of the enterprise's steps, the enterprise of a reopen)."""
    user = actor.person
    if not any(policy.holds(user, plan, role) for role in HANDLERS):
        raise NotAllowed("role_required", Text(N_("办理异议须由本方案的企业经办人或人社部门审核人办理。")),
                         {"roles": [str(role) for role in HANDLERS]})  # fmt: skip
    found = STEPS.get(step)
    if found is None:
        raise Invalid("objection_step_unknown",
                      Text(N_("未知的办理环节“%(step)s”：应为受理、核实、答复、办结或重新办理之一。"), step=step),
                      [{"field": "step", "rule": "choice",
                        "message": Text(N_("办理环节应为受理、核实、答复、办结或重新办理之一。"))}])  # fmt: skip
    role = policy.require_role(user, plan, found.role, Text(N_("异议%(step)s"), step=Text(found.label)))
    objection = session.get(Objection, objection_id, with_for_update=True)
    if objection is None or objection.plan_id != plan.id:
        raise NotFound("objection_not_found", Text(N_("异议不存在或不属于本方案。")))
    if objection.status != found.before:
        raise Conflict("objection_out_of_order",
                       Text(N_("该异议当前为“%(status)s”，不能%(step)s：%(step)s须在“%(before)s”时办理。"),
                            status=Text(OBJECTION_STATUSES[objection.status]), step=Text(found.label),
                            before=Text(OBJECTION_STATUSES[found.before])),
                       {"status": objection.status, "step": found.key})  # fmt: skip
    body = text.strip()
    if found.text_required and not body:
        message = Text(N_("%(field)s未填写。"), field=Text(found.text_label))
        raise Invalid("objection_step_invalid", message,
                      [{"field": "text", "rule": "required", "message": message}])  # fmt: skip
    if len(body) > STEP_TEXT_MAX:
        message = Text(N_("%(field)s不得超过%(limit)s个字（现为%(n)s个字），请精简后提交。"), field=Text(found.text_label),
                       limit=STEP_TEXT_MAX, n=len(body))  # fmt: skip
        raise Invalid("objection_step_invalid", message, [{"field": "text", "rule": "max_length", "message": message}])
    now = now or utcnow()
    session.add(ObjectionStep(objection=objection, step=found.key, text=body, user_id=user.id, at=now))
    objection.status = found.after
    if found.key == "reply":
        objection.reply, objection.replied_at = body, now
    session.flush()
    audit.record(session, actor=actor, role=role, action=f"objection.{found.key}", plan=plan,
                 summary={"objection_id": objection.id, "status": objection.status, "text": mask_ids_in_text(body)})  # fmt: skip
    objection_step_taken(plan, session=session, objection_id=objection.id, step=found.key, status=objection.status,
                         to_bureau=found.role == Role.ENTERPRISE)  # fmt: skip
    return objection


def open_objections(session: Session, plan_id: int) -> list[str]:
    """The receipt codes of the plan's objections not yet closed (办结), oldest first."""
    return list(session.scalars(
        select(Objection.receipt_code).where(Objection.plan_id == plan_id, Objection.status != "closed")
        .order_by(Objection.received_at, Objection.id)
    ))  # fmt: skip


@dataclass(frozen=True)
class ObjectionStatus:
    """What the worker reads on the public page: no name, ID, phone or the bureau's findings."""

    receipt: str
    plan_title: str
    enterprise: str
    received_at: datetime
    status: str
    reply: str | None
    replied_at: datetime | None


def look_up(session: Session, code: str, id_tail: str) -> ObjectionStatus:
    """An objection's status and reply for its receipt code and the last four characters of the
    objector's ID. A wrong code and a wrong tail are the same 404, so neither can be probed alone."""
    normal = receipt.normalise(code)
    objection = None
    if normal is not None:
        objection = session.scalars(select(Objection).where(Objection.receipt_code == normal)).first()
    if objection is None or not receipt.tail_matches(objection.id_number, id_tail):
        raise NotFound("receipt_not_found", RECEIPT_NOT_FOUND)
    plan = session.get(Plan, objection.plan_id)
    assert plan is not None
    return ObjectionStatus(receipt.shown(objection.receipt_code), mask_ids_in_text(plan.title),
                           mask_ids_in_text(plan.enterprise.name), objection.received_at, objection.status,
                           objection.reply, objection.replied_at)  # fmt: skip


def on_roster(session: Session, plan_id: int, numbers: list[str]) -> set[str]:
    """Which of the ID numbers are on the plan's roster (in scope or not)."""
    if not numbers:
        return set()
    found = session.scalars(
        select(RosterWorker.id_number).where(RosterWorker.plan_id == plan_id, RosterWorker.id_number.in_(numbers))
    )
    return set(found)


def objections_of(plan_id: int) -> Select[tuple[Objection]]:
    """The plan's objections, newest first."""
    return (
        select(Objection)
        .where(Objection.plan_id == plan_id)
        .order_by(Objection.received_at.desc(), Objection.id.desc())
    )


def objection_views(session: Session, objections: list[Objection], *, unmasked: bool) -> list[ObjectionView]:
    """Objections as one reader may see them: ID and phone in full only when `unmasked` (an ID the
    worker typed into the text is masked too), each marked whether the objector is on the roster."""
    if not objections:
        return []
    listed = on_roster(session, objections[0].plan_id, [o.id_number for o in objections])
    return [
        ObjectionView(
            id=o.id,
            received_at=o.received_at,
            name=o.name,
            id_number=o.id_number if unmasked else mask_id(o.id_number),
            phone=o.phone if unmasked else mask_phone(o.phone),
            text=o.text if unmasked else mask_ids_in_text(o.text),
            on_roster=o.id_number in listed,
            receipt=receipt.shown(o.receipt_code),
            status=o.status,
            steps=[
                StepView(s.step, s.text if unmasked else mask_ids_in_text(s.text), s.at, s.user.display_name)
                for s in o.steps
            ],  # fmt: skip
        )
        for o in objections
    ]


def mask_phone(phone: str) -> str:
    """The first three and the last four digits of a phone number (138****5678)."""
    digits = len(phone)
    return phone[:3] + "*" * (digits - 7) + phone[-4:] if digits > 7 else "*" * digits


@dataclass(frozen=True)
class ObjectionView:
    id: int
    received_at: datetime
    name: str
    id_number: str
    phone: str
    text: str
    on_roster: bool
    receipt: str
    status: str
    steps: list[StepView]


@dataclass(frozen=True)
class StepView:
    step: str
    text: str
    at: datetime
    by: str
