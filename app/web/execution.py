"""The execution ledger (实施台账): each worker in scope with what is still open, filtered by open or overdue;
what the workers are short of, item by item (the bureau's "who is short"); and closing the plan (实施完毕).

Anyone who may see the plan reads the ledger; those who may not see personal data (approvals/privacy.py:
the working group, the supervisor, the administrator) see ID numbers masked and open no worker's record.
Only the plan's enterprise records and closes, and starts an amendment of the published plan (方案变更).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db, get_engine
from app.web import bp
from app.web.confirmation import confirmed
from app.web.drafting import enterprise_plan
from app.web.i18n import say
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.errors import Conflict, Invalid
from approvals.execution.amendment import AMENDABLE, start_amendment
from approvals.execution.bulk import BulkReport
from approvals.execution.close import close_plan
from approvals.execution.closing import Blocker
from approvals.execution.ledger import FILTERS, ledger_of
from approvals.execution.open_items import ITEM_LABELS
from approvals.execution.workbook import TEMPLATE_HEADERS
from approvals.execution_services.households import households
from approvals.execution_services.services import service_shortfalls
from approvals.i18n import N_
from approvals.models import Plan, Role
from approvals.paging import Page
from approvals.process import Status, Task
from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import mask_id
from approvals.services import plans as plan_service
from approvals.services.workflow import STATUS_LABELS

PER_PAGE = 100
FILTER_LABELS = {"all": N_("全部"), "open": N_("未办结"), "overdue": N_("有逾期"), "done": N_("已全部办结")}


@bp.get("/plans/<int:plan_id>/execution/ledger")
@task_form(Task.CARRY_OUT_PLAN)
def execution_ledger(plan_id: int):
    plan = plan_service.get_plan(db.session, web_user(), plan_id)
    return render_ledger(plan)


@bp.post("/plans/<int:plan_id>/execution/close")
def close_execution(plan_id: int):
    plan = enterprise_plan(plan_id, N_("确认实施完毕"), for_update=True)
    if not confirmed():
        return render_ledger(plan, confirm_refused=True), 422
    try:
        blockers = close_plan(db.session, get_engine(), actor=web_actor(), plan=plan)
    except Conflict as exc:
        db.session.rollback()
        flash(say(exc.message), "danger")
        return redirect(url_for("web.execution_ledger", plan_id=plan_id))
    db.session.commit()  # a refusal is recorded in the trail too
    if blockers:
        return render_ledger(plan, blockers=blockers), 409
    flash(_("方案已实施完毕。"), "success")
    return redirect(url_for("web.execution_ledger", plan_id=plan_id))


@bp.post("/plans/<int:plan_id>/execution/amend")
def amend_plan(plan_id: int):
    plan = enterprise_plan(plan_id, N_("变更已公布的方案"), for_update=True)
    reason = request.form.get("reason", "")
    if not confirmed():
        return render_ledger(plan, amend_confirm_refused=True, amend_reason=reason), 422
    try:
        start_amendment(db.session, get_engine(), actor=web_actor(), plan=plan, reason=reason)
    except Invalid as exc:
        db.session.rollback()
        return render_ledger(plan, amend_problem=say(exc.message), amend_reason=reason), 422
    except Conflict as exc:
        db.session.rollback()
        flash(say(exc.message), "danger")
        return redirect(url_for("web.execution_ledger", plan_id=plan_id))
    db.session.commit()
    flash(
        _("方案已退回起草，形成新版本后须重新经职工代表大会表决和人社部门审核；实施登记暂停，已登记的情况保留。"),
        "success",
    )
    return redirect(url_for("web.plan", plan_id=plan_id))


def render_ledger(plan: Plan, *, blockers: list[Blocker] | None = None, confirm_refused: bool = False,
                  bulk: BulkReport | None = None, upload_problem: str = "", amend_confirm_refused: bool = False,
                  amend_problem: str = "", amend_reason: str = "") -> str:  # fmt: skip
    """The ledger page, with a refused close, a refused confirmation or a bulk upload's report when given."""
    user = web_user()
    which = request.args.get("show", "all")
    which = which if which in FILTERS else "all"
    ledger = ledger_of(db.session, plan)
    page = Page.of(ledger.filtered(which), request.args.get("page", 1, type=int), PER_PAGE)
    personal = policy.sees_personal_data(user, plan)
    return render_template(
        "web/execution/ledger.html", plan=plan, ledger=ledger, page=page, which=which, filters=FILTERS,
        filter_labels=FILTER_LABELS, item_labels=ITEM_LABELS, channels=CHANNELS, status_labels=STATUS_LABELS,
        personal=personal, shown_id=(lambda number: number) if personal else mask_id,
        clerk=policy.holds(user, plan, Role.ENTERPRISE) and plan.status == Status.EXECUTING,
        blockers=blockers or [], confirm_refused=confirm_refused, bulk=bulk, template_headers=TEMPLATE_HEADERS, upload_problem=upload_problem,
        amender=policy.holds(user, plan, Role.ENTERPRISE) and plan.status in AMENDABLE and plan.closed_at is None,
        amend_confirm_refused=amend_confirm_refused, amend_problem=amend_problem, amend_reason=amend_reason,
        services_short=len(service_shortfalls(db.session, plan.id)),
        zero_employment=sum(1 for h in households(db.session, plan) if h.zero_employment),
    )  # fmt: skip
