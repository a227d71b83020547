"""The bureau reviewer's home section: the review queue of the plans in their region.

Overdue reviews first, then by deadline (approvals/queries/review_deadlines.py); the search and filters are
the plan list's (approvals/queries/plan_list.py), query parameters, so a filtered view is a link. Four queries whatever
the number of plans: the count, the page's ids in order, those plans, and their deadlines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.inputs import query_int
from app.web.home import dashboard
from app.web.plan_filters import PlanFilterForm
from approvals.db import utcnow
from approvals.deadlines import REMIND_WORKING_DAYS
from approvals.models import INDUSTRIES, Role, User
from approvals.process import Status
from approvals.queries import plan_list
from approvals.queries.plan_list import RISK_LEVELS, PlanFilter
from approvals.queries.review_deadlines import review_deadlines
from approvals.services.workflow import STATUS_LABELS

DAY = timedelta(days=1)


@dashboard(Role.BUREAU, lists_tasks=True)
def bureau_home(user: User) -> dict[str, Any]:
    form = PlanFilterForm(user, (Role.BUREAU,), default_status=Status.REVIEW)
    filters = form.chosen()
    wanted = PlanFilter.of(filters, default_status=Status.REVIEW)
    now = utcnow()
    total = plan_list.count(db.session, user, (Role.BUREAU,), wanted)
    page = plan_list.page_of(db.session, plan_list.review_queue(user, wanted, now), total, query_int("page", 1),
                             current_app.config["PAGE_SIZE"])  # fmt: skip
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "deadlines": review_deadlines(db.session, [p.id for p in page.items], now),
        "remind_days": REMIND_WORKING_DAYS,  # from then on the deadline is near: the reviewer was reminded
        # translated once per page, not once per row
        "risk_levels": {k: _(v) for k, v in RISK_LEVELS.items()},
        "status_labels": {k: _(v) for k, v in STATUS_LABELS.items()},
        "industries": {k: _(v) for k, v in INDUSTRIES.items()},
        "revision_label": _("第%(n)s版"),
    }
