"""The plan page and the list of plans the user may see."""

from __future__ import annotations

from flask import render_template

from app.extensions import db
from app.web import bp
from app.web.session import web_user
from approvals import policy
from approvals.models import Plan
from approvals.services.workflow import STATUS_LABELS


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):  # type: ignore[no-untyped-def]
    found = policy.require_view(web_user(), db.session.get(Plan, plan_id))
    return render_template("web/plan.html", plan=found, status_labels=STATUS_LABELS)
