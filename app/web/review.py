"""The bureau review (人社部门审核): the checklist, the decision with its reasons, and the roster
verifications (名单核查) the reviewer records beside it.

Every rule lives in the services (`review_plan`, `record_verification`) and the checklist and the
composition of a return's reasons in approvals/queries/review.py, which the API shares; this module gathers
them into one page.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.extensions import db, get_engine
from app.gate_setting import waits_for_notice
from app.web import bp
from app.web.confirmation import confirmed
from app.web.evidence_panel import source_files
from app.web.form_helpers import choices, show_refusal
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.db import utcnow
from approvals.errors import ApprovalError
from approvals.execution.amendment import open_amendment
from approvals.i18n import N_
from approvals.models import Plan, Role, User, WorkingGroup
from approvals.process import ReviewDecision, RiskLevel, Task
from approvals.queries.review import ReviewFacts, compose_reasons, review_facts
from approvals.queries.review_deadlines import review_deadlines
from approvals.rules.congress import BODY_TYPES, RESULT_LABELS, VOTING_METHODS, members_label
from approvals.rules.funding import funding_status
from approvals.services import plans as plan_service
from approvals.services.congress import stored_outcome
from approvals.services.congress_documents import KINDS, documents_of_vote
from approvals.services.return_reasons import SOURCE_LABELS, answered_in, source_of
from approvals.services.review import review_plan
from approvals.services.revisions import compare_revisions
from approvals.services.workflow import STATUS_LABELS

# The risk decision table's inputs (workflows/risk.dmn), in its order, with its labels.
RISK_INPUT_LABELS = {
    "zombie": N_("拟出清的僵尸企业"),
    "open_disputes": N_("未结信访及集体劳动争议（件）"),
    "arrears_amount": N_("拖欠工资及社会保险费（元）"),
    "workers_to_place": N_("需安置职工人数"),
    "share_to_place": N_("需安置职工占在册职工比例"),
    "approval_ratio": N_("职代会赞成率（赞成票/全体代表人数）"),
    "funding_gap": N_("安置资金缺口（元）"),
    "mass_layoff": N_("经济性裁员（劳动合同法第四十一条）"),
}


class ReviewForm(FlaskForm):
    decision = RadioField(_l("审核结论"), choices=choices([(ReviewDecision.APPROVE, _l("同意")), (ReviewDecision.RETURN, _l("退回修改"))]),
                          validators=[InputRequired(_l("请选择审核结论。"))])  # fmt: skip
    reason_items = SelectMultipleField(_l("退回理由（勾选检查项）"), choices=[])
    reasons = TextAreaField(_l("审核意见或其他理由"), validators=[Length(max=2000)])

    def validate_reasons(self, field: TextAreaField) -> None:
        if (
            self.decision.data == ReviewDecision.RETURN
            and not self.reason_items.data
            and not (field.data or "").strip()
        ):
            raise ValidationError(_("退回方案须写明理由：请勾选不符合要求的检查项，或填写其他理由。"))


def _facts(plan: Plan, user: User) -> ReviewFacts:
    return review_facts(db.session, plan, user, waits_for_notice=waits_for_notice(),
                        min_verifications=current_app.config["MIN_ROSTER_VERIFICATIONS"])  # fmt: skip


def _revision_diff(plan: Plan) -> dict[str, Any] | None:
    """What changed since the previous submitted revision (a resubmission after a return); for an amendment of a
    published plan, since the published revision, with the amendment's number and reason."""
    amendment = open_amendment(db.session, plan)
    if amendment is not None and amendment.from_revision < plan.revision_number:
        diff = compare_revisions(db.session, web_user(), plan, amendment.from_revision, plan.revision_number)
        return {**diff, "amendment": {"number": amendment.number, "reason": amendment.reason}}
    if plan.revision_number < 2:
        return None
    return compare_revisions(db.session, web_user(), plan, plan.revision_number - 1, plan.revision_number)


def _reviewable(user: User, plan_id: int, lock: bool = False) -> Plan:
    """The plan if the user may see it (else 404) and reviews in its region (else 403)."""
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=lock)
    policy.require_role(user, plan, Role.BUREAU, N_("审核方案"))
    return plan


@bp.route("/plans/<int:plan_id>/review", methods=["GET", "POST"])
@task_form(Task.BUREAU_REVIEW)
def review(plan_id: int):
    user = web_user()
    form = ReviewForm()
    plan = _reviewable(user, plan_id, lock=form.is_submitted())
    facts = _facts(plan, user)
    form.reason_items.choices = choices((item.key, _(item.label)) for item in facts.checklist)
    error, status = None, 422 if form.is_submitted() else 200
    confirm_refused = form.is_submitted() and not confirmed()
    if form.validate_on_submit() and not confirm_refused:
        try:
            review_plan(db.session, get_engine(), actor=web_actor(), plan=plan,
                        decision=form.decision.data,
                        reasons=compose_reasons(form.decision.data or "", form.reason_items.data or [],
                                                [form.reasons.data or ""], facts.checklist),
                        min_verifications=current_app.config["MIN_ROSTER_VERIFICATIONS"])  # fmt: skip
        except ApprovalError as exc:
            db.session.rollback()
            error, status = show_refusal(form, exc), exc.status
            plan = _reviewable(user, plan_id)
            facts = _facts(plan, user)
        else:
            message, category = _outcome(plan, form.decision.data or "")
            db.session.commit()
            flash(message, category)
            return redirect(url_for("web.home"))
    return render_template(
        "web/review/form.html", facts=facts, plan=plan, form=form, error=error,
        deadline=review_deadlines(db.session, [plan.id], utcnow()).get(plan.id), diff=_revision_diff(plan),
        status_labels=STATUS_LABELS, risk_labels=RISK_INPUT_LABELS, body_types=BODY_TYPES,
        members_label=members_label, result_labels=RESULT_LABELS, vote_result=lambda v: stored_outcome(v).reason,
        voting_methods=VOTING_METHODS, vote_documents=lambda v: documents_of_vote(db.session, v), document_kinds=KINDS,
        funding=funding_status(plan.content.get("funding")), evidence=source_files(plan),
        answered=answered_in(db.session, plan, plan.revision_number) if plan.revision_number > 1 else [],
        source_labels=SOURCE_LABELS, source_of=source_of, confirm_refused=confirm_refused,
        approve_blocked=_approve_blocked(facts),
    ), status  # fmt: skip


def _approve_blocked(facts: ReviewFacts) -> str:
    """Why approving is not offered (the service would refuse it): the unmet conditions by name, or empty."""
    if not facts.unmet:
        return ""
    return _("尚不能审核同意：%(conditions)s尚未满足，详见本栏上方。",
             conditions=_("、").join(_(c.label) for c in facts.unmet))  # fmt: skip


def _outcome(plan: Plan, decision: str) -> tuple[str, str]:
    if decision == ReviewDecision.RETURN:
        return _("方案已退回企业修改，退回理由已通知企业经办人。"), "info"
    if plan.risk_level != RiskLevel.HIGH:
        return _("已审核同意。风险评估：%(reason)s，方案转企业公布。", reason=plan.risk_reason or ""), "success"
    group = db.session.get(WorkingGroup, plan.working_group_id) if plan.working_group_id else None
    if group is None:
        return _("已审核同意。风险评估为高风险（%(reason)s），但没有覆盖该地区的联合工作组，请联系系统管理员指定。",
                 reason=plan.risk_reason or ""), "warning"  # fmt: skip
    return _("已审核同意。风险评估为高风险（%(reason)s），已转%(group)s介入。",
             reason=plan.risk_reason or "", group=group.name), "warning"  # fmt: skip
