"""Resubmitting a returned plan (重新提交): every reason of the return answered, one box each.

The reasons and the rule that each needs an answer live in `services.return_reasons`; submitting is
`services.submission.submit_plan` with the answers, so this page refuses what the API refuses, with the
message beside the reason it names and every answer typed kept.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from app.extensions import db, deadline_periods, get_engine
from app.web import bp
from app.web.drafting import enterprise_plan, submitted, submitted_incomplete
from app.web.i18n import say
from app.web.session import web_actor
from approvals.errors import ApprovalError
from approvals.i18n import N_
from approvals.rules.text_limits import FIELDS
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons, source_of
from approvals.services.submission import submit_plan


def _field(reason_id: int) -> str:
    return f"answer-{reason_id}"


@bp.route("/plans/<int:plan_id>/resubmit", methods=["GET", "POST"])
def resubmit(plan_id: int):
    posted = request.method == "POST"
    plan = enterprise_plan(plan_id, N_("提交方案"), for_update=posted)
    reasons = open_reasons(db.session, plan)
    if not reasons and posted:  # answered already (another tab) or never returned: nothing to answer here
        return redirect(url_for("web.draft_plan", plan_id=plan.id))
    typed = {r.id: request.form.get(_field(r.id), "") if posted else (r.answer or "") for r in reasons}
    errors: dict[int, list[str]] = {}
    other: list[str] = []
    status = 200
    if posted:
        try:
            result = submit_plan(db.session, get_engine(), actor=web_actor(), plan=plan, periods=deadline_periods(),
                                 answers=typed)  # fmt: skip
        except ApprovalError as exc:
            db.session.rollback()
            for detail in exc.details if isinstance(exc.details, list) else []:
                reason_id = detail.get("reason_id")
                (errors.setdefault(reason_id, []) if reason_id in typed else other).append(detail["message"])
            if not errors and not other:
                other.append(say(exc.message))
            status = exc.status
            plan = enterprise_plan(plan_id, N_("提交方案"))
            reasons = open_reasons(db.session, plan)
        else:
            db.session.commit()  # an incomplete submission is a step of the process too, answers kept
            return submitted(plan, result) if result.accepted else submitted_incomplete(plan, result)
    return render_template(
        "web/forms/resubmit.html", plan=plan, reasons=reasons, typed=typed, errors=errors, other=other,
        field=_field, source_labels=SOURCE_LABELS, source_of=source_of, limit=FIELDS["answer"],
    ), status  # fmt: skip
