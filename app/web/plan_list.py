"""The plan list of supervisors, enterprise clerks and union representatives: every plan their grants
reach, searched by title, enterprise or USCC and narrowed by the bureau queue's filters (one query:
approvals/queries/plan_list.py), the last changed first, a page at a time."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.plan_filters import PlanFilterForm
from app.web.session import web_user
from approvals import policy
from approvals.i18n import N_
from approvals.models import INDUSTRIES, Role
from approvals.queries import plan_list as plans
from approvals.queries.plan_list import RISK_LEVELS, PlanFilter
from approvals.services.workflow import STATUS_LABELS

# Who has the list, and whose plans it holds: the supervisor's region, the enterprise's own plans for its
# clerk and its union (domain.md §1). The bureau works from its review queue, which filters the same way.
LIST_ROLES = (Role.SUPERVISOR, Role.ENTERPRISE, Role.UNION)


@bp.get("/plans")
def plan_list():
    user = web_user()
    policy.require_any_role(user, LIST_ROLES, N_("方案查询"))
    form = PlanFilterForm(user, LIST_ROLES)
    filters = form.chosen()
    page = plans.plan_list(db.session, user, LIST_ROLES, PlanFilter.of(filters), query_int("page", 1),
                           current_app.config["PAGE_SIZE"])  # fmt: skip
    return render_template(
        "web/plan_list.html",
        form=form,
        filters=filters,
        page=page,
        wide=form.city is not None,  # the list spans a region: the enterprise's place and industry matter
        # translated once per page, not once per row
        risk_levels={k: _(v) for k, v in RISK_LEVELS.items()},
        status_labels={k: _(v) for k, v in STATUS_LABELS.items()},
        industries={k: _(v) for k, v in INDUSTRIES.items()},
    )
