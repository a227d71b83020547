"""The bureau's roster verifications (名单核查) and its confirmation of each unreachable worker's filing
(核查备案): 冀人社发〔2018〕38号 §三. Approval waits for both (approvals/rules/approval.py); the rules are the
services' (approvals/services/verification.py, approvals/services/filings.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.extensions import db
from app.web import bp
from app.web.form_helpers import choices, show_refusal
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.errors import ApprovalError
from approvals.i18n import N_
from approvals.models import Plan, Role, User
from approvals.rules.roster import RosterSummary
from approvals.services import plans as plan_service
from approvals.services.filings import confirm_filing, filings
from approvals.services.verification import METHODS, record_verification, verification_views

WORKER_SEPARATORS = re.compile(r"[\s,，、;；]+")


class VerificationForm(FlaskForm):
    method = SelectField(_l("核查方式"), choices=choices((k, _l(v)) for k, v in METHODS.items()),
                         validators=[InputRequired(_l("请选择核查方式。"))])  # fmt: skip
    sample = TextAreaField(_l("抽样情况"), validators=[Length(max=2000)],
                           render_kw={"rows": 2, "placeholder": _l("例如：按安置渠道分层随机抽取10人")})  # fmt: skip
    result = TextAreaField(_l("核查结果"), validators=[Length(max=4000)], render_kw={"rows": 3})
    workers = TextAreaField(_l("被核查职工的公民身份号码"), validators=[Length(max=20000)],
                            render_kw={"rows": 3, "class": "id-number"})  # fmt: skip

    def id_numbers(self) -> list[str]:
        return [n for n in WORKER_SEPARATORS.split(self.workers.data or "") if n]


VERIFICATION_FIELDS = {"method": "method", "sample": "sample", "result": "result", "workers_checked": "workers"}


@bp.route("/plans/<int:plan_id>/verifications", methods=["GET", "POST"])
def verifications(plan_id: int):
    user = web_user()
    form = VerificationForm()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=form.is_submitted())
    if form.is_submitted():  # the role before the form, as in the API: 403 for the wrong role, not 422
        policy.require_role(user, plan, Role.BUREAU, N_("核查职工名单"))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            record_verification(db.session, actor=web_actor(), plan=plan, method=form.method.data or "",
                                sample=form.sample.data or "", result=form.result.data or "",
                                workers=form.id_numbers())  # fmt: skip
        except ApprovalError as exc:
            db.session.rollback()
            error, status = show_refusal(form, exc, lambda name: form._fields.get(VERIFICATION_FIELDS.get(name, ""))), exc.status  # fmt: skip
            plan = plan_service.get_plan(db.session, user, plan_id)
        else:
            db.session.commit()
            method = METHODS[form.method.data or ""]
            flash(_("已记录名单核查（%(method)s，%(count)s人）。", method=_(method), count=len(set(form.id_numbers()))),
                  "success")  # fmt: skip
            return redirect(url_for("web.verifications", plan_id=plan_id))
    elif form.is_submitted():
        status = 422
    return verifications_page(user, plan, form, error), status


def verifications_page(user: User, plan: Plan, form: VerificationForm, error: str | None,
                       filing: FilingRefusal | None = None) -> str:  # fmt: skip
    """The verifications and the unreachable workers' filings, with a refusal of either form."""
    records = verification_views(db.session, user, plan)
    listed = filings(db.session, user, plan)
    if filing is not None:
        filing = replace(filing, in_row=any(f.id_number == filing.id_number and f.filing and not f.confirmed
                                            for f in listed))  # fmt: skip
    names = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_({v.recorded_by_id for v in records} | {f.confirmed_by_id for f in listed}))).tuples().all())  # fmt: skip
    return render_template("web/review/verifications.html", plan=plan, form=form, error=error, records=records,
                           names=names, methods=METHODS, may_record=policy.holds(user, plan, Role.BUREAU),
                           roster=RosterSummary.from_json(plan.roster_summary), filings=listed,
                           filing_refusal=filing)  # fmt: skip


@dataclass(frozen=True)
class FilingRefusal:
    """A confirmation the service refused: the worker's row shows why, with the note as typed."""

    id_number: str
    message: str
    note: str
    in_row: bool = False  # shown on the worker's row (its form), else above the table


@bp.post("/plans/<int:plan_id>/filings/<id_number>")  # confirms the filing
def confirm_worker_filing(plan_id: int, id_number: str):
    """The bureau confirms one unreachable worker's filing (冀人社发〔2018〕38号 §三 核查备案)."""
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=True)
    policy.require_role(user, plan, Role.BUREAU, N_("确认联系不上职工的核查备案"))
    note = request.form.get("note", "")
    try:
        confirm_filing(db.session, actor=web_actor(), plan=plan, id_number=id_number, note=note)
    except ApprovalError as exc:
        db.session.rollback()
        plan = plan_service.get_plan(db.session, user, plan_id)
        refusal = FilingRefusal(id_number, " ".join(str(say(p["message"])) for p in exc.details or [])
                                or str(say(exc.message)), note)  # fmt: skip
        return verifications_page(user, plan, VerificationForm(formdata=None), None, refusal), exc.status
    db.session.commit()
    flash(_("已确认该职工的核查备案。"), "success")
    return redirect(url_for("web.verifications", plan_id=plan_id, _anchor="filings"))
