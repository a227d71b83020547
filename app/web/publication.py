"""Publishing an approved plan and starting its execution, with the gate's checklist in view.

Publishing is `services.publication.publish_plan` (the publish_plan task); starting execution is
`start_execution`, which refuses unless every precondition of the gate holds and records the
refusal in the trail — so a refusal is committed too, and shown with each unmet condition.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db, get_engine
from app.gate_setting import waits_for_notice
from app.web import bp
from app.web.confirmation import confirmed
from app.web.drafting import enterprise_plan
from app.web.i18n import say
from app.web.session import web_actor
from app.web.tasks import task_form
from approvals.errors import Conflict
from approvals.i18n import N_
from approvals.models import HumanTask, Plan
from approvals.process import Task
from approvals.rules.gate import Condition
from approvals.services.gate import plan_gate
from approvals.services.public_notice import notice_of
from approvals.services.publication import publish_plan, start_execution
from approvals.services.workflow import STATUS_LABELS


@bp.route("/plans/<int:plan_id>/publication", methods=["GET", "POST"])
@task_form(Task.PUBLISH_PLAN)
def publication(plan_id: int):
    posted = request.method == "POST"
    plan = enterprise_plan(plan_id, N_("公布方案"), for_update=posted)
    if not posted:
        return _render(plan)
    if not confirmed():
        return _render(plan, confirm_refused="publish"), 422
    try:
        publish_plan(db.session, get_engine(), actor=web_actor(), plan=plan,
                     notice_days=current_app.config["PUBLIC_NOTICE_DAYS"])  # fmt: skip
    except Conflict as exc:
        db.session.rollback()
        return _render(plan, refusal=say(exc.message), unmet=_unmet(plan)), exc.status
    db.session.commit()
    flash(_("方案已公布（第 %(n)s 版）。各项前提均满足后即可启动实施。", n=plan.revision_number), "success")
    return redirect(url_for("web.publication", plan_id=plan_id))


@bp.post("/plans/<int:plan_id>/execution")
def start_plan_execution(plan_id: int):
    plan = enterprise_plan(plan_id, N_("启动方案实施"), for_update=True)
    if not confirmed():
        return _render(plan, confirm_refused="execution"), 422
    try:
        unmet = start_execution(db.session, actor=web_actor(), plan=plan, waits_for_notice=waits_for_notice())
    except Conflict as exc:
        db.session.rollback()
        return _render(plan, refusal=say(exc.message), unmet=[]), exc.status
    db.session.commit()  # a refusal is recorded in the trail too
    if unmet:
        return _render(plan, refusal=_("不得实施：以下 %(n)s 项前提尚未满足。", n=len(unmet)), unmet=unmet), 409
    flash(_("已启动实施。"), "success")
    return redirect(url_for("web.publication", plan_id=plan_id))


def _unmet(plan: Plan) -> list[Condition]:
    return [c for c in plan_gate(plan, waits_for_notice=waits_for_notice()) if not c.met]


# The gate's conditions that can only hold once the plan is published: publishing waits for all the others.
AFTER_PUBLISHING = ("published", "notice_window_over", "objections_closed")


def _blocked(unmet: list[Condition]) -> str:
    """Why an action is not offered: the unmet conditions by name, as the checklist beside it shows them."""
    return _("以下前提尚未满足：%(conditions)s。详见“实施前提”各项说明。",
             conditions=_("、").join(_(c.label) for c in unmet))  # fmt: skip


def _render(plan: Plan, *, refusal: str | None = None, unmet: list[Condition] | None = None,
            confirm_refused: str = "") -> str:  # fmt: skip
    publish_open = db.session.scalar(
        select(HumanTask.id).where(
            HumanTask.plan_id == plan.id, HumanTask.bpmn_id == Task.PUBLISH_PLAN, HumanTask.completed_at.is_(None)
        )  # fmt: skip
    )
    gate = plan_gate(plan, waits_for_notice=waits_for_notice())
    missing = [c for c in gate if not c.met]
    before = [c for c in missing if c.key not in AFTER_PUBLISHING]
    publish_blocked = (
        ""
        if publish_open is not None
        else (_blocked(before) if before else _("方案尚未到公布环节：须经职工代表大会通过并由人社部门审核同意。"))
    )
    return render_template(
        "web/forms/publication.html", plan=plan, gate=gate, refusal=refusal, unmet=unmet or [],
        status_labels=STATUS_LABELS, notice=notice_of(db.session, plan), confirm_refused=confirm_refused,
        publish_blocked=publish_blocked, execution_blocked=_blocked(missing) if missing else "",
    )  # fmt: skip
