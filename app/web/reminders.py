"""The supervisor's reminder (催办): a message to whoever holds a plan's open tasks, from the overdue
list of the supervisor's home page or from its own page, through `services.supervisor_reminder.remind`
(audited, and notified in the same transaction). A plan with nothing open answers the service's 409
message on the form, the message typed kept."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField

from app.extensions import db
from app.web import bp
from app.web.form_fields import attach_details
from app.web.session import safe_next, web_actor, web_user
from approvals import policy
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_
from approvals.models import ROLE_LABELS, AuditEvent, Plan, Role
from approvals.services import plans as plan_service
from approvals.services.supervisor_reminder import MAX_MESSAGE, remind
from approvals.services.workflow import STATUS_LABELS, open_tasks

EARLIER_SHOWN = 10


class ReminderForm(FlaskForm):
    message = TextAreaField(_l("催办内容"), render_kw={"rows": 3, "maxlength": MAX_MESSAGE},
                            description=_l("发给方案待办事项的办理人，记入审计记录；不超过 %(n)s 个字符。", n=MAX_MESSAGE))  # fmt: skip
    next = HiddenField()


def default_message(plan: Plan) -> str:
    return _("请抓紧办理“%(title)s”的待办事项，并及时反馈办理情况。", title=plan.title)


def _supervised(plan_id: int, *, for_update: bool = False) -> Plan:
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=for_update)
    policy.require_role(user, plan, Role.SUPERVISOR, N_("催办"))
    return plan


@bp.route("/plans/<int:plan_id>/remind", methods=["GET", "POST"])
def remind_plan(plan_id: int):
    posted = request.method == "POST"
    plan = _supervised(plan_id, for_update=posted)
    if not posted:
        form = ReminderForm(formdata=None, message=default_message(plan), next=request.args.get("next", ""))
        return _render(plan, form, [])
    form = ReminderForm()
    try:
        sent = remind(db.session, actor=web_actor(), plan=plan, message=form.message.data or "")
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        return _render(plan, form, attach_details(form, exc)), exc.status
    db.session.commit()
    flash(_("已向%(roles)s催办“%(title)s”。", roles=_("、").join(_(ROLE_LABELS[Role(r)]) for r in sent.roles),
            title=plan.title), "success")  # fmt: skip
    return redirect(safe_next(form.next.data, url_for("web.remind_plan", plan_id=plan_id)))


def _render(plan: Plan, form: ReminderForm, problems: list[str]) -> str:
    earlier = db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action == "plan.reminded")
        .order_by(AuditEvent.seq.desc()).limit(EARLIER_SHOWN)
    ).all()  # fmt: skip
    tasks = [t for t in open_tasks(db.session, plan) if t.lane]
    return render_template("web/reminder.html", plan=plan, form=form, problems=problems, tasks=tasks,
                           earlier=earlier, status_labels=STATUS_LABELS)  # fmt: skip
