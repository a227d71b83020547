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
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField

from app.downloads import congress_document_file
from app.extensions import db, deadline_periods, get_engine
from app.web import bp
from app.web.confirmation import confirmed
from app.web.form_fields import CountField, DayField, Problem, Required, attach_details
from app.web.home import dashboard
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.db import utcnow
from approvals.deadlines import Standing, standing
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_
from approvals.models import CongressVote, HumanTask, Plan, Role, User
from approvals.process import Task
from approvals.queries.votes import recent_votes, waiting_votes
from approvals.rules.congress import (
    BODY_TYPES,
    EXPLANATION_MAX_CHARS,
    GENERAL_ASSEMBLY,
    MATERIALS_NOTICE_DAYS,
    MAX_PEOPLE,
    MAX_SCRUTINEERS,
    MESSAGES,
    MIN_REPRESENTATIVE_SHARE,
    MIN_REPRESENTATIVES,
    NAME_MAX_CHARS,
    PASSING_SHARE,
    QUORUM_SHARE,
    RESULT_LABELS,
    VOTING_METHODS,
    WORKERS_CONGRESS,
    BallotRecord,
    VoteCounts,
    evaluate_vote,
    members_label,
    split_names,
)
from approvals.services import plans as plan_service
from approvals.services.congress import (
    DOCUMENT_REQUIRED,
    missing_documents,
    record_congress_vote,
    stored_outcome,
    submitted_on,
)
from approvals.services.congress_documents import (
    KINDS,
    MAX_BYTES,
    add_congress_document,
    documents_of_vote,
    get_congress_document,
    pending_documents,
)
from approvals.services.workflow import STATUS_LABELS
from approvals.workdays import local_date


class VoteForm(FlaskForm):
    body_type = RadioField(_l("会议类型"), choices=[SelectChoice(k, _l(v)) for k, v in BODY_TYPES.items()],
                           validators=[Required(_l("请选择会议类型。"))])  # fmt: skip
    held_on = DayField(_l("会议日期"), validators=[Required(_l("请填写会议日期。"))])
    total_members = CountField(_l("全体职工代表人数"), validators=[Required()])
    present = CountField(_l("到会人数"), validators=[Required()])
    yes = CountField(_l("赞成"), validators=[Required()])
    no = CountField(_l("反对"), validators=[Required()])
    abstain = CountField(_l("弃权"), validators=[Required()])
    explanation = TextAreaField(_l("代表人数少于通常规模的书面说明"))
    ballots_issued = CountField(_l("发出表决票"), validators=[Required()])
    ballots_returned = CountField(_l("收回表决票"), validators=[Required()])
    ballots_valid = CountField(_l("有效票"), validators=[Required()])
    secret_ballot = RadioField(_l("表决方式"), choices=[SelectChoice("yes", _l("无记名投票")),
                                                     SelectChoice("no", _l("非无记名投票（如举手表决）"))],
                               validators=[Required(_l("请选择表决方式。"))])  # fmt: skip
    chair = StringField(_l("会议主持人"), validators=[Required(_l("请填写会议主持人。"))])
    scrutineers = TextAreaField(_l("监票人（计票人）"), validators=[Required(_l("请填写至少一名监票人（计票人）。"))],
                                description=_l("每行一人，或以顿号、逗号分隔。"))  # fmt: skip
    minutes = FileField(_l("会议记录"), render_kw={"accept": ".pdf,application/pdf"})
    resolution = FileField(_l("会议决议"), render_kw={"accept": ".pdf,application/pdf"})
    attendance = FileField(_l("签到表（本人签字）"), render_kw={"accept": ".pdf,application/pdf"})
    plan_revision_hash = HiddenField()

    COUNTS = ("total_members", "present", "yes", "no", "abstain", "ballots_issued", "ballots_returned",
              "ballots_valid")  # fmt: skip

    def ballot_record(self) -> BallotRecord:
        return BallotRecord(self.ballots_issued.data, self.ballots_returned.data, self.ballots_valid.data,
                            self.secret_ballot.data == "yes", self.chair.data or "",
                            split_names(self.scrutineers.data or ""))  # fmt: skip


