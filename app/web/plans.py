"""The plan page: where one plan stands, read-only, in tabs (content, roster, warnings, the gate,
revisions, the process diagram, the trail), and the BPMN file its diagram is drawn from.

`?tab=` chooses the tab; the server reads and renders the header and that tab only, so a request
costs a few queries and one tab's markup whatever the size of the roster or the trail. The roster
pages in SQL.
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db, get_engine
from app.gate_setting import waits_for_notice
from app.inputs import query_int
from app.web import bp
from app.web.audit_summary import summary_parts
from app.web.evidence_panel import source_files
from app.web.i18n import say
from app.web.plan_content import (
    amount,
    changed_value,
    path_kind,
    path_label,
    readable,
    roster_field_label,
    roster_value,
    sections,
)
from app.web.plan_roster import roster_tab
from app.web.session import web_user
from app.web.tasks import task_url
from approvals import policy
from approvals.audit import ACTION_LABELS
from approvals.diagram import with_labels
from approvals.errors import NotFound
from approvals.i18n import N_
from approvals.models import INDUSTRIES, ROLE_LABELS, AuditEvent, Plan, PlanRevision, Role, User
from approvals.privacy import PERSONAL_FIELDS
from approvals.process import RiskLevel, Status
from approvals.rules.content import FUNDING_ITEMS, SECTIONS, as_dict
from approvals.rules.gate import gate_conditions
from approvals.rules.parameters import parameter_lines
from approvals.rules.resident_id import mask_id, mask_ids_in_text
from approvals.rules.roster import RosterSummary
from approvals.rules.severance import applied_rules, plan_terms
from approvals.services.gate import gate_facts
from approvals.services.parameters import plan_parameters
from approvals.services.plans import register_flags
from approvals.services.process_diagram import plan_diagram, process_xml
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons, source_of
from approvals.services.revisions import compare_revisions
from approvals.services.roster import reference_date
from approvals.services.workflow import STATUS_LABELS, open_tasks

TABS = {
    "content": N_("方案内容"),
    "roster": N_("职工名单"),
    "warnings": N_("风险提示"),
    "gate": N_("实施条件"),
    "revisions": N_("提交版本"),
    "diagram": N_("流程图"),
    "timeline": N_("办理记录"),
}
RISK_LABELS = {RiskLevel.HIGH: N_("高风险"), RiskLevel.NORMAL: N_("一般风险")}
TIMELINE_LIMIT = 500  # the latest events; the whole trail is in the supervisor's audit view


bp.add_app_template_filter(amount, "amount")
bp.add_app_template_filter(readable, "readable")
for _shown in (path_label, path_kind, changed_value):  # the revision diff, on the plan page and the review page
    bp.add_app_template_global(_shown)


def _visible_plan(plan_id: int) -> Plan:
    return policy.require_view(web_user(), db.session.get(Plan, plan_id))


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    """The header (facts, open tasks) and the tab asked for; only that tab's data is read."""
    user = web_user()
    found = _visible_plan(plan_id)
    tab = request.args.get("tab", "content")
    tab = tab if tab in TABS else "content"
    facts = gate_facts(found, waits_for_notice=waits_for_notice())
    gate = gate_conditions(facts)
    sees = policy.sees_personal_data(user, found)
    tasks = _open_tasks(found)
    context = {
        "plan": found,
        "tabs": TABS,
        "tab": tab,
        "tasks": tasks,
        "gate": gate,
        "gate_labels": {c.key: c.label for c in gate},
        "known_risks": facts.known_risks,
        "missing": facts.missing,
        "funding": facts.funding,
        "summary": RosterSummary.from_json(found.roster_summary),
        "sees_personal_data": sees,
        "may_remind": bool(tasks) and policy.holds(user, found, Role.SUPERVISOR),
        # 冀人社发〔2018〕38号 §六: the group helps draw up a known high-risk firm's plan (app/web/drafting_group.py)
        "may_advise": found.status == Status.DRAFTING and policy.holds(user, found, Role.WORKING_GROUP),
        "show_id": (lambda number: number) if sees else mask_id,
        "status_labels": STATUS_LABELS,
        "risk_labels": RISK_LABELS,
        "section_labels": SECTIONS,
        "industries": INDUSTRIES,
        # A returned plan's open reasons, with a way to answer them for its clerk (services/return_reasons.py)
        "reasons": open_reasons(db.session, found),
        "may_answer": found.status == Status.DRAFTING and policy.holds(user, found, Role.ENTERPRISE),
        "source_labels": SOURCE_LABELS,
        "source_of": source_of,
        "mask_text": None if sees else mask_ids_in_text,
    }
    context.update(TAB_CONTEXT[tab](found, sees))
    return render_template("web/plan.html", **context)


