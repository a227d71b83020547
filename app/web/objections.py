"""The objections raised on a plan's public notice: every viewer reads them; the enterprise handles them
受理 → 核实 → 答复 → 办结 and the bureau may reopen a closed one (approvals/services/objections.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.db import utcnow
from approvals.errors import ApprovalError
from approvals.models import OBJECTION_STATUSES, Plan, Role
from approvals.services.objections import STEP_TEXT_MAX, STEPS, objection_views, objections_of, take_step
from approvals.services.public_notice import notice_of


class StepForm(FlaskForm):
    """One handling step: which, and its text (note, findings, reply or reason); the service judges both."""

    step = HiddenField()
    text = TextAreaField(_l("说明"))


@bp.get("/plans/<int:plan_id>/objections")
def plan_objections(plan_id: int):
    user = web_user()
    plan = policy.require_view(user, db.session.get(Plan, plan_id))
    return _render(plan)


@bp.post("/plans/<int:plan_id>/objections/<int:objection_id>/steps")
def objection_step(plan_id: int, objection_id: int):
    user = web_user()
    plan = policy.require_view(user, db.session.get(Plan, plan_id))
    form = StepForm()
    try:
        take_step(db.session, actor=web_actor(), plan=plan, objection_id=objection_id,
                  step=form.step.data or "", text=form.text.data or "")  # fmt: skip
    except ApprovalError as exc:
        db.session.rollback()
        plan = policy.require_view(user, db.session.get(Plan, plan_id))
        return _render(plan, refusal=say(exc.message), failed=(objection_id, form)), exc.status
    db.session.commit()
    label = STEPS[form.step.data or ""].label
    flash(_("异议已%(step)s。", step=_(label)), "success")
    return redirect(url_for("web.plan_objections", plan_id=plan_id, _anchor=f"objection-{objection_id}"))


def _render(plan: Plan, *, refusal: str | None = None, failed: tuple[int, StepForm] | None = None) -> str:
    user = web_user()
    unmasked = policy.may_see_objector(user, plan)
    acts_as = {role for role in (Role.ENTERPRISE, Role.BUREAU) if policy.holds(user, plan, role)}
    page = db.paginate(objections_of(plan.id), page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False, count=True)  # fmt: skip
    objections = list(page.items)
    forms = {}
    for o in objections:
        kept = failed[1] if failed and failed[0] == o.id else None
        forms[o.id] = [(step, kept if kept and kept.step.data == step.key else StepForm(formdata=None, step=step.key))
                       for step in STEPS.values() if step.before == o.status and step.role in acts_as]  # fmt: skip
    return render_template("web/objections.html", plan=plan, page=page, notice=notice_of(db.session, plan),
                           unmasked=unmasked, now=utcnow(), statuses=OBJECTION_STATUSES, steps=STEPS, forms=forms,
                           refusal=refusal, failed_id=failed[0] if failed else None, text_max=STEP_TEXT_MAX,
                           objections=objection_views(db.session, objections, unmasked=unmasked))  # fmt: skip
