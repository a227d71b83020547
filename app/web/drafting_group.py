"""The joint working group while a known high-risk firm's plan is drafted (冀人社发〔2018〕38号 §六): the group
reads the draft (the plan page) and records its advice here; the enterprise reads the advice on its drafting
page (`advice_panel`). The rules are the service's (approvals/services/drafting_group.py)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import Length

from app.extensions import db
from app.web import bp
from app.web.form_helpers import show_refusal
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.errors import ApprovalError, NotAllowed
from approvals.i18n import N_
from approvals.models import Plan, Role, User, WorkingGroup
from approvals.rules.text_limits import FIELDS
from approvals.services import plans as plan_service
from approvals.services.drafting_group import advice_of, record_advice
from approvals.services.gate import known_risk_signs
from approvals.services.workflow import STATUS_LABELS


class AdviceForm(FlaskForm):
    advice = TextAreaField(_l("工作组意见或建议"), validators=[Length(max=FIELDS["advice"])],
                           render_kw={"rows": 6, "placeholder": _l("例如：安置渠道、资金筹措、维稳预案等方面的意见")})  # fmt: skip


def advice_panel(plan: Plan) -> dict[str, Any]:
    """What the drafting page shows of the group: why the firm is known high-risk, the group and its advice."""
    records = advice_of(db.session, plan)
    group = db.session.get(WorkingGroup, plan.working_group_id) if plan.working_group_id else None
    return {"signs": known_risk_signs(plan), "group": group, "records": records, "names": _names(records)}


def _names(records: list[Any]) -> dict[int, str]:
    ids = {r.recorded_by_id for r in records}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())


def _refusal(user: User, plan: Plan) -> str | None:
    try:
        policy.check_not_from_enterprise(user, plan)
    except NotAllowed as exc:
        return say(exc.message)
    return None


@bp.route("/plans/<int:plan_id>/working-group/advice", methods=["GET", "POST"])
def working_group_advice(plan_id: int):
    user = web_user()
    form = AdviceForm()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=form.is_submitted())
    policy.require_role(user, plan, Role.WORKING_GROUP, N_("联合工作组参与制定方案"))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            record_advice(db.session, actor=web_actor(), plan=plan, advice=form.advice.data or "")
        except ApprovalError as exc:
            db.session.rollback()
            error, status = show_refusal(form, exc), exc.status
            plan = plan_service.get_plan(db.session, user, plan_id)
        else:
            db.session.commit()
            flash(_("工作组意见已记录，并已通知企业经办人。"), "success")
            return redirect(url_for("web.working_group_advice", plan_id=plan_id))
    elif form.is_submitted():
        status = 422
    return render_template("web/working_group/advice.html", plan=plan, form=form, error=error,
                           panel=advice_panel(plan), refusal=_refusal(user, plan),
                           status_labels=STATUS_LABELS), status  # fmt: skip
