"""Objections (异议) to a published plan: raised by a worker on the public page, read by the
enterprise and the bureau.

The objector's ID number and phone are personal data: they are stored, never shown on the public
page, written to the trail only masked, and shown in full only to the roles that must answer the
objection (policy.may_see_objector).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import PUBLIC_ROLE, Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.models import Objection, PublicNotice, RosterWorker
from approvals.rules.resident_id import IdProblem, mask_id, mask_ids_in_text, parse_id
from approvals.rules.text_limits import FIELDS
from approvals.signals import objection_received

NAME_MAX = FIELDS["objection.name"]
TEXT_MAX = FIELDS["objection.text"]
# A mainland mobile number, or a fixed line with its area code (an extension may follow).
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


@dataclass(frozen=True)
class ObjectionInput:
    name: str
    id_number: str
    phone: str
    text: str


def check_objection(given: ObjectionInput) -> tuple[list[dict[str, str]], str]:
    """Every field that breaks a rule (field, rule, message), and the ID in its 18-character form."""
    found: list[dict[str, str]] = []

    def problem(field: str, rule: str, message: str) -> None:
        found.append({"field": field, "rule": rule, "message": message})

    name = given.name.strip()
    if not name:
        problem("name", "required", "姓名未填写。")
    elif len(name) > NAME_MAX:
        problem("name", "max_length", f"姓名不得超过{NAME_MAX}个字（现为{len(name)}个字）。")
    parsed = parse_id(given.id_number)
    number = ""
    if isinstance(parsed, IdProblem):
        problem("id_number", parsed.rule, parsed.message)
    else:
        number = parsed.number
    phone = given.phone.strip().replace(" ", "")
    if not phone:
        problem("phone", "required", "联系电话未填写，企业和人社部门需要通过它答复您。")
    elif not _PHONE.fullmatch(phone):
        problem("phone", "format", "联系电话应为11位手机号码，或带区号的固定电话（如0311-87654321）。")
    text = given.text.strip()
    if not text:
        problem("text", "required", "异议内容未填写。")
    elif len(text) > TEXT_MAX:
        problem("text", "max_length", f"异议内容不得超过{TEXT_MAX}个字（现为{len(text)}个字），请精简后提交。")
    return found, number


def raise_objection(
    session: Session, *, actor: Actor, notice: PublicNotice, given: ObjectionInput, now: datetime | None = None
) -> Objection:
    """Store a worker's objection, record it in the plan's trail and tell the enterprise and the bureau."""
    now = now or utcnow()
    if not notice.is_open(now):
        raise Conflict("notice_closed", "公示期已结束，本页面不再受理异议。如有问题，请直接联系企业或当地人社部门。")
    found, number = check_objection(given)
    if found:
        raise Invalid("objection_invalid", found[0]["message"], found)
    plan = notice.plan
    objection = Objection(plan_id=plan.id, name=given.name.strip(), id_number=number,
                          phone=given.phone.strip().replace(" ", ""), text=given.text.strip(),
                          remote_addr=actor.remote_addr[:45], received_at=now)  # fmt: skip
    session.add(objection)
    session.flush()
    listed = bool(on_roster(session, plan.id, [number]))
    # The trail is append-only and readable by every role that sees the plan: the ID goes in masked.
    audit.record(session, actor=actor, role=PUBLIC_ROLE, action="objection.received", plan=plan,
                 summary={"objection_id": objection.id, "id_number": mask_id(number), "on_roster": listed})  # fmt: skip
    objection_received(plan, session=session, objection_id=objection.id, received_at=now.isoformat(), on_roster=listed)
    return objection


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
