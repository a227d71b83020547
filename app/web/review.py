"""The bureau review (人社部门审核): the checklist, the decision with its reasons, and the roster
verifications (名单核查) the reviewer records beside it.

Every rule lives in the services (`review_plan`, `record_verification`); this module gathers what
they and the rules already compute into one page and turns the reviewer's ticks into reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from app.extensions import db, get_engine
from app.gate_setting import waits_for_notice
from app.web import bp
from app.web.bureau import deadlines
from app.web.confirmation import confirmed
from app.web.evidence_panel import source_files
from app.web.form_helpers import choices, show_refusal
from app.web.i18n import say
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.db import utcnow
from approvals.errors import ApprovalError, NotAllowed
from approvals.execution.amendment import open_amendment
from approvals.i18n import N_, Counted, Np_, Text
from approvals.models import CongressVote, Plan, Role, User, WorkingGroup
from approvals.process import ReviewDecision, RiskLevel, Task
from approvals.rules.congress import BODY_TYPES, VOTING_METHODS, members_label
from approvals.rules.funding import funding_status
from approvals.rules.gate import Condition, gate_conditions
from approvals.rules.roster import RosterSummary
from approvals.services import plans as plan_service
from approvals.services.congress import RESULT_LABELS, stored_outcome
from approvals.services.congress_documents import KINDS, documents_of_vote
from approvals.services.filings import review_conditions
from approvals.services.gate import gate_facts
from approvals.services.return_reasons import SOURCE_LABELS, answered_in, source_of
from approvals.services.review import review_plan, risk_inputs
from approvals.services.revisions import compare_revisions
from approvals.services.verification import verifications_of
from approvals.services.workflow import STATUS_LABELS, open_tasks

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
GATE_ITEMS = ("plan_complete", "funds_secured", "congress_passed")  # what the reviewer checks of the gate
OTHER = N_("其他")


@dataclass(frozen=True)
class CheckItem:
    """One line of the reviewer's checklist; a returned plan cites it as a reason."""

    key: str
    label: str  # Chinese source, translated when shown
    met: bool
    reason: str  # a Text (app.web.i18n.say), from the rules
    details: list[str] = field(default_factory=list)

    def as_reason(self) -> str:
        return f"{self.label}：{self.reason}"


@dataclass(frozen=True)
class ReviewFacts:
    """Everything the review page shows of one plan."""

    plan: Plan
    checklist: list[CheckItem]
    gate: list[Condition]
    vote: CongressVote | None
    roster: RosterSummary | None
    verifications: int
    risk_inputs: dict[str, Any]
    review_open: bool
    refusal: str | None  # why this user may not decide (separation of duties)
    unmet: list[Condition]  # the bureau's conditions of approval not yet met, each named


def review_facts(plan: Plan, user: User) -> ReviewFacts:
    facts = gate_facts(plan, waits_for_notice=waits_for_notice())
    gate = gate_conditions(facts)
    by_key = {c.key: c for c in gate}
    roster = RosterSummary.from_json(plan.roster_summary)
    roster_findings = [f.message for f in facts.missing if f.section == "roster"]
    verified = len(verifications_of(db.session, plan))
    conditions = review_conditions(db.session, plan, current_app.config["MIN_ROSTER_VERIFICATIONS"])
    checklist = [
        CheckItem("plan_complete", by_key["plan_complete"].label, by_key["plan_complete"].met,
                  by_key["plan_complete"].reason, [f.message for f in facts.missing]),
        CheckItem("funds_secured", by_key["funds_secured"].label, by_key["funds_secured"].met,
                  by_key["funds_secured"].reason),
        CheckItem("congress_passed", by_key["congress_passed"].label, by_key["congress_passed"].met,
                  by_key["congress_passed"].reason),
        CheckItem("roster", N_("职工实名制台账准确（特殊群体、联系不上职工、经济补偿）"), not roster_findings,
                  Text(N_("名单未见问题。")) if not roster_findings
                  else Counted(Np_("名单有%(count)s项问题。", "名单有%(count)s项问题。"), len(roster_findings),
                               count=len(roster_findings)), roster_findings),
        # The bureau's own conditions of approval (rules/approval.py): approving is refused while one is unmet.
        *(CheckItem(c.key, c.label, c.met, c.reason) for c in conditions),
    ]  # fmt: skip
    vote = db.session.scalars(
        select(CongressVote).where(CongressVote.plan_id == plan.id).order_by(CongressVote.id.desc()).limit(1)
    ).first()
    review_open = any(t.bpmn_id == Task.BUREAU_REVIEW for t in open_tasks(db.session, plan))
    return ReviewFacts(plan, checklist, gate, vote, roster, verified, risk_inputs(plan), review_open,
                       _refusal(user, plan), [c for c in conditions if not c.met])  # fmt: skip


def _refusal(user: User, plan: Plan) -> str | None:
    try:
        policy.check_not_submitter(user, plan)
    except NotAllowed as exc:
        return say(exc.message)
    return None


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


def compose_reasons(form: ReviewForm, checklist: list[CheckItem]) -> list[str]:
    """The reasons as the enterprise reads and answers them, one each: every ticked checklist item with
    what the rules found, then the reviewer's own words. An approval keeps only the reviewer's words."""
    text = (form.reasons.data or "").strip()
    if form.decision.data != ReviewDecision.RETURN:
        return [text]
    chosen = [item.as_reason() for item in checklist if item.key in (form.reason_items.data or [])]
    if text:
        chosen.append(f"{OTHER}：{text}" if chosen else text)
    return chosen


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
def review(plan_id: int):  # type: ignore[no-untyped-def]
    user = web_user()
    form = ReviewForm()
    plan = _reviewable(user, plan_id, lock=form.is_submitted())
    facts = review_facts(plan, user)
    form.reason_items.choices = choices((item.key, _(item.label)) for item in facts.checklist)
    error, status = None, 422 if form.is_submitted() else 200
    confirm_refused = form.is_submitted() and not confirmed()
    if form.validate_on_submit() and not confirm_refused:
        try:
            review_plan(db.session, get_engine(), actor=web_actor(), plan=plan,
                        decision=form.decision.data,  # type: ignore[arg-type]
                        reasons=compose_reasons(form, facts.checklist),
                        min_verifications=current_app.config["MIN_ROSTER_VERIFICATIONS"])  # fmt: skip
        except ApprovalError as exc:
            db.session.rollback()
            error, status = show_refusal(form, exc), exc.status
            plan = _reviewable(user, plan_id)
            facts = review_facts(plan, user)
        else:
            message, category = _outcome(plan, form.decision.data or "")
            db.session.commit()
            flash(message, category)
            return redirect(url_for("web.home"))
    return render_template(
        "web/review/form.html", facts=facts, plan=plan, form=form, error=error,
        deadline=deadlines([plan.id], utcnow()).get(plan.id), diff=_revision_diff(plan),
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
