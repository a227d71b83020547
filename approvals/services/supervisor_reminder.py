"""The supervisor's reminder (催办): an audited action that tells whoever holds a plan's open tasks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_, Text
from approvals.models import Plan, Role
from approvals.rules.text_limits import FIELDS
from approvals.services.workflow import STATUS_LABELS, open_tasks, task_payload
from approvals.signals import plan_event

MAX_MESSAGE = FIELDS["message"]


@dataclass(frozen=True)
class Reminder:
    roles: list[str]
    tasks: list[str]
    message: str


def remind(session: Session, *, actor: Actor, plan: Plan, message: str) -> Reminder:
    """Remind the lanes of the plan's open tasks; recorded in the plan's trail."""
    user = actor.person
    policy.require_role(user, plan, Role.SUPERVISOR, N_("催办"))
    message = (message or "").strip()
    if not message or len(message) > MAX_MESSAGE:
        said = Text(N_("催办内容须为1至%(limit)s个字符。"), limit=MAX_MESSAGE)
        raise Invalid("invalid_message", said,
                      [{"field": "message", "rule": f"length_1_{MAX_MESSAGE}", "message": said}])  # fmt: skip
    tasks = [t for t in open_tasks(session, plan) if t.lane]
    if not tasks:
        raise Conflict("nothing_to_remind",
                       Text(N_("方案当前处于“%(stage)s”阶段，没有待办事项，无需催办。"),
                            stage=Text(STATUS_LABELS.get(plan.status, plan.status))),
                       {"status": plan.status})  # fmt: skip
    roles = sorted({str(t.lane) for t in tasks})
    audit.record(session, actor=actor, role=Role.SUPERVISOR, action="plan.reminded", plan=plan,
                 summary={"message": message, "roles": roles, "tasks": [t.bpmn_id for t in tasks]})  # fmt: skip
    plan_event.send(plan, session=session, kind="supervisor_reminder", roles=roles,
                    payload={"message": message, "sender": user.display_name,
                             "tasks": [task_payload(t) for t in tasks]})  # fmt: skip
    return Reminder(roles, [t.bpmn_id for t in tasks], message)
