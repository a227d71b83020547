"""The enterprise clerk's home section (my plans and what blocks each) and the "new plan" form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice, SelectField, StringField

from app.extensions import db, get_engine
from app.gate_setting import waits_for_notice
from app.inputs import query_int
from app.web import bp
from app.web.form_fields import MaxLength, Problem, Required, attach_details
from app.web.home import dashboard
from app.web.session import web_actor, web_user
from approvals.errors import Invalid, NotAllowed, NotFound
from approvals.i18n import N_, Text
from approvals.models import Enterprise, HumanTask, Plan, ReturnReason, Role, User
from approvals.rules.gate import Condition, gate_conditions
from approvals.rules.issues import Finding
from approvals.services import plans as plan_service
from approvals.services.gate import gate_facts
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons_of, source_of
from approvals.services.workflow import STATUS_LABELS

PLANS_PER_PAGE = 20


class NewPlanForm(FlaskForm):
    title = StringField(_l("方案名称"), validators=[Required(_l("请填写方案名称。")), MaxLength(200)],
                        description=_l("如“××钢铁有限公司化解过剩产能职工安置方案”。"))  # fmt: skip
    enterprise_id = SelectField(_l("企业"), coerce=int)


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    missing: list[Finding]
    unmet: list[Condition]
    waiting: list[HumanTask]
    reasons: list[ReturnReason]  # of a return, open until answered at resubmission


def _enterprises(user: User) -> list[Enterprise]:
    ids = [g.enterprise_id for g in user.grants_for(Role.ENTERPRISE)]
    return list(db.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.id)))


@bp.route("/plans/new", methods=["GET", "POST"])
def new_plan():
    user = web_user()
    enterprises = _enterprises(user)
    if not enterprises:
        raise NotAllowed("role_required", Text(N_("只有企业经办人可以起草安置方案。")))
    form = NewPlanForm()
    form.enterprise_id.choices = [SelectChoice(e.id, e.name) for e in enterprises]
    if request.method == "GET" and not form.title.data:
        form.title.data = _("%(name)s化解过剩产能职工安置方案", name=enterprises[0].name)
    problems: list[Problem] = []
    if form.validate_on_submit():
        try:
            plan = plan_service.create_plan(
                db.session, get_engine(), actor=web_actor(), title=form.title.data or "",
                enterprise_id=form.enterprise_id.data,
            )  # fmt: skip
        except (Invalid, NotFound) as exc:
            db.session.rollback()
            problems = attach_details(form, exc)
        else:
            db.session.commit()
            flash(_("已创建方案“%(title)s”，请逐部分填写。", title=plan.title), "success")
            return redirect(url_for("web.draft_plan", plan_id=plan.id))
    status = 422 if request.method == "POST" else 200
    return render_template("web/forms/new_plan.html", form=form, problems=problems), status


@dashboard(Role.ENTERPRISE)
def enterprise_home(user: User) -> dict[str, Any]:
    enterprise_ids = [g.enterprise_id for g in user.grants_for(Role.ENTERPRISE)]
    query = select(Plan).where(Plan.enterprise_id.in_(enterprise_ids)).order_by(Plan.updated_at.desc(), Plan.id.desc())
    page = db.paginate(query, page=query_int("page", 1), per_page=PLANS_PER_PAGE, error_out=False)
    plans = list(page.items)
    waiting: dict[int, list[HumanTask]] = {}
    if plans:
        open_tasks = db.session.scalars(
            select(HumanTask).where(HumanTask.plan_id.in_([p.id for p in plans]), HumanTask.completed_at.is_(None))
        )
        for task in open_tasks:
            waiting.setdefault(task.plan_id, []).append(task)
    reasons = open_reasons_of(db.session, [p.id for p in plans])
    rows = []
    for plan in plans:
        facts = gate_facts(
            plan, waits_for_notice=waits_for_notice()
        )  # the missing items once, for the checklist and the gate alike
        unmet = [c for c in gate_conditions(facts) if not c.met]
        rows.append(PlanRow(plan, facts.missing, unmet, waiting.get(plan.id, []), reasons.get(plan.id, [])))
    return {"rows": rows, "page": page, "status_labels": STATUS_LABELS, "source_labels": SOURCE_LABELS,
            "source_of": source_of}  # fmt: skip