def union_plan(plan_id: int, *, for_update: bool = False) -> Plan:
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=for_update)
    policy.require_role(user, plan, Role.UNION, N_("录入职工代表大会表决结果"))
    return plan


@bp.route("/plans/<int:plan_id>/vote", methods=["GET", "POST"])
@task_form(Task.CONGRESS_VOTE)
def congress_vote(plan_id: int):
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
    valid = form.validate()
    stored, refused = _keep_documents(plan, form)
    if stored:  # committed: lock the plan again for the vote
        plan = union_plan(plan_id, for_update=True)
    if not valid or refused or not confirmed():
        if not valid:  # the service is not asked: say here too which session documents are still missing
            for missing in missing_documents(db.session, plan):
                field = form[missing.field]
                if not field.errors:
                    field.errors = [Problem(missing.rule, missing.message)]
        return _render(plan, form, [], confirm_refused=not confirmed()), 422
    counts = VoteCounts(form.body_type.data or "", form.total_members.data, form.present.data, form.yes.data,
                        form.no.data, form.abstain.data)  # fmt: skip
    try:
        record_congress_vote(db.session, get_engine(), actor=web_actor(), plan=plan, counts=counts,
                             record=form.ballot_record(),
                             held_on=form.held_on.data, plan_hash=form.plan_revision_hash.data or "",
                             explanation=form.explanation.data or "", congress_threshold=current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"],
                             periods=deadline_periods())  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        return _render(plan, form, attach_details(form, exc)), exc.status
    db.session.commit()
    outcome = evaluate_vote(counts, form.ballot_record().secret_ballot)
    flash(_("已录入表决结果：%(result)s（全体 %(total)s 人，到会 %(present)s 人，赞成 %(yes)s 票）。",
            result=_(RESULT_LABELS[outcome.reason]), total=counts.total_members, present=counts.present,
            yes=counts.yes), "success" if outcome.passed else "warning")  # fmt: skip
    return redirect(url_for("web.congress_vote", plan_id=plan_id))


def _keep_documents(plan: Plan, form: VoteForm) -> tuple[bool, bool]:
    """Store the session documents chosen in the form, each in its own transaction with its audit event,
    before the vote is checked: a vote refused for another reason keeps them, and the clerk does not choose
    them again. A refused file gets its message beside its input. Says whether something was stored (the
    plan's lock ended with its commit) and whether something was refused."""
    stored = refused = False
    for kind in KINDS:
        upload = form[kind].data
        if not isinstance(upload, FileStorage) or not upload.filename:
            continue
        try:
            data = upload.read()
        finally:  # a large upload is spooled to a temporary file
            upload.close()
        try:
            add_congress_document(db.session, actor=web_actor(), plan=plan, kind=kind, data=data,
                                  filename=upload.filename)  # fmt: skip
        except (Conflict, Invalid) as exc:
            db.session.rollback()
            attach_details(form, exc, lambda _path, k=kind: form[k])
            refused = True
            continue
        db.session.commit()
        stored = True
    return stored, refused