def _content_tab(plan: Plan, _sees: bool) -> dict[str, Any]:
    shown = plan_parameters(db.session, plan, reference_date(plan))
    method = plan_terms(as_dict(plan.content.get("severance")))[1]
    return {"sections": sections(plan.content, register_flags(plan.enterprise)), "funding_items": FUNDING_ITEMS, "evidence": source_files(plan),
            "severance_rules": applied_rules(method), "parameters_day": shown.day, "parameters_kept": shown.kept,
            "parameter_lines": parameter_lines(shown.parameters, shown.region, _, shown.others)}  # fmt: skip


def _roster_tab(plan: Plan, sees: bool) -> dict[str, Any]:
    return {"roster": roster_tab(plan, request.args, sees, web_user())}


def _warnings_tab(plan: Plan, _sees: bool) -> dict[str, Any]:
    return {"counts": RosterSummary.from_json(plan.roster_summary) or RosterSummary()}


def _gate_tab(_plan: Plan, _sees: bool) -> dict[str, Any]:
    return {}


def _revisions_tab(plan: Plan, _sees: bool) -> dict[str, Any]:
    return {"revisions": _revisions(plan), "diff": _diff(plan),
            "roster_field_label": roster_field_label, "roster_value": roster_value,
            "personal_fields": PERSONAL_FIELDS}  # fmt: skip


def _diagram_tab(plan: Plan, _sees: bool) -> dict[str, Any]:
    return {"diagram": _diagram(plan)}


def _timeline_tab(plan: Plan, _sees: bool) -> dict[str, Any]:
    return {"events": _timeline(plan), "action_labels": ACTION_LABELS, "role_label": role_label,
            "summary_parts": summary_parts, "timeline_limit": TIMELINE_LIMIT}  # fmt: skip


TAB_CONTEXT = {
    "content": _content_tab,
    "roster": _roster_tab,
    "warnings": _warnings_tab,
    "gate": _gate_tab,
    "revisions": _revisions_tab,
    "diagram": _diagram_tab,
    "timeline": _timeline_tab,
}


@bp.get("/plans/<int:plan_id>/process/<process_id>.bpmn")
def plan_process(plan_id: int, process_id: str):
    """The BPMN file of the process version the plan runs on (the diagram's source)."""
    xml = process_xml(db.session, get_engine(), _visible_plan(plan_id), process_id)
    xml = with_labels(xml, {role: _(label) for role, label in ROLE_LABELS.items()}, _)  # lanes are roles
    # The labels are in the page's language: the URL names it (`lang`), so a cached copy is not shown in another.
    return Response(xml, mimetype="application/xml", headers={"Cache-Control": "private, max-age=3600"})


def _open_tasks(plan: Plan) -> list[dict[str, Any]]:
    """The plan's open tasks; a link to the task's form where the user holds the task's role."""
    user = web_user()
    out = []
    for task in sorted(open_tasks(db.session, plan), key=lambda t: t.id):
        role = Role(task.lane) if task.lane in set(Role) else None
        allowed = role is not None and policy.holds(user, plan, role)
        out.append({"task": task, "role": role, "url": task_url(task.bpmn_id, plan.id) if allowed else None,
                    "allowed": allowed})  # fmt: skip
    return out


def _revisions(plan: Plan) -> list[Any]:
    """The submitted revisions, newest first, without their content and roster snapshots."""
    return list(
        db.session.execute(
            select(PlanRevision.number, PlanRevision.content_hash, PlanRevision.submitted_at, User.display_name)
            .join(User, PlanRevision.submitted_by_id == User.id)
            .where(PlanRevision.plan_id == plan.id)
            .order_by(PlanRevision.number.desc())
        )
    )


def _diff(plan: Plan) -> dict[str, Any] | None:
    """The differences between the two revisions asked for (?from=&to=), or None."""
    before, after = query_int("from", None), query_int("to", None)
    if before is None or after is None:
        return None
    try:
        return compare_revisions(db.session, web_user(), plan, before, after)
    except NotFound as exc:
        return {"error": say(exc.message), "before": {"number": before}, "after": {"number": after}}


def _diagram(plan: Plan) -> dict[str, Any]:
    try:
        diagram = plan_diagram(db.session, get_engine(), plan)
    except NotFound as exc:
        return {"error": say(exc.message), "shown": []}
    shown = [(pid, diagram.marks[pid].as_dict()) for pid in diagram.shown]
    names = {pid: diagram.processes[pid].name or pid for pid in diagram.shown}
    return {"shown": shown, "names": names}


def _timeline(plan: Plan) -> list[Any]:
    """The plan's audit events, newest first, with the display name of whoever acted."""
    return list(
        db.session.execute(
            select(AuditEvent, User.display_name)
            .outerjoin(User, AuditEvent.actor_id == User.id)
            .where(AuditEvent.plan_id == plan.id)
            .order_by(AuditEvent.seq.desc())
            .limit(TIMELINE_LIMIT)
        )
    )


def role_label(role: str) -> str:
    return ROLE_LABELS[Role(role)] if role in set(Role) else N_("系统")
