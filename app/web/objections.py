"""The objections raised on a plan's public notice, for the logged-in users who see the plan."""

from __future__ import annotations

from flask import current_app, render_template

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.session import web_user
from approvals import policy
from approvals.db import utcnow
from approvals.models import Plan
from approvals.services.objections import objection_views, objections_of
from approvals.services.public_notice import notice_of


@bp.get("/plans/<int:plan_id>/objections")
def plan_objections(plan_id: int):  # type: ignore[no-untyped-def]
    user = web_user()
    plan = policy.require_view(user, db.session.get(Plan, plan_id))
    unmasked = policy.may_see_objector(user, plan)
    page = db.paginate(objections_of(plan.id), page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False, count=True)  # fmt: skip
    return render_template("web/objections.html", plan=plan, page=page, notice=notice_of(db.session, plan),
                           unmasked=unmasked, now=utcnow(),
                           objections=objection_views(db.session, list(page.items), unmasked=unmasked))  # fmt: skip