def live_rules(plan: Plan, form: VoteForm) -> dict[str, Any]:
    """What static/js/vote.js checks as the numbers are typed: every rule of the server's vote validation
    (rules/congress.vote_problems, ballot_problems, held_on_problems and the session documents of
    services/congress), its bounds and its messages in the reader's language, from the same patterns."""
    labels = {name: str(form[name].label.text) for name in (*VoteForm.COUNTS, "held_on", "chair", "scrutineers")}
    messages = {key: _(pattern) for key, pattern in MESSAGES.items()}
    messages |= {
        "document_required": _(DOCUMENT_REQUIRED),
        "integer": _("请填写整数（人数或件数），不要带单位或小数。"),
    }
    submitted = submitted_on(db.session, plan)
    return {
        "messages": messages, "labels": labels, "documents": {kind: _(label) for kind, label in KINDS.items()},
        "today": local_date(utcnow()).isoformat(), "submitted_on": submitted.isoformat() if submitted else None,
        "threshold": current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"], "max_people": MAX_PEOPLE,
        "name_max": NAME_MAX_CHARS, "max_scrutineers": MAX_SCRUTINEERS, "explanation_max": EXPLANATION_MAX_CHARS,
    }  # fmt: skip


def _render(plan: Plan, form: VoteForm, problems: list[Problem], *, confirm_refused: bool = False) -> str:
    votes = db.session.scalars(
        select(CongressVote).where(CongressVote.plan_id == plan.id).order_by(CongressVote.id.desc())
    ).all()
    open_task = db.session.scalar(
        select(HumanTask).where(
            HumanTask.plan_id == plan.id, HumanTask.bpmn_id == Task.CONGRESS_VOTE, HumanTask.completed_at.is_(None)
        )  # fmt: skip
    )
    threshold = current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"]
    deadline = vote_deadline(open_task.due_at, open_task.ready_at) if open_task else None
    return render_template(
        "web/forms/vote.html", plan=plan, form=form, problems=problems, votes=votes, open=open_task is not None,
        deadline=deadline, counted_at=open_task.ready_at if open_task else None,
        materials_days=MATERIALS_NOTICE_DAYS, today=local_date(utcnow()),
        materials_by=deadline.last_day - timedelta(days=MATERIALS_NOTICE_DAYS) if deadline else None,
        body_types=BODY_TYPES, result_labels=RESULT_LABELS, status_labels=STATUS_LABELS, threshold=threshold,
        assembly_allowed=plan.enterprise.headcount < threshold, general_assembly=GENERAL_ASSEMBLY,
        quorum=QUORUM_SHARE, passing=PASSING_SHARE, members_label=members_label, vote_result=vote_result,
        min_representatives=MIN_REPRESENTATIVES, min_share=MIN_REPRESENTATIVE_SHARE,
        explanation_max=EXPLANATION_MAX_CHARS, pending=pending_documents(db.session, plan), document_kinds=KINDS,
        document_max_mb=MAX_BYTES // 1024 // 1024, voting_methods=VOTING_METHODS,
        vote_documents=lambda v: documents_of_vote(db.session, v), name_max=NAME_MAX_CHARS,
        live=live_rules(plan, form), confirm_refused=confirm_refused,
    )  # fmt: skip


@bp.get("/plans/<int:plan_id>/congress-documents/<int:document_id>")
def download_congress_document(plan_id: int, document_id: int):
    plan = plan_service.get_plan(db.session, web_user(), plan_id)
    return congress_document_file(get_congress_document(db.session, plan, document_id))


def vote_deadline(due_at: datetime | None, ready_at: datetime) -> Standing | None:
    """Where a waiting vote stands against its deadline (VOTE_DEADLINE_WORKING_DAYS)."""
    return standing(due_at, utcnow(), started_at=ready_at) if due_at else None


def vote_result(vote: CongressVote) -> str:
    """The key of the vote's result label (RESULT_LABELS): passed, rejected, invalid or open_vote."""
    return stored_outcome(vote).reason


@dashboard(Role.UNION)
def union_home(user: User) -> dict[str, Any]:
    enterprises = [g.enterprise_id for g in user.grants_for(Role.UNION) if g.enterprise_id is not None]
    return {"waiting": waiting_votes(db.session, enterprises), "recorded": recent_votes(db.session, enterprises),
            "body_types": BODY_TYPES, "result_labels": RESULT_LABELS, "vote_result": vote_result,
            "vote_deadline": vote_deadline}  # fmt: skip
