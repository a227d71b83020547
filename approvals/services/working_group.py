"""The joint working group (联合工作组) for high-risk enterprises."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.engine import WorkflowEngine
from approvals.errors import Invalid
from approvals.i18n import N_, Listing, Text
from approvals.models import Plan, Role, WorkingGroupRecord
from approvals.process import Task, WorkingGroupDecision
from approvals.rules.text_limits import FIELDS, LINE, check_fields, too_long
from approvals.services.return_reasons import record_reasons
from approvals.services.workflow import announce_ready, complete_task, take_task
from approvals.signals import plan_event

# Departments the notice puts in the group; the group company only where there is one.
DEPARTMENTS = (N_("人社"), N_("发改"), N_("工信"), N_("财政"), N_("安监"), N_("工会"), N_("集团公司"))
MAX_MEMBERS = 50
DECISIONS = {WorkingGroupDecision.CLEARED: "同意公布实施", WorkingGroupDecision.REVISE: "退回修改"}


def _problem(field: str, rule: str, message: Text) -> dict[str, Any]:
    return {"field": field, "rule": rule, "message": message}


def needed_departments(plan: Plan) -> list[str]:
    """The departments the plan's group must have a member of (冀人社发〔2018〕38号 §六 "会同有关部门和上级集团公司组成工作组": 人社、发改、工信、财政、
    安监、工会, and the enterprise's parent group where there is one)."""
    return [d for d in DEPARTMENTS if d != "集团公司" or plan.enterprise.parent_group]


def _check_members(plan: Plan, members: list[dict[str, Any]], contact_point: str) -> None:
    problems = []
    for number, member in enumerate(members, start=1):
        if not str(member.get("name") or "").strip():
            problems.append(
                _problem(f"members[{number}].name", "required", Text(N_("第%(number)s名成员缺少姓名。"), number=number))
            )
        if member.get("department") not in DEPARTMENTS:
            problems.append(_problem(f"members[{number}].department", "known_department",
                                     Text(N_("第%(number)s名成员的单位类别须为：%(departments)s。"), number=number,
                                          departments=Listing([Text(d) for d in DEPARTMENTS], N_("、")))))  # fmt: skip
        if member.get("uscc") and member.get("uscc") == plan.enterprise.uscc:
            problems.append(_problem(f"members[{number}].uscc", "not_from_enterprise",
                                     Text(N_("第%(number)s名成员来自被审核企业，不得担任工作组成员。"), number=number)))  # fmt: skip
    needed = needed_departments(plan)
    present = {m.get("department") for m in members}
    absent = [d for d in needed if d not in present]
    if absent:
        problems.append(_problem("members", "all_departments",
                                 Text(N_("联合工作组须有%(departments)s的成员。"),
                                      departments=Listing([Text(d) for d in absent], N_("、")))))  # fmt: skip
    if not contact_point.strip():
        problems.append(_problem("contact_point", "required", Text(N_("须确定联系点。"))))
    elif len(contact_point.strip()) > FIELDS["contact_point"]:
        problems.append(too_long("contact_point", Text(N_("联系点")), contact_point.strip(), FIELDS["contact_point"]))
    if len(members) > MAX_MEMBERS:
        problems.append(
            _problem("members", "max_items", Text(N_("联合工作组成员不得超过%(limit)s名。"), limit=MAX_MEMBERS))
        )
    for number, member in enumerate(members[:MAX_MEMBERS], start=1):
        for key, value in member.items():
            limit = FIELDS["members.name"] if key == "name" else LINE
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    too_long(
                        f"members[{number}].{key}",
                        Text(N_("第%(number)s名成员的%(key)s"), number=number, key=key),
                        value,
                        limit,
                    )
                )
    if problems:
        raise Invalid("invalid_working_group", problems[0]["message"], problems)


def record_working_group(
    session: Session,
    engine: WorkflowEngine,
    *,
    actor: Actor,
    plan: Plan,
    members: list[dict[str, Any]] | None = None,
    contact_point: str = "",
    findings: str = "",
    decision: str | None = None,
) -> WorkingGroupRecord:
    """Form the group (members, contact point) and/or record its findings and decision."""
    user = actor.person
    policy.require_role(user, plan, Role.WORKING_GROUP, N_("联合工作组办理"))
    policy.check_not_from_enterprise(user, plan)
    turn = take_task(session, plan, (Task.FORM_WORKING_GROUP, Task.RECORD_FINDINGS), N_("办理联合工作组事项"))
    if decision is not None and decision not in DECISIONS:
        message = Text(N_("工作组结论须为“同意公布实施”或“退回修改”。"))
        raise Invalid("invalid_decision", message, [_problem("decision", "cleared_or_revise", message)])
    check_fields({"findings": (Text(N_("工作组意见")), (findings or "").strip())})
    if decision is not None and not findings.strip():
        message = Text(N_("须记录工作组意见。"))
        raise Invalid("findings_required", message, [_problem("findings", "required", message)])
    forming = turn.task.bpmn_id == Task.FORM_WORKING_GROUP
    if not forming and decision is None:
        message = Text(N_("工作组已组建，须记录意见和结论。"))
        raise Invalid("decision_required", message, [_problem("decision", "required", message)])
    steps: list[tuple[str, dict[str, Any]]] = []
    if forming:
        _check_members(plan, members or [], contact_point)
        record = WorkingGroupRecord(plan_id=plan.id, working_group_id=plan.working_group_id,
                                    members=members, contact_point=contact_point.strip(),
                                    content_hash=plan.content_hash, recorded_by_id=user.id)  # fmt: skip
        session.add(record)
        steps.append((Task.FORM_WORKING_GROUP, {"wg_members": len(members or []), "contact_point": contact_point}))
    else:
        record = session.scalars(
            select(WorkingGroupRecord)
            .where(WorkingGroupRecord.plan_id == plan.id)
            .order_by(WorkingGroupRecord.id.desc())
            .limit(1)
        ).one()
    if decision is not None:
        record.findings, record.decision = findings.strip(), decision
        steps.append((Task.RECORD_FINDINGS, {"wg_decision": decision, "wg_findings": findings}))
    # Forming and deciding in one request complete both tasks in one engine call.
    step = complete_task(session, engine, plan, turn, steps[0][1], actor, follow=tuple(steps[1:]))
    if forming:
        audit.record(session, actor=actor, role=Role.WORKING_GROUP, action="working_group.formed",
                     plan=plan, summary={"members": members, "contact_point": contact_point})  # fmt: skip
    if decision is None:
        return record
    if decision == WorkingGroupDecision.CLEARED:
        plan.cleared_hash = plan.content_hash
    audit.record(session, actor=actor, role=Role.WORKING_GROUP, action="working_group.decided",
                 plan=plan, summary={"decision": decision, "findings": findings})  # fmt: skip
    if decision == WorkingGroupDecision.REVISE:
        record_reasons(session, plan, [findings.strip()], record=record)
        plan_event.send(plan, session=session, kind="plan_returned", roles=[Role.ENTERPRISE],
                        payload={"reasons": findings, "by": Role.WORKING_GROUP.value})  # fmt: skip
    announce_ready(session, plan, step, Role.WORKING_GROUP)
    return record
