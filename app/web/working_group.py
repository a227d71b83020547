"""The joint working group (联合工作组): the plans assigned to my group, forming the group and
recording its findings and decision — both in one request when the group decides at once."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import and_, case, select
from sqlalchemy.orm import aliased, contains_eager
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.extensions import db, get_engine
from app.inputs import query_int
from app.web import bp
from app.web.confirmation import confirmed
from app.web.form_helpers import choices, show_refusal
from app.web.home import dashboard
from app.web.i18n import say
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.errors import ApprovalError, NotAllowed
from approvals.i18n import N_
from approvals.models import Enterprise, HumanTask, Plan, Role, User, WorkingGroup, WorkingGroupRecord
from approvals.process import Task, WorkingGroupDecision
from approvals.services import plans as plan_service
from approvals.services.gate import known_risk_signs
from approvals.services.workflow import STATUS_LABELS, open_tasks
from approvals.services.working_group import DEPARTMENTS, needed_departments, record_working_group

WG_TASKS = (Task.FORM_WORKING_GROUP, Task.RECORD_FINDINGS)
DECISION_LABELS = {WorkingGroupDecision.CLEARED: _l("同意公布实施"), WorkingGroupDecision.REVISE: _l("退回修改")}


# -- home section ---------------------------------------------------------------------------------


@dashboard(Role.WORKING_GROUP)
def working_group_home(user: User) -> dict[str, Any]:
    """The plans assigned to the user's groups: those waiting for the group first."""
    task = aliased(HumanTask)
    query = (
        select(Plan)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .outerjoin(task, and_(task.plan_id == Plan.id, task.bpmn_id.in_(WG_TASKS), task.completed_at.is_(None)))
        .where(policy.visible_plans(user, roles=(Role.WORKING_GROUP,)))
        .options(contains_eager(Plan.enterprise))
        .order_by(case((task.id.is_not(None), 0), else_=1), task.ready_at, Plan.updated_at.desc(), Plan.id.desc())
    )
    page = db.paginate(query, page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)  # fmt: skip
    waiting = dict(
        db.session.execute(
            select(HumanTask.plan_id, HumanTask.bpmn_id).where(
                HumanTask.plan_id.in_([p.id for p in page.items]),
                HumanTask.bpmn_id.in_(WG_TASKS),
                HumanTask.completed_at.is_(None),
            )
        )
        .tuples()
        .all()
    )
    return {"page": page, "waiting": waiting, "status_labels": STATUS_LABELS, "known_risks": known_risk_signs}


# -- the group's form -----------------------------------------------------------------------------


class MemberForm(Form):
    name = StringField(_l("姓名"), validators=[Length(max=50)])
    department = SelectField(_l("单位类别"), choices=choices([("", "—"), *((d, _l(d)) for d in DEPARTMENTS)]))
    organisation = StringField(_l("所在单位"), validators=[Length(max=200)])

    def is_blank(self) -> bool:
        return not (self.name.data or "").strip() and not (self.organisation.data or "").strip()

    def as_member(self) -> dict[str, str]:
        return {"name": (self.name.data or "").strip(), "department": self.department.data or "",
                "organisation": (self.organisation.data or "").strip()}  # fmt: skip


class WorkingGroupForm(FlaskForm):
    members = FieldList(FormField(MemberForm), min_entries=0, max_entries=50)
    add_member = SubmitField(_l("添加成员"))
    contact_point = StringField(_l("联系点"), validators=[Length(max=200)],
                                render_kw={"placeholder": _l("例如：企业人力资源部，联系人及电话")})  # fmt: skip
    findings = TextAreaField(_l("工作组意见"), validators=[Length(max=4000)], render_kw={"rows": 4})
    decision = RadioField(_l("工作组结论"), choices=choices(DECISION_LABELS.items()), validators=[Optional()])

    def filled_members(self) -> list[MemberForm]:
        return [entry.form for entry in self.members if not entry.form.is_blank()]


MEMBER_FIELD = re.compile(r"members\[(\d+)\]\.(\w+)")


def _locator(form: WorkingGroupForm) -> Any:
    """Where the service's problems belong: `members[n].name` is the n-th member the user filled in."""
    filled = form.filled_members()

    def locate(name: str) -> Field | None:
        found = MEMBER_FIELD.fullmatch(name)
        if found and 0 < int(found.group(1)) <= len(filled):
            return filled[int(found.group(1)) - 1]._fields.get(found.group(2))
        return form._fields.get(name) if name in ("contact_point", "findings", "decision") else None

    return locate


