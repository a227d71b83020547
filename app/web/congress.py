"""The union's pages: votes to record and recorded votes (home), and the vote entry form.

The form shows quorum and result live (static/js/vote.js) from the rule's own shares, rendered as
data attributes; the server decides through `services.congress.record_congress_vote`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField

from app.extensions import db, deadline_periods, get_engine
from app.web import bp
from app.web.form_fields import CountField, DayField, Problem, Required, attach_details
from app.web.home import dashboard
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.db import utcnow
from approvals.deadlines import Standing, standing
from approvals.errors import Conflict, Invalid
from approvals.models import CongressVote, Enterprise, HumanTask, Plan, Role, User
from approvals.rules.congress import (
    BODY_TYPES,
    EXPLANATION_MAX_CHARS,
    GENERAL_ASSEMBLY,
    MATERIALS_NOTICE_DAYS,
    MIN_REPRESENTATIVE_SHARE,
    MIN_REPRESENTATIVES,
    PASSING_SHARE,
    QUORUM_SHARE,
    WORKERS_CONGRESS,
    VoteCounts,
    VoteOutcome,
    evaluate_vote,
    members_label,
)
from approvals.services import plans as plan_service
from approvals.services.congress import RESULT_LABELS, record_congress_vote
from approvals.services.workflow import STATUS_LABELS
from approvals.workdays import local_date

REQUIRED = _l("请填写。")


class VoteForm(FlaskForm):
    body_type = RadioField(_l("会议类型"), choices=[SelectChoice(k, _l(v)) for k, v in BODY_TYPES.items()],
                           validators=[Required(_l("请选择会议类型。"))])  # fmt: skip
    held_on = DayField(_l("会议日期"), validators=[Required(_l("请填写会议日期。"))])
    total_members = CountField(_l("全体职工代表人数"), validators=[Required(REQUIRED)])
    present = CountField(_l("到会人数"), validators=[Required(REQUIRED)])
    yes = CountField(_l("赞成"), validators=[Required(REQUIRED)])
    no = CountField(_l("反对"), validators=[Required(REQUIRED)])
    abstain = CountField(_l("弃权"), validators=[Required(REQUIRED)])
    explanation = TextAreaField(_l("代表人数少于通常规模的书面说明"))
    plan_revision_hash = HiddenField()


def union_plan(plan_id: int, *, for_update: bool = False) -> Plan:
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=for_update)
    policy.require_role(user, plan, Role.UNION, "录入职工代表大会表决结果")
    return plan


@bp.route("/plans/<int:plan_id>/vote", methods=["GET", "POST"])
@task_form("congress_vote")
def congress_vote(plan_id: int):  # type: ignore[no-untyped-def]
    posted = request.method == "POST"
    plan = union_plan(plan_id, for_update=posted)
    if not posted:
        form = VoteForm(formdata=None, plan_revision_hash=plan.content_hash)
        if plan.enterprise.headcount < current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"]:
            form.body_type.data = None
        else:
            form.body_type.data = WORKERS_CONGRESS
        return _render(plan, form, [])
    form = VoteForm()
    if not form.validate():
        return _render(plan, form, []), 422
    counts = VoteCounts(form.body_type.data or "", form.total_members.data, form.present.data, form.yes.data,
                        form.no.data, form.abstain.data)  # fmt: skip
    try:
        record_congress_vote(db.session, get_engine(), actor=web_actor(), plan=plan, counts=counts,
                             held_on=form.held_on.data, plan_hash=form.plan_revision_hash.data or "",
                             explanation=form.explanation.data or "", congress_threshold=current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"],
                             periods=deadline_periods())  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        return _render(plan, form, attach_details(form, exc)), exc.status
    db.session.commit()
    outcome = evaluate_vote(counts)
    flash(_("已录入表决结果：%(result)s（全体 %(total)s 人，到会 %(present)s 人，赞成 %(yes)s 票）。",
            result=_(RESULT_LABELS[outcome.result]), total=counts.total_members, present=counts.present,
            yes=counts.yes), "success" if outcome.passed else "warning")  # fmt: skip
    return redirect(url_for("web.congress_vote", plan_id=plan_id))


def _render(plan: Plan, form: VoteForm, problems: list[Problem]) -> str:
    votes = db.session.scalars(
        select(CongressVote).where(CongressVote.plan_id == plan.id).order_by(CongressVote.id.desc())
    ).all()
    open_task = db.session.scalar(
        select(HumanTask).where(
            HumanTask.plan_id == plan.id, HumanTask.bpmn_id == "congress_vote", HumanTask.completed_at.is_(None)
        )  # fmt: skip
    )
    threshold = current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"]
    deadline = vote_deadline(open_task.due_at if open_task else None)
    return render_template(
        "web/forms/vote.html", plan=plan, form=form, problems=problems, votes=votes, open=open_task is not None,
        deadline=deadline, materials_days=MATERIALS_NOTICE_DAYS, today=local_date(utcnow()),
        materials_by=deadline.last_day - timedelta(days=MATERIALS_NOTICE_DAYS) if deadline else None,
        body_types=BODY_TYPES, result_labels=RESULT_LABELS, status_labels=STATUS_LABELS, threshold=threshold,
        assembly_allowed=plan.enterprise.headcount < threshold, general_assembly=GENERAL_ASSEMBLY,
        quorum=QUORUM_SHARE, passing=PASSING_SHARE, members_label=members_label, vote_result=vote_result,
        min_representatives=MIN_REPRESENTATIVES, min_share=MIN_REPRESENTATIVE_SHARE,
        explanation_max=EXPLANATION_MAX_CHARS,
    )  # fmt: skip


def vote_deadline(due_at: datetime | None) -> Standing | None:
    """Where a waiting vote stands against its deadline (VOTE_DEADLINE_WORKING_DAYS)."""
    return standing(due_at, utcnow()) if due_at else None


def vote_result(vote: CongressVote) -> str:
    return VoteOutcome(vote.quorum_met, vote.passed).result


@dashboard(Role.UNION)
def union_home(user: User) -> dict[str, Any]:
    enterprises = [g.enterprise_id for g in user.grants_for(Role.UNION)]
    waiting = db.session.execute(
        select(Plan, HumanTask.ready_at, HumanTask.due_at)
        .join(HumanTask, HumanTask.plan_id == Plan.id)
        .where(Plan.enterprise_id.in_(enterprises), HumanTask.bpmn_id == "congress_vote",
               HumanTask.completed_at.is_(None))
        .order_by(HumanTask.ready_at)
    ).all()  # fmt: skip
    recorded = db.session.execute(
        select(CongressVote, Plan.title, Enterprise.name)
        .join(Plan, CongressVote.plan_id == Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(Plan.enterprise_id.in_(enterprises))
        .order_by(CongressVote.recorded_at.desc(), CongressVote.id.desc())
        .limit(20)
    ).all()
    return {"waiting": waiting, "recorded": recorded, "body_types": BODY_TYPES, "result_labels": RESULT_LABELS,
            "vote_result": vote_result, "vote_deadline": vote_deadline}  # fmt: skip
