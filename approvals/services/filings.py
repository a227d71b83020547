"""The bureau's confirmation of each unreachable worker's filing (冀人社发〔2018〕38号 §三: "对职工暂时联系不上的
……将有关情况报当地人社部门核查备案"), and the bureau's conditions of approval built on it (rules/approval.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.models import FilingConfirmation, Plan, Role, RosterVerification, RosterWorker, User
from approvals.rules.approval import ApprovalFacts, approval_conditions
from approvals.rules.gate import Condition
from approvals.rules.resident_id import mask_id, mask_ids_in_text
from approvals.rules.text_limits import FIELDS, too_long


@dataclass(frozen=True)
class Filing:
    """One unreachable worker, the enterprise's filing and the bureau's confirmation of it, if any."""

    id_number: str  # masked for those who may not see personal data
    name: str
    contact_attempts: str
    filing: str  # the 核查备案编号 the roster gives now
    confirmed_by_id: int | None
    confirmed_at: datetime | None
    note: str

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


def _worker_filing(worker: RosterWorker) -> str:
    return str((worker.data or {}).get("bureau_filing") or "").strip()


def filings(session: Session, user: User, plan: Plan) -> list[Filing]:
    """Every unreachable worker of the plan in roster order, with the confirmation of their current filing."""
    workers = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id, RosterWorker.unreachable)
                              .order_by(RosterWorker.id)).all()  # fmt: skip
    confirmations = {(c.id_number, c.filing): c for c in session.scalars(
        select(FilingConfirmation).where(FilingConfirmation.plan_id == plan.id))}  # fmt: skip
    sees = policy.sees_personal_data(user, plan)
    out = []
    for worker in workers:
        filing = _worker_filing(worker)
        done = confirmations.get((worker.id_number, filing)) if filing else None
        attempts = str((worker.data or {}).get("contact_attempts") or "")
        out.append(Filing(worker.id_number if sees else mask_id(worker.id_number), worker.name,
                          attempts if sees else mask_ids_in_text(attempts), filing,
                          done.confirmed_by_id if done else None, done.confirmed_at if done else None,
                          (done.note if sees else mask_ids_in_text(done.note)) if done else ""))  # fmt: skip
    return out


def _problem(field: str, rule: str, message: Text) -> dict[str, Any]:
    return {"field": field, "rule": rule, "message": message}


def confirm_filing(session: Session, *, actor: Actor, plan: Plan, id_number: str, note: str) -> FilingConfirmation:
    """The bureau confirms one unreachable worker's filing, as the roster gives it now; audited."""
    user = actor.person
    policy.require_role(user, plan, Role.BUREAU, N_("确认联系不上职工的核查备案"))
    policy.check_not_submitter(user, plan)
    number, note = (id_number or "").strip().upper(), (note or "").strip()
    worker = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                        RosterWorker.id_number == number)).first()  # fmt: skip
    problems = []
    if worker is None:
        problems.append(
            _problem(
                "id_number", "on_roster", Text(N_("公民身份号码%(number)s不在本方案的职工名单中。"), number=number)
            )
        )
    elif not worker.unreachable:
        problems.append(_problem("id_number", "unreachable",
                                 Text(N_("%(name)s（%(id)s）不是暂时联系不上的职工，无需核查备案。"),
                                      name=worker.name, id=mask_id(number))))  # fmt: skip
    elif not _worker_filing(worker):
        problems.append(_problem("id_number", "filed",
                                 Text(N_("企业尚未为%(name)s（%(id)s）填写核查备案编号，无可确认的备案。"),
                                      name=worker.name, id=mask_id(number))))  # fmt: skip
    if not note:
        problems.append(_problem("note", "required", Text(N_("须填写核查情况（如核对的公示、登报或联系记录）。"))))
    elif len(note) > FIELDS["filing_note"]:
        problems.append(too_long("note", Text(N_("核查情况")), note, FIELDS["filing_note"]))
    if worker is not None and not problems:
        filing = _worker_filing(worker)
        already = session.scalar(select(FilingConfirmation.id).where(
            FilingConfirmation.plan_id == plan.id, FilingConfirmation.id_number == number,
            FilingConfirmation.filing == filing))  # fmt: skip
        if already:
            problems.append(_problem("id_number", "not_confirmed_yet",
                                     Text(N_("%(name)s（%(id)s）的核查备案（%(filing)s）已经确认。"),
                                          name=worker.name, id=mask_id(number), filing=filing)))  # fmt: skip
    if problems:
        raise Invalid("invalid_filing_confirmation", problems[0]["message"], problems)
    assert worker is not None
    confirmation = FilingConfirmation(plan_id=plan.id, id_number=number, filing=_worker_filing(worker), note=note,
                                      confirmed_by_id=user.id)  # fmt: skip
    session.add(confirmation)
    session.flush()
    audit.record(session, actor=actor, role=Role.BUREAU, action="roster.filing_confirmed", plan=plan,
                 summary={"id_number": mask_id(number), "name": worker.name, "filing": confirmation.filing,
                          "note": mask_ids_in_text(note)})  # fmt: skip
    return confirmation


def review_conditions(session: Session, plan: Plan, minimum: int) -> list[Condition]:
    """The bureau's conditions of approving the plan (rules/approval.py), from its records."""
    verifications = session.scalar(select(func.count()).select_from(RosterVerification)
                                   .where(RosterVerification.plan_id == plan.id)) or 0  # fmt: skip
    workers = session.execute(select(RosterWorker.id_number, RosterWorker.name, RosterWorker.data)
                              .where(RosterWorker.plan_id == plan.id, RosterWorker.unreachable)
                              .order_by(RosterWorker.id)).all()  # fmt: skip
    confirmed = set(session.execute(select(FilingConfirmation.id_number, FilingConfirmation.filing)
                                    .where(FilingConfirmation.plan_id == plan.id)).tuples().all())  # fmt: skip
    unconfirmed = tuple(f"{name}（{mask_id(number)}）" for number, name, data in workers
                        if (number, str((data or {}).get("bureau_filing") or "").strip()) not in confirmed)  # fmt: skip
    return approval_conditions(ApprovalFacts(verifications, minimum, len(workers), unconfirmed))