def _prefill(form: WorkingGroupForm, plan: Plan, earlier: WorkingGroupRecord | None) -> None:
    """The members, contact point and findings of the group's last visit to this plan (a plan it sent back
    comes round again); at a first visit one row per department the group needs, the group company only
    where there is one. Never the decision: the group decides again on the revised plan."""
    if earlier is None:
        for department in needed_departments(plan):
            form.members.append_entry({"department": department})
        return
    for member in earlier.members or []:
        form.members.append_entry({key: member.get(key) or "" for key in ("name", "department", "organisation")})
    form.contact_point.data = earlier.contact_point
    form.findings.data = earlier.findings or ""


def _records(plan: Plan) -> list[WorkingGroupRecord]:
    """The group's records of the plan, one per visit, the first first."""
    query = select(WorkingGroupRecord).where(WorkingGroupRecord.plan_id == plan.id).order_by(WorkingGroupRecord.id)
    return list(db.session.scalars(query))


def _refusal(user: User, plan: Plan) -> str | None:
    try:
        policy.check_not_from_enterprise(user, plan)
    except NotAllowed as exc:
        return say(exc.message)
    return None


@bp.route("/plans/<int:plan_id>/working-group", methods=["GET", "POST"])
@task_form(Task.RECORD_FINDINGS)
@task_form(Task.FORM_WORKING_GROUP)
def working_group(plan_id: int):
    user = web_user()
    form = WorkingGroupForm()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=form.is_submitted())
    policy.require_role(user, plan, Role.WORKING_GROUP, N_("联合工作组办理"))
    step = next((t.bpmn_id for t in open_tasks(db.session, plan) if t.bpmn_id in WG_TASKS), None)
    records = _records(plan)
    # This visit's record exists once the group is formed; the one before it is the last visit's.
    earlier = (records[-1:] if step == Task.FORM_WORKING_GROUP else records[-2:-1]) or [None]
    error, status = None, 200
    # Forming the group may wait for its decision; the decision itself cannot be undone and asks first.
    confirm_refused = form.is_submitted() and not form.add_member.data and bool(form.decision.data) and not confirmed()
    if not form.is_submitted():
        if step == Task.FORM_WORKING_GROUP:
            _prefill(form, plan, earlier[0])
        elif step == Task.RECORD_FINDINGS and earlier[0] is not None:
            form.findings.data = earlier[0].findings or ""
    elif form.add_member.data:
        form.members.append_entry()  # without JavaScript: the page comes back with one more row
    elif form.validate() and not confirm_refused:
        forming = step == Task.FORM_WORKING_GROUP
        members = [m.as_member() for m in form.filled_members()] if forming else None
        try:
            record_working_group(db.session, get_engine(), actor=web_actor(), plan=plan, members=members,
                                 contact_point=form.contact_point.data or "", findings=form.findings.data or "",
                                 decision=form.decision.data or None)  # fmt: skip
        except ApprovalError as exc:
            db.session.rollback()
            error, status = show_refusal(form, exc, _locator(form)), exc.status
            plan = plan_service.get_plan(db.session, user, plan_id)
        else:
            message = _outcome(plan, forming, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("web.home"))
    else:
        status = 422
    group = db.session.get(WorkingGroup, plan.working_group_id) if plan.working_group_id else None
    return render_template("web/working_group/form.html", plan=plan, form=form, step=step, error=error,
                           record=records[-1] if records and step != Task.FORM_WORKING_GROUP else None, group=group,
                           earlier=earlier[0], visit=len(records) + (step == Task.FORM_WORKING_GROUP),
                           refusal=_refusal(user, plan), status_labels=STATUS_LABELS,
                           decision_labels=DECISION_LABELS, confirm_refused=confirm_refused,
                           needed=[(d, _(d)) for d in needed_departments(plan)]), status  # fmt: skip


def _outcome(plan: Plan, forming: bool, form: WorkingGroupForm) -> str:
    parts = []
    if forming:
        parts.append(_("联合工作组已组建（%(count)s名成员，联系点：%(contact)s）。",
                       count=len(form.filled_members()), contact=(form.contact_point.data or "").strip()))  # fmt: skip
    if form.decision.data == WorkingGroupDecision.CLEARED:
        parts.append(_("工作组同意公布实施，方案转企业公布。"))
    elif form.decision.data == WorkingGroupDecision.REVISE:
        parts.append(_("工作组决定退回修改，方案已退回企业起草，意见已通知企业经办人。"))
    else:
        parts.append(_("请在协助企业完善方案后记录工作组意见和结论。"))
    return "".join(parts)
